"""Resources an organisation can lend, and assistance agreements between organisations."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.library.models import Document
from networks.resources.querysets import (
    AgreementQuerySet,
    ResourceQuerySet,
    ResourceShareQuerySet,
)
from networks.structure.models import AudienceShare, Municipality, Organisation


class ResourceCategory(models.TextChoices):
    PERSONNEL = "personnel", _("Personnel and expertise")
    POWER = "power", _("Generators and power")
    PUMPS = "pumps", _("Pumps and flood barriers")
    PROTECTIVE = "protective", _("Protective equipment")
    SHELTER = "shelter", _("Shelters and evacuation places")
    VEHICLES = "vehicles", _("Vehicles and boats")
    WATER = "water", _("Drinking-water supply")
    ICT = "ict", _("ICT and communication")
    OTHER = "other", _("Other")


class ResourceAvailability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    COMMITTED = "committed", _("Committed")
    UNAVAILABLE = "unavailable", _("Unavailable")


@pghistory.track()
class Resource(models.Model):
    """Ressurs — what an organisation has (beredskapsforskriften § 4 c): category,
    quantity, where, whether it is available and can be lent out."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="resources"
    )
    category = models.CharField(_("category"), max_length=20, choices=ResourceCategory.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="resources",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=ResourceAvailability.choices,
        default=ResourceAvailability.AVAILABLE,
    )
    contact_role = models.CharField(_("contact (role)"), max_length=200, blank=True)
    lendable = models.BooleanField(_("can be lent out"), default=False)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [
            models.Index(fields=["category", "availability"]),
            models.Index(fields=["municipality", "category"]),
            models.Index(fields=["owner", "category"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="resource_quantity_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=57, latitude__lte=72, longitude__gte=4, longitude__lte=32),
                name="resource_coordinates_in_norway",
            ),
        ]

    def __str__(self):
        return self.name


class ResourceShare(AudienceShare):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="shares")

    objects = ResourceShareQuerySet.as_manager()

    class Meta(AudienceShare.Meta):
        verbose_name = _("resource share")
        verbose_name_plural = _("resource shares")

    def __str__(self):
        return f"{self.resource} → {self.audience()}"


@pghistory.track()
class Agreement(models.Model):
    """Bistandsavtale — an agreement made in advance between two or more organisations
    on assistance: what, on which conditions, for how long. Seen by its parties and their
    State Administrator offices."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("what the agreement covers"))
    conditions = models.TextField(_("conditions"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    parties = models.ManyToManyField(
        Organisation, verbose_name=_("parties"), related_name="agreements"
    )
    resources = models.ManyToManyField(
        Resource, verbose_name=_("resources"), blank=True, related_name="agreements"
    )
    document = models.ForeignKey(
        Document,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["valid_until", "title", "id"]
        verbose_name = _("assistance agreement")
        verbose_name_plural = _("assistance agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_period",
            ),
        ]

    def __str__(self):
        return self.title
