"""The shared parts of the start page's blocks: an item, a block, the limited and
counted read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Window

#: How many rows a block shows; its total says how many there are.
LIMIT = 5
#: A picture published this many days ago or less is new.
NEW_DAYS = 14


@dataclass
class Item:
    """One row of a block: what, where to go, and a state or a time to show."""

    title: str
    url: str
    detail: str = ""
    state: str = ""
    state_label: str = ""
    colour: str = "neutral"
    when: datetime | date | None = None
    when_label: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime)


@dataclass
class Block:
    key: str
    role: str  # municipality, office, national, ks
    title: str
    empty: str
    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    more_label: str = ""


def _total(rows) -> int:
    return rows[0].total if rows else 0


def _counted(queryset):
    """The rows (at most LIMIT) with the whole set's size on each (one query)."""
    return list(queryset.annotate(total=Window(Count("pk")))[:LIMIT])


def _short(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"
