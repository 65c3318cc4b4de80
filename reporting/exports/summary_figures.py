"""What a KS summary shows — on the page, in the API, in the XLSX and the PDF alike: the
raw aggregates of ``ks_summary`` laid out as tables, with small groups suppressed.

A count is *suppressed* when it counts at least one but fewer than
:data:`MIN_MUNICIPALITIES` distinct municipalities: it is shown as the range
:data:`SUPPRESSED` ("1–2"), never as the number, so a summary never points at one
municipality. A rate with a suppressed part is suppressed too, and a region with fewer
municipalities than that in the round(s) is shown as a range throughout. The same tables
feed every face, so the file holds exactly what the screen showed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from portal.exports.files import EXERCISE_MARK
from reporting.validation import STATUSES

#: The smallest number of municipalities a shown figure may count (1 and 2 are shown as
#: a range). The one place this is decided.
MIN_MUNICIPALITIES = 3
#: What a suppressed count shows instead of its number.
SUPPRESSED = f"1–{MIN_MUNICIPALITIES - 1}"

Cell = int | float | str | None


def count_cell(count: int, municipalities: int) -> Cell:
    """``count`` as shown: the range when it counts 1 … MIN-1 municipalities."""
    if 0 < municipalities < MIN_MUNICIPALITIES:
        return SUPPRESSED
    return count


def rate_cell(part: Cell, whole: Cell) -> Cell:
    """part / whole to four places; None for nothing to divide by; suppressed when
    either is (a rate must not give a suppressed count back)."""
    if isinstance(part, str) or isinstance(whole, str):
        return SUPPRESSED
    if not whole:
        return None
    return round(float(part or 0) / float(whole), 4)


def display(value: Cell) -> str:
    """A cell as text on the page (and as the test reads the file back): numbers
    Norwegian style, rates in per cent with one decimal, none as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return EXERCISE_MARK if value else ""
    if isinstance(value, float):
        return f"{value * 100:.1f} %".replace(".", ",")
    return str(value)


def _state_cells(row: dict) -> dict[str, Cell]:
    cells = {
        key: count_cell(row[key], row.get(f"{key}_municipalities", row[key]))
        for key in ("recipients", "submitted", "late", "missing", "awaiting")
    }
    if isinstance(cells["recipients"], str):  # a small group: nothing of it is shown
        cells = dict.fromkeys(cells, SUPPRESSED)
    cells["submission_rate"] = rate_cell(cells["submitted"], cells["recipients"])
    cells["lateness_rate"] = rate_cell(cells["late"], cells["submitted"])
    return cells


def _state_header(first: list[str]) -> list[str]:
    return [
        *first,
        _("Reports asked for"),
        _("Submitted"),
        _("Late"),
        _("Missing"),
        _("Not submitted yet"),
        _("Submission rate"),
        _("Lateness rate (of submitted)"),
    ]


STATE_ORDER = (
    "recipients",
    "submitted",
    "late",
    "missing",
    "awaiting",
    "submission_rate",
    "lateness_rate",
)


def _bucket(part: Cell, whole: int) -> int:
    """A bar's width in steps of 5 % (CSS classes, no inline style)."""
    if not isinstance(part, int) or not whole:
        return 0
    return int(round(part * 20 / whole)) * 5


def figures(summary: dict) -> dict[str, Any]:
    """The tables of a summary as every face shows them: ``totals`` (label, value
    pairs) and ``regions``, ``rounds``, ``sectors``, ``incidents`` (each a header and
    rows of cells), with the charts' data beside them."""
    network = summary.get("network")
    frame = summary.get("frame")
    totals = _state_cells(summary["totals"])
    scope = network["name"] if network else _("All municipalities")
    pairs: list[tuple[str, Cell]] = [
        (_("Municipalities"), scope),
        (_("Period"), f"{summary['period']['start']} – {summary['period']['end']}"),
        (_("Crisis frame"), frame["title"] if frame else _("All")),
        (
            _("Exercises"),
            _("included, labelled %(mark)s") % {"mark": EXERCISE_MARK}
            if summary["include_exercises"]
            else _("left out"),
        ),
        (_("Rounds"), summary["totals"]["rounds"]),
        *zip(_state_header([]), (totals[k] for k in STATE_ORDER), strict=True),
        (
            _("Suppressed"),
            _("Figures counting fewer than %(n)s municipalities are shown as %(range)s.")
            % {"n": MIN_MUNICIPALITIES, "range": SUPPRESSED},
        ),
        (_("Generated"), summary["generated_at"]),
    ]

    regions = []
    for row in summary.get("regions", []):
        cells = _state_cells(row)
        regions.append({"name": row["name"], "cells": [cells[k] for k in STATE_ORDER]})

    rounds = []
    for r in summary["rounds"]:
        cells = _state_cells(r)
        rounds.append(
            [r["opened_at"][:10], r["title"], r["issuer"], r["exercise"]]
            + [cells[k] for k in STATE_ORDER[:6]]
        )

    sectors = []
    for s in summary["sectors"]:
        counts = {k: count_cell(s[k], s.get(f"{k}_municipalities", s[k])) for k in STATUS_KEYS}
        hidden = any(isinstance(v, str) for v in counts.values())
        # the total would give a suppressed cell back by subtraction
        total: Cell = SUPPRESSED if hidden else s["total"]
        sectors.append(
            {
                "label": s["label"],
                "cells": [counts[k] for k in STATUS_KEYS] + [total],
                "bars": [
                    {"key": k, "label": STATUSES[k], "width": _bucket(counts[k], s["total"])}
                    for k in STATUS_KEYS
                    if not hidden
                ],
            }
        )

    incidents = [
        {"label": i["label"], "count": count_cell(i["count"], i.get("municipalities", i["count"]))}
        for i in summary["incidents"]
    ]
    most = max((i["count"] for i in incidents if isinstance(i["count"], int)), default=0)
    for i in incidents:
        i["width"] = _bucket(i["count"], most)

    return {
        "title": _("KS summary: %(scope)s, %(start)s–%(end)s")
        % {"scope": scope, "start": summary["period"]["start"], "end": summary["period"]["end"]},
        "min_municipalities": MIN_MUNICIPALITIES,
        "suppressed": SUPPRESSED,
        "exercise_rounds": summary["totals"].get("exercise_rounds", 0),
        "include_exercises": summary["include_exercises"],
        "totals": pairs,
        "total_cells": dict(zip(STATE_ORDER, (totals[k] for k in STATE_ORDER), strict=True)),
        "regions": {"header": _state_header([_("Region")]), "rows": regions},
        "rounds": {
            "header": [
                _("Opened"),
                _("Round"),
                _("Issued by"),
                _("Exercise"),
                *_state_header([])[:6],
            ],
            "rows": rounds,
        },
        "sectors": {
            "header": [_("Sector"), *(str(STATUSES[k]) for k in STATUS_KEYS), _("Total")],
            "rows": sectors,
        },
        "incidents": {"header": [_("Type"), _("Incidents")], "rows": incidents},
    }


STATUS_KEYS = ("green", "yellow", "red")


def sheet_rows(table: dict, name: str) -> tuple[list[str], list[list[Cell]]]:
    """A table of :func:`figures` as a sheet's header and rows (booleans as the mark)."""
    header = table["header"]
    if name == "regions":
        rows = [[r["name"], *r["cells"]] for r in table["rows"]]
    elif name == "sectors":
        rows = [[r["label"], *r["cells"]] for r in table["rows"]]
    elif name == "incidents":
        rows = [[r["label"], r["count"]] for r in table["rows"]]
    else:
        rows = [[display(c) if isinstance(c, bool) else c for c in row] for row in table["rows"]]
    return header, rows
