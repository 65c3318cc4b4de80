"""Who may act on incidents and crisis frames (used by views, API permissions, actions
and templates)."""

import rules

from incidents.log.models import Incident
from portal.access import org_ids_with, viewer_for
from portal.roles import INCIDENT_WRITER_ROLES, Role


def incident_writer_org_ids(user) -> frozenset[int]:
    """The organisations whose incidents and logs the user writes (as
    ``IncidentQuerySet.editable_by``)."""
    return org_ids_with(user, INCIDENT_WRITER_ROLES)


@rules.predicate
def writes_incident(user, incident):
    return (
        incident is not None and Incident.objects.editable_by(user).filter(pk=incident.pk).exists()
    )


def frame_owner_orgs(user) -> dict[int, str]:
    """The organisations the user may create and change crisis frames for, with what
    kind: ``"any"`` where the user is a national analyst (DSB, a directorate: national
    frames and exercises), ``"exercise"`` where the user is only a State Administrator
    officer (exercise frames for the office). Emergency managers hold none."""
    orgs: dict[int, str] = {}
    for org_id, role in viewer_for(user).roles:
        if role == Role.NATIONAL_ANALYST:
            orgs[org_id] = "any"
        elif role == Role.OFFICER:
            orgs.setdefault(org_id, "exercise")
    return orgs


@rules.predicate
def creates_frames(user, owner=None):
    """With an organisation: may create frames owned by it; without: by any."""
    orgs = frame_owner_orgs(user)
    if owner is None:
        return bool(orgs)
    return owner.pk in orgs


@rules.predicate
def changes_frame(user, frame):
    return frame is not None and frame.owner_id in frame_owner_orgs(user)


rules.add_perm("incidents.write_log", writes_incident)
rules.add_perm("incidents.change_incident", writes_incident)
rules.add_perm("incidents.share_incident", writes_incident)
rules.add_perm("incidents.create_frame", creates_frames)
rules.add_perm("incidents.change_frame", changes_frame)
