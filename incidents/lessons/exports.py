"""The KS export of lessons learned: a network's member municipalities (its members on
the last day) or all municipalities, over a period (lessons recorded from ``start`` to
``end``, Norwegian dates, inclusive), as XLSX or PDF, downloaded at once.

For KS analysts and national analysts (``reporting.rules.summarises``), and what it holds
is decided here, not by what the analyst could open in the portal:

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

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incidents.exports import OSLO
from incidents.models import Lesson, LessonArea, LessonShare, LessonSource, LessonStatus
from reporting.exports.build import (
    XLSX_TYPE,
    _heading,
    _pdf,
    _period_bounds,
    _sheet,
    _table,
    _xlsx_bytes,
    iso,
)

CONTENT_TYPES = {"xlsx": XLSX_TYPE, "pdf": "application/pdf"}


def may_export_lessons(user) -> bool:
    from reporting.rules import summarises

    return bool(summarises(user))


def lesson_summary(*, user, network=None, start: date, end: date) -> dict:
    from networks.models import NetworkMembership, Organisation, OrganisationKind

    if not may_export_lessons(user):
        raise PermissionDenied
    lower, upper = _period_bounds(start, end)
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
        row = {"key": area.value, "label": str(area.label)}
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
                "recorded": timezone.localtime(lesson.created_at, OSLO).date().isoformat(),
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
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = summary_title(summary)
    _sheet(
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
    _sheet(workbook, _("Area and status"), *_matrix(summary))
    _sheet(
        workbook,
        _("Shared lessons"),
        _list_header(),
        [
            [r["recorded"], r["title"], r["owner"], r["area"], r["status"], r["source"],
             r["recommendation"]]
            for r in summary["lessons"]
        ],
    )  # fmt: skip
    return _xlsx_bytes(workbook)


def summary_pdf(summary) -> bytes:
    from incidents.exports import STYLE, _para

    title = summary_title(summary)
    pdf = _pdf(title, exercise=False)
    pdf.set_font("DejaVu", "B", 18)
    _para(pdf, 9, title)
    pdf.set_font("DejaVu", "", STYLE.text)
    _para(
        pdf,
        5.5,
        _(
            "Counts cover every lesson of the municipalities in the period; only lessons "
            "shared with everyone or with the network are listed."
        ),
    )
    _heading(pdf, _("Lessons by area and follow-up"))
    header, rows = _matrix(summary)
    _table(pdf, header, rows, [6, *[2] * (len(header) - 1)])
    _heading(pdf, _("Shared lessons"))
    if not summary["lessons"]:
        _para(pdf, 6, _("No shared lessons in the period."))
    for row in summary["lessons"]:
        if pdf.will_page_break(24):
            pdf.add_page()
        pdf.set_font("DejaVu", "B", STYLE.text)
        _para(pdf, 5.5, row["title"])
        pdf.set_font("DejaVu", "", STYLE.small)
        _para(
            pdf,
            4.5,
            f"{row['owner']} · {row['area']} · {row['status']} · {row['source']} · "
            f"{row['recorded']}",
        )
        pdf.set_font("DejaVu", "", STYLE.text)
        _para(pdf, 5, row["recommendation"])
        pdf.ln(2)
    return bytes(pdf.output())


def export_bytes(summary, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type)."""
    content = summary_xlsx(summary) if fmt == "xlsx" else summary_pdf(summary)
    return content, filename(summary, fmt), CONTENT_TYPES[fmt]
