"""The monthly report sent upward, on the hand-built ledger (tests/integration/ledger_builder.py) whose every
figure is known: the PDF as text (pdftotext) and as pictures (pdftoppm), the .xlsx read back with openpyxl.

Report for December 2025 (reference date 2025-12-31), scope = the node's own township 壶镇镇 (缙云县).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from app.domain.models import Project
from app.io.report import collect, write_report
from app.services import settings
from app.services.uow import UnitOfWork
from tests.integration.ledger_builder import TODAY, YEAR, build

pytestmark = [
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed"),
    pytest.mark.slow,  # each test lays out a whole report (about 3–5 s)
]

LONG_PROJECT = "金竹村至好溪村通村公路硬化及安全防护设施建设工程（二期）"
SIGN_LINES = ("填报单位", "负责人", "填表人", "联系电话", "报送日期")


@pytest.fixture
def ledger(db, places):
    built = build(db, places)
    with UnitOfWork(db) as uow:  # a project name longer than any fixed-width cell
        uow.session.get(Project, built.projects[1]).name = LONG_PROJECT
    return built


def pdf_pages(path: Path) -> list[str]:
    # -raw: text in drawing order, so a table cell's wrapped lines stay together
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def report_pdf(db, ledger, tmp_path) -> Path:
    return write_report(db, tmp_path / "月报-2025-12.pdf", scope=None, year=YEAR, month=12, today=TODAY)


@pytest.fixture
def report_xlsx(db, ledger, tmp_path) -> Path:
    return write_report(db, tmp_path / "月报-2025-12.xlsx", scope=None, year=YEAR, month=12, today=TODAY)


@pytest.fixture
def pdf_pngs(report_pdf, tmp_path) -> list[Path]:
    """Every page as a PNG (150 dpi) — to look at, and proof that poppler can draw each one."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm not installed")
    out = tmp_path / "pages"
    out.mkdir()
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(report_pdf), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def test_no_internal_code_word_in_the_pdf_or_the_workbook(report_pdf, report_xlsx):
    text = "\n".join(pdf_pages(report_pdf))
    # The document is Chinese: not one Latin word (dibao, implement, region_name, village …) may show.
    assert re.findall(r"[A-Za-z_]{3,}", text) == []
    wb = openpyxl.load_workbook(report_xlsx)
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert not re.search(r"[A-Za-z_]{3,}", value), (ws.title, value)


def test_pdf_is_a_document_with_title_sign_lines_and_page_numbers(report_pdf, pdf_pngs):
    pages = pdf_pages(report_pdf)
    assert len(pages) >= 2 and len(pdf_pngs) == len(pages)
    first = squeeze(pages[0])
    assert "缙云县壶镇镇2025年12月结对帮扶工作月报" in first  # the place, not "全部"
    whole = squeeze("".join(pages))
    for line in SIGN_LINES:
        assert line in whole, line
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in squeeze(page)


def test_indicator_figures_match_a_hand_count(db, ledger, report_pdf):
    data = collect(db, None, YEAR, 12, today=TODAY)
    by_key = {i.key: i for i in data.indicators}
    # 一户一干部: A, B, E have exactly one active cadre, C none, D exited → 3 of 4 = 75.0%
    assert (by_key["coverage_households"].numerator, by_key["coverage_households"].denominator) == (3, 4)
    text = squeeze("".join(pdf_pages(report_pdf)))
    assert "低收入农户结对覆盖率（一户一干部）75.0%100.0%未达标" in text
    # income (excl. 低保户 B), per person: A 2 × 12,000 + C 14,000 + E 16,000 = 54,000 元 over 2 + 1 + 1 = 4
    # persons → 13,500.00 元 ≥ 13,000.00 元
    assert "人均可支配收入（不含低保户）13,500.00元13,000.00元达标" in text
    # growth of the households in both years (A, C), per person: 2025 (24,000 + 14,000) ÷ 3 = 12,666.67;
    # 2024 (20,000 + 14,000) ÷ 3 = 11,333.33; 12,666.67 ÷ 11,333.33 − 1 = 11.8% against its own target 10.0%
    assert "人均可支配收入增幅（不含低保户）11.8%10.0%达标" in text


def test_each_red_list_counts_the_rows_it_lists(report_pdf, report_xlsx):
    text = squeeze("".join(pdf_pages(report_pdf)))
    # 一户一干部 misses C only (3 covered of 4); 按期走访 misses B (10-01) and E (09-01)
    assert "低收入农户结对覆盖率（一户一干部）：共1项" in text
    assert "结对户按期走访率：共2项" in text
    wb = openpyxl.load_workbook(report_xlsx)
    red_sheets = [ws for ws in wb if re.match(r"\d+\.", ws.title)]
    assert red_sheets
    for ws in red_sheets:
        count = int(re.search(r"共(\d+)项", ws["A2"].value).group(1))
        listed = [r for r in ws.iter_rows(min_row=5, values_only=True) if r[0] is not None]
        assert count == len(listed), ws.title


def test_lists_show_households_and_whole_project_names(report_pdf, report_xlsx):
    text = squeeze("".join(pdf_pages(report_pdf)))
    assert LONG_PROJECT in text
    # the doctor-contract list names the household (户主C of 岩背村), not a school stage
    doctor = text[text.index("家庭医生签约覆盖率：共") :]
    assert "户主C" in doctor[:200] and "岩背村" in doctor[:200]
    wb = openpyxl.load_workbook(report_xlsx)
    sheet = next(ws for ws in wb if "家庭医生" in ws.title)
    headers = [c.value for c in sheet[3]]
    assert "户主" in headers and "在校情况" not in headers
    assert LONG_PROJECT in [c.value for ws in wb for row in ws.iter_rows() for c in row]


def test_workbook_values_are_numbers_with_units(report_xlsx):
    ws = openpyxl.load_workbook(report_xlsx)["指标"]
    rows = {r[1].value: r for r in ws.iter_rows() if r[0].value is not None and isinstance(r[1].value, str)}
    coverage = rows["低收入农户结对覆盖率（一户一干部）"]
    assert coverage[2].value == pytest.approx(0.75) and "%" in coverage[2].number_format  # 3 ÷ 4
    income = rows["人均可支配收入（不含低保户）"]
    assert income[2].value == pytest.approx(13500) and "元" in income[2].number_format  # 54,000 ÷ 4
    assert income[3].value == pytest.approx(13000) and "元" in income[3].number_format
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows and "&P" in ws.oddFooter.center.text


def test_income_list_holds_only_households_below_the_target(db, ledger):
    with UnitOfWork(db) as uow:
        settings.put(uow.session, "income_target_yuan", 15000)
    data = collect(db, None, YEAR, 12, today=TODAY)
    income = next(i for i in data.indicators if i.key == "income_average")
    assert income.ok is False  # 13,500 < 15,000
    table = data.list_table(income)
    names = [row[table.column_index("户主姓名")] for row in table.rows]
    assert names == ["户主A", "户主C"]  # 12,000 and 14,000 are below 15,000; E (16,000) is not


def test_village_scope_leaves_out_what_does_not_apply(db, ledger):
    data = collect(db, "331122101001", YEAR, 12, today=TODAY)
    assert data.title == "缙云县壶镇镇岩背村2025年12月结对帮扶工作月报"
    assert "coverage_townships" not in [i.key for i in data.indicators]  # 一乡一领导 is a township's row


def test_chart_marks_each_indicator_against_its_own_target():
    from app.io import charts

    fig = charts.percent_bars("主要指标", ["覆盖率", "增幅"], [75.0, 8.3], [False, False], targets=[100.0, 10.0])
    marks = sorted({round(x, 1) for line in fig.axes[0].lines for x in line.get_xdata()})
    assert marks == [10.0, 100.0]


def test_county_scope_names_the_county(db, ledger):
    assert collect(db, "331122", YEAR, 12, today=TODAY).title == "缙云县2025年12月结对帮扶工作月报"


def test_cli_refuses_a_missing_folder_before_computing(db, ledger, db_path, tmp_path):
    from tests.conftest import PASSWORD
    from tests.integration.test_cli_foundation import assert_clean_error, cli

    db.close()
    missing = tmp_path / "no-such-folder" / "月报.pdf"
    result = cli("report", "--db", str(db_path), str(missing), "--month", "2025-12", password=PASSWORD, tmp=tmp_path)
    assert_clean_error(result, 2)
    assert "文件夹不存在" in result.stderr and not missing.parent.exists()


def test_pdf_font_skips_faces_reportlab_cannot_embed(monkeypatch):
    """Noto Sans CJK (Debian's default) is CFF: ReportLab cannot embed it, so the chain moves on and ends in
    the PDF reader's own Chinese font rather than failing."""
    from app import fonts

    monkeypatch.setattr(fonts, "CJK_SANS_FONTS", ("Noto Sans CJK SC",))
    assert fonts.reportlab_font.__wrapped__() == fonts.PDF_CID_FALLBACK


def test_long_lists_say_they_are_cut(db, ledger, tmp_path, monkeypatch):
    from app.io import report, report_pdf

    monkeypatch.setattr(report, "ROW_LIMIT", 2)  # 按期走访 misses B and E: exactly the cap
    monkeypatch.setattr(report_pdf, "PDF_ROWS", 1)
    data = collect(db, None, YEAR, 12, today=TODAY)
    visits = data.list_table(next(i for i in data.indicators if i.key == "visits_on_time"))
    assert visits.truncated and visits.note() == "列出前2项（清单过长，其余未列出）"
    text = squeeze("".join(pdf_pages(report_pdf.write_pdf(data, tmp_path / "r.pdf"))))
    assert "结对户按期走访率：列出前2项（清单过长，其余未列出），本表列出前1项，完整清单见电子表格版月报" in text
