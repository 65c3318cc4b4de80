"""Who sees lessons and exercises (see portal/access.py)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, shared_visible_q, viewer_for


class ExerciseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An exercise is seen by its organiser, its participants and the officers of the
        organiser's region."""
        viewer = viewer_for(user)
        if not viewer.authenticated:
            return self.filter(NOTHING)
        joined = self.model.participants.through.objects.filter(
            exercise_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
        )
        q = Q(owner_id__in=viewer.org_ids) | Exists(joined)
        if viewer.officer_office_ids:
            q |= Q(owner__region_id__in=viewer.officer_office_ids)
        return self.filter(q)


class LessonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A lesson is seen by its owner, the audiences it is shared with, and the
        owner's State Administrator office once shared with anyone."""
        share_model = self.model._meta.get_field("shares").related_model
        return self.filter(shared_visible_q(viewer_for(user), share_model, "lesson"))
