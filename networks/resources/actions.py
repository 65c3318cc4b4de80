"""Every write to the resource overview (ressursoversikt, beredskapsforskriften § 4 c) and
to assistance agreements (bistandsavtaler): one transaction each, attributable (a
pghistory context), checked here so the page, the API and the demo command give the same
messages. ``acting_user`` None is the demo command (no permission check).

Who writes: the emergency managers and crisis staff of the owning municipality, and the
officers of a State Administrator office for the office's own resources
(:func:`networks.resources.rules.writer_org_ids`, used by the ``rules`` there).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from networks.library.models import Document
from networks.resources.models import (
    Agreement,
    Resource,
    ResourceAvailability,
    ResourceCategory,
    ResourceShare,
)
from networks.resources.rules import keeps_agreement, keeps_resource, writer_org_ids
from networks.structure.models import Organisation
from portal.history import history_context
from portal.validators import control_character_errors

#: A rough box around mainland Norway (the database constraint uses the same box).
LAT_RANGE = (57.0, 72.0)
LON_RANGE = (4.0, 32.0)
RESOURCE_FIELDS = (
    "category",
    "name",
    "description",
    "quantity",
    "unit",
    "municipality",
    "latitude",
    "longitude",
    "availability",
    "contact_role",
    "lendable",
)
AGREEMENT_FIELDS = ("title", "scope", "conditions", "valid_from", "valid_until", "document")


def _require(ok):
    if not ok:
        raise PermissionDenied


def resource_errors(resource) -> dict:
    """The resource's bad facts by field, with the messages users see (page and API)."""
    errors = {}
    try:
        quantity = Decimal(str(resource.quantity))
    except (InvalidOperation, TypeError, ValueError):
        errors["quantity"] = _("Give the quantity as a number.")
    else:
        if quantity < 0:
            errors["quantity"] = _("The quantity cannot be negative.")
    lat, lon = resource.latitude, resource.longitude
    if (lat is None) != (lon is None):
        errors["latitude" if lat is None else "longitude"] = _(
            "Give both latitude and longitude, or neither."
        )
    elif lat is not None and not (
        LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
    ):
        errors["latitude"] = _(
            "The coordinates are outside Norway (latitude 57–72, longitude 4–32)."
        )
    if resource.category not in ResourceCategory.values:
        errors["category"] = _("Choose a category.")
    if resource.availability not in ResourceAvailability.values:
        errors["availability"] = _("Choose an availability.")
    return errors


def _clean_resource(resource: Resource):
    errors = resource_errors(resource)
    if errors:
        raise ValidationError(errors)
    resource.full_clean(exclude=["created_by"])


def do_create_resource(*, owner: Organisation, acting_user, created_by=None, **fields) -> Resource:
    """A new resource of ``owner`` (its writers only)."""
    with transaction.atomic(), history_context(acting_user, "resource.create"):
        if acting_user is not None:
            _require(owner is not None and owner.pk in writer_org_ids(acting_user))
        unknown = set(fields) - set(RESOURCE_FIELDS)
        if unknown:
            raise TypeError(f"unknown resource fields: {sorted(unknown)}")
        resource = Resource(owner=owner, created_by=acting_user or created_by, **fields)
        _clean_resource(resource)
        resource.save()
        return resource


def do_update_resource(resource: Resource, *, acting_user, **changes) -> Resource:
    """Change a resource's facts (its owner's writers only). The owner never changes."""
    with transaction.atomic(), history_context(acting_user, "resource.update"):
        resource = Resource.objects.select_for_update().get(pk=resource.pk)
        if acting_user is not None:
            _require(keeps_resource(acting_user, resource))
        for key, value in changes.items():
            if key not in RESOURCE_FIELDS:
                raise TypeError(f"not a changeable resource field: {key}")
            setattr(resource, key, value)
        _clean_resource(resource)
        resource.save()
        return resource


def do_share_resource(
    resource: Resource,
    *,
    acting_user,
    organisation=None,
    network=None,
    office=None,
    everyone=False,
    created_by=None,
) -> ResourceShare:
    """Open ``resource`` to one audience (a named organisation, a network's current
    members, a region, or everyone). Sharing the same audience twice adds nothing."""
    with transaction.atomic(), history_context(acting_user, "resource.share"):
        if acting_user is not None:
            _require(keeps_resource(acting_user, resource))
        given = [x for x in (organisation, network, office) if x is not None] + (
            [True] if everyone else []
        )
        if len(given) != 1:
            raise ValidationError(
                _("Choose one audience: an organisation, a network, a region or everyone.")
            )
        if organisation is not None and organisation.pk == resource.owner_id:
            raise ValidationError({"organisation": _("The owner sees its own resources already.")})
        share, _created = ResourceShare.objects.get_or_create(
            resource=resource,
            organisation=organisation,
            network=network,
            office=office,
            everyone=bool(everyone),
            defaults={"created_by": acting_user or created_by},
        )
        return share


def do_unshare_resource(share: ResourceShare, *, acting_user) -> None:
    """Close one audience again."""
    with transaction.atomic(), history_context(acting_user, "resource.unshare"):
        if acting_user is not None:
            _require(keeps_resource(acting_user, share.resource))
        share.delete()


# --- agreements ---------------------------------------------------------------------------


def agreement_errors(owner_id, party_ids, valid_from, valid_until) -> dict:
    """The parties and the period, checked with the messages users see (page and API)."""
    errors = {}
    if len(party_ids) < 2:
        errors["parties"] = _("An agreement has at least two parties.")
    elif owner_id not in party_ids:
        errors["parties"] = _("The organisation that registers the agreement must be a party.")
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = _("The agreement cannot end before it begins.")
    return errors


def _check_agreement(agreement: Agreement, parties, resources, acting_user):
    party_ids = {p.pk for p in parties}
    errors = agreement_errors(
        agreement.owner_id, party_ids, agreement.valid_from, agreement.valid_until
    )
    errors.update(control_character_errors(title=agreement.title))  # expiry notices
    strangers = [r.name for r in resources if r.owner_id not in party_ids]
    if strangers and "parties" not in errors:
        errors["resources"] = _("Only the parties' own resources can be linked: %(names)s.") % {
            "names": ", ".join(strangers)
        }
    if acting_user is not None:
        if resources:
            seen = set(
                Resource.objects.visible_to(acting_user)
                .filter(pk__in=[r.pk for r in resources])
                .values_list("pk", flat=True)
            )
            if len(seen) != len({r.pk for r in resources}):
                errors["resources"] = _("Link only resources you can see.")
        if (
            agreement.document_id
            and not Document.objects.visible_to(acting_user)
            .filter(pk=agreement.document_id)
            .exists()
        ):
            errors["document"] = _("Choose a document you can see in the library.")
    if errors:
        raise ValidationError(errors)
    agreement.full_clean(exclude=["created_by"])


def do_create_agreement(
    *, owner: Organisation, acting_user, parties, resources=(), created_by=None, **fields
) -> Agreement:
    """Register an assistance agreement between ``parties`` (two or more, ``owner`` among
    them), with the linked resources (the parties' own) and an optional library document."""
    with transaction.atomic(), history_context(acting_user, "agreement.create"):
        if acting_user is not None:
            _require(owner is not None and owner.pk in writer_org_ids(acting_user))
        for key in fields:
            if key not in AGREEMENT_FIELDS:
                raise TypeError(f"unknown agreement field: {key}")
        parties, resources = list(parties), list(resources)
        agreement = Agreement(owner=owner, created_by=acting_user or created_by, **fields)
        _check_agreement(agreement, parties, resources, acting_user)
        agreement.save()
        agreement.parties.set(parties)
        agreement.resources.set(resources)
        return agreement


def do_update_agreement(
    agreement: Agreement, *, acting_user, parties=None, resources=None, **changes
) -> Agreement:
    """Change an agreement (the registering organisation's writers only)."""
    with transaction.atomic(), history_context(acting_user, "agreement.update"):
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if acting_user is not None:
            _require(keeps_agreement(acting_user, agreement))
        for key, value in changes.items():
            if key not in AGREEMENT_FIELDS:
                raise TypeError(f"not a changeable agreement field: {key}")
            setattr(agreement, key, value)
        parties = list(agreement.parties.all()) if parties is None else list(parties)
        resources = list(agreement.resources.all()) if resources is None else list(resources)
        _check_agreement(agreement, parties, resources, acting_user)
        agreement.save()
        agreement.parties.set(parties)
        agreement.resources.set(resources)
        return agreement
