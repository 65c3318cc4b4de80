"""The access rules for incidents and logs, in one place (see portal/access.py).

An incident and its log are private to the owner organisation. A :class:`Share` opens an
incident (all its entries) or a single entry to a named organisation (a neighbour, the
State Administrator office) or to a network's current members. The owner's office
officers see everything of their region that is shared with anyone: whatever a city shares
with its neighbours or a network goes "in line" with the State Administrator.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, org_ids_with, viewer_for
from portal.roles import INCIDENT_WRITER_ROLES


def _share_model():
    from incidents.log.models import Share  # incidents.log.models imports this module

    return Share


def shares_to(viewer):
    """Shares whose audience includes the viewer."""
    return _share_model().objects.filter(
        Q(organisation_id__in=viewer.org_ids) | Q(network_id__in=viewer.network_ids)
    )


class CrisisFrameQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Crisis frames are names every organisation files its incidents under."""
        return self.all() if viewer_for(user).authenticated else self.filter(NOTHING)


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user):
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        mine = shares_to(viewer)
        q = (
            Q(owner_id__in=viewer.org_ids)
            | Exists(mine.filter(incident_id=OuterRef("pk")))
            | Exists(mine.filter(entry__incident_id=OuterRef("pk")))
        )
        if viewer.officer_office_ids:
            Share = _share_model()
            q |= Q(owner__region_id__in=viewer.officer_office_ids) & (
                Exists(Share.objects.filter(incident_id=OuterRef("pk")))
                | Exists(Share.objects.filter(entry__incident_id=OuterRef("pk")))
            )
        return self.filter(q)

    def editable_by(self, user):
        """Incidents whose log and facts the user may write: the owner's emergency
        managers and crisis staff."""
        orgs = org_ids_with(user, INCIDENT_WRITER_ROLES)
        return self.filter(owner_id__in=orgs)

    def real(self):
        """Not exercises: what statistics may count."""
        return self.filter(is_exercise=False)


class LogEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        mine = shares_to(viewer)
        q = (
            Q(incident__owner_id__in=viewer.org_ids)
            | Exists(mine.filter(incident_id=OuterRef("incident_id")))
            | Exists(mine.filter(entry_id=OuterRef("pk")))
            | Exists(mine.filter(entry_id=OuterRef("corrects_id")))
        )
        if viewer.officer_office_ids:
            Share = _share_model()
            q |= Q(incident__owner__region_id__in=viewer.officer_office_ids) & (
                Exists(Share.objects.filter(incident_id=OuterRef("incident_id")))
                | Exists(Share.objects.filter(entry_id=OuterRef("pk")))
                | Exists(Share.objects.filter(entry_id=OuterRef("corrects_id")))
            )
        return self.filter(q)

    def visible_in(self, user, incident):
        """The entries of one (visible) incident that the user may see. When the user sees
        the whole log — the owner's people, an incident-level share to them, or the
        region's officers of an incident shared with anyone — this is a plain filter on
        the incident, which PostgreSQL answers from the indexes; otherwise the per-entry
        rules of :meth:`visible_to` apply."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        Share = _share_model()
        whole = (
            incident.owner_id in viewer.org_ids
            or shares_to(viewer).filter(incident=incident).exists()
        )
        if not whole and viewer.officer_office_ids:
            whole = (
                incident.owner.region_id in viewer.officer_office_ids
                and Share.objects.filter(incident=incident).exists()
            )
        if whole:
            return self.filter(incident=incident)
        return self.visible_to(user).filter(incident=incident)


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from incidents.log.models import LogEntry  # incidents.log.models imports this module

        return self.filter(entry__in=LogEntry.objects.visible_to(user).values("pk"))


class ShareQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who an incident is shared with is known to its owner and the region's office."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        owner = Q(incident__owner_id__in=viewer.org_ids) | Q(
            entry__incident__owner_id__in=viewer.org_ids
        )
        region = Q(incident__owner__region_id__in=viewer.officer_office_ids) | Q(
            entry__incident__owner__region_id__in=viewer.officer_office_ids
        )
        return self.filter(owner | region)


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Tasks are the owner's internal work, plus what is assigned to the user or the
        user's organisation."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        return self.filter(
            Q(incident__owner_id__in=viewer.org_ids)
            | Q(assignee_user_id=viewer.user_id)
            | Q(assignee_organisation_id__in=viewer.org_ids)
        )
