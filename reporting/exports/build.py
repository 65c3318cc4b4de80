"""Exports of reporting: a round as a table (CSV, XLSX), a compiled picture (PDF, EDXL-SitRep
1.0 XML) and KS summaries over a period (XLSX, PDF).

What goes in is decided by the access layer:

* a round's table holds one row per submission ``Submission.objects.visible_to(user)``
  returns for the round — the issuer's people see every municipality, an office's officers
  their region's; only submitted answers are shown (a draft is the municipality's own:
  ``SubmissionQuerySet.with_answers_for``);
* a compiled picture is exported by whoever sees it (``Compilation.objects.visible_to``);
  the caller passes a compilation from that queryset;
* a KS summary holds aggregates only — counts and rates over every round of the period,
  never a municipality's answers or an incident's log — and is for KS analysts and
  national analysts (``reporting.ks_summary``).

Exercises (a round marked as one, or a round of an exercise crisis frame) are labelled
``ØVELSE`` wherever they are shown, and are left out of KS summaries unless asked for.

Times are Europe/Oslo: ISO 8601 with offset in CSV, XLSX and XML, ``dd.mm.yyyy HH:MM`` in
PDFs. Anything that runs long goes through :func:`build_export` in a Celery task
(``reporting/exports/tasks.py``); the same functions serve direct downloads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from incidents.exports import (
    CSV_DELIMITER,
    EXERCISE_MARK,
    FONT_DIR,
    OSLO,
    STYLE,
    _para,
    _write_pairs,
    norwegian,
)
from portal.spreadsheets import append_row, safe_cell
from reporting.compilation import compute_aggregates
from reporting.models import (
    Compilation,
    ExportJob,
    ExportKind,
    ExportState,
    ReportFormVersion,
    ReportingRound,
    Submission,
    SubmissionStatus,
)
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

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_TYPE,
    "pdf": "application/pdf",
    "xml": "application/xml; charset=utf-8",
}

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    return None


def iso(value: datetime | None) -> str:
    return timezone.localtime(value, OSLO).replace(microsecond=0).isoformat() if value else ""


def round_is_exercise(round_) -> bool:
    """A round is an exercise when marked as one or when its crisis frame is."""
    return bool(round_.is_exercise or (round_.frame_id and round_.frame.is_exercise))


def _filename(stem: str, extension: str, exercise: bool) -> str:
    stem = slugify(stem)[:60] or "eksport"
    prefix = "ovelse-" if exercise else ""
    return f"{prefix}{stem}-{timezone.localdate(timezone=OSLO):%Y-%m-%d}.{extension}"


# --- who may export what ---------------------------------------------------------------


def may_export_round(user, round_) -> bool:
    """The ``reporting.export_round`` rule (``reporting/rules.py``)."""
    from reporting.rules import exports_round

    return exports_round(user, round_)


def may_summarise(user) -> bool:
    """The ``reporting.ks_summary`` rule (``reporting/rules.py``)."""
    from reporting.rules import summarises

    return summarises(user)


# --- a round as a table ----------------------------------------------------------------


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


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def round_csv(round_, user, progress: Progress = _no_progress) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads æøå), semicolon-separated."""
    header, rows = round_table(round_, user)
    progress(60)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow([_csv_value(h) for h in header])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8")


def _xlsx_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet(workbook, title, header, rows, *, first=False):
    from openpyxl.styles import Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
    return sheet


def round_xlsx(round_, user, progress: Progress = _no_progress) -> bytes:
    """One sheet: the header row (frozen) and one row per municipality."""
    from openpyxl import Workbook

    header, rows = round_table(round_, user)
    progress(60)
    workbook = Workbook()
    title = f"{EXERCISE_MARK} {round_.title}" if round_is_exercise(round_) else round_.title
    workbook.properties.title = title
    _sheet(workbook, _("Round"), header, rows, first=True)
    return _xlsx_bytes(workbook)


# --- a compiled picture: PDF -----------------------------------------------------------


def compilation_aggregates(compilation) -> dict:
    """The published (frozen) aggregates, or those computed now for a draft."""
    if compilation.aggregates is not None and compilation.published_at is not None:
        return compilation.aggregates
    return compute_aggregates(compilation.round, compilation.office)


def _compilation_place(compilation) -> str:
    return compilation.office.name if compilation.office_id else _("National")


def _pdf(title: str, exercise: bool):
    from fpdf import FPDF

    class ReportPDF(FPDF):
        """A4 with the title in the header from page 2, ØVELSE on every page of an
        exercise, and "page x of n" in the footer."""

        def __init__(self):
            super().__init__(orientation="portrait", unit="mm", format="A4")
            self.word_widths = {}
            self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
            self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
            self.set_margins(STYLE.margin, STYLE.margin + 4, STYLE.margin)
            self.set_auto_page_break(True, margin=STYLE.margin + 2)
            self.alias_nb_pages()

        def header(self):
            self.set_y(8)
            self.set_font("DejaVu", "", STYLE.small)
            self.set_text_color(*STYLE.grey)
            if self.page_no() > 1:
                self.cell(self.epw * 0.75, 5, title[:90])
            if exercise:
                self.set_font("DejaVu", "B", STYLE.text)
                self.set_text_color(*STYLE.red)
                self.set_x(self.l_margin)
                self.cell(self.epw, 5, EXERCISE_MARK, align="R")
            self.set_text_color(*STYLE.black)
            self.set_y(self.t_margin)

        def footer(self):
            self.set_y(-14)
            self.set_font("DejaVu", "", STYLE.small)
            self.set_text_color(*STYLE.grey)
            self.cell(
                self.epw * 0.7, 5, _("Samvirke · exported %(when)s") % {"when": norwegian(now)}
            )
            self.cell(
                self.epw * 0.3,
                5,
                _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
                align="R",
            )
            self.set_text_color(*STYLE.black)

    now = timezone.now()
    pdf = ReportPDF()
    pdf.set_title(f"{EXERCISE_MARK}: {title}" if exercise else title)
    pdf.set_creator("Samvirke")
    pdf.set_lang("nb")
    pdf.set_creation_date(now)
    pdf.add_page()
    if exercise:
        from fpdf.enums import XPos, YPos

        pdf.set_font("DejaVu", "B", 24)
        pdf.set_text_color(255, 255, 255)
        pdf.set_fill_color(*STYLE.red)
        pdf.cell(0, 14, EXERCISE_MARK, align="C", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*STYLE.black)
        pdf.set_font("DejaVu", "", STYLE.text)
        _para(pdf, 6, _("This is an exercise."), align="C")
        pdf.ln(4)
    return pdf


def _heading(pdf, text, size=14):
    from fpdf.enums import XPos, YPos

    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", size)
    pdf.cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", STYLE.text)


def _table(pdf, header, rows, widths):
    """A simple table; each cell is cut to its width (numbers and short labels)."""
    from fpdf.enums import XPos, YPos

    total = sum(widths)
    widths = [pdf.epw * w / total for w in widths]

    def line(values, bold=False):
        pdf.set_font("DejaVu", "B" if bold else "", STYLE.small)
        for i, (value, width) in enumerate(zip(values, widths, strict=True)):
            text = "" if value is None else str(value)
            while text and pdf.get_string_width(text) > width - 2 * pdf.c_margin:
                text = text[:-2] + "…" if len(text) > 2 else ""
            last = i == len(widths) - 1
            pdf.cell(
                width,
                5.5,
                text,
                border="B",
                align="L" if i == 0 else "R",
                new_x=XPos.LMARGIN if last else XPos.RIGHT,
                new_y=YPos.NEXT if last else YPos.TOP,
            )

    pdf.set_draw_color(*STYLE.rule)
    line(header, bold=True)
    for row in rows:
        if pdf.will_page_break(6):
            pdf.add_page()
            line(header, bold=True)
        line(row)
    pdf.set_font("DejaVu", "", STYLE.text)


def compilation_pdf(compilation) -> bytes:
    """The compiled picture: title, round, region, when it was published, the counts,
    the sums of the number fields, the status distribution per sector, the municipalities
    needing help and the assessment. ``compilation`` comes from ``visible_to``."""
    round_ = compilation.round
    exercise = round_is_exercise(round_)
    aggregates = compilation_aggregates(compilation)
    place = _compilation_place(compilation)
    title = _("Situation picture: %(round)s") % {"round": round_.title}
    pdf = _pdf(title, exercise)

    pdf.set_font("DejaVu", "", 12)
    pdf.set_text_color(*STYLE.grey)
    _para(pdf, 8, _("Compiled situation report") + f" · {place}")
    pdf.set_text_color(*STYLE.black)
    pdf.set_font("DejaVu", "B", 20)
    _para(pdf, 10, round_.title)
    pdf.ln(4)
    counts = aggregates.get("counts", {})
    _write_pairs(
        pdf,
        [
            (_("Reporting round"), round_.title),
            (_("Level"), str(compilation.get_level_display())),
            (_("Region"), place),
            (_("Compiled by"), compilation.author_org.name),
            (
                _("Published"),
                norwegian(compilation.published_at)
                if compilation.published_at
                else _("Not published (draft)"),
            ),
            (_("Deadline"), norwegian(round_.deadline)),
            (_("Exercise"), _("Yes") if exercise else _("No")),
        ],
    )

    _heading(pdf, _("Reports"))
    _write_pairs(
        pdf,
        [
            (_("Recipients"), str(counts.get("recipients", 0))),
            (_("Submitted"), str(counts.get("submitted", 0))),
            (_("of which late"), str(counts.get("late", 0))),
            (_("Missing"), str(counts.get("missing", 0))),
            (_("Not submitted yet"), str(counts.get("awaiting", 0))),
        ],
    )

    numbers = aggregates.get("numbers", {})
    if numbers:
        _heading(pdf, _("Numbers"))
        _table(
            pdf,
            [_("Field"), _("Sum"), _("Reports"), _("Min"), _("Max")],
            [
                [
                    n["label"] + (f" ({n['unit']})" if n.get("unit") else ""),
                    n.get("sum") or "–",
                    n.get("count", 0),
                    n.get("min") or "–",
                    n.get("max") or "–",
                ]
                for n in numbers.values()
            ],
            [8, 2, 2, 2, 2],
        )

    statuses = aggregates.get("statuses", {})
    if statuses:
        _heading(pdf, _("Status per sector"))
        _table(
            pdf,
            [
                _("Sector"),
                str(STATUSES["green"]),
                str(STATUSES["yellow"]),
                str(STATUSES["red"]),
                _("Not given"),
            ],  # fmt: skip
            [[s["label"], s["green"], s["yellow"], s["red"], s["none"]] for s in statuses.values()],
            [8, 2, 2, 2, 2],
        )

    _heading(pdf, _("Municipalities needing help"))
    needs = aggregates.get("needs_help", [])
    if needs:
        _write_pairs(pdf, [(n["municipality"], ", ".join(n["reasons"])) for n in needs])
    else:
        _para(pdf, 6, _("No municipality reported a need for help."))

    _heading(pdf, _("Assessment"))
    _para(pdf, 5.5, compilation.picture_assessment or _("No assessment written yet."))
    return bytes(pdf.output())


# --- a compiled picture: EDXL-SitRep 1.0 -----------------------------------------------
#
# OASIS EDXL-SitRep 1.0, Committee Specification 02 (06 Oct 2016). The official schema
# files are not available offline (../shared/standards/README.md), so the document is
# built from what could be verified of CS02 (see docs/decisions/0002-reporting-exports.md):
#
# * root ``sitRep`` in ``urn:oasis:names:tc:emergency:EDXL:SitRep:1.0``; element names are
#   lowerCamelCase and their order is fixed (SITREP_ORDER below);
# * ``preparedBy`` / ``authorizedBy`` are EDXL-CT PersonTimePairs (ct:personDetails with a
#   CIQ xNL person name, ct:timeValue); ``forTimePeriod`` is ct:fromDateTime/ct:toDateTime;
# * times are EDXLDateTime: seconds, an explicit offset (+01:00), never "Z";
# * the report body is ``report`` with ``xsi:type="sitrep:FieldObservationType"``.
#
# All construction happens in :func:`sitrep_document`, from one plain dict, so a schema
# validation (xmlschema with ``allow="sandbox"``) can be added in one place once the XSDs
# are in the project.

SITREP_NS = "urn:oasis:names:tc:emergency:EDXL:SitRep:1.0"
CT_NS = "urn:oasis:names:tc:emergency:edxl:ct:1.0"
XNL_NS = "urn:oasis:names:tc:emergency:edxl:ciq:1.0:xnl"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NAMESPACES = {"sitrep": SITREP_NS, "ct": CT_NS, "xnl": XNL_NS, "xsi": XSI_NS}

#: The children of ``sitRep`` in schema order, with how often each may occur.
SITREP_ORDER = (
    ("messageID", "1"),
    ("preparedBy", "1"),
    ("authorizedBy", "1"),
    ("reportPurpose", "1"),  # free text (ct:EDXLStringType), not an enumeration
    ("reportNumber", "1"),
    ("reportVersion", "1"),
    ("forTimePeriod", "1"),
    ("reportTitle", "?"),
    ("incidentID", "+"),
    ("incidentLifecyclePhase", "*"),
    ("originatingMessageID", "?"),
    ("precedingMessageID", "*"),
    ("urgency", "?"),
    ("reportConfidence", "1"),
    ("severity", "?"),
    ("reportingLocation", "?"),
    ("actionPlan", "?"),
    ("nextContact", "?"),
    ("report", "1"),
)
#: FieldObservationType's children in order.
FIELD_OBSERVATION_ORDER = (
    ("observationLocation", "1"),
    ("immediateNeeds", "1"),
    ("immediateNeedsCategory", "*"),
    ("observationText", "1"),
)

# The default value lists of CS02.
REPORT_VERSIONS = ("Initial", "Update", "Final")
LIFECYCLE_PHASES = ("Preparedness", "Response", "Mitigation", "Recovery")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
CONFIDENCES = ("HighlyConfident", "SomewhatConfident", "Unsure", "NoConfidence")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
IMMEDIATE_NEEDS_CATEGORIES = (
    "EmergencyMedicalServices",
    "FireAndHazardousMaterials",
    "IncidentManagement",
    "LawEnforcement",
    "MassCare",
    "MedicalAndPublicHealth",
    "PublicWorks",
    "SearchAndRescue",
)

for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def edxl_datetime(value: datetime) -> str:
    """EDXLDateTime: no fractional seconds, an explicit offset, never "Z"."""
    return timezone.localtime(value, OSLO).replace(microsecond=0).isoformat()


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def sitrep_document(values: dict) -> bytes:
    """The EDXL-SitRep XML from ``values`` (keys as in SITREP_ORDER; see
    :func:`sitrep_values`). Every element is made here, in schema order."""

    def text(parent, name, value, ns=SITREP_NS):
        element = ET.SubElement(parent, _q(ns, name))
        element.text = str(value)
        return element

    def person_time(parent, name, person, when):
        pair = ET.SubElement(parent, _q(SITREP_NS, name))
        details = ET.SubElement(pair, _q(CT_NS, "personDetails"))
        person_name = ET.SubElement(details, _q(XNL_NS, "personName"))
        text(person_name, "nameElement", person, XNL_NS)
        text(pair, "timeValue", edxl_datetime(when), CT_NS)

    root = ET.Element(_q(SITREP_NS, "sitRep"))
    for name, _occurs in SITREP_ORDER:
        value = values.get(name)
        if value is None or value == []:
            continue
        if name in ("preparedBy", "authorizedBy"):
            person_time(root, name, *value)
        elif name == "forTimePeriod":
            period = ET.SubElement(root, _q(SITREP_NS, name))
            text(period, "fromDateTime", edxl_datetime(value[0]), CT_NS)
            text(period, "toDateTime", edxl_datetime(value[1]), CT_NS)
        elif name == "report":
            report = ET.SubElement(root, _q(SITREP_NS, "report"))
            report.set(_q(XSI_NS, "type"), "sitrep:FieldObservationType")
            for child, _occurs in FIELD_OBSERVATION_ORDER:
                child_value = value.get(child)
                if child == "observationLocation":
                    location = ET.SubElement(report, _q(SITREP_NS, child))
                    political = ET.SubElement(location, _q(CT_NS, "EDXLGeoPoliticalLocation"))
                    geo_code = ET.SubElement(political, _q(CT_NS, "geoCode"))
                    text(geo_code, "valueListURI", child_value[0], CT_NS)
                    text(geo_code, "value", child_value[1], CT_NS)
                elif isinstance(child_value, list | tuple):
                    for item in child_value:
                        text(report, child, item)
                elif child_value is not None:
                    text(report, child, child_value)
        elif isinstance(value, list | tuple):
            for item in value:
                text(root, name, item)
        else:
            text(root, name, value)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _worst_status(aggregates) -> str | None:
    totals = {"red": 0, "yellow": 0, "green": 0}
    for status in aggregates.get("statuses", {}).values():
        for key in totals:
            totals[key] += status.get(key, 0)
    for key in ("red", "yellow", "green"):
        if totals[key]:
            return key
    return None


#: The worst sector status reported → (urgency, severity).
URGENCY_SEVERITY = {
    "red": ("Immediate", "Severe"),
    "yellow": ("Expected", "Moderate"),
    "green": ("Future", "Minor"),
    None: ("Unknown", "Unknown"),
}


def _confidence(counts) -> str:
    """How much of the region answered: the picture is as sure as its coverage."""
    recipients = counts.get("recipients", 0)
    rate = counts.get("submitted", 0) / recipients if recipients else 0
    if rate >= 0.9:
        return "HighlyConfident"
    if rate >= 0.5:
        return "SomewhatConfident"
    if rate > 0:
        return "Unsure"
    return "NoConfidence"


def _observation_text(compilation, aggregates) -> str:
    counts = aggregates.get("counts", {})
    lines = [
        _("Assessment: %(text)s")
        % {"text": compilation.picture_assessment or _("No assessment written yet.")},
        _(
            "Reports: %(submitted)s of %(recipients)s submitted (%(late)s late), "
            "%(missing)s missing, %(awaiting)s not yet due."
        )
        % {k: counts.get(k, 0) for k in ("submitted", "recipients", "late", "missing", "awaiting")},
    ]
    for status in aggregates.get("statuses", {}).values():
        lines.append(
            f"{status['label']}: "
            + ", ".join(f"{STATUSES[k]} {status.get(k, 0)}" for k in ("green", "yellow", "red"))
            + f", {_('not given')} {status.get('none', 0)}"
        )
    for number in aggregates.get("numbers", {}).values():
        if number.get("sum") is not None:
            unit = f" {number['unit']}" if number.get("unit") else ""
            lines.append(f"{number['label']}: {number['sum']}{unit}")
    return "\n".join(lines)


def sitrep_values(compilation) -> dict:
    """What the compiled picture says, in EDXL-SitRep's terms."""
    round_ = compilation.round
    aggregates = compilation_aggregates(compilation)
    counts = aggregates.get("counts", {})
    exercise = round_is_exercise(round_)
    now = timezone.now()
    when = compilation.published_at or now
    person = (
        (compilation.published_by.get_full_name() or compilation.published_by.username)
        if compilation.published_by_id
        else compilation.author_org.name
    )
    person = f"{person}, {compilation.author_org.name}" if compilation.published_by_id else person
    place = _compilation_place(compilation)
    purpose = _("Compiled situation picture from %(org)s for the reporting round “%(round)s”.") % {
        "org": compilation.author_org.name,
        "round": round_.title,
    }
    title = f"{round_.title} – {place}"
    if exercise:
        purpose = f"{EXERCISE_MARK}: {purpose}"
        title = f"{EXERCISE_MARK}: {title}"
    if compilation.published_at is None:
        version = "Initial"
    else:
        version = "Final" if round_.closed_at else "Update"
    # The published picture's number; a draft (its author's preview) counts its saves.
    number = compilation.published_version or compilation.version
    urgency, severity = URGENCY_SEVERITY[_worst_status(aggregates)]
    incident_ids = [f"urn:samvirke:round:{round_.uuid}"]
    if round_.frame_id:
        incident_ids.insert(0, f"urn:samvirke:crisis-frame:{round_.frame.uuid}")
    if round_.incident_id:
        incident_ids.insert(0, f"urn:samvirke:incident:{round_.incident.uuid}")
    needs = aggregates.get("needs_help", [])
    if compilation.office_id:
        location = ("urn:samvirke:state-administrator-region", compilation.office.name)
    else:
        location = ("urn:iso:std:iso:3166:-1", "NO")
    return {
        "messageID": f"urn:samvirke:sitrep:{compilation.uuid}:{number}",
        "preparedBy": (person, when),
        "authorizedBy": (person, when),
        "reportPurpose": purpose,
        "reportNumber": number,
        "reportVersion": version,
        "forTimePeriod": (round_.opened_at, when),
        "reportTitle": title,
        "incidentID": incident_ids,
        "incidentLifecyclePhase": ["Response"],
        "urgency": urgency,
        "reportConfidence": _confidence(counts),
        "severity": severity,
        "report": {
            "observationLocation": location,
            "immediateNeeds": "; ".join(
                f"{n['municipality']}: {', '.join(n['reasons'])}" for n in needs
            )
            or _("No municipality reported a need for help."),
            "observationText": _observation_text(compilation, aggregates),
        },
    }


def compilation_edxl(compilation) -> bytes:
    """The compiled picture as an EDXL-SitRep 1.0 document (CS02)."""
    return sitrep_document(sitrep_values(compilation))


# --- KS summaries ----------------------------------------------------------------------


def _period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    lower = timezone.make_aware(datetime.combine(start, time.min), OSLO)
    upper = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), OSLO)
    return lower, upper


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
    from incidents.models import Incident, IncidentType
    from networks.models import NetworkMembership, Organisation, OrganisationKind

    if not may_summarise(user):
        raise PermissionDenied
    lower, upper = _period_bounds(start, end)
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
    totals = {"rounds": 0, "recipients": 0, "submitted": 0, "late": 0, "missing": 0, "awaiting": 0}
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


def ks_summary_xlsx(summary, progress: Progress = _no_progress) -> bytes:
    """Four sheets: the summary, the rounds (exercises labelled), the status
    distribution per sector and the incidents per type."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = _summary_title(summary)
    _sheet(
        workbook,
        _("Summary"),
        [_("What"), _("Value")],
        [[label, value] for label, value in _summary_pairs(summary)],
        first=True,
    )
    progress(70)
    _sheet(
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
    _sheet(
        workbook,
        _("Sectors"),
        [
            _("Sector"),
            str(STATUSES["green"]),
            str(STATUSES["yellow"]),
            str(STATUSES["red"]),
            _("Total"),
        ],  # fmt: skip
        [[s["label"], s["green"], s["yellow"], s["red"], s["total"]] for s in summary["sectors"]],
    )
    _sheet(
        workbook,
        _("Incidents"),
        [_("Type"), _("Incidents")],
        [[i["label"], i["count"]] for i in summary["incidents"]],
    )
    return _xlsx_bytes(workbook)


def ks_summary_pdf(summary, progress: Progress = _no_progress) -> bytes:
    """The summary, the status distribution per sector, incidents per type and the list
    of rounds."""
    title = _summary_title(summary)
    pdf = _pdf(title, exercise=False)
    pdf.set_font("DejaVu", "B", 18)
    _para(pdf, 9, title)
    pdf.ln(3)
    if summary["include_exercises"] and summary["totals"].get("exercise_rounds"):
        pdf.set_font("DejaVu", "B", STYLE.text)
        pdf.set_text_color(*STYLE.red)
        _para(
            pdf,
            5.5,
            _("Includes %(count)s exercise round(s), marked %(mark)s.")
            % {"count": summary["totals"]["exercise_rounds"], "mark": EXERCISE_MARK},
        )
        pdf.set_text_color(*STYLE.black)
    _write_pairs(pdf, [(label, str(value)) for label, value in _summary_pairs(summary)])
    progress(70)

    _heading(pdf, _("Status per sector"))
    if summary["sectors"]:
        _table(
            pdf,
            [
                _("Sector"),
                str(STATUSES["green"]),
                str(STATUSES["yellow"]),
                str(STATUSES["red"]),
                _("Total"),
            ],  # fmt: skip
            [
                [s["label"], s["green"], s["yellow"], s["red"], s["total"]]
                for s in summary["sectors"]
            ],  # fmt: skip
            [8, 2, 2, 2, 2],
        )
    else:
        _para(pdf, 6, _("No sector statuses were reported."))

    _heading(pdf, _("Incidents per type"))
    if summary["incidents"]:
        _table(
            pdf,
            [_("Type"), _("Incidents")],
            [[i["label"], i["count"]] for i in summary["incidents"]],
            [8, 2],
        )
    else:
        _para(pdf, 6, _("No incidents in the period."))
    progress(85)

    _heading(pdf, _("Rounds"))
    if summary["rounds"]:
        _table(
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
        _para(pdf, 6, _("No rounds in the period."))
    return bytes(pdf.output())


# --- export requests and jobs ----------------------------------------------------------

#: Kinds that are made from a round, a compilation, or a KS summary's parameters.
ROUND_KINDS = (ExportKind.ROUND_CSV, ExportKind.ROUND_XLSX)
COMPILATION_KINDS = (ExportKind.COMPILATION_PDF, ExportKind.COMPILATION_EDXL)
SUMMARY_KINDS = (ExportKind.KS_SUMMARY_XLSX, ExportKind.KS_SUMMARY_PDF)
MAX_SUMMARY_DAYS = 366 * 5


def _uuid_param(params, key):
    import uuid

    try:
        return uuid.UUID(str(params.get(key, "")))
    except ValueError as error:
        raise ValidationError(
            {key: [_("Give the id (UUID) of the %(what)s.") % {"what": key}]}
        ) from error


def _date_param(params, key, errors):
    value = params.get(key)
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        errors[key] = [_("Enter a date as YYYY-MM-DD.")]
    return parsed


def resolve_export(user, kind, params) -> dict:
    """Check an export request as ``user`` and return what it is made from: ``round``,
    ``compilation`` or the summary's ``network``/``start``/``end``/``include_exercises``.

    Raises ValidationError (per parameter) for bad input, Http404 for an object the user
    does not see, PermissionDenied for one the user sees but may not export. Called when
    the export is asked for and again when the task runs (roles may have changed)."""
    from networks.models import Network

    if kind not in ExportKind.values:
        raise ValidationError(
            {"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(ExportKind.values)}]}
        )
    if not isinstance(params, dict):
        raise ValidationError({"params": [_("The parameters must be an object.")]})
    if kind in ROUND_KINDS:
        round_id = _uuid_param(params, "round")
        round_ = (
            ReportingRound.objects.visible_to(user)
            .select_related("form_version", "frame", "issuer")
            .filter(uuid=round_id)
            .first()
        )
        if round_ is None:
            raise Http404
        if not may_export_round(user, round_):
            raise PermissionDenied
        return {"round": round_}
    if kind in COMPILATION_KINDS:
        compilation_id = _uuid_param(params, "compilation")
        compilation = (
            Compilation.objects.visible_to(user)
            .select_related(
                "round__form_version",
                "round__frame",
                "round__incident",
                "office",
                "author_org",
                "published_by",
            )
            .filter(uuid=compilation_id)
            .first()
        )
        if compilation is None:
            raise Http404
        return {"compilation": compilation}
    if not may_summarise(user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    start = _date_param(params, "start", errors)
    end = _date_param(params, "end", errors)
    if start and end:
        if end < start:
            errors["end"] = [_("The end cannot be before the start.")]
        elif (end - start).days > MAX_SUMMARY_DAYS:
            errors["end"] = [_("A summary covers at most five years.")]
    network = None
    slug = params.get("network")
    if slug not in (None, ""):
        network = Network.objects.visible_to(user).filter(slug=str(slug)).first()
        if network is None:
            errors["network"] = [_("There is no network “%(slug)s”.") % {"slug": slug}]
    include = params.get("include_exercises", False)
    if not isinstance(include, bool):
        errors["include_exercises"] = [_("Must be true or false.")]
    if errors:
        raise ValidationError(errors)
    return {"network": network, "start": start, "end": end, "include_exercises": include}


def clean_params(kind, resolved) -> dict:
    """The parameters stored on the job (JSON)."""
    if kind in ROUND_KINDS:
        return {"round": str(resolved["round"].uuid)}
    if kind in COMPILATION_KINDS:
        return {"compilation": str(resolved["compilation"].uuid)}
    return {
        "network": resolved["network"].slug if resolved["network"] else None,
        "start": resolved["start"].isoformat(),
        "end": resolved["end"].isoformat(),
        "include_exercises": resolved["include_exercises"],
    }


def build_export(user, kind, params, progress: Progress = _no_progress):
    """(content, file name, content type) of an export, made as ``user``."""
    resolved = resolve_export(user, kind, params)
    progress(10)
    if kind in ROUND_KINDS:
        round_ = resolved["round"]
        exercise = round_is_exercise(round_)
        if kind == ExportKind.ROUND_CSV:
            content, extension = round_csv(round_, user, progress), "csv"
        else:
            content, extension = round_xlsx(round_, user, progress), "xlsx"
        return (
            content,
            _filename(f"runde-{round_.title}", extension, exercise),
            CONTENT_TYPES[extension],
        )
    if kind in COMPILATION_KINDS:
        compilation = resolved["compilation"]
        exercise = round_is_exercise(compilation.round)
        stem = f"situasjonsbilde-{compilation.round.title}-{_compilation_place(compilation)}"
        if kind == ExportKind.COMPILATION_PDF:
            content, extension = compilation_pdf(compilation), "pdf"
        else:
            content, extension = compilation_edxl(compilation), "xml"
        progress(80)
        return content, _filename(stem, extension, exercise), CONTENT_TYPES[extension]
    summary = ks_summary(user=user, **resolved)
    progress(50)
    scope = resolved["network"].slug if resolved["network"] else "alle-kommuner"
    stem = f"ks-sammendrag-{scope}-{resolved['start']:%Y%m%d}-{resolved['end']:%Y%m%d}"
    if kind == ExportKind.KS_SUMMARY_XLSX:
        content, extension = ks_summary_xlsx(summary, progress), "xlsx"
    else:
        content, extension = ks_summary_pdf(summary, progress), "pdf"
    return content, _filename(stem, extension, False), CONTENT_TYPES[extension]


class ExportExpired(Exception):
    """The export's file was kept for its retention period and is deleted (or due)."""


def check_download(job: ExportJob, user) -> None:
    """Before an export's file is served (page and API): ``user`` must still see and be
    allowed to export what it was made from — roles change after the file was made, and an
    officer who left the office gets 404 like any outsider, whatever the file holds — and
    the file must not have expired (:class:`ExportExpired`; the views answer 410)."""
    try:
        resolve_export(user, job.kind, job.params)
    except (Http404, PermissionDenied, ValidationError, ObjectDoesNotExist) as error:
        raise Http404 from error
    if job.is_expired:
        raise ExportExpired


def retention() -> timedelta:
    """How long an export's file is kept (``SAMVIRKE_EXPORT_RETENTION_DAYS``)."""
    return timedelta(days=settings.SAMVIRKE_EXPORT_RETENTION_DAYS)


def do_request_export(*, acting_user, kind, params) -> ExportJob:
    """Ask for an export: checked now (bad input, not found, not allowed raise at once),
    made by ``reporting.exports.tasks.run_export`` after the transaction commits.

    Kept here rather than in ``reporting/actions.py``: an export writes nothing but its
    own job row, and everything it checks lives in this module."""
    from django.db import transaction

    resolved = resolve_export(acting_user, kind, params)
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=acting_user,
            kind=kind,
            params=clean_params(kind, resolved),
            state=ExportState.QUEUED,
        )
        from portal.outbox import enqueue_after_commit
        from reporting.exports.tasks import run_export

        enqueue_after_commit(run_export, job.pk)
    return job
