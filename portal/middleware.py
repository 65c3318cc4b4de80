from urllib.parse import urlencode

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.views import APIView

from portal.auth import has_totp, second_factor_problem


class PortalLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a login. API views are left to DRF, which authenticates tokens
    as well as sessions and answers 401/403 in JSON instead of redirecting."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "cls", None)
        if view_class is not None and issubclass(view_class, APIView):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecondFactorMiddleware:
    """A user who must use TOTP (portal.auth.must_use_second_factor) reaches nothing but
    the pages that pass or set up the second factor, and logging out, until this session
    has passed it: pages and the admin redirect (HTMX requests get ``HX-Redirect``), the
    API answers 403 in JSON with the reason. A token request carries no session and is
    left to DRF (portal.auth.ApiTokenAuthentication)."""

    ALLOWED_PREFIXES = ("/static/", "/i18n/")
    ALLOWED_URL_NAMES = frozenset(
        {
            "account_login",
            "account_logout",
            "account_reauthenticate",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_activate_totp",
            "set_language",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The problem first: it is cached on the user and None for nearly every request,
        # so the path is resolved only for a session that has not passed the second factor.
        if request.user.is_authenticated:
            problem = second_factor_problem(request)
            if problem is not None and not self.allowed(request):
                return self.refuse(request, problem)
        return self.get_response(request)

    def allowed(self, request):
        if request.path.startswith(self.ALLOWED_PREFIXES):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.ALLOWED_URL_NAMES and not match.namespace

    def refuse(self, request, problem):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(problem)}, status=403)
        if has_totp(request.user):
            target = (
                reverse("mfa_reauthenticate") + "?" + urlencode({"next": request.get_full_path()})
            )
        else:
            target = reverse("mfa_activate_totp") + "?required=1"
        if request.headers.get("HX-Request") == "true":
            return HttpResponseClientRedirect(target)
        return redirect(target)


class NorwegianFirstMiddleware:
    """Bokmål unless the user chose English with the language switch (a cookie). The
    browser's Accept-Language is ignored: many Norwegian offices run English-language
    browsers, and the portal's working language is Norwegian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
