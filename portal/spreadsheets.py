"""Cells a spreadsheet cannot run: the one guard every CSV and XLSX writer uses.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` (and, after a tab or carriage return, whatever follows) as a formula
(CSV/formula injection: ``=HYPERLINK(…)`` that leaks data, ``=cmd|…`` DDE). Text that
users wrote — an item name, a log entry, an answer — must reach the sheet as text.

- CSV has no types: :func:`safe_cell` puts an apostrophe before such a string, which
  spreadsheets read as "this is text" (and hide).
- XLSX has types: :func:`append_row` writes such a string as a string cell with Excel's
  quote prefix (shown as typed, and still text when someone edits the cell), so the
  value itself is not changed.

Numbers stay numbers in both: only strings are guarded, and a string that is just a
number (``-3``, ``-2,5``) is left alone, since a spreadsheet reads it as that number and
nothing else.
"""

from __future__ import annotations

import re

#: What makes a spreadsheet treat a cell as a formula (OWASP's list).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: A signed plain number: harmless, and kept so.
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def formula_like(value) -> bool:
    """Whether a spreadsheet would run ``value`` (a string) as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    )


def safe_cell(value):
    """``value`` for a CSV cell: a formula-like string with an apostrophe before it;
    anything else (other strings, numbers, ``None``) unchanged."""
    return f"'{value}" if formula_like(value) else value


def append_row(sheet, values) -> None:
    """``sheet.append(values)`` for an openpyxl worksheet, with every formula-like string
    written as text (data type string, quote prefix) instead of as a formula. Numbers,
    dates and other strings are written as openpyxl writes them."""
    values = list(values)
    sheet.append(values)
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if formula_like(value):
            cell = sheet.cell(row=row, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True
