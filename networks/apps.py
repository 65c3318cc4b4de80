from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Preparedness structure")

    def ready(self):
        # The features' permissions (rules.add_perm), registered once the models are loaded.
        import networks.resources.rules  # noqa: F401
