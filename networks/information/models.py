"""Information down: messages (meldinger) from an office, DSB, a directorate or KS to
municipalities and agencies, their recipients with read receipts, reminders, attachments,
and questions with answers."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.information.querysets import (
    MessageAttachmentQuerySet,
    MessageQuerySet,
    MessageQuestionQuerySet,
    MessageRecipientQuerySet,
)
from networks.structure.models import Network, Office, Organisation


class Urgency(models.TextChoices):
    INFORMATION = "information", _("Information")
    IMPORTANT = "important", _("Important")
    URGENT = "urgent", _("Urgent")


@pghistory.track()
class Message(models.Model):
    """Melding — word sent down from an office, a national body or KS. Once sent it
    stands as sent (no edit; a new message corrects an old one): the addressing (regions,
    a network, named organisations, every municipality) is kept as given, and the
    organisations it resolved to when sent are :class:`MessageRecipient` rows."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sender = models.ForeignKey(
        Organisation, verbose_name=_("sender"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), help_text=_("Markdown: **bold**, lists, links."))
    urgency = models.CharField(
        _("urgency"), max_length=20, choices=Urgency.choices, default=Urgency.INFORMATION
    )
    exempt = models.BooleanField(_("exempt from public disclosure"), default=False)
    exempt_basis = models.CharField(
        _("legal basis"),
        max_length=120,
        blank=True,
        help_text=_("The section of the Freedom of Information Act (offentleglova), e.g. § 24."),
    )
    # The addressing as the sender gave it.
    all_municipalities = models.BooleanField(_("every municipality"), default=False)
    regions = models.ManyToManyField(
        Office, verbose_name=_("the municipalities of these regions"), blank=True, related_name="+"
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("the members of this network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("named organisations"), blank=True, related_name="+"
    )
    # What the message is about (each shown only to those who may see it).
    frame = models.ForeignKey(
        "incidents.CrisisFrame",
        verbose_name=_("national crisis"),
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
    round = models.ForeignKey(
        "reporting.ReportingRound",
        verbose_name=_("reporting round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document = models.ForeignKey(
        "networks.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt=False) | ~Q(exempt_basis=""), name="message_exempt_needs_basis"
            ),
        ]

    def __str__(self):
        return self.title


@pghistory.track()
class MessageRecipient(models.Model):
    """One organisation a message reached, and its first reading (who, when)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("first read"), null=True, blank=True)
    read_by = models.ForeignKey(
        "portal.User",
        verbose_name=_("first read by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = MessageRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["message", "organisation"], name="message_recipient_once"
            ),
            models.CheckConstraint(
                condition=Q(read_at__isnull=True, read_by__isnull=True)
                | Q(read_at__isnull=False, read_by__isnull=False),
                name="message_read_by_and_at",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "message"], name="message_recipient_org")]

    def __str__(self):
        return f"{self.message} → {self.organisation}"


class MessageReminder(models.Model):
    """Purring — a reminder sent to a recipient that had not read: at most one per message
    and organisation (the database refuses a second)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField(auto_now_add=True)
    reminded_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["message", "organisation"], name="message_remind_once")
        ]

    def __str__(self):
        return f"{self.message} → {self.organisation}"


def message_upload_to(instance, filename):
    return f"messages/{instance.message.uuid}/{uuid.uuid4()}.{instance.extension}"


class MessageAttachment(models.Model):
    """Vedlegg — a file sent with a message (checked by portal.uploads)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=message_upload_to, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField(default=0)

    objects = MessageAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.filename


@pghistory.track()
class MessageQuestion(models.Model):
    """Spørsmål — a recipient organisation asks about a message; the sender answers,
    to the asker only or (``public``) to every recipient."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="questions")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("question"))
    asked_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    public = models.BooleanField(_("visible to every recipient"), default=False)
    answered_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = MessageQuestionQuerySet.as_manager()

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="message_answer_has_text",
            ),
        ]

    def __str__(self):
        return self.text[:60]
