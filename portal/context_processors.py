from django.conf import settings

from portal.access import viewer_for
from portal.roles import Role


def portal(request):
    viewer = viewer_for(getattr(request, "user", None))
    return {
        "viewer": viewer,
        "Role": Role,
        "is_officer": viewer.has_role(Role.OFFICER),
        "samvirke_env": settings.SAMVIRKE_ENV,
    }
