"""Reading a KS summary's tables back from the page and from the XLSX, for tests that
compare the two (the file holds exactly what the screen shows)."""

import io
from html.parser import HTMLParser

from openpyxl import load_workbook

from reporting.exports.summary_figures import display

#: The page's table ids and the workbook's sheets holding the same figures.
TABLES = {
    "ks-totals": "Summary",
    "ks-regions": "Regions",
    "ks-rounds": "Rounds",
    "ks-sectors": "Sectors",
    "ks-incidents": "Incidents",
}


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") in TABLES:
            self.current = self.tables.setdefault(attrs["id"], [])
        elif self.current is not None and tag == "tr":
            self.row = []
        elif self.row is not None and tag in ("td", "th"):
            self.cell = []
        elif tag == "caption":
            self.cell = None

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(_blank(" ".join("".join(self.cell).split())))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.current is not None:
            self.current.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(page: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def _blank(text: str) -> str:
    """No figure reads the same in both: the page's dash, the file's empty cell."""
    return "" if text in ("–", "") else text


def _text(value) -> str:
    if value is None:
        return ""
    return _blank(value if isinstance(value, str) else display(value))


def workbook_tables(content: bytes) -> dict[str, list[list[str]]]:
    """The workbook's sheets as the page's tables would read (the Summary sheet without
    its header row, which the page does not repeat)."""
    book = load_workbook(io.BytesIO(content))
    tables = {}
    # by position: the sheets' names are in the language the file was made in
    for (table_id, sheet), worksheet in zip(TABLES.items(), book.worksheets, strict=True):
        rows = [
            [_text(float(c.value) if "%" in c.number_format else c.value) for c in row]
            for row in worksheet.iter_rows()
        ]
        tables[table_id] = rows[1:] if sheet == "Summary" else rows
    return tables
