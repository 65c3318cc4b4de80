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

import logging
import time

from django.db.models import Prefetch, TextChoices
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf.enums import XPos, YPos

from incidents.log.models import Attachment, Correction, Incident, LogEntry
from portal.exports.files import (
    CSV_TYPE,
    PDF_TYPE,
    dated_filename,
    download_response,
)
from portal.exports.pdf import STYLE, exercise_band, new_document, paragraph, write_pairs
from portal.exports.sheets import safe_cell, stream_csv
from portal.exports.times import iso, norwegian

logger = logging.getLogger(__name__)


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
        Prefetch("responds_to", queryset=visible.only("id", "uuid"), to_attr="visible_responds_to"),
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


def filename(incident: Incident, extension: str) -> str:
    return dated_filename(
        incident.title,
        extension,
        exercise=incident.is_exercise,
        prefix="hendelseslogg-",
        default="hendelse",
    )


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
    _audit(incident, user, ExportFormat.CSV, exempt)
    return download_response(
        stream_csv(csv_rows(incident, user, exempt)),
        filename(incident, "csv"),
        CSV_TYPE,
        streaming=True,
    )


# --- PDF -------------------------------------------------------------------------------


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


def render_pdf(incident: Incident, user, exempt: str) -> bytes:
    """The PDF as bytes: a title page, the incident's facts, then every entry the user may
    see with its times, author, kind, text, attachments, corrections and markings."""
    entries = list(export_entries(incident, user, exempt))
    numbers = {entry.pk: number for number, entry in enumerate(entries, start=1)}
    now = timezone.now()
    exported_line = _("Exported %(when)s by %(who)s") % {
        "when": norwegian(now),
        "who": author_name(user),
    }
    pdf = new_document(
        incident.title,
        exercise=incident.is_exercise,
        now=now,
        running_title=_("Incident log: %(title)s") % {"title": incident.title},
        footer_line=exported_line,
        author=incident.owner.name,
    )

    # Title page
    pdf.add_page()
    if incident.is_exercise:
        exercise_band(
            pdf,
            _("This is an exercise. Nothing in this log happened."),
            size=28,
            height=16,
            space=6,
        )
    else:
        pdf.ln(20)
    pdf.set_font("DejaVu", "", 12)
    pdf.set_text_color(*STYLE.grey)
    pdf.cell(0, 8, _("Incident log"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*STYLE.black)
    pdf.set_font("DejaVu", "B", 22)
    paragraph(pdf, 11, incident.title)
    pdf.ln(6)
    exempt_count = sum(1 for e in entries if e.exempt)
    write_pairs(
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
    paragraph(
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
    write_pairs(pdf, _facts(incident))
    if incident.description:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", STYLE.text)
        pdf.cell(0, 6, _("Description"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", "", STYLE.text)
        paragraph(pdf, 5, incident.description)

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
    paragraph(
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
        assert entry.corrects is not None  # entry.corrects_id is set
        notes.append(
            template % {"ref": _reference(entry.corrects_id, entry.corrects.uuid, numbers)}
        )
    # Both lists are set by the Prefetch(to_attr=...) in entries(), which the stubs cannot see.
    corrections: list[LogEntry] = entry.visible_corrections  # type: ignore[attr-defined]
    links: list[LogEntry] = entry.visible_links  # type: ignore[attr-defined]
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
        paragraph(pdf, 4.5, "  ·  ".join(notes))
    if entry.exempt:
        pdf.set_font("DejaVu", "B", STYLE.small)
        pdf.set_text_color(*STYLE.red)
        paragraph(pdf, 4.5, exemption_marking(entry.exempt_basis))
    pdf.set_text_color(*STYLE.black)

    pdf.ln(1)
    pdf.set_font("DejaVu", "S" if corrections else "", STYLE.text)
    text = redaction_text(entry) if entry.exempt else entry.text
    paragraph(pdf, 5, text)

    pdf.set_font("DejaVu", "", STYLE.small)
    attachments = list(entry.attachments.all())
    if attachments:
        if entry.exempt:
            listed = _("%(count)s attachment(s), exempt") % {"count": len(attachments)}
        else:
            listed = "; ".join(f"{a.name} ({_size(a.size)}, {a.content_type})" for a in attachments)
        paragraph(pdf, 4.5, _("Attachments: %(list)s") % {"list": listed})
    if links:
        paragraph(
            pdf,
            4.5,
            _("See also: %(refs)s")
            % {"refs": ", ".join(_reference(link.pk, link.uuid, numbers) for link in links)},
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
    response = download_response(content, filename(incident, "pdf"), PDF_TYPE)
    logger.debug("PDF export took %.2f s", time.monotonic() - started)
    return response


def export_response(
    incident: Incident, user, fmt: str, exempt: str
) -> HttpResponse | StreamingHttpResponse:
    """The download, for the page and the API alike. ``incident`` must come from
    ``Incident.objects.visible_to(user)``; the entries are scoped here."""
    if fmt == ExportFormat.PDF:
        return pdf_response(incident, user, exempt)
    return csv_response(incident, user, exempt)


def incident_for_export(queryset):
    """The incident with what the title page shows, in one query plus one."""
    return queryset.select_related("owner", "frame").prefetch_related("affected_municipalities")
