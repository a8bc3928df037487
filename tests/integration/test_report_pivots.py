"""The monthly report's red lists counted per village and per household category (app/io/report_pivots.py,
pandas): on the hand-built ledger (tests/integration/ledger_builder.py) against a hand count, in the PDF and
in the workbook read back with openpyxl; on a demo township against the same pivots in plain Python (the
benchmark's baseline) and against the lists they count.

Report for December 2025 (reference date 2025-12-31), scope = the node's own township 壶镇镇.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import openpyxl
import pytest

from app.demo import generate
from app.io import report
from app.io.report import collect, red_list_tables, write_report
from app.io.report_pivots import BY_CATEGORY, BY_VILLAGE, PIVOTS, pivot, pivots
from app.services.scope import resolve_scope
from tests.bench.baselines import pivot_in_python
from tests.integration.ledger_builder import TODAY, YEAR, build

# The red lists of the hand-built ledger that name a village (the rest list places, follow-ups and projects):
#   一户一干部 (coverage_households)  C (岩背村, 低保边缘户: no cadre)
#   有劳动力无人就业 (labour_without_job)  A (岩背村, 其他低收入农户)
#   失学辍学 (school_dropouts, a member list)  A's child (岩背村)
#   家庭医生签约 (doctor_contract, a member list)  C (岩背村)
#   按期走访 (visits_on_time)  B (岩背村, 低保户: last visit 10-01), E (金竹村, 其他低收入农户: 09-01)
COVERAGE, LABOUR, DROPOUT, DOCTOR, VISITS = (
    "低收入农户结对覆盖率（一户一干部）",
    "有劳动力但无人就业的农户",
    "义务教育阶段适龄儿童失学辍学",
    "家庭医生签约覆盖率",
    "结对户按期走访率",
)


@pytest.fixture
def golden(db, places):
    build(db, places)
    return collect(db, None, YEAR, 12, today=TODAY)


def test_village_pivot_matches_a_hand_count(golden):
    made = pivot(BY_VILLAGE, golden.red, golden.lists)
    assert made is not None
    assert made.indicators == (COVERAGE, LABOUR, DROPOUT, DOCTOR, VISITS)  # the report's order
    # 岩背村: C + A + A's child + C + B = 5 rows; 金竹村: E = 1 row; 好溪村 has none, so no line
    assert made.lines == (("岩背村", (1, 1, 1, 1, 1, 5)), ("金竹村", (0, 0, 0, 0, 1, 1)))
    # 合计: each indicator's whole list (1, 1, 1, 1, 2) and 1 + 1 + 1 + 1 + 2 = 6
    assert made.totals == (1, 1, 1, 1, 2, 6)
    assert set(made.left_out) == {
        "重点村/薄弱村结对覆盖率（一村一部门）",
        "集体经济薄弱村",
        "逾期未办结事项",
        "逾期未完成项目",
    }


def test_category_pivot_counts_households_only(golden):
    made = pivot(BY_CATEGORY, golden.red, golden.lists)
    assert made is not None
    # Member lists carry no category, and the overdue project's 类别 (设施建设) is not a household's.
    assert made.indicators == (COVERAGE, LABOUR, VISITS)
    # 其他低收入农户: A (labour) + E (visits) = 2; 低保户: B (visits) = 1; 低保边缘户: C (coverage) = 1;
    # ties in the name's order (其 < 低保户 < 低保边缘户 as Python compares the strings)
    assert made.lines == (
        ("其他低收入农户", (0, 1, 1, 2)),
        ("低保户", (0, 0, 1, 1)),
        ("低保边缘户", (1, 0, 0, 1)),
    )
    assert made.totals == (1, 1, 2, 4)
    assert "设施建设" not in dict(made.lines)


def test_report_collects_both_pivots_and_the_workbook_holds_them(db, golden, tmp_path):
    assert [p.by for p in golden.pivots] == [BY_VILLAGE, BY_CATEGORY]
    path = write_report(db, tmp_path / "月报.xlsx", scope=None, year=YEAR, month=12, today=TODAY)
    wb = openpyxl.load_workbook(path)
    ws = wb["分村汇总"]
    assert ws["A1"].value == "未达标清单分村汇总"
    assert ws["A2"].value.startswith("共2个行政村")
    body = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] in ("岩背村", "金竹村", "合计")]
    # numbers, not text: an office sums them again
    assert body == [("岩背村", 1, 1, 1, 1, 1, 5), ("金竹村", 0, 0, 0, 0, 1, 1), ("合计", 1, 1, 1, 1, 2, 6)]
    header = next(row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] == "行政村")
    assert header == ("行政村", COVERAGE, LABOUR, DROPOUT, DOCTOR, VISITS, "合计")
    category = wb["分户类别汇总"]
    totals = next(row for row in category.iter_rows(values_only=True) if row[0] == "合计")
    assert totals == ("合计", 1, 1, 2, 4)
    # The pivots sit before the lists; the list sheets keep their numbers
    names = wb.sheetnames
    assert names.index("分户类别汇总") < min(i for i, n in enumerate(names) if re.match(r"\d+\.", n))


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_pdf_prints_the_pivots_as_numbered_sections(db, golden, tmp_path):
    path = write_report(db, tmp_path / "月报.pdf", scope=None, year=YEAR, month=12, today=TODAY)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    # 一 indicators, 二 charts, 三 by village, 四 by category, 五 the lists
    assert "三、未达标清单分村汇总共2个行政村" in flat
    assert "四、未达标清单分户类别汇总共3个类别" in flat
    assert "五、未达标指标明细" in flat
    assert "岩背村111115" in flat and "金竹村000011" in flat and "合计111126" in flat


def test_no_red_list_no_pivot(golden):
    assert pivot(BY_VILLAGE, [], golden.lists) is None


@pytest.mark.slow
def test_pandas_and_plain_python_agree_on_a_demo_township_and_count_every_row(db, monkeypatch):
    today = date(2026, 11, 30)
    generate(db, households=600, seed=3, today=today)
    monkeypatch.setattr(report, "ROW_LIMIT", 40)  # so some lists are cut in the report, and whole in the pivots
    data = collect(db, None, 2026, 11, today=today)
    with db.session() as session:
        scope = resolve_scope(session, "331122101")
        whole = {ind.key: red_list_tables(session, ind, scope, 2026, today)[1] for ind in data.red}
    assert any(data.lists[key].truncated and len(table.rows) > 40 for key, table in whole.items())
    assert data.pivots == pivots(data.red, whole)
    for by in PIVOTS:
        made = pivot(by, data.red, whole)
        assert made == pivot_in_python(by, data.red, whole)
        assert made is not None and len(made.lines) > 1
        # Each indicator's 合计 is its whole list (not the 40 printed), and the 合计 column sums the lines.
        whole_sizes = {ind.zh: len(whole[ind.key].rows) for ind in data.red}
        assert made.totals[:-1] == tuple(whole_sizes[name] for name in made.indicators)
        assert made.totals[-1] == sum(counts[-1] for _, counts in made.lines) == sum(made.totals[:-1])
        for _, counts in made.lines:
            assert counts[-1] == sum(counts[:-1]) > 0
    # A household-coverage list is every active household without a cadre: its length is the indicator's
    # denominator − numerator, so the village pivot's column for it adds up to that gap.
    coverage = next(i for i in data.red if i.key == "coverage_households")  # the demo leaves some unpaired
    assert coverage.numerator is not None and coverage.denominator is not None
    village = pivot(BY_VILLAGE, data.red, whole)
    assert village is not None
    assert village.totals[village.indicators.index(coverage.zh)] == coverage.denominator - coverage.numerator
