from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents and logs")

    def ready(self):
        # The feature packages' permissions (rules.set_perm) register when their rules
        # module loads; rules' autodiscovery finds only incidents/rules.py. Imported here,
        # not at the top, because the registry must be ready before models are imported.
        from incidents.lessons import rules  # noqa: F401
