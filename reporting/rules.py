"""Who may create report forms and publish new versions of them (used by the actions,
views, API and templates alike)."""

import rules

from portal.access import viewer_for
from portal.roles import Role


def form_owner_orgs(user) -> set[int]:
    """The organisations the user may hold report forms for: a State Administrator
    officer's office, a national analyst's body (DSB, a directorate)."""
    return {
        org_id
        for org_id, role in viewer_for(user).roles
        if role in (Role.OFFICER, Role.NATIONAL_ANALYST)
    }


@rules.predicate
def creates_report_forms(user, owner=None):
    """With an organisation: may create forms owned by it; without: by any."""
    orgs = form_owner_orgs(user)
    return bool(orgs) if owner is None else owner.pk in orgs


@rules.predicate
def publishes_report_form(user, form):
    return form is not None and form.owner_id in form_owner_orgs(user)


rules.add_perm("reporting.create_form", creates_report_forms)
rules.add_perm("reporting.publish_form", publishes_report_form)


def submitter_orgs(user) -> set[int]:
    """The municipalities whose submissions the user writes: as emergency manager or
    crisis staff (readers only read)."""
    return {
        org_id
        for org_id, role in viewer_for(user).roles
        if role in (Role.EMERGENCY_MANAGER, Role.CRISIS_STAFF)
    }


@rules.predicate
def issues_rounds(user):
    return bool(form_owner_orgs(user))


@rules.predicate
def writes_submission(user, submission):
    return submission is not None and submission.municipality_id in submitter_orgs(user)


rules.add_perm("reporting.issue_round", issues_rounds)
rules.add_perm("reporting.write_submission", writes_submission)
