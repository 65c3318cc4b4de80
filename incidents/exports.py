"""Exports of an incident's log (hendelseslogg) as CSV and PDF, for evaluation and archiving.

Both the page (``incidents:export``) and the API (``api:incident-export``) call
:func:`export_response`. What goes in is decided by the access layer alone: the entries
``LogEntry.objects.visible_to(user)`` returns for the incident, nothing else. Entries
marked *unntatt offentlighet* are either left out or kept with their text (and attachment
names) replaced by the marking — the user chooses.

Times are Europe/Oslo: ISO 8601 with offset in CSV, ``dd.mm.yyyy HH:MM`` in the PDF.

Three markings stay in Norwegian whatever the interface language, as they would be stamped
on a paper document: ``ØVELSE`` (exercise), ``Unntatt offentlighet – offentleglova § …``
and the redaction text. Everything else is translated.
"""

from __future__ import annotations

import csv
import logging
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch, TextChoices
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.models import Attachment, Correction, Incident, LogEntry
from portal.spreadsheets import safe_cell

logger = logging.getLogger(__name__)
# fontTools reports every table it prunes when fpdf2 subsets the font.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

OSLO = ZoneInfo("Europe/Oslo")
EXERCISE_MARK = "ØVELSE"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"
CSV_DELIMITER = ";"  # what Excel expects in a Norwegian locale


class ExportFormat(TextChoices):
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


class ExemptHandling(TextChoices):
    OMIT = "omit", gettext_lazy("Leave out exempt entries")
    REDACT = "redact", gettext_lazy("Include them with the text redacted")


def exemption_marking(basis: str) -> str:
    """``Unntatt offentlighet – offentleglova § 24`` for a basis written "§ 24" (the form
    the entry form asks for), "24" or "offentleglova § 24"."""
    basis = (basis or "").strip()
    if "offentleglova" not in basis.lower():
        basis = f"offentleglova {basis}" if basis.startswith("§") else f"offentleglova § {basis}"
    return f"Unntatt offentlighet – {basis}"


def redaction_text(entry: LogEntry) -> str:
    return f"[{exemption_marking(entry.exempt_basis)}]"


# --- what goes in ------------------------------------------------------------------------


def with_relations(queryset, user):
    """Everything an entry's representation shows, in a constant number of queries:
    author, organisation, incident and corrected entry joined; attachments, the visible
    corrections and the visible links prefetched (one query each)."""
    visible = LogEntry.objects.visible_to(user)
    return queryset.select_related(
        "incident", "organisation", "author", "corrects"
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("name", "id")),
        Prefetch(
            "corrections",
            queryset=visible.only("id", "uuid", "corrects_id", "correction_type").order_by(
                "recorded_at", "id"
            ),
            to_attr="visible_corrections",
        ),
        Prefetch(
            "links", queryset=visible.only("id", "uuid").order_by("id"), to_attr="visible_links"
        ),
    )


def export_entries(incident: Incident, user, exempt: str):
    """The incident's entries the user may see, in the order they happened."""
    queryset = LogEntry.objects.visible_to(user).filter(incident=incident)
    if exempt == ExemptHandling.OMIT:
        queryset = queryset.filter(exempt=False)
    return with_relations(queryset, user).order_by("occurred_at", "recorded_at", "id")


def author_name(user) -> str:
    return user.get_full_name() or user.username


def short_id(uuid) -> str:
    return str(uuid)[:8]


def oslo(value: datetime | None) -> datetime | None:
    return timezone.localtime(value, OSLO) if value else None


def iso(value: datetime | None) -> str:
    return oslo(value).isoformat(timespec="seconds") if value else ""


def norwegian(value: datetime | None) -> str:
    return oslo(value).strftime("%d.%m.%Y %H:%M") if value else ""


def filename(incident: Incident, extension: str) -> str:
    stem = slugify(incident.title)[:60] or "hendelse"
    prefix = "ovelse-" if incident.is_exercise else ""
    return f"{prefix}hendelseslogg-{stem}-{timezone.localdate(timezone=OSLO):%Y-%m-%d}.{extension}"


def _audit(incident, user, fmt, exempt, count=None):
    logger.info(
        "incident log export: incident=%s user=%s format=%s exempt=%s entries=%s",
        incident.uuid,
        user.pk,
        fmt,
        exempt,
        count,
    )


# --- CSV -------------------------------------------------------------------------------

CSV_COLUMNS = [
    "no",
    "id",
    "incident",
    "exercise",
    "occurred_at",
    "recorded_at",
    "kind",
    "kind_label",
    "organisation",
    "author",
    "text",
    "exempt",
    "exempt_basis",
    "corrects",
    "correction_type",
    "corrected_by",
    "links",
    "attachments",
]


class _Echo:
    def write(self, value):
        return value


def csv_rows(incident: Incident, user, exempt: str):
    """Rows of the CSV as lists of strings (the header first). One row per entry;
    corrections are referenced by entry id both ways (``corrects``, ``corrected_by``)."""
    yield CSV_COLUMNS
    entries = export_entries(incident, user, exempt).iterator(chunk_size=1000)
    for number, entry in enumerate(entries, start=1):
        redacted = entry.exempt
        yield [
            str(number),
            str(entry.uuid),
            str(incident.uuid),
            "true" if incident.is_exercise else "false",
            iso(entry.occurred_at),
            iso(entry.recorded_at),
            entry.kind,
            str(entry.get_kind_display()),
            safe_cell(entry.organisation.name),
            safe_cell(author_name(entry.author)),
            redaction_text(entry) if redacted else safe_cell(entry.text),
            "true" if entry.exempt else "false",
            safe_cell(entry.exempt_basis),
            str(entry.corrects.uuid) if entry.corrects else "",
            entry.correction_type,
            " ".join(str(c.uuid) for c in entry.visible_corrections),
            " ".join(str(link.uuid) for link in entry.visible_links),
            ""
            if redacted
            else safe_cell(" | ".join(f"{a.name} ({a.size} B)" for a in entry.attachments.all())),
        ]


def csv_response(incident: Incident, user, exempt: str) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark (so Excel reads æøå), semicolon-separated, streamed
    so a long log never sits in memory."""
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)

    def stream():
        yield "\ufeff"
        for row in csv_rows(incident, user, exempt):
            yield writer.writerow(row)

    _audit(incident, user, ExportFormat.CSV, exempt)
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in stream()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename(incident, "csv"))
    return response


# --- PDF -------------------------------------------------------------------------------


@dataclass
class _Style:
    margin: float = 18
    text: int = 10
    small: int = 8
    grey: tuple = (90, 90, 90)
    red: tuple = (180, 20, 30)
    black: tuple = (20, 20, 20)
    rule: tuple = (200, 200, 200)


STYLE = _Style()


def _pdf_class():
    from fpdf import FPDF

    class LogPDF(FPDF):
        """A4 with the incident's name in the header, ØVELSE on every page of an
        exercise, and "page x of n" in the footer."""

        def __init__(self, incident, exported_line):
            super().__init__(orientation="portrait", unit="mm", format="A4")
            self.incident = incident
            self.exported_line = exported_line
            self.word_widths = {}
            self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
            self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
            # Strikethrough is drawn, so the regular faces serve "S" and "BS" too.
            self.set_margins(STYLE.margin, STYLE.margin + 4, STYLE.margin)
            self.set_auto_page_break(True, margin=STYLE.margin + 2)
            self.alias_nb_pages()

        def header(self):
            self.set_y(8)
            self.set_font("DejaVu", "", STYLE.small)
            self.set_text_color(*STYLE.grey)
            if self.page_no() > 1:
                self.cell(
                    self.epw * 0.75,
                    5,
                    _("Incident log: %(title)s") % {"title": self.incident.title},
                )
            if self.incident.is_exercise:
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
            self.cell(self.epw * 0.7, 5, self.exported_line)
            self.cell(
                self.epw * 0.3,
                5,
                _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
                align="R",
            )
            self.set_text_color(*STYLE.black)

    return LogPDF


def _facts(incident: Incident) -> list[tuple[str, str]]:
    period = (
        norwegian(incident.started_at)
        + " – "
        + (norwegian(incident.ended_at) if incident.ended_at else _("ongoing"))
    )
    municipalities = ", ".join(m.label for m in incident.affected_municipalities.all())
    return [
        (_("Owner"), incident.owner.name),
        (_("Type"), str(incident.get_type_display())),
        (_("Severity"), str(incident.get_severity_display())),
        (_("Status"), str(incident.get_status_display())),
        (_("Period"), period),
        (_("Crisis frame"), incident.frame.title if incident.frame else "–"),
        (
            _("Crisis management set up"),
            _("Yes") if incident.crisis_management_active else _("No"),
        ),
        (_("Affected municipalities"), municipalities or "–"),
    ]


def _lines(pdf, text: str, width: float) -> list[str]:
    """Greedy word wrap with each word's width measured once per font. fpdf2's
    multi_cell re-measures the growing line for every character it adds, which made
    a 1,000-entry log take seconds; this keeps the PDF export linear in the text."""
    cache = pdf.word_widths.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), {})

    def measure(word):
        w = cache.get(word)
        if w is None:
            w = cache[word] = pdf.get_string_width(word)
        return w

    space = measure(" ")
    lines = []
    for paragraph in text.replace("\r\n", "\n").replace("\t", "    ").split("\n"):
        line, line_width = [], 0.0
        for word in paragraph.split(" "):
            w = measure(word)
            if w > width:  # a word longer than the line (a URL): break it by characters
                if line:
                    lines.append(" ".join(line))
                    line, line_width = [], 0.0
                chunk = ""
                for char in word:
                    if chunk and pdf.get_string_width(chunk + char) > width:
                        lines.append(chunk)
                        chunk = ""
                    chunk += char
                word, w = chunk, pdf.get_string_width(chunk)
            if line and line_width + space + w > width:
                lines.append(" ".join(line))
                line, line_width = [], 0.0
            line_width += (space if line else 0) + w
            line.append(word)
        lines.append(" ".join(line))
    return lines


def _para(
    pdf,
    height: float,
    text: str,
    *,
    x: float | None = None,
    width: float | None = None,
    align: str = "L",
) -> int:
    """Write wrapped text from ``x`` (the left margin) over ``width`` (to the right
    margin); the page breaks between lines. Returns the number of lines."""
    from fpdf.enums import XPos, YPos

    x = pdf.l_margin if x is None else x
    width = pdf.l_margin + pdf.epw - x if width is None else width
    lines = _lines(pdf, text, width - 2 * pdf.c_margin)
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, height, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return len(lines)


def _write_pairs(pdf, pairs, label_width=58):
    """A two-column table of facts; a label or value may wrap."""
    from fpdf.enums import XPos, YPos

    value_width = pdf.epw - label_width
    for label, value in pairs:
        pdf.set_font("DejaVu", "B", STYLE.text)
        labels = _lines(pdf, label, label_width - 2 * pdf.c_margin)
        pdf.set_font("DejaVu", "", STYLE.text)
        values = _lines(pdf, value, value_width - 2 * pdf.c_margin)
        if pdf.will_page_break(6 * len(labels)):
            pdf.add_page()
        for i in range(max(len(labels), len(values))):
            pdf.set_font("DejaVu", "B", STYLE.text)
            pdf.cell(label_width, 6, labels[i] if i < len(labels) else "")
            pdf.set_font("DejaVu", "", STYLE.text)
            pdf.cell(
                value_width,
                6,
                values[i] if i < len(values) else "",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )


def render_pdf(incident: Incident, user, exempt: str) -> bytes:
    """The PDF as bytes: a title page, the incident's facts, then every entry the user may
    see with its times, author, kind, text, attachments, corrections and markings."""
    from fpdf.enums import XPos, YPos

    entries = list(export_entries(incident, user, exempt))
    numbers = {entry.pk: number for number, entry in enumerate(entries, start=1)}
    now = timezone.now()
    exported_line = _("Exported %(when)s by %(who)s") % {
        "when": norwegian(now),
        "who": author_name(user),
    }
    pdf = _pdf_class()(incident, exported_line)
    pdf.set_title(f"{EXERCISE_MARK}: {incident.title}" if incident.is_exercise else incident.title)
    pdf.set_author(incident.owner.name)
    pdf.set_creator("Samvirke")
    pdf.set_lang("nb")
    pdf.set_creation_date(now)

    # Title page
    pdf.add_page()
    if incident.is_exercise:
        pdf.set_font("DejaVu", "B", 28)
        pdf.set_text_color(255, 255, 255)
        pdf.set_fill_color(*STYLE.red)
        pdf.cell(0, 16, EXERCISE_MARK, align="C", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*STYLE.black)
        pdf.set_font("DejaVu", "", STYLE.text)
        _para(pdf, 6, _("This is an exercise. Nothing in this log happened."), align="C")
        pdf.ln(6)
    else:
        pdf.ln(20)
    pdf.set_font("DejaVu", "", 12)
    pdf.set_text_color(*STYLE.grey)
    pdf.cell(0, 8, _("Incident log"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*STYLE.black)
    pdf.set_font("DejaVu", "B", 22)
    _para(pdf, 11, incident.title)
    pdf.ln(6)
    exempt_count = sum(1 for e in entries if e.exempt)
    _write_pairs(
        pdf,
        [
            *_facts(incident),
            (_("Entries in this export"), str(len(entries))),
            (
                _("Exempt entries"),
                _("left out")
                if exempt == ExemptHandling.OMIT
                else _("%(count)s included with the text redacted") % {"count": exempt_count},
            ),
            (_("Exported by"), author_name(user)),
            (_("Exported at"), norwegian(now)),
        ],
    )
    pdf.ln(6)
    pdf.set_font("DejaVu", "", STYLE.small)
    pdf.set_text_color(*STYLE.grey)
    _para(
        pdf,
        5,
        _(
            "The export holds the entries of this log that the person who exported it may "
            "see. Times are Norwegian time (Europe/Oslo). A log entry is never changed: "
            "mistakes are corrected by later entries, referenced both ways."
        ),
    )
    pdf.set_text_color(*STYLE.black)

    # Incident facts
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, _("Incident facts"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    _write_pairs(pdf, _facts(incident))
    if incident.description:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", STYLE.text)
        pdf.cell(0, 6, _("Description"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", "", STYLE.text)
        _para(pdf, 5, incident.description)

    # The log
    pdf.ln(6)
    pdf.set_font("DejaVu", "B", 14)
    pdf.cell(0, 9, _("Log"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if not entries:
        pdf.set_font("DejaVu", "", STYLE.text)
        pdf.cell(0, 6, _("No entries."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for number, entry in enumerate(entries, start=1):
        _write_entry(pdf, entry, number, numbers)

    _audit(incident, user, ExportFormat.PDF, exempt, len(entries))
    return bytes(pdf.output())


def _reference(entry_id, uuid, numbers) -> str:
    number = numbers.get(entry_id)
    if number is None:
        return _("%(id)s (not in this export)") % {"id": short_id(uuid)}
    return f"#{number}"


def _write_entry(pdf, entry: LogEntry, number: int, numbers: dict):
    from fpdf.enums import XPos, YPos

    if pdf.will_page_break(24):
        pdf.add_page()
    pdf.set_draw_color(*STYLE.rule)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(2)

    pdf.set_font("DejaVu", "B", STYLE.text)
    pdf.cell(
        pdf.epw * 0.6,
        6,
        f"#{number}  {entry.get_kind_display()}",
        new_x=XPos.RIGHT,
        new_y=YPos.TOP,
    )
    pdf.cell(pdf.epw * 0.4, 6, norwegian(entry.occurred_at), align="R")
    pdf.ln(6)
    pdf.set_font("DejaVu", "", STYLE.small)
    pdf.set_text_color(*STYLE.grey)
    _para(
        pdf,
        4.5,
        _("Event time %(occurred)s · recorded %(recorded)s · %(author)s, %(org)s · id %(id)s")
        % {
            "occurred": norwegian(entry.occurred_at),
            "recorded": norwegian(entry.recorded_at),
            "author": author_name(entry.author),
            "org": entry.organisation.name,
            "id": short_id(entry.uuid),
        },
    )
    pdf.set_text_color(*STYLE.black)

    notes = []
    if entry.corrects_id:
        template = (
            _("Retracts entry %(ref)s")
            if entry.correction_type == Correction.RETRACTION
            else _("Corrects entry %(ref)s")
        )
        notes.append(
            template % {"ref": _reference(entry.corrects_id, entry.corrects.uuid, numbers)}
        )
    corrections = entry.visible_corrections
    for correction in corrections:
        template = (
            _("Retracted – see entry %(ref)s")
            if correction.correction_type == Correction.RETRACTION
            else _("Corrected – see entry %(ref)s")
        )
        notes.append(template % {"ref": _reference(correction.pk, correction.uuid, numbers)})
    if notes:
        pdf.set_font("DejaVu", "B", STYLE.small)
        pdf.set_text_color(*STYLE.red)
        _para(pdf, 4.5, "  ·  ".join(notes))
    if entry.exempt:
        pdf.set_font("DejaVu", "B", STYLE.small)
        pdf.set_text_color(*STYLE.red)
        _para(pdf, 4.5, exemption_marking(entry.exempt_basis))
    pdf.set_text_color(*STYLE.black)

    pdf.ln(1)
    pdf.set_font("DejaVu", "S" if corrections else "", STYLE.text)
    text = redaction_text(entry) if entry.exempt else entry.text
    _para(pdf, 5, text)

    pdf.set_font("DejaVu", "", STYLE.small)
    attachments = list(entry.attachments.all())
    if attachments:
        if entry.exempt:
            listed = _("%(count)s attachment(s), exempt") % {"count": len(attachments)}
        else:
            listed = "; ".join(f"{a.name} ({_size(a.size)}, {a.content_type})" for a in attachments)
        _para(pdf, 4.5, _("Attachments: %(list)s") % {"list": listed})
    if entry.visible_links:
        _para(
            pdf,
            4.5,
            _("See also: %(refs)s")
            % {
                "refs": ", ".join(
                    _reference(link.pk, link.uuid, numbers) for link in entry.visible_links
                )
            },
        )
    pdf.ln(3)


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB"
    return f"{size / 1024 / 1024:.1f} MB"


def pdf_response(incident: Incident, user, exempt: str) -> HttpResponse:
    started = time.monotonic()
    content = render_pdf(incident, user, exempt)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename(incident, "pdf"))
    logger.debug("PDF export took %.2f s", time.monotonic() - started)
    return response


def export_response(incident: Incident, user, fmt: str, exempt: str) -> HttpResponse:
    """The download, for the page and the API alike. ``incident`` must come from
    ``Incident.objects.visible_to(user)``; the entries are scoped here."""
    if fmt == ExportFormat.PDF:
        return pdf_response(incident, user, exempt)
    return csv_response(incident, user, exempt)


def incident_for_export(queryset):
    """The incident with what the title page shows, in one query plus one."""
    return queryset.select_related("owner", "frame").prefetch_related("affected_municipalities")
