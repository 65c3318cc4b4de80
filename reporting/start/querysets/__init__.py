"""The start page's blocks («Nå»): what needs the user now, per role.

Each block is one query (two for the tasks: the incident tasks and the other features'
«Mine oppgaver» sources), however much data there is: the rows are limited to a few, and
the total is read in the same query with a window count. Every query starts from the
feature's ``visible_to(user)``; the role decides which blocks a user gets, the access
layer decides what is in them. A user with several roles gets the blocks of each.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.access import viewer_for
from portal.roles import MUNICIPAL_ROLES, Role
from reporting.start.querysets import municipality as m
from reporting.start.querysets import offices as o
from reporting.start.querysets.base import Block

# --- the page ----------------------------------------------------------------------------


@dataclass
class Section:
    role: str
    heading: str
    blocks: list[Block]


def sections_for(user, now=None) -> list[Section]:
    """The start page: a section per role the user holds (municipality, office,
    national analyst, KS), then the user's own notices."""
    now = now or timezone.now()
    viewer = viewer_for(user)
    sections = []
    municipal = frozenset(o for o, role in viewer.roles if role in MUNICIPAL_ROLES)
    if municipal:
        sections.append(
            Section(
                "municipality",
                _("Our municipality"),
                [
                    m.open_rounds(user, municipal, now),
                    m.tasks_due(user),
                    m.aid_to_us(user, municipal),
                    m.unread_messages(user, municipal),
                    m.active_incidents(user, municipal),
                    m.shared_entries(user, municipal),
                    m.new_pictures(user, municipal, now),
                    m.our_aid_requests(user, municipal),
                    m.newer_versions(user, municipal),
                ],
            )
        )
    if viewer.officer_office_ids:
        office_orgs = frozenset(o for o, role in viewer.roles if role == Role.OFFICER)
        offices = viewer.officer_office_ids
        sections.append(
            Section(
                "office",
                _("The State Administrator"),
                [
                    o.region_rounds(user, offices, now),
                    o.unacknowledged(user, offices),
                    o.region_aid(user, offices),
                    m.shared_entries(user, office_orgs, role="office"),
                    o.next_meeting(user, now),
                ],
            )
        )
    national = frozenset(o for o, role in viewer.roles if role == Role.NATIONAL_ANALYST)
    if national:
        sections.append(
            Section(
                "national",
                _("National analysis"),
                [o.forwarded_pictures(user, national), o.issued_rounds(user, national, now)],
            )
        )
    if viewer.has_role(Role.KS_ANALYST):
        sections.append(Section("ks", _("KS"), [o.latest_pictures(user), o.own_exports(user)]))
    sections.append(Section("all", _("For you"), [m.unread_notices(user)]))
    return sections


def as_data(sections: list[Section]) -> list[dict[str, Any]]:
    """The sections as plain data (for the API)."""
    return [asdict(s) for s in sections]
