from django.db import models
from django.db.models import Q

from portal.access import NOTHING, shared_visible_q, viewer_for


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A document is seen by its owner, by the audiences it is shared with, and by
        the owner's State Administrator office once it is shared with anyone."""
        from networks.library.models import DocumentShare  # models imports this module

        return self.filter(shared_visible_q(viewer_for(user), DocumentShare, "document"))


class DocumentVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from networks.library.models import Document  # models imports this module

        return self.filter(document__in=Document.objects.visible_to(user))


class AdoptionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who adopted which version: known to the adopter, to the origin's owner, and
        to the officers of both regions (sharing goes in line)."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        q = Q(organisation_id__in=viewer.org_ids) | Q(source__owner_id__in=viewer.org_ids)
        if viewer.officer_office_ids:
            q |= Q(organisation__region_id__in=viewer.officer_office_ids) | Q(
                source__owner__region_id__in=viewer.officer_office_ids
            )
        return self.filter(q)
