"""Demo meetings: two kommunemøter of the Øst State Administrator during «Hans»
(August 2023), with replies, attendance, published minutes, decisions and follow-up tasks
for Drammen and Hole. Written through the actions (``acting_user=None``: the loader).
Idempotent: a meeting that exists (by convener and title) is left as it is."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps

from networks.meetings import actions
from networks.meetings.models import Meeting, Reply
from networks.structure.models import Organisation

OSLO = ZoneInfo("Europe/Oslo")
OEST = "statsforvalteren-ostfold-buskerud-oslo-og-akershus"
HANS_ROUND_TITLE = "Ekstremværet Hans: situasjonsrapport onsdag 9. august kl. 12"

MEETINGS: list[dict[str, Any]] = [
    {
        "title": "Kommunemøte – ekstremværet Hans (1)",
        "starts_at": datetime(2023, 8, 8, 14, 0, tzinfo=OSLO),
        "description": "Felles situasjonsbilde før flomtoppen. Kommunene melder status, behov "
        "og planlagte evakueringer.",
        "agenda": [
            ("Farevarsel og prognoser (NVE/MET)", False),
            ("Status fra kommunene: dashbordet", True),
            ("Behov for bistand", False),
        ],
        "replies": {
            "kommune-3301": (Reply.ATTENDING, ""),
            "kommune-3310": (Reply.ATTENDING, ""),
            "kommune-3312": (Reply.DELEGATE, "Beredskapskoordinator Lier"),
            "kommune-3314": (Reply.NOT_ATTENDING, ""),
        },
        "minutes": "Statsforvalteren orienterte om rødt farevarsel for Buskerud og Innlandet. "
        "Drammen forbereder evakuering langs Drammenselva; Hole melder stengte veier ved "
        "Tyrifjorden. Neste kommunemøte torsdag kl. 10.",
        "decisions": [
            "Kommunene melder situasjonsrapport til Statsforvalteren innen kl. 12 hver dag.",
            "Statsforvalteren samordner forespørsler om aggregater og pumper.",
        ],
        "tasks": [
            ("kommune-3310", "Kartlegge stengte kommunale veier og melde til Statsforvalteren", 2),
            ("kommune-3301", "Oversikt over evakuerte og evakueringssteder", 1),
        ],
    },
    {
        "title": "Kommunemøte – ekstremværet Hans (2)",
        "starts_at": datetime(2023, 8, 10, 10, 0, tzinfo=OSLO),
        "description": "Flomtoppen passerer; oppfølging av skader og behov.",
        "agenda": [
            ("Situasjonsrapporten 9. august: dashbordet", True),
            ("Skader og gjenoppbygging", False),
            ("Evaluering", False),
        ],
        "replies": {
            "kommune-3301": (Reply.ATTENDING, ""),
            "kommune-3310": (Reply.DELEGATE, "Kommunalsjef teknisk, Hole"),
        },
        "minutes": "Flomtoppen i Drammenselva passerte natt til torsdag. Hole har fortsatt to "
        "stengte fylkesveier. Kommunene starter skaderegistrering.",
        "decisions": ["Statsforvalteren samler skadeoversikt fra kommunene innen 18. august."],
        "tasks": [
            ("kommune-3310", "Sende skadeoversikt for kommunal infrastruktur", 8),
            ("kommune-3301", "Evaluere håndteringen med KS' evalueringsmal", 30),
        ],
    },
]


def load(count=None) -> int:
    """Load the demo meetings; returns how many were created."""
    convener = Organisation.objects.filter(slug=OEST).first()
    if convener is None:
        return 0
    Round = apps.get_model("reporting", "ReportingRound")  # beside us in the top layer
    hans = Round.objects.filter(title=HANS_ROUND_TITLE).first()
    created = 0
    for spec in MEETINGS:
        if Meeting.objects.filter(convener=convener, title=spec["title"]).exists():
            continue
        # The «Hans» round's dashboard (meeting mode) when the demo rounds are loaded.
        agenda = [
            {"title": title, "ref_kind": "dashboard", "ref_uuid": hans.uuid}
            if links and hans is not None
            else {"title": title}
            for title, links in spec["agenda"]
        ]
        meeting = actions.do_convene_meeting(
            convener=convener,
            acting_user=None,
            kind="municipal",
            title=spec["title"],
            description=spec["description"],
            starts_at=spec["starts_at"],
            duration_minutes=60,
            video_link="https://teams.microsoft.com/l/meetup-join/demo-hans",
            agenda=agenda,
        )
        attended = []
        for slug, (reply, name) in spec["replies"].items():
            invitation = meeting.invitations.filter(organisation__slug=slug).first()
            if invitation is None:
                continue
            actions.do_reply(invitation, acting_user=None, reply=reply, delegate_name=name)
            if reply != Reply.NOT_ATTENDING:
                attended.append(invitation.organisation)
        actions.do_record_attendance(meeting, acting_user=None, attended=attended)
        actions.do_save_minutes_draft(meeting, acting_user=None, text=spec["minutes"], version=0)
        for text in spec["decisions"]:
            actions.do_add_decision(meeting, acting_user=None, text=text)
        day = spec["starts_at"].date()
        for slug, title, days in spec["tasks"]:
            actions.do_add_follow_up(
                meeting,
                acting_user=None,
                title=title,
                assignee=Organisation.objects.get(slug=slug),
                due_on=day + timedelta(days=days),
            )
        actions.do_publish_minutes(meeting, acting_user=None)
        created += 1
        if count is not None:
            count(Meeting, "created")
    return created
