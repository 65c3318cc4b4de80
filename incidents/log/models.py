"""Incidents, crisis frames, the append-only log (hendelseslogg), shares and tasks."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from incidents.log.querysets import (
    AttachmentQuerySet,
    CrisisFrameQuerySet,
    IncidentQuerySet,
    LogEntryQuerySet,
    ShareQuerySet,
    TaskQuerySet,
)


class IncidentType(models.TextChoices):
    """Based on DSB's crisis scenarios (Analyse av krisescenarioer)."""

    EXTREME_WEATHER = "extreme_weather", _("Extreme weather")
    STORM = "storm", _("Storm")
    FLOOD = "flood", _("Flood")
    LANDSLIDE = "landslide", _("Landslide or quick clay")
    POWER_OUTAGE = "power_outage", _("Power outage")
    CYBER = "cyber", _("ICT failure or cyber attack")
    PANDEMIC = "pandemic", _("Pandemic or infectious disease")
    WATER = "water", _("Drinking-water contamination")
    FOOD = "food", _("Food contamination")
    TERROR = "terror", _("Terror or violence")
    CBRN = "cbrn", _("CBRN and nuclear")
    FIRE = "fire", _("Large fire")
    TRANSPORT = "transport", _("Transport accident")
    REFUGEES = "refugees", _("Refugee influx")
    SUPPLY = "supply", _("Supply failure")
    SECURITY = "security", _("Security-policy crisis")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class IncidentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


@pghistory.track()
class CrisisFrame(models.Model):
    """Nasjonal krise — a national (or exercise) frame such as "Covid-19" or "Ekstremværet
    Hans" that holds the regional and local incidents of the organisations taking part."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=IncidentType.choices)
    description = models.TextField(_("description"), blank=True)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="crisis_frames",
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CrisisFrameQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("crisis frame")
        verbose_name_plural = _("crisis frames")

    def __str__(self):
        return self.title

    def clean(self):
        if self.ended_at and self.started_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": _("The end cannot be before the start.")})


@pghistory.track()
class Incident(models.Model):
    """Hendelse — one organisation's incident, possibly inside a national crisis frame.
    Private to the owner until shared (a :class:`Share` row; the incident is not edited)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frame = models.ForeignKey(
        CrisisFrame,
        verbose_name=_("crisis frame"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    title = models.CharField(_("title"), max_length=200)
    type = models.CharField(_("type"), max_length=30, choices=IncidentType.choices)
    severity = models.CharField(
        _("severity"), max_length=20, choices=Severity.choices, default=Severity.MODERATE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.ACTIVE
    )
    owner = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    affected_municipalities = models.ManyToManyField(
        "networks.Municipality",
        verbose_name=_("affected municipalities"),
        blank=True,
        related_name="incidents",
    )
    description = models.TextField(_("description"), blank=True)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    crisis_management_active = models.BooleanField(
        _("crisis management set up"),
        default=False,
        help_text=_("Whether the organisation's crisis management (kriseledelse) is set up."),
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="incident_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class EntryKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    ACTION = "action", _("Action")
    MESSAGE_IN = "message_in", _("Message in")
    MESSAGE_OUT = "message_out", _("Message out")
    ASSESSMENT = "assessment", _("Assessment")
    INFORMATION = "information", _("Information")


class Correction(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    RETRACTION = "retraction", _("Retraction")


class LogEntry(models.Model):
    """Loggføring — one entry in an incident's log. Append-only: PostgreSQL refuses UPDATE
    and DELETE (the trigger below). A mistake is corrected or retracted by a new entry
    that points at the old one (``corrects``)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="entries")
    organisation = models.ForeignKey(
        "networks.Organisation", on_delete=models.PROTECT, related_name="log_entries"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="log_entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    text = models.TextField(_("text"))
    # The Markdown rendered and sanitised once, when written: entries never change, so
    # the log page and exports never render the same text twice.
    text_html = models.TextField(editable=False, db_default="")
    occurred_at = models.DateTimeField(_("time of event"))
    recorded_at = models.DateTimeField(_("recorded"), db_default=Now(), editable=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    correction_type = models.CharField(
        _("correction type"), max_length=20, choices=Correction.choices, blank=True
    )
    links = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    # An entry in another organisation's log that this one answers (a State Administrator's
    # decision on a municipality's shared report of a situation, say). Set when written;
    # the author could see the entry then (do_write_entry checks).
    responds_to = models.ForeignKey(
        "self",
        verbose_name=_("responds to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responses",
    )
    exempt = models.BooleanField(_("exempt from public disclosure"), default=False)
    exempt_basis = models.CharField(
        _("legal basis"),
        max_length=120,
        blank=True,
        help_text=_("The section of the Freedom of Information Act (offentleglova), e.g. § 24."),
    )
    # NULL, not "", when absent: the unique constraint below then ignores such rows.
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)  # noqa: DJ001
    search = models.GeneratedField(
        expression=SearchVector("text", config="norwegian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = LogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("log entry")
        verbose_name_plural = _("log entries")
        indexes = [
            models.Index(fields=["incident", "-occurred_at", "-id"]),
            models.Index(fields=["incident", "recorded_at"]),
            # the log's author and organisation filters probe these per person/organisation
            models.Index(fields=["author", "incident"]),
            models.Index(fields=["organisation", "incident"]),
            GinIndex(fields=["search"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                name="one_entry_per_idempotency_key",
                condition=Q(idempotency_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True, correction_type="")
                | Q(corrects__isnull=False) & ~Q(correction_type=""),
                name="correction_has_type",
            ),
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exempt_basis=""), name="exempt_needs_basis"
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%d.%m.%Y %H:%M}"


def attachment_path(instance, filename):
    return f"attachments/{instance.entry.incident.uuid}/{instance.uuid}/{filename}"


class Attachment(models.Model):
    """Vedlegg — a file attached to a log entry when it was written; as append-only as
    the entry."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(LogEntry, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return self.name


@pghistory.track()
class Share(models.Model):
    """Deling — opens an incident (all its log) or one entry to a named organisation or a
    network. The owner's State Administrator office sees everything that is shared with
    anyone (the "go in line" rule), and an office can be named as the organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.CASCADE, related_name="shares"
    )
    entry = models.ForeignKey(
        LogEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="shares"
    )
    organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(db_default=Now(), editable=False)

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        constraints = [
            models.CheckConstraint(
                condition=Q(incident__isnull=False, entry__isnull=True)
                | Q(incident__isnull=True, entry__isnull=False),
                name="share_one_subject",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, network__isnull=True)
                | Q(organisation__isnull=True, network__isnull=False),
                name="share_one_audience",
            ),
        ]

    def __str__(self):
        return f"{self.incident or self.entry} → {self.organisation or self.network}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


@pghistory.track()
class Task(models.Model):
    """Oppgave — assigned to a person, a role or an organisation, with a due time; often
    created from an action entry in the log."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    source_entry = models.ForeignKey(
        LogEntry,
        verbose_name=_("from log entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    assignee_role = models.CharField(_("role"), max_length=30, blank=True)
    assignee_organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # A task created by applying an action card (tiltakskort): the card version and step.
    card_version = models.ForeignKey(
        "networks.DocumentVersion",
        verbose_name=_("from action card"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    card_step = models.PositiveSmallIntegerField(_("step"), null=True, blank=True)
    # Unntatt offentlighet: a task made from an exempt entry is exempt too (it carries the
    # entry's text), with the entry's legal basis; marked wherever the task is shown.
    exempt = models.BooleanField(_("exempt from public disclosure"), default=False)
    exempt_basis = models.CharField(_("legal basis"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_at", "-created_at"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.CheckConstraint(
                condition=Q(assignee_user__isnull=False)
                | ~Q(assignee_role="")
                | Q(assignee_organisation__isnull=False),
                name="task_has_assignee",
            ),
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exempt_basis=""), name="task_exempt_needs_basis"
            ),
        ]

    def __str__(self):
        return self.title
