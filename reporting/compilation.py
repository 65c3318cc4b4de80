"""The compiled picture of a round (sammenstilling): what the submissions add up to.

:func:`compute_aggregates` reads the submissions of a round — of one office's region, or
all of them — in one query and returns a JSON-ready document:

* counts: recipients, submitted (on time / late), missing (deadline passed), awaiting;
* per number field: its ``aggregate`` (:func:`reporting.validation.field_aggregate`) and
  ``value`` — the sum of a count, the population-weighted mean of a rate or percentage,
  the median of a duration, none for ``none`` — with count, min, max, median and, for a
  sum, ``per_1000`` inhabitants of the municipalities that answered (decimals as strings,
  exactly; ``sum`` is given only for a field that is summed);
* per sector status field: how many green / yellow / red / not given;
* per single or multiple choice field: how many chose each option;
* the municipalities needing help: any red status, or "yes" to a need-for-assistance
  question (a choice field whose key names a need — ``*behov*`` — answered ``ja``);
* for a national picture, the same counts per region.

Only submitted answers count; drafts are a municipality's own until it submits.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.utils import timezone

from networks.structure.models import Office
from reporting.models import Submission
from reporting.validation import (
    CHOICE,
    DECIMAL,
    INTEGER,
    MEDIAN,
    MULTIPLE_CHOICE,
    NO_AGGREGATE,
    SECTOR_STATUS,
    SUM,
    WEIGHTED_MEAN,
    field_aggregate,
    iter_fields,
)

STATUS_KEYS = ("green", "yellow", "red")


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


#: How many decimals a weighted mean or a rate per 1,000 inhabitants is given with.
RATE_PLACES = Decimal("0.01")


def as_decimal(value) -> Decimal | None:
    """A stored figure (a number or its string in a frozen document) as a Decimal; None
    when it is missing or not a number."""
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


def per_1000(value, population):
    """``value`` per 1,000 inhabitants (None without a population)."""
    if value is None or not population:
        return None
    return (Decimal(value) * 1000 / Decimal(population)).quantize(RATE_PLACES)


def combine(aggregate, pairs):
    """(value, per_1000) of ``pairs`` — (value, population) of the municipalities that
    answered — as ``aggregate`` puts them together; (None, None) when nothing answered or
    the field is not aggregated. A weighted mean without any population is None."""
    if not pairs or aggregate == NO_AGGREGATE:
        return None, None
    values = [value for value, _population in pairs]
    if aggregate == SUM:
        total = sum(values, Decimal(0))
        return total, per_1000(total, sum(p for _v, p in pairs))
    if aggregate == WEIGHTED_MEAN:
        weight = sum(p for _v, p in pairs)
        if not weight:
            return None, None
        return (sum(v * p for v, p in pairs) / weight).quantize(RATE_PLACES), None
    if aggregate == MEDIAN:
        return _median(values), None
    return None, None


def needs_help_reasons(definition_fields, answers) -> list[str]:
    """Why a municipality's answers say it needs help (labels of the fields)."""
    reasons = []
    for spec in definition_fields:
        value = answers.get(spec["key"])
        if spec["type"] == SECTOR_STATUS and isinstance(value, dict):
            if value.get("status") == "red":
                reasons.append(spec["label"])
        elif spec["type"] == CHOICE and "behov" in spec["key"] and value == "ja":
            reasons.append(spec["label"])
    return reasons


def submission_rows(round_, office=None):
    """The (municipality, submission) facts the aggregates are computed from: one query."""
    submissions = Submission.objects.filter(round=round_)
    if office is not None:
        submissions = submissions.filter(municipality__region=office)
    return list(
        submissions.values(
            "uuid",
            "status",
            "is_late",
            "answers",
            "municipality_id",
            "municipality__uuid",
            "municipality__name",
            "municipality__region_id",
            "municipality__municipality__population",
        ).order_by("municipality__name")
    )


def compute_aggregates(round_, office=None, *, rows=None, now=None, regions=None) -> dict:
    """The aggregates of ``round_`` for ``office``'s region (or the whole round)."""
    now = now or timezone.now()
    rows = submission_rows(round_, office) if rows is None else rows
    fields = list(iter_fields(round_.form_version.definition))
    deadline_passed = now > round_.deadline

    counts: Counter[str] = Counter()
    numbers = {
        f["key"]: {
            "label": f["label"],
            "unit": f.get("unit", ""),
            "aggregate": field_aggregate(f),
            "values": [],
        }
        for f in fields
        if f["type"] in (INTEGER, DECIMAL)
    }
    statuses = {
        f["key"]: {"label": f["label"], "counts": Counter()}
        for f in fields
        if f["type"] == SECTOR_STATUS
    }
    choices = {
        f["key"]: {
            "label": f["label"],
            "options": [[o["value"], o["label"]] for o in f.get("options", [])],
            "counts": Counter(),
        }
        for f in fields
        if f["type"] in (CHOICE, MULTIPLE_CHOICE)
    }
    needs_help = []
    per_region: dict[int, Counter] = {}
    for row in rows:
        region = per_region.setdefault(row["municipality__region_id"], Counter())
        counts["recipients"] += 1
        region["recipients"] += 1
        if row["status"] != "submitted":
            state = "missing" if deadline_passed else "awaiting"
            counts[state] += 1
            region[state] += 1
            continue
        counts["submitted"] += 1
        region["submitted"] += 1
        if row["is_late"]:
            counts["late"] += 1
            region["late"] += 1
        answers = row["answers"] or {}
        population = row.get("municipality__municipality__population") or 0
        for key, number in numbers.items():
            value = answers.get(key)
            if value is not None:
                number["values"].append((Decimal(str(value)), population))
        for key, status in statuses.items():
            value = answers.get(key)
            status["counts"][value.get("status") if isinstance(value, dict) else "none"] += 1
        for key, choice in choices.items():
            value = answers.get(key)
            for chosen in value if isinstance(value, list) else [value]:
                if chosen is not None:
                    choice["counts"][chosen] += 1
        reasons = needs_help_reasons(fields, answers)
        if reasons:
            needs_help.append(
                {
                    "municipality": row["municipality__name"],
                    "uuid": str(row["municipality__uuid"]),
                    "reasons": reasons,
                }
            )

    def text(value):
        return None if value is None else str(value)

    def number_summary(number):
        pairs = number.pop("values")
        values = [value for value, _population in pairs]
        value, rate = combine(number["aggregate"], pairs)
        shown = values and number["aggregate"] != NO_AGGREGATE
        number.update(
            count=len(values),
            value=text(value),
            per_1000=text(rate),
            population=sum(p for _v, p in pairs),
            sum=text(value) if number["aggregate"] == SUM else None,
            min=str(min(values)) if shown else None,
            max=str(max(values)) if shown else None,
            median=str(_median(values)) if shown else None,
        )
        return number

    result = {
        "computed_at": now.isoformat(),
        "office": office.slug if office is not None else None,
        "counts": {
            key: counts[key] for key in ("recipients", "submitted", "late", "missing", "awaiting")
        },
        "numbers": {key: number_summary(n) for key, n in numbers.items()},
        "statuses": {
            key: {"label": s["label"], **{k: s["counts"][k] for k in (*STATUS_KEYS, "none")}}
            for key, s in statuses.items()
        },
        "choices": {
            key: {
                "label": c["label"],
                "options": [[v, label, c["counts"][v]] for v, label in c["options"]],
            }
            for key, c in choices.items()
        },
        "needs_help": needs_help,
    }
    if office is None:
        offices = regions if regions is not None else Office.objects.order_by("name")
        result["regions"] = [
            {
                "office": o.slug,
                "name": o.name,
                **{
                    k: per_region.get(o.pk, Counter())[k]
                    for k in ("recipients", "submitted", "late", "missing", "awaiting")
                },
            }
            for o in offices
            if o.pk in per_region
        ]
    return result


def number_line(key, number, spec=None, *, own=None, own_population=None) -> dict:
    """One number field of an aggregates document, for a page or an export: how it is
    put together (``aggregate``), the value that says so (``value``: never the sum of a
    percentage or an average), per 1,000 inhabitants for a count, and beside it the
    municipality's own answer (and own per 1,000). A document frozen before the
    aggregates were stored (no ``aggregate``) takes it from the form and shows a sum or a
    median only where that is the aggregate."""
    aggregate = number.get("aggregate") or field_aggregate(spec or {"type": INTEGER}) or SUM

    if "value" in number:
        value = as_decimal(number.get("value"))
    else:
        value = as_decimal(number.get({SUM: "sum", MEDIAN: "median"}.get(aggregate, "")))
    own_value = as_decimal(own)
    summed = aggregate == SUM
    return {
        "key": key,
        "label": number["label"],
        "unit": number.get("unit", ""),
        "aggregate": aggregate,
        "count": number.get("count", 0),
        "value": value,
        "per_1000": as_decimal(number.get("per_1000")) if summed else None,
        "min": as_decimal(number.get("min")) if aggregate != NO_AGGREGATE else None,
        "max": as_decimal(number.get("max")) if aggregate != NO_AGGREGATE else None,
        "own": own_value,
        "own_per_1000": per_1000(own_value, own_population) if summed else None,
    }
