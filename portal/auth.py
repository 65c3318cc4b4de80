"""Authentication: the closed portal's allauth adapters, the second factor that must be
passed in the session itself, and API tokens (docs/decisions/0010-second-factor-and-tokens.md).

Who must use the second factor: every user with a role in ``MFA_REQUIRED_ROLES``, and
every superuser or staff user. For them a session counts only once *this session* has
passed TOTP: allauth records each authentication step in the session
(``account_authentication_methods``), and we look for its ``"mfa"`` record."""

from datetime import timedelta

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from portal.access import viewer_for
from portal.roles import MFA_REQUIRED_ROLES

#: How often a token's ``last_used_at`` is written (one UPDATE per token per minute at most).
LAST_USED_RESOLUTION = timedelta(minutes=1)

SECOND_FACTOR_REQUIRED = _(
    "This account must use two-factor authentication (TOTP). Sign in again in the browser "
    "and give the code from your authenticator app, or use an API token."
)
SECOND_FACTOR_NOT_SET_UP = _(
    "This account must use two-factor authentication (TOTP), and it has not been set up. "
    "Sign in in the browser and turn on an authenticator app first."
)
TOKEN_WITHOUT_SECOND_FACTOR = _(
    "This token was made without the second factor, and this account must use it. "
    "Make a new token on your profile page."
)


class PortalAccountAdapter(DefaultAccountAdapter):
    """Samvirke is a closed portal: administrators create accounts; nobody signs up."""

    def is_open_for_signup(self, request):
        return False


class PortalMFAAdapter(DefaultMFAAdapter):
    """Who must use TOTP cannot turn it off (they may replace it: an administrator removes
    the old one in the admin, and the user sets up a new one)."""

    def can_delete_authenticator(self, authenticator):
        if authenticator.type == Authenticator.Type.TOTP and must_use_second_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)


def must_use_second_factor(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_samvirke_must_use_mfa", None)
    if cached is None:
        cached = bool(
            user.is_superuser or user.is_staff or viewer_for(user).role_names & MFA_REQUIRED_ROLES
        )
        user._samvirke_must_use_mfa = cached
    return cached


def has_totp(user) -> bool:
    cached = getattr(user, "_samvirke_has_totp", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._samvirke_has_totp = cached
    return cached


def passed_second_factor(request) -> bool:
    """Whether this session has passed the second factor (allauth's record of the
    session's authentication steps, kept for the logged-in user only)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_problem(request):
    """None if the session's user may go on; else the message saying why not."""
    user = request.user
    if not must_use_second_factor(user):
        return None
    if not has_totp(user):
        return SECOND_FACTOR_NOT_SET_UP
    if not passed_second_factor(request):
        return SECOND_FACTOR_REQUIRED
    return None


def activate_totp(request, *args, **kwargs):
    """allauth's TOTP set-up page. Setting up TOTP takes a valid code from the new
    authenticator (after the password again), so the session that did it has passed the
    second factor: recorded here as allauth records a TOTP log-in."""
    from allauth.mfa.totp.views import activate_totp as allauth_activate_totp

    had_totp = request.user.is_authenticated and has_totp(request.user)
    response = allauth_activate_totp(request, *args, **kwargs)
    if request.method == "POST" and request.user.is_authenticated and not had_totp:
        totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).first()
        if totp is not None:
            record_authentication(request, request.user, "mfa", id=totp.pk, type="totp")
    return response


class SecondFactorSessionAuthentication(SessionAuthentication):
    """DRF session authentication that, like the pages, refuses a session of a user who
    must use TOTP until the session has passed it (403 with the reason)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            problem = second_factor_problem(request._request)
            if problem is not None:
                raise exceptions.PermissionDenied(problem)
        return result


class ApiTokenAuthentication(TokenAuthentication):
    """django-rest-knox's hashed, expiring tokens (``Authorization: Token …``), with the
    portal's rules on top: a disabled user's tokens stop at once (knox), a user who must
    use TOTP is served only by a token made after the second factor, and each use is
    noted (to the minute) so the profile page can say when a token was last used."""

    def validate_user(self, auth_token):
        user, auth_token = super().validate_user(auth_token)
        if must_use_second_factor(user) and not auth_token.second_factor:
            raise exceptions.AuthenticationFailed(TOKEN_WITHOUT_SECOND_FACTOR)
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at > LAST_USED_RESOLUTION:
            type(auth_token).objects.filter(pk=auth_token.pk).update(last_used_at=now)
            auth_token.last_used_at = now
        return user, auth_token


class ApiTokenScheme(KnoxTokenScheme):
    """The OpenAPI schema's name for our tokens: ``Authorization: Token …``."""

    target_class = "portal.auth.ApiTokenAuthentication"
    name = "tokenAuth"


class SecondFactorSessionScheme(SessionScheme):
    target_class = "portal.auth.SecondFactorSessionAuthentication"
