"""Report forms: the models and the trigger that keeps published versions immutable,
the publishing action and its rules, the seed command, the pages and the API."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from pghistory.models import Events

from reporting import actions
from reporting.models import ReportForm, ReportFormVersion
from reporting.seed_forms import MUNICIPAL_SITUATION_REPORT, SEED_FORMS
from tests.helpers import api, html, org, query_count
from tests.personas import user

pytestmark = pytest.mark.django_db

VESTLAND = "statsforvalteren-vestland"
SITUATION = "Situasjonsrapport fra kommunen"


def definition(*fields):
    fields = fields or ({"key": "antall", "type": "integer", "label": "Antall", "min": 0},)
    return {"sections": [{"key": "s", "title": "Seksjon", "fields": list(fields)}]}


def vestland_form(**fields):
    return actions.do_create_form(
        owner=org(VESTLAND),
        acting_user=user("vestland_officer"),
        **{
            "title": "Flomrapport Vestland",
            "track": "preparedness",
            "kind": "short",
            "definition": definition(),
            **fields,
        },
    )


def situation_form():
    return ReportForm.objects.get(owner__slug="dsb", title=SITUATION)


# --- models, actions, rules ------------------------------------------------------------


def test_create_publishes_version_one_with_history():
    form = vestland_form()
    version = form.versions.get()
    assert version.number == 1 and version.published_at is not None
    assert version.created_by == user("vestland_officer")
    event = Events.objects.references(form).get()
    assert event.pgh_context["action"] == "report_form.create"
    assert event.pgh_context["user"] == user("vestland_officer").pk


def test_publishing_makes_version_n_plus_one_and_keeps_the_old():
    form = vestland_form()
    extra = {"key": "merknad", "type": "long_text", "label": "Merknad"}
    v2 = actions.do_publish_form_version(
        form, acting_user=user("vestland_officer"), definition=definition(extra)
    )
    assert v2.number == 2
    assert form.versions.get(number=1).definition == definition()
    # a key that was an integer stays one, even after it was left out of version 2
    with pytest.raises(ValidationError) as error:
        actions.do_publish_form_version(
            form,
            acting_user=user("vestland_officer"),
            definition=definition({"key": "antall", "type": "short_text", "label": "Antall"}),
        )
    assert "antall" in str(error.value)
    assert form.versions.count() == 2


def test_bad_definition_and_wrong_owner_kind_are_refused():
    with pytest.raises(ValidationError):
        vestland_form(definition={"sections": []})
    with pytest.raises(ValidationError):
        actions.do_create_form(
            owner=org("kommune-4601"),
            acting_user=None,
            title="Nei",
            track="sector",
            kind="full",
            definition=definition(),
        )
    assert not ReportForm.objects.filter(title__in=["Flomrapport Vestland", "Nei"]).exists()


@pytest.mark.parametrize(
    ("persona", "owner"),
    [
        ("bergen_manager", "kommune-4601"),
        ("ks_analyst", "ks"),
        ("snb_coordinator", "kommune-5001"),
        ("vestland_officer", "statsforvalteren-rogaland"),  # another office
        ("dsb_analyst", "helsedirektoratet"),  # only the analyst's own body
    ],
)
def test_only_officers_and_analysts_create_forms_for_their_own(persona, owner):
    with pytest.raises(PermissionDenied):
        actions.do_create_form(
            owner=org(owner),
            acting_user=user(persona),
            title="Nei",
            track="sector",
            kind="full",
            definition=definition(),
        )
    helsedirektoratet = ReportForm.objects.get(owner__slug="helsedirektoratet")
    assert not user(persona).has_perm("reporting.publish_form", helsedirektoratet)


def test_analyst_publishes_for_own_body_and_officers_may_not():
    form = situation_form()
    assert user("dsb_analyst").has_perm("reporting.publish_form", form)
    assert user("dsb_analyst").has_perm("reporting.create_form")
    assert user("vestland_officer").has_perm("reporting.create_form", org(VESTLAND))
    assert not user("bergen_manager").has_perm("reporting.create_form")
    with pytest.raises(PermissionDenied):
        actions.do_publish_form_version(
            form, acting_user=user("vestland_officer"), definition=MUNICIPAL_SITUATION_REPORT
        )
    latest = form.versions.order_by("-number").first().number
    version = actions.do_publish_form_version(
        form, acting_user=user("dsb_analyst"), definition=MUNICIPAL_SITUATION_REPORT
    )
    assert version.number == latest + 1


def test_published_version_cannot_be_changed_or_deleted_in_the_database():
    version = vestland_form().versions.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportFormVersion.objects.filter(pk=version.pk).update(definition={"sections": []})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_reportformversion SET number = 9 WHERE id = %s", [version.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportFormVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.number == 1 and version.definition == definition()


def test_an_unpublished_draft_may_change_until_published():
    form = vestland_form()
    draft = ReportFormVersion.objects.create(form=form, number=2, definition=definition())
    ReportFormVersion.objects.filter(pk=draft.pk).update(number=3)
    draft.refresh_from_db()
    assert draft.number == 3
    assert not ReportFormVersion.objects.visible_to(user("bergen_manager")).filter(pk=draft.pk)


def test_saving_an_invalid_definition_fails():
    form = vestland_form()
    with pytest.raises(ValidationError):
        ReportFormVersion.objects.create(form=form, number=5, definition={"sections": "nei"})


# --- the seed command ------------------------------------------------------------------


def test_seed_command_is_idempotent_and_publishes_a_changed_seed(monkeypatch):
    assert ReportForm.objects.filter(title__in=[s[1] for s in SEED_FORMS]).count() == 3
    owners = set(ReportForm.objects.values_list("owner__slug", flat=True))
    assert {"dsb", "helsedirektoratet", "imdi"} <= owners
    before = ReportFormVersion.objects.count()
    out = StringIO()
    call_command("load_report_forms", stdout=out)
    assert "0 created, 0 new versions, 3 unchanged" in out.getvalue()
    assert ReportFormVersion.objects.count() == before

    changed = {"sections": [*MUNICIPAL_SITUATION_REPORT["sections"][:-1]]}
    seeds = [(*s[:-1], changed) if s[1] == SITUATION else s for s in SEED_FORMS]
    monkeypatch.setattr("reporting.management.commands.load_report_forms.SEED_FORMS", seeds)
    call_command("load_report_forms", stdout=StringIO())
    call_command("load_report_forms", stdout=StringIO())
    versions = list(situation_form().versions.order_by("number"))
    assert [v.definition for v in versions[-2:]] == [MUNICIPAL_SITUATION_REPORT, changed]
    assert ReportFormVersion.objects.count() == before + 1


def test_the_situation_report_covers_every_sector():
    latest = situation_form().versions.order_by("-number").first()
    titles = [s["title"] for s in latest.sections]
    for title in [
        "Helse og omsorg",
        "Vann og avløp",
        "Kraft og elektronisk kommunikasjon",
        "IKT",
        "Transport og veg",
        "Evakuering og innkvartering",
        "Informasjon til befolkningen",
        "Bemanning",
        "Behov for bistand",
        "Kommunens samlede vurdering",
    ]:
        assert title in titles


# --- pages -----------------------------------------------------------------------------


def test_list_and_detail_pages(login):
    client = login("bergen_manager")
    page = html(client.get(reverse("reporting:form-list")))
    assert SITUATION in page and "Bosetting av flyktninger" in page
    assert "Samordningskanal" in page or "samordningskanal" in page
    form = situation_form()
    detail = html(client.get(reverse("reporting:form-detail", args=[form.uuid])))
    assert "Vann og avløp" in detail and "Innbyggere uten trygt drikkevann" in detail
    assert "Fra 0 til 100 %" in detail  # staff absence in per cent
    assert "Grønn" in detail and "Rød" in detail
    assert 'aria-current="page">Rapportskjema<' in detail  # the menu marks the forms


def test_detail_shows_an_older_version_on_request(login):
    form = vestland_form()
    extra = {"key": "merknad", "type": "long_text", "label": "Ny merknad"}
    actions.do_publish_form_version(
        form, acting_user=user("vestland_officer"), definition=definition(extra)
    )
    client = login("stavanger_manager")
    url = reverse("reporting:form-detail", args=[form.uuid])
    latest = html(client.get(url))
    assert "Ny merknad" in latest and "Antall" not in latest
    old = html(client.get(url + "?version=1"))
    assert "Antall" in old and "Ny merknad" not in old
    assert "Du ser på versjon 1" in old
    assert client.get(url + "?version=7").status_code == 404
    assert client.get(url + "?version=x").status_code == 404


def test_htmx_request_gets_the_partial(login):
    response = login("ks_analyst").get(reverse("reporting:form-list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in html(response)


# --- API -------------------------------------------------------------------------------


def test_api_list_and_detail():
    client = api("bergen_manager")
    rows = client.get(reverse("api:report-form-list")).json()["results"]
    by_title = {row["title"]: row for row in rows}
    row = by_title[SITUATION]
    assert row["owner"] == str(org("dsb").uuid)
    assert row["owner_name"] == "Direktoratet for samfunnssikkerhet og beredskap"
    assert row["track"] == "preparedness" and row["kind"] == "full"
    assert row["latest_version"] >= 1 and "definition" not in row
    form = situation_form()
    detail = client.get(reverse("api:report-form-detail", args=[form.uuid])).json()
    assert detail["id"] == str(form.uuid)
    assert detail["definition"]["sections"][0]["key"] == "situasjon"
    assert [v["number"] for v in detail["versions"]] == sorted(
        form.versions.values_list("number", flat=True), reverse=True
    )
    assert detail["versions"][0]["number"] == detail["latest_version"]
    sector = client.get(reverse("api:report-form-list") + "?track=sector").json()["results"]
    assert {r["track"] for r in sector} == {"sector"}


def test_api_is_read_only():
    url = reverse("api:report-form-list")
    assert api("dsb_analyst").post(url, {"title": "Nei"}, format="json").status_code == 405
    detail = reverse("api:report-form-detail", args=[situation_form().uuid])
    assert api("dsb_analyst").patch(detail, {"title": "Nei"}, format="json").status_code == 405


# --- query counts ----------------------------------------------------------------------


def test_lists_run_a_constant_number_of_queries(login):
    client = login("bergen_manager")
    urls = [reverse("reporting:form-list"), reverse("api:report-form-list")]
    few = [query_count(client, url) for url in urls]
    for n in range(12):
        form = vestland_form(title=f"Skjema {n}")
        actions.do_publish_form_version(
            form, acting_user=user("vestland_officer"), definition=definition()
        )
    assert [query_count(client, url) for url in urls] == few
    detail = reverse("reporting:form-detail", args=[situation_form().uuid])
    before = query_count(client, detail)
    actions.do_publish_form_version(
        situation_form(), acting_user=user("dsb_analyst"), definition=MUNICIPAL_SITUATION_REPORT
    )
    assert query_count(client, detail) == before
