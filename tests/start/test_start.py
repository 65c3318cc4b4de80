"""The start page «Nå» (issue 13 part 1): every block with data and without, the blocks
of each role, the page and the API face, and a query count that does not grow."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from networks.aid.actions.offers import do_make_offer
from networks.information.models import MessageRecipient
from networks.library import actions as la
from networks.structure.models import Office
from portal.models import Notification
from reporting import actions
from reporting.models import ExportJob, ReportForm, Submission
from tests.access import aid_cases as ac
from tests.access import incident_cases as ic
from tests.access import information_cases as inf
from tests.access import library_cases as lc
from tests.access import meeting_cases as mc
from tests.helpers import api, html, org, query_count
from tests.personas import user
from tests.reporting.test_rounds import VALID, vestland_round

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"

#: The blocks each kind of persona gets, in order (a section per role, then notices).
MUNICIPAL = [
    "open_rounds", "tasks", "aid_to_us", "unread_messages", "active_incidents",
    "shared_entries", "new_pictures", "our_aid_requests", "newer_versions",
]  # fmt: skip
OFFICE = ["region_rounds", "unacknowledged", "region_aid", "shared_with_office", "next_meeting"]
NATIONAL = ["forwarded_pictures", "issued_rounds"]
KS = ["latest_pictures", "exports"]


def start(persona):
    response = api(persona).get("/api/v1/start/")
    assert response.status_code == 200
    return response.json()


def blocks(persona):
    return {b["key"]: b for s in start(persona) for b in s["blocks"]}


def titles(persona, key):
    return [item["title"] for item in blocks(persona)[key]["items"]]


@pytest.mark.parametrize(
    ("persona", "keys"),
    [
        ("bergen_manager", MUNICIPAL),
        ("bergen_reader", MUNICIPAL),
        ("vestland_officer", OFFICE),
        ("dsb_analyst", NATIONAL),
        ("ks_analyst", KS),
        ("nobody", []),
        ("vest_police_liaison", []),
    ],
)
def test_each_role_gets_its_blocks_and_each_says_when_it_is_empty(login, client, persona, keys):
    """Without data (the reference data has no rounds, messages, incidents, requests or
    adoptions): every block is there, empty, and the page says so in words."""
    sections = start(persona)
    got = [b["key"] for s in sections for b in s["blocks"]]
    assert got == [*keys, "notices"]
    login(persona)
    page = html(client.get("/"))
    for block in (b for s in sections for b in s["blocks"]):
        if block["key"] == "next_meeting" and block["items"]:
            continue  # the demo meetings lie ahead
        assert block["items"] == [] and block["total"] == 0, block["key"]
        assert block["empty"] in page, block["key"]
    assert "Your organisations and roles" in page or "Dine organisasjoner og roller" in page


def test_a_user_with_several_roles_sees_the_blocks_of_each():
    from portal.models import RoleAssignment

    RoleAssignment.objects.create(user=user("ks_analyst"), organisation=org(BERGEN), role="reader")
    got = [s["role"] for s in start("ks_analyst")]
    assert got == ["municipality", "ks", "all"]


def test_open_round_with_deadline_and_our_state_one_click_to_the_form(login, client):
    round_ = vestland_round()
    mine = Submission.objects.get(round=round_, municipality__slug=BERGEN)
    (item,) = blocks("bergen_manager")["open_rounds"]["items"]
    assert (item["title"], item["state"]) == ("Flom i Vestland", "not_started")
    assert item["url"] == f"/rapportering/innsendinger/{mine.uuid}/"
    assert datetime.fromisoformat(item["when"]) == round_.deadline  # ISO 8601
    assert item["when_label"] == "Frist"
    login("bergen_manager")
    page = html(client.get("/"))
    assert "Flom i Vestland" in page and f'href="{item["url"]}"' in page

    mine = actions.do_save_draft(
        mine, VALID, expected_version=mine.version, acting_user=user("bergen_manager")
    )
    assert blocks("bergen_manager")["open_rounds"]["items"][0]["state"] == "draft"
    actions.do_submit(mine, expected_version=mine.version, acting_user=user("bergen_manager"))
    assert blocks("bergen_manager")["open_rounds"]["items"][0]["state"] == "submitted"
    # Stavanger is not in the round; a closed round leaves the page
    assert blocks("stavanger_manager")["open_rounds"]["items"] == []
    actions.do_close_round(round_, acting_user=user("vestland_officer"))
    assert blocks("bergen_manager")["open_rounds"]["items"] == []


def test_a_round_past_its_deadline_is_late():
    round_ = vestland_round()
    round_.deadline = timezone.now() - timedelta(hours=1)
    round_.save()
    assert blocks("bergen_manager")["open_rounds"]["items"][0]["state"] == "late"


def test_the_office_sees_the_regions_rounds_with_counts_and_unacknowledged_submissions():
    round_ = vestland_round()
    (item,) = blocks("vestland_officer")["region_rounds"]["items"]
    assert item["url"] == f"/rapportering/runder/{round_.uuid}/oversikt/"
    n = Submission.objects.filter(round=round_).count()
    assert item["detail"].startswith("0 ") and f"{n} " in item["detail"]
    assert blocks("rogaland_officer")["region_rounds"]["items"] == []
    assert blocks("vestland_officer")["unacknowledged"]["items"] == []

    mine = Submission.objects.get(round=round_, municipality__slug=BERGEN)
    actions.do_submit(
        mine, expected_version=mine.version, acting_user=user("bergen_manager"), answers=VALID
    )
    office = blocks("vestland_officer")
    assert office["region_rounds"]["items"][0]["detail"].startswith("1 ")
    assert [i["title"] for i in office["unacknowledged"]["items"]] == ["Bergen kommune"]
    actions.do_acknowledge(mine, acting_user=user("vestland_officer"))
    assert blocks("vestland_officer")["unacknowledged"]["items"] == []


def test_published_pictures_for_us_and_forwarded_ones_for_the_nation():
    from tests.access.compilation_cases import _compilations

    regional, rogaland, _national = _compilations()
    # Rogaland's published picture of the SNB round: Stavanger (SNB, Rogaland) sees it
    assert titles("stavanger_manager", "new_pictures") == ["Matrise: SNB"]
    assert titles("bergen_manager", "new_pictures") == []  # not Bergen's region
    assert titles("ks_analyst", "latest_pictures") == ["Matrise: SNB"]
    assert titles("dsb_analyst", "forwarded_pictures") == []
    actions.do_forward_compilation(rogaland, acting_user=user("rogaland_officer"))
    assert titles("dsb_analyst", "forwarded_pictures") == ["Matrise: SNB"]
    assert titles("dsb_analyst", "issued_rounds") == ["Matrise: SNB"]
    assert titles("vestland_officer", "region_rounds") == [
        "Matrise: Vestland",
        "Matrise: SNB",
    ]


def test_unread_information_and_notices():
    message = inf.make_message()
    assert titles("bergen_manager", "unread_messages") == [message.title]
    assert titles("drammen_staff", "unread_messages") == []  # Øst was not sent it
    MessageRecipient.objects.filter(message=message, organisation=org(BERGEN)).update(
        read_at=timezone.now(), read_by=user("bergen_manager")
    )
    assert titles("bergen_manager", "unread_messages") == []

    Notification.objects.create(
        recipient=user("bergen_manager"), event_key="t", kind="reminder", title="Frist i morgen"
    )
    assert titles("bergen_manager", "notices")[0] == "Frist i morgen"  # the newest first
    assert "Frist i morgen" not in titles("bergen_reader", "notices")


def test_tasks_and_meeting_follow_ups_due():
    ic._build(BERGEN, "bergen_manager", "Delt flom", "snb")
    assert titles("bergen_manager", "tasks") == ["Skaff sandsekker"]
    assert titles("stavanger_manager", "tasks") == []
    follow_up = mc.make_follow_up()
    assert follow_up.title in titles("hole_manager", "tasks")
    assert follow_up.title not in titles("bergen_manager", "tasks")


def test_assistance_requests_to_us_and_our_own():
    request = ac.make_request()  # Stavanger asks Bergen (and its office)
    assert titles("bergen_manager", "aid_to_us") == [request.title]
    assert titles("stavanger_manager", "aid_to_us") == []
    (own,) = blocks("stavanger_manager")["our_aid_requests"]["items"]
    assert own["state"] == "open" and own["detail"].startswith("0 ")
    assert titles("rogaland_officer", "region_aid") == [request.title]
    assert titles("vestland_officer", "region_aid") == []
    do_make_offer(
        request, offerer=org(BERGEN), acting_user=user("bergen_manager"), quantity=4, note=""
    )
    assert titles("bergen_manager", "aid_to_us") == []  # answered
    assert blocks("stavanger_manager")["our_aid_requests"]["items"][0]["detail"].startswith("1 ")


def test_active_incidents_with_latest_entry_and_what_is_shared_with_us():
    ic._build(BERGEN, "bergen_manager", "Delt flom", "snb")
    (incident,) = blocks("bergen_manager")["active_incidents"]["items"]
    assert incident["title"] == "Delt flom" and "Delt flom: tiltak" in incident["detail"]
    assert blocks("bergen_manager")["shared_entries"]["items"] == []  # our own
    assert titles("stavanger_manager", "shared_entries") == ["Delt flom"]  # SNB
    assert titles("vestland_officer", "shared_with_office") == ["Delt flom"]  # in line
    assert titles("drammen_staff", "shared_entries") == []
    assert blocks("stavanger_manager")["active_incidents"]["items"] == []


def test_adopted_documents_with_a_newer_version():
    adoption = lc._adoption()  # Sandnes adopts Stavanger's regulation
    adopter = adoption.adopted_by
    assert titles(adopter, "newer_versions") == []
    la.do_new_version(
        adoption.source,
        acting_user=user("stavanger_manager"),
        title=adoption.source.title,
        body="§ 1 Formål (endret)",
    )
    assert titles(adopter, "newer_versions") == [adoption.copy.title]
    assert titles("stavanger_manager", "newer_versions") == []


def test_the_next_meeting_and_our_exports():
    meeting = mc.make_meeting(
        title="Kommunemøte – neste", starts_at=timezone.now() + timedelta(minutes=5)
    )
    assert titles("oest_officer", "next_meeting") == [meeting.title]  # the soonest
    assert meeting.title not in titles("vestland_officer", "next_meeting")
    ExportJob.objects.create(requested_by=user("ks_analyst"), kind="ks_summary_pdf", params={})
    assert blocks("ks_analyst")["exports"]["total"] == 1
    assert "exports" not in blocks("dsb_analyst")


def a_round(title):
    return actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=ReportForm.objects.get(owner__slug="dsb"),
        title=title,
        deadline=timezone.now() + timedelta(days=1),
        offices=[Office.objects.get(slug="vestland")],
    )


def _grow():
    """More of everything the blocks read."""
    for n in range(3):
        a_round(f"Runde {n}")
        inf.make_message(title=f"Melding {n}")
        ic._build(BERGEN, "bergen_manager", f"Flom {n}", "snb")
        ac.make_request(title=f"Pumper {n}")
        Notification.objects.create(
            recipient=user("bergen_manager"), event_key=f"g{n}", kind="reminder", title=f"V{n}"
        )
        ExportJob.objects.create(requested_by=user("ks_analyst"), kind="ks_summary_pdf", params={})
        mc.make_follow_up()  # for Hole


@pytest.mark.parametrize(
    "persona",
    [
        "bergen_manager",
        "hole_manager",
        "vestland_officer",
        "rogaland_officer",
        "dsb_analyst",
        "ks_analyst",
    ],
)
def test_the_query_count_does_not_grow_with_the_data(login, client, persona):
    login(persona)
    a_round("Runde")
    ic._build(BERGEN, "bergen_manager", "Flom", "snb")
    small = (query_count(client, "/"), query_count(client, "/api/v1/start/"))
    _grow()
    large = (query_count(client, "/"), query_count(client, "/api/v1/start/"))
    assert large == small
    assert blocks(persona)  # and the blocks are filled
