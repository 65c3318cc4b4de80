"""Reporting rounds and submissions: the list of rounds, issuing a round, a round's table
of recipients, and a municipality's submission page (draft, submit, amend).

Every object comes from a scoped queryset (``visible_to``); every write goes through
``reporting.actions``.
"""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views import View

from portal.access import viewer_for
from portal.web import ActionFormView, ScopedMixin, redirect_htmx, render_page
from reporting import actions
from reporting.dashboards.views import review_context
from reporting.forms import RoundForm, answers_from_post
from reporting.models import ReportingRound, Submission, SubmissionRevision, SubmissionStatus
from reporting.validation import (
    CHOICE,
    DATETIME,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NON_FIELD,
    SECTOR_STATUS,
    STATUSES,
)

STATUS_COLOURS = {"green": "success", "yellow": "warning", "red": "danger"}


def submission_state(submission, now) -> tuple[str, str, str]:
    """(key, label, Designsystemet colour) of a recipient's row."""
    if submission.status == SubmissionStatus.SUBMITTED:
        if submission.is_late:
            return "late", _("Submitted late"), "warning"
        return "submitted", _("Submitted"), "success"
    if now > submission.round.deadline:
        return "missing", _("Missing"), "danger"
    return "awaiting", _("Not submitted yet"), "neutral"


class RoundListView(ScopedMixin, View):
    """The rounds the user sees: for a municipality its rounds with its own submission's
    status, for an issuer its rounds with how many have submitted."""

    model = ReportingRound

    def get(self, request):
        viewer = viewer_for(request.user)
        rounds = list(
            self.get_queryset()
            .select_related("issuer", "form_version__form")
            .annotate(
                recipient_count=Count("submissions", distinct=True),
                submitted_count=Count(
                    "submissions",
                    filter=Q(submissions__status=SubmissionStatus.SUBMITTED),
                    distinct=True,
                ),
            )
            .prefetch_related(
                Prefetch(
                    "submissions",
                    queryset=Submission.objects.filter(
                        municipality_id__in=viewer.org_ids
                    ).select_related("municipality", "round"),
                    to_attr="my_submissions",
                )
            )
            .order_by("-opened_at", "-id")
        )
        now = timezone.now()
        for round_ in rounds:
            round_.is_mine = round_.issuer_id in viewer.org_ids
            for submission in round_.my_submissions:
                submission.state = submission_state(submission, now)
        return render_page(
            request,
            "reporting/round_list.html",
            {
                "rounds": rounds,
                "can_issue": request.user.has_perm("reporting.issue_round"),
                "nav_section": "reporting",
            },
        )


class RoundCreateView(ActionFormView):
    """State Administrator officers and national analysts issue a round."""

    model = ReportingRound
    template_name = "reporting/round_form.html"
    nav_section = "reporting"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("reporting.issue_round"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, data=None, files=None):
        return RoundForm(data, user=self.request.user)

    def perform(self, form):
        data = form.cleaned_data
        return actions.do_issue_round(
            issuer=data["issuer"],
            acting_user=self.request.user,
            form=data["form"],
            title=data["title"],
            deadline=data["deadline"],
            offices=data["offices"],
            network=data["network"],
            frame=data["frame"],
        )

    def get_success_message(self, round_):
        return _("The round %(title)s was issued.") % {"title": round_.title}

    def get_success_url(self, round_):
        return reverse("reporting:round-detail", args=[round_.uuid])


class RoundDetailView(ScopedMixin, View):
    """A round's facts and a table of the recipients the user sees (all of them for the
    issuer, the region's for an office, its own for a municipality) with submitted / late /
    missing. A constant number of queries however many recipients there are."""

    model = ReportingRound

    def get(self, request, uuid):
        round_ = get_object_or_404(
            self.get_queryset().select_related("issuer", "form_version__form", "frame"),
            uuid=uuid,
        )
        viewer = viewer_for(request.user)
        rows = list(
            Submission.objects.visible_to(request.user)
            .filter(round=round_)
            .select_related("municipality")
            .annotate(revision_count=Count("revisions"))
            .order_by("municipality__name")
        )
        now = timezone.now()
        counts = {"submitted": 0, "late": 0, "missing": 0, "awaiting": 0}
        for row in rows:
            row.round = round_
            row.state = submission_state(row, now)
            counts[row.state[0]] += 1
        return render_page(
            request,
            "reporting/round_detail.html",
            {
                "round": round_,
                "rows": rows,
                "counts": counts,
                "mine": [row for row in rows if row.municipality_id in viewer.org_ids],
                "can_manage": request.user.has_perm("reporting.manage_round", round_),
                "nav_section": "reporting",
            },
        )


class RoundCloseView(ScopedMixin, View):
    """Lukk runden: the issuer's officers or analysts close a round (after confirming on
    the round page); no more submissions or amendments are accepted."""

    model = ReportingRound

    def post(self, request, uuid):
        round_ = get_object_or_404(self.get_queryset(), uuid=uuid)
        if not request.user.has_perm("reporting.manage_round", round_):
            raise PermissionDenied
        was_open = round_.is_open
        round_ = actions.do_close_round(round_, acting_user=request.user)
        if was_open:
            messages.success(
                request,
                _("The round %(title)s is closed; no more reports are accepted.")
                % {"title": round_.title},
            )
        return redirect_htmx(request, reverse("reporting:round-detail", args=[round_.uuid]))


def _input_datetime(value):
    if not isinstance(value, str):
        return ""
    try:
        moment = parse_datetime(value)
    except ValueError:
        return value
    if moment is None:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return datetime.strftime(moment, "%Y-%m-%dT%H:%M")


def form_fields(definition, answers, errors) -> list[dict]:
    """The definition's sections and fields with the current answers and errors, ready
    for the submission page."""
    sections = []
    for section in definition["sections"]:
        fields = []
        for spec in section["fields"]:
            key, kind = spec["key"], spec["type"]
            value = answers.get(key)
            field = {
                **spec,
                "errors": errors.get(key, []),
                "is_status": kind == SECTOR_STATUS,
                "is_choice": kind == CHOICE,
                "is_multiple": kind == MULTIPLE_CHOICE,
                "is_long": kind == LONG_TEXT,
                "is_datetime": kind == DATETIME,
            }
            if kind == SECTOR_STATUS:
                value = value if isinstance(value, dict) else {}
                field["status"] = value.get("status", "")
                field["comment"] = value.get("comment", "")
                field["statuses"] = [
                    {
                        "value": code,
                        "label": label,
                        "colour": STATUS_COLOURS[code],
                        "checked": code == field["status"],
                    }
                    for code, label in STATUSES.items()
                ]
                field["status_label"] = STATUSES.get(field["status"], "")
                field["status_colour"] = STATUS_COLOURS.get(field["status"], "neutral")
            elif kind in (CHOICE, MULTIPLE_CHOICE):
                chosen = set(value if isinstance(value, list) else [value])
                field["choices"] = [
                    {**option, "checked": option["value"] in chosen} for option in spec["options"]
                ]
                field["display"] = ", ".join(c["label"] for c in field["choices"] if c["checked"])
            elif kind == DATETIME:
                field["value"] = _input_datetime(value)
                field["display"] = field["value"].replace("T", " ")
            else:
                field["value"] = "" if value is None else str(value)
                field["display"] = field["value"]
            fields.append(field)
        sections.append({**section, "fields": fields})
    return sections


class SubmissionView(ScopedMixin, View):
    """A municipality's report in a round: the form's fields from the round's version,
    with "Save draft" and "Submit" for the emergency manager and crisis staff (readers,
    the office and the issuer read it). A save names the version it started from; if
    someone else saved in between, nothing is saved and the page says so, keeping what
    was entered. After a submission, the receipt (time and revision) is shown."""

    model = Submission

    def get_submission(self, uuid):
        return get_object_or_404(
            self.get_queryset().select_related(
                "round", "round__form_version__form", "round__issuer", "municipality"
            ),
            uuid=uuid,
        )

    def render(self, submission, *, answers, errors=None, conflict=None, status=200):
        errors = errors or {}
        request = self.request
        can_write = (
            request.user.has_perm("reporting.write_submission", submission)
            and submission.round.is_open
        )
        receipt = (
            SubmissionRevision.objects.filter(submission=submission).order_by("-number").first()
        )
        return render_page(
            request,
            "reporting/submission.html",
            {
                "submission": submission,
                "round": submission.round,
                "sections": form_fields(submission.round.form_version.definition, answers, errors),
                "errors": errors,
                "non_field_errors": errors.get(NON_FIELD, []),
                "conflict": conflict,
                "can_write": can_write,
                "is_draft": submission.status == SubmissionStatus.DRAFT,
                # A draft seen by the office or the issuer: that it exists and when it was
                # last saved, not its answers (``SubmissionQuerySet.with_answers_for``).
                "answers_withheld": getattr(submission, "answers_withheld", False),
                "receipt": receipt,
                "state": submission_state(submission, timezone.now()),
                "nav_section": "reporting",
                # Acknowledgement, comments and published pictures (dashboard_views).
                **review_context(request, submission),
            },
            status=status,
        )

    def get(self, request, uuid):
        submission = self.get_submission(uuid)
        return self.render(submission, answers=submission.visible_answers)

    def post(self, request, uuid):
        submission = self.get_submission(uuid)
        if not request.user.has_perm("reporting.write_submission", submission):
            raise PermissionDenied
        definition = submission.round.form_version.definition
        answers = answers_from_post(definition, request.POST)
        expected = request.POST.get("version", "")
        expected = int(expected) if expected.isdigit() else None
        try:
            if request.POST.get("action") == "submit":
                result = actions.do_submit(
                    submission, expected_version=expected, acting_user=request.user, answers=answers
                )
                messages.success(request, _("The report was submitted."))
            else:
                result = actions.do_save_draft(
                    submission, answers, expected_version=expected, acting_user=request.user
                )
                messages.success(request, _("The draft was saved."))
        except actions.VersionConflict as conflict:
            # Keep what the user entered; the next save is made on top of the new version.
            return self.render(
                conflict.current, answers=answers, conflict=conflict.messages[0], status=409
            )
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {NON_FIELD: error.messages}
            )
            submission.refresh_from_db()
            return self.render(submission, answers=answers, errors=errors, status=400)
        return redirect_htmx(request, reverse("reporting:submission", args=[result.uuid]))
