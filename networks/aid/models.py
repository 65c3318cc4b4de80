"""Mutual aid: requests for assistance, offers, and joint procurement."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.aid.querysets import (
    AssistanceOfferQuerySet,
    AssistanceRequestQuerySet,
    JointProcurementQuerySet,
)
from networks.resources.models import Resource, ResourceCategory
from networks.structure.models import Municipality, Organisation


class RequestPriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


@pghistory.track()
class AssistanceRequest(models.Model):
    """Bistandsanmodning — an organisation asks for help in an incident: what, how much,
    where, by when. Sent to named organisations, a network and/or the State Administrator
    office; the office of the requester's region sees every request in its region.
    ``fulfilled_quantity`` can never exceed ``quantity``: the database refuses it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requester = models.ForeignKey(
        Organisation,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    title = models.CharField(_("what is needed"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=ResourceCategory.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40)
    location = models.ForeignKey(
        Municipality, verbose_name=_("where"), on_delete=models.PROTECT, related_name="+"
    )
    needed_by = models.DateTimeField(_("needed by"))
    priority = models.CharField(
        _("priority"), max_length=20, choices=RequestPriority.choices, default="normal"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    fulfilled_quantity = models.DecimalField(
        _("fulfilled"), max_digits=12, decimal_places=2, default=0
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("sent to"), blank=True, related_name="+"
    )
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("sent to network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_office = models.BooleanField(_("sent to the State Administrator"), default=False)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = AssistanceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="request_quantity_positive"),
            models.CheckConstraint(
                condition=Q(fulfilled_quantity__gte=0)
                & Q(fulfilled_quantity__lte=models.F("quantity")),
                name="request_never_over_fulfilled",
            ),
        ]

    def __str__(self):
        return self.title


class OfferStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


@pghistory.track()
class AssistanceOffer(models.Model):
    """Tilbud — an organisation offers (part of) what a request asks for; the requester
    accepts (all or part of) it or declines."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="offers")
    offerer = models.ForeignKey(
        Organisation, verbose_name=_("offered by"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    accepted_quantity = models.DecimalField(
        _("accepted"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The offerer's own incident, whose log gets the offer's steps (the requester's log
    # always does).
    offerer_incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("our incident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = AssistanceOfferQuerySet.as_manager()

    class Meta:
        ordering = ["request", "created_at", "id"]
        verbose_name = _("offer of assistance")
        verbose_name_plural = _("offers of assistance")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
            models.CheckConstraint(
                condition=Q(accepted_quantity__isnull=True)
                | Q(accepted_quantity__gt=0) & Q(accepted_quantity__lte=models.F("quantity")),
                name="offer_accepted_within_offer",
            ),
        ]

    def __str__(self):
        return f"{self.offerer}: {self.quantity}"


@pghistory.track()
class JointProcurement(models.Model):
    """Felles innkjøp — a lead organisation opens a joint need; participating
    organisations add their quantities per item until the deadline."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lead = models.ForeignKey(
        Organisation, verbose_name=_("lead"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
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
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("invited"), blank=True, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = JointProcurementQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("joint procurement")
        verbose_name_plural = _("joint procurements")

    def __str__(self):
        return self.title


class ProcurementItem(models.Model):
    procurement = models.ForeignKey(
        JointProcurement, on_delete=models.CASCADE, related_name="items"
    )
    name = models.CharField(_("item"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    specification = models.TextField(_("specification"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procurement", "position", "id"]
        verbose_name = _("procurement item")
        verbose_name_plural = _("procurement items")

    def __str__(self):
        return self.name


@pghistory.track()
class ProcurementLine(models.Model):
    """One participant's quantity of one item (changes kept in the history)."""

    item = models.ForeignKey(ProcurementItem, on_delete=models.PROTECT, related_name="lines")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    updated_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["item", "organisation__name"]
        verbose_name = _("procurement line")
        verbose_name_plural = _("procurement lines")
        constraints = [
            models.UniqueConstraint(fields=["item", "organisation"], name="one_line_per_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.organisation}: {self.quantity}"
