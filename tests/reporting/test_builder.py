"""The form builder (reporting/builder): the definition's aggregate key, the draft's
edits and problems, the actions, the pages (HTMX and plain POST) and the API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from pghistory.models import Events

from reporting.builder import actions, editing
from reporting.models import ReportForm
from reporting.validation import definition_errors, field_aggregate
from tests.helpers import api, html, org

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

VESTLAND = "statsforvalteren-vestland"
ROGALAND = "statsforvalteren-rogaland"


def number(key="antall", **spec):
    return {"key": key, "type": "integer", "label": "Antall", **spec}


def definition(*fields):
    fields = fields or (number(min=0),)
    return {"sections": [{"key": "s", "title": "Seksjon", "fields": list(fields)}]}


def draft_form(persona_user, owner=VESTLAND, draft=None, title="Flom Vestland"):
    return actions.do_create_draft_form(
        owner=org(owner),
        acting_user=persona_user,
        title=title,
        track="preparedness",
        kind="short",
        draft=draft,
    )


@pytest.fixture
def officer():
    from tests.personas import user

    return user("vestland_officer")


# --- the definition's aggregate ----------------------------------------------------------


def test_aggregate_defaults_follow_unit_and_type():
    assert field_aggregate(number()) == "sum"
    assert field_aggregate({"type": "decimal", "unit": "%"}) == "weighted_mean"
    assert field_aggregate({"type": "decimal", "unit": "mm"}) == "median"
    assert field_aggregate({"type": "decimal", "aggregate": "none"}) == "none"
    assert field_aggregate({"type": "short_text"}) is None


def test_aggregate_is_validated_and_only_for_numbers():
    assert definition_errors(definition(number(aggregate="median"))) == []
    assert any(
        "aggregate must be one of" in e
        for e in definition_errors(definition(number(aggregate="avg")))
    )
    text = {"key": "t", "type": "short_text", "label": "T", "aggregate": "sum"}
    assert any("keys not allowed" in e for e in definition_errors(definition(text)))


# --- edits and problems ----------------------------------------------------------------


def test_edits_move_and_remove_sections_and_fields():
    draft = editing.add_section(editing.EMPTY, {"key": "a", "title": "A"})
    draft = editing.add_section(draft, {"key": "b", "title": "B"})
    draft = editing.add_field(draft, 0, number("x"))
    draft = editing.add_field(draft, 0, number("y"))
    draft = editing.move_field(draft, 0, 1, -1)
    assert [f["key"] for f in draft["sections"][0]["fields"]] == ["y", "x"]
    draft = editing.move_field(draft, 0, 1, 1)  # past the edge: first of the next section
    assert [f["key"] for f in draft["sections"][1]["fields"]] == ["x"]
    draft = editing.move_section(draft, 1, -1)
    assert [s["key"] for s in draft["sections"]] == ["b", "a"]
    draft = editing.remove_field(draft, 0, 0)
    draft = editing.remove_section(draft, 0)
    assert [s["key"] for s in draft["sections"]] == ["a"]
    with pytest.raises(IndexError):
        editing.remove_field(draft, 3, 0)
    assert editing.EMPTY == {"sections": []}  # nothing edited in place


def test_problems_are_named_by_section_and_field_in_norwegian():
    draft = {
        "sections": [
            {
                "key": "s",
                "title": "S",
                "fields": [
                    number("x", min=10, max=1),
                    number("x"),
                    {"key": "valg", "type": "choice", "label": "Valg", "options": []},
                ],
            }
        ]
    }
    with translation.override("nb"):
        problems = editing.draft_problems(draft, {"valg": "short_text"})
    assert set(problems) == {"s0f0", "s0f1", "s0f2"}
    assert problems["s0f0"] == ["min er større enn maks."]
    assert "brukt to ganger" in problems["s0f1"][0]
    assert any("minst to valg" in p for p in problems["s0f2"])
    assert any("publisert som en annen type" in p for p in problems["s0f2"])


# --- actions ---------------------------------------------------------------------------


def test_publish_draft_makes_a_new_immutable_version_and_clears_the_draft(officer):
    form = draft_form(officer, draft=definition())
    version = actions.do_publish_draft(form, acting_user=officer)
    form.refresh_from_db()
    assert version.number == 1 and version.definition == definition()
    assert form.draft is None
    form = actions.do_save_draft(form, acting_user=officer)  # a new draft from v1
    assert form.draft == definition()
    changed = definition(number(min=0, max=5))
    actions.do_save_draft(form, acting_user=officer, draft=changed)
    assert actions.do_publish_draft(form, acting_user=officer).number == 2
    contexts = [
        e.pgh_context["action"] for e in Events.objects.references(form).order_by("pgh_created_at")
    ]
    assert contexts.count("report_form.publish") == 2 and "report_form.save_draft" in contexts


def test_publish_refuses_a_type_change_and_an_invalid_draft(officer):
    form = draft_form(officer, draft=definition())
    actions.do_publish_draft(form, acting_user=officer)
    actions.do_save_draft(
        form,
        acting_user=officer,
        draft=definition({"key": "antall", "type": "decimal", "label": "A"}),
    )
    with pytest.raises(ValidationError, match="published as another type"):
        actions.do_publish_draft(form, acting_user=officer)
    actions.do_save_draft(form, acting_user=officer, draft={"sections": []})
    with pytest.raises(ValidationError, match="at least one section"):
        actions.do_publish_draft(form, acting_user=officer)
    assert form.versions.count() == 1


def test_only_the_owners_issuers_write(officer):
    from tests.personas import user

    form = draft_form(officer)
    for name in ("rogaland_officer", "bergen_manager", "dsb_analyst"):
        with pytest.raises(PermissionDenied):
            actions.do_save_draft(form, acting_user=user(name), draft=definition())
        with pytest.raises(PermissionDenied):
            actions.do_publish_draft(form, acting_user=user(name))
    with pytest.raises(PermissionDenied):
        draft_form(user("rogaland_officer"))  # Vestland's office is not Rogaland's


def test_copy_takes_the_latest_version_of_anothers_form(officer):
    from tests.personas import user

    form = draft_form(officer, draft=definition())
    rogaland = user("rogaland_officer")
    with pytest.raises(PermissionDenied):  # no version yet: the draft is Vestland's own
        actions.do_copy_form(form, owner=org(ROGALAND), acting_user=rogaland, title="Kopi")
    actions.do_publish_draft(form, acting_user=officer)
    actions.do_save_draft(form, acting_user=officer, draft=definition(number("hemmelig")))
    copy = actions.do_copy_form(form, owner=org(ROGALAND), acting_user=rogaland, title="Kopi")
    assert copy.owner == org(ROGALAND) and copy.draft == definition()
    assert copy.versions.count() == 0


# --- pages -----------------------------------------------------------------------------


def edit_url(form):
    return reverse("reporting:builder-edit", args=[form.uuid])


def test_the_journey_through_the_pages_without_javascript(login):
    client = login("vestland_officer")
    response = client.post(
        reverse("reporting:builder-create"),
        {"owner": org(VESTLAND).pk, "title": "Strømbrudd", "track": "sector", "kind": "short"},
    )
    form = ReportForm.objects.get(title="Strømbrudd")
    assert response.status_code == 302 and response["Location"] == edit_url(form)
    url = edit_url(form)
    client.post(url, {"op": "add_section", "new-key": "strom", "new-title": "Strøm"})
    response = client.post(
        url,
        {
            "op": "add_field",
            "s": 0,
            "s0new-key": "andel",
            "s0new-type": "decimal",
            "s0new-label": "Andel uten strøm",
            "s0new-unit": "%",
            "s0new-min": "0",
            "s0new-max": "100",
            "s0new-aggregate": "weighted_mean",
            "s0new-required": "on",
        },
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.draft["sections"][0]["fields"] == [
        {
            "key": "andel",
            "type": "decimal",
            "label": "Andel uten strøm",
            "required": True,
            "min": 0,
            "max": 100,
            "unit": "%",
            "aggregate": "weighted_mean",
        }
    ]
    page = html(client.get(reverse("reporting:builder-preview", args=[form.uuid])))
    assert 'name="andel"' in page
    tried = client.post(reverse("reporting:builder-preview", args=[form.uuid]), {"andel": "140"})
    assert tried.status_code == 400 and "Must be at most 100 %." in html(tried)
    response = client.post(reverse("reporting:builder-publish", args=[form.uuid]))
    assert response["Location"] == reverse("reporting:form-detail", args=[form.uuid])
    assert form.versions.get().number == 1


def test_problems_and_bad_input_are_shown_in_place(login, officer):
    client = login("vestland_officer")
    form = draft_form(
        officer,
        draft=definition(number("a", min=10, max=1), number("a")),
    )
    page = html(client.get(edit_url(form)))
    assert "min is greater than max." in page and "the field key 'a' is used twice." in page
    assert 'id="s0f0-problems"' in page and 'id="s0f1-problems"' in page
    assert "disabled" in page  # the publish button
    response = client.post(
        edit_url(form),
        {
            "op": "add_field",
            "s": 0,
            "s0new-key": "Feil nøkkel",
            "s0new-type": "choice",
            "s0new-label": "V",
            "s0new-options": "bare en linje",
        },
    )
    assert response.status_code == 400
    body = html(response)
    assert "Use lower-case letters" in body and "Write each option as value=Label" in body
    refused = client.post(reverse("reporting:builder-publish", args=[form.uuid]), follow=True)
    assert "min is greater than max." in html(refused)
    assert form.versions.count() == 0


def test_htmx_moves_swap_the_editor(login, officer):
    client = login("vestland_officer")
    form = draft_form(officer, draft=definition(number("a"), number("b")))
    response = client.post(
        edit_url(form), {"op": "move_field", "s": 0, "f": 1, "dir": "up"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = html(response)
    assert body.lstrip().startswith('<div id="editor"') and "<html" not in body
    form.refresh_from_db()
    assert [f["key"] for f in form.draft["sections"][0]["fields"]] == ["b", "a"]


def test_pages_refuse_others(login, officer):
    form = draft_form(officer)
    assert login("rogaland_officer").get(edit_url(form)).status_code == 403
    assert login("bergen_manager").get(reverse("reporting:builder-list")).status_code == 403


# --- API -------------------------------------------------------------------------------


def test_api_create_replace_check_publish_copy():
    client = api("vestland_officer")
    created = client.post(
        "/api/v1/form-builder/",
        {"title": "API-skjema", "track": "preparedness", "kind": "full"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    uuid = created.json()["id"]
    bad = definition(number(min=5, max=1))
    assert (
        client.put(f"/api/v1/form-builder/{uuid}/draft/", {"draft": bad}, format="json").status_code
        == 200
    )
    check = client.post(f"/api/v1/form-builder/{uuid}/check/")
    assert check.status_code == 400 and check.json()["problems"] == {
        "s0f0": ["min is greater than max."]
    }
    publish = client.post(f"/api/v1/form-builder/{uuid}/publish/")
    assert publish.status_code == 400 and "draft" in publish.json()
    client.put(f"/api/v1/form-builder/{uuid}/draft/", {"draft": definition()}, format="json")
    assert client.post(f"/api/v1/form-builder/{uuid}/check/").json() == {
        "valid": True,
        "problems": {},
    }
    publish = client.post(f"/api/v1/form-builder/{uuid}/publish/")
    assert publish.status_code == 201 and publish.json()["number"] == 1
    assert client.get(f"/api/v1/form-builder/{uuid}/draft/").json()["draft"] is None
    copy = api("rogaland_officer").post(
        f"/api/v1/form-builder/{uuid}/copy/", {"title": "Kopi"}, format="json"
    )
    assert copy.status_code == 201 and copy.json()["draft"] == definition()
    assert api("rogaland_officer").get(f"/api/v1/form-builder/{uuid}/draft/").status_code == 403
    assert api("bergen_manager").get(f"/api/v1/form-builder/{uuid}/").status_code == 403
    bad_shape = client.put(f"/api/v1/form-builder/{uuid}/draft/", {"draft": [1]}, format="json")
    assert bad_shape.status_code == 400 and "draft" in bad_shape.json()


# --- query counts ----------------------------------------------------------------------


def test_list_and_editor_run_a_constant_number_of_queries(login, officer):
    from tests.helpers import query_count

    client = login("vestland_officer")
    form = draft_form(officer, draft=definition(number("a")), title="Målt")
    urls = [reverse("reporting:builder-list"), edit_url(form), f"/api/v1/form-builder/{form.uuid}/"]
    few = [query_count(client, url) for url in urls]
    for n in range(10):
        other = draft_form(officer, draft=definition(), title=f"Skjema {n}")
        actions.do_publish_draft(other, acting_user=officer)
    big = {
        "sections": [
            {
                "key": f"s{s}",
                "title": f"S{s}",
                "fields": [number(f"f{s}_{f}", min=0, max=10) for f in range(8)],
            }
            for s in range(6)
        ]
    }
    actions.do_save_draft(form, acting_user=officer, draft=big)
    actions.do_publish_draft(form, acting_user=officer)
    actions.do_save_draft(form, acting_user=officer)
    assert [query_count(client, url) for url in urls] == few
