"""Report forms (rapportskjema) and their published versions: what municipalities report
on in a round. The definition of a version is a JSON document (sections with fields,
``reporting/validation.py``) that never changes once published: a round always uses the
version it was issued with."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reporting.querysets import (
    CompilationQuerySet,
    ExportJobQuerySet,
    PictureSeenQuerySet,
    ReportFormQuerySet,
    ReportFormVersionQuerySet,
    ReportingRoundQuerySet,
    RoundScheduleQuerySet,
    SubmissionCommentQuerySet,
    SubmissionQuerySet,
)
from reporting.validation import validate_definition

#: The organisation kinds that own report forms: a State Administrator office, or a
#: national body (DSB on the preparedness track, a directorate on its sector track).
FORM_OWNER_KINDS = ("state_administrator", "national_agency")


class ReportTrack(models.TextChoices):
    """The two tracks a report travels in (DOMAIN.md, flow 5)."""

    PREPAREDNESS = "preparedness", _("Preparedness channel (samordningskanal)")
    SECTOR = "sector", _("Sector channel (fagkanal)")


class ReportKind(models.TextChoices):
    """DSB's guidelines for the coordination channel distinguish the full situation
    report from the short status update (kort statusoppdatering)."""

    FULL = "full", _("Full situation report")
    SHORT = "short", _("Short status update")


@pghistory.track()
class ReportForm(models.Model):
    """Rapportskjema — a report form defined by a State Administrator office or a national
    body. What it asks for lives in its versions (:class:`ReportFormVersion`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="report_forms",
        limit_choices_to={"kind__in": FORM_OWNER_KINDS},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    track = models.CharField(_("track"), max_length=20, choices=ReportTrack.choices)
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The next version being written in the form builder (reporting.builder): a definition
    # that need not be valid yet; NULL when there is none. Published as a new immutable
    # version by reporting.builder.actions.do_publish_draft. Its history is the form's
    # pghistory events (docs/decisions/0013-form-builder.md).
    draft = models.JSONField(
        _("draft definition"), null=True, blank=True, encoder=DjangoJSONEncoder
    )
    draft_updated_at = models.DateTimeField(_("draft saved"), null=True, blank=True)

    objects = ReportFormQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("report form")
        verbose_name_plural = _("report forms")
        constraints = [
            models.UniqueConstraint(fields=["owner", "title"], name="report_form_title_per_owner"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.owner_id and self.owner.kind not in FORM_OWNER_KINDS:
            raise ValidationError(
                {
                    "owner": _(
                        "Report forms are owned by a State Administrator office or a national body."
                    )
                }
            )


class ReportFormVersion(models.Model):
    """Skjemaversjon — version *n* of a form. Published versions are immutable: PostgreSQL
    refuses UPDATE and DELETE of them (the trigger below); a change to a form is a new
    version (``reporting.actions.do_publish_form_version``)."""

    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"), encoder=DjangoJSONEncoder)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # NULL for versions seeded by a management command (reference data).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportFormVersionQuerySet.as_manager()

    class Meta:
        ordering = ["form", "number"]
        verbose_name = _("report form version")
        verbose_name_plural = _("report form versions")
        constraints = [
            models.UniqueConstraint(fields=["form", "number"], name="one_version_number_per_form"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_from_one"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="published_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__published_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.form} v{self.number}"

    def save(self, *args, **kwargs):
        # The definition is checked on every save, whoever saves (the admin, a shell).
        validate_definition(self.definition)
        super().save(*args, **kwargs)

    @property
    def sections(self):
        return self.definition.get("sections", [])


@pghistory.track()
class ReportingRound(models.Model):
    """Rapporteringsrunde — a form version issued by an office or a national body to a
    set of municipalities, with a deadline. The recipients are stored at issue time (a
    network's later members or a region's later changes do not join an open round); each
    recipient gets its :class:`Submission` at once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form_version = models.ForeignKey(
        ReportFormVersion,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    issuer = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="issued_rounds",
        limit_choices_to={"kind__in": FORM_OWNER_KINDS},
    )
    frame = models.ForeignKey(
        "incidents.CrisisFrame",
        verbose_name=_("crisis frame"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reporting_rounds",
    )
    track = models.CharField(_("track"), max_length=20, choices=ReportTrack.choices)
    kind = models.CharField(_("kind of report"), max_length=20, choices=ReportKind.choices)
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateTimeField(_("deadline"))
    opened_at = models.DateTimeField(_("opened"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    # A round created by a recurring schedule, for one day of it (unique: beat ticking
    # twice, or two beats, never make two rounds for the same day).
    schedule = models.ForeignKey(
        "RoundSchedule",
        verbose_name=_("recurring schedule"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    occurrence = models.DateField(_("occurrence"), null=True, blank=True)
    recipients = models.ManyToManyField(
        "networks.Organisation",
        verbose_name=_("recipients"),
        related_name="received_rounds",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "occurrence"],
                name="one_round_per_schedule_occurrence",
                condition=Q(schedule__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(schedule__isnull=True) | Q(occurrence__isnull=False),
                name="scheduled_round_has_occurrence",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.closed_at is None


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


@pghistory.track()
class Submission(models.Model):
    """Innrapportering — one municipality's answers in a round. ``version`` counts the
    saves (optimistic locking: a save names the version it started from). Every
    submission and amendment is kept as a :class:`SubmissionRevision`."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    municipality = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    answers = models.JSONField(_("answers"), default=dict, encoder=DjangoJSONEncoder)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The office's (or issuer's) kvittering that it has read the submission.
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["round", "municipality__name"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "municipality"], name="one_submission_per_municipality"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.round} — {self.municipality}"


class SubmissionRevision(models.Model):
    """One submitted version of a submission (the first submission is revision 1, each
    amendment the next). Append-only: PostgreSQL refuses UPDATE and DELETE."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    answers = models.JSONField(_("answers"), encoder=DjangoJSONEncoder)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(_("late"), default=False)

    class Meta:
        ordering = ["submission", "number"]
        verbose_name = _("submission revision")
        verbose_name_plural = _("submission revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="one_revision_number_per_submission"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="revision_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return f"{self.submission} r{self.number}"


class SubmissionComment(models.Model):
    """A comment on a submission, by the office (or the issuer) or by the municipality
    answering it. Append-only: PostgreSQL refuses UPDATE and DELETE."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="comments")
    organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), db_default=models.functions.Now())

    objects = SubmissionCommentQuerySet.as_manager()

    class Meta:
        ordering = ["submission", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        triggers = [
            pgtrigger.Protect(
                name="comment_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self):
        return self.body[:60]


@pghistory.track()
class RoundSchedule(models.Model):
    """Rapporteringshjul — a recurring round: every day at ``time_of_day`` (Norwegian
    time) a round of the form's latest version is issued to the same recipients, with a
    deadline ``deadline_hours`` later, until the schedule is stopped. Celery beat's tick
    (``reporting.tasks.issue_due_rounds``) creates the rounds."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issuer = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="round_schedules",
    )
    form = models.ForeignKey(
        ReportForm, verbose_name=_("report form"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    offices = models.ManyToManyField(
        "networks.Office", verbose_name=_("regions"), blank=True, related_name="+"
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    frame = models.ForeignKey(
        "incidents.CrisisFrame",
        verbose_name=_("crisis frame"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    time_of_day = models.TimeField(_("issued daily at"))
    deadline_hours = models.PositiveSmallIntegerField(_("deadline (hours after issue)"))
    starts_on = models.DateField(_("first day"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RoundScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("recurring round")
        verbose_name_plural = _("recurring rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline_hours__gte=1) & Q(deadline_hours__lte=168),
                name="schedule_deadline_within_a_week",
            ),
        ]

    def __str__(self):
        return self.title


class CompilationLevel(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


@pghistory.track()
class Compilation(models.Model):
    """Sammenstilling — the compiled picture of a round: regional (an office's region:
    aggregates of its municipalities' submissions and the office's assessment) or
    national (every region). While a draft, the aggregates are computed live; publishing
    freezes them (``aggregates``) together with the assessment (``published_assessment``)
    and every municipality in the round sees the picture. ``assessment`` is the author's
    working text: edited after publishing, it is the draft of the next publication and
    nobody but the author reads it until then. A regional compilation is forwarded to the
    national level (``forwarded_at``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(
        ReportingRound,
        verbose_name=_("reporting round"),
        on_delete=models.PROTECT,
        related_name="compilations",
    )
    level = models.CharField(_("level"), max_length=20, choices=CompilationLevel.choices)
    office = models.ForeignKey(
        "networks.Office",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="compilations",
    )
    # The organisation that compiles: the office's organisation, or the round's issuer.
    author_org = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("compiled by"),
        on_delete=models.PROTECT,
        related_name="compilations",
    )
    assessment = models.TextField(_("assessment"), blank=True)
    published_assessment = models.TextField(_("published assessment"), blank=True)
    # ``version`` at the last publication: the picture's number (EDXL reportNumber), which
    # edits of the next draft do not move.
    published_version = models.PositiveIntegerField(_("published version"), null=True, blank=True)
    aggregates = models.JSONField(_("aggregates"), null=True, blank=True, encoder=DjangoJSONEncoder)
    version = models.PositiveIntegerField(_("version"), default=1)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    forwarded_at = models.DateTimeField(_("forwarded"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CompilationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "level", "office__name"]
        verbose_name = _("compilation")
        verbose_name_plural = _("compilations")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "office"],
                name="one_regional_compilation_per_round",
                condition=Q(level="regional"),
            ),
            models.UniqueConstraint(
                fields=["round"],
                name="one_national_compilation_per_round",
                condition=Q(level="national"),
            ),
            models.CheckConstraint(
                condition=(Q(level="regional") & Q(office__isnull=False))
                | (Q(level="national") & Q(office__isnull=True)),
                name="regional_has_office",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(aggregates__isnull=False),
                name="published_has_aggregates",
            ),
        ]

    def __str__(self):
        where = self.office.name if self.office_id else _("National")
        return f"{self.round} — {where}"

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def picture_assessment(self) -> str:
        """The assessment of the picture as its readers get it (page, exports, API): the
        published text; before the first publication the author's draft (a preview only
        the author sees)."""
        return self.published_assessment if self.is_published else self.assessment

    @property
    def has_unpublished_changes(self) -> bool:
        """The author's assessment differs from the one published."""
        return self.is_published and self.assessment != self.published_assessment


class PictureSeen(models.Model):
    """When someone of a municipality last opened a published compilation ("who saw"):
    one row per compilation and organisation, updated on each visit."""

    compilation = models.ForeignKey(Compilation, on_delete=models.CASCADE, related_name="seen_by")
    organisation = models.ForeignKey(
        "networks.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    last_seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = PictureSeenQuerySet.as_manager()

    class Meta:
        verbose_name = _("seen published picture")
        verbose_name_plural = _("seen published pictures")
        constraints = [
            models.UniqueConstraint(
                fields=["compilation", "organisation"], name="one_seen_row_per_org"
            ),
        ]

    def __str__(self):
        return f"{self.compilation} — {self.organisation}"


class ExportKind(models.TextChoices):
    ROUND_CSV = "round_csv", _("Round as CSV")
    ROUND_XLSX = "round_xlsx", _("Round as XLSX")
    COMPILATION_PDF = "compilation_pdf", _("Compiled report as PDF")
    COMPILATION_EDXL = "compilation_edxl", _("Compiled report as EDXL-SitRep XML")
    KS_SUMMARY_XLSX = "ks_summary_xlsx", _("KS summary as XLSX")
    KS_SUMMARY_PDF = "ks_summary_pdf", _("KS summary as PDF")


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    """An export made in the background (Celery): its progress for the page's progress
    bar, and the file when done. Only the user who asked for it sees it, and only while
    they still see what was exported (checked again at each download). The file is kept
    until ``expires_at`` (``SAMVIRKE_EXPORT_RETENTION_DAYS`` after it was made); then
    ``reporting.exports.tasks.expire_exports`` deletes it and the job is expired."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ExportKind.choices)
    params = models.JSONField(_("parameters"), default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(
        _("state"), max_length=20, choices=ExportState.choices, default=ExportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def is_expired(self) -> bool:

        return self.state == ExportState.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now()
        )
