"""Exports of reporting: a round as CSV and XLSX (one row per municipality the user sees,
one column per field), a compiled picture as PDF and as EDXL-SitRep 1.0 XML (a structural
test: namespace, element names and order, enumerations), the Celery task run for real
(progress to 100, idempotent, failures the user can read), the pages and the API."""

import csv
import io
import re
from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from networks.structure.models import Network, Office, Organisation
from portal.models import RoleAssignment
from portal.roles import Role
from reporting import actions
from reporting.exports import jobs, picture, sitrep, tables
from reporting.exports import tasks as export_tasks
from reporting.models import ExportJob, ExportKind, ExportState, ReportingRound, Submission
from tests.helpers import api, org
from tests.personas import user

pytestmark = pytest.mark.django_db

BERGEN = "kommune-4601"
DEFINITION = {
    "sections": [
        {
            "key": "status",
            "title": "Status",
            "fields": [
                {"key": "evakuerte", "type": "integer", "label": "Evakuerte", "required": True,
                 "min": 0, "max": 100000},
                {"key": "vann", "type": "sector_status", "label": "Vann og avløp",
                 "required": True},
                {"key": "behov_bistand", "type": "choice", "label": "Behov for bistand",
                 "options": [{"value": "ja", "label": "Ja"}, {"value": "nei", "label": "Nei"}]},
                {"key": "merknad", "type": "long_text", "label": "Merknad"},
            ],
        }
    ]
}  # fmt: skip
FIELD_COLUMNS = ["Evakuerte", "Vann og avløp", "Vann og avløp – comment", "Behov for bistand",
                 "Merknad"]  # fmt: skip


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.LANGUAGE_CODE = "en"  # the task's language
    with translation.override("en"):
        yield


def a_form():
    return actions.do_create_form(
        owner=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        title="Eksporttest",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


def second_municipality():
    """Another Vestland municipality with an emergency manager of its own."""
    other = (
        Organisation.objects.filter(kind="municipality", region__slug="vestland")
        .exclude(slug=BERGEN)
        .order_by("name")
        .first()
    )
    from django.contrib.auth import get_user_model

    manager, _ = get_user_model().objects.get_or_create(username="other_manager")
    RoleAssignment.objects.get_or_create(
        user=manager, organisation=other, role=Role.EMERGENCY_MANAGER
    )
    return other, manager


def reported_round(*, exercise=False):
    """A Vestland round: Bergen submitted on time (needs help: red water), a second
    municipality late; the rest missing (the deadline has passed)."""
    round_ = actions.do_issue_round(
        issuer=org("statsforvalteren-vestland"),
        acting_user=user("vestland_officer"),
        form=a_form(),
        title="Flom i Vestland",
        deadline=timezone.now() + timedelta(hours=2),
        offices=[Office.objects.get(slug="vestland")],
    )
    if exercise:
        ReportingRound.objects.filter(pk=round_.pk).update(is_exercise=True)
    bergen = Submission.objects.get(round=round_, municipality__slug=BERGEN)
    actions.do_submit(
        bergen,
        expected_version=bergen.version,
        acting_user=user("bergen_manager"),
        answers={
            "evakuerte": "120",
            "vann": {"status": "red", "comment": "=Kokevarsel"},
            "behov_bistand": "ja",
        },
    )
    ReportingRound.objects.filter(pk=round_.pk).update(
        deadline=timezone.now() - timedelta(minutes=5)
    )
    other, manager = second_municipality()
    late = Submission.objects.get(round=round_, municipality=other)
    actions.do_submit(
        late,
        expected_version=late.version,
        acting_user=manager,
        answers={"evakuerte": "3", "vann": {"status": "green"}, "behov_bistand": "nei"},
    )
    round_.refresh_from_db()
    return round_, other


def published(round_, *, assessment="Situasjonen er alvorlig i Bergen."):
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        round_, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    compilation = actions.do_save_assessment(
        compilation, acting_user=officer, assessment=assessment, expected_version=1
    )
    actions.do_publish_compilation(compilation, acting_user=officer)
    return jobs.resolve_export(
        officer, ExportKind.COMPILATION_PDF, {"compilation": str(compilation.uuid)}
    )["compilation"]


def csv_rows(content: bytes):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# --- a round as a table ----------------------------------------------------------------


def test_round_csv_has_one_row_per_municipality_and_one_column_per_field():
    round_, other = reported_round()
    rows = csv_rows(tables.round_csv(round_, user("vestland_officer")))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["Municipality number", "Municipality", "State", "Submitted at",
                          "Exercise"]  # fmt: skip
    assert header[5:] == FIELD_COLUMNS
    assert len(body) == round_.recipients.count()
    assert len({row[1] for row in body}) == len(body)
    by_name = {row[1]: row for row in body}
    bergen = by_name[org(BERGEN).name]
    assert bergen[0] == "4601"
    assert bergen[2] == "Submitted"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$", bergen[3])
    assert bergen[5:] == ["120", "Red", "'=Kokevarsel", "Ja", ""]  # formula made harmless
    assert by_name[other.name][2] == "Submitted late"
    assert by_name[other.name][6] == "Green"
    missing = [row for row in body if row[2] == "Missing"]
    assert len(missing) == len(body) - 2
    assert all(row[5:] == ["", "", "", "", ""] for row in missing)
    assert all(row[4] == "" for row in body)


def test_round_xlsx_opens_with_numbers_as_numbers_and_labels_exercises():
    round_, _other = reported_round(exercise=True)
    content = tables.round_xlsx(round_, user("vestland_officer"))
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][5:]) == FIELD_COLUMNS
    assert len(rows) == round_.recipients.count() + 1
    bergen = next(row for row in rows if row[1] == org(BERGEN).name)
    assert bergen[5] == 120 and isinstance(bergen[5], int)
    assert all(row[4] == "ØVELSE" for row in rows[1:])


def test_round_table_holds_only_the_rows_the_user_sees():
    """A DSB round to the SNB network: DSB sees every member city, the Vestland officer
    only Bergen (the region's); a municipality gets no table."""
    round_ = actions.do_issue_round(
        issuer=org("dsb"),
        acting_user=user("dsb_analyst"),
        form=a_form_dsb(),
        title="Nasjonal",
        deadline=timezone.now() + timedelta(days=1),
        network=Network.objects.get(slug="snb"),
    )
    _header, dsb_rows = tables.round_table(round_, user("dsb_analyst"))
    assert len(dsb_rows) == round_.recipients.count() > 2
    _header, vestland_rows = tables.round_table(round_, user("vestland_officer"))
    assert [row[1] for row in vestland_rows] == [org(BERGEN).name]
    with pytest.raises(PermissionDenied):
        jobs.resolve_export(
            user("bergen_manager"), ExportKind.ROUND_CSV, {"round": str(round_.uuid)}
        )
    from django.http import Http404

    with pytest.raises(Http404):
        jobs.resolve_export(
            user("drammen_staff"), ExportKind.ROUND_CSV, {"round": str(round_.uuid)}
        )


def a_form_dsb():
    return actions.do_create_form(
        owner=org("dsb"),
        acting_user=user("dsb_analyst"),
        title="Eksporttest DSB",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )


# --- a compiled picture ----------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_compilation_pdf_holds_the_picture():
    round_, other = reported_round()
    compilation = published(round_)
    text = pdf_text(picture.compilation_pdf(compilation))
    for expected in ["Flom i Vestland", "Vestland", "Situasjonen er alvorlig i Bergen.",
                     "Vann og avløp", "Evakuerte", "123", "Municipalities needing help",
                     org(BERGEN).name]:  # fmt: skip
        assert expected in text, expected
    assert "ØVELSE" not in text


def test_compilation_pdf_of_an_exercise_is_marked():
    round_, _other = reported_round(exercise=True)
    text = pdf_text(picture.compilation_pdf(published(round_)))
    assert text.count("ØVELSE") >= 2  # the banner and every page's header


SITREP = "{urn:oasis:names:tc:emergency:EDXL:SitRep:1.0}"
CT = "{urn:oasis:names:tc:emergency:edxl:ct:1.0}"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# EDXL-SitRep 1.0 CS02, written out here independently of the code.
SITREP_CHILDREN = [
    "messageID", "preparedBy", "authorizedBy", "reportPurpose", "reportNumber",
    "reportVersion", "forTimePeriod", "reportTitle", "incidentID", "incidentLifecyclePhase",
    "originatingMessageID", "precedingMessageID", "urgency", "reportConfidence", "severity",
    "reportingLocation", "actionPlan", "nextContact", "report",
]  # fmt: skip
REQUIRED = {
    "messageID",
    "preparedBy",
    "authorizedBy",
    "reportPurpose",
    "reportNumber",
    "reportVersion",
    "forTimePeriod",
    "incidentID",
    "reportConfidence",
    "report",
}
EDXL_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_compilation_edxl_follows_sitrep_1_0():
    round_, _other = reported_round()
    compilation = published(round_)
    root = ET.fromstring(sitrep.compilation_edxl(compilation))
    assert root.tag == f"{SITREP}sitRep"
    names = [child.tag.removeprefix(SITREP) for child in root]
    assert all(child.tag.startswith(SITREP) for child in root)
    # Known names, in schema order, each required one present.
    assert set(names) <= set(SITREP_CHILDREN)
    positions = [SITREP_CHILDREN.index(n) for n in names]
    assert positions == sorted(positions)
    assert set(names) >= REQUIRED
    for once in REQUIRED - {"incidentID"}:
        assert names.count(once) == 1

    def one(name):
        return root.find(f"{SITREP}{name}")

    assert one("reportVersion").text in {"Initial", "Update", "Final"}
    assert one("reportVersion").text == "Update"  # published, round still open
    assert one("reportConfidence").text in {"HighlyConfident", "SomewhatConfident", "Unsure",
                                            "NoConfidence"}  # fmt: skip
    assert one("reportConfidence").text == "Unsure"  # 2 of the region's many answered
    assert one("urgency").text in {"Immediate", "Expected", "Future", "Past", "Unknown"}
    assert one("urgency").text == "Immediate"  # a red status
    assert one("severity").text in {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
    for phase in root.findall(f"{SITREP}incidentLifecyclePhase"):
        assert phase.text in {"Preparedness", "Response", "Mitigation", "Recovery"}
    assert int(one("reportNumber").text) >= 1
    assert one("reportPurpose").text  # free text in CS02
    for name in ("preparedBy", "authorizedBy"):
        pair = one(name)
        assert [c.tag for c in pair] == [f"{CT}personDetails", f"{CT}timeValue"]
        assert EDXL_DATETIME.match(pair.find(f"{CT}timeValue").text)
    period = one("forTimePeriod")
    assert [c.tag for c in period] == [f"{CT}fromDateTime", f"{CT}toDateTime"]
    assert all(EDXL_DATETIME.match(c.text) for c in period)
    report = one("report")
    assert report.get(XSI_TYPE) == "sitrep:FieldObservationType"
    assert [c.tag.removeprefix(SITREP) for c in report] == [
        "observationLocation", "immediateNeeds", "observationText"
    ]  # fmt: skip
    assert org(BERGEN).name in report.find(f"{SITREP}immediateNeeds").text
    assert "Situasjonen er alvorlig" in report.find(f"{SITREP}observationText").text


def test_edxl_of_an_exercise_says_so_in_title_and_purpose():
    round_, _other = reported_round(exercise=True)
    root = ET.fromstring(sitrep.compilation_edxl(published(round_)))
    assert root.find(f"{SITREP}reportTitle").text.startswith("ØVELSE")
    assert root.find(f"{SITREP}reportPurpose").text.startswith("ØVELSE")


# --- the task, for real ----------------------------------------------------------------


def test_run_export_makes_the_file_moves_progress_to_100_and_is_idempotent(monkeypatch):
    round_, _other = reported_round()
    officer = user("vestland_officer")
    job = jobs.do_request_export(
        acting_user=officer, kind=ExportKind.ROUND_XLSX, params={"round": str(round_.uuid)}
    )
    assert job.state == ExportState.QUEUED and job.progress == 0
    seen = []
    original = export_tasks._set_progress

    def record(job_id, percent):
        original(job_id, percent)
        seen.append(ExportJob.objects.get(pk=job_id).progress)

    monkeypatch.setattr(export_tasks, "_set_progress", record)
    export_tasks.run_export.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert job.state == ExportState.DONE and job.progress == 100
    assert seen == sorted(seen) and len(seen) >= 3 and 0 < seen[0] < seen[-1] < 100
    assert job.filename.endswith(".xlsx") and job.finished_at is not None
    rows = list(load_workbook(job.file.open("rb")).active.iter_rows(values_only=True))
    assert len(rows) == round_.recipients.count() + 1
    from portal.models import Notification

    assert Notification.objects.filter(recipient=officer, kind="export_ready").count() == 1
    name = job.file.name
    export_tasks.run_export.apply(args=[job.pk]).get()  # again: nothing changes
    job.refresh_from_db()
    assert job.file.name == name
    assert Notification.objects.filter(recipient=officer, kind="export_ready").count() == 1


def test_run_export_retried_after_a_crash_replaces_the_half_made_file():
    from django.core.files.base import ContentFile

    round_, _other = reported_round()
    job = jobs.do_request_export(
        acting_user=user("vestland_officer"),
        kind=ExportKind.ROUND_CSV,
        params={"round": str(round_.uuid)},
    )
    job.file.save("half.csv", ContentFile(b"half"), save=False)
    ExportJob.objects.filter(pk=job.pk).update(file=job.file.name, state=ExportState.RUNNING)
    export_tasks.run_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportState.DONE
    assert csv_rows(job.file.read())[0][1] == "Municipality"
    assert not job.file.storage.exists("half.csv")


def test_run_export_fails_readably_when_the_user_lost_access():
    round_, _other = reported_round()
    officer = user("vestland_officer")
    job = jobs.do_request_export(
        acting_user=officer, kind=ExportKind.ROUND_CSV, params={"round": str(round_.uuid)}
    )
    RoleAssignment.objects.filter(user=officer).delete()
    export_tasks.run_export(job.pk)
    job.refresh_from_db()
    assert job.state == ExportState.FAILED and not job.file
    assert "no longer" in job.error


@pytest.mark.parametrize(
    "kind",
    [
        ExportKind.COMPILATION_PDF,
        ExportKind.COMPILATION_EDXL,
        ExportKind.KS_SUMMARY_XLSX,
        ExportKind.KS_SUMMARY_PDF,
    ],
)
def test_every_kind_runs_through_the_job_path(kind):
    round_, _other = reported_round()
    compilation = published(round_)
    if kind in jobs.SUMMARY_KINDS:
        requester = user("ks_analyst")
        today = timezone.localdate()
        params = {"network": "snb", "start": (today - timedelta(days=7)).isoformat(),
                  "end": today.isoformat(), "include_exercises": False}  # fmt: skip
    else:
        requester = user("bergen_reader")  # a municipality in the round sees the picture
        params = {"compilation": str(compilation.uuid)}
    job = jobs.do_request_export(acting_user=requester, kind=kind, params=params)
    export_tasks.run_export.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert job.state == ExportState.DONE, job.error
    content = job.file.read()
    assert content[:4] in (b"%PDF", b"PK\x03\x04", b"<?xm")


# --- pages -----------------------------------------------------------------------------


def test_round_export_page_downloads_for_the_office_and_refuses_the_municipality(login):
    round_, _other = reported_round()
    url = reverse("reporting:round-export", kwargs={"uuid": round_.uuid, "fmt": "csv"})
    response = login("vestland_officer").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "flom-i-vestland" in response["Content-Disposition"]
    assert len(csv_rows(response.content)) == round_.recipients.count() + 1
    assert login("bergen_manager").get(url).status_code == 403
    assert login("rogaland_officer").get(url).status_code == 404
    bad = reverse("reporting:round-export", kwargs={"uuid": round_.uuid, "fmt": "doc"})
    assert login("vestland_officer").get(bad).status_code == 404


def test_compilation_export_page(login):
    round_, _other = reported_round()
    compilation = published(round_)
    url = reverse("reporting:compilation-export", kwargs={"uuid": compilation.uuid, "fmt": "xml"})
    response = login("bergen_reader").get(url)  # a municipality in the round sees the picture
    assert response.status_code == 200
    assert ET.fromstring(response.content).tag == f"{SITREP}sitRep"
    assert login("stavanger_manager").get(url).status_code == 404


def test_job_page_polls_until_done_and_only_the_requester_downloads(login):
    round_, _other = reported_round()
    client = login("vestland_officer")
    response = client.post(
        reverse("reporting:export-list"), {"kind": "round_csv", "round": str(round_.uuid)}
    )
    assert response.status_code == 302
    job = ExportJob.objects.get(requested_by=user("vestland_officer"))
    page = reverse("reporting:export-job", kwargs={"uuid": job.uuid})
    assert response["Location"] == page
    fragment = client.get(page, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    export_tasks.run_export(job.pk)
    fragment = client.get(page, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and 'value="100"' in fragment
    download = reverse("reporting:export-download", kwargs={"uuid": job.uuid})
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())
    assert login("bergen_manager").get(download).status_code == 404
    assert login("bergen_manager").get(page).status_code == 404


def test_ks_summary_page_starts_a_job_and_shows_errors_in_place(login):
    client = login("ks_analyst")
    assert client.get(reverse("reporting:ks-summary")).status_code == 200
    response = client.post(
        reverse("reporting:ks-summary"),
        {"start": "2026-02-01", "end": "2026-01-01", "format": "ks_summary_pdf"},
    )
    assert response.status_code == 400
    assert "The end cannot be before the start." in response.content.decode()
    response = client.post(
        reverse("reporting:ks-summary"),
        {"network": "snb", "start": "2026-01-01", "end": "2026-02-01", "format": "ks_summary_xlsx"},
    )
    assert response.status_code == 302
    job = ExportJob.objects.get(requested_by=user("ks_analyst"))
    assert job.params == {"network": "snb", "start": "2026-01-01", "end": "2026-02-01",
                          "include_exercises": False, "frame": None}  # fmt: skip
    assert login("bergen_manager").get(reverse("reporting:ks-summary")).status_code == 403


# --- API -------------------------------------------------------------------------------


def test_api_export_lifecycle_and_errors():
    round_, _other = reported_round()
    url = reverse("api:export-list")
    officer = api("vestland_officer")
    response = officer.post(url, {"kind": "round_csv", "params": {"round": str(round_.uuid)}},
                            format="json")  # fmt: skip
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["state"] == "queued" and body["download"] is None
    detail = reverse("api:export-detail", kwargs={"uuid": body["id"]})
    download = reverse("api:export-download", kwargs={"uuid": body["id"]})
    assert officer.get(download).status_code == 409
    export_tasks.run_export(ExportJob.objects.get(uuid=body["id"]).pk)
    body = officer.get(detail).json()
    assert body["state"] == "done" and body["progress"] == 100 and body["download"]
    response = officer.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())
    assert api("bergen_manager").get(detail).status_code == 404
    assert api("bergen_manager").get(download).status_code == 404

    # not allowed, not seen, bad input: 403, 404, 400 with the field
    payload = {"kind": "round_xlsx", "params": {"round": str(round_.uuid)}}
    assert api("bergen_manager").post(url, payload, format="json").status_code == 403
    assert api("rogaland_officer").post(url, payload, format="json").status_code == 404
    response = officer.post(url, {"kind": "pptx", "params": {}}, format="json")
    assert response.status_code == 400 and "kind" in response.json()
    response = officer.post(url, {"kind": "round_csv", "params": {"round": "nope"}}, format="json")
    assert response.status_code == 400 and "round" in response.json()["params"]
    response = api("ks_analyst").post(
        url, {"kind": "ks_summary_pdf", "params": {"start": "x", "network": "nope",
                                                  "include_exercises": "yes"}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert set(response.json()["params"]) == {"start", "end", "network", "include_exercises"}
    response = officer.post(url, {"kind": "round_csv", "params": "round"}, format="json")
    assert response.status_code == 400


def test_export_buttons_on_the_pictures_and_for_a_round_only_for_exporters(login, rf):
    from django.template.loader import render_to_string

    round_, _other = reported_round()
    compilation = published(round_)
    pdf = reverse("reporting:compilation-export", kwargs={"uuid": compilation.uuid, "fmt": "pdf"})
    picture = login("bergen_manager").get(reverse("reporting:picture", args=[compilation.uuid]))
    assert picture.status_code == 200 and pdf in picture.content.decode()
    page = login("vestland_officer").get(reverse("reporting:compilation", args=[compilation.uuid]))
    assert page.status_code == 200 and pdf in page.content.decode()

    csv_url = reverse("reporting:round-export", kwargs={"uuid": round_.uuid, "fmt": "csv"})
    for name, shown in (("vestland_officer", True), ("bergen_manager", False)):
        request = rf.get("/")
        request.user = user(name)
        html = render_to_string("reporting/export_buttons.html", {"round": round_}, request=request)
        assert (csv_url in html) == shown, name


def test_round_page_and_round_list_link_the_exports(login):
    round_, _other = reported_round()
    csv_url = reverse("reporting:round-export", kwargs={"uuid": round_.uuid, "fmt": "csv"})
    page = reverse("reporting:round-detail", args=[round_.uuid])
    assert csv_url in login("vestland_officer").get(page).content.decode()
    assert csv_url not in login("bergen_manager").get(page).content.decode()
    ks_url = reverse("reporting:ks-summary")
    assert ks_url in login("ks_analyst").get(reverse("reporting:round-list")).content.decode()
    listing = login("bergen_manager").get(reverse("reporting:round-list")).content.decode()
    assert ks_url not in listing and reverse("reporting:export-list") in listing
