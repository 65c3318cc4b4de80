"""Norway's preparedness structure as data: offices, counties, municipalities,
organisations, networks, county preparedness councils, crisis contact rosters, and the
audience-share base every shared thing uses."""

import uuid

import pghistory
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.structure.querysets import (
    ContactEntryQuerySet,
    DirectoryQuerySet,
    OrganisationQuerySet,
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    STATE_ADMINISTRATOR = "state_administrator", _("State Administrator office")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    KS = "ks", _("KS")
    COUNTY_COUNCIL = "county_council", _("County authority")
    HEALTH_TRUST = "health_trust", _("Health trust")
    POLICE_DISTRICT = "police_district", _("Police district")
    CIVIL_DEFENCE = "civil_defence", _("Civil defence district")
    ARMED_FORCES = "armed_forces", _("Armed Forces")
    SECTOR_AGENCY = "sector_agency", _("Sector agency (regional)")
    OTHER = "other", _("Other")


@pghistory.track()
class Organisation(models.Model):
    """Organisasjon — every actor that has users or takes part: each kommune, each
    Statsforvalter office, DSB, the directorates, KS, health trusts, police districts …"""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    orgnr = models.CharField(_("organisation number"), max_length=9, blank=True)
    region = models.ForeignKey(
        "Office",
        verbose_name=_("State Administrator region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="region_organisations",
        help_text=_("The State Administrator office whose region the organisation belongs to."),
    )
    website = models.URLField(_("website"), blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


class Office(models.Model):
    """Statsforvalter — one of the 10 State Administrator offices (embeter) and the
    counties it covers; chairs its county preparedness council."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_bokmaal = models.CharField(_("name (Bokmål)"), max_length=200)
    orgnr = models.CharField(_("organisation number"), max_length=9)
    website = models.URLField(_("website"), blank=True)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="office"
    )

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["name_bokmaal"]
        verbose_name = _("State Administrator office")
        verbose_name_plural = _("State Administrator offices")

    def __str__(self):
        return self.name_bokmaal

    @property
    def short_name(self):
        return self.name_bokmaal.removeprefix("Statsforvalteren i ")


class County(models.Model):
    """Fylke — one of the 15 counties (2024 structure)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("county number"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_no = models.CharField(_("Norwegian name"), max_length=120)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="counties")
    population = models.PositiveIntegerField(_("population"), default=0)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, default=0)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name_no


class Municipality(models.Model):
    """Kommune — one of the 357 municipalities (2024 structure), with its organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("municipality number"), max_length=4, unique=True)
    name = models.CharField(_("official name"), max_length=120)
    name_no = models.CharField(_("Norwegian name"), max_length=120)
    label = models.CharField(_("name"), max_length=120, unique=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField(_("population (1.1.2024)"))
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2)
    administrative_centre = models.CharField(_("administrative centre"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    label_lon = models.FloatField()
    label_lat = models.FloatField()
    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="municipality"
    )
    neighbours = models.ManyToManyField("self", symmetrical=True, blank=True)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.label


class NetworkKind(models.TextChoices):
    NATIONAL = "national", _("National network")
    REGIONAL = "regional", _("Regional network")


@pghistory.track()
class Network(models.Model):
    """Nettverk — e.g. KS Storbynettverk, Storbynettverk beredskap (SNB), Nord-Jæren."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=NetworkKind.choices)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_networks",
    )

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.short_name or self.name


class MembershipQuerySet(DirectoryQuerySet):
    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(joined_on__lte=day), Q(left_on__isnull=True) | Q(left_on__gt=day))


@pghistory.track()
class NetworkMembership(models.Model):
    """Medlemskap — an organisation's membership of a network over a period. Leaving sets
    ``left_on``; rows are never deleted, so the network's history stays readable."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="network_memberships",
    )
    joined_on = models.DateField(_("member from"))
    left_on = models.DateField(_("member until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on", "organisation__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(left_on__isnull=True),
                name="one_open_membership_per_network",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} i {self.network}"


@pghistory.track()
class Council(models.Model):
    """Fylkesberedskapsråd — the county preparedness council chaired by an office."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    office = models.OneToOneField(Office, on_delete=models.PROTECT, related_name="council")
    name = models.CharField(_("name"), max_length=200)

    objects = DirectoryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("county preparedness council")
        verbose_name_plural = _("county preparedness councils")

    def __str__(self):
        return self.name


class CouncilSeatQuerySet(DirectoryQuerySet):
    def current(self, on=None):
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(
            Q(since__isnull=True) | Q(since__lte=day), Q(until__isnull=True) | Q(until__gt=day)
        )


class CouncilStatus(models.TextChoices):
    MEMBER = "member", _("Member")
    INVITED = "invited", _("Invited")
    OBSERVER = "observer", _("Observer")


@pghistory.track()
class CouncilMembership(models.Model):
    """An organisation's seat in a county preparedness council (member, invited or
    observer) over a period. Ending a seat sets ``until``; rows are never deleted, so the
    council's history stays readable (pghistory keeps every change with who made it)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="council_memberships"
    )
    status = models.CharField(_("status"), max_length=20, choices=CouncilStatus.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = CouncilSeatQuerySet.as_manager()

    class Meta:
        ordering = ["status", "organisation__name"]
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "organisation"],
                condition=Q(until__isnull=True),
                name="one_open_seat_per_council",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="council_seat_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"


class NeighbourBasis(models.TextChoices):
    """How a pair of neighbouring municipalities was found."""

    LAND = "land", _("Land border")
    WATER = "water", _("Across water")
    FIXED_LINK = "fixed_link", _("Fixed link")
    OFFICE = "office", _("Set by the office")


class NeighbourLinkQuerySet(DirectoryQuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def of_region(self, office):
        """Pairs with at least one municipality in the office's region."""
        return self.filter(Q(first__county__office=office) | Q(second__county__office=office))


@pghistory.track()
class NeighbourLink(models.Model):
    """Nabokommuner — one pair of neighbouring municipalities and how it was found: a
    shared land border, boundaries within a stated distance across water, a fixed link
    (bridge, tunnel) kept as data with its source, or set by the State Administrator
    office. ``Municipality.neighbours`` holds the current pairs (what sharing and the
    nearness filters read); an office removes a pair by setting ``removed_at`` with a
    reason, so a derived pair it corrected is not derived back by ``load_structure``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    second = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("neighbour")
    )
    basis = models.CharField(_("how it was found"), max_length=20, choices=NeighbourBasis.choices)
    distance_m = models.PositiveIntegerField(_("distance (m)"), null=True, blank=True)
    source = models.CharField(_("source or reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added"), db_default=models.functions.Now())
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)

    objects = NeighbourLinkQuerySet.as_manager()

    class Meta:
        ordering = ["first__label", "second__label"]
        verbose_name = _("neighbour pair")
        verbose_name_plural = _("neighbour pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=Q(removed_at__isnull=True),
                name="one_current_neighbour_link",
            ),
            models.CheckConstraint(
                condition=~Q(first=models.F("second")), name="neighbour_link_two_municipalities"
            ),
        ]

    def __str__(self):
        return f"{self.first} – {self.second} ({self.get_basis_display()})"


class Availability(models.TextChoices):
    ALWAYS = "24_7", _("24/7")
    ON_CALL = "on_call", _("On-call rotation")
    OFFICE_HOURS = "office_hours", _("Office hours")
    CRISIS_ONLY = "crisis", _("When crisis management is set up")


@pghistory.track()
class ContactEntry(models.Model):
    """Beredskapskontakt — one line of an organisation's crisis contact roster. Private:
    visible to the organisation and to its State Administrator office's officers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="contacts"
    )
    function = models.CharField(_("function"), max_length=120)
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=30)
    phone_alt = models.CharField(_("alternative phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    deputy = models.CharField(_("deputy"), max_length=120, blank=True)
    deputy_phone = models.CharField(_("deputy's phone"), max_length=30, blank=True)
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.OFFICE_HOURS,
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactEntryQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "sort_order", "function"]
        verbose_name = _("crisis contact")
        verbose_name_plural = _("crisis contacts")

    def __str__(self):
        return f"{self.function}: {self.name}"


# --- sharing ---------------------------------------------------------------------------


class AudienceShare(models.Model):
    """Deling — opens one object to one audience: a named organisation, a network's
    current members, a region (an office and its municipalities), or everyone in the
    portal. Sharing adds a row; nothing is edited. The owner's State Administrator office
    sees whatever is shared with anyone ("go in line"; ``portal.access.shared_visible_q``)."""

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
    office = models.ForeignKey(
        "networks.Office",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    everyone = models.BooleanField(_("everyone in Samvirke"), default=False)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("shared"), db_default=models.functions.Now())

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    organisation__isnull=False, network__isnull=True, office__isnull=True,
                    everyone=False,
                )
                | Q(organisation__isnull=True, network__isnull=False, office__isnull=True,
                    everyone=False)
                | Q(organisation__isnull=True, network__isnull=True, office__isnull=False,
                    everyone=False)
                | Q(organisation__isnull=True, network__isnull=True, office__isnull=True,
                    everyone=True),
                name="%(app_label)s_%(class)s_one_audience",
            ),
        ]  # fmt: skip

    def audience(self):
        if self.everyone:
            return _("Everyone in Samvirke")
        return self.organisation or self.network or self.office
