from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Preparedness structure")

    def ready(self):
        # Each feature package's permissions register when its rules module is imported:
        # import them all at start-up, not only when some view happens to import one.
        from networks import rules  # noqa: F401

        # Meetings' follow-up tasks in «Mine oppgaver» (portal.worklist; models are ready).
        from networks.meetings.worklist import follow_up_items
        from portal.worklist import register

        register("meetings", follow_up_items)
