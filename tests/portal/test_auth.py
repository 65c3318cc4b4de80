"""Authentication: allauth login by e-mail, closed sign-up, rate limiting (per client,
behind a proxy), password reset, the TOTP second factor that officers, national analysts,
administrators and every superuser or staff user must pass in each session, and the
Django admin for administrators only, logged in through the portal's own log-in page."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache, caches
from django.urls import reverse

from networks.structure.models import Network, Organisation
from portal.models import RoleAssignment
from tests.helpers import login_as, totp_now
from tests.personas import PASSWORD, PERSONAS, TOTP_SECRET, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the test Redis database only (settings.REDIS_URL under test)
    caches["ratelimit"].clear()  # allauth's counters (the database cache)


def make_superuser(name, *, totp=True):
    admin = get_user_model().objects.create_superuser(
        username=name, email=f"{name}@test.samvirke.no", password=PASSWORD
    )
    if totp:
        TOTP.activate(admin, TOTP_SECRET)
    return admin


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
    login_as(client, officer)
    response = client.get(reverse("networks:municipality-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_municipal_roles_may_turn_totp_on_but_need_not(client):
    login_as(client, user("bergen_manager"))
    assert client.get(reverse("home")).status_code == 200
    # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200


def test_admin_is_for_superusers_only(client):
    login_as(client, user("bergen_manager"))
    assert client.get("/admin/").status_code in (302, 403)
    login_as(client, make_superuser("root"))
    assert client.get("/admin/").status_code == 200


def test_every_admin_page_renders_for_a_superuser(client):
    login_as(client, make_superuser("root2"))
    for model in (
        "portal/user",
        "networks/organisation",
        "networks/municipality",
        "networks/network",
        "networks/council",
        "networks/contactentry",
        "portal/apitoken",
    ):
        assert client.get(f"/admin/{model}/").status_code == 200, model
    snb = Network.objects.get(slug="snb")
    assert client.get(f"/admin/networks/network/{snb.pk}/change/").status_code == 200


def test_staff_without_superuser_is_kept_out_of_the_admin(client):
    staff = get_user_model().objects.create_user(
        username="staff", email="staff@test.samvirke.no", password=PASSWORD, is_staff=True
    )
    TOTP.activate(staff, TOTP_SECRET)
    login_as(client, staff)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/admin/login/").status_code == 403


# --- the second factor, per session (issue 10) ---------------------------------------------


def make_officer_without_totp(username="new_officer2"):
    officer = get_user_model().objects.create_user(
        username=username, email=f"{username}@test.samvirke.no", password=PASSWORD
    )
    RoleAssignment.objects.create(
        user=officer,
        organisation=Organisation.objects.get(slug="statsforvalteren-agder"),
        role="officer",
    )
    return officer


def test_password_only_session_of_an_officer_with_totp_reaches_nothing(client):
    """A session that has the officer's password but not the TOTP step (a session from
    before the officer's role, or the admin's old log-in form) counts as not logged in."""
    login_as(client, user("vestland_officer"), mfa=False)
    page = client.get(reverse("networks:municipality-list"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("mfa_reauthenticate"))
    partial = client.get(reverse("networks:municipality-list"), headers={"HX-Request": "true"})
    assert partial["HX-Redirect"].startswith(reverse("mfa_reauthenticate"))
    assert partial.content == b""
    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    assert "TOTP" in api.json()["detail"]
    assert client.get(reverse("api:root"), headers={"Accept": "text/html"}).status_code == 403
    # the TOTP step at the reauthentication page makes the session whole
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_now()})
    assert response.status_code == 302
    assert client.get(reverse("networks:municipality-list")).status_code == 200
    assert client.get(reverse("api:me")).status_code == 200


def test_superuser_without_any_role_must_pass_the_second_factor(client):
    admin = make_superuser("root3")
    login_as(client, admin, mfa=False)
    for url in ("/admin/", reverse("home"), reverse("api:me")):
        assert client.get(url).status_code in (302, 403), url
    login_as(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("api:me")).status_code == 200


def test_superuser_without_totp_is_sent_to_set_it_up(client):
    login_as(client, make_superuser("root4", totp=False))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_user_must_pass_the_second_factor(client):
    staff = get_user_model().objects.create_user(
        username="staff2", email="staff2@test.samvirke.no", password=PASSWORD, is_staff=True
    )
    login_as(client, staff)
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_officer_without_totp_reaches_only_the_set_up_page_and_log_out(client, english):
    login_as(client, make_officer_without_totp())
    for url in (
        reverse("home"),
        reverse("profile"),
        reverse("account_change_password"),
        reverse("account_email"),
        reverse("mfa_index"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("mfa_activate_totp")), url
    api = client.get(reverse("api:municipality-list"))
    assert api.status_code == 403
    assert "has not been set up" in api.json()["detail"]
    assert client.get(reverse("mfa_activate_totp"), follow=True).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_setting_up_totp_counts_as_passing_it(client):
    """The real flow: the password at allauth's log-in, then the set-up page with a code
    from the new authenticator; the same session then reaches the portal."""
    make_officer_without_totp("new_officer3")
    client.post(
        reverse("account_login"), {"login": "new_officer3@test.samvirke.no", "password": PASSWORD}
    )
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before a factor is added
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("home")).status_code == 302  # the password is not the factor
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_who_must_use_totp_cannot_turn_it_off(client):
    login_as(client, user("rogaland_officer"))
    # allauth asks for the factor again before it is removed: give it
    client.post(reverse("mfa_reauthenticate"), {"code": totp_now()})
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form again, with the refusal
    assert user("rogaland_officer").authenticator_set.filter(type="totp").exists()


def test_admin_log_in_goes_through_the_portal_log_in(client):
    admin = make_superuser("root5")
    response = client.get("/admin/login/?next=/admin/portal/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=%2Fadmin%2Fportal%2Fuser%2F" in response["Location"]
    # the admin's own form would log in with the password alone: it is gone
    response = client.post(
        "/admin/login/", {"username": admin.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # the portal's log-in: password, the TOTP step, then back to the admin
    response = client.post(
        reverse("account_login"), {"login": admin.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_disabled_users_session_stops_at_once(client):
    officer = user("vestland_officer")
    login_as(client, officer)
    assert client.get(reverse("home")).status_code == 200
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("api:me")).status_code in (401, 403)


def test_a_password_change_ends_the_other_sessions(client):
    from django.test import Client

    other = Client()
    login_as(client, user("stavanger_manager"))
    login_as(other, user("stavanger_manager"))
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "Nytt-passord-2026!",
            "password2": "Nytt-passord-2026!",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session goes on
    assert client.get(reverse("home")).status_code == 200
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- rate limits that see the client behind the proxy (issue 10) --------------------------


def test_failed_log_ins_from_one_client_do_not_lock_out_another(client, settings):
    """Behind the TLS proxy every request comes from its address; with the trusted proxy
    count set (SAMVIRKE_TRUSTED_PROXY_COUNT) the limit counts per client instead."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache
    from django.core.cache.backends.redis import RedisCache

    from portal.settings import client_ip_settings

    assert isinstance(caches["default"], RedisCache)
    assert isinstance(caches["ratelimit"], DatabaseCache)  # allauth's counters: PostgreSQL
    # what docker-compose.yml's environment gives (one proxy of ours)
    settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = (
        client_ip_settings({"SAMVIRKE_TRUSTED_PROXY_COUNT": "1"})
    )
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(11):
        client.post(
            reverse("account_login"),
            {"login": f"gjetting{n}@test.samvirke.no", "password": "feil-passord-123"},
            headers=attacker,
        )
    refused = client.post(
        reverse("account_login"),
        {"login": PERSONAS["bergen_manager"].email, "password": PASSWORD},
        headers=attacker,
    )
    assert "_auth_user_id" not in client.session  # the attacker's address is limited
    assert refused.status_code in (200, 429)
    from django.test import Client

    colleague = Client()
    response = colleague.post(
        reverse("account_login"),
        {"login": PERSONAS["bergen_manager"].email, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.20"},
    )
    assert response.status_code == 302
    assert colleague.get(reverse("home")).status_code == 200


def test_log_in_works_and_is_still_limited_while_redis_is_gone(client, settings):
    """Redis stopped: the cache answers connection refused. allauth's counters are in the
    database cache, so a person still logs in and a guesser is still stopped."""
    from django.test import Client

    dead = dict(settings.CACHES)
    dead["default"] = {
        **settings.CACHES["default"],
        "LOCATION": "unix:///nonexistent/samvirke-redis-gone.sock",
    }
    settings.CACHES = dead
    response = client.post(
        reverse("account_login"),
        {"login": PERSONAS["bergen_manager"].email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    guesser = Client()
    for n in range(11):
        guesser.post(
            reverse("account_login"),
            {"login": f"gjetting{n}@test.samvirke.no", "password": "feil-passord-123"},
        )
    refused = guesser.post(
        reverse("account_login"),
        {"login": PERSONAS["bergen_manager"].email, "password": PASSWORD},
    )
    assert refused.status_code in (200, 429)
    assert "_auth_user_id" not in guesser.session
