"""What reporting's exports are made from, shared by the tables, the picture, the SitRep
and the jobs: whether a round is an exercise, a compilation's aggregates and place, and
the progress callback a background job passes in."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from reporting.compilation import compute_aggregates, number_line
from reporting.validation import AGGREGATES, STATUSES, iter_fields

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


def number_table(numbers, definition=None) -> tuple[list[str], list[list]]:
    """The numbers of an aggregates document as a table's header and rows, each put
    together as its field says (:func:`reporting.compilation.number_line`): how, the
    value (a sum only for a count, a population-weighted mean for a rate or percentage,
    a median for a duration), per 1,000 inhabitants for a count, the answers, min, max."""
    specs = {f["key"]: f for f in iter_fields(definition)} if definition else {}
    header = [
        _("Field"),
        _("Put together as"),
        _("Value"),
        _("Per 1,000 inhabitants"),
        _("Reports"),
        _("Min"),
        _("Max"),
    ]
    position = {key: i for i, key in enumerate(specs)}
    rows = []
    for key, number in sorted(
        (numbers or {}).items(), key=lambda item: position.get(item[0], len(position))
    ):
        line = number_line(key, number, specs.get(key))
        rows.append(
            [
                line["label"] + (f" ({line['unit']})" if line["unit"] else ""),
                str(AGGREGATES.get(line["aggregate"], "")),
                line["value"],
                line["per_1000"],
                line["count"],
                line["min"],
                line["max"],
            ]
        )
    return header, rows
