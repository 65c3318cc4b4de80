"""Norway's preparedness structure as data: offices, counties, municipalities,
organisations, networks, county preparedness councils and crisis contact rosters."""

import uuid

import pghistory
import pgtrigger
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from networks.querysets import (
    AdoptionQuerySet,
    AgreementQuerySet,
    AssistanceOfferQuerySet,
    AssistanceRequestQuerySet,
    CommentRoundQuerySet,
    ContactEntryQuerySet,
    DirectoryQuerySet,
    DocumentCommentQuerySet,
    DocumentQuerySet,
    DocumentVersionQuerySet,
    JointProcurementQuerySet,
    OrganisationQuerySet,
    ResourceQuerySet,
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    STATE_ADMINISTRATOR = "state_administrator", _("State Administrator office")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    KS = "ks", _("KS")
    COUNTY_COUNCIL = "county_council", _("County authority")
    HEALTH_TRUST = "health_trust", _("Health trust")
    POLICE_DISTRICT = "police_district", _("Police district")
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


@pghistory.track()
class CouncilMembership(models.Model):
    """An organisation's seat in a county preparedness council (member or invited)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="council_memberships"
    )
    status = models.CharField(_("status"), max_length=20, choices=CouncilStatus.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

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
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"


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


# --- the library ------------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    ACTION_CARD = "action_card", _("Action card template (tiltakskort)")
    PLAN_TEMPLATE = "plan_template", _("Plan template")
    EVALUATION_TEMPLATE = "evaluation_template", _("Evaluation template")
    LOCAL_REGULATION = "local_regulation", _("Draft local regulation (lokal forskrift)")
    AGREEMENT = "agreement", _("Agreement")
    GUIDE = "guide", _("Guide")


@pghistory.track()
class Document(models.Model):
    """Dokument i biblioteket — owned by an organisation, written in the portal
    (Markdown) and/or an uploaded file. Every edit is a new :class:`DocumentVersion`
    (immutable); the document row carries the latest version's title and text, for
    lists and Norwegian full-text search. An adopted copy remembers its origin
    (:class:`Adoption`)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=100, blank=True)
    body = models.TextField(_("text"), blank=True)
    current_number = models.PositiveIntegerField(_("latest version"), default=0)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search = models.GeneratedField(
        expression=SearchVector("title", "topic", "body", config="norwegian"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [
            GinIndex(fields=["search"]),
            models.Index(fields=["owner", "kind"]),
        ]

    def __str__(self):
        return self.title


def document_upload_to(instance, filename):
    return f"library/{instance.document.uuid}/{instance.number}/{filename}"


class DocumentVersion(models.Model):
    """Version *n* of a document, as it was written: never changed or deleted
    (PostgreSQL refuses UPDATE and DELETE). For an action card, ``checklist`` holds the
    steps: ``[{"title": …, "role": …, "time_frame": …}]``."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    body_html = models.TextField(editable=False, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), db_default=models.functions.Now())

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_document_version"),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_version_from_one"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="document_version_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"


@pghistory.track()
class DocumentShare(AudienceShare):
    """A document opened to one audience; removing a share is kept in the history
    (who removed it, when: pghistory)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="shares")

    class Meta(AudienceShare.Meta):
        verbose_name = _("document share")
        verbose_name_plural = _("document shares")

    def __str__(self):
        return f"{self.document} → {self.audience()}"


class Adoption(models.Model):
    """Vedtak om å ta i bruk — an organisation adopted ``source_version`` of a shared
    document as its own copy (``copy``). The origin's owner sees who adopted which
    version; the adopters are told of newer versions; the adopter's office sees it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="adoptions")
    source_version = models.ForeignKey(
        DocumentVersion, on_delete=models.PROTECT, related_name="adoptions"
    )
    copy = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="adopted_from")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("adopted by"), on_delete=models.PROTECT, related_name="+"
    )
    adopted_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    adopted_at = models.DateTimeField(_("adopted"), db_default=models.functions.Now())

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_at", "-id"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self):
        return f"{self.organisation} ← {self.source_version}"


@pghistory.track()
class CommentRound(models.Model):
    """Høring — a document version opened for comments by a network and/or named
    organisations until a deadline; it ends with the owner's summary."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="comment_rounds")
    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="+")
    network = models.ForeignKey(
        "networks.Network",
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="+"
    )
    deadline = models.DateTimeField(_("deadline"))
    opened_by = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), db_default=models.functions.Now())
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    objects = CommentRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("comment round")
        verbose_name_plural = _("comment rounds")

    def __str__(self):
        return f"{self.document} ({self.version.number})"


class CommentDecision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    TAKEN_IN = "taken_in", _("Taken in")
    NOT_TAKEN_IN = "not_taken_in", _("Not taken in")


@pghistory.track()
class DocumentComment(models.Model):
    """Høringsinnspill — one organisation's comment on a section of the document."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    round = models.ForeignKey(CommentRound, on_delete=models.PROTECT, related_name="comments")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey("portal.User", on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("section"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), db_default=models.functions.Now())
    decision = models.CharField(
        _("decision"),
        max_length=20,
        choices=CommentDecision.choices,
        default=CommentDecision.PENDING,
    )
    decision_note = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = DocumentCommentQuerySet.as_manager()

    class Meta:
        ordering = ["round", "section", "created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


# --- resources and mutual aid -------------------------------------------------------------


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
