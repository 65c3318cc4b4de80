"""People and their roles in organisations."""

import uuid

import pghistory
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken, AuthTokenManager

from portal.querysets import NotificationQuerySet, RoleAssignmentQuerySet
from portal.roles import ROLE_ORGANISATION_KINDS, Role


class User(AbstractUser):  # type: ignore[django-manager-missing]  # knox is untyped
    """Bruker — a person who logs in. What they may see follows from their role assignments."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.email


@pghistory.track()
class RoleAssignment(models.Model):
    """Rolle i organisasjon — a user's role in one organisation; a user may hold several.
    A network coordinator's assignment also names the network they coordinate."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    organisation = models.ForeignKey(
        "networks.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinators",
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_role_per_user_and_org"
            ),
            models.CheckConstraint(
                condition=Q(role=Role.NETWORK_COORDINATOR, network__isnull=False)
                | (~Q(role=Role.NETWORK_COORDINATOR) & Q(network__isnull=True)),
                name="network_only_for_coordinators",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.organisation}"

    def clean(self):
        kinds = ROLE_ORGANISATION_KINDS.get(self.role)
        if kinds and self.organisation_id and self.organisation.kind not in kinds:
            raise ValidationError(
                {"role": _("This role cannot be held in this kind of organisation.")}
            )


class NotificationKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    LATE = "late", _("Overdue")
    ROUND_ISSUED = "round_issued", _("New reporting round")
    PUBLISHED = "published", _("Published situation picture")
    ACKNOWLEDGED = "acknowledged", _("Report acknowledged")
    COMMENT = "comment", _("Comment")
    EXPORT_READY = "export_ready", _("Export ready")
    NEW_VERSION = "new_version", _("New version of a document")
    COMMENT_ROUND = "comment_round", _("Comment round")
    ASSISTANCE = "assistance", _("Request for assistance")
    OFFER = "offer", _("Offer of assistance")
    AGREEMENT_EXPIRING = "agreement_expiring", _("Agreement expiring")
    PROCUREMENT = "procurement", _("Joint procurement")
    TASK = "task", _("Task")
    MESSAGE = "message", _("Message")


class EmailState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    NOT_NEEDED = "not_needed", _("No e-mail")
    FAILED = "failed", _("Given up")


class Notification(models.Model):
    """Varsel — one message to one user about one event, in the portal and (where the
    user has an e-mail address) by e-mail. ``event_key`` names the event ("round <uuid>
    reminder before deadline"); the unique constraint on (recipient, event_key) makes
    creating a notification idempotent, so a retried task never notifies twice. The rows
    are also the e-mail outbox (``email_state``), drained by ``portal.notifications.tasks``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    event_key = models.CharField(_("event"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=20, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # Delivery attempts that failed: the last error, and when the outbox may try again
    # (backoff); after NOTIFICATION_EMAIL_MAX_ATTEMPTS the e-mail is given up (FAILED).
    email_attempts = models.PositiveSmallIntegerField(_("failed e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(
                fields=["email_state"],
                name="notification_outbox",
                condition=Q(email_state="pending"),
            ),
        ]

    def __str__(self):
        return self.title


# --- Task outbox (issue 10, point 9: writes survive Redis) ------------------------------


class TaskOutbox(models.Model):
    """Utboks for bakgrunnsjobber — a Celery task that a write must get run, recorded in the
    write's own transaction and handed to the broker after the commit
    (:mod:`portal.outbox`). A row that could not be handed over (Redis stopped or hung)
    stays here until a later hand-over, the worker's start-up or the per-minute sweep
    takes it; ``done_at`` is set when a worker has run it, so a second copy of its
    message is skipped (docs/decisions/0011-writes-survive-redis.md)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("hand-over attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    done_at = models.DateTimeField(_("run"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("task outbox row")
        verbose_name_plural = _("task outbox")
        indexes = [
            models.Index(
                fields=["created_at"],
                name="task_outbox_pending",
                condition=Q(done_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"


# --- API tokens (issue 10; docs/decisions/0010-second-factor-and-tokens.md) ---------------


class ApiTokenManager(AuthTokenManager):
    """knox's manager (``create`` returns the row and the token, once) with the scope."""

    def visible_to(self, user):
        """A user sees (and revokes) only their own tokens; administrators use the admin."""
        return self.filter(user=user) if user.is_authenticated else self.none()


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class ApiToken(AbstractAuthToken):
    """API-nøkkel — a named token for a client of the API (a person's script, or a service
    account such as a municipality's crisis tool). django-rest-knox keeps only the
    SHA-512 digest of the token (the primary key) and its first characters to find it;
    the token itself is shown once, when it is made. It expires (90 days unless its maker
    chose otherwise), notes its last use and is revoked by deleting it.
    ``second_factor`` says whether the session that made it had passed TOTP: a user who
    must use TOTP is served only by such tokens."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    second_factor = models.BooleanField(_("made after the second factor"), default=False)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.user})"
