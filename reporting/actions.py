"""Every write to report forms: one transaction each, attributable (pghistory context;
versions carry who published them). Views, the API and the seed command call these."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from networks.structure.models import NetworkMembership, Office, Organisation, OrganisationKind
from portal.access import viewer_for
from portal.history import VersionConflict as HistoryVersionConflict
from portal.history import history_context
from portal.live import bump_after_commit
from portal.models import NotificationKind
from portal.notifications.actions import notify, users_of
from portal.roles import MUNICIPAL_ROLES, REPORT_ISSUER_ROLES, REPORT_WRITER_ROLES
from portal.validators import control_character_errors
from reporting.compilation import compute_aggregates
from reporting.models import (
    Compilation,
    CompilationLevel,
    PictureSeen,
    ReportForm,
    ReportFormVersion,
    ReportingRound,
    RoundSchedule,
    Submission,
    SubmissionComment,
    SubmissionRevision,
    SubmissionStatus,
)
from reporting.rules import (
    compiles,
    form_owner_orgs,
    manages_round,
    manages_schedule,
    reviewer_orgs_for,
    reviews_submission,
    submitter_orgs,
    writes_submission,
)
from reporting.validation import field_types, iter_fields, validate_answers, validate_definition


def round_version_key(round_id: int) -> str:
    """Cache key holding when a round's dashboard last changed (its live poll)."""
    return f"round-dashboard-version:{round_id}"


def _round_changed(round_id: int) -> None:
    bump_after_commit(round_version_key(round_id))


def _require_owner(owner, acting_user):
    """``acting_user`` None is the seed command (reference data); views and the API always
    pass the request's user, which is never None (anonymous is ``AnonymousUser``)."""
    if acting_user is not None and (owner is None or owner.pk not in form_owner_orgs(acting_user)):
        raise PermissionDenied


def do_create_form(
    *, owner, acting_user, title, track, kind, definition, description=""
) -> ReportForm:
    """A new report form owned by a State Administrator office (its officers) or a
    national body (its analysts), published at once as version 1."""
    with transaction.atomic(), history_context(acting_user, "report_form.create"):
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
    with transaction.atomic(), history_context(acting_user, "report_form.publish"):
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


class VersionConflict(HistoryVersionConflict):
    """Someone else saved the submission after the version the user started from. Nothing
    was saved; ``current`` is the submission as it is now, for the caller to show."""

    def __init__(self, current):
        saved = timezone.localtime(current.updated_at).strftime("%H:%M")
        super().__init__(
            _("Someone else saved this draft at %(time)s; reload to see their changes.")
            % {"time": saved},
            current_version=current.version,
            current=current,
        )


def round_recipients(*, offices=(), network=None):
    """The municipalities a round goes to: those of the offices' regions, or a network's
    current member municipalities."""
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
    schedule=None,
    occurrence=None,
):
    """Issue the latest published version of ``form`` to the municipalities of one or more
    offices' regions or of a network's current members. An officer issues for the office's
    own region (or a network); a national analyst for any. Each recipient gets a draft
    :class:`Submission` at once, and its writers a "new round" notification. A round of a
    recurring ``schedule`` names its day (``occurrence``); issuing the same day twice
    raises ``IntegrityError`` (see ``reporting.tasks.issue_due_rounds``)."""
    with transaction.atomic(), history_context(acting_user, "reporting_round.issue"):
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
        errors.update(control_character_errors(title=title))  # it titles the notices
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
            schedule=schedule,
            occurrence=occurrence,
        )
        round_.recipients.set(recipients)
        Submission.objects.bulk_create(
            Submission(round=round_, municipality=municipality) for municipality in recipients
        )
        notify_round_issued(round_, [m.pk for m in recipients])
        return round_


def _require_writer(submission, acting_user):
    if submission.municipality_id not in submitter_orgs(acting_user):
        raise PermissionDenied


def _locked(submission, expected_version):
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
    with transaction.atomic(), history_context(acting_user, "submission.save_draft"):
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
    with transaction.atomic(), history_context(acting_user, "submission.submit"):
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
        _round_changed(current.round_id)
        return current


# --- closing, acknowledging, commenting ------------------------------------------------


def do_close_round(round_, *, acting_user):
    """Close a round: no more submissions or amendments. Closing twice changes nothing."""
    with transaction.atomic(), history_context(acting_user, "reporting_round.close"):
        current = ReportingRound.objects.select_for_update().get(pk=round_.pk)
        if not manages_round(acting_user, current):
            raise PermissionDenied
        if current.closed_at is None:
            current.closed_at = timezone.now()
            current.closed_by = acting_user
            current.save(update_fields=["closed_at", "closed_by"])
            _round_changed(current.pk)
        return current


def _municipality_writers(municipality_ids):
    return users_of(municipality_ids, REPORT_WRITER_ROLES)


def do_acknowledge(submission, *, acting_user):
    """The office (or the issuer) acknowledges a submitted report; the municipality's
    writers are notified. Acknowledging again keeps the first acknowledgement."""
    with transaction.atomic(), history_context(acting_user, "submission.acknowledge"):
        current = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("round", "municipality")
            .get(pk=submission.pk)
        )
        if not reviews_submission(acting_user, current):
            raise PermissionDenied
        if current.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted report can be acknowledged."))
        if current.acknowledged_at is None:
            current.acknowledged_at = timezone.now()
            current.acknowledged_by = acting_user
            # Not a save by the municipality: the draft version stays as it is.
            Submission.objects.filter(pk=current.pk).update(
                acknowledged_at=current.acknowledged_at, acknowledged_by=acting_user
            )
            notify(
                _municipality_writers([current.municipality_id]),
                event_key=f"submission:{current.uuid}:acknowledged",
                kind=NotificationKind.ACKNOWLEDGED,
                title=_("Your report in “%(round)s” is acknowledged") % {"round": current.round},
                url=reverse_submission(current),
            )
            _round_changed(current.round_id)
        return current


def reverse_submission(submission):
    return reverse("reporting:submission", kwargs={"uuid": submission.uuid})


COMMENT_MAX_LENGTH = 4000


def do_comment(submission, *, acting_user, body):
    """A comment on a submission, by the office/issuer or by the municipality; the other
    side is notified."""
    body = (body or "").strip()
    with transaction.atomic(), history_context(acting_user, "submission.comment"):
        reviewer = reviews_submission(acting_user, submission)
        writer = writes_submission(acting_user, submission)
        if not (reviewer or writer):
            raise PermissionDenied
        if not body:
            raise ValidationError({"body": [_("Write a comment.")]})
        if len(body) > COMMENT_MAX_LENGTH:
            raise ValidationError(
                {
                    "body": [
                        _("At most %(max)d characters (it has %(length)d).")
                        % {"max": COMMENT_MAX_LENGTH, "length": len(body)}
                    ]
                }
            )
        if reviewer:
            issuers, offices = reviewer_orgs_for(acting_user)
            if submission.round.issuer_id in issuers:
                organisation_id = submission.round.issuer_id
            else:
                organisation_id = Office.objects.get(
                    pk=submission.municipality.region_id
                ).organisation_id
            recipients = _municipality_writers([submission.municipality_id])
        else:
            organisation_id = submission.municipality_id
            office_org = Office.objects.filter(pk=submission.municipality.region_id).values_list(
                "organisation_id", flat=True
            )
            recipients = users_of({submission.round.issuer_id, *office_org}, REPORT_ISSUER_ROLES)
        comment = SubmissionComment.objects.create(
            submission=submission,
            organisation_id=organisation_id,
            author=acting_user,
            body=body,
        )
        notify(
            [u for u in recipients if u.pk != acting_user.pk],
            event_key=f"comment:{comment.uuid}",
            kind=NotificationKind.COMMENT,
            title=_("New comment on “%(submission)s”") % {"submission": submission},
            body=body[:500],
            url=reverse_submission(submission),
        )
        return comment


# --- compiling and publishing ----------------------------------------------------------


def do_start_compilation(round_, *, acting_user, office=None):
    """The office's regional compilation of ``round_`` (``office``) or the issuer's
    national one; created on first use, returned as it is afterwards."""
    if not compiles(acting_user, round_, office):
        raise PermissionDenied
    with transaction.atomic(), history_context(acting_user, "compilation.start"):
        ReportingRound.objects.select_for_update().get(pk=round_.pk)
        if office is not None:
            if not round_.recipients.filter(region=office).exists():
                raise ValidationError(_("None of the round's municipalities are in this region."))
            compilation, _created = Compilation.objects.get_or_create(
                round=round_,
                level=CompilationLevel.REGIONAL,
                office=office,
                defaults={"author_org_id": office.organisation_id},
            )
        else:
            compilation, _created = Compilation.objects.get_or_create(
                round=round_,
                level=CompilationLevel.NATIONAL,
                office=None,
                defaults={"author_org_id": round_.issuer_id},
            )
        if _created:
            _round_changed(round_.pk)
        return compilation


ASSESSMENT_MAX_LENGTH = 20000


def _locked_compilation(compilation, acting_user, expected_version=None):
    current = (
        Compilation.objects.select_for_update(of=("self",))
        .select_related("round", "round__form_version", "office")
        .get(pk=compilation.pk)
    )
    if not compiles(acting_user, current.round, current.office):
        raise PermissionDenied
    if expected_version is not None and int(expected_version) != current.version:
        saved = timezone.localtime(current.updated_at).strftime("%H:%M")
        raise HistoryVersionConflict(
            _("Someone else saved this compilation at %(time)s; reload to see their changes.")
            % {"time": saved},
            current_version=current.version,
            current=current,
        )
    return current


def do_save_assessment(compilation, *, acting_user, assessment, expected_version):
    """Save the office's (or issuer's) own assessment, with a version check. After a
    publication this is the draft of the next one: the published picture keeps the text
    it was published with (``published_assessment``) until the author publishes again."""
    assessment = (assessment or "").strip()
    with transaction.atomic(), history_context(acting_user, "compilation.save"):
        current = _locked_compilation(compilation, acting_user, expected_version)
        if len(assessment) > ASSESSMENT_MAX_LENGTH:
            raise ValidationError(
                {
                    "assessment": [
                        _("At most %(max)d characters (it has %(length)d).")
                        % {"max": ASSESSMENT_MAX_LENGTH, "length": len(assessment)}
                    ]
                }
            )
        current.assessment = assessment
        current.version += 1
        current.save(update_fields=["assessment", "version", "updated_at"])
        return current


def do_publish_compilation(compilation, *, acting_user):
    """Publish the compiled picture: the aggregates are computed now and frozen together
    with the assessment as it is now, and every municipality in scope (the region's, or
    the whole round's) is notified. A later publication replaces the picture (history
    keeps the earlier one)."""
    with transaction.atomic(), history_context(acting_user, "compilation.publish"):
        current = _locked_compilation(compilation, acting_user)
        if not current.assessment.strip():
            raise ValidationError({"assessment": [_("Write the assessment before publishing.")]})
        now = timezone.now()
        aggregates = compute_aggregates(current.round, current.office, now=now)
        if current.published_at is not None:
            # Publishing again with nothing changed (a double click, a retried request)
            # is no new publication: no second notice to every municipality.
            def same(a, b):
                return {k: v for k, v in (a or {}).items() if k != "computed_at"} == {
                    k: v for k, v in (b or {}).items() if k != "computed_at"
                }

            if not current.has_unpublished_changes and same(aggregates, current.aggregates):
                return current
        current.aggregates = aggregates
        current.published_assessment = current.assessment
        current.published_at = now
        current.published_by = acting_user
        current.version += 1
        current.published_version = current.version
        current.save()
        municipalities = current.round.recipients.all()
        if current.office is not None:
            municipalities = municipalities.filter(region=current.office)
        notify(
            users_of(
                municipalities.values_list("pk", flat=True),
                MUNICIPAL_ROLES,
            ),
            event_key=f"compilation:{current.uuid}:published:{current.version}",
            kind=NotificationKind.PUBLISHED,
            title=_("Situation picture published: %(round)s") % {"round": current.round},
            url=reverse("reporting:picture", kwargs={"uuid": current.uuid}),
        )
        _round_changed(current.round_id)
        return current


def do_forward_compilation(compilation, *, acting_user):
    """Send a regional compilation up to the national level (national analysts see it)."""
    with transaction.atomic(), history_context(acting_user, "compilation.forward"):
        current = _locked_compilation(compilation, acting_user)
        if current.office is None:
            raise ValidationError(_("Only a regional compilation is forwarded."))
        if current.published_at is None:
            raise ValidationError(_("Publish the compilation before forwarding it."))
        if current.forwarded_at is None:
            current.forwarded_at = timezone.now()
            current.save(update_fields=["forwarded_at", "updated_at"])
            _round_changed(current.round_id)
        return current


def record_seen(compilation, user):
    """Note that the user's municipalities in the round saw the published picture now."""
    if compilation.published_at is None:
        return
    org_ids = list(
        compilation.round.recipients.filter(pk__in=viewer_for(user).org_ids).values_list(
            "pk", flat=True
        )
    )
    now = timezone.now()
    for org_id in org_ids:
        seen, created = PictureSeen.objects.get_or_create(
            compilation=compilation,
            organisation_id=org_id,
            defaults={"first_seen_at": now, "last_seen_at": now, "last_seen_by": user},
        )
        if not created:
            PictureSeen.objects.filter(pk=seen.pk).update(last_seen_at=now, last_seen_by=user)
    if org_ids:  # the dashboard's "picture seen" column
        _round_changed(compilation.round_id)


# --- recurring rounds and round notices -------------------------------------------------


def notify_round_issued(round_, municipality_ids):
    """A "new round" notification to the writers of every recipient municipality, written
    in the issuing transaction (the outbox sends the e-mail after the commit); exactly
    once per user and round (``round:<uuid>:issued``)."""
    deadline = date_format(timezone.localtime(round_.deadline), "d.m.Y H:i")
    notify(
        _municipality_writers(municipality_ids),
        event_key=f"round:{round_.uuid}:issued",
        kind=NotificationKind.ROUND_ISSUED,
        title=exercise_label(round_, _("New reporting round: %(round)s") % {"round": round_.title}),
        body=_("%(issuer)s asks for your report by %(deadline)s.")
        % {"issuer": round_.issuer.name, "deadline": deadline},
        url=reverse("reporting:round-detail", kwargs={"uuid": round_.uuid}),
    )


def exercise_label(round_, text):
    """A notification about an exercise round says so first (an exercise is labelled as
    one everywhere it is shown)."""
    return f"{_('EXERCISE')}: {text}" if round_.is_exercise else text


#: The longest deadline a recurring round may have (the model's check constraint too).
SCHEDULE_MAX_DEADLINE_HOURS = 168


def _require_issue_scope(issuer, offices, acting_user):
    """The same rule as :func:`do_issue_round`: the issuer is one of the user's form-owning
    organisations; an officer names only the office's own region, an analyst any."""
    if issuer is None or issuer.pk not in form_owner_orgs(acting_user):
        raise PermissionDenied
    viewer = viewer_for(acting_user)
    national = viewer.has_role("national_analyst", issuer.pk)
    if not national and any(o.pk not in viewer.officer_office_ids for o in offices):
        raise PermissionDenied


def do_create_schedule(
    *,
    issuer,
    acting_user,
    form,
    title,
    time_of_day,
    deadline_hours,
    starts_on,
    offices=(),
    network=None,
    frame=None,
    incident=None,
):
    """Set up a recurring round (rapporteringshjul): from ``starts_on``, every day at
    ``time_of_day`` (Norwegian time) Celery beat issues a round of the form's latest
    version to the offices' regions or the network, due ``deadline_hours`` later, until
    the schedule is stopped. The same people may set one up as may issue the round.
    Invalid input: a ValidationError per field, nothing saved."""
    with transaction.atomic(), history_context(acting_user, "round_schedule.create"):
        offices = list(offices)
        _require_issue_scope(issuer, offices, acting_user)
        errors = {}
        if (
            form is None
            or not ReportFormVersion.objects.filter(form=form, published_at__isnull=False).exists()
        ):
            errors["form"] = [_("Choose a report form with a published version.")]
        errors.update(control_character_errors(title=title))  # its rounds' title
        if not (title or "").strip():
            errors["title"] = [_("This field is required.")]
        if time_of_day is None:
            errors["time_of_day"] = [_("Give the time of day the round is issued.")]
        try:
            hours = int(deadline_hours)
        except (TypeError, ValueError):
            hours = None
        if hours is None or not 1 <= hours <= SCHEDULE_MAX_DEADLINE_HOURS:
            errors["deadline_hours"] = [
                _("The deadline must be from 1 to %(max)d hours after the round is issued.")
                % {"max": SCHEDULE_MAX_DEADLINE_HOURS}
            ]
        if starts_on is None:
            errors["starts_on"] = [_("Give the first day.")]
        elif starts_on < timezone.localdate():
            errors["starts_on"] = [_("The first day cannot be in the past.")]
        if bool(offices) == (network is not None):
            errors["offices"] = [_("Choose one or more regions, or a network.")]
        elif not round_recipients(offices=offices, network=network).exists():
            errors["offices"] = [_("There are no municipalities to send the round to.")]
        if errors:
            raise ValidationError(errors)
        schedule = RoundSchedule.objects.create(
            issuer=issuer,
            form=form,
            title=title.strip(),
            network=network,
            frame=frame,
            incident=incident,
            time_of_day=time_of_day,
            deadline_hours=hours,
            starts_on=starts_on,
            created_by=acting_user,
        )
        schedule.offices.set(offices)
        return schedule


def do_stop_schedule(schedule, *, acting_user):
    """Stop a recurring round: no more rounds are issued (those issued stay open until
    they are closed). Stopping twice changes nothing."""
    with transaction.atomic(), history_context(acting_user, "round_schedule.stop"):
        current = RoundSchedule.objects.select_for_update().get(pk=schedule.pk)
        if not manages_schedule(acting_user, current):
            raise PermissionDenied
        if current.stopped_at is None:
            current.stopped_at = timezone.now()
            current.save(update_fields=["stopped_at"])
        return current


def do_issue_scheduled_round(schedule, *, occurrence):
    """Issue ``schedule``'s round for the day ``occurrence``, as the user who set the
    schedule up (the same checks as issuing by hand: a user who lost the role issues
    nothing). The deadline is ``deadline_hours`` after the issue. A second round for the
    same day raises ``IntegrityError`` (the unique constraint on schedule and day)."""
    return do_issue_round(
        issuer=schedule.issuer,
        acting_user=schedule.created_by,
        form=schedule.form,
        title=f"{schedule.title} {occurrence:%d.%m.%Y}",
        deadline=timezone.now() + timedelta(hours=schedule.deadline_hours),
        offices=schedule.offices.all(),
        network=schedule.network,
        frame=schedule.frame,
        incident=schedule.incident,
        schedule=schedule,
        occurrence=occurrence,
    )
