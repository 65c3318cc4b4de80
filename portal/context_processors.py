from django.apps import apps
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.access import viewer_for
from portal.navigation import build_menu
from portal.roles import Role

#: Header entries marked with aria-current (the main menu marks itself: portal.navigation).
NAV_SECTIONS = {
    "profile": "profile",
    "api-tokens": "profile",
    "notifications": "notifications",
}


def portal(request):
    user = getattr(request, "user", None)
    viewer = viewer_for(user)
    match = getattr(request, "resolver_match", None)
    my_organisations = _my_organisations(user, viewer)
    return {
        "viewer": viewer,
        "Role": Role,
        "is_officer": viewer.has_role(Role.OFFICER),
        "samvirke_env": settings.SAMVIRKE_ENV,
        "my_organisations": my_organisations,
        "main_menu": SimpleLazyObject(
            lambda: build_menu(user, viewer, request.path, my_organisations)
        ),
        "nav_section": NAV_SECTIONS.get(match.url_name) if match else None,
        "unread_notifications": SimpleLazyObject(lambda: _unread_notifications(user, viewer)),
    }


def _unread_notifications(user, viewer) -> int:
    """The header's unread count: one query, run only when a full page renders it."""
    from portal.models import Notification

    if not viewer.authenticated:
        return 0
    return Notification.objects.visible_to(user).unread().count()


def _my_organisations(user, viewer):
    """The user's own organisations for the navigation: one lazy query, evaluated only
    when a full page renders its header (the queryset caches its rows)."""
    # By the app registry: portal is the bottom layer, the structure sits above it.
    Organisation = apps.get_model("networks", "Organisation")
    if not viewer.org_ids:
        return Organisation.objects.none()
    return Organisation.objects.with_people_visible_to(user).order_by("name")
