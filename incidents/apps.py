from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Incidents and logs")

    def ready(self):
        # Each feature package's permissions register when its rules module is imported:
        # import them all at start-up (incidents/rules.py gathers them), not only when some
        # view happens to import one.
        from incidents import rules  # noqa: F401
