from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, shared_visible_q, viewer_for


class ResourceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A resource is seen by its owner, by the audiences it is shared with, and by
        the owner's State Administrator office once shared with anyone."""
        from networks.models import ResourceShare

        return self.filter(shared_visible_q(viewer_for(user), ResourceShare, "resource"))


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An assistance agreement is seen by its parties and the officers of their
        regions."""
        from networks.models import Agreement

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
