"""The main menu: "Nå" and five groups named for the work (at most six top-level
entries), each a disclosure with the pages it gathers. An entry the user cannot open
(a page that would answer 403) is left out, and a group without entries with it.

The current place is found from the request's path: the entry whose URL (or one of its
further prefixes) is the longest prefix of the path is current, and so is its group.
Profile, language, notifications and log-out live in the header, the API documentation
in the footer (templates/base.html)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import rules
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.access import Viewer

MAX_TOP_LEVEL = 6

Shown = Callable[[Any, Viewer], bool]


def _perm(name: str) -> Shown:
    # The rule set itself (django-rules), not user.has_perm: that asks Django's model
    # back end first, two permission queries on every page for rules we never grant.
    return lambda user, viewer: bool(rules.has_perm(name, user))


def _officer(user: Any, viewer: Viewer) -> bool:
    return bool(viewer.officer_office_ids)


@dataclass(frozen=True)
class Entry:
    """One page of a group: its URL name, its label, further path prefixes that belong
    to it (e.g. a round's submissions under the rounds), and who sees it (everyone
    signed in, unless ``shown`` says otherwise)."""

    url_name: str
    label: str | Promise
    also: tuple[str, ...] = ()
    shown: Shown | None = None


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    entries: tuple[Entry, ...]


HOME = Entry("home", _("Now"))

MENU: tuple[Group, ...] = (
    Group(
        "incidents",
        _("Incidents"),
        (
            Entry("incidents:incident-list", _("Incidents")),
            Entry("incidents:my-tasks", _("My tasks")),
            Entry("networks:meeting-list", _("Meetings")),
            Entry("incidents:frame-list", _("National crises and exercises")),
            Entry("incidents:search", _("Search the logs")),
        ),
    ),
    Group(
        "reporting",
        _("Reporting"),
        (
            Entry(
                "reporting:round-list",
                _("Reporting rounds"),
                also=(
                    "/rapportering/innsendinger/",
                    "/rapportering/sammenstillinger/",
                    "/rapportering/situasjonsbilde/",
                ),
            ),
            Entry("reporting:schedule-list", _("Recurring rounds")),
            Entry("reporting:form-list", _("Report forms")),
            Entry(
                "reporting:builder-list", _("Form builder"), shown=_perm("reporting.create_form")
            ),
            Entry("networks:message-list", _("Messages")),
            Entry("reporting:ks-summary", _("KS summary"), shown=_perm("reporting.ks_summary")),
            Entry("reporting:export-list", _("Your exports")),
        ),
    ),
    Group(
        "cooperation",
        _("Cooperation"),
        (
            Entry("networks:aid-request-list", _("Mutual aid")),
            Entry("networks:aid-overview", _("Regional overview of mutual aid"), shown=_officer),
            Entry("networks:resource-list", _("Resources")),
            Entry("networks:agreement-list", _("Assistance agreements")),
            Entry("networks:procurement-list", _("Joint procurement")),
        ),
    ),
    Group(
        "knowledge",
        _("Knowledge"),
        (
            Entry("networks:document-list", _("Library")),
            Entry("networks:comment-round-list", _("Comment rounds")),
            Entry("networks:action-card-list", _("Action cards")),
            Entry("incidents:lesson-list", _("Lessons")),
            Entry("incidents:exercise-list", _("Exercises")),
        ),
    ),
    Group(
        "directory",
        _("Directory"),
        (
            Entry("networks:office-list", _("State Administrators and counties")),
            Entry("networks:municipality-list", _("Municipalities")),
            Entry("networks:map", _("Map")),
            Entry("networks:network-list", _("Networks")),
            Entry("networks:council-list", _("Preparedness councils")),
        ),
    ),
)


@dataclass
class Link:
    label: str | Promise
    url: str
    prefixes: tuple[str, ...]
    current: bool = False


@dataclass
class Section:
    """The links of a group under an optional heading (an organisation's name)."""

    heading: str | None
    links: list[Link]


@dataclass
class MenuGroup:
    key: str
    label: str | Promise
    sections: list[Section]
    current: bool = False

    @property
    def links(self) -> list[Link]:
        return [link for section in self.sections for link in section.links]


@dataclass
class Menu:
    home: Link
    groups: list[MenuGroup] = field(default_factory=list)

    @property
    def top_level_count(self) -> int:
        return 1 + len(self.groups)


def _link(entry: Entry) -> Link:
    url = reverse(entry.url_name)
    return Link(entry.label, url, (url, *entry.also))


def _organisation_sections(organisations: Any) -> list[Section]:
    """Crisis contacts and people of each of the user's own organisations."""
    sections = []
    for org in organisations:
        kwargs = {"org_uuid": org.uuid}
        links = [
            _link_to(_("Crisis contacts"), reverse("networks:roster", kwargs=kwargs)),
            _link_to(_("People"), reverse("networks:people", kwargs=kwargs)),
        ]
        sections.append(Section(org.display_name, links))
    return sections


def _link_to(label: str | Promise, url: str) -> Link:
    return Link(label, url, (url,))


def build_menu(user: Any, viewer: Viewer, path: str, organisations: Any = ()) -> Menu:
    """The menu for this user on this path (no query of its own beyond the permission
    rules' cached role look-up and the user's organisations, which the caller passes)."""
    menu = Menu(home=_link(HOME))
    for group in MENU:
        links = [_link(e) for e in group.entries if e.shown is None or e.shown(user, viewer)]
        if not links:
            continue
        sections = [Section(None, links)]
        if group.key == "directory":
            sections += _organisation_sections(organisations)
        menu.groups.append(MenuGroup(group.key, group.label, sections))
    _mark_current(menu, path)
    return menu


def _matches(prefix: str, path: str) -> bool:
    return path == prefix or (prefix != "/" and path.startswith(prefix))


def _mark_current(menu: Menu, path: str) -> None:
    best: tuple[int, Link, MenuGroup | None] | None = None
    candidates: list[tuple[Link, MenuGroup | None]] = [(menu.home, None)]
    candidates += [(link, group) for group in menu.groups for link in group.links]
    for link, group in candidates:
        for prefix in link.prefixes:
            if _matches(prefix, path) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), link, group)
    if best is not None:
        best[1].current = True
        if best[2] is not None:
            best[2].current = True
