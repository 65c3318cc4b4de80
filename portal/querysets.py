from django.db import models

from portal.access import NOTHING, owner_visible_q, viewer_for


class RoleAssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The people and roles of an organisation are visible only inside it."""
        viewer = viewer_for(user)
        return (
            self.filter(owner_visible_q(viewer, region_sees=False))
            if viewer.org_ids
            else self.filter(NOTHING)
        )
