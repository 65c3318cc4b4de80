"""API-nøkler: the actions that make and revoke a user's API tokens, and the form of the
profile page (docs/decisions/0010-second-factor-and-tokens.md)."""

from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from knox.settings import knox_settings

from portal.history import history_context
from portal.models import ApiToken

MAX_TOKEN_DAYS = 366


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. «Krisestøtteverktøy» or «Rapportskript»."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=lambda: knox_settings.TOKEN_TTL.days,
    )


def do_create_api_token(*, user, name, days=None, acting_user, second_factor) -> tuple:
    """Make a token for ``user`` (the acting user themselves on the profile page, any user
    in the admin). Returns the row and the token, which is never stored and never shown
    again. Only a session that has passed the second factor makes tokens."""
    if not second_factor:
        raise PermissionDenied
    ttl = timedelta(days=days) if days else knox_settings.TOKEN_TTL
    with transaction.atomic(), history_context(acting_user, "api_token.create"):
        return ApiToken.objects.create(
            user=user,
            name=name.strip(),
            expiry=ttl,
            created_by=acting_user,
            second_factor=second_factor,
        )


def do_revoke_api_token(token: ApiToken, *, acting_user) -> None:
    """Revoke (delete) a token: the next request that carries it gets 401."""
    with transaction.atomic(), history_context(acting_user, "api_token.revoke"):
        token.delete()
