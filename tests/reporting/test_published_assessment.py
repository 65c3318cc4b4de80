"""Published stays published: publishing freezes the assessment with the aggregates;
saving the assessment afterwards is the draft of the next publication. The picture
page, the exports (PDF, EDXL-SitRep) and the API show the published text; the
compilation page shows the author the draft and that it differs."""

import io
from html import unescape
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from networks.structure.models import Office
from reporting import actions
from reporting.models import Compilation
from tests.helpers import api
from tests.personas import user
from tests.reporting.dashboard_helpers import (
    BERGEN,
    VOSS,
    answers,
    pass_deadline,
    submit,
    vestland_round,
)

pytestmark = pytest.mark.django_db

PUBLISHED = "Flommen er under kontroll i Voss."
DRAFT = "UTKAST: evakuering av Bergen sentrum vurderes."
SITREP = "{urn:oasis:names:tc:emergency:EDXL:SitRep:1.0}"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def edited():
    """A Vestland picture published with PUBLISHED, then its assessment saved as DRAFT."""
    round_ = vestland_round()
    submit(round_, BERGEN, answers(evakuerte=40), acting_user=user("bergen_manager"))
    pass_deadline(round_)
    submit(round_, VOSS, answers(evakuerte=10, strom="red", behov="ja"))
    officer = user("vestland_officer")
    compilation = actions.do_start_compilation(
        round_, acting_user=officer, office=Office.objects.get(slug="vestland")
    )
    compilation = actions.do_save_assessment(
        compilation, acting_user=officer, assessment=PUBLISHED, expected_version=1
    )
    compilation = actions.do_publish_compilation(compilation, acting_user=officer)
    compilation = actions.do_save_assessment(
        compilation,
        acting_user=officer,
        assessment=DRAFT,
        expected_version=compilation.version,
    )
    return compilation


def picture(compilation):
    return reverse("reporting:picture", kwargs={"uuid": compilation.uuid})


def test_picture_page_keeps_the_published_text_until_published_again(login, edited):
    for name in ("bergen_reader", "ks_analyst", "vestland_officer"):
        text = unescape(login(name).get(picture(edited)).content.decode())
        assessment = text.split('id="assessment"')[1].split("</div>")[0]
        assert PUBLISHED in assessment and DRAFT not in text, name

    # Publishing again publishes the draft.
    actions.do_publish_compilation(edited, acting_user=user("vestland_officer"))
    text = unescape(login("bergen_reader").get(picture(edited)).content.decode())
    assert DRAFT in text.split('id="assessment"')[1] and PUBLISHED not in text


def test_compilation_page_shows_the_draft_and_that_it_differs(login, edited):
    url = reverse("reporting:compilation", kwargs={"uuid": edited.uuid})
    text = unescape(login("vestland_officer").get(url).content.decode())
    assert DRAFT in text.split('id="id_assessment"')[1].split("</textarea>")[0]
    assert 'id="unpublished-changes"' in text
    assert PUBLISHED in text.split('id="assessment-published"')[1].split("</div>")[0]
    actions.do_publish_compilation(edited, acting_user=user("vestland_officer"))
    text = unescape(login("vestland_officer").get(url).content.decode())
    assert 'id="unpublished-changes"' not in text and PUBLISHED not in text


def test_api_gives_readers_the_published_text_and_the_author_the_draft_too(edited):
    detail = reverse("api:compilation-detail", kwargs={"uuid": edited.uuid})
    for name in ("bergen_reader", "ks_analyst"):
        body = api(name).get(detail).json()
        assert body["assessment"] == PUBLISHED
        assert body["draft_assessment"] is None and body["has_unpublished_changes"] is None
        listed = api(name).get(reverse("api:compilation-list")).json()["results"]
        assert [c["assessment"] for c in listed if c["id"] == str(edited.uuid)] == [PUBLISHED]
    author = api("vestland_officer").get(detail).json()
    assert author["assessment"] == PUBLISHED
    assert author["draft_assessment"] == DRAFT and author["has_unpublished_changes"] is True


def test_pdf_and_edxl_hold_the_published_text_and_number(login, edited):
    client = login("bergen_reader")

    def export(fmt):
        url = reverse("reporting:compilation-export", kwargs={"uuid": edited.uuid, "fmt": fmt})
        response = client.get(url)
        assert response.status_code == 200
        return response.content

    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(export("pdf"))).pages)
    assert PUBLISHED in pdf and "UTKAST" not in pdf
    root = ET.fromstring(export("xml"))
    observation = root.find(f"{SITREP}report/{SITREP}observationText").text
    assert PUBLISHED in observation and DRAFT not in observation
    number = root.find(f"{SITREP}reportNumber").text
    message = root.find(f"{SITREP}messageID").text
    # Another draft save moves neither the published report's number nor its message id.
    current = Compilation.objects.get(pk=edited.pk)
    actions.do_save_assessment(
        current,
        acting_user=user("vestland_officer"),
        assessment=DRAFT + " Igjen.",
        expected_version=current.version,
    )
    root = ET.fromstring(export("xml"))
    assert root.find(f"{SITREP}reportNumber").text == number
    assert root.find(f"{SITREP}messageID").text == message


def test_history_keeps_what_was_published_and_the_later_draft(edited):
    events = list(
        Compilation.pgh_event_model.objects.filter(pgh_obj_id=edited.pk).order_by("pgh_id")
    )
    published = [e for e in events if e.published_at is not None]
    assert published[0].published_assessment == PUBLISHED == published[0].assessment
    assert events[-1].assessment == DRAFT and events[-1].published_assessment == PUBLISHED


def test_migration_takes_the_published_text_from_history(edited):
    """0002 fills ``published_assessment`` of compilations published before it: the text
    of the history row that carries the publication, not the later draft."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "reporting.migrations.0002_published_assessment_export_expiry"
    )
    Compilation.objects.filter(pk=edited.pk).update(published_assessment="", published_version=None)
    migration.published_texts(apps, None)
    current = Compilation.objects.get(pk=edited.pk)
    assert current.published_assessment == PUBLISHED and current.assessment == DRAFT
    assert current.published_version == current.version - 1  # the draft save came after
