from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, shared_visible_q, viewer_for


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A resource is seen by its owner, by the audiences it is shared with, and by
        the owner's State Administrator office once shared with anyone."""
        from networks.resources.models import ResourceShare  # models imports us

        return self.filter(shared_visible_q(viewer_for(user), ResourceShare, "resource"))


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An assistance agreement is seen by its parties and the officers of their
        regions."""
        from networks.resources.models import Agreement  # models imports us

        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        parties = Agreement.parties.through.objects.filter(agreement_id=OuterRef("pk"))
        q = Q(owner_id__in=viewer.org_ids) | Exists(
            parties.filter(organisation_id__in=viewer.org_ids)
        )
        if viewer.officer_office_ids:
            q |= Exists(parties.filter(organisation__region_id__in=viewer.officer_office_ids))
        return self.filter(q)


class ResourceShareQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Share rows are the owner's business: seen by the owner's people and the
        officers of the owner's region (those who see every shared resource of the region
        anyway). An audience sees the resource, not who else it was shared with."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        q = Q(resource__owner_id__in=viewer.org_ids)
        if viewer.officer_office_ids:
            q |= Q(resource__owner__region_id__in=viewer.officer_office_ids)
        return self.filter(q)
