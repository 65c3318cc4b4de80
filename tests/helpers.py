"""Helpers shared by the tests."""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.personas import TOTP_SECRET

# allauth keeps, beside the steps, whose steps they are (allauth.account.internal.flows.login)
AUTHENTICATION_METHODS_USER_SESSION_KEY = "account_authentication_methods_user"


def login_as(client, user, *, mfa=True):
    """Log ``client`` in as ``user`` the way allauth's log-in leaves the session: the
    password step, and (``mfa=True``, for a user with TOTP) the TOTP step, so the session
    counts as having passed the second factor (portal.auth.passed_second_factor).
    ``mfa=False`` gives a password-only session."""
    client.force_login(user)
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if mfa and totp is not None:
        records.append({"method": "mfa", "at": now, "id": totp.pk, "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return client


def totp_now(secret=TOTP_SECRET):
    """The persona authenticator's current code (allauth's own generator)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))
