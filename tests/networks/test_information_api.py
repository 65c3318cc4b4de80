"""Information down through the API, and the message as CAP 1.2 valid against the OASIS
schema (networks/information/cap/CAP-v1.2-os.xsd)."""

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from django.urls import reverse

from networks.information.models import Message, MessageQuestion
from networks.structure.models import Municipality
from tests.access.information_cases import make_message, make_question
from tests.helpers import api, org

pytestmark = pytest.mark.django_db

SCHEMA = xmlschema.XMLSchema(
    Path(__file__).resolve().parents[2] / "networks/information/cap/CAP-v1.2-os.xsd"
)
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_send_through_the_api_and_bad_input():
    client = api("dsb_analyst")
    url = reverse("api:message-list")
    bad = client.post(url, {"title": "", "body": "x"}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()
    nobody = client.post(url, {"title": "Til ingen", "body": "x"}, format="json")
    assert nobody.status_code == 400 and "recipients" in nobody.json()
    exempt = client.post(
        url,
        {"title": "Unntatt", "body": "x", "regions": ["vestland"], "exempt": True},
        format="json",
    )
    assert exempt.status_code == 400 and "exempt_basis" in exempt.json()
    assert not Message.objects.exists()
    ok = client.post(
        url,
        {"title": "Hans: status", "body": "Meld status.", "regions": ["vestland", "rogaland"],
         "urgency": "urgent"},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.json()
    data = ok.json()
    assert data["recipient_count"] > 40 and data["read_count"] == 0
    assert data["regions"] == ["rogaland", "vestland"] or set(data["regions"]) == {
        "vestland",
        "rogaland",
    }
    assert api("bergen_manager").post(url, {"title": "x"}, format="json").status_code == 403


def test_read_receipts_remind_ask_answer_through_the_api():
    message = make_message()
    detail = reverse("api:message-detail", args=[message.uuid])
    bergen = api("bergen_manager")
    assert bergen.get(detail).json()["read_count"] is None  # receipts are DSB's
    read = reverse("api:message-read", args=[message.uuid])
    assert bergen.post(read).json() == {"marked": 1}
    assert bergen.post(read).json() == {"marked": 0}
    receipts = api("dsb_analyst").get(reverse("api:message-receipts", args=[message.uuid]))
    body = receipts.json()
    assert body["read"] == 1 and body["total"] == message.recipient_count
    row = next(r for r in body["recipients"] if r["organisation"] == str(org("kommune-4601").uuid))
    assert row["read_at"] and row["read_by"]
    assert bergen.get(reverse("api:message-receipts", args=[message.uuid])).status_code == 403
    remind = reverse("api:message-remind", args=[message.uuid])
    first = api("dsb_analyst").post(remind)
    assert (
        first.status_code == 200 and str(org("kommune-4601").uuid) not in first.json()["reminded"]
    )
    assert api("dsb_analyst").post(remind).status_code == 400
    questions = reverse("api:message-questions", args=[message.uuid])
    asked = bergen.post(questions, {"text": "Gjelder det Askøy?"}, format="json")
    assert asked.status_code == 201, asked.json()
    assert api("stavanger_manager").get(questions).json() == []
    answer = reverse("api:message-answer", args=[message.uuid])
    answered = api("dsb_analyst").post(
        answer, {"question": asked.json()["id"], "answer": "Ja.", "public": True}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["public"] is True
    assert [q["answer"] for q in api("stavanger_manager").get(questions).json()] == ["Ja."]
    again = api("dsb_analyst").post(
        answer, {"question": asked.json()["id"], "answer": "Igjen"}, format="json"
    )
    assert again.status_code == 400 and "answer" in again.json()


def test_answer_must_be_on_this_message():
    question = make_question()
    other = make_message(title="En annen")
    response = api("dsb_analyst").post(
        reverse("api:message-answer", args=[other.uuid]),
        {"question": str(question.uuid), "answer": "Ja"},
        format="json",
    )
    assert response.status_code == 400
    assert MessageQuestion.objects.get().answered_at is None


def test_foreign_region_gets_404():
    message = make_message("statsforvalteren-vestland", "vestland_officer", regions=("vestland",))
    detail = reverse("api:message-detail", args=[message.uuid])
    assert api("rogaland_officer").get(detail).status_code == 404
    assert api("vestland_officer").get(detail).status_code == 200


def parse_valid(xml: bytes):
    SCHEMA.validate(xml.decode())
    return ET.fromstring(xml)


def test_cap_is_valid_and_names_the_municipalities():
    message = make_message()
    response = api("bergen_manager").get(reverse("api:message-cap", args=[message.uuid]))
    assert response.status_code == 200
    root = parse_valid(response.content)
    assert root.findtext(f"{CAP}msgType") == "Alert"
    assert root.findtext(f"{CAP}scope") == "Restricted"
    assert root.findtext(f"{CAP}info/{CAP}urgency") == "Immediate"
    numbers = [g.findtext(f"{CAP}value") for g in root.iter(f"{CAP}geocode")]
    expected = sorted(
        Municipality.objects.filter(county__office__slug__in=["vestland", "rogaland"]).values_list(
            "number", flat=True
        )
    )
    assert numbers == expected and "4601" in numbers


def test_cap_of_an_exempt_message_keeps_the_text_inside():
    message = make_message(exempt=True, exempt_basis="offl. § 24", body="Hemmelig plan")
    xml = message_cap(message)
    root = parse_valid(xml)
    assert b"Hemmelig" not in xml and "offl. § 24" in root.findtext(f"{CAP}note")


def message_cap(message):
    response = api("dsb_analyst").get(reverse("api:message-cap", args=[message.uuid]))
    assert response.status_code == 200
    return response.content


def test_an_invalid_document_is_caught_by_the_schema():
    """The check can fail: a CAP document without its status is refused."""
    xml = message_cap(make_message()).replace(b"<status>Actual</status>", b"")
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        SCHEMA.validate(xml.decode())


def test_send_with_attachments_through_the_api():
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api("dsb_analyst")
    url = reverse("api:message-list")
    pdf = SimpleUploadedFile("tiltak.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    text = SimpleUploadedFile("liste.txt", b"Kontaktliste for Hans\n")
    response = client.post(
        url,
        {"title": "Hans: tiltak", "body": "Se vedlegg.", "regions": ["vestland"],
         "attachments": [pdf, text]},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    names = sorted(a["filename"] for a in response.json()["attachments"])
    assert names == ["liste.txt", "tiltak.pdf"]
    message = Message.objects.get(uuid=response.json()["id"])
    assert message.attachments.count() == 2

    # A file of a type that cannot be attached: a 400 on the field, and nothing sent.
    bad = client.post(
        url,
        {"title": "Hans: program", "body": "x", "regions": ["vestland"],
         "attachments": [SimpleUploadedFile("program.exe", b"MZ\x90\x00")]},
        format="multipart",
    )  # fmt: skip
    assert bad.status_code == 400 and "attachments" in bad.json()
    assert not Message.objects.filter(title="Hans: program").exists()
