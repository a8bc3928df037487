"""Household income by year as an import kind (``income``) and as roster columns whose header names the year
(``2016年人均可支配收入（元）``), written as ``households.record_income`` keeps them: one record a household and
year, the total in fen and the persons it covers. Expected figures worked by hand in the comments."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.domain.models import AuditEntry, Household, IncomeRecord
from app.io.importer import ExcelImport
from tests.conftest import PASSWORD
from tests.integration.excel import builders as b

HEADER = ["户主姓名", "户主身份证号码", "年度", "家庭年可支配收入（元）", "人均可支配收入（元）", "计算人口"]


@pytest.fixture
def rostered(db, places, tmp_path):
    people = b.roster_people()
    people[0] = {**people[0], "head": "王芳", "typed_id": people[0]["id"]}
    assert ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows(people)), "roster").run(db).applied
    # 李建国's household: a wife born 1972 and a son born 2018 (not yet born on 31 December 2016).
    members = [
        ["户主身份证号码", "姓名", "身份证号码", "与户主关系"],
        [people[1]["id"], "周秀英", b.make_id("331122", "19720303", 201), "配偶"],
        [people[1]["id"], "李小龙", b.make_id("331122", "20180505", 202), "子"],
    ]
    assert ExcelImport(b.write_csv(tmp_path / "m.csv", members), "members").run(db).applied
    return people


def incomes(db) -> dict[tuple[str, int], tuple[int | None, int | None]]:
    with db.session() as s:
        rows = s.execute(
            select(Household.head_id_number, IncomeRecord.year, IncomeRecord.total_fen, IncomeRecord.persons).join(
                Household, Household.id == IncomeRecord.household_id
            )
        )
        return {(n, y): (t, p) for n, y, t, p in rows}


def events(db) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_the_income_kind_records_each_year_and_refuses_what_it_cannot_know(db, rostered, tmp_path) -> None:
    p = rostered
    rows = [
        ["王芳", p[0]["id"], 2016, "36,000", "", 3],  # total given: 36,000 元 = 3,600,000 fen, 3 persons
        # per-capita only, no persons: members on 2016-12-31 = head + wife (son born 2018) = 2;
        # 12,000 元 × 2 = 24,000 元 = 2,400,000 fen
        ["李建国", p[1]["id"], "2016年", "", "12000", ""],
        # a unit in the cell: 1.2万元 × 2 persons = 24,000 元 = 2,400,000 fen
        ["张小红", p[2]["id"], 2016, "", "1.2万元", "2"],
        ["无此人", b.make_id("331122", "19900101", 999), 2016, "1000", "", 1],  # no such household
        ["陈大明", p[3]["id"], 2016, "", "", 2],  # neither figure
        ["王芳", p[0]["id"], 2016, "1", "", 1],  # same household and year twice
    ]
    path = b.write_xlsx(tmp_path / "income.xlsx", [HEADER, *rows])
    before = events(db)
    dry = ExcelImport(path, "income").run(db, dry_run=True)
    assert dry.counts["income_record"] == {"create": 3, "update": 0, "unchanged": 0}
    assert sorted(dry.rejected_rows) == [5, 6, 7]
    assert "找不到" in next(i.zh for i in dry.issues if i.row == 5)
    assert "至少填一项" in next(i.zh for i in dry.issues if i.row == 6)
    assert "重复" in next(i.zh for i in dry.issues if i.row == 7)
    assert incomes(db) == {} and events(db) == before  # a dry run writes nothing

    report = ExcelImport(path, "income").run(db, skip_invalid=True)
    assert report.applied
    assert incomes(db) == {
        (p[0]["id"], 2016): (3_600_000, 3),
        (p[1]["id"], 2016): (2_400_000, 2),
        (p[2]["id"], 2016): (2_400_000, 2),
    }
    written = events(db)
    again = ExcelImport(path, "income").run(db, skip_invalid=True)
    assert again.counts["income_record"] == {"create": 0, "update": 0, "unchanged": 3}
    assert events(db) == written  # a re-import writes nothing, not even an event

    # A corrected figure is an update, shown old → new before it is applied.
    fixed = b.write_xlsx(tmp_path / "fixed.xlsx", [HEADER, ["王芳", p[0]["id"], 2016, "37000", "", 3]])
    change = ExcelImport(fixed, "income").run(db, dry_run=True)
    assert change.counts["income_record"]["update"] == 1
    assert any("3600000 → 3700000" in c.zh for c in change.changes)
    ExcelImport(fixed, "income").run(db)
    assert incomes(db)[(p[0]["id"], 2016)] == (3_700_000, 3)


def test_roster_income_columns_take_the_year_from_the_header(db, places, tmp_path) -> None:
    ids = [b.make_id("331122", "19650101", n) for n in (301, 302, 303)]
    header = [
        "行政村",
        "户主姓名",
        "身份证号码",
        "低收入农户类型",
        "致贫原因",
        "家庭人口",
        "2016年人均可支配收入（元）",
        "2017年家庭年纯收入（万元）",
        "人均纯收入",
    ]
    rows = [
        # 2016: 5,000 元 × 3 persons = 15,000 元 = 1,500,000 fen; 2017: bare 8.5 under 万元 = 85,000 元
        ["岩背村", "甲一", ids[0], "低保", "因病", 3, 5000, 8.5, 999],
        ["岩背村", "乙二", ids[1], "低保", "因病", "", 6000, "", ""],  # per capita, persons unknown: refused
        ["金竹村", "丙三", ids[2], "特困", "因残", "", "", "12,000元", ""],  # the cell's unit wins: 12,000 元
    ]
    path = b.write_xlsx(tmp_path / "roster.xlsx", [header, *rows])
    dry = ExcelImport(path, "roster").run(db, dry_run=True)
    assert dry.rejected_rows == [3]
    assert "人口不详" in dry.issues[0].zh and dry.issues[0].column == "2016年人均可支配收入（元）"
    assert dry.counts["income_record"]["create"] == 3
    assert dry.mapping["2016年人均可支配收入（元）"] == "2016年人均可支配收入"
    notices = {(n.column, n.zh) for n in dry.notices}
    assert any(col == "人均纯收入" and "未注明年度" in zh for col, zh in notices)
    assert any(col == "2017年家庭年纯收入（万元）" and "按万元换算" in zh for col, zh in notices)

    ExcelImport(path, "roster").run(db, skip_invalid=True)
    assert incomes(db) == {
        (ids[0], 2016): (1_500_000, 3),
        (ids[0], 2017): (8_500_000, 3),
        (ids[2], 2017): (1_200_000, None),
    }
    with db.session() as s:  # the refused row's household was not imported either
        assert s.scalar(select(Household).where(Household.head_id_number == ids[1])) is None
    before = events(db)
    again = ExcelImport(path, "roster").run(db, skip_invalid=True)
    assert again.counts["income_record"] == {"create": 0, "update": 0, "unchanged": 3}
    assert events(db) == before


def test_cli_template_and_import_of_the_income_kind(db, rostered, tmp_path, monkeypatch, capsys) -> None:
    from app.services import officers

    officers.add(db, "tester")  # the CLI records its changes as an officer on the list (BANGFU_ACTOR=tester)
    db.close()
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    template = tmp_path / "t.xlsx"
    assert main(["template", "--kind", "income", str(template)]) == 0
    from app.io.sheets import read_workbook

    first = read_workbook(template).sheet(None).rows
    assert any("家庭年可支配收入" in str(cell) for row in first[:3] for cell in row)
    path = b.write_csv(tmp_path / "i.csv", [HEADER, ["王芳", rostered[0]["id"], 2016, "", "", 3]])
    assert main(["import-excel", "--db", str(tmp_path / "ledger.db"), "--kind", "income", str(path)]) == 1
    err = capsys.readouterr()
    assert "Traceback" not in err.err and "至少填一项" in err.out + err.err


def test_an_income_column_without_a_year_takes_the_year_of_the_sheet_title(db, places, tmp_path) -> None:
    number = b.make_id("331122", "19650101", 401)
    rows = [
        ["壶镇镇2016年度低收入农户花名册", "", "", "", "", ""],
        ["填报日期：2024年3月1日", "", "", "", "", ""],  # a date, not the year of the figures
        ["行政村", "户主姓名", "身份证号码", "低收入农户类型", "致贫原因", "家庭年纯收入（元）"],
        ["好溪村", "丁四", number, "低保", "因病", "9,600"],
    ]
    report = ExcelImport(b.write_xlsx(tmp_path / "t.xlsx", rows), "roster").run(db)
    assert report.applied and report.mapping["家庭年纯收入（元）"] == "2016年家庭年可支配收入"
    assert any("按表格标题取2016年" in n.zh for n in report.notices)
    assert incomes(db) == {(number, 2016): (960_000, None)}  # 9,600 元 = 960,000 fen
