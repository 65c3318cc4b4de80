"""Access-matrix cases for the form builder (reporting/builder).

Every signed-in user sees every report form (reporting_cases), so nobody gets 404 here;
the builder is for issuers (officers of a State Administrator office, national
analysts): everyone else gets 403. A form's draft is edited, previewed and published by
its owner's issuers only — Vestland's form by vestland_officer, DSB's by dsb_analyst —
and any issuer may copy a form with a published version; a form with no version yet
(only a draft) is copied by its owner's issuers alone.
"""

from reporting import actions as core_actions
from reporting.builder import actions
from reporting.models import ReportForm
from tests.access.reporting_cases import ISSUERS
from tests.helpers import org
from tests.personas import user

VESTLAND_EDITORS = {"vestland_officer"}
DSB_EDITORS = {"dsb_analyst"}
DEFINITION = {
    "sections": [
        {
            "key": "s",
            "title": "Seksjon",
            "fields": [{"key": "antall", "type": "integer", "label": "Antall", "min": 0}],
        }
    ]
}


def _forms():
    """Vestland's published form with a draft of its next version; Vestland's form with
    only a draft; DSB's seeded form (published, no draft)."""
    officer = user("vestland_officer")
    published = core_actions.do_create_form(
        owner=org("statsforvalteren-vestland"),
        acting_user=officer,
        title="Matrise: skjemabygger",
        track="preparedness",
        kind="short",
        definition=DEFINITION,
    )
    actions.do_save_draft(published, acting_user=officer)
    draft_only = actions.do_create_draft_form(
        owner=org("statsforvalteren-vestland"),
        acting_user=officer,
        title="Matrise: bare utkast",
        track="preparedness",
        kind="short",
        draft=DEFINITION,
    )
    dsb = ReportForm.objects.filter(owner__slug="dsb").order_by("pk").first()
    return published, draft_only, dsb


def _cases(Case, targets, variants, api):
    return [
        Case(kwargs={"uuid": form.uuid}, allowed=allowed, method=method, ok=ok, api=api)
        for method, ok in variants
        for form, allowed in targets
    ]


def edit_cases(Case, *variants, api=False, dsb=True):
    """The owner's issuers edit; each (method, ok) in ``variants`` on the same objects
    (built once)."""

    def build():
        published, draft_only, dsb_form = _forms()
        targets = [(published, VESTLAND_EDITORS), (draft_only, VESTLAND_EDITORS)]
        if dsb:
            targets.append((dsb_form, DSB_EDITORS))
        return _cases(Case, targets, variants or [("get", (200,))], api)

    return build


def copy_cases(Case, *variants, api=False):
    """Every issuer copies a published form; a draft-only form its owner's issuers."""

    def build():
        published, draft_only, dsb_form = _forms()
        targets = [(published, ISSUERS), (dsb_form, ISSUERS), (draft_only, VESTLAND_EDITORS)]
        return _cases(Case, targets, variants or [("get", (200,))], api)

    return build


def routes(Case):
    """The matrix entries of this module (merged into ROUTES in test_matrix.py)."""
    return {
        "reporting:builder-list": lambda: [Case(kwargs={}, allowed=ISSUERS)],
        "reporting:builder-create": lambda: [
            Case(kwargs={}, allowed=ISSUERS),
            Case(kwargs={}, allowed=ISSUERS, method="post", ok=(400,)),  # empty form
        ],
        # a POST naming no operation: 400
        "reporting:builder-edit": edit_cases(Case, ("get", (200,)), ("post", (400,))),
        # the DSB form has no draft: nothing to preview
        "reporting:builder-preview": edit_cases(Case, dsb=False),
        # published (302 to the form), or refused (302 back to the editor)
        "reporting:builder-publish": edit_cases(Case, ("post", (302,))),
        # a POST without a title: 400
        "reporting:builder-copy": copy_cases(Case, ("get", (200,)), ("post", (400,))),
        # API
        "api:form-builder-list": lambda: [
            Case(kwargs={}, allowed=ISSUERS, method="post", ok=(400,), api=True)
        ],
        "api:form-builder-detail": edit_cases(Case, api=True),
        "api:form-builder-draft": edit_cases(Case, api=True),
        # the DSB form has no draft: 400 "no draft"; the Vestland drafts are complete
        "api:form-builder-check": edit_cases(Case, ("post", (200, 400)), api=True),
        "api:form-builder-publish": edit_cases(Case, ("post", (201, 400)), api=True),
        "api:form-builder-copy": copy_cases(Case, ("post", (400,)), api=True),
    }
