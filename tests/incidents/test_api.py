"""The incidents API: the log with its cursor and idempotent creates, bad input answered
with 400 and field errors (nothing saved), 404 for outsiders, 403 for those who see but
may not write, 405 for changing an entry, constant query counts."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from incidents.log import actions
from incidents.log.models import (
    Correction,
    CrisisFrame,
    EntryKind,
    Incident,
    IncidentType,
    LogEntry,
    Task,
)
from networks.structure.models import Network, Organisation
from portal.uploads import MAX_ATTACHMENT_BYTES
from tests.helpers import login_as, org
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN, STAVANGER = "kommune-4601", "kommune-1103"


def make_incident(owner=BERGEN, author="bergen_manager", **fields):
    return actions.do_create_incident(
        owner=org(owner),
        acting_user=user(author),
        **{
            "title": "Ekstremvær i Bergen",
            "type": IncidentType.EXTREME_WEATHER,
            "started_at": timezone.now() - timedelta(hours=3),
            **fields,
        },
    )


def write(incident, text="Vannstanden stiger i Bryggen", author="bergen_manager", **fields):
    entry, _ = actions.do_write_entry(
        incident,
        acting_user=user(author),
        kind=fields.pop("kind", EntryKind.INFORMATION),
        text=text,
        **fields,
    )
    return entry


def share(incident=None, entry=None, author="bergen_manager", **audience):
    return actions.do_share(acting_user=user(author), incident=incident, entry=entry, **audience)


@pytest.fixture
def api():
    client = APIClient()

    def as_(name):
        client.logout()
        if name:
            login_as(client, user(name))
        return client

    return as_


def post_entry(client, target, key=None, fmt="json", **data):
    body = {"incident": str(target.uuid), "kind": "decision", "text": "Vi åpner krisestab", **data}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(reverse("api:entry-list"), body, format=fmt, **headers)


# --- the log: create and read ------------------------------------------------------------


def test_write_an_entry_and_read_it_back(api):
    incident = make_incident()
    client = api("bergen_manager")
    response = post_entry(
        client,
        incident,
        text="**Krisestab satt** kl. 10.00 <script>alert(1)</script>",
        occurred_at="2023-08-07T10:00:00+02:00",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {
        "id", "incident", "organisation", "author", "kind", "text", "text_html",
        "occurred_at", "recorded_at", "corrects", "correction_type", "corrected_by",
        "exempt", "exempt_basis", "attachments", "links", "responds_to",
    }  # fmt: skip
    assert body["incident"] == str(incident.uuid)
    assert body["organisation"] == str(org(BERGEN).uuid)
    assert body["author"] == "Bergen"
    assert body["occurred_at"] == "2023-08-07T10:00:00+02:00"
    assert "<strong>Krisestab satt</strong>" in body["text_html"]
    assert "<script>" not in body["text_html"]
    assert response["Location"].endswith(reverse("api:entry-detail", args=[body["id"]]))

    listed = client.get(reverse("api:entry-list"), {"incident": str(incident.uuid)}).json()
    assert [e["id"] for e in listed["results"]] == [body["id"]]
    detail = client.get(reverse("api:entry-detail", args=[body["id"]]))
    assert detail.status_code == 200 and detail.json() == listed["results"][0]


def test_a_correction_links_both_ways(api):
    incident = make_incident()
    wrong = write(incident, "Evakuering av 40 boliger")
    client = api("bergen_manager")
    response = post_entry(
        client, incident, text="Evakuering av 14 boliger", corrects=str(wrong.uuid)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["corrects"] == str(wrong.uuid)
    assert response.json()["correction_type"] == Correction.CORRECTION
    old = client.get(reverse("api:entry-detail", args=[wrong.uuid])).json()
    assert old["corrected_by"] == [response.json()["id"]]
    assert old["text"] == "Evakuering av 40 boliger"


def test_cursor_pages_oldest_first_and_since(api):
    incident = make_incident()
    other = make_incident(title="Strømbrudd")
    written = [write(incident, f"Melding {n}") for n in range(7)]
    write(other, "Ikke med")
    client = api("bergen_manager")

    ids, url, query = [], reverse("api:entry-list"), {"incident": incident.uuid, "page_size": 3}
    while url:
        page = client.get(url, query).json()
        assert "count" not in page  # a cursor, not page numbers
        ids += [e["id"] for e in page["results"]]
        url, query = page["next"], None
    assert ids == [str(e.uuid) for e in written]

    since = LogEntry.objects.get(pk=written[4].pk).recorded_at
    page = client.get(
        reverse("api:entry-list"), {"incident": incident.uuid, "since": since.isoformat()}
    ).json()
    assert [e["id"] for e in page["results"]] == [str(e.uuid) for e in written[4:]]


@pytest.mark.parametrize(
    "query",
    [
        {"since": "i går"},
        {"incident": "ikke-en-uuid"},
        {"kind": "rumour"},
        {"cursor": "tull"},
        {"page_size": "mange"},
    ],
)
def test_bad_list_parameters_are_not_server_errors(api, query):
    response = api("bergen_manager").get(reverse("api:entry-list"), query)
    assert response.status_code in (200, 400, 404), response.status_code
    assert response.status_code < 500


# --- idempotency -------------------------------------------------------------------------


def test_same_idempotency_key_makes_one_entry(api):
    incident = make_incident()
    client = api("bergen_manager")
    key = str(uuid.uuid4())
    first = post_entry(client, incident, key=key)
    again = post_entry(client, incident, key=key)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert LogEntry.objects.filter(incident=incident).count() == 1


def test_different_keys_make_different_entries(api):
    incident = make_incident()
    client = api("bergen_manager")
    a = post_entry(client, incident, key="nøkkel-a")
    b = post_entry(client, incident, key="nøkkel-b")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]
    assert LogEntry.objects.filter(incident=incident).count() == 2


def test_the_key_belongs_to_the_user():
    incident = make_incident(owner="kommune-5001", author="snb_coordinator")
    # Drammen's and Trondheim's staff cannot share a key by accident: keys are per author.
    other = make_incident(owner="kommune-3301", author="drammen_staff")
    clients = {name: APIClient() for name in ("snb_coordinator", "drammen_staff")}
    for name, client in clients.items():
        login_as(client, user(name))
    a = post_entry(clients["snb_coordinator"], incident, key="samme")
    b = post_entry(clients["drammen_staff"], other, key="samme")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_an_overlong_key_is_refused(api):
    incident = make_incident()
    response = post_entry(api("bergen_manager"), incident, key="k" * 101)
    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not LogEntry.objects.filter(incident=incident).exists()


# --- bad input: 400 with field errors, nothing saved --------------------------------------


def _entry_count():
    return LogEntry.objects.count()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"kind": "rykte"}, "kind"),
        ({"occurred_at": "sist tirsdag"}, "occurred_at"),
        ({"exempt": True, "exempt_basis": ""}, "exempt_basis"),
        ({"corrects": "ikke-en-uuid"}, "corrects"),
        ({"corrects": str(uuid.uuid4())}, "corrects"),
        ({"links": [str(uuid.uuid4())]}, "links"),
        ({"incident": str(uuid.uuid4())}, "incident"),
        ({"correction_type": "sletting"}, "correction_type"),
    ],
)
def test_bad_entries_get_field_errors(api, data, field):
    incident = make_incident()
    before = _entry_count()
    response = post_entry(api("bergen_manager"), incident, **data)
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert _entry_count() == before


def test_a_body_that_is_not_an_object_is_a_400(api):
    client = api("bergen_manager")
    response = client.post(reverse("api:entry-list"), ["tekst"], format="json")
    assert response.status_code == 400
    response = client.post(reverse("api:entry-list"), "{ikke json", content_type="application/json")
    assert response.status_code == 400


def test_correcting_an_entry_you_cannot_see_looks_like_correcting_nothing(api):
    stavanger_entry = write(
        make_incident(STAVANGER, "stavanger_manager"), author="stavanger_manager"
    )
    incident = make_incident()
    client = api("bergen_manager")
    before = _entry_count()
    hidden = post_entry(client, incident, corrects=str(stavanger_entry.uuid))
    missing_id = uuid.uuid4()
    missing = post_entry(client, incident, corrects=str(missing_id))
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["corrects"] == [
        m.replace(str(missing_id), str(stavanger_entry.uuid)) for m in missing.json()["corrects"]
    ]
    assert _entry_count() == before


def test_correcting_an_entry_of_another_incident_is_refused(api):
    incident, other = make_incident(), make_incident(title="Strømbrudd")
    elsewhere = write(other)
    before = _entry_count()
    response = post_entry(api("bergen_manager"), incident, corrects=str(elsewhere.uuid))
    assert response.status_code == 400 and "corrects" in response.json()
    assert _entry_count() == before


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type)


def test_attachments_are_accepted_and_streamed_to_those_who_see_them(api):
    incident = make_incident()
    client = api("bergen_manager")
    response = post_entry(
        client,
        incident,
        fmt="multipart",
        attachments=[
            upload("målinger.csv", "sted;nivå\nBryggen;3,2\n".encode(), "text/csv"),
            upload("kart.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        ],
        links=[],
    )
    assert response.status_code == 201, response.json()
    attachments = {a["name"]: a for a in response.json()["attachments"]}
    assert set(attachments) == {"målinger.csv", "kart.pdf"}
    csv_meta = attachments["målinger.csv"]
    assert csv_meta["content_type"] == "text/csv"
    assert csv_meta["size"] == len("sted;nivå\nBryggen;3,2\n".encode())
    download = client.get(csv_meta["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == "sted;nivå\nBryggen;3,2\n".encode()
    assert "attachment" in download["Content-Disposition"]
    assert api("stavanger_manager").get(csv_meta["url"]).status_code == 404
    assert api(None).get(csv_meta["url"]).status_code in (401, 403)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("falsk.pdf", b"<html>ikke pdf</html>"),
        ("bilde.png", b"GIF89a"),
        ("stor.txt", b"a" * (MAX_ATTACHMENT_BYTES + 1)),
        ("tom.txt", b""),
    ],
)
def test_bad_attachments_get_field_errors_and_save_nothing(api, name, content):
    incident = make_incident()
    before = _entry_count()
    response = post_entry(
        api("bergen_manager"),
        incident,
        fmt="multipart",
        text="Vedlagt",
        attachments=[upload(name, content)],
    )
    assert response.status_code == 400, response.content
    assert "attachments" in response.json()
    assert _entry_count() == before


# --- who gets what ----------------------------------------------------------------------


@pytest.fixture
def bergen_log():
    incident = make_incident()
    entry = write(
        incident,
        attachments=[upload("notat.txt", "Målt vannstand 3,2 m".encode(), "text/plain")],
    )
    task = actions.do_create_task(
        incident, acting_user=user("bergen_manager"), title="Skaff sandsekker",
        assignee_organisation=org(BERGEN),
    )  # fmt: skip
    return incident, entry, task


def detail_routes(incident, entry, task):
    return [
        ("get", reverse("api:incident-detail", args=[incident.uuid])),
        ("get", reverse("api:incident-export", args=[incident.uuid])),
        ("get", reverse("api:incident-export", args=[incident.uuid]) + "?format=pdf"),
        ("patch", reverse("api:incident-detail", args=[incident.uuid])),
        ("get", reverse("api:entry-detail", args=[entry.uuid])),
        ("get", reverse("api:attachment-detail", args=[entry.attachments.get().uuid])),
        ("get", reverse("api:task-detail", args=[task.uuid])),
        ("patch", reverse("api:task-detail", args=[task.uuid])),
        ("get", reverse("incidents:export", args=[incident.uuid])),
        ("get", reverse("incidents:export", args=[incident.uuid]) + "?format=csv&exempt=omit"),
    ]


@pytest.mark.parametrize(
    "persona", ["stavanger_manager", "vestland_officer", "ks_analyst", "dsb_analyst", "nobody"]
)
def test_outsiders_get_404_on_every_detail_and_export_route(api, bergen_log, persona):
    client = api(persona)
    for method, url in detail_routes(*bergen_log):
        response = getattr(client, method)(url, {"status": "done"} if method == "patch" else None)
        assert response.status_code == 404, (persona, method, url, response.status_code)


def test_outsiders_do_not_see_it_in_lists(api, bergen_log):
    incident, entry, task = bergen_log
    client = api("stavanger_manager")
    for route, item in [
        ("api:incident-list", incident),
        ("api:entry-list", entry),
        ("api:task-list", task),
    ]:
        ids = {row["id"] for row in client.get(reverse(route)).json()["results"]}
        assert str(item.uuid) not in ids, route


def test_unknown_ids_are_404_too(api):
    client = api("bergen_manager")
    for route in ("api:incident-detail", "api:entry-detail", "api:attachment-detail",
                  "api:task-detail", "api:crisis-frame-detail", "api:incident-export"):  # fmt: skip
        assert client.get(reverse(route, args=[uuid.uuid4()])).status_code == 404, route


def test_readers_may_read_but_not_write(api, bergen_log):
    incident, entry, task = bergen_log
    client = api("bergen_reader")
    assert client.get(reverse("api:incident-detail", args=[incident.uuid])).status_code == 200
    assert client.get(reverse("api:entry-detail", args=[entry.uuid])).status_code == 200
    before = _entry_count()
    assert post_entry(client, incident).status_code == 403
    assert post_entry(client, incident, text="").status_code == 403  # 403 before 400
    assert _entry_count() == before
    assert (
        client.patch(
            reverse("api:incident-detail", args=[incident.uuid]), {"status": "monitoring"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("api:task-list"), {"incident": str(incident.uuid), "title": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("api:share-list"),
            {"incident": str(incident.uuid), "network": "snb"},
        ).status_code
        == 403
    )
    new = client.post(
        reverse("api:incident-list"),
        {"title": "Ny", "type": "flood", "started_at": timezone.now().isoformat()},
    )
    assert new.status_code == 403


def test_officers_see_what_is_shared_but_cannot_write_in_it(api, bergen_log):
    incident, entry, task = bergen_log
    share(incident, network=Network.objects.get(slug="snb"))  # go in line: Vestland sees it
    client = api("vestland_officer")
    assert client.get(reverse("api:incident-detail", args=[incident.uuid])).status_code == 200
    assert client.get(reverse("api:entry-detail", args=[entry.uuid])).status_code == 200
    before = _entry_count()
    assert post_entry(client, incident).status_code == 403
    assert post_entry(client, incident, key="retry-1").status_code == 403
    assert _entry_count() == before
    patch = client.patch(reverse("api:incident-detail", args=[incident.uuid]), {"title": "x"})
    assert patch.status_code == 403
    shares = client.get(reverse("api:share-list"), {"incident": incident.uuid}).json()
    assert [s["network"] for s in shares["results"]] == ["snb"]


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_entries_cannot_be_changed_or_deleted(api, method):
    entry = write(make_incident())
    response = getattr(api("bergen_manager"), method)(
        reverse("api:entry-detail", args=[entry.uuid]), {"text": "endret"}, format="json"
    )
    assert response.status_code == 405
    entry.refresh_from_db()
    assert entry.text == "Vannstanden stiger i Bryggen"


def test_attachments_are_read_only_and_frames_are_not_for_emergency_managers(api, bergen_log):
    client = api("bergen_manager")
    attachment = bergen_log[1].attachments.get()
    url = reverse("api:attachment-detail", args=[attachment.uuid])
    assert client.delete(url).status_code == 405
    # Crisis frames are created by national analysts and officers (tests/incidents/test_frames.py).
    assert client.post(reverse("api:crisis-frame-list"), {"title": "x"}).status_code == 403
    frame = CrisisFrame.objects.order_by("pk").first()
    if frame is not None:
        detail = reverse("api:crisis-frame-detail", args=[frame.uuid])
        assert client.delete(detail).status_code == 405


# --- query counts ------------------------------------------------------------------------


def count_list_queries(client, incident):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("api:entry-list"), {"incident": incident.uuid, "page_size": 500}
        )
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


def fill(incident, n):
    first = write(incident, "Første melding", exempt=True, exempt_basis="§ 24")
    previous = first
    for i in range(n - 1):
        kwargs = {}
        if i % 10 == 0:
            kwargs["corrects"] = previous
        if i % 7 == 0:
            kwargs["links"] = [first]
        previous = write(incident, f"Melding {i}", **kwargs)
    attachment = upload("logg.txt", b"vedlegg", "text/plain")
    write(incident, "Med vedlegg", attachments=[attachment])


def test_entry_list_query_count_is_constant(api):
    small, large = make_incident(title="Liten"), make_incident(title="Stor")
    fill(small, 10)
    fill(large, 300)
    # and thousands more, as a long crisis leaves (bulk: the log is append-only anyway)
    LogEntry.objects.bulk_create(
        LogEntry(
            incident=large,
            organisation=large.owner,
            author=large.created_by,
            kind="information",
            text=f"Statusmelding {n}",
            occurred_at=large.started_at,
        )
        for n in range(4700)
    )
    share(large, network=Network.objects.get(slug="snb"))
    share(small, network=Network.objects.get(slug="snb"))
    counts = {}
    for persona in ("bergen_manager", "vestland_officer"):
        client = api(persona)
        small_count, small_rows = count_list_queries(client, small)
        large_count, large_rows = count_list_queries(client, large)
        assert (small_rows, large_rows) == (11, 500)  # a page of the 5,001: max page size
        assert small_count == large_count, persona
        counts[persona] = large_count
    assert max(counts.values()) <= 10, counts


def test_incident_list_query_count_is_constant(api):
    client = api("bergen_manager")
    make_incident(affected=[])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("api:incident-list"))
    for n in range(15):
        make_incident(title=f"Hendelse {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("api:incident-list"))
    assert len(few) == len(many)


# --- incidents ---------------------------------------------------------------------------


def test_create_an_incident_through_the_api(api):
    client = api("bergen_manager")
    frame = CrisisFrame.objects.create(
        title="Øvelse Fjellvind",
        type=IncidentType.STORM,
        is_exercise=True,
        owner=Organisation.objects.get(slug="statsforvalteren-vestland"),
        started_at=timezone.now(),
    )
    response = client.post(
        reverse("api:incident-list"),
        {
            "title": "Storm over Bergen",
            "type": "storm",
            "severity": "high",
            "started_at": "2024-01-02T08:00:00+01:00",
            "frame": str(frame.uuid),
            "affected_municipalities": ["4601"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == str(org(BERGEN).uuid)  # the only organisation the user writes for
    assert body["is_exercise"] is True  # an exercise frame holds only exercises
    assert body["status"] == "active"
    assert body["affected_municipalities"] == ["4601"]
    assert body["frame"] == str(frame.uuid)
    listed = client.get(reverse("api:incident-list"), {"is_exercise": "true"}).json()
    assert body["id"] in {i["id"] for i in listed["results"]}
    listed = client.get(reverse("api:incident-list"), {"frame": str(frame.uuid)}).json()
    assert [i["id"] for i in listed["results"]] == [body["id"]]


def test_incident_for_another_owner_is_forbidden(api):
    response = api("bergen_manager").post(
        reverse("api:incident-list"),
        {
            "title": "Flom",
            "type": "flood",
            "started_at": timezone.now().isoformat(),
            "owner": str(org(STAVANGER).uuid),
        },
    )
    assert response.status_code == 403
    assert not Incident.objects.filter(title="Flom", owner=org(STAVANGER)).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "title"),
        ({"type": "meteor"}, "type"),
        ({"ended_at": "2000-01-01T00:00:00Z"}, "non_field_errors"),
        ({"affected_municipalities": ["9999"]}, "affected_municipalities"),
        ({"frame": str(uuid.uuid4())}, "frame"),
    ],
)
def test_bad_incidents_get_field_errors(api, data, field):
    body = {"title": "Flom", "type": "flood", "started_at": timezone.now().isoformat()}
    body.update(data)
    if not data:
        del body["title"]
    before = Incident.objects.count()
    response = api("bergen_manager").post(reverse("api:incident-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Incident.objects.count() == before


def test_status_changes_follow_the_rules_and_if_match(api):
    incident = make_incident()
    client = api("bergen_manager")
    url = reverse("api:incident-detail", args=[incident.uuid])
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"status": "closed"}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["status"] == "closed" and changed.json()["ended_at"]
    stale = client.patch(url, {"severity": "critical"}, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    bad = client.patch(url, {"status": "monitoring"})  # closed → monitoring is not allowed
    assert bad.status_code == 400 and "status" in bad.json()
    reopened = client.patch(url, {"status": "active"}, HTTP_IF_MATCH=changed["ETag"])
    assert reopened.status_code == 200 and reopened.json()["ended_at"] is None
    assert client.put(url, {"title": "x"}).status_code == 405


# --- shares and tasks -------------------------------------------------------------------


def test_sharing_an_entry_opens_exactly_that_entry(api):
    incident = make_incident()
    shared, private = write(incident, "Deles med Stavanger"), write(incident, "Internt")
    client = api("bergen_manager")
    response = client.post(
        reverse("api:share-list"),
        {"entry": str(shared.uuid), "organisation": str(org(STAVANGER).uuid)},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["entry"] == str(shared.uuid)
    stavanger = api("stavanger_manager")
    texts = {e["text"] for e in stavanger.get(reverse("api:entry-list")).json()["results"]}
    assert "Deles med Stavanger" in texts and "Internt" not in texts
    assert stavanger.get(reverse("api:entry-detail", args=[private.uuid])).status_code == 404
    # the audience does not see who else it is shared with
    assert stavanger.get(reverse("api:share-list")).json()["results"] == []


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"network": "snb"},
        {"incident": "INCIDENT", "entry": "ENTRY", "network": "snb"},
        {"incident": "INCIDENT", "network": "snb", "organisation": "ORG"},
        {"incident": "INCIDENT", "network": "finnes-ikke"},
        {"incident": "INCIDENT", "organisation": "OWNER"},
    ],
)
def test_bad_shares_get_field_errors(api, data):
    incident = make_incident()
    entry = write(incident)
    values = {
        "INCIDENT": str(incident.uuid),
        "ENTRY": str(entry.uuid),
        "ORG": str(org(STAVANGER).uuid),
        "OWNER": str(org(BERGEN).uuid),
    }
    body = {k: values.get(v, v) for k, v in data.items()}
    response = api("bergen_manager").post(reverse("api:share-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()


def test_tasks_from_the_log_and_my_tasks(api):
    incident = make_incident()
    action_entry = write(incident, "Skaff 500 sandsekker", kind=EntryKind.ACTION)
    manager = api("bergen_manager")
    response = manager.post(
        reverse("api:task-list"),
        {
            "incident": str(incident.uuid),
            "title": "Skaff sandsekker",
            "source_entry": str(action_entry.uuid),
            "assignee_user": str(user("bergen_reader").uuid),
            "due_at": "2030-01-01T12:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    task = response.json()
    assert task["source_entry"] == str(action_entry.uuid)
    assert task["assignee_user_name"] == "Bergen"
    reader = api("bergen_reader")
    mine = reader.get(reverse("api:task-list"), {"mine": "true"}).json()["results"]
    assert [t["id"] for t in mine] == [task["id"]]
    url = reverse("api:task-detail", args=[task["id"]])
    assert reader.patch(url, {"status": "done"}).json()["status"] == "done"
    assert reader.patch(url, {"status": "ferdig"}).status_code == 400
    assert reader.put(url, {"status": "done"}).status_code == 405
    assert Task.objects.get(uuid=task["id"]).status == "done"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": ""}, "title"),
        ({"assignee_user": "STAVANGER_USER"}, "assignee_user"),
        ({"assignee_organisation": None}, "non_field_errors"),
        ({"source_entry": str(uuid.uuid4())}, "source_entry"),
        ({"due_at": "snart"}, "due_at"),
    ],
)
def test_bad_tasks_get_field_errors(api, data, field):
    incident = make_incident()
    body = {
        "incident": str(incident.uuid),
        "title": "Ring NVE",
        "assignee_organisation": str(org(BERGEN).uuid),
        **data,
    }
    if body.get("assignee_user") == "STAVANGER_USER":
        body["assignee_user"] = str(user("stavanger_manager").uuid)
    before = Task.objects.count()
    response = api("bergen_manager").post(reverse("api:task-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert Task.objects.count() == before


# --- the schema --------------------------------------------------------------------------


def test_every_endpoint_is_in_the_schema(api):
    schema = api("bergen_manager").get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/crisis-frames/",
        "/api/v1/incidents/",
        "/api/v1/incidents/{uuid}/",
        "/api/v1/incidents/{uuid}/export/",
        "/api/v1/entries/",
        "/api/v1/entries/{uuid}/",
        "/api/v1/attachments/{uuid}/",
        "/api/v1/shares/",
        "/api/v1/tasks/",
        "/api/v1/tasks/{uuid}/",
    ):
        assert path in paths, path
    create = paths["/api/v1/entries/"]["post"]
    assert "Idempotency-Key" in {p["name"] for p in create["parameters"] if p["in"] == "header"}
    assert "multipart/form-data" in create["requestBody"]["content"]
    assert {"incident", "since", "cursor"} <= {
        p["name"] for p in paths["/api/v1/entries/"]["get"]["parameters"]
    }
    assert {"put", "patch", "delete"}.isdisjoint(paths["/api/v1/entries/{uuid}/"])
