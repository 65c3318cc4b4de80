"""The order basis of a joint procurement as XLSX (openpyxl): one row per item with its
unit, specification and total, one column per participant."""

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from networks.aid.actions.procurement import procurement_totals
from portal.exports.sheets import append_row, bold_row, xlsx_bytes


def order_basis_xlsx(procurement) -> tuple[bytes, str]:
    totals = procurement_totals(procurement)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Order basis")[:31]
    append_row(sheet, [procurement.title])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [_("Lead"), procurement.lead.name])
    append_row(sheet, [_("Deadline"), timezone.localtime(procurement.deadline).isoformat()])
    append_row(sheet, [_("Exported"), timezone.localtime().isoformat()])
    append_row(sheet, [])
    participants = totals["participants"]
    header = [
        _("Item"),
        _("Unit"),
        _("Specification"),
        _("Total"),
        *[p.name for p in participants],
    ]
    append_row(sheet, header)
    bold_row(sheet)
    for row in totals["rows"]:
        item = row["item"]
        append_row(
            sheet,
            [
                item.name,
                item.unit,
                item.specification,
                float(row["total"]),
                *[float(c) if c is not None else None for c in row["cells"]],
            ],
        )
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["C"].width = 30
    filename = f"bestillingsgrunnlag-{slugify(procurement.title)[:60] or procurement.uuid}.xlsx"
    return xlsx_bytes(workbook), filename
