"""Møter — meetings an office, a network's coordinator or a national body convenes:
kommunemøter, county preparedness council meetings, network (SNB) meetings and national
meetings; their invitations and replies, agenda, minutes (referat), decisions and
follow-up tasks."""

import uuid

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from networks.meetings.querysets import (
    FollowUpQuerySet,
    MeetingQuerySet,
    MinutesVersionQuerySet,
)
from networks.structure.models import Council, Network, Organisation


class MeetingKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal meeting (kommunemøte)")
    COUNCIL = "council", _("County preparedness council")
    NETWORK = "network", _("Network meeting")
    NATIONAL = "national", _("National meeting")


class MeetingSeries(models.Model):
    """Møteserie — a recurring meeting (weekly during a crisis); each occurrence is a
    :class:`Meeting` of its own with its own invitations and minutes."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    convener = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    interval_days = models.PositiveSmallIntegerField(_("interval (days)"), default=7)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.title


@pghistory.track()
class Meeting(models.Model):
    """Møte — one meeting: when, how long, where (a video link), convened by an
    organisation for invited organisations."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    convener = models.ForeignKey(
        Organisation, verbose_name=_("convener"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    video_link = models.URLField(_("video link"), blank=True)
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    series = models.ForeignKey(
        MeetingSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    minutes_draft = models.TextField(_("minutes (draft)"), blank=True)
    minutes_draft_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        "portal.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["convener", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


class RefKind(models.TextChoices):
    NONE = "", _("Nothing linked")
    DASHBOARD = "dashboard", _("A round's dashboard")
    PICTURE = "picture", _("A situation picture")
    AID_REQUEST = "aid_request", _("A request for assistance")
    INCIDENT = "incident", _("An incident")
    DOCUMENT = "document", _("A document")


@pghistory.track()
class AgendaItem(models.Model):
    """Saksliste-punkt — an agenda item, optionally linking something by a typed
    reference (kind and uuid), shown only to those who may see what it links."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    ref_kind = models.CharField(
        _("linked"), max_length=20, choices=RefKind.choices, blank=True, default=""
    )
    ref_uuid = models.UUIDField(_("linked id"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title


class Reply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTENDING = "attending", _("Attending")
    NOT_ATTENDING = "not_attending", _("Not attending")
    DELEGATE = "delegate", _("Someone else attends")


@pghistory.track()
class Invitation(models.Model):
    """Innkalling — an organisation invited to a meeting, its reply and its attendance
    (recorded by the convener)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="meeting_invitations"
    )
    reply = models.CharField(
        _("reply"), max_length=20, choices=Reply.choices, default=Reply.PENDING
    )
    delegate_name = models.CharField(_("who attends"), max_length=200, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "organisation"], name="one_invitation"),
        ]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.meeting} → {self.organisation}"


class MinutesVersion(models.Model):
    """Referat — one published version of a meeting's minutes. Never changed: publishing
    again adds a version, so what the participants were sent stays (history)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        "portal.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = MinutesVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_minutes_number"),
        ]

    def __str__(self):
        return f"{self.meeting} #{self.number}"


class Decision(models.Model):
    """Vedtak — a decision the meeting made, published with the minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    published = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.text[:60]


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


@pghistory.track()
class FollowUp(models.Model):
    """Oppfølgingspunkt — a task the meeting gave an organisation, with a due date. It
    reaches the organisation's «Mine oppgaver» once the minutes are published."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        Organisation,
        verbose_name=_("assigned to"),
        on_delete=models.PROTECT,
        related_name="meeting_follow_ups",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    published = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")

    def __str__(self):
        return self.title
