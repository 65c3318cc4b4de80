"""A compiled picture (situasjonsbilde) as a PDF. The caller passes a compilation from
``Compilation.objects.visible_to(user)``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal.exports.pdf import STYLE, heading, paragraph, report_document, table, write_pairs
from portal.exports.times import norwegian
from reporting.exports.sources import (
    compilation_aggregates,
    compilation_place,
    number_table,
    round_is_exercise,
    sector_table,
)


def compilation_pdf(compilation) -> bytes:
    """The compiled picture: title, round, region, when it was published, the counts,
    the number fields (each put together as its field says: a sum only for a count),
    the status distribution per sector, the municipalities needing help and the
    assessment. ``compilation`` comes from ``visible_to``."""
    round_ = compilation.round
    exercise = round_is_exercise(round_)
    aggregates = compilation_aggregates(compilation)
    place = compilation_place(compilation)
    title = _("Situation picture: %(round)s") % {"round": round_.title}
    pdf = report_document(title, exercise)

    pdf.set_font("DejaVu", "", 12)
    pdf.set_text_color(*STYLE.grey)
    paragraph(pdf, 8, _("Compiled situation report") + f" · {place}")
    pdf.set_text_color(*STYLE.black)
    pdf.set_font("DejaVu", "B", 20)
    paragraph(pdf, 10, round_.title)
    pdf.ln(4)
    counts = aggregates.get("counts", {})
    write_pairs(
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

    heading(pdf, _("Reports"))
    write_pairs(
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
        heading(pdf, _("Numbers"))
        header, rows = number_table(numbers, round_.form_version.definition)
        table(
            pdf,
            header,
            [[("–" if cell is None else cell) for cell in row] for row in rows],
            [7, 3, 2, 2, 1.5, 1.5, 1.5],
        )

    statuses = aggregates.get("statuses", {})
    if statuses:
        heading(pdf, _("Status per sector"))
        table(pdf, *sector_table(statuses.values(), "none"), [8, 2, 2, 2, 2])

    heading(pdf, _("Municipalities needing help"))
    needs = aggregates.get("needs_help", [])
    if needs:
        write_pairs(pdf, [(n["municipality"], ", ".join(n["reasons"])) for n in needs])
    else:
        paragraph(pdf, 6, _("No municipality reported a need for help."))

    heading(pdf, _("Assessment"))
    paragraph(pdf, 5.5, compilation.picture_assessment or _("No assessment written yet."))
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
