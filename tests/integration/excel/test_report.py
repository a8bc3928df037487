"""The monthly report: indicators against targets, lists behind red ones and charts, as .xlsx and .pdf."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from app.io.importer import ExcelImport
from app.io.report import collect, write_report
from tests.conftest import PASSWORD
from tests.integration.excel import builders as b
from tests.integration.test_cli_foundation import assert_clean_error, cli


@pytest.fixture
def roster_ledger(db, places, tmp_path):
    people = b.roster_people()
    ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows(people)), "roster").run(db)
    return db


def test_report_workbook_has_indicators_charts_and_red_lists(roster_ledger, places, tmp_path):
    today = __import__("datetime").date.today()
    data = collect(roster_ledger, "331122101", today.year, today.month)
    assert data.indicators and data.place == "缙云县壶镇镇"
    out = write_report(roster_ledger, tmp_path / "report.xlsx", scope="331122101", year=today.year, month=today.month)

    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "指标"
    ws = wb["指标"]
    assert "月报" in ws["A1"].value
    names = [ws.cell(r, 2).value for r in range(5, 5 + len(data.indicators))]
    assert names == [i.zh for i in data.indicators]
    statuses = {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(5, 5 + len(data.indicators))}
    for ind in data.indicators:
        unmeasured = "无数据" if ind.value is None and ind.target is not None else "—"  # no data vs. report-only
        expected = {True: "达标", False: "未达标", None: unmeasured}[ind.ok]
        assert statuses[ind.zh] == expected
    assert "图表" in wb.sheetnames
    with zipfile.ZipFile(out) as zf:
        assert any(n.startswith("xl/media/") and n.endswith(".png") for n in zf.namelist())
    # the red lists pivoted per village and per category, then one sheet listing the rows behind each red indicator
    assert wb.sheetnames[2 : 2 + len(data.pivots)] == [p.by.sheet for p in data.pivots]
    assert len(wb.sheetnames) == 2 + len(data.pivots) + len(data.red)
    for n, ind in enumerate(data.red, 1):
        sheet = next(s for s in wb.sheetnames if s.startswith(f"{n}."))
        assert wb[sheet]["A1"].value == f"未达标：{ind.zh}"


def test_report_pdf_and_cli(roster_ledger, tmp_path, db_path):
    today = __import__("datetime").date.today()
    pdf = write_report(roster_ledger, tmp_path / "report.pdf", scope=None, year=today.year, month=today.month)
    head = pdf.read_bytes()[:5]
    assert head == b"%PDF-" and pdf.stat().st_size > 5000
    roster_ledger.close()

    ok = cli(
        "report",
        "--db",
        str(db_path),
        str(tmp_path / "r2.xlsx"),
        "--region",
        "331122101",
        password=PASSWORD,
        tmp=tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    bad = cli("report", "--db", str(db_path), str(tmp_path / "r.docx"), password=PASSWORD, tmp=tmp_path)
    assert_clean_error(bad, 2)
    month = cli(
        "report", "--db", str(db_path), str(tmp_path / "r.pdf"), "--month", "2024-13", password=PASSWORD, tmp=tmp_path
    )
    assert_clean_error(month, 2)


def test_charts_use_a_chinese_font():
    from app.fonts import CJK_SANS_FONTS
    from app.io import charts

    assert charts.chinese_font() in CJK_SANS_FONTS
    png = charts.png_bytes(charts.percent_bars("覆盖率", ["乡镇结对覆盖率"], [80.0]))
    assert png.startswith(b"\x89PNG")
