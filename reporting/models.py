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
from django.utils.translation import gettext_lazy as _

from reporting.querysets import (
    ReportFormQuerySet,
    ReportFormVersionQuerySet,
    ReportingRoundQuerySet,
    SubmissionQuerySet,
)

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
        from reporting.validation import validate_definition

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
    is_exercise = models.BooleanField(_("exercise"), default=False)
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
