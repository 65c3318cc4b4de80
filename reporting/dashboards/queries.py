"""The State Administrator's dashboard of a round (oversikt): one row per municipality
with its state (submitted / late / missing / not yet), each sector's status, the key
numbers, whether the office acknowledged the report and when the municipality last saw
the published picture.

:func:`dashboard_rows` reads everything in one query, however many municipalities the
round has (5 or 357); filtering and sorting happen on the rows in Python (a region has
at most a few hundred), so the page and the API stay at a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.structure.models import Office
from portal.access import viewer_for
from reporting.models import PictureSeen, Submission
from reporting.rules import form_owner_orgs
from reporting.validation import DECIMAL, INTEGER, SECTOR_STATUS, STATUSES, iter_fields

#: How many number fields the table shows ("key numbers"); the submission page has all.
KEY_NUMBERS = 4

STATUS_COLOURS = {"green": "success", "yellow": "warning", "red": "danger"}
#: Sorting a status column puts red first, then yellow, green, not given.
STATUS_RANK = {"red": 0, "yellow": 1, "green": 2}

#: A row's state: label and Designsystemet colour (the same as the round page's).
STATES = {
    "submitted": (gettext_lazy("Submitted"), "success"),
    "late": (gettext_lazy("Submitted late"), "warning"),
    "missing": (gettext_lazy("Missing"), "danger"),
    "awaiting": (gettext_lazy("Not submitted yet"), "neutral"),
}
STATE_RANK = {"missing": 0, "late": 1, "awaiting": 2, "submitted": 3}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    unit: str = ""


def dashboard_columns(round_) -> tuple[list[Column], list[Column]]:
    """(sector status columns, key number columns) of the round's form version."""
    fields = list(iter_fields(round_.form_version.definition))
    statuses = [
        Column(f["key"], _short_label(f["label"])) for f in fields if f["type"] == SECTOR_STATUS
    ]
    numbers = [
        Column(f["key"], f["label"], f.get("unit", ""))
        for f in fields
        if f["type"] in (INTEGER, DECIMAL)
    ][:KEY_NUMBERS]
    return statuses, numbers


def _short_label(label: str) -> str:
    """ "Status: vann og avløp" → "Vann og avløp": the column heading says it is a status."""
    short = label.split(":", 1)[1].strip() if ":" in label else label
    return short[:1].upper() + short[1:]


def _state(status, is_late, deadline_passed) -> str:
    if status == "submitted":
        return "late" if is_late else "submitted"
    return "missing" if deadline_passed else "awaiting"


def dashboard_rows(round_, office=None, *, submissions=None, now=None) -> list[dict]:
    """The dashboard's rows for ``round_`` — the municipalities of ``office``'s region, or
    all of the round's — ordered by name. One query. ``submissions`` is the queryset to
    read from: views pass ``Submission.objects.visible_to(user)``; without it (a
    benchmark, a task) every submission of the round."""
    now = now or timezone.now()
    deadline_passed = now > round_.deadline
    statuses, numbers = dashboard_columns(round_)
    # ``visible_to`` carries the answers rule (``with_answers_for``); without a user, only
    # submitted answers are read.
    queryset = (
        Submission.objects.with_answers_for(None) if submissions is None else submissions
    ).filter(round=round_)
    if office is not None:
        queryset = queryset.filter(municipality__region=office)
    last_seen = (
        PictureSeen.objects.filter(
            compilation__round_id=round_.pk,
            compilation__published_at__isnull=False,
            organisation_id=OuterRef("municipality_id"),
        )
        .values("organisation_id")
        .annotate(last=Max("last_seen_at"))
        .values("last")
    )
    values = (
        queryset.annotate(last_seen_at=Subquery(last_seen))
        .values(
            "uuid",
            "status",
            "is_late",
            "submitted_at",
            "visible_answers",
            "acknowledged_at",
            "last_seen_at",
            "municipality_id",
            "municipality__uuid",
            "municipality__name",
            "municipality__municipality__number",
            "municipality__municipality__label",
            "municipality__region__slug",
        )
        .order_by("municipality__name", "pk")
    )
    rows = []
    for value in values:
        answers = value["visible_answers"] or {}
        state = _state(value["status"], value["is_late"], deadline_passed)
        row_statuses: list[dict[str, Any]] = []
        for column in statuses:
            answer = answers.get(column.key)
            code: Any = answer.get("status") if isinstance(answer, dict) else None  # JSON
            row_statuses.append(
                {
                    "key": column.key,
                    "label": column.label,
                    "status": code or "",
                    "status_label": STATUSES.get(code, ""),
                    "colour": STATUS_COLOURS.get(code, "neutral"),
                    "comment": answer.get("comment", "") if isinstance(answer, dict) else "",
                }
            )
        row_numbers = []
        for column in numbers:
            answer = answers.get(column.key)
            row_numbers.append(
                {"key": column.key, "value": None if answer is None else Decimal(str(answer))}
            )
        label, colour = STATES[state]
        rows.append(
            {
                "uuid": value["uuid"],
                "municipality": value["municipality__municipality__label"]
                or value["municipality__name"],
                "organisation_uuid": value["municipality__uuid"],
                "number": value["municipality__municipality__number"] or "",
                "region": value["municipality__region__slug"] or "",
                "state": state,
                "state_label": label,
                "state_colour": colour,
                "submitted_at": value["submitted_at"],
                "statuses": row_statuses,
                "numbers": row_numbers,
                "acknowledged_at": value["acknowledged_at"],
                "last_seen_at": value["last_seen_at"],
                "worst": min((STATUS_RANK.get(s["status"], 3) for s in row_statuses), default=3),
            }
        )
    return rows


def round_regions(round_):
    """The offices whose regions hold the round's municipalities (one query)."""
    return list(
        Office.objects.filter(region_organisations__received_rounds=round_)
        .distinct()
        .order_by("name_bokmaal")
    )


def dashboard_scope(user, round_):
    """(regions the user may choose, whether the user may see the whole round) — the
    round's issuer (its officers and national analysts) sees every region, an officer
    the regions of the round that are the office's. Nobody else sees the dashboard."""
    regions = round_regions(round_)
    if round_.issuer_id in form_owner_orgs(user):
        return regions, True
    offices = viewer_for(user).officer_office_ids
    return [o for o in regions if o.pk in offices], False


def state_counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        counts[row["state"]] += 1
    counts["total"] = len(rows)
    return counts


# --- filtering and sorting -------------------------------------------------------------

#: ``?sector_status=`` values: rows with any (or the chosen sector's) status among these.
STATUS_FILTERS = {"red": {"red"}, "yellow": {"yellow"}, "red_yellow": {"red", "yellow"}}


@dataclass
class DashboardQuery:
    """The dashboard's filters and ordering, from query parameters. Unknown values are
    reported in ``errors`` (the page shows them, the API answers 400) and ignored."""

    q: str = ""
    state: str = ""
    sector_status: str = ""
    sector: str = ""
    ordering: str = "name"
    errors: dict | None = None

    @classmethod
    def from_params(cls, params, round_) -> DashboardQuery:
        statuses, numbers = dashboard_columns(round_)
        errors = {}
        query = cls(q=(params.get("q") or "").strip()[:100])
        state = params.get("state") or ""
        if state and state not in STATES:
            errors["state"] = [_("Choose submitted, late, missing or awaiting.")]
        else:
            query.state = state
        sector_status = params.get("sector_status") or ""
        if sector_status and sector_status not in STATUS_FILTERS:
            errors["sector_status"] = [_("Choose red, yellow or red_yellow.")]
        else:
            query.sector_status = sector_status
        sector = params.get("sector") or ""
        if sector and sector not in {c.key for c in statuses}:
            errors["sector"] = [_("Not a sector status field of this form.")]
        else:
            query.sector = sector
        ordering = params.get("ordering") or "name"
        if ordering.removeprefix("-") not in sort_keys(statuses, numbers):
            errors["ordering"] = [_("Not a column to sort by.")]
        else:
            query.ordering = ordering
        query.errors = errors
        return query

    def apply(self, rows):
        if self.q:
            needle = self.q.casefold()
            rows = [r for r in rows if needle in r["municipality"].casefold()]
        if self.state:
            rows = [r for r in rows if r["state"] == self.state]
        if self.sector_status:
            wanted = STATUS_FILTERS[self.sector_status]
            rows = [
                r
                for r in rows
                if any(
                    s["status"] in wanted
                    for s in r["statuses"]
                    if not self.sector or s["key"] == self.sector
                )
            ]
        key = self.ordering.removeprefix("-")
        reverse = self.ordering.startswith("-")
        # None sorts last both ways: the sort key puts "has a value" first.
        rows = sorted(rows, key=lambda r: r["municipality"])
        getter = _sort_getter(key)
        present = [r for r in rows if getter(r) is not None]
        absent = [r for r in rows if getter(r) is None]
        return sorted(present, key=getter, reverse=reverse) + absent


def sort_keys(statuses, numbers) -> set[str]:
    return {
        "name",
        "state",
        "submitted",
        "acknowledged",
        "seen",
        "worst",
        *(f"status:{c.key}" for c in statuses),
        *(f"number:{c.key}" for c in numbers),
    }


def _sort_getter(key):
    if key == "name":
        return lambda r: r["municipality"].casefold()
    if key == "state":
        return lambda r: STATE_RANK[r["state"]]
    if key == "submitted":
        return lambda r: r["submitted_at"]
    if key == "acknowledged":
        return lambda r: r["acknowledged_at"]
    if key == "seen":
        return lambda r: r["last_seen_at"]
    if key == "worst":
        return lambda r: r["worst"]
    kind, _sep, field = key.partition(":")
    if kind == "status":
        return lambda r: next(
            (STATUS_RANK.get(s["status"], 3) for s in r["statuses"] if s["key"] == field), 3
        )
    return lambda r: next((n["value"] for n in r["numbers"] if n["key"] == field), None)
