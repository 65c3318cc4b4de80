"""People and their roles in organisations."""

import uuid

import pghistory
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.querysets import RoleAssignmentQuerySet
from portal.roles import ROLE_ORGANISATION_KINDS, Role


class User(AbstractUser):
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
