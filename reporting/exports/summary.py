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
from reporting.exports.sources import Progress, no_progress, sector_table
from reporting.models import ReportFormVersion, ReportingRound, Submission, SubmissionStatus
from reporting.rules import summarises
from reporting.validation import SECTOR_STATUS, iter_fields


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def ks_summary(*, user, network=None, start: date, end: date, include_exercises=False) -> dict:
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
    ``include_exercises``. Five queries whatever the number of rounds: the sums are made
    by PostgreSQL, the status counts with ``jsonb_each`` over the submitted answers.
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
    submissions = Submission.objects.filter(
        round__in=period_rounds, municipality__in=municipalities
    )

    submitted = Q(status=SubmissionStatus.SUBMITTED)
    not_submitted = ~submitted
    round_rows = list(
        submissions.values(
            "round_id",
            "round__uuid",
            "round__title",
            "round__opened_at",
            "round__deadline",
            "round__is_exercise",
            "round__frame__is_exercise",
            "round__issuer__name",
        )
        .annotate(
            recipients=Count("pk"),
            submitted=Count("pk", filter=submitted),
            late=Count("pk", filter=submitted & Q(is_late=True)),
            missing=Count("pk", filter=not_submitted & Q(round__deadline__lt=now)),
            awaiting=Count("pk", filter=not_submitted & Q(round__deadline__gte=now)),
        )
        .order_by("round__opened_at", "round_id")
    )

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
    totals["submission_rate"] = _rate(totals["submitted"], totals["recipients"])
    totals["lateness_rate"] = _rate(totals["late"], totals["submitted"])
    totals["exercise_rounds"] = sum(1 for r in rounds if r["exercise"])

    # Status distribution per sector: jsonb_each over the submitted answers; a sector
    # status is the only kind of answer that is an object with a "status".
    sql, params = submissions.filter(submitted).order_by().values("pk").query.sql_with_params()
    # Only the table name and Django's own compiled subquery are interpolated; the values
    # travel as parameters.
    query = (
        "SELECT a.key, a.value->>'status', count(*) "  # noqa: S608  # nosec B608  # see the comment above
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
    for key, status, count in status_rows:
        sector = sectors.setdefault(
            key, {"key": key, "label": labels.get(key, key), "green": 0, "yellow": 0, "red": 0}
        )
        if status in ("green", "yellow", "red"):
            sector[status] += count
    for sector in sectors.values():
        sector["total"] = sector["green"] + sector["yellow"] + sector["red"]

    incidents = Incident.objects.filter(
        started_at__gte=lower, started_at__lt=upper, owner__in=municipalities
    )
    if not include_exercises:
        incidents = incidents.real().exclude(frame__is_exercise=True)
    type_labels = dict(IncidentType.choices)
    incident_rows = [
        {"type": row["type"], "label": str(type_labels.get(row["type"], row["type"])),
         "count": row["n"]}
        for row in incidents.values("type").annotate(n=Count("pk")).order_by("-n", "type")
    ]  # fmt: skip

    return {
        "generated_at": iso(now),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "network": ({"slug": network.slug, "name": network.name} if network is not None else None),
        "include_exercises": bool(include_exercises),
        "totals": totals,
        "rounds": rounds,
        "sectors": sorted(sectors.values(), key=lambda s: s["label"]),
        "incidents": incident_rows,
    }


def _scope_label(summary) -> str:
    network = summary.get("network")
    return network["name"] if network else _("All municipalities")


def _percent(rate) -> str:
    return "–" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


def _summary_title(summary) -> str:
    return _("KS summary: %(scope)s, %(start)s–%(end)s") % {
        "scope": _scope_label(summary),
        "start": summary["period"]["start"],
        "end": summary["period"]["end"],
    }


def _summary_pairs(summary) -> list[tuple[str, object]]:
    totals = summary["totals"]
    return [
        (_("Municipalities"), _scope_label(summary)),
        (_("Period"), f"{summary['period']['start']} – {summary['period']['end']}"),
        (
            _("Exercises"),
            _("included, labelled %(mark)s") % {"mark": EXERCISE_MARK}
            if summary["include_exercises"]
            else _("left out"),
        ),
        (_("Rounds"), totals["rounds"]),
        (_("Reports asked for"), totals["recipients"]),
        (_("Submitted"), totals["submitted"]),
        (_("of which late"), totals["late"]),
        (_("Missing"), totals["missing"]),
        (_("Not submitted yet"), totals["awaiting"]),
        (_("Submission rate"), _percent(totals["submission_rate"])),
        (_("Lateness rate (of submitted)"), _percent(totals["lateness_rate"])),
        (_("Generated"), summary["generated_at"]),
    ]


def ks_summary_xlsx(summary, progress: Progress = no_progress) -> bytes:
    """Four sheets: the summary, the rounds (exercises labelled), the status
    distribution per sector and the incidents per type."""
    workbook = Workbook()
    workbook.properties.title = _summary_title(summary)
    add_sheet(
        workbook,
        _("Summary"),
        [_("What"), _("Value")],
        [[label, value] for label, value in _summary_pairs(summary)],
        first=True,
    )
    progress(70)
    add_sheet(
        workbook,
        _("Rounds"),
        [
            _("Opened"),
            _("Deadline"),
            _("Title"),
            _("Issued by"),
            _("Exercise"),
            _("Recipients"),
            _("Submitted"),
            _("Late"),
            _("Missing"),
            _("Not submitted yet"),
            _("Submission rate"),
        ],  # fmt: skip
        [
            [
                r["opened_at"],
                r["deadline"],
                r["title"],
                r["issuer"],
                EXERCISE_MARK if r["exercise"] else "",
                r["recipients"],
                r["submitted"],
                r["late"],
                r["missing"],
                r["awaiting"],
                r["submission_rate"],
            ]  # fmt: skip
            for r in summary["rounds"]
        ],
    )
    progress(85)
    add_sheet(
        workbook,
        _("Sectors"),
        *sector_table(summary["sectors"], "total"),
    )
    add_sheet(
        workbook,
        _("Incidents"),
        [_("Type"), _("Incidents")],
        [[i["label"], i["count"]] for i in summary["incidents"]],
    )
    return xlsx_bytes(workbook)


def ks_summary_pdf(summary, progress: Progress = no_progress) -> bytes:
    """The summary, the status distribution per sector, incidents per type and the list
    of rounds."""
    title = _summary_title(summary)
    pdf = report_document(title, exercise=False)
    pdf.set_font("DejaVu", "B", 18)
    paragraph(pdf, 9, title)
    pdf.ln(3)
    if summary["include_exercises"] and summary["totals"].get("exercise_rounds"):
        pdf.set_font("DejaVu", "B", STYLE.text)
        pdf.set_text_color(*STYLE.red)
        paragraph(
            pdf,
            5.5,
            _("Includes %(count)s exercise round(s), marked %(mark)s.")
            % {"count": summary["totals"]["exercise_rounds"], "mark": EXERCISE_MARK},
        )
        pdf.set_text_color(*STYLE.black)
    write_pairs(pdf, [(label, str(value)) for label, value in _summary_pairs(summary)])
    progress(70)

    heading(pdf, _("Status per sector"))
    if summary["sectors"]:
        table(pdf, *sector_table(summary["sectors"], "total"), [8, 2, 2, 2, 2])
    else:
        paragraph(pdf, 6, _("No sector statuses were reported."))

    heading(pdf, _("Incidents per type"))
    if summary["incidents"]:
        table(
            pdf,
            [_("Type"), _("Incidents")],
            [[i["label"], i["count"]] for i in summary["incidents"]],
            [8, 2],
        )
    else:
        paragraph(pdf, 6, _("No incidents in the period."))
    progress(85)

    heading(pdf, _("Rounds"))
    if summary["rounds"]:
        table(
            pdf,
            [_("Opened"), _("Title"), _("Recipients"), _("Submitted"), _("Late"), _("Missing")],
            [
                [
                    r["opened_at"][:10],
                    (f"{EXERCISE_MARK} " if r["exercise"] else "") + r["title"],
                    r["recipients"],
                    r["submitted"],
                    r["late"],
                    r["missing"],
                ]  # fmt: skip
                for r in summary["rounds"]
            ],
            [3, 9, 2, 2, 2, 2],
        )
    else:
        paragraph(pdf, 6, _("No rounds in the period."))
    return bytes(pdf.output())
