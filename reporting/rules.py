"""Who may create report forms and publish new versions of them (used by the actions,
views, API and templates alike)."""

import rules

from portal.access import org_ids_with, viewer_for
from portal.roles import REPORT_ISSUER_ROLES, REPORT_WRITER_ROLES, SUMMARY_ROLES


def form_owner_orgs(user) -> frozenset[int]:
    """The organisations the user may hold report forms for: a State Administrator
    officer's office, a national analyst's body (DSB, a directorate)."""
    return org_ids_with(user, REPORT_ISSUER_ROLES)


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


def submitter_orgs(user) -> frozenset[int]:
    """The municipalities whose submissions the user writes: as emergency manager or
    crisis staff (readers only read)."""
    return org_ids_with(user, REPORT_WRITER_ROLES)


@rules.predicate
def issues_rounds(user):
    return bool(form_owner_orgs(user))


@rules.predicate
def writes_submission(user, submission):
    return submission is not None and submission.municipality_id in submitter_orgs(user)


rules.add_perm("reporting.issue_round", issues_rounds)
rules.add_perm("reporting.write_submission", writes_submission)


def reviewer_orgs_for(user) -> tuple[frozenset[int], set[int]]:
    """(issuing organisations, offices) whose submissions the user reviews: an officer
    reviews the submissions of the office's region and of rounds the office issued; a
    national analyst those of rounds the body issued."""
    viewer = viewer_for(user)
    return form_owner_orgs(user), set(viewer.officer_office_ids)


@rules.predicate
def reviews_submission(user, submission):
    """Acknowledges and comments on a submission as the office or the issuer."""
    if submission is None:
        return False
    issuers, offices = reviewer_orgs_for(user)
    return submission.round.issuer_id in issuers or submission.municipality.region_id in offices


@rules.predicate
def comments_on_submission(user, submission):
    """The office, the issuer, and the municipality's own writers."""
    return writes_submission(user, submission) or reviews_submission(user, submission)


@rules.predicate
def manages_round(user, round_):
    """Closes a round, and sets up or stops its recurrence: the issuer's officers or
    national analysts."""
    return round_ is not None and round_.issuer_id in form_owner_orgs(user)


def compiles(user, round_, office=None) -> bool:
    """Compiles the picture of ``round_``: a regional one (``office``) by the office's
    officers, the national one by the round's issuer (its officers or analysts) — when
    the issuer is an office, its region is the whole round and it compiles regionally."""
    if round_ is None:
        return False
    viewer = viewer_for(user)
    if office is not None:
        return office.pk in viewer.officer_office_ids
    return round_.issuer_id in form_owner_orgs(user)


rules.add_perm("reporting.review_submission", reviews_submission)
rules.add_perm("reporting.comment_submission", comments_on_submission)
rules.add_perm("reporting.manage_round", manages_round)


@rules.predicate
def manages_schedule(user, schedule):
    """Stops a recurring round: the issuer's officers or national analysts."""
    return schedule is not None and schedule.issuer_id in form_owner_orgs(user)


rules.add_perm("reporting.manage_schedule", manages_schedule)


@rules.predicate
def exports_round(user, round_):
    """A round's table (CSV/XLSX): the issuer's people (officers, national analysts) and
    the officers of a region in the round (their region's rows). A municipality has its
    own answers on its submission page and gets no table. ``round_`` must be one the
    user sees (``ReportingRound.objects.visible_to``)."""
    if round_ is None:
        return False
    return round_.issuer_id in form_owner_orgs(user) or bool(viewer_for(user).officer_office_ids)


@rules.predicate
def summarises(user):
    """KS summaries over rounds and incidents (aggregates only): KS analysts and
    national analysts."""
    return bool(viewer_for(user).role_names & SUMMARY_ROLES)


rules.add_perm("reporting.export_round", exports_round)
rules.add_perm("reporting.ks_summary", summarises)
