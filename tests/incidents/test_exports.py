"""Exports of an incident's log: CSV for Excel and tools, PDF for evaluation and archiving.
Only what the user may see; exempt entries left out or redacted; exercises marked."""

import csv
import io
import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from pypdf import PdfReader
from rest_framework.test import APIClient

from incidents.log.exports import ExemptHandling, render_pdf
from incidents.log.models import Correction, Incident
from networks.structure.models import Organisation
from tests.helpers import login_as
from tests.incidents.test_api import make_incident, share, upload, write
from tests.personas import user

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")
SAMI = "Sámi: áčđŋšŧž ÁČĐŊŠŦŽ"


@pytest.fixture
def log():
    """Bergen's log: a plain entry, a wrong one and its correction, an exempt entry, an
    entry with an attachment, one that would run as a formula in Excel."""
    incident = make_incident(title="Ekstremværet Hans – Bergen", description="Flom i sentrum.")
    entries = {
        "plain": write(
            incident,
            f"Kriseledelsen satt kl. 08.00. {SAMI}",
            occurred_at=datetime(2023, 8, 7, 8, 0, tzinfo=OSLO),
        ),
        "wrong": write(
            incident,
            "Evakuering av 40 boliger",
            occurred_at=datetime(2023, 8, 7, 9, 0, tzinfo=OSLO),
        ),
    }
    entries["fixed"] = write(
        incident,
        "Evakuering av 14 boliger",
        corrects=entries["wrong"],
        occurred_at=datetime(2023, 8, 7, 9, 5, tzinfo=OSLO),
    )
    entries["exempt"] = write(
        incident,
        "Pasient på Haukeland evakuert, navn kjent",
        exempt=True,
        exempt_basis="§ 13",
        occurred_at=datetime(2023, 8, 7, 10, 0, tzinfo=OSLO),
    )
    entries["attached"] = write(
        incident,
        "Målinger vedlagt",
        attachments=[upload("målinger.csv", "sted;nivå\n".encode(), "text/csv")],
        occurred_at=datetime(2023, 8, 7, 11, 0, tzinfo=OSLO),
    )
    entries["formula"] = write(
        incident, '=HYPERLINK("http://x")', occurred_at=datetime(2023, 8, 7, 12, 0, tzinfo=OSLO)
    )
    return incident, entries


def client_for(name):
    client = APIClient()
    login_as(client, user(name))
    return client


def read_csv(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def api_export(client, incident, **query):
    return client.get(reverse("api:incident-export", args=[incident.uuid]), query)


# --- CSV ---------------------------------------------------------------------------------


def test_csv_leaves_exempt_entries_out(log):
    incident, entries = log
    rows = read_csv(api_export(client_for("bergen_manager"), incident, format="csv"))
    assert [r["id"] for r in rows] == [
        str(entries[k].uuid) for k in ("plain", "wrong", "fixed", "attached", "formula")
    ]
    assert all("Haukeland" not in value for row in rows for value in row.values())
    plain = rows[0]
    assert plain["no"] == "1"
    assert plain["text"].endswith(SAMI)
    assert plain["occurred_at"] == "2023-08-07T08:00:00+02:00"  # ISO 8601, Oslo time
    assert datetime.fromisoformat(plain["recorded_at"]).utcoffset() is not None
    assert plain["incident"] == str(incident.uuid)
    assert plain["exercise"] == "false"
    assert plain["organisation"] == "Bergen kommune"


def test_csv_references_corrections_both_ways(log):
    incident, entries = log
    rows = {
        r["id"]: r
        for r in read_csv(api_export(client_for("bergen_manager"), incident, format="csv"))
    }
    wrong, fixed = rows[str(entries["wrong"].uuid)], rows[str(entries["fixed"].uuid)]
    assert wrong["corrected_by"] == str(entries["fixed"].uuid)
    assert fixed["corrects"] == str(entries["wrong"].uuid)
    assert fixed["correction_type"] == Correction.CORRECTION
    assert rows[str(entries["attached"].uuid)]["attachments"] == "målinger.csv (11 B)"
    assert rows[str(entries["formula"].uuid)]["text"] == '\'=HYPERLINK("http://x")'


def test_csv_redacts_exempt_entries_when_asked(log):
    incident, entries = log
    rows = read_csv(
        api_export(client_for("bergen_manager"), incident, format="csv", exempt="redact")
    )
    assert len(rows) == 6
    exempt = next(r for r in rows if r["id"] == str(entries["exempt"].uuid))
    assert exempt["text"] == "[Unntatt offentlighet – offentleglova § 13]"
    assert exempt["exempt"] == "true" and exempt["exempt_basis"] == "§ 13"
    assert all("Haukeland" not in value for row in rows for value in row.values())


def test_export_holds_only_what_the_user_may_see(log):
    incident, entries = log
    share(entry=entries["plain"], organisation=Organisation.objects.get(slug="kommune-1103"))
    rows = read_csv(api_export(client_for("stavanger_manager"), incident, format="csv"))
    assert [r["id"] for r in rows] == [str(entries["plain"].uuid)]


def test_exercise_is_labelled_in_csv():
    incident = make_incident(title="Øvelse Storm", is_exercise=True)
    write(incident, "Øvingsmelding")
    response = api_export(client_for("bergen_manager"), incident, format="csv")
    assert "ovelse-" in response["Content-Disposition"]
    assert read_csv(response)[0]["exercise"] == "true"


# --- PDF ---------------------------------------------------------------------------------


def pdf_text(content):
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_opens_and_holds_the_log(log):
    incident, entries = log
    response = api_export(client_for("bergen_manager"), incident, format="pdf", exempt="redact")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader, text = pdf_text(response.content)
    assert "Ekstremværet Hans – Bergen" in text
    assert "Kriseledelsen satt kl. 08.00." in text
    assert SAMI in text  # the embedded font covers Norwegian and Sami
    assert "07.08.2023 08:00" in text  # Norwegian time format, Oslo time
    assert "Bergen kommune" in text
    assert "Unntatt offentlighet – offentleglova § 13" in text
    assert "Haukeland" not in text
    assert "målinger.csv" in text
    assert _("Corrected – see entry %(ref)s") % {"ref": "#3"} in text
    assert _("Corrects entry %(ref)s") % {"ref": "#2"} in text
    assert "ØVELSE" not in text
    assert len(reader.pages) >= 2
    assert _("Page %(page)s of %(pages)s") % {"page": 1, "pages": len(reader.pages)} in text


def test_pdf_of_an_exercise_says_so_on_every_page():
    incident = make_incident(title="Øvelse Fjellvind", is_exercise=True)
    for n in range(40):
        write(incident, f"Øvingsmelding nummer {n}: " + "tekst " * 40)
    content = render_pdf(
        Incident.objects.get(pk=incident.pk), user("bergen_manager"), ExemptHandling.OMIT
    )
    reader, text = pdf_text(content)
    assert len(reader.pages) > 3
    assert all("ØVELSE" in page.extract_text() for page in reader.pages)
    assert "Øvingsmelding nummer 39" in text


def test_pdf_leaves_exempt_entries_out_by_default(log):
    incident, entries = log
    _reader, text = pdf_text(
        api_export(client_for("bergen_manager"), incident, format="pdf").content
    )
    assert "Haukeland" not in text and "Unntatt offentlighet" not in text
    assert "Evakuering av 14 boliger" in text


# --- the two faces: page and API ---------------------------------------------------------


def test_export_page_shows_the_form_and_downloads(log):
    incident, _entries = log
    client = client_for("bergen_reader")  # readers may export what they see
    url = reverse("incidents:export", args=[incident.uuid])
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="format"' in page.content and b'name="exempt"' in page.content
    rows = read_csv(client.get(url, {"format": "csv", "exempt": "redact"}))
    assert len(rows) == 6
    pdf = client.get(url, {"format": "pdf", "exempt": "omit"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    bad = client.get(url, {"format": "docx", "exempt": "omit"})
    assert bad.status_code == 400
    assert b"ds-error-summary" in bad.content


@pytest.mark.parametrize(
    "query", [{"format": "xlsx"}, {"exempt": "show"}, {"format": "pdf", "exempt": "all"}]
)
def test_bad_export_options_are_400_in_the_api(log, query):
    incident, _entries = log
    response = api_export(client_for("bergen_manager"), incident, **query)
    assert response.status_code == 400
    assert set(response.json()) <= set(query) and response.json()


def test_csv_is_the_default_format(log):
    incident, _entries = log
    assert len(read_csv(api_export(client_for("bergen_manager"), incident))) == 5


@pytest.mark.parametrize("persona", ["stavanger_manager", "rogaland_officer", "ks_analyst"])
def test_outsiders_get_404_from_both_faces(log, persona):
    incident, _entries = log
    client = client_for(persona)
    for url in (
        reverse("incidents:export", args=[incident.uuid]),
        reverse("incidents:export", args=[incident.uuid]) + "?format=pdf&exempt=omit",
        reverse("api:incident-export", args=[incident.uuid]) + "?format=csv",
        reverse("api:incident-export", args=[incident.uuid]) + "?format=pdf",
    ):
        assert client.get(url).status_code == 404, (persona, url)


def test_anonymous_is_sent_to_log_in(log):
    incident, _entries = log
    page = APIClient().get(reverse("incidents:export", args=[incident.uuid]))
    assert page.status_code == 302
    api = APIClient().get(reverse("api:incident-export", args=[incident.uuid]))
    assert api.status_code in (401, 403)


@pytest.mark.parametrize(
    ("accept", "query", "status"),
    [
        ("application/pdf", {"format": "pdf"}, 200),
        ("text/csv", {"format": "csv"}, 200),
        ("application/pdf", {"format": "xlsx"}, 400),
        ("application/json", {"format": "pdf"}, 200),
    ],
)
def test_the_api_export_honours_accept_headers(log, accept, query, status):
    incident, _entries = log
    response = client_for("bergen_manager").get(
        reverse("api:incident-export", args=[incident.uuid]), query, HTTP_ACCEPT=accept
    )
    assert response.status_code == status
    if status == 400:
        assert "format" in json.loads(response.content)
