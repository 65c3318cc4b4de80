"""A round as a table (CSV, XLSX): one row per submission
``Submission.objects.visible_to(user)`` returns for the round — the issuer's people see
every municipality, an office's officers their region's; only submitted answers are shown
(a draft is the municipality's own: ``SubmissionQuerySet.with_answers_for``)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.exports.files import EXERCISE_MARK
from portal.exports.sheets import add_sheet, csv_bytes, xlsx_bytes
from portal.exports.times import iso
from reporting.compilation import compute_aggregates
from reporting.exports.sources import Progress, no_progress, number_table, round_is_exercise
from reporting.models import Submission, SubmissionStatus
from reporting.validation import (
    CHOICE,
    DATETIME,
    DECIMAL,
    INTEGER,
    MULTIPLE_CHOICE,
    SECTOR_STATUS,
    STATUSES,
    iter_fields,
)


def _state(row, now, deadline) -> str:
    if row["status"] == SubmissionStatus.SUBMITTED:
        return "late" if row["is_late"] else "submitted"
    return "missing" if now > deadline else "awaiting"


STATE_LABELS = {
    "submitted": lambda: _("Submitted"),
    "late": lambda: _("Submitted late"),
    "missing": lambda: _("Missing"),
    "awaiting": lambda: _("Not submitted yet"),
}


def _number(value):
    """Numbers as numbers (XLSX cells), whatever JSON stored them as."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return int(number) if number == number.to_integral_value() else number


def _field_columns(fields) -> list[tuple[str, str, dict]]:
    """(header, part, spec) per column: one per field, two for a sector status (the status
    and its comment)."""
    columns = []
    for spec in fields:
        if spec["type"] == SECTOR_STATUS:
            columns.append((spec["label"], "status", spec))
            columns.append((_("%(label)s – comment") % {"label": spec["label"]}, "comment", spec))
        else:
            columns.append((spec["label"], "value", spec))
    return columns


def _answer(spec, part, value):
    kind = spec["type"]
    if value is None or value == "" or value == []:
        return None
    if kind == SECTOR_STATUS:
        value = value if isinstance(value, dict) else {}
        if part == "comment":
            return value.get("comment") or None
        status = value.get("status")
        return str(STATUSES[status]) if status in STATUSES else None
    if kind in (INTEGER, DECIMAL):
        return _number(value)
    if kind in (CHOICE, MULTIPLE_CHOICE):
        labels = {o["value"]: o["label"] for o in spec.get("options", [])}
        chosen = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(v, str(v)) for v in chosen)
    if kind == DATETIME:
        return str(value)
    return str(value)


def round_table(round_, user) -> tuple[list[str], list[list]]:
    """The header and one row per municipality whose submission the user sees: the
    municipality's number and name, its state (submitted / late / missing / not yet),
    when it first submitted, whether the round is an exercise, then one column per form
    field (a sector status as status and comment). Two queries whatever the size."""
    fields = list(iter_fields(round_.form_version.definition))
    columns = _field_columns(fields)
    header = [
        _("Municipality number"),
        _("Municipality"),
        _("State"),
        _("Submitted at"),
        _("Exercise"),
        *[c[0] for c in columns],
    ]
    rows = (
        Submission.objects.visible_to(user)
        .filter(round=round_)
        .order_by("municipality__name", "pk")
        .values(
            "status",
            "is_late",
            "submitted_at",
            "visible_answers",
            "municipality__name",
            "municipality__municipality__number",
        )
    )
    now = timezone.now()
    exercise = EXERCISE_MARK if round_is_exercise(round_) else ""
    table = []
    for row in rows:
        state = _state(row, now, round_.deadline)
        answers = row["visible_answers"]  # a draft's only for its own municipality
        table.append(
            [
                row["municipality__municipality__number"] or "",
                row["municipality__name"],
                STATE_LABELS[state](),
                iso(row["submitted_at"]),
                exercise,
                *[
                    _answer(spec, part, (answers or {}).get(spec["key"]))
                    for _h, part, spec in columns
                ],
            ]
        )
    return header, table


def round_csv(round_, user, progress: Progress = no_progress) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads æøå), semicolon-separated."""
    header, rows = round_table(round_, user)
    progress(60)
    return csv_bytes(header, rows)


def round_aggregates(round_, user) -> dict:
    """The round's aggregates over the submissions the user sees (one query), put
    together as the compiled picture's are (:func:`reporting.compilation.compute_aggregates`)."""
    rows = []
    for row in (
        Submission.objects.visible_to(user)
        .filter(round=round_)
        .values(
            "uuid",
            "status",
            "is_late",
            "visible_answers",
            "municipality_id",
            "municipality__uuid",
            "municipality__name",
            "municipality__region_id",
            "municipality__municipality__population",
        )
        .order_by("municipality__name", "pk")
    ):
        row["answers"] = row.pop("visible_answers")
        rows.append(row)
    return compute_aggregates(round_, None, rows=rows, regions=[])


def round_xlsx(round_, user, progress: Progress = no_progress) -> bytes:
    """Two sheets: the header row (frozen) and one row per municipality; then the number
    fields over those municipalities, each put together as its field says (a sum only
    for a count, with per 1,000 inhabitants; a population-weighted mean for a rate or
    percentage; a median for a duration)."""
    header, rows = round_table(round_, user)
    progress(50)
    numbers_header, numbers = number_table(
        round_aggregates(round_, user)["numbers"], round_.form_version.definition
    )
    progress(70)
    workbook = Workbook()
    title = f"{EXERCISE_MARK} {round_.title}" if round_is_exercise(round_) else round_.title
    workbook.properties.title = title
    add_sheet(workbook, _("Round"), header, rows, first=True)
    if numbers:
        add_sheet(
            workbook,
            _("Numbers"),
            numbers_header,
            [[_number(c) if isinstance(c, Decimal) else c for c in row] for row in numbers],
        )
    return xlsx_bytes(workbook)
