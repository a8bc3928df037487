"""Day one with real data: a township initialised by its code alone imports its own messy roster with no
preparation — villages written every way, a merged 行政村 column, IDs as ="…", a signature footer with no
注 line — and only the genuinely bad rows are rejected."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Household, Region
from app.io.importer import ExcelImport
from app.services.node import initialize_node
from app.storage.database import Database, create_database
from tests.conftest import PASSWORD
from tests.integration.excel.builders import make_id

HEADER = ["序号", "行政村", "户主姓名", "身份证号码", "低收入农户类型", "致贫原因", "帮扶干部", "工作单位", "结对时间"]


@pytest.fixture
def laozhu(tmp_path: Path) -> Database:
    db = create_database(tmp_path / "laozhu.db", PASSWORD)
    initialize_node(db, "331102103", None, "township")
    yield db
    db.close()


def roster(path: Path, extra: list[list[object]] = ()) -> Path:  # type: ignore[assignment]
    ids = [make_id("331102", f"196{n}0101", 100 + n) for n in range(8)]
    rows = [
        ["老竹畲族镇低收入农户结对帮扶花名册"],
        HEADER,
        [1, "老竹村委会", "蓝一", ids[0], "低保户", "因病", "雷干部", "老竹畲族镇人民政府", "2018-01-02"],
        [2, "梁村", "蓝二", f'="{ids[1]}"', "低保", "因残", "雷干部", "老竹畲族镇人民政府", "2018-01-02"],
        [3, None, "蓝三", ids[2], "低边", "因学", "雷干部", "老竹畲族镇人民政府", "2018-01-02"],  # merged with 梁村
        [4, "梁村村委会", "蓝四", ids[3], "特困", "缺劳力", "钟干部", "莲都区民政局", "2019-05-06"],
        [5, "沙溪", "蓝五", ids[4], "低保", "因病", "钟干部", "莲都区民政局", "2019-05-06"],
        [6, "331102103229", "蓝六", ids[5], "低保", "因病", "钟干部", "莲都区民政局", "2019-05-06"],  # 后坑村 by code
        [
            7,
            "沙溪村",
            "蓝七",
            ids[6][:-1] + ("0" if ids[6][-1] != "0" else "1"),
            "低保",
            "因病",
            "钟干部",
            "莲都区民政局",
            "2019-05-06",
        ],
        *extra,
        ["单位负责人：", "雷某", None, "填表人：", "钟某", None, "联系电话：", "0578-1234567"],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    sheet["D4"].data_type = "s"  # ="…" kept as the text another system exported, not a formula
    sheet.merge_cells("B4:B5")  # 梁村 spans 蓝二 and 蓝三
    book.save(path)
    return path


def test_a_fresh_township_imports_its_roster_with_only_the_bad_row_rejected(laozhu: Database, tmp_path: Path) -> None:
    job = ExcelImport(roster(tmp_path / "花名册.xlsx"), "roster")
    report = job.run(laozhu, skip_invalid=True)
    assert [(i.row, i.column) for i in report.issues] == [(9, "身份证号码")]  # 蓝七: wrong check digit
    assert report.counts["household"]["create"] == 6
    assert any(n.row == 5 and "合并单元格" in n.zh and "梁村" in n.zh for n in report.notices)
    assert [r for r, why in report.skipped if why == "footer"] == [10]
    with laozhu.session() as s:
        placed = dict(
            s.execute(select(Household.head_name, Region.code).join(Region, Region.id == Household.village_id)).all()
        )
    assert placed == {
        "蓝一": "331102103208",  # 老竹村委会
        "蓝二": "331102103215",  # 梁村, ID written as ="…"
        "蓝三": "331102103215",  # blank under the merged 梁村 cell
        "蓝四": "331102103215",  # 梁村村委会
        "蓝五": "331102103228",  # 沙溪
        "蓝六": "331102103229",  # by code
    }


def test_an_unknown_village_is_listed_and_created_only_when_asked(laozhu: Database, tmp_path: Path) -> None:
    extra = [
        [
            8,
            "新建村",
            "蓝八",
            make_id("331102", "19880808", 108),
            "低保",
            "因病",
            "钟干部",
            "莲都区民政局",
            "2019-05-06",
        ]
    ]
    path = roster(tmp_path / "花名册.xlsx", extra)
    dry = ExcelImport(path, "roster").run(laozhu, dry_run=True)
    assert any(i.row == 10 and "--create-places" in i.zh for i in dry.issues)
    assert any("新建村" in n.zh and "331102103999" in n.zh for n in dry.notices)
    with laozhu.session() as s:
        before = s.scalar(select(func.count()).select_from(Region))
    created = ExcelImport(path, "roster").run(laozhu, skip_invalid=True, create_places=True)
    assert [i.row for i in created.issues] == [9]  # only the bad ID
    assert created.counts["region"]["create"] == 1
    with laozhu.session() as s:
        assert s.scalar(select(func.count()).select_from(Region)) == before + 1
        village = s.scalars(select(Region).where(Region.name == "新建村")).one()
        assert village.code == "331102103999" and village.parent.code == "331102103"  # type: ignore[union-attr]
        assert s.scalars(select(AuditEntry).where(AuditEntry.entity_id == village.id)).first() is not None


def test_a_cadre_over_the_cap_is_a_warning_and_every_household_is_imported(laozhu: Database, tmp_path: Path) -> None:
    """12 households paired with one cadre under a cap of 10: all 12 households and pairings are imported
    (a roster records pairings that exist), the cadre is named in the report and in ``anomalies``."""
    lines = [
        [
            n,
            "老竹村",
            f"蓝{n}",
            make_id("331102", "19700101", 200 + n),
            "低保",
            "因病",
            "雷干部",
            "老竹畲族镇人民政府",
            "2020-01-01",
        ]
        for n in range(1, 13)
    ]
    path = tmp_path / "cap.xlsx"
    book = openpyxl.Workbook()
    for row in [HEADER, *lines]:
        book.active.append(row)
    book.save(path)
    dry = ExcelImport(path, "roster").run(laozhu, dry_run=True)
    assert dry.ok and [n.zh for n in dry.notices if "上限" in n.zh] == [
        "干部雷干部结对 12 户，超过上限 10 户（已导入，请在异常检查中核实）。"
    ]
    report = ExcelImport(path, "roster").run(laozhu)
    assert report.applied and report.counts["pairing"]["create"] == 12
    from app.services.anomalies import find_anomalies
    from app.services.scope import WHOLE

    with laozhu.session() as s:
        assert [a.kind for a in find_anomalies(s, WHOLE) if a.kind == "cadre_over_cap"] == ["cadre_over_cap"]
