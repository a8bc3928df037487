"""Cells as the national system and the townships write them: a unit in the cell wins over the header's
(said per column), absurd amounts and control characters are row messages, the national words are read."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.domain.models import Member, Project
from app.io.importer import ExcelImport
from tests.integration.excel import builders as b

PROJECT_HEADER = ["项目名称", "项目类别", "资金来源", "年度", "实施地点", "项目预算（万元）", "项目阶段"]


def project_rows(*budgets: str) -> list[list[object]]:
    return [
        [f"项目{n}", "光伏", "专项扶贫资金", "2023", "岩背村", budget, "实施"] for n, budget in enumerate(budgets, 1)
    ]


def test_a_unit_in_the_cell_wins_over_the_headers_and_the_scaling_is_said(db, places, tmp_path: Path) -> None:
    path = b.write_csv(tmp_path / "p.csv", [PROJECT_HEADER, *project_rows("12,000元", "1.5", "2万元")])
    report = ExcelImport(path, "projects").run(db)
    assert report.applied and report.ok, report.issues
    assert [(n.row, n.column) for n in report.notices] == [(0, "项目预算（万元）")]
    assert "按万元换算" in report.notices[0].zh
    with db.session() as s:
        budgets = dict(s.execute(select(Project.name, Project.budget_fen)).all())
    assert budgets == {
        "项目1": 12_000 * 100,  # 12,000元: yuan as written, not 12,000 × 10,000
        "项目2": 15_000 * 100,  # bare 1.5 under 万元: 1.5 × 10,000 yuan
        "项目3": 20_000 * 100,  # 2万元
    }


def test_absurd_amounts_and_control_characters_are_row_messages(db, places, tmp_path: Path) -> None:
    rows = project_rows("1e17元", "0.000000001元", "5")
    rows[2][0] = "项目\x1b[31m3\x07"
    rows.append(["项目4\x00", "光伏", "专项扶贫资金", "2023", "岩背村", "5", "实施"])
    path = b.write_csv(tmp_path / "p.csv", [PROJECT_HEADER, *rows])
    report = ExcelImport(path, "projects").run(db, dry_run=True)
    by_row = {i.row: i.zh for i in report.issues}
    assert "金额过大" in by_row[2]  # 1e17 yuan = 1e19 fen: beyond a 64-bit column
    assert "不足 1 分" in by_row[3]  # 1e-9 yuan would have become 0
    assert "控制字符" in by_row[4] and "控制字符" in by_row[5]


def test_the_national_systems_words_are_read(db, places, tmp_path: Path) -> None:
    head = b.make_id("331122", "19650101", 101)
    roster = b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows([{**b.roster_people()[0], "typed_id": head}]))
    assert ExcelImport(roster, "roster").run(db).applied
    words = [
        ("技能劳动力", "省外务工", "本科及以上", ("able", "out_county", "tertiary")),
        ("弱劳动力或半劳动力", "省内县外务工", "高职", ("weak", "out_county", "tertiary")),
        ("无劳动力", "务农", "学前教育", ("none", "farming", "preschool")),
        ("丧失劳动力", "县内务工", "初中在读", ("none", "in_county", "junior")),
        ("普通劳动力", "县内务工", "高中在读", ("able", "in_county", "senior")),
        ("普通劳动力", "县内务工", "小学在读", ("able", "in_county", "primary")),
        ("普通劳动力", "县内务工", "非在校生", ("able", "in_county", "not_student")),
        ("普通劳动力", "县内务工", "辍学", ("able", "in_county", "dropped_out")),
    ]
    header = ["户主身份证号码", "姓名", "身份证号码", "与户主关系", "劳动能力", "务工状况", "在校情况"]
    lines = [[head, f"成员{n}", b.make_id("331122", "19900101", 300 + n), "其他", *w[:3]] for n, w in enumerate(words)]
    lines.append([head, "成员X", b.make_id("331122", "19900101", 399), "其他", "强劳动力", "", ""])
    report = ExcelImport(b.write_csv(tmp_path / "m.csv", [header, *lines]), "members").run(db, skip_invalid=True)
    assert [i.row for i in report.issues] == [len(lines) + 1]
    assert "可选" in report.issues[0].zh and "有劳动能力" in report.issues[0].zh  # the accepted words are listed
    with db.session() as s:
        stored = {m.name: (m.labour, m.employment, m.school_stage) for m in s.scalars(select(Member))}
    for n, w in enumerate(words):
        assert stored[f"成员{n}"] == w[3], w
