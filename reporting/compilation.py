"""The compiled picture of a round (sammenstilling): what the submissions add up to.

:func:`compute_aggregates` reads the submissions of a round — of one office's region, or
all of them — in one query and returns a JSON-ready document:

* counts: recipients, submitted (on time / late), missing (deadline passed), awaiting;
* per number field: sum, count, min, max, median (decimals as strings, exactly);
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
    MULTIPLE_CHOICE,
    SECTOR_STATUS,
    iter_fields,
)

STATUS_KEYS = ("green", "yellow", "red")


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


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
        f["key"]: {"label": f["label"], "unit": f.get("unit", ""), "values": []}
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
        for key, number in numbers.items():
            value = answers.get(key)
            if value is not None:
                number["values"].append(Decimal(str(value)))
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

    def number_summary(number):
        values = number.pop("values")
        number.update(
            count=len(values),
            sum=str(sum(values)) if values else None,
            min=str(min(values)) if values else None,
            max=str(max(values)) if values else None,
            median=str(_median(values)) if values else None,
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
