"""The access layer: the one place that decides what a user may see.

Every model a user can reach has a queryset method ``visible_to(user)``; views and API
viewsets obtain their querysets only through :class:`portal.views.ScopedMixin` /
:class:`portal.api.ScopedViewSetMixin`, which call it. Default deny: an anonymous or
inactive user, or a user with no role anywhere, sees no private data at all.

Private data is owned by an organisation. The audiences a piece of data can reach, as the
domain needs them (later issues add a ``Share`` record per object; nothing is ever edited
to share it):

* the owner organisation itself (always);
* named organisations, a network (its current members), the owner's State Administrator
  office — through share records;
* region-wide visibility: an office's officers see what the organisations of their region
  shared with anyone (the "go in line" rule), and data that is by nature regional (the
  crisis contact rosters).

:func:`viewer_for` computes the facts about a user once per request (three small queries)
and :func:`owner_visible_q` turns them into a ``Q`` object, so a scoped list stays one
query however much data there is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from portal.roles import Role


@dataclass(frozen=True)
class Viewer:
    """What the access layer knows about a user."""

    user_id: int | None
    org_ids: frozenset[int] = frozenset()
    roles: frozenset[tuple[int, str]] = frozenset()
    officer_office_ids: frozenset[int] = frozenset()
    network_ids: frozenset[int] = frozenset()
    coordinated_network_ids: frozenset[int] = frozenset()
    is_superuser: bool = False
    role_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, role: str, organisation_id: int | None = None) -> bool:
        if organisation_id is None:
            return role in self.role_names
        return (organisation_id, role) in self.roles


ANONYMOUS = Viewer(user_id=None)


def viewer_for(user: Any) -> Viewer:
    """The viewer for ``user``, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_samvirke_viewer", None)
    if cached is not None:
        return cached

    # By the app registry, not an import: portal is the bottom layer and networks
    # (the preparedness structure the viewer reads) sits above it.
    NetworkMembership = apps.get_model("networks", "NetworkMembership")
    Office = apps.get_model("networks", "Office")
    RoleAssignment = apps.get_model("portal", "RoleAssignment")

    assignments = list(
        RoleAssignment.objects.filter(user=user).values_list(
            "organisation_id", "role", "network_id"
        )
    )
    org_ids = frozenset(a[0] for a in assignments)
    officer_orgs = {a[0] for a in assignments if a[1] == Role.OFFICER}
    officer_office_ids = (
        frozenset(
            Office.objects.filter(organisation_id__in=officer_orgs).values_list("id", flat=True)
        )
        if officer_orgs
        else frozenset()
    )
    network_ids = (
        frozenset(
            NetworkMembership.objects.current()
            .filter(organisation_id__in=org_ids)
            .values_list("network_id", flat=True)
        )
        if org_ids
        else frozenset()
    )
    viewer = Viewer(
        user_id=user.pk,
        org_ids=org_ids,
        roles=frozenset((a[0], a[1]) for a in assignments),
        officer_office_ids=officer_office_ids,
        network_ids=network_ids,
        coordinated_network_ids=frozenset(
            a[2] for a in assignments if a[1] == Role.NETWORK_COORDINATOR and a[2]
        ),
        is_superuser=user.is_superuser,
        role_names=frozenset(a[1] for a in assignments),
    )
    user._samvirke_viewer = viewer
    return viewer


def forget_viewer(user: Any) -> None:
    """Drop the cached viewer (after the user's roles changed)."""
    if hasattr(user, "_samvirke_viewer"):
        del user._samvirke_viewer


NOTHING = Q(pk__in=[])


def owner_visible_q(viewer: Viewer, owner: str = "organisation", *, region_sees: bool) -> Q:
    """Rows owned by one of the viewer's organisations; with ``region_sees``, also rows
    owned by an organisation in a region whose office the viewer is an officer of.
    ``owner`` is the path to the owning organisation; ``""`` filters organisations."""
    if not viewer.authenticated:
        return NOTHING
    prefix = f"{owner}__" if owner else ""
    q = Q(**{f"{prefix}id__in": viewer.org_ids})
    if region_sees and viewer.officer_office_ids:
        q |= Q(**{f"{prefix}region_id__in": viewer.officer_office_ids})
    return q


def audience_q(viewer: Viewer, prefix: str = "") -> Q:
    """Share rows (an :class:`networks.models.AudienceShare` subclass) that reach the
    viewer: to everyone in the portal, to one of the viewer's organisations, to a network
    one of them is a current member of, or to a region (an office and its
    municipalities) one of them belongs to or is the office of. ``prefix`` is the path
    from the filtered model to the share row (``"shares__"``)."""
    if not viewer.authenticated:
        return NOTHING
    Organisation = apps.get_model("networks", "Organisation")
    if not viewer.org_ids:
        return NOTHING  # default deny: no role anywhere, nothing shared reaches you
    own_regions = Organisation.objects.filter(pk__in=viewer.org_ids).values("region_id")
    return (
        Q(**{f"{prefix}everyone": True})
        | Q(**{f"{prefix}organisation_id__in": viewer.org_ids})
        | Q(**{f"{prefix}network_id__in": viewer.network_ids})
        | Q(**{f"{prefix}office_id__in": own_regions})
        | Q(**{f"{prefix}office__organisation_id__in": viewer.org_ids})
    )


def shared_visible_q(viewer: Viewer, share_model: Any, fk: str, owner: str = "owner") -> Q:
    """Rows owned by one of the viewer's organisations, shared with the viewer (see
    :func:`audience_q`), or — "go in line" — owned by an organisation of a region whose
    office the viewer is an officer of and shared with anyone. One ``Q`` with
    ``EXISTS`` subqueries: a scoped list stays one query."""
    if not viewer.authenticated or not viewer.org_ids:
        return NOTHING
    shares = share_model.objects.filter(**{fk: OuterRef("pk")})
    # Q | Exists is a Q at run time; the stubs call it a Combinable.
    q = cast(
        Q, Q(**{f"{owner}_id__in": viewer.org_ids}) | Exists(shares.filter(audience_q(viewer)))
    )
    if viewer.officer_office_ids:
        q |= cast(Q, Q(**{f"{owner}__region_id__in": viewer.officer_office_ids}) & Exists(shares))
    return q


# --- acting for an organisation ----------------------------------------------------------


def org_ids_with(user: Any, roles: Iterable[str]) -> frozenset[int]:
    """The organisations where ``user`` holds one of ``roles`` (a set of portal.roles)."""
    return frozenset(org for org, role in viewer_for(user).roles if role in roles)


def acting_organisation(
    user: Any,
    roles: Iterable[str],
    given: Any = None,
    *,
    field: str = "organisation",
    exclude: Iterable[int] = (),
) -> Any:
    """The one answer to "which organisation does this user act for", for pages and API.

    ``given`` (an organisation the caller named, already looked up through
    ``visible_to``) must be one where the user holds one of ``roles``, else
    PermissionDenied. With nothing given, the single such organisation is taken; with
    several, a ValidationError on ``field`` asks the caller to choose (API 400 with that
    field's error, a form error on the page); with none, PermissionDenied. ``exclude``
    drops organisations that cannot act here (a requester cannot offer to itself).
    """
    allowed = org_ids_with(user, roles) - set(exclude)
    if given is not None:
        if given.pk not in allowed:
            raise PermissionDenied
        return given
    if not allowed:
        raise PermissionDenied
    if len(allowed) > 1:
        raise ValidationError(
            {field: [_("You act for more than one organisation here: choose which.")]},
            code="ambiguous",
        )
    return apps.get_model("networks", "Organisation").objects.get(pk=next(iter(allowed)))
