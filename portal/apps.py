from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        # allauth counts failed log-ins in ``django.core.cache.cache`` (Redis). A log-in must
        # work while Redis is stopped or hung, so its counters go to the database cache
        # "ratelimit" instead (settings.CACHES; docs/decisions/0011-writes-survive-redis.md).
        from allauth.core.internal import ratelimit
        from django.core.cache import caches
        from django.utils.connection import ConnectionProxy

        ratelimit.cache = ConnectionProxy(caches, "ratelimit")
