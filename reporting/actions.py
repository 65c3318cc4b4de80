"""Every write to report forms: one transaction each, attributable (pghistory context;
versions carry who published them). Views, the API and the seed command call these."""

from __future__ import annotations

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import ReportForm, ReportFormVersion
from reporting.validation import field_types, validate_definition


def _context(user, action):
    return pghistory.context(user=user.pk if user is not None else None, action=action)


def _require_owner(owner, acting_user):
    """``acting_user`` None is the seed command (reference data); views and the API always
    pass the request's user, which is never None (anonymous is ``AnonymousUser``)."""
    from reporting.rules import form_owner_orgs

    if acting_user is not None and (owner is None or owner.pk not in form_owner_orgs(acting_user)):
        raise PermissionDenied


def do_create_form(
    *, owner, acting_user, title, track, kind, definition, description=""
) -> ReportForm:
    """A new report form owned by a State Administrator office (its officers) or a
    national body (its analysts), published at once as version 1."""
    with transaction.atomic(), _context(acting_user, "report_form.create"):
        _require_owner(owner, acting_user)
        form = ReportForm(
            owner=owner,
            title=(title or "").strip(),
            description=description or "",
            track=track,
            kind=kind,
        )
        form.full_clean()
        form.save()
        do_publish_form_version(form, acting_user=acting_user, definition=definition)
        return form


def do_publish_form_version(form: ReportForm, *, acting_user, definition) -> ReportFormVersion:
    """Publish ``definition`` as the form's next version (n + 1). Earlier versions stay as
    they were: rounds issued with them keep using them. A field key keeps its type across
    versions, so answers stay comparable from round to round; a removed key may come back
    only with the same type."""
    with transaction.atomic(), _context(acting_user, "report_form.publish"):
        form = ReportForm.objects.select_for_update().get(pk=form.pk)
        _require_owner(form.owner, acting_user)
        validate_definition(definition)
        earlier: dict[str, str] = {}
        for old in form.versions.order_by("number").values_list("definition", flat=True):
            earlier.update(field_types(old))
        changed = sorted(
            key
            for key, kind in field_types(definition).items()
            if key in earlier and earlier[key] != kind
        )
        if changed:
            raise ValidationError(
                {
                    "definition": _(
                        "A field keeps its type across versions; give a new key to the "
                        "changed fields: %(keys)s."
                    )
                    % {"keys": ", ".join(changed)}
                }
            )
        number = (form.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        return ReportFormVersion.objects.create(
            form=form,
            number=number,
            definition=definition,
            published_at=timezone.now(),
            created_by=acting_user,
        )


# --- rounds and submissions ------------------------------------------------------------


class VersionConflict(ValidationError):
    """Someone else saved the submission after the version the user started from. Nothing
    was saved; ``current`` is the submission as it is now, for the caller to show."""

    def __init__(self, current):
        self.current = current
        saved = timezone.localtime(current.updated_at).strftime("%H:%M")
        super().__init__(
            _("Someone else saved this draft at %(time)s; reload to see their changes.")
            % {"time": saved},
            code="version_conflict",
        )


def round_recipients(*, offices=(), network=None):
    """The municipalities a round goes to: those of the offices' regions, or a network's
    current member municipalities."""
    from networks.models import NetworkMembership, Organisation, OrganisationKind

    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if network is not None:
        members = NetworkMembership.objects.current().filter(network=network)
        return municipalities.filter(pk__in=members.values("organisation_id"))
    return municipalities.filter(region__in=list(offices))


def do_issue_round(
    *,
    issuer,
    acting_user,
    form,
    title,
    deadline,
    offices=(),
    network=None,
    frame=None,
    incident=None,
):
    """Issue the latest published version of ``form`` to the municipalities of one or more
    offices' regions or of a network's current members. An officer issues for the office's
    own region (or a network); a national analyst for any. Each recipient gets a draft
    :class:`Submission` at once."""
    from portal.access import viewer_for
    from reporting.models import ReportingRound, Submission
    from reporting.rules import form_owner_orgs

    with transaction.atomic(), _context(acting_user, "reporting_round.issue"):
        if issuer is None or issuer.pk not in form_owner_orgs(acting_user):
            raise PermissionDenied
        viewer = viewer_for(acting_user)
        offices = list(offices)
        national = viewer.has_role("national_analyst", issuer.pk)
        if not national and any(o.pk not in viewer.officer_office_ids for o in offices):
            raise PermissionDenied
        errors = {}
        version = (
            ReportFormVersion.objects.filter(form=form, published_at__isnull=False)
            .order_by("-number")
            .first()
            if form is not None
            else None
        )
        if version is None:
            errors["form"] = [_("Choose a report form with a published version.")]
        if not (title or "").strip():
            errors["title"] = [_("This field is required.")]
        if deadline is None or deadline <= timezone.now():
            errors["deadline"] = [_("The deadline must be in the future.")]
        if bool(offices) == (network is not None):
            errors["offices"] = [_("Choose one or more regions, or a network.")]
        recipients = [] if errors else list(round_recipients(offices=offices, network=network))
        if not errors and not recipients:
            errors["offices"] = [_("There are no municipalities to send the round to.")]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        is_exercise = bool(
            (frame is not None and frame.is_exercise)
            or (incident is not None and incident.is_exercise)
        )
        round_ = ReportingRound.objects.create(
            form_version=version,
            issuer=issuer,
            frame=frame,
            incident=incident,
            track=form.track,
            kind=form.kind,
            title=title.strip(),
            deadline=deadline,
            opened_at=now,
            is_exercise=is_exercise,
            issued_by=acting_user,
        )
        round_.recipients.set(recipients)
        Submission.objects.bulk_create(
            Submission(round=round_, municipality=municipality) for municipality in recipients
        )
        return round_


def _require_writer(submission, acting_user):
    from reporting.rules import submitter_orgs

    if submission.municipality_id not in submitter_orgs(acting_user):
        raise PermissionDenied


def _locked(submission, expected_version):
    from reporting.models import Submission

    current = (
        Submission.objects.select_for_update()
        .select_related("round", "round__form_version")
        .get(pk=submission.pk)
    )
    if expected_version is None or int(expected_version) != current.version:
        raise VersionConflict(current)
    if current.round.closed_at is not None:
        raise ValidationError(_("The round is closed; submissions are no longer accepted."))
    return current


def _draft_answers(definition, answers):
    """A draft keeps what was entered as it was entered (strings, lists, status
    objects), for the fields of the form only; empty answers are left out."""
    from reporting.validation import iter_fields

    if not isinstance(answers, dict):
        raise ValidationError(_("The answers must be an object of field keys and values."))
    keys = {spec["key"] for spec in iter_fields(definition)}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise ValidationError(
            _("“%(key)s” is not a field of this form.") % {"key": ", ".join(unknown)}
        )
    kept = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v not in (None, "")}
        if value in (None, "", [], {}):
            continue
        kept[key] = value
    return kept


def do_save_draft(submission, answers, *, expected_version, acting_user):
    """Save a draft as entered (no validation beyond the field keys). Refused with a
    :class:`VersionConflict` if someone else saved since ``expected_version``; a submitted
    submission is amended by submitting again, not by a draft."""
    from reporting.models import SubmissionStatus

    with transaction.atomic(), _context(acting_user, "submission.save_draft"):
        _require_writer(submission, acting_user)
        current = _locked(submission, expected_version)
        if current.status != SubmissionStatus.DRAFT:
            raise ValidationError(
                _("This report is already submitted; submit your changes as an amendment.")
            )
        current.answers = _draft_answers(current.round.form_version.definition, answers)
        current.version += 1
        current.save(update_fields=["answers", "version", "updated_at"])
        return current


def do_submit(submission, *, expected_version, acting_user, answers=None):
    """Submit (or amend) the answers — ``answers`` if given, otherwise the saved draft —
    after checking them against the round's form version. Invalid answers: a
    ValidationError per field, nothing saved. A submission after the deadline is
    accepted and marked late. Each submission is kept as a new revision."""
    from reporting.models import SubmissionRevision, SubmissionStatus
    from reporting.validation import validate_answers

    with transaction.atomic(), _context(acting_user, "submission.submit"):
        _require_writer(submission, acting_user)
        current = _locked(submission, expected_version)
        cleaned, errors = validate_answers(
            current.round.form_version.definition,
            current.answers if answers is None else answers,
        )
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        late = now > current.round.deadline
        if current.status == SubmissionStatus.DRAFT:
            current.submitted_at = now
            current.is_late = late
            current.submitted_by = acting_user
        current.status = SubmissionStatus.SUBMITTED
        current.answers = cleaned
        current.version += 1
        current.save()
        number = current.revisions.count() + 1
        SubmissionRevision.objects.create(
            submission=current,
            number=number,
            answers=cleaned,
            submitted_at=now,
            submitted_by=acting_user,
            is_late=late,
        )
        current.refresh_from_db(fields=["answers"])
        return current
