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


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is its recipient's only."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        return self.filter(recipient_id=viewer.user_id)

    def unread(self):
        return self.filter(read_at__isnull=True)
