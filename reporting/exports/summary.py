"""KS summaries (KS-sammendrag) over a period, as XLSX or PDF: aggregates only — counts
and rates over every round of the period, never a municipality's answers or an
incident's log — for KS analysts and national analysts (``reporting.ks_summary``).
Exercises are left out unless asked for, and labelled ``ØVELSE`` when included."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from incidents.log.models import Incident, IncidentType
from networks.structure.models import NetworkMembership, Organisation, OrganisationKind
from portal.exports.files import EXERCISE_MARK
from portal.exports.pdf import STYLE, heading, paragraph, report_document, table, write_pairs
from portal.exports.sheets import add_sheet, xlsx_bytes
from portal.exports.times import iso, period_bounds
from reporting.exports.sources import Progress, no_progress
from reporting.exports.summary_figures import display, figures, sheet_rows
from reporting.models import ReportFormVersion, ReportingRound, Submission, SubmissionStatus
from reporting.rules import summarises
from reporting.validation import SECTOR_STATUS, iter_fields


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


#: How the file shows a rate (the number stays a number: 0.8333 shown as 83.3 %).
RATE_FORMAT = "0.0%"
REGION_FIELDS = ("municipality__region__slug", "municipality__region__name_bokmaal")
STATE_KEYS = ("recipients", "submitted", "late", "missing", "awaiting")


def _filters(now) -> dict[str, Q | None]:
    submitted = Q(status=SubmissionStatus.SUBMITTED)
    return {
        "recipients": None,
        "submitted": submitted,
        "late": submitted & Q(is_late=True),
        "missing": ~submitted & Q(round__deadline__lt=now),
        "awaiting": ~submitted & Q(round__deadline__gte=now),
    }


def _counts(now) -> dict:
    return {key: Count("pk", filter=q) for key, q in _filters(now).items()}


def _distinct_municipalities(now) -> dict:
    """How many distinct municipalities each count counts (over several rounds a count of
    reports can be one municipality's)."""
    return {
        f"{key}_municipalities": Count("municipality", filter=q, distinct=True)
        for key, q in _filters(now).items()
    }


def ks_summary(
    *, user, network=None, start: date, end: date, include_exercises=False, frame=None
) -> dict:
    """Aggregates over the rounds opened from ``start`` to ``end`` (dates, inclusive,
    Norwegian time): for ``network``'s member municipalities (its members on ``end``) or
    all municipalities. Counts only — never an answer or a log entry:

    * each round with its recipients, submitted, late, missing and not yet due;
    * totals, the submission rate (submitted / recipients) and the lateness rate
      (late / submitted);
    * the distribution of green / yellow / red per sector status field (by field key,
      labelled from the forms);
    * incidents started in the period per type (only real ones unless asked for).

    Exercise rounds (marked, or of an exercise crisis frame) are left out unless
    ``include_exercises``; with ``frame``, only the crisis frame's rounds and incidents.
    Every count carries how many distinct municipalities it counts (``…_municipalities``)
    for the small-group suppression of what is shown (``summary_figures``). At most seven queries
    whatever the number of rounds: the sums are made by PostgreSQL, the status counts
    with ``jsonb_each`` over the submitted answers.

    This is the raw material: what reaches a screen or a file goes through
    ``reporting.exports.summary_figures.figures``.
    """
    if not summarises(user):
        raise PermissionDenied
    lower, upper = period_bounds(start, end)
    now = timezone.now()

    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if network is not None:
        members = NetworkMembership.objects.current(on=end).filter(network=network)
        municipalities = municipalities.filter(pk__in=members.values("organisation_id"))

    period_rounds = ReportingRound.objects.filter(opened_at__gte=lower, opened_at__lt=upper)
    if not include_exercises:
        period_rounds = period_rounds.real()
    if frame is not None:
        period_rounds = period_rounds.filter(frame=frame)
    submissions = Submission.objects.filter(
        round__in=period_rounds, municipality__in=municipalities
    )

    submitted = Q(status=SubmissionStatus.SUBMITTED)
    round_rows: list[dict[str, Any]] = [
        dict(row)
        for row in submissions.values(
            "round_id",
            "round__uuid",
            "round__title",
            "round__opened_at",
            "round__deadline",
            "round__is_exercise",
            "round__frame__is_exercise",
            "round__issuer__name",
        )
        .annotate(**_counts(now))
        .order_by("round__opened_at", "round_id")
    ]

    rounds = []
    totals: dict[str, Any] = {
        "rounds": 0,
        "recipients": 0,
        "submitted": 0,
        "late": 0,
        "missing": 0,
        "awaiting": 0,
    }
    for row in round_rows:
        exercise = bool(row["round__is_exercise"] or row["round__frame__is_exercise"])
        item = {
            "id": str(row["round__uuid"]),
            "title": row["round__title"],
            "issuer": row["round__issuer__name"],
            "opened_at": iso(row["round__opened_at"]),
            "deadline": iso(row["round__deadline"]),
            "exercise": exercise,
            **{k: row[k] for k in ("recipients", "submitted", "late", "missing", "awaiting")},
        }
        item["submission_rate"] = _rate(item["submitted"], item["recipients"])
        rounds.append(item)
        totals["rounds"] += 1
        for key in ("recipients", "submitted", "late", "missing", "awaiting"):
            totals[key] += row[key]
    totals.update(submissions.aggregate(**_distinct_municipalities(now)))
    regions = [
        {
            "slug": row["municipality__region__slug"],
            "name": row["municipality__region__name_bokmaal"],
            **{k: v for k, v in row.items() if not k.startswith("municipality__")},
        }
        for row in submissions.values(*REGION_FIELDS)
        .annotate(**_counts(now), **_distinct_municipalities(now))
        .order_by("municipality__region__name_bokmaal")
    ]  # fmt: skip
    totals["submission_rate"] = _rate(totals["submitted"], totals["recipients"])
    totals["lateness_rate"] = _rate(totals["late"], totals["submitted"])
    totals["exercise_rounds"] = sum(1 for r in rounds if r["exercise"])

    # Status distribution per sector: jsonb_each over the submitted answers; a sector
    # status is the only kind of answer that is an object with a "status".
    sql, params = submissions.filter(submitted).order_by().values("pk").query.sql_with_params()
    # Only the table name and Django's own compiled subquery are interpolated; the values
    # travel as parameters.
    query = (
        "SELECT a.key, a.value->>'status', count(*), count(DISTINCT s.municipality_id) "  # noqa: S608  # nosec B608  # see the comment above
        f"FROM {Submission._meta.db_table} s, jsonb_each(s.answers) a "
        f"WHERE s.id IN ({sql}) AND jsonb_typeof(a.value) = 'object' "
        "AND a.value ? 'status' GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        status_rows = cursor.fetchall()
    labels = {}
    versions = ReportFormVersion.objects.filter(
        pk__in=submissions.order_by().values("round__form_version_id")
    ).order_by("number", "pk")
    for definition in versions.values_list("definition", flat=True):
        for spec in iter_fields(definition):
            if spec["type"] == SECTOR_STATUS:
                labels[spec["key"]] = spec["label"]
    sectors: dict[str, dict] = {}
    for key, status, count, distinct in status_rows:
        sector = sectors.setdefault(
            key,
            {"key": key, "label": labels.get(key, key), "green": 0, "yellow": 0, "red": 0,
             "green_municipalities": 0, "yellow_municipalities": 0, "red_municipalities": 0},
        )  # fmt: skip
        if status in ("green", "yellow", "red"):
            sector[status] += count
            sector[f"{status}_municipalities"] += distinct
    for sector in sectors.values():
        sector["total"] = sector["green"] + sector["yellow"] + sector["red"]

    incidents = Incident.objects.filter(
        started_at__gte=lower, started_at__lt=upper, owner__in=municipalities
    )
    if not include_exercises:
        incidents = incidents.real().exclude(frame__is_exercise=True)
    if frame is not None:
        incidents = incidents.filter(frame=frame)
    type_labels = dict(IncidentType.choices)
    incident_rows = [
        {"type": row["type"], "label": str(type_labels.get(row["type"], row["type"])),
         "count": row["n"], "municipalities": row["m"]}
        for row in incidents.values("type")
        .annotate(n=Count("pk"), m=Count("owner", distinct=True))
        .order_by("-n", "type")
    ]  # fmt: skip

    return {
        "generated_at": iso(now),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "network": ({"slug": network.slug, "name": network.name} if network is not None else None),
        "frame": ({"id": str(frame.uuid), "title": frame.title} if frame is not None else None),
        "include_exercises": bool(include_exercises),
        "totals": totals,
        "rounds": rounds,
        "regions": regions,
        "sectors": sorted(sectors.values(), key=lambda s: s["label"]),
        "incidents": incident_rows,
    }


def _text(value) -> str:
    return display(value) if not isinstance(value, str) else value


def ks_summary_xlsx(summary, progress: Progress = no_progress) -> bytes:
    """Five sheets, exactly the tables the page shows (``summary_figures``; small groups
    suppressed): the summary, the regions, the rounds (exercises labelled), the status
    per sector and the incidents per type."""
    shown = figures(summary)
    workbook = Workbook()
    workbook.properties.title = shown["title"]
    add_sheet(
        workbook,
        _("Summary"),
        [_("What"), _("Value")],
        [[label, value] for label, value in shown["totals"]],
        first=True,
    )
    progress(70)
    for name, title in (
        ("regions", _("Regions")),
        ("rounds", _("Rounds")),
        ("sectors", _("Sectors")),
        ("incidents", _("Incidents")),
    ):
        add_sheet(workbook, title, *sheet_rows(shown[name], name))
    for sheet in workbook.worksheets:  # every float of a summary is a rate
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = RATE_FORMAT
    progress(85)
    return xlsx_bytes(workbook)


def ks_summary_pdf(summary, progress: Progress = no_progress) -> bytes:
    """The summary, the regions, the status per sector, incidents per type and the list
    of rounds: the page's tables (small groups suppressed)."""
    shown = figures(summary)
    title = shown["title"]
    pdf = report_document(title, exercise=False)
    pdf.set_font("DejaVu", "B", 18)
    paragraph(pdf, 9, title)
    pdf.ln(3)
    if shown["include_exercises"] and shown["exercise_rounds"]:
        pdf.set_font("DejaVu", "B", STYLE.text)
        pdf.set_text_color(*STYLE.red)
        paragraph(
            pdf,
            5.5,
            _("Includes %(count)s exercise round(s), marked %(mark)s.")
            % {"count": shown["exercise_rounds"], "mark": EXERCISE_MARK},
        )
        pdf.set_text_color(*STYLE.black)
    write_pairs(pdf, [(label, _text(value)) for label, value in shown["totals"]])
    progress(70)
    sections = (
        ("regions", _("Regions"), _("No rounds in the period."), [5, 2, 2, 2, 2, 2, 2, 2]),
        (
            "sectors",
            _("Status per sector"),
            _("No sector statuses were reported."),
            [8, 2, 2, 2, 2],
        ),
        ("incidents", _("Incidents per type"), _("No incidents in the period."), [8, 2]),
        ("rounds", _("Rounds"), _("No rounds in the period."), [2, 5, 3, 2, 1, 1, 1, 1, 1, 2]),
    )
    for name, heading_text, empty, widths in sections:
        heading(pdf, heading_text)
        header, rows = sheet_rows(shown[name], name)
        if rows:
            table(pdf, header, [[_text(c) for c in row] for row in rows], widths)
        else:
            paragraph(pdf, 6, empty)
    progress(85)
    return bytes(pdf.output())
