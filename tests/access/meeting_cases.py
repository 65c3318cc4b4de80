"""Access-matrix cases for meetings, and the builders the meeting tests share.

Built fresh for every case: MEETING — the Øst office convenes a kommunemøte for two of
its municipalities, Drammen (kommune-3301) and Hole (kommune-3310). Seen by the Øst
officer (convener), Drammen's staff and Hole's manager; not by Bergen, Stavanger, the
Vestland or Rogaland officers (404: another region's meeting), DSB, KS, SNB or nobody.
The Øst officer runs it; Drammen and Hole reply. FOLLOW_UP — a published task for Hole:
Hole's writers mark it done.
"""

from datetime import timedelta

from django.utils import timezone

from networks.meetings.actions import (
    do_add_follow_up,
    do_convene_meeting,
    do_publish_minutes,
    do_save_minutes_draft,
)
from tests.helpers import org
from tests.personas import user

OEST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
DRAMMEN, HOLE = "kommune-3301", "kommune-3310"
MEETING_AUDIENCE = {"oest_officer", "drammen_staff", "hole_manager"}
RUNNERS = {"oest_officer"}
REPLIERS = {"drammen_staff", "hole_manager"}
CONVENERS = {
    "oest_officer", "vestland_officer", "rogaland_officer", "dsb_analyst", "snb_coordinator",
}  # fmt: skip


def make_meeting(title="Kommunemøte – ekstremværet Hans", invited=(DRAMMEN, HOLE), **fields):
    return do_convene_meeting(
        convener=org(OEST),
        acting_user=user("oest_officer"),
        kind=fields.pop("kind", "municipal"),
        title=title,
        starts_at=fields.pop("starts_at", timezone.now() + timedelta(days=1)),
        duration_minutes=fields.pop("duration_minutes", 60),
        video_link=fields.pop("video_link", "https://møte.example.no/hans"),
        organisations=[org(s) for s in invited],
        **fields,
    )


def make_follow_up(meeting=None, assignee=HOLE, publish=True):
    meeting = meeting or make_meeting()
    officer = user("oest_officer")
    follow_up = do_add_follow_up(
        meeting,
        acting_user=officer,
        title="Kartlegge skader på kommunale veier",
        assignee=org(assignee),
        due_on=timezone.localdate() + timedelta(days=7),
    )
    if publish:
        do_save_minutes_draft(meeting, acting_user=officer, text="Referat: status.", version=0)
        do_publish_minutes(meeting, acting_user=officer)
    return follow_up


def _meeting(Case, api=False, method="get", ok=(200,), allowed=None):
    def build():
        meeting = make_meeting()
        return [
            Case(
                kwargs={"uuid": meeting.uuid},
                visible_to=MEETING_AUDIENCE,
                allowed=allowed,
                method=method,
                ok=ok,
                api=api,
            )
        ]

    return build


def _follow_up(Case, api=False, ok=(302,)):
    def build():
        follow_up = make_follow_up()
        return [
            Case(
                kwargs={"uuid": follow_up.uuid},
                visible_to=MEETING_AUDIENCE,
                allowed={"hole_manager"},
                method="post",
                ok=ok,
                api=api,
            )
        ]

    return build


def _list(Case, api=False):
    def build():
        meeting = make_meeting(title="Matrise: kommunemøte Øst")
        if api:
            return [
                Case(
                    kwargs={},
                    api=True,
                    list_contains=str(meeting.uuid),
                    visible_to=MEETING_AUDIENCE,
                )
            ]
        return [Case(kwargs={}, contains="Matrise: kommunemøte Øst", visible_to=MEETING_AUDIENCE)]

    return build


def _follow_up_list(Case):
    def build():
        follow_up = make_follow_up()
        return [
            Case(
                kwargs={}, api=True, list_contains=str(follow_up.uuid), visible_to=MEETING_AUDIENCE
            )
        ]

    return build


def routes(Case):
    return {
        # pages
        "networks:meeting-list": _list(Case),
        "networks:meeting-create": lambda: [
            Case(kwargs={}, allowed=CONVENERS),
            Case(kwargs={}, allowed=CONVENERS, method="post", ok=(400,)),
        ],
        "networks:meeting-detail": _meeting(Case),
        "networks:meeting-ics": _meeting(Case),
        "networks:meeting-reply": _meeting(Case, method="post", ok=(400,), allowed=REPLIERS),
        "networks:meeting-agenda": _meeting(Case, method="post", ok=(400,), allowed=RUNNERS),
        "networks:meeting-attendance": _meeting(Case, method="post", ok=(302,), allowed=RUNNERS),
        "networks:meeting-minutes": _meeting(Case, method="post", ok=(400,), allowed=RUNNERS),
        "networks:meeting-publish": _meeting(Case, method="post", ok=(400,), allowed=RUNNERS),
        "networks:meeting-decision": _meeting(Case, method="post", ok=(400,), allowed=RUNNERS),
        "networks:meeting-follow-up": _meeting(Case, method="post", ok=(400,), allowed=RUNNERS),
        "networks:follow-up-done": _follow_up(Case),
        # API
        "api:meeting-list": lambda: [
            *_list(Case, api=True)(),
            Case(kwargs={}, api=True, method="post", ok=(400,), allowed=CONVENERS),
        ],
        "api:meeting-detail": _meeting(Case, api=True),
        "api:meeting-ics": _meeting(Case, api=True),
        "api:meeting-reply": _meeting(Case, api=True, method="post", ok=(400,), allowed=REPLIERS),
        "api:meeting-agenda": _meeting(Case, api=True, method="post", ok=(400,), allowed=RUNNERS),
        "api:meeting-attendance": _meeting(
            Case, api=True, method="post", ok=(400,), allowed=RUNNERS
        ),
        "api:meeting-minutes": _meeting(Case, api=True, method="post", ok=(400,), allowed=RUNNERS),
        "api:meeting-publish": _meeting(Case, api=True, method="post", ok=(400,), allowed=RUNNERS),
        "api:meeting-decisions": _meeting(
            Case, api=True, method="post", ok=(400,), allowed=RUNNERS
        ),
        "api:meeting-follow-ups": _meeting(
            Case, api=True, method="post", ok=(400,), allowed=RUNNERS
        ),
        "api:follow-up-list": _follow_up_list(Case),
        "api:follow-up-detail": lambda: [
            Case(kwargs={"uuid": make_follow_up().uuid}, api=True, visible_to=MEETING_AUDIENCE)
        ],
        "api:follow-up-done": _follow_up(Case, api=True, ok=(200,)),
    }
