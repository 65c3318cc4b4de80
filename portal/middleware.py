from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from rest_framework.views import APIView

from portal.access import viewer_for
from portal.roles import MFA_REQUIRED_ROLES


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login. API views are left to DRF, which authenticates tokens
    as well as sessions and answers 401/403 in JSON instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class RequireMFAMiddleware:
    """Officers, national analysts and administrators must turn on TOTP before they reach
    anything but the pages that set it up (and logging out)."""

    ALLOWED_PREFIXES = ("/konto/", "/static/", "/i18n/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and viewer_for(user).role_names & MFA_REQUIRED_ROLES
            and not _has_totp(user)
        ):
            return redirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_samvirke_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._samvirke_has_totp = cached
    return cached


class NorwegianFirstMiddleware:
    """Bokmål unless the user chose English with the language switch (a cookie). The
    browser's Accept-Language is ignored: many Norwegian offices run English-language
    browsers, and the portal's working language is Norwegian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
