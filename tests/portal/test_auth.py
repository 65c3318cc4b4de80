"""Authentication: allauth login by e-mail, closed sign-up, rate limiting, password reset,
the TOTP second factor that officers, national analysts and administrators must use,
and the Django admin for administrators only."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from networks.models import Network, Organisation
from portal.models import RoleAssignment
from tests.personas import PASSWORD, PERSONAS, TOTP_SECRET, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the test Redis database only (settings.REDIS_URL under test)


def totp_now(secret=TOTP_SECRET):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def login_post(client, name, password=PASSWORD):
    return client.post(
        reverse("account_login"), {"login": PERSONAS[name].email, "password": password}
    )


def test_login_with_email_and_password(client):
    response = login_post(client, "bergen_manager")
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_is_refused_in_norwegian(client):
    response = login_post(client, "bergen_manager", password="feil-passord-123")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "passord" in response.content.decode().lower()


def test_login_is_rate_limited(client):
    for _ in range(5):
        login_post(client, "drammen_staff", password="feil-passord-123")
    response = login_post(client, "drammen_staff")  # even the right password, for now
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_nobody_can_sign_up(client):
    before = get_user_model().objects.count()
    client.post(
        reverse("account_signup"),
        {
            "email": "ny@example.no",
            "password1": "Et-langt-passord-9",
            "password2": "Et-langt-passord-9",
        },
    )
    assert get_user_model().objects.count() == before


def test_password_reset_sends_an_email(client):
    response = client.post(
        reverse("account_reset_password"), {"email": PERSONAS["bergen_manager"].email}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert PERSONAS["bergen_manager"].email in mail.outbox[0].to


def test_officer_must_pass_the_second_factor(client):
    response = login_post(client, "vestland_officer")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_officer_without_totp_is_sent_to_set_it_up(client):
    officer = get_user_model().objects.create_user(
        username="new_officer", email="ny.saksbehandler@test.samvirke.no", password=PASSWORD
    )
    RoleAssignment.objects.create(
        user=officer,
        organisation=Organisation.objects.get(slug="statsforvalteren-agder"),
        role="officer",
    )
    client.force_login(officer)
    response = client.get(reverse("networks:municipality-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_municipal_roles_may_turn_totp_on_but_need_not(client):
    client.force_login(user("bergen_manager"))
    assert client.get(reverse("home")).status_code == 200
    # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_admin_is_for_superusers_only(client):
    client.force_login(user("bergen_manager"))
    assert client.get("/admin/").status_code == 302
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@test.samvirke.no", password=PASSWORD
    )
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200


def test_every_admin_page_renders_for_a_superuser(client):
    admin = get_user_model().objects.create_superuser(
        username="root2", email="root2@test.samvirke.no", password=PASSWORD
    )
    client.force_login(admin)
    for model in (
        "portal/user",
        "networks/organisation",
        "networks/municipality",
        "networks/network",
        "networks/council",
        "networks/contactentry",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model
    snb = Network.objects.get(slug="snb")
    assert client.get(f"/admin/networks/network/{snb.pk}/change/").status_code == 200


def test_staff_without_superuser_is_kept_out_of_the_admin(client):
    staff = get_user_model().objects.create_user(
        username="staff", email="staff@test.samvirke.no", password=PASSWORD, is_staff=True
    )
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
