"""The access matrix: every URL pattern and API route, for every persona, with own and
foreign objects. The expectations are written out here, independent of the code, from the
rules in DOMAIN.md:

* reference data (the directory) is open to every signed-in user, closed to anonymous;
* a crisis contact roster is visible to its organisation and to the officers of its
  State Administrator office, and editable by its emergency managers;
* the people and roles of an organisation are visible only inside it;
* a network's memberships are edited by its coordinators;
* report forms are templates every signed-in user sees;
* a reporting round is seen by its issuer, its recipients and the officers of their
  regions; a submission by its municipality, the round's issuer and the municipality's
  office (tests/access/reporting_cases.py).

Outsiders get 404 for private objects, never 403. A route that is neither in the matrix
nor exempt (with a reason) fails ``test_every_route_is_covered``; later issues extend
ROUTES as they add views.
"""

from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from incidents.log.models import CrisisFrame
from networks.structure.models import ContactEntry, NetworkMembership, Organisation
from portal.roles import MFA_REQUIRED_ROLES as MFA_ROLES
from tests.access import aid_cases as ac
from tests.access import builder_cases as bc
from tests.access import compilation_cases as cc
from tests.access import export_cases as ec
from tests.access import hearing_cases as hc
from tests.access import incident_cases as ic
from tests.access import information_cases as inf
from tests.access import lesson_cases as lec
from tests.access import library_cases as lc
from tests.access import meeting_cases as mc
from tests.access import reporting_cases as rc
from tests.access import resource_cases as rsc
from tests.access import schedule_cases as sc
from tests.access import start_cases as stt
from tests.access import structure_cases as stc
from tests.access.routes import route_names, routes_without_name
from tests.helpers import login_as, org
from tests.personas import PERSONAS, TOTP_SECRET, user

pytestmark = pytest.mark.django_db

ALL = set(PERSONAS)
BERGEN, STAVANGER = "kommune-4601", "kommune-1103"

#: Who may see each organisation's crisis contact roster.
ROSTER_AUDIENCE = {
    BERGEN: {"bergen_manager", "bergen_reader", "vestland_officer"},
    STAVANGER: {"stavanger_manager", "rogaland_officer"},
}
#: Who may edit it.
ROSTER_EDITORS = {BERGEN: {"bergen_manager"}, STAVANGER: {"stavanger_manager"}}
#: Who may see the people and roles of the organisation.
PEOPLE_AUDIENCE = {BERGEN: {"bergen_manager", "bergen_reader"}, STAVANGER: {"stavanger_manager"}}
#: Who may edit a network's memberships.
NETWORK_EDITORS = {"snb": {"snb_coordinator"}}


def contact(slug):
    return ContactEntry.objects.filter(organisation__slug=slug).first()


@dataclass
class Case:
    """One route for one object: how to build its URL, and who gets what."""

    kwargs: dict
    visible_to: set = field(default_factory=lambda: set(ALL))  # others: 404
    allowed: set | None = None  # of those who see it, who may act (others: 403)
    method: str = "get"
    ok: tuple = (200,)  # what an allowed persona gets
    api: bool = False
    list_contains: str | None = None  # for list routes of private data: the row's uuid
    query: str = ""  # appended to the URL
    contains: str | None = None  # a page all may open that shows this text to visible_to


def directory(**kwargs):
    return lambda: [Case(kwargs=kwargs)]


def api_directory(**kwargs):
    return lambda: [Case(kwargs=kwargs, api=True)]


def roster_cases(route, method="get", ok=(200,), editors=False, with_entry=False):
    def build():
        cases = []
        for slug in (BERGEN, STAVANGER):
            kwargs = {"org_uuid": org(slug).uuid}
            if with_entry:
                kwargs["uuid"] = contact(slug).uuid
            cases.append(
                Case(
                    kwargs=kwargs,
                    visible_to=ROSTER_AUDIENCE[slug],
                    allowed=ROSTER_EDITORS[slug] if editors else None,
                    method=method,
                    ok=ok,
                )
            )
        return cases

    return build


def people_cases():
    return [
        Case(kwargs={"org_uuid": org(slug).uuid}, visible_to=PEOPLE_AUDIENCE[slug])
        for slug in (BERGEN, STAVANGER)
    ]


def contact_api_detail():
    return [
        Case(kwargs={"uuid": contact(slug).uuid}, visible_to=ROSTER_AUDIENCE[slug], api=True)
        for slug in (BERGEN, STAVANGER)
    ]


def contact_api_list():
    return [
        Case(
            kwargs={},
            api=True,
            list_contains=str(contact(slug).uuid),
            visible_to=ROSTER_AUDIENCE[slug],
        )
        for slug in (BERGEN, STAVANGER)
    ]


def membership_end():
    membership = NetworkMembership.objects.get(
        network__slug="snb", organisation__slug=BERGEN, left_on__isnull=True
    )
    return [
        Case(
            kwargs={"slug": "snb", "uuid": membership.uuid},
            allowed=NETWORK_EDITORS["snb"],
            method="post",
            ok=(302,),
        )
    ]


def a_frame():
    from django.utils import timezone

    return CrisisFrame.objects.create(
        title="Ekstremværet Test",
        type="extreme_weather",
        started_at=timezone.now(),
        owner=Organisation.objects.get(slug="dsb"),
    )


def a_report_form(api=False, query=""):
    """Report forms are templates every signed-in user sees (the seeded DSB form)."""

    def build():
        from reporting.models import ReportForm

        form = ReportForm.objects.get(owner__slug="dsb")
        return [Case(kwargs={"uuid": form.uuid}, api=api, query=query)]

    return build


#: Personas whose session has passed TOTP (tests.helpers.login_as): only they make API tokens.
TOTP_PERSONAS = {name for name, p in PERSONAS.items() if {r for _, r, _ in p.roles} & MFA_ROLES}


def own_api_token():
    """A token of Bergen's manager: only its owner may revoke it; to others it is 404."""
    from portal.tokens import do_create_api_token

    owner = user("bergen_manager")
    token, _ = do_create_api_token(
        user=owner, name="Matrise", acting_user=owner, second_factor=True
    )
    return [
        Case(
            kwargs={"uuid": token.uuid},
            visible_to={"bergen_manager"},
            method="post",
            ok=(302,),
        )
    ]


def first_uuid(model_path):
    def build():
        from django.apps import apps

        model = apps.get_model(model_path)
        return [Case(kwargs={"uuid": model.objects.order_by("pk").first().uuid}, api=True)]

    return build


ROUTES = {
    # pages: reference data
    "profile": directory(),
    # API tokens: every user sees their own list; making one needs the second factor
    "api-tokens": lambda: [
        Case(kwargs={}),
        Case(kwargs={}, allowed=TOTP_PERSONAS, method="post", ok=(400,)),  # empty form
    ],
    "api-token-revoke": own_api_token,
    "networks:office-list": directory(),
    "networks:office-detail": directory(slug="vestland"),
    "networks:county-detail": directory(number="46"),
    "networks:municipality-list": directory(),
    "networks:municipality-detail": directory(number="4601"),
    "networks:network-list": directory(),
    "networks:network-detail": directory(slug="snb"),
    "networks:council-list": directory(),
    "networks:council-detail": directory(slug="vestland"),
    "networks:map": directory(),
    "networks:network-member-add": lambda: [
        Case(kwargs={"slug": "snb"}, allowed=NETWORK_EDITORS["snb"], method="post", ok=(400,))
    ],
    "networks:network-member-end": membership_end,
    # pages: private to an organisation
    "networks:roster": roster_cases("networks:roster"),
    "networks:roster-add": roster_cases("networks:roster-add", editors=True),
    "networks:roster-edit": roster_cases("networks:roster-edit", editors=True, with_entry=True),
    "networks:roster-delete": roster_cases(
        "networks:roster-delete", method="post", ok=(302,), editors=True, with_entry=True
    ),
    "networks:people": people_cases,
    # API: reference data
    "api:root": api_directory(),
    "api:me": api_directory(),
    "api:schema": api_directory(),
    "api:docs": api_directory(),
    "api:office-list": api_directory(),
    "api:office-detail": api_directory(slug="vestland"),
    "api:county-list": api_directory(),
    "api:county-detail": api_directory(number="46"),
    "api:municipality-list": api_directory(),
    "api:municipality-detail": api_directory(number="4601"),
    "api:organisation-list": api_directory(),
    "api:organisation-detail": lambda: [Case(kwargs={"uuid": org(BERGEN).uuid}, api=True)],
    "api:network-list": api_directory(),
    "api:network-detail": api_directory(slug="snb"),
    "api:network-membership-list": api_directory(),
    "api:network-membership-detail": first_uuid("networks.NetworkMembership"),
    "api:council-list": api_directory(),
    "api:council-detail": first_uuid("networks.Council"),
    # API: private
    "api:contact-list": contact_api_list,
    "api:contact-detail": contact_api_detail,
    # pages: incidents and logs (tests/access/incident_cases.py)
    "incidents:incident-list": ic.page_contains(Case),
    "incidents:search": ic.page_contains(Case, query="?q=tiltak"),
    "incidents:my-tasks": directory(),
    "incidents:incident-create": lambda: [Case(kwargs={}, allowed=ic.WRITERS_ANYWHERE)],
    "incidents:incident-detail": ic.incident_cases(Case),
    "incidents:incident-edit": ic.incident_cases(Case, writers_only=True),
    "incidents:incident-status": ic.incident_cases(
        Case, method="post", ok=(302,), writers_only=True
    ),
    "incidents:incident-share": ic.incident_cases(
        Case,
        method="post",
        ok=(400,),
        writers_only=True,  # empty form: errors in place
    ),
    "incidents:log": ic.incident_cases(Case),
    "incidents:log-updates": ic.incident_cases(Case, ok=(200, 204)),
    "incidents:entry-create": ic.incident_cases(Case, method="post", ok=(400,), writers_only=True),
    "incidents:entry-detail": ic.incident_cases(Case, with_entry=True),
    "incidents:entry-correct": ic.incident_cases(Case, with_entry=True, writers_only=True),
    "incidents:attachment-download": ic.incident_cases(Case, obj="attachment"),
    "incidents:task-list": ic.incident_cases(Case),
    "incidents:task-create": ic.incident_cases(Case, writers_only=True),
    "incidents:task-status": ic.incident_cases(
        Case, obj="task", method="post", ok=(302,), audiences=ic.TASK_AUDIENCE
    ),
    "incidents:export": ic.incident_cases(Case),
    # pages: crisis frames (visible to every signed-in user; created by national analysts
    # and officers, changed by the owner organisation's analysts/officers)
    "incidents:frame-list": directory(),
    "incidents:frame-detail": ic.frame_detail_cases(Case),
    "incidents:frame-create": lambda: [
        Case(kwargs={}, allowed=ic.FRAME_CREATORS),
        Case(kwargs={}, allowed=ic.FRAME_CREATORS, method="post", ok=(400,)),  # empty form
    ],
    "incidents:frame-edit": lambda: [
        *ic.frame_cases(Case, changers_only=True)(),
        *ic.frame_cases(Case, method="post", ok=(400,), changers_only=True)(),
    ],
    # API: incidents and logs (tests/access/incident_cases.py)
    "api:crisis-frame-list": lambda: [
        Case(kwargs={}, api=True),
        Case(kwargs={}, api=True, allowed=ic.FRAME_CREATORS, method="post", ok=(400,)),
    ],
    "api:crisis-frame-detail": lambda: [
        Case(kwargs={"uuid": a_frame().uuid}, api=True),
        *ic.frame_cases(Case, api=True, method="patch", changers_only=True)(),
    ],
    "api:incident-list": ic.list_cases(Case, "incident"),
    "api:incident-detail": ic.incident_cases(Case, api=True),
    "api:incident-export": ic.incident_cases(Case, api=True, query="?format=csv"),
    # an office's own incident: 201; a municipality's: 400 (only an office has a region)
    "api:incident-share-with-region": ic.incident_cases(
        Case, api=True, method="post", ok=(201, 400), writers_only=True
    ),
    "api:entry-list": ic.list_cases(Case, "entry"),
    "api:entry-detail": ic.incident_cases(Case, obj="entry", api=True),
    "api:attachment-detail": ic.incident_cases(Case, obj="attachment", api=True),
    "api:share-list": ic.list_cases(Case, "share", shares=True),
    "api:task-list": ic.list_cases(Case, "task"),
    "api:task-detail": ic.incident_cases(Case, obj="task", api=True, audiences=ic.TASK_AUDIENCE),
    # reporting: report forms are visible to every signed-in user
    "reporting:form-list": directory(),
    "reporting:form-detail": lambda: [*a_report_form()(), *a_report_form(query="?version=1")()],
    "api:report-form-list": api_directory(),
    "api:report-form-detail": a_report_form(api=True),
    # reporting rounds and submissions (tests/access/reporting_cases.py)
    "reporting:round-list": rc.round_list_cases(Case),
    "reporting:round-create": lambda: [
        Case(kwargs={}, allowed=rc.ISSUERS),
        Case(kwargs={}, allowed=rc.ISSUERS, method="post", ok=(400,)),
    ],
    "reporting:round-detail": rc.round_cases(Case),
    "reporting:submission": lambda: [
        *rc.submission_cases(Case)(),
        *rc.submission_cases(Case, method="post", ok=(409,), writers=True)(),
    ],
    "api:reporting-round-list": rc.round_list_cases(Case, api=True),
    "api:reporting-round-detail": rc.round_cases(Case, api=True),
    "api:submission-list": rc.submission_list_cases(Case),
    "api:submission-detail": lambda: [
        *rc.submission_cases(Case, api=True)(),
        *rc.submission_cases(Case, api=True, method="patch", ok=(400,), writers=True)(),
    ],
    "api:submission-submit": rc.submission_cases(
        Case, api=True, method="post", ok=(412,), writers=True
    ),
    # closing rounds, recurring rounds, notifications (tests/access/schedule_cases.py)
    "reporting:round-close": sc.round_close_cases(Case),
    "api:reporting-round-close": sc.round_close_cases(Case, api=True),
    "reporting:schedule-list": sc.schedule_list_cases(Case),
    "reporting:schedule-create": lambda: [
        Case(kwargs={}, allowed=rc.ISSUERS),
        Case(kwargs={}, allowed=rc.ISSUERS, method="post", ok=(400,)),  # empty form
    ],
    "reporting:schedule-stop": sc.schedule_cases(Case, method="post", ok=(302,)),
    "api:round-schedule-list": sc.schedule_list_cases(Case, api=True),
    "api:round-schedule-detail": sc.schedule_cases(Case, api=True),
    "api:round-schedule-stop": sc.schedule_cases(Case, api=True, method="post", ok=(200,)),
    "portal:notifications": sc.notification_page_cases(Case),
    "portal:notification-read": sc.notification_cases(Case, method="post", ok=(302,)),
    "portal:notifications-read-all": lambda: [Case(kwargs={}, method="post", ok=(302,))],
    "api:notification-list": sc.notification_list_cases(Case),
    "api:notification-detail": sc.notification_cases(Case, api=True),
    "api:notification-read": sc.notification_cases(Case, api=True, method="post"),
    "api:notification-read-all": lambda: [Case(kwargs={}, api=True, method="post")],
    # a crisis tool's one-request report: an empty body is 400 for all who see the round
    "api:reporting-round-reports": rc.round_cases(Case, api=True, method="post", ok=(400,)),
    # dashboards, compilations, the published picture, review (compilation_cases.py)
    **cc.routes(Case),
    # exports, KS summaries and export jobs (export_cases.py)
    **ec.routes(Case),
    # lessons learned, their shares, exercises and the KS export (lesson_cases.py)
    **lec.routes(Case),
    # resources and assistance agreements (resource_cases.py)
    **rsc.routes(Case),
    # the library: documents, versions, files, diffs, shares, adoptions (library_cases.py)
    **lc.routes(Case),
    # mutual aid: requests, offers, the regional overview, joint procurement (aid_cases.py)
    **ac.routes(Case),
    # comment rounds and action cards (hearing_cases.py)
    **hc.routes(Case),
    # county preparedness councils and neighbour pairs (structure_cases.py)
    **stc.routes(Case),
    # information down: messages, receipts, questions (information_cases.py)
    **inf.routes(Case),
    # the form builder (builder_cases.py)
    **bc.routes(Case),
    # meetings: kommunemøter, replies, minutes, follow-ups (meeting_cases.py)
    **mc.routes(Case),
    **stt.routes(Case),  # the start page «Nå»
}

#: Routes outside the matrix, each with the reason and where it is tested instead.
EXEMPT_PREFIXES = {
    "account_": "allauth's authentication flows: tests/portal/test_auth.py",
    "mfa_": "allauth's second-factor flows: tests/portal/test_auth.py",
    "admin:": "Django admin, superusers only: tests/portal/test_auth.py",
}
EXEMPT = {
    "set_language": "language switch, no data: tests/portal/test_i18n.py",
}


def is_exempt(name):
    return name in EXEMPT or name.startswith(tuple(EXEMPT_PREFIXES))


def test_every_route_is_covered():
    uncovered = sorted(n for n in route_names() if n and n not in ROUTES and not is_exempt(n))
    assert uncovered == [], f"routes missing from the access matrix: {uncovered}"
    unnamed = [r for r in routes_without_name() if not r.startswith("admin/")]
    assert unnamed == [], f"routes without a name cannot be checked: {unnamed}"
    stale = sorted(set(ROUTES) - route_names())
    assert stale == [], f"matrix names routes that no longer exist: {stale}"


def expected_status(case, persona):
    if persona == "anonymous":
        return {401, 403} if case.api else {302}
    if persona not in case.visible_to:
        return {404}
    if case.allowed is not None and persona not in case.allowed:
        return {403}
    return set(case.ok)


def check_case(route, persona, client, case):
    """What is wrong with ``persona``'s answer to one case of ``route`` (nothing: [])."""
    url = reverse(route, kwargs=case.kwargs) + case.query
    response = getattr(client, case.method)(url)
    where = f"{persona} {case.method.upper()} {url}"
    if case.contains is not None and persona != "anonymous":
        if response.status_code != 200:
            return [f"{where}: {response.status_code}, expected 200"]
        shown = case.contains in response.content.decode()
        if shown != (persona in case.visible_to):
            return [f"{where}: {case.contains!r} {'shown' if shown else 'not shown'}"]
        return []
    if case.list_contains is not None and persona != "anonymous":
        if response.status_code != 200:
            return [f"{where}: {response.status_code}, expected 200"]
        listed = case.list_contains in {row["id"] for row in response.json()["results"]}
        if listed != (persona in case.visible_to):
            return [f"{where}: {case.list_contains} {'listed' if listed else 'not listed'}"]
        return []
    expected = expected_status(case, persona)
    if response.status_code not in expected:
        return [f"{where}: {response.status_code}, expected {expected}"]
    login = reverse("account_login")
    if persona == "anonymous" and not case.api and not response["Location"].startswith(login):
        return [f"{where}: sent to {response['Location']}, not to the log-in"]
    return []


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_access(route):
    """Every persona, and an anonymous visitor, on every case of the route. The route's
    objects are built once; each persona's requests run in a savepoint rolled back after
    them, so every persona meets the objects exactly as built (as a test of its own
    would). Every wrong answer is reported, not only the first."""
    cases = ROUTES[route]()
    wrong = []
    for persona in [*sorted(ALL), "anonymous"]:
        client = Client()
        if persona != "anonymous":
            login_as(client, user(persona))
        with transaction.atomic():
            for case in cases:
                wrong.extend(check_case(route, persona, client, case))
            transaction.set_rollback(True)
    assert not wrong, f"{route}:\n" + "\n".join(wrong)


# --- password-only sessions of those who must use TOTP (issue 10) --------------------------


def must_use_totp_without_the_step(kind):
    """A user who must use TOTP, logged in with the password but not the TOTP step: a
    persona with a TOTP role, a superuser (no role), or an officer who has not set TOTP
    up yet. Returns the user and where the portal must send them."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    from portal.models import RoleAssignment

    User = get_user_model()
    if kind in PERSONAS:
        return user(kind), reverse("mfa_reauthenticate")
    if kind == "superuser":
        admin = User.objects.create_superuser(
            username="matrix_root", email="matrix_root@test.samvirke.no", password="x" * 16
        )
        TOTP.activate(admin, TOTP_SECRET)
        return admin, reverse("mfa_reauthenticate")
    officer = User.objects.create_user(
        username="matrix_officer", email="matrix_officer@test.samvirke.no", password="x" * 16
    )
    RoleAssignment.objects.create(
        user=officer, organisation=org("statsforvalteren-agder"), role="officer"
    )
    return officer, reverse("mfa_activate_totp")


PASSWORD_ONLY_KINDS = [*sorted(TOTP_PERSONAS), "superuser", "officer_without_totp"]


def test_a_password_only_session_gets_nothing_but_the_second_factor():
    """Every route the matrix knows, and the admin: no page, no partial, no API answer;
    pages send to the TOTP step (or its set-up), the API answers 403 with the reason.
    Each route's objects are built once and walked by every kind of password-only session
    (every TOTP persona, a superuser, an officer without TOTP), each with its own client."""
    sessions = []
    for kind in PASSWORD_ONLY_KINDS:
        account, step = must_use_totp_without_the_step(kind)
        sessions.append((kind, login_as(Client(), account, mfa=False), step))
    walked = 0
    for route in sorted(ROUTES):
        # each route's objects in a savepoint of their own: the builders expect a fresh
        # database, as in test_access
        with transaction.atomic():
            for case in ROUTES[route]():
                url = reverse(route, kwargs=case.kwargs) + case.query
                for kind, client, step in sessions:
                    for htmx in (False,) if url.startswith("/api/") else (False, True):
                        headers = {"HX-Request": "true"} if htmx else {}
                        response = getattr(client, case.method)(url, headers=headers)
                        where = f"{kind} {case.method.upper()} {url} htmx={htmx}"
                        if url.startswith("/api/"):
                            assert response.status_code == 403, (where, response.status_code)
                            assert "TOTP" in response.json()["detail"], where
                        elif htmx:
                            assert response["HX-Redirect"].startswith(step), where
                            assert response.content == b"", where
                        else:
                            assert response.status_code == 302, (where, response.status_code)
                            assert response["Location"].startswith(step), where
                        walked += 1
            transaction.set_rollback(True)
    for kind, client, step in sessions:
        for url in ("/admin/", "/admin/portal/user/", reverse("admin:portal_apitoken_add")):
            response = client.get(url)
            assert response.status_code == 302 and response["Location"].startswith(step), (
                kind,
                url,
            )
        # the step itself is reachable
        assert client.get(step).status_code in (200, 302), kind
    assert walked > 2 * len(ROUTES) * len(sessions)
