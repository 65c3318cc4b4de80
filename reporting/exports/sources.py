"""What reporting's exports are made from, shared by the tables, the picture, the SitRep
and the jobs: whether a round is an exercise, a compilation's aggregates and place, and
the progress callback a background job passes in."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from reporting.compilation import compute_aggregates
from reporting.validation import STATUSES

Progress = Callable[[int], None]


def no_progress(percent: int) -> None:
    return None


def round_is_exercise(round_) -> bool:
    """A round is an exercise when marked as one or when its crisis frame is."""
    return bool(round_.is_exercise or (round_.frame_id and round_.frame.is_exercise))


def compilation_aggregates(compilation) -> dict:
    """The published (frozen) aggregates, or those computed now for a draft."""
    if compilation.aggregates is not None and compilation.published_at is not None:
        return compilation.aggregates
    return compute_aggregates(compilation.round, compilation.office)


def compilation_place(compilation) -> str:
    return compilation.office.name if compilation.office_id else _("National")


def sector_table(sectors, last: str) -> tuple[list[str], list[list]]:
    """The status-per-sector table's header and rows: sector, green, yellow, red, then
    ``last`` — ``"none"`` (a compiled picture: "Not given") or ``"total"`` (a summary)."""
    key = "none" if last == "none" else "total"
    header = [
        _("Sector"),
        str(STATUSES["green"]),
        str(STATUSES["yellow"]),
        str(STATUSES["red"]),
        _("Not given") if key == "none" else _("Total"),
    ]
    rows = [[s["label"], s["green"], s["yellow"], s["red"], s[key]] for s in sectors]
    return header, rows
