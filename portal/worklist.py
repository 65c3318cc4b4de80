"""«Mine oppgaver» from several features: a feature registers a source (a function
``user -> list[WorkItem]``) and the page renders every registered source's items beside
the incident tasks. The incident log sits below the features that add to it, so it
cannot import them; they register here from their app's ``ready()``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One thing to do: what, when due, where to do it, and where it came from."""

    title: str
    due: date | None
    url: str
    source: str
    context: str = ""


_SOURCES: dict[str, Callable[[Any], list[WorkItem]]] = {}


def register(name: str, source: Callable[[Any], list[WorkItem]]) -> None:
    """Register (or replace) the source ``name``."""
    _SOURCES[name] = source


def items_for(user: Any) -> list[WorkItem]:
    """Every registered source's items for ``user``, the earliest due first."""
    items: list[WorkItem] = []
    for source in _SOURCES.values():
        items.extend(source(user))
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max, item.title))
