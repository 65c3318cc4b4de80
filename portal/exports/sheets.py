"""CSV and XLSX files. Every string a user wrote reaches the sheet as text, never as a
formula (:mod:`portal.spreadsheets`); numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl.styles import Font

from portal.spreadsheets import append_row, safe_cell

__all__ = [
    "CSV_DELIMITER",
    "EchoBuffer",
    "add_sheet",
    "append_row",
    "bold_row",
    "csv_bytes",
    "csv_value",
    "safe_cell",
    "stream_csv",
    "xlsx_bytes",
]

CSV_DELIMITER = ";"  # what Excel expects in a Norwegian locale
BOM = "\ufeff"  # so Excel reads æøå in a UTF-8 file


def csv_value(value: object) -> str:
    """A cell of a CSV: "" for none, a guarded string, anything else as text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    return str(value)


def csv_bytes(header: Iterable[object], rows: Iterable[Iterable[object]]) -> bytes:
    """A whole CSV in memory: UTF-8 with a byte-order mark, semicolon-separated, every
    cell through :func:`csv_value`."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])
    return out.getvalue().encode("utf-8")


class EchoBuffer:
    """A file for ``csv.writer`` that hands each row back, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[Iterable[str]]) -> Iterator[bytes]:
    """UTF-8 chunks of a CSV (byte-order mark first, semicolons), one per row of
    ``rows`` (lists of strings, already guarded), so a long file never sits in memory."""
    writer = csv.writer(EchoBuffer(), delimiter=CSV_DELIMITER)
    yield BOM.encode("utf-8")
    for row in rows:
        yield writer.writerow(row).encode("utf-8")


def bold_row(sheet: Any, row: int | None = None) -> None:
    """Make a row (the last one written, by default) bold."""
    for cell in sheet[sheet.max_row if row is None else row]:
        cell.font = Font(bold=True)


def add_sheet(
    workbook: Any,
    title: str,
    header: Iterable[object],
    rows: Iterable[Iterable[object]],
    *,
    first: bool = False,
) -> Any:
    """A sheet (the workbook's first, or a new one) with a bold, frozen header row."""
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    append_row(sheet, header)
    bold_row(sheet, 1)
    sheet.freeze_panes = "A2"
    for row in rows:
        append_row(sheet, row)
    return sheet


def xlsx_bytes(workbook: Any) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
