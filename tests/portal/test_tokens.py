"""API tokens (API-nøkler): named, hashed, shown once, expiring, revocable, made on the
profile page after the second factor or by an administrator in the admin; a disabled
user's tokens stop at once (docs/decisions/0010-second-factor-and-tokens.md)."""

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import ApiToken
from portal.tokens import do_create_api_token
from tests.helpers import login_as
from tests.personas import PASSWORD, TOTP_SECRET, user

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"samvirke_[0-9a-f]{64}")


def make_on_profile(client, name="Rapportskript", days=None):
    data = {"name": name, "days": days or 90}
    response = client.post(reverse("api-tokens"), data)
    assert response.status_code == 200, response.content
    return response, TOKEN.search(response.content.decode()).group(0)


def api_with(token):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_a_token_made_on_the_profile_page_is_shown_once_and_stored_hashed(client):
    login_as(client, user("vestland_officer"))
    response, plain = make_on_profile(client)
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=user("vestland_officer"), name="Rapportskript")
    assert token.digest == hashlib.sha512(plain.encode()).hexdigest()
    assert token.second_factor and token.created_by == user("vestland_officer")
    with connection.cursor() as cursor:  # the token itself is in no column of the row
        cursor.execute("SELECT * FROM portal_apitoken WHERE uuid = %s", [token.uuid])
        assert plain not in " ".join(str(v) for v in cursor.fetchone())
    listing = client.get(reverse("api-tokens")).content.decode()
    assert "Rapportskript" in listing and plain not in listing
    assert abs(token.expiry - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


def test_a_token_reads_the_api_and_notes_its_last_use(client):
    login_as(client, user("dsb_analyst"))
    _, plain = make_on_profile(client, days=7)
    token = ApiToken.objects.get(user=user("dsb_analyst"))
    assert token.last_used_at is None
    assert abs(token.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    response = api_with(plain).get(reverse("api:me"))
    assert response.status_code == 200
    assert response.json()["email"] == user("dsb_analyst").email
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Rapportskript" in client.get(reverse("api-tokens")).content.decode()


def test_an_expired_token_is_refused(client):
    token, plain = do_create_api_token(
        user=user("bergen_manager"),
        name="Gammel",
        days=1,
        acting_user=user("bergen_manager"),
        second_factor=True,
    )
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert api_with(plain).get(reverse("api:me")).status_code == 401


def test_a_revoked_token_is_refused_and_only_its_owner_may_revoke_it(client):
    login_as(client, user("rogaland_officer"))
    _, plain = make_on_profile(client)
    token = ApiToken.objects.get(user=user("rogaland_officer"))
    assert api_with(plain).get(reverse("api:me")).status_code == 200
    revoke = reverse("api-token-revoke", kwargs={"uuid": token.uuid})
    login_as(client, user("vestland_officer"))
    assert client.post(revoke).status_code == 404
    login_as(client, user("rogaland_officer"))
    assert client.post(revoke).status_code == 302
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api_with(plain).get(reverse("api:me")).status_code == 401


def test_tokens_are_made_only_after_the_second_factor(client):
    login_as(client, user("bergen_manager"))  # no TOTP: password only
    page = client.get(reverse("api-tokens"))
    assert page.status_code == 200 and b'id="api-token-form"' not in page.content
    assert client.post(reverse("api-tokens"), {"name": "x", "days": 90}).status_code == 403
    assert not ApiToken.objects.filter(user=user("bergen_manager")).exists()


def test_bad_input_is_a_form_error_in_place(client):
    login_as(client, user("vestland_officer"))
    response = client.post(reverse("api-tokens"), {"name": "", "days": 4000})
    assert response.status_code == 400
    assert b"aria-invalid" in response.content
    assert not ApiToken.objects.filter(user=user("vestland_officer")).exists()


def test_a_token_of_a_totp_user_made_without_the_second_factor_is_refused(client, english):
    officer = user("vestland_officer")
    _, plain = ApiToken.objects.create(user=officer, name="Uten TOTP", second_factor=False)
    response = api_with(plain).get(reverse("api:me"))
    assert response.status_code == 401
    assert "second factor" in response.json()["detail"]


def test_a_disabled_users_tokens_stop_at_once(client):
    manager = user("stavanger_manager")
    _, plain = do_create_api_token(
        user=manager, name="Krisestøtte", acting_user=manager, second_factor=True
    )
    assert api_with(plain).get(reverse("api:me")).status_code == 200
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert api_with(plain).get(reverse("api:me")).status_code == 401


def test_an_administrator_makes_a_token_for_a_service_account_in_the_admin(client):
    admin = get_user_model().objects.create_superuser(
        username="tokenadmin", email="tokenadmin@test.samvirke.no", password=PASSWORD
    )
    TOTP.activate(admin, TOTP_SECRET)
    login_as(client, admin)
    service = user("drammen_staff")  # stands in for Drammen's crisis tool's account
    response = client.post(
        reverse("admin:portal_apitoken_add"),
        {"user": service.pk, "name": "Drammen krisestøtteverktøy", "days": 30},
    )
    assert response.status_code == 200
    plain = TOKEN.search(response.content.decode()).group(0)
    token = ApiToken.objects.get(user=service)
    assert token.created_by == admin and token.second_factor
    assert abs(token.expiry - (timezone.now() + timedelta(days=30))) < timedelta(minutes=1)
    assert api_with(plain).get(reverse("api:me")).json()["email"] == service.email
    listing = client.get(reverse("admin:portal_apitoken_changelist")).content.decode()
    assert "Drammen krisestøtteverktøy" in listing and plain not in listing
    assert client.get(reverse("admin:portal_apitoken_change", args=[token.pk])).status_code == 200
    assert (
        plain
        not in client.get(reverse("admin:portal_apitoken_change", args=[token.pk])).content.decode()
    )
