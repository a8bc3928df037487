"""Members, cadres, visits, projects and village income sheets; every ledger exported and imported back
unchanged; formula-injection attempts stay text; full-ID exports are audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Cadre, Household, Member, Project, VillageIncome, Visit
from app.io.importer import ExcelImport
from app.io.ledgers import LEDGERS, export_ledger
from tests.integration.excel import builders as b

LEDGER_KIND = {
    "households": "roster",
    "members": "members",
    "cadres": "cadres",
    "visits": "visits",
    "projects": "projects",
    "village-income": "village-income",
}


def sheet(tmp_path: Path, name: str, header: list[str], rows: list[list]) -> Path:
    grid = [["标题行"], header, *rows]
    if name.endswith(".csv"):  # text cells as typed: "=HYPERLINK(…)" stays a string, not a formula
        return b.write_csv(tmp_path / name, grid)
    return b.write_xlsx(tmp_path / name, grid, hidden_first=False)


@pytest.fixture
def populated(db, places, tmp_path):
    """A ledger filled through imports of every kind (each import asserted to apply cleanly)."""
    people = b.roster_people()
    people[0] = {**people[0], "head": "王芳", "typed_id": people[0]["id"]}
    imports = [
        (b.write_xlsx(tmp_path / "roster.xlsx", b.messy_roster_rows(people)), "roster"),
        (
            sheet(
                tmp_path,
                "members.xlsx",
                ["户主身份证号码", "姓名", "身份证号码", "与户主关系", "健康状况", "劳动能力", "务工状况", "在校情况", "家庭医生签约"],
                [
                    [people[0]["id"], "王小明", b.make_id("331122", "20100101", 201), "儿子", "健康", "无劳动能力", "无", "小学", "是"],
                    [people[0]["id"], "赵 兰", b.make_id("331122", "19660606", 202), "妻子", "慢性病", "弱劳力", "公益岗位", "无", "已签约"],
                ],
            ),
            "members",
        ),
        (
            sheet(tmp_path, "cadres.xlsx", ["姓名", "工作单位", "职务", "联系电话", "是否领导"],
                  [["孙立", "缙云县民政局", "局长", "13905783333", "是"]]),
            "cadres",
        ),
        (
            sheet(
                tmp_path,
                "visits.csv",
                ["户主身份证号码", "走访干部", "干部电话", "走访日期", "走访方式", "存在问题", "帮扶措施"],
                [[people[0]["id"], "王伟", "13905781111", "2024.3.5", "入户", "=HYPERLINK(\"http://x\")", "+送米送油"]],
            ),
            "visits",
        ),
        (
            sheet(
                tmp_path,
                "projects.xlsx",
                ["项目名称", "项目类别", "资金来源", "年度", "实施地点", "项目预算（万元）", "已拨付资金（万元）", "项目阶段"],
                [["岩背村光伏小康工程", "光伏", "专项扶贫资金", "2023", "岩背村", "12.5", "3", "实施"]],
            ),
            "projects",
        ),
        (
            sheet(tmp_path, "income.csv", ["行政村", "年度", "村集体经济收入", "经营性收入", "备注"],
                  [["岩背村", 2023, "9.55万", "3,000元", "@SUM(A1)"], ["金竹村", 2023, 150000, "", ""]]),
            "village-income",
        ),
    ]  # fmt: skip
    for path, kind in imports:
        report = ExcelImport(path, kind).run(db)
        assert report.applied and report.ok, (kind, report.issues)
    return people


def test_every_kind_lands_in_the_ledger(db, populated):
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Member)) == 5 + 2
        son = s.scalars(select(Member).where(Member.name == "王小明")).one()
        assert (son.relation, son.labour, son.school_stage, son.doctor_contract) == ("child", "none", "primary", True)
        wife = s.scalars(select(Member).where(Member.name == "赵兰")).one()
        assert (wife.health, wife.employment, wife.doctor_contract, wife.sex) == (
            "chronic",
            "public_welfare",
            True,
            "female",
        )
        assert s.scalars(select(Cadre).where(Cadre.name == "孙立")).one().is_leader
        visit = s.scalars(select(Visit)).one()
        assert visit.visit_date == date(2024, 3, 5) and visit.mode == "home"
        assert visit.findings.startswith("=HYPERLINK")
        project = s.scalars(select(Project)).one()
        assert (project.budget_fen, project.allocated_fen, project.stage) == (12_500_000, 3_000_000, "implement")
        incomes = {v.income_fen for v in s.scalars(select(VillageIncome))}
        assert incomes == {9_550_000, 15_000_000}


@pytest.mark.parametrize("ledger", list(LEDGER_KIND))
def test_export_then_import_changes_nothing(db, populated, tmp_path, ledger):
    out = tmp_path / f"{ledger}.xlsx"
    rows = export_ledger(db, ledger, out, full_ids=True)
    assert rows > 0

    report = ExcelImport(out, LEDGER_KIND[ledger]).run(db)

    assert report.ok, report.issues
    assert report.data_rows == rows
    assert all(c["create"] == 0 and c["update"] == 0 for c in report.counts.values()), report.counts


def test_exports_mask_ids_unless_asked_and_audit_full_ids(db, populated, tmp_path):
    def audited() -> int:
        with db.session() as s:
            return s.scalar(select(func.count()).where(AuditEntry.action == "export_full_ids"))

    export_ledger(db, "households", tmp_path / "masked.xlsx")
    assert audited() == 0
    masked = openpyxl.load_workbook(tmp_path / "masked.xlsx").active
    ids = [r[5] for r in masked.iter_rows(min_row=5, values_only=True)]
    assert ids and all("********" in i for i in ids)
    assert populated[0]["id"] not in {i for i in ids}

    export_ledger(db, "households", tmp_path / "full.xlsx", full_ids=True)
    assert audited() == 1


def test_ledger_layout_and_formula_injection_stays_text(db, populated, tmp_path):
    export_ledger(db, "visits", tmp_path / "visits-ledger.xlsx")
    export_ledger(db, "village-income", tmp_path / "income-ledger.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "visits-ledger.xlsx")
    ws = wb.active
    assert ws["A1"].value == "走访记录台账" and "A1" in str(ws.merged_cells)
    assert ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == "$3:$4"
    assert any(str(r) == "F3:H3" for r in ws.merged_cells.ranges)  # 走访干部 over 姓名/工作单位/联系电话
    cells = [c for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, str) and c.value[:1] in "=+"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    note = [
        c for row in openpyxl.load_workbook(tmp_path / "income-ledger.xlsx").active.iter_rows(min_row=5) for c in row
    ]
    assert any(c.value == "@SUM(A1)" and c.data_type == "s" for c in note)


def test_every_ledger_exports_for_a_region(db, populated, places, tmp_path):
    for name in LEDGERS:
        export_ledger(db, name, tmp_path / f"{name}.xlsx", region_id=places.township_id)
        assert openpyxl.load_workbook(tmp_path / f"{name}.xlsx").active["A1"].value == LEDGERS[name].zh


def test_members_of_unknown_households_are_rejected(db, places, tmp_path):
    path = sheet(tmp_path, "m.xlsx", ["户主身份证号码", "姓名", "身份证号码", "与户主关系"],
                 [[b.make_id("331122", "19650101", 301), "某某", b.make_id("331122", "19900101", 302), "子"]])  # fmt: skip
    report = ExcelImport(path, "members").run(db)
    assert [i.column for i in report.issues] == ["户主身份证号码"]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Household)) == 0
