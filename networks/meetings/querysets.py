"""Who sees meetings: the convener organisation and the invited organisations (the
participants). Minutes and follow-ups: the participants once published; drafts only the
convener."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from portal.access import NOTHING, viewer_for


def participant_q(viewer):
    """The convener's people or an invited organisation's: one EXISTS, one query."""
    from networks.meetings.models import Invitation  # models imports us

    invited = Invitation.objects.filter(
        meeting_id=OuterRef("pk"), organisation_id__in=viewer.org_ids
    )
    return Q(convener_id__in=viewer.org_ids) | Exists(invited)


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        viewer = viewer_for(user)
        if not viewer.authenticated or not viewer.org_ids:
            return self.filter(NOTHING)
        return self.filter(participant_q(viewer))


class MinutesVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from networks.meetings.models import Meeting

        return self.filter(meeting__in=Meeting.objects.visible_to(user).values("pk"))


class FollowUpQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Published follow-ups to the participants; unpublished ones to the convener."""
        from networks.meetings.models import Meeting

        viewer = viewer_for(user)
        if not viewer.authenticated or not viewer.org_ids:
            return self.filter(NOTHING)
        return self.filter(
            Q(meeting__convener_id__in=viewer.org_ids)
            | Q(published=True, meeting__in=Meeting.objects.visible_to(user).values("pk"))
        )
