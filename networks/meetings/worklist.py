"""Meetings' follow-up tasks as «Mine oppgaver» items (registered from
``NetworksConfig.ready``): the open, published follow-ups assigned to the user's
organisations. One query."""

from django.urls import reverse
from django.utils.translation import gettext as _

from networks.meetings.models import FollowUp, FollowUpStatus
from portal.access import viewer_for
from portal.worklist import WorkItem


def follow_up_items(user) -> list[WorkItem]:
    viewer = viewer_for(user)
    if not viewer.org_ids:
        return []
    follow_ups = (
        FollowUp.objects.visible_to(user)
        .filter(published=True, status=FollowUpStatus.OPEN, assignee_id__in=viewer.org_ids)
        .select_related("meeting", "assignee")
    )
    return [
        WorkItem(
            title=f.title,
            due=f.due_on,
            url=reverse("networks:meeting-detail", args=[f.meeting.uuid]) + "#oppfolging",
            source=_("Meeting"),
            context=f"{f.meeting.title} · {f.assignee.display_name}",
        )
        for f in follow_ups
    ]
