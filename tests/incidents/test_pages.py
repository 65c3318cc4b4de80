"""The incident pages: forms, status changes, the crisis log (quick entry, corrections,
live updates, attachments), search, tasks, and constant query counts."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from incidents.log import actions
from incidents.log.models import (
    Attachment,
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentStatus,
    LogEntry,
    Task,
    TaskStatus,
)
from networks.structure.models import Municipality, Organisation
from tests.helpers import html, query_count
from tests.incidents.factories import make_incident, write
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Attachments go to a temporary directory, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path


def bergen_incident(**fields):
    return make_incident(owner_slug=BERGEN, author="bergen_manager", **fields)


def bergen_write(incident, text="Vannstanden stiger", **fields):
    return write(incident, text, author="bergen_manager", **fields)


def entry_post(incident, **fields):
    data = {"kind": EntryKind.INFORMATION, "text": "Vannstanden stiger", "occurred_at": ""}
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    data["occurred_at"] = data["occurred_at_initial"] = now
    data.update(fields)
    return reverse("incidents:entry-create", args=[incident.uuid]), data


def entry_item(body, entry):
    """The <li> of one entry in a page."""
    match = re.search(rf'<li id="entry-{entry.uuid}".*?</li>', body, re.S)
    assert match, f"entry {entry.uuid} not on the page"
    return match.group(0)


# --- incidents: create, edit, status, list ---------------------------------------------


def test_create_an_incident_through_the_form(login):
    client = login("bergen_manager")
    page = client.get(reverse("incidents:incident-create"))
    assert page.status_code == 200
    bergen = Municipality.objects.get(number="4601")
    response = client.post(
        reverse("incidents:incident-create"),
        {
            "owner": Organisation.objects.get(slug=BERGEN).pk,
            "title": "Skred på Fjøsanger",
            "type": "landslide",
            "severity": "high",
            "started_at": "2026-03-01T08:15",
            "description": "Jordskred over **fylkesvei 582**.",
            "crisis_management_active": "on",
            "affected": [bergen.pk],
        },
    )
    incident = Incident.objects.get(title="Skred på Fjøsanger")
    assert response.status_code == 302
    assert response["Location"] == reverse("incidents:log", args=[incident.uuid])
    assert incident.owner.slug == BERGEN
    assert incident.crisis_management_active and incident.severity == "high"
    assert timezone.localtime(incident.started_at).strftime("%d.%m %H:%M") == "01.03 08:15"
    assert list(incident.affected_municipalities.all()) == [bergen]
    detail = html(client.get(reverse("incidents:incident-detail", args=[incident.uuid])))
    assert "Skred på Fjøsanger" in detail and "<strong>fylkesvei 582</strong>" in detail


def test_form_errors_in_place_and_nothing_saved(login):
    client = login("bergen_manager")
    before = Incident.objects.count()
    response = client.post(
        reverse("incidents:incident-create"),
        {"owner": Organisation.objects.get(slug=BERGEN).pk, "title": "", "type": "flood"},
        **HTMX,
    )
    assert response.status_code == 400
    body = html(response)
    assert "<html" not in body  # the form partial, swapped in place
    assert "Dette feltet er påkrevd" in body
    assert Incident.objects.count() == before


def test_affected_municipalities_are_the_region_and_neighbours_only(login):
    client = login("bergen_manager")
    body = html(client.get(reverse("incidents:incident-create")))
    assert "Bjørnafjorden" in body  # a neighbour
    assert "Sogndal" in body  # the same State Administrator region
    assert "Stavanger" not in body
    oslo = Municipality.objects.get(number="0301")
    response = client.post(
        reverse("incidents:incident-create"),
        {
            "title": "Feil",
            "type": "flood",
            "severity": "low",
            "started_at": "2026-03-01T08:15",
            "affected": [oslo.pk],
        },
    )
    assert response.status_code == 400


def test_only_emergency_managers_and_crisis_staff_create(login):
    assert login("bergen_reader").get(reverse("incidents:incident-create")).status_code == 403


def test_status_transitions_and_history(login):
    incident = bergen_incident()
    client = login("bergen_manager")
    url = reverse("incidents:incident-status", args=[incident.uuid])
    for status in (IncidentStatus.MONITORING, IncidentStatus.CLOSED, IncidentStatus.ACTIVE):
        assert client.post(url, {"status": status}).status_code == 302
        incident.refresh_from_db()
        assert incident.status == status
    assert incident.ended_at is None  # reopened
    client.post(url, {"status": IncidentStatus.CLOSED})
    response = client.post(url, {"status": IncidentStatus.MONITORING}, follow=True)
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED
    assert "kan ikke gå fra" in html(response)
    detail = html(client.get(reverse("incidents:incident-detail", args=[incident.uuid])))
    assert "Aktiv → Overvåking" in detail
    assert "Overvåking → Avsluttet" in detail
    assert user("bergen_manager").get_full_name() in detail or "Bergen" in detail


def test_edit_form_changes_facts_through_the_action(login):
    incident = bergen_incident(title="Flom")
    client = login("bergen_manager")
    url = reverse("incidents:incident-edit", args=[incident.uuid])
    assert client.get(url).status_code == 200
    data = {
        "title": "Flom i Bergen sentrum",
        "type": "flood",
        "severity": "critical",
        "started_at": timezone.localtime(incident.started_at).strftime("%Y-%m-%dT%H:%M"),
    }
    assert client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.severity) == ("Flom i Bergen sentrum", "critical")
    assert login("bergen_reader").get(url).status_code == 403
    assert login("stavanger_manager").get(url).status_code == 404


def test_list_groups_by_frame_and_labels_exercises(login):
    frame = CrisisFrame.objects.create(
        title="Øvelse Vestland",
        type="flood",
        owner=Organisation.objects.get(slug="statsforvalteren-vestland"),
        started_at=timezone.now(),
        is_exercise=True,
    )
    bergen_incident(title="Øvingsflom", frame=frame)
    bergen_incident(title="Ekte strømbrudd", type="power_outage")
    body = html(login("bergen_manager").get(reverse("incidents:incident-list")))
    assert body.index("Øvelse Vestland") < body.index("Øvingsflom")
    assert "exercise-badge" in body
    assert Incident.objects.get(title="Øvingsflom").is_exercise  # the frame makes it one
    assert 'href="/hendelser/ny/"' in body
    real = html(login("bergen_manager").get(reverse("incidents:incident-list"), {"exercise": "no"}))
    assert "Ekte strømbrudd" in real and "Øvingsflom" not in real
    reader = html(login("bergen_reader").get(reverse("incidents:incident-list")))
    assert "Øvingsflom" in reader and 'href="/hendelser/ny/"' not in reader
    assert "Øvingsflom" not in html(
        login("stavanger_manager").get(reverse("incidents:incident-list"))
    )


def test_share_form_opens_the_incident_to_the_office(login):
    incident = bergen_incident(title="Delt flom")
    office = Organisation.objects.get(slug="statsforvalteren-vestland")
    assert "Delt flom" not in html(
        login("vestland_officer").get(reverse("incidents:incident-list"))
    )
    client = login("bergen_manager")
    response = client.post(
        reverse("incidents:incident-share", args=[incident.uuid]), {"organisation": office.uuid}
    )
    assert response.status_code == 302
    officer = login("vestland_officer")
    assert "Delt flom" in html(officer.get(reverse("incidents:incident-list")))
    assert officer.get(reverse("incidents:log", args=[incident.uuid])).status_code == 200
    # The office sees the incident but may not write in it, nor share it further.
    url, data = entry_post(incident)
    assert officer.post(url, data).status_code == 403
    assert (
        officer.post(
            reverse("incidents:incident-share", args=[incident.uuid]), {"organisation": office.uuid}
        ).status_code
        == 403
    )
    bad = login("bergen_manager").post(
        reverse("incidents:incident-share", args=[incident.uuid]), {}
    )
    assert bad.status_code == 400


# --- the log: quick entry ----------------------------------------------------------------


def test_quick_entry_by_htmx_inserts_the_entry_and_clears_the_form(login):
    incident = bergen_incident()
    client = login("bergen_manager")
    url, data = entry_post(incident, kind=EntryKind.DECISION, text="Skolene **stenges** i dag")
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    entry = LogEntry.objects.get(incident=incident)
    assert entry.kind == EntryKind.DECISION and entry.author == user("bergen_manager")
    body = html(response)
    assert 'hx-swap-oob="afterbegin:#entries"' in body
    assert f'id="entry-{entry.uuid}"' in body and "<strong>stenges</strong>" in body
    form = re.search(r'<form id="quick-entry".*?</form>', body, re.S).group(0)
    assert "Skolene" not in form  # cleared
    assert 'value="decision" id="id_kind_0" checked' in form  # the kind is kept


def test_quick_entry_keeps_the_time_the_user_chose(login):
    incident = bergen_incident()
    url, data = entry_post(incident, occurred_at="2026-02-01T07:30")
    login("bergen_manager").post(url, data, **HTMX)
    entry = LogEntry.objects.get(incident=incident)
    assert timezone.localtime(entry.occurred_at).strftime("%d.%m.%Y %H:%M") == "01.02.2026 07:30"


def test_same_form_posted_twice_makes_one_entry(login):
    incident = bergen_incident()
    client = login("bergen_manager")
    url, data = entry_post(incident, idempotency_key="abc123")
    client.post(url, data, **HTMX)
    client.post(url, data, **HTMX)
    assert LogEntry.objects.filter(incident=incident).count() == 1


def test_empty_entry_gets_a_norwegian_message_and_nothing_is_saved(login):
    incident = bergen_incident()
    url, data = entry_post(incident, text="   ")
    response = login("bergen_manager").post(url, data, **HTMX)
    assert response.status_code == 400
    assert "Skriv hva som skjedde" in html(response)
    assert 'aria-invalid="true"' in html(response)
    assert not LogEntry.objects.filter(incident=incident).exists()


def test_wrong_attachment_type_gets_a_message_and_nothing_is_saved(login):
    incident = bergen_incident()
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", "application/octet-stream")
    fake = SimpleUploadedFile("rapport.pdf", b"not a pdf", "application/pdf")
    url, data = entry_post(incident, text="Se vedlegg", attachments=[exe, fake])
    response = login("bergen_manager").post(url, data, **HTMX)
    assert response.status_code == 400
    body = html(response)
    assert "virus.exe: filer av denne typen kan ikke legges ved" in body
    assert "rapport.pdf er ikke en ekte .pdf-fil" in body
    assert not LogEntry.objects.filter(incident=incident).exists()
    assert not Attachment.objects.filter(entry__incident=incident).exists()


def test_exempt_entry_needs_its_legal_basis(login):
    incident = bergen_incident()
    url, data = entry_post(incident, exempt="on", exempt_basis="")
    response = login("bergen_manager").post(url, data, **HTMX)
    assert response.status_code == 400
    assert "offentleglova" in html(response)
    url, data = entry_post(incident, exempt="on", exempt_basis="offl. § 24")
    assert login("bergen_manager").post(url, data, **HTMX).status_code == 200
    body = html(login("bergen_manager").get(reverse("incidents:log", args=[incident.uuid])))
    assert "offl. § 24" in body and "exempt-tag" in body


def test_quick_entry_without_javascript_redirects_to_the_log(login):
    incident = bergen_incident()
    url, data = entry_post(incident)
    response = login("bergen_manager").post(url, data)
    entry = LogEntry.objects.get(incident=incident)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/logg/#entry-{entry.uuid}")
    url, data = entry_post(incident, text="")
    assert login("bergen_manager").post(url, data).status_code == 400


def test_readers_officers_and_outsiders_cannot_write(login):
    incident = bergen_incident()
    url, data = entry_post(incident)
    reader = login("bergen_reader")
    assert reader.get(reverse("incidents:log", args=[incident.uuid])).status_code == 200
    assert reader.post(url, data).status_code == 403
    assert login("stavanger_manager").post(url, data).status_code == 404
    assert login("vestland_officer").post(url, data).status_code == 404  # not shared
    assert not LogEntry.objects.filter(incident=incident).exists()
    log = html(reader.get(reverse("incidents:log", args=[incident.uuid])))
    assert 'id="quick-entry"' not in log


# --- corrections -------------------------------------------------------------------------


def test_correction_shows_the_original_struck_through(login):
    incident = bergen_incident()
    original = bergen_write(incident, "Veien til Nesttun er stengt", kind=EntryKind.ACTION)
    client = login("bergen_manager")
    form = client.get(
        reverse("incidents:entry-correct", args=[incident.uuid, original.uuid]), **HTMX
    )
    assert form.status_code == 200
    assert "Veien til Nesttun er stengt" in html(form)  # prefilled
    url, data = entry_post(
        incident,
        kind=EntryKind.ACTION,
        text="Veien til Nesttun og Fjøsanger er stengt",
        corrects=original.uuid,
        correction_type=Correction.CORRECTION,
    )
    response = client.post(url, data, **HTMX)
    assert response.status_code == 200
    correction = LogEntry.objects.get(corrects=original)
    assert correction.correction_type == Correction.CORRECTION
    # The response refreshes the original in place, struck through.
    refreshed = entry_item(html(response), original)
    assert "data-refresh-only" in refreshed and "entry--struck" in refreshed
    body = html(client.get(reverse("incidents:log", args=[incident.uuid])))
    old = entry_item(body, original)
    assert "entry--struck" in old and '<del class="entry__struck">' in old
    assert "Rettet:" in old or "Corrected:" in old
    assert f"entry_uuid={correction.uuid}" in old or str(correction.uuid) in old
    new = entry_item(body, correction)
    assert "<del" not in new and str(original.uuid) in new


def test_retraction_is_marked_as_such(login):
    incident = bergen_incident()
    original = bergen_write(incident, "Pressemelding sendt")
    url, data = entry_post(
        incident,
        text="Sendt ved en feil",
        corrects=original.uuid,
        correction_type=Correction.RETRACTION,
    )
    assert login("bergen_manager").post(url, data, **HTMX).status_code == 200
    body = html(login("bergen_manager").get(reverse("incidents:log", args=[incident.uuid])))
    old = entry_item(body, original)
    assert "entry--struck" in old and ("Trukket tilbake:" in old or "Retracted:" in old)


def test_correction_of_an_entry_the_user_cannot_see_is_refused(login):
    incident = bergen_incident()
    foreign = write(make_incident(title="Stavangers hendelse"), "Privat")
    url, data = entry_post(incident, text="Rettelse", corrects=foreign.uuid)
    response = login("bergen_manager").post(url, data, **HTMX)
    assert response.status_code == 400
    assert not LogEntry.objects.filter(incident=incident).exists()
    assert (
        login("bergen_manager")
        .get(reverse("incidents:entry-correct", args=[incident.uuid, foreign.uuid]))
        .status_code
        == 404
    )


# --- live updates ------------------------------------------------------------------------


def poller_url(body):
    match = re.search(r'<div id="log-poller"[^>]*hx-get="([^"]+)"', body)
    assert match, "no poller on the page"
    return match.group(1)


def test_polling_answers_204_when_nothing_changed_and_the_entry_when_it_did(
    login, django_capture_on_commit_callbacks
):
    incident = bergen_incident()
    client = login("bergen_manager")
    with django_capture_on_commit_callbacks(execute=True):
        first = bergen_write(incident, "Første melding")
    page = html(client.get(reverse("incidents:log", args=[incident.uuid])))
    url = poller_url(page)
    with CaptureQueriesContext(connection) as queries:
        unchanged = client.get(url, **HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""
    assert len(queries) <= 6, [q["sql"] for q in queries]

    with django_capture_on_commit_callbacks(execute=True):
        second = bergen_write(incident, "Vannet har nådd Bryggen")
    changed = client.get(url, **HTMX)
    assert changed.status_code == 200
    body = html(changed)
    assert "Vannet har nådd Bryggen" in body
    assert f'id="entry-{second.uuid}"' in body
    assert 'id="log-poller"' in body and 'hx-swap-oob="true"' in body
    # The next poll, with the new version, is quiet again.
    assert client.get(poller_url(body), **HTMX).status_code == 204

    # A correction arriving re-renders the corrected entry, struck through.
    with django_capture_on_commit_callbacks(execute=True):
        bergen_write(incident, "Første melding, rettet", corrects=first)
    body = html(client.get(poller_url(body), **HTMX))
    # (In a test every entry has the transaction's time, so the original also falls in
    # the overlap window and comes as a new copy; log.js puts it in its place either way.)
    assert "entry--struck" in entry_item(body, first)


def test_polling_returns_only_what_the_user_may_see(login, django_capture_on_commit_callbacks):
    incident = bergen_incident()
    url = reverse("incidents:log-updates", args=[incident.uuid])
    assert login("stavanger_manager").get(url).status_code == 404
    assert login("vestland_officer").get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        bergen_write(incident, "Synlig for leseren")
    since = (timezone.now() - timedelta(minutes=5)).isoformat()
    body = html(login("bergen_reader").get(url, {"since": since, "v": "old"}))
    assert "Synlig for leseren" in body


# --- filters, search, paging, attachments -------------------------------------------------


def test_log_filters_by_kind_and_text(login):
    incident = bergen_incident()
    bergen_write(incident, "Beslutning om evakuering", kind=EntryKind.DECISION)
    bergen_write(incident, "Melding fra politiet", kind=EntryKind.MESSAGE_IN)
    client = login("bergen_manager")
    url = reverse("incidents:log", args=[incident.uuid])
    body = html(client.get(url, {"kind": EntryKind.DECISION}, **HTMX))
    assert "<html" not in body
    assert "Beslutning om evakuering" in body and "Melding fra politiet" not in body
    body = html(client.get(url, {"q": "politi"}))
    assert "Melding fra politiet" in body and "Beslutning om evakuering" not in body


def test_search_finds_inflected_norwegian_words_in_visible_logs_only(login):
    incident = bergen_incident(title="Flom i Bergen")
    bergen_write(incident, "Flommen stengte veiene ved Nesttun")
    bergen_write(incident, "Strømmen er tilbake i Åsane")
    write(make_incident(title="Stavanger privat"), "Flommen stengte veiene i Stavanger")
    client = login("bergen_manager")
    for query in ("flom", "veier", "flom veier", "stengt"):
        body = html(client.get(reverse("incidents:search"), {"q": query}))
        assert "Flom i Bergen" in body, query
        assert "Strømmen er tilbake" not in body
        assert "Stavanger privat" not in body and "i Stavanger" not in body
    body = html(client.get(reverse("incidents:search"), {"q": "flommene"}))
    assert "<mark>" in body and "Flom i Bergen" in body


def test_search_escapes_the_text_it_highlights(login):
    incident = bergen_incident()
    bergen_write(incident, "Flom <script>alert(1)</script> i sentrum")
    body = login("bergen_manager").get(reverse("incidents:search"), {"q": "flom"}).content
    assert b"<script>alert(1)</script>" not in body
    assert b"Flom" in body and b"<mark>" in body


def test_older_entries_load_after_the_first_page(login):
    incident = bergen_incident()
    base = timezone.now() - timedelta(days=1)
    author = user("bergen_manager")
    LogEntry.objects.bulk_create(
        LogEntry(
            incident=incident,
            organisation=incident.owner,
            author=author,
            kind=EntryKind.INFORMATION,
            text=f"Oppføring {n:03d}",
            occurred_at=base + timedelta(minutes=n),
        )
        for n in range(120)
    )
    client = login("bergen_manager")
    url = reverse("incidents:log", args=[incident.uuid])
    body = html(client.get(url))
    assert "Oppføring 119" in body and "Oppføring 020" in body and "Oppføring 019" not in body
    more = re.search(r'<div id="log-more".*?href="([^"]+)"', body, re.S).group(1)
    older = html(client.get(more, **HTMX))
    assert "Oppføring 019" in older and "Oppføring 000" in older and "Oppføring 020" not in older
    assert 'hx-swap-oob="beforeend:#entries"' in older


def test_attachment_upload_and_download(login):
    incident = bergen_incident()
    pdf = SimpleUploadedFile("situasjon.pdf", b"%PDF-1.4\n%% rapport\n", "application/pdf")
    url, data = entry_post(incident, text="Situasjonsrapport", attachments=[pdf])
    assert login("bergen_manager").post(url, data, **HTMX).status_code == 200
    attachment = Attachment.objects.get(entry__incident=incident)
    download = reverse("incidents:attachment-download", args=[attachment.uuid])
    log = html(login("bergen_reader").get(reverse("incidents:log", args=[incident.uuid])))
    assert download in log and "situasjon.pdf" in log
    response = login("bergen_reader").get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert login("stavanger_manager").get(download).status_code == 404
    assert login("vestland_officer").get(download).status_code == 404


def test_entry_page_links_the_correction(login):
    incident = bergen_incident()
    original = bergen_write(incident, "Feil tall")
    correction = bergen_write(incident, "Riktig tall", corrects=original)
    client = login("bergen_manager")
    body = html(client.get(reverse("incidents:entry-detail", args=[incident.uuid, original.uuid])))
    assert "Riktig tall" in body and "entry--struck" in body
    assert str(correction.uuid) in body
    other = reverse("incidents:entry-detail", args=[incident.uuid, original.uuid])
    assert login("stavanger_manager").get(other).status_code == 404


# --- tasks -------------------------------------------------------------------------------


def test_task_from_an_action_entry_and_my_tasks(login):
    incident = bergen_incident()
    entry = bergen_write(
        incident, "Sett opp sperringer ved Fjøsanger\nKontakt Bybanen.", kind="action"
    )
    client = login("bergen_manager")
    url = reverse("incidents:task-create", args=[incident.uuid])
    form = html(client.get(url, {"entry": entry.uuid}))
    assert 'value="Sett opp sperringer ved Fjøsanger"' in form
    response = client.post(
        url,
        {
            "title": "Sett opp sperringer ved Fjøsanger",
            "due_at": "2026-03-01T18:00",
            "assignee_role": "crisis_staff",
            "source_entry": entry.uuid,
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(incident=incident)
    assert task.source_entry == entry and task.assignee_role == "crisis_staff"
    tasks = html(client.get(reverse("incidents:my-tasks")))
    assert "Sett opp sperringer ved Fjøsanger" in tasks  # created by me
    assert "Sett opp sperringer" in html(
        client.get(reverse("incidents:task-list", args=[incident.uuid]))
    )
    status = reverse("incidents:task-status", args=[task.uuid])
    assert client.post(status, {"status": TaskStatus.DONE}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert f'id="task-{task.uuid}"' not in html(client.get(reverse("incidents:my-tasks")))
    assert "Sett opp sperringer" in html(
        client.get(reverse("incidents:my-tasks"), {"status": "all"})
    )
    assert login("stavanger_manager").post(status, {"status": "open"}).status_code == 404
    assert login("bergen_reader").post(status, {"status": "open"}).status_code == 403


def test_task_needs_someone_to_do_it(login):
    incident = bergen_incident()
    response = login("bergen_manager").post(
        reverse("incidents:task-create", args=[incident.uuid]), {"title": "Uten ansvarlig"}
    )
    assert response.status_code == 400
    assert not Task.objects.filter(incident=incident).exists()
    assert (
        login("bergen_reader")
        .get(reverse("incidents:task-create", args=[incident.uuid]))
        .status_code
        == 403
    )


def test_my_tasks_include_tasks_for_my_role_and_organisation(login):
    incident = bergen_incident()
    manager = user("bergen_manager")
    actions.do_create_task(
        incident, acting_user=manager, title="For lesere", assignee_role="reader"
    )
    actions.do_create_task(
        incident,
        acting_user=manager,
        title="For hele kommunen",
        assignee_organisation=incident.owner,
    )
    actions.do_create_task(incident, acting_user=manager, title="For Ingrid", assignee_user=manager)
    body = html(login("bergen_reader").get(reverse("incidents:my-tasks")))
    assert "For lesere" in body and "For hele kommunen" in body and "For Ingrid" not in body


# --- query counts --------------------------------------------------------------------------


def fill_log(incident, count):
    author = user("bergen_manager")
    base = timezone.now() - timedelta(days=2)
    entries = LogEntry.objects.bulk_create(
        LogEntry(
            incident=incident,
            organisation=incident.owner,
            author=author,
            kind=EntryKind.ACTION if n % 3 else EntryKind.DECISION,
            text=f"Tiltak nummer {n}: **sperring** satt opp",
            occurred_at=base + timedelta(minutes=n),
            exempt=n % 7 == 0,
            exempt_basis="offl. § 24" if n % 7 == 0 else "",
        )
        for n in range(count)
    )
    # A few corrections, as a real log has.
    LogEntry.objects.bulk_create(
        LogEntry(
            incident=incident,
            organisation=incident.owner,
            author=author,
            kind=EntryKind.ACTION,
            text="Rettet",
            occurred_at=entry.occurred_at,
            corrects=entry,
            correction_type=Correction.CORRECTION,
        )
        for entry in entries[-3:]
    )


@pytest.mark.parametrize("partial", [False, True])
def test_log_page_query_count_does_not_grow_with_the_log(login, partial):
    small, large = bergen_incident(title="Liten logg"), bergen_incident(title="Stor logg")
    fill_log(small, 10)
    fill_log(large, 5000)
    client = login("bergen_manager")
    extra = HTMX if partial else {}
    client.get(reverse("incidents:log", args=[small.uuid]))  # warm per-process caches
    n_small = query_count(client, reverse("incidents:log", args=[small.uuid]), **extra)
    n_large = query_count(client, reverse("incidents:log", args=[large.uuid]), **extra)
    assert n_small == n_large, (n_small, n_large)
    assert n_large <= 16, n_large


def test_other_pages_query_count_does_not_grow(login):
    small, large = bergen_incident(title="Liten"), bergen_incident(title="Stor")
    fill_log(small, 5)
    fill_log(large, 150)
    for n in range(3):
        bergen_incident(title=f"Ekstra {n}")
    client = login("bergen_manager")
    for name in ("incidents:incident-detail", "incidents:task-list"):
        client.get(reverse(name, args=[small.uuid]))
        assert query_count(client, reverse(name, args=[small.uuid])) == query_count(
            client, reverse(name, args=[large.uuid])
        ), name
    before = query_count(client, reverse("incidents:incident-list"))
    for n in range(5):
        bergen_incident(title=f"Flere {n}")
    assert query_count(client, reverse("incidents:incident-list")) == before
    search = reverse("incidents:search") + "?q=sperring"
    assert query_count(client, search) <= 12


def test_share_one_entry_from_its_page(login):
    incident = bergen_incident(title="Delvis delt")
    shared = bergen_write(incident, "Dette kan naboene se")
    bergen_write(incident, "Dette er internt")
    askoy = Organisation.objects.get(slug="kommune-4627")
    client = login("bergen_manager")
    page = client.get(reverse("incidents:entry-detail", args=[incident.uuid, shared.uuid]))
    assert 'name="entry"' in html(page)
    response = client.post(
        reverse("incidents:incident-share", args=[incident.uuid]),
        {"organisation": askoy.uuid, "entry": shared.uuid},
    )
    assert response.status_code == 302
    assert incident.shares.count() == 0 and shared.shares.get().organisation == askoy
    # The office sees what was shared (go in line), and only that.
    officer = html(login("vestland_officer").get(reverse("incidents:log", args=[incident.uuid])))
    assert "Dette kan naboene se" in officer and "Dette er internt" not in officer
    detail = html(
        login("vestland_officer").get(reverse("incidents:incident-detail", args=[incident.uuid]))
    )
    assert "Askøy" in detail
