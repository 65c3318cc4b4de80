"""A4 PDF documents (fpdf2) with the bundled DejaVu fonts, so æøå and "–" print.

:class:`Document` draws the page header (a running title from page 2, ``ØVELSE`` on every
page of an exercise) and the footer (a line of its own and "page x of n");
:func:`new_document` sets the metadata, :func:`report_document` adds the first page with
the exercise band. The writers below break pages between lines and keep the PDF export
linear in the text (each word measured once per font).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.exports.files import EXERCISE_MARK
from portal.exports.times import norwegian

# fontTools reports every table it prunes when fpdf2 subsets the font.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "dejavu"


@dataclass(frozen=True)
class Style:
    margin: float = 18
    text: int = 10
    small: int = 8
    grey: tuple = (90, 90, 90)
    red: tuple = (180, 20, 30)
    black: tuple = (20, 20, 20)
    rule: tuple = (200, 200, 200)


STYLE = Style()


class Document(FPDF):
    """A4 portrait with ``running_title`` in the header from page 2, ``ØVELSE`` on every
    page of an exercise, and ``footer_line`` and "page x of n" in the footer."""

    def __init__(self, *, running_title: str, footer_line: str, exercise: bool):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self.footer_line = footer_line
        self.exercise = exercise
        self.word_widths: dict[tuple[str, str, float], dict[str, float]] = {}
        self.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        # Strikethrough is drawn, so the regular faces serve "S" and "BS" too.
        self.set_margins(STYLE.margin, STYLE.margin + 4, STYLE.margin)
        self.set_auto_page_break(True, margin=STYLE.margin + 2)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_y(8)
        self.set_font("DejaVu", "", STYLE.small)
        self.set_text_color(*STYLE.grey)
        if self.page_no() > 1:
            self.cell(self.epw * 0.75, 5, self.running_title)
        if self.exercise:
            self.set_font("DejaVu", "B", STYLE.text)
            self.set_text_color(*STYLE.red)
            self.set_x(self.l_margin)
            self.cell(self.epw, 5, EXERCISE_MARK, align="R")
        self.set_text_color(*STYLE.black)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("DejaVu", "", STYLE.small)
        self.set_text_color(*STYLE.grey)
        self.cell(self.epw * 0.7, 5, self.footer_line)
        self.cell(
            self.epw * 0.3,
            5,
            _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"},
            align="R",
        )
        self.set_text_color(*STYLE.black)


def new_document(
    title: str,
    *,
    exercise: bool,
    now: datetime,
    running_title: str,
    footer_line: str,
    author: str | None = None,
) -> Document:
    """A document with its metadata set (the title marked ``ØVELSE:`` for an exercise)
    and no page yet."""
    pdf = Document(running_title=running_title, footer_line=footer_line, exercise=exercise)
    pdf.set_title(f"{EXERCISE_MARK}: {title}" if exercise else title)
    if author:
        pdf.set_author(author)
    pdf.set_creator("Samvirke")
    pdf.set_lang("nb")
    pdf.set_creation_date(now)
    return pdf


def exercise_band(
    pdf: Document, note: str, *, size: float = 24, height: float = 14, space: float = 4
) -> None:
    """The white-on-red ``ØVELSE`` band across the page, with a note under it."""
    pdf.set_font("DejaVu", "B", size)
    pdf.set_text_color(255, 255, 255)
    pdf.set_fill_color(*STYLE.red)
    pdf.cell(0, height, EXERCISE_MARK, align="C", fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*STYLE.black)
    pdf.set_font("DejaVu", "", STYLE.text)
    paragraph(pdf, 6, note, align="C")
    pdf.ln(space)


def report_document(title: str, exercise: bool) -> Document:
    """A report: ``title`` in the header from page 2, "Samvirke · exported …" in the
    footer, the first page added and, for an exercise, the band at its top."""
    now = timezone.now()
    pdf = new_document(
        title,
        exercise=exercise,
        now=now,
        running_title=title[:90],
        footer_line=_("Samvirke · exported %(when)s") % {"when": norwegian(now)},
    )
    pdf.add_page()
    if exercise:
        exercise_band(pdf, _("This is an exercise."))
    return pdf


def wrap(pdf: Document, text: str, width: float) -> list[str]:
    """Greedy word wrap with each word's width measured once per font. fpdf2's
    multi_cell re-measures the growing line for every character it adds, which made
    a 1,000-entry log take seconds; this keeps the PDF export linear in the text."""
    cache = pdf.word_widths.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), {})

    def measure(word: str) -> float:
        w = cache.get(word)
        if w is None:
            w = cache[word] = pdf.get_string_width(word)
        return w

    space = measure(" ")
    lines: list[str] = []
    for text_paragraph in text.replace("\r\n", "\n").replace("\t", "    ").split("\n"):
        line: list[str] = []
        line_width = 0.0
        for word in text_paragraph.split(" "):
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


def paragraph(
    pdf: Document,
    height: float,
    text: str,
    *,
    x: float | None = None,
    width: float | None = None,
    align: str = "L",
) -> int:
    """Write wrapped text from ``x`` (the left margin) over ``width`` (to the right
    margin); the page breaks between lines. Returns the number of lines."""
    x = pdf.l_margin if x is None else x
    width = pdf.l_margin + pdf.epw - x if width is None else width
    lines = wrap(pdf, text, width - 2 * pdf.c_margin)
    for line in lines:
        pdf.set_x(x)
        pdf.cell(width, height, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return len(lines)


def write_pairs(pdf: Document, pairs: Iterable[tuple[str, str]], label_width: float = 58) -> None:
    """A two-column table of facts; a label or value may wrap."""
    value_width = pdf.epw - label_width
    for label, value in pairs:
        pdf.set_font("DejaVu", "B", STYLE.text)
        labels = wrap(pdf, label, label_width - 2 * pdf.c_margin)
        pdf.set_font("DejaVu", "", STYLE.text)
        values = wrap(pdf, value, value_width - 2 * pdf.c_margin)
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


def heading(pdf: Document, text: str, size: float = 14) -> None:
    """A section heading, on a new page when fewer than 20 mm are left."""
    if pdf.will_page_break(20):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", size)
    pdf.cell(0, 9, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", STYLE.text)


def table(
    pdf: Document,
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    widths: Sequence[float],
) -> None:
    """A simple table over the page's width (``widths`` are relative); each cell is cut
    to its width (numbers and short labels); the header repeats on a new page."""
    total = sum(widths)
    widths = [pdf.epw * w / total for w in widths]

    def line(values: Sequence[object], bold: bool = False) -> None:
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
