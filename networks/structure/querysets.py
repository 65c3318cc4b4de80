from django.db import models

from portal.access import NOTHING, owner_visible_q, viewer_for


class DirectoryQuerySet(models.QuerySet):
    """Reference data (the structure of Norwegian preparedness) is open to every
    signed-in user and to nobody else."""

    def visible_to(self, user):
        return self.all() if viewer_for(user).authenticated else self.filter(NOTHING)


class ContactEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A crisis contact roster is visible to its organisation and to the officers of
        the organisation's State Administrator office."""
        return self.filter(owner_visible_q(viewer_for(user), region_sees=True))


class OrganisationQuerySet(DirectoryQuerySet):
    def with_roster_visible_to(self, user):
        """Organisations whose crisis contact roster the user may see (the same rule as
        :meth:`ContactEntryQuerySet.visible_to`)."""
        return self.filter(owner_visible_q(viewer_for(user), owner="", region_sees=True))

    def with_people_visible_to(self, user):
        """Organisations whose people and roles the user may see: only their own."""
        return self.filter(owner_visible_q(viewer_for(user), owner="", region_sees=False))


# --- the library: shared like everything else (portal.access.shared_visible_q) ---------
