"""The KS export of lessons learned: a network's member municipalities (its members on
the last day) or all municipalities, over a period (lessons recorded from ``start`` to
``end``, Norwegian dates, inclusive), as XLSX or PDF, downloaded at once.

For KS analysts and national analysts (``portal.roles.SUMMARY_ROLES``, the roles of
``reporting.rules.summarises``), and what it holds is decided here, not by what the
analyst could open in the portal:

* counts by area × follow-up status over every lesson of those municipalities — numbers
  only, no text;
* the list of lessons *shared with everyone*, or (for a network) *shared with that
  network* — title, owner, area, status, source and recommendation. A lesson private to
  its owner, or shared only with a named organisation or a region, is counted but never
  listed.

Two queries whatever the number of lessons.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from incidents.lessons.models import Lesson, LessonArea, LessonShare, LessonSource, LessonStatus
from networks.structure.models import NetworkMembership, Organisation, OrganisationKind
from portal.access import viewer_for
from portal.exports.files import CONTENT_TYPES, XLSX_TYPE
from portal.exports.pdf import STYLE, heading, paragraph, report_document, table
from portal.exports.sheets import add_sheet, xlsx_bytes
from portal.exports.times import iso, oslo_date, period_bounds
from portal.roles import SUMMARY_ROLES

__all__ = ["XLSX_TYPE", "export_bytes", "lesson_summary", "may_export_lessons"]


def may_export_lessons(user) -> bool:
    """KS analysts and national analysts (the same roles as ``reporting.ks_summary``)."""
    return bool(viewer_for(user).role_names & SUMMARY_ROLES)


def lesson_summary(*, user, network=None, start: date, end: date) -> dict:
    if not may_export_lessons(user):
        raise PermissionDenied
    lower, upper = period_bounds(start, end)
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    if network is not None:
        members = NetworkMembership.objects.current(on=end).filter(network=network)
        municipalities = municipalities.filter(pk__in=members.values("organisation_id"))
    lessons = Lesson.objects.filter(
        owner__in=municipalities, created_at__gte=lower, created_at__lt=upper
    )
    counts = {
        (row["area"], row["status"]): row["n"]
        for row in lessons.order_by().values("area", "status").annotate(n=Count("pk"))
    }
    audience = Q(everyone=True)
    if network is not None:
        audience |= Q(network=network)
    shared = LessonShare.objects.filter(audience, lesson_id=OuterRef("pk"))
    listed = (
        lessons.filter(Exists(shared))
        .select_related("owner")
        .order_by("area", "owner__name", "created_at", "id")
    )
    statuses = list(LessonStatus)
    areas = []
    for area in LessonArea:
        row: dict[str, Any] = {"key": area.value, "label": str(area.label)}
        row.update({status.value: counts.get((area.value, status.value), 0) for status in statuses})
        row["total"] = sum(row[s.value] for s in statuses)
        areas.append(row)
    totals = {s.value: sum(a[s.value] for a in areas) for s in statuses}
    totals["total"] = sum(totals.values())
    return {
        "generated_at": iso(timezone.now()),
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "network": {"slug": network.slug, "name": network.name} if network is not None else None,
        "statuses": [{"key": s.value, "label": str(s.label)} for s in statuses],
        "areas": areas,
        "totals": totals,
        "lessons": [
            {
                "id": str(lesson.uuid),
                "title": lesson.title,
                "owner": lesson.owner.name,
                "area": lesson.get_area_display(),
                "status": lesson.get_status_display(),
                "source": str(LessonSource(lesson.source).label),
                "recorded": oslo_date(lesson.created_at).isoformat(),
                "recommendation": lesson.recommendation,
            }
            for lesson in listed
        ],
    }


def _scope(summary) -> str:
    return summary["network"]["name"] if summary["network"] else _("All municipalities")


def summary_title(summary) -> str:
    return _("Lessons learned: %(scope)s, %(start)s–%(end)s") % {
        "scope": _scope(summary),
        "start": summary["period"]["start"],
        "end": summary["period"]["end"],
    }


def filename(summary, extension: str) -> str:
    stem = slugify(f"laeringspunkter {_scope(summary)}")[:60]
    return f"{stem}-{summary['period']['start']}-{summary['period']['end']}.{extension}"


def _matrix(summary):
    header = [pgettext("lesson", "Area"), *[s["label"] for s in summary["statuses"]], _("Total")]
    rows = [
        [a["label"], *[a[s["key"]] for s in summary["statuses"]], a["total"]]
        for a in summary["areas"]
    ]
    totals = summary["totals"]
    rows.append([_("Total"), *[totals[s["key"]] for s in summary["statuses"]], totals["total"]])
    return header, rows


def _list_header():
    return [
        _("Recorded"),
        _("Title"),
        _("Owner"),
        pgettext("lesson", "Area"),
        _("Follow-up"),
        _("Source"),
        _("Recommendation"),
    ]


def summary_xlsx(summary) -> bytes:
    """Three sheets: about the export, area × status counts, the shared lessons."""
    workbook = Workbook()
    workbook.properties.title = summary_title(summary)
    add_sheet(
        workbook,
        _("Summary"),
        [_("What"), _("Value")],
        [
            [_("Municipalities"), _scope(summary)],
            [_("Period"), f"{summary['period']['start']} – {summary['period']['end']}"],
            [_("Lessons"), summary["totals"]["total"]],
            [_("Listed (shared)"), len(summary["lessons"])],
            [_("Generated"), summary["generated_at"]],
        ],
        first=True,
    )
    add_sheet(workbook, _("Area and status"), *_matrix(summary))
    add_sheet(
        workbook,
        _("Shared lessons"),
        _list_header(),
        [
            [r["recorded"], r["title"], r["owner"], r["area"], r["status"], r["source"],
             r["recommendation"]]
            for r in summary["lessons"]
        ],
    )  # fmt: skip
    return xlsx_bytes(workbook)


def summary_pdf(summary) -> bytes:
    title = summary_title(summary)
    pdf = report_document(title, exercise=False)
    pdf.set_font("DejaVu", "B", 18)
    paragraph(pdf, 9, title)
    pdf.set_font("DejaVu", "", STYLE.text)
    paragraph(
        pdf,
        5.5,
        _(
            "Counts cover every lesson of the municipalities in the period; only lessons "
            "shared with everyone or with the network are listed."
        ),
    )
    heading(pdf, _("Lessons by area and follow-up"))
    header, rows = _matrix(summary)
    table(pdf, header, rows, [6, *[2] * (len(header) - 1)])
    heading(pdf, _("Shared lessons"))
    if not summary["lessons"]:
        paragraph(pdf, 6, _("No shared lessons in the period."))
    for row in summary["lessons"]:
        if pdf.will_page_break(24):
            pdf.add_page()
        pdf.set_font("DejaVu", "B", STYLE.text)
        paragraph(pdf, 5.5, row["title"])
        pdf.set_font("DejaVu", "", STYLE.small)
        paragraph(
            pdf,
            4.5,
            f"{row['owner']} · {row['area']} · {row['status']} · {row['source']} · "
            f"{row['recorded']}",
        )
        pdf.set_font("DejaVu", "", STYLE.text)
        paragraph(pdf, 5, row["recommendation"])
        pdf.ln(2)
    return bytes(pdf.output())


def export_bytes(summary, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type)."""
    content = summary_xlsx(summary) if fmt == "xlsx" else summary_pdf(summary)
    return content, filename(summary, fmt), CONTENT_TYPES[fmt]
