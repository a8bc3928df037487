"""The exports' fast row path (``app.io.xlsx_rows``) writes the very bytes XlsxWriter writes for the same
table, including the rows it hands back to XlsxWriter (text to escape, spaces to keep, control characters,
formula-like text, long text) and the cells XlsxWriter refuses."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.io import xlsx_rows
from app.io.ledgers import HOUSEHOLD_COLUMNS
from app.io.xlsx import Column, WorkbookWriter

COLUMNS = (
    Column("序号", 6, "int"),
    Column("姓名", 10),
    Column("说明", 20, "wrap"),
    Column("金额（元）", 12, "money"),
    Column("人数", 8, "number"),
    Column("比例", 8, "percent"),
    Column("日期", 11, "date"),
    Column("签约", 8, "bool"),
    Column("姓名", 9, group="结对帮扶干部"),
    Column("联系电话", 14, group="结对帮扶干部"),
)

ROWS: list[list[Any]] = [
    [1, "王芳", "房屋漏雨，需修缮", 1234567, 3, 0.25, date(2017, 9, 29), True, "李伟", "13905781111"],
    [2, "李建国", "", None, Decimal("2.5"), 1, datetime(2024, 3, 1, 8, 30), False, None, ""],
    [3, "=1+1", "-5 元", "12,000元", "未填", "10%", "2017.9.29", None, "+86", "@home"],  # text in every column
    [4, "a & b < c > d", 'say "hi"', 0, 0, 0.0, date(1900, 3, 1), True, "x", "y"],  # escaped: XlsxWriter's row
    [5, " 前后空格 ", "line\nbreak", -1, -2.5, 1e-7, date(2099, 12, 31), False, "tab\there", "ok"],
    [6, "ctl\x07bell", "_x0041_ literal", 10**15, 10**18, 12345.678901234567, date(1999, 1, 1), True, "", None],
    [7, "长" * 20000, "short", 1, 1, 1, date(2000, 2, 29), True, "u\ufffe", "v"],  # long text, a non-character
    [None, None, None, None, None, None, None, None, None, None],  # a wholly empty row
    [9, "末行", "", 5, 5, 0.5, date(2026, 1, 1), None, "王", "13800000000"],
]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n != "docProps/core.xml"}  # core.xml holds the time


def write(path: Path, rows: list[list[Any]], columns: tuple[Column, ...] = COLUMNS) -> Path:
    with WorkbookWriter(path) as writer:
        assert writer.table_sheet("台账", "测试台账", columns, rows, subtitle="填报单位：测试") == len(rows)
    return path


def always_xlsxwriter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every row through XlsxWriter's own write_* calls: the path every export took before."""

    def plan(self: WorkbookWriter, ws: Any, kind: str) -> xlsx_rows.CellPlan:
        def unusual(value: Any) -> xlsx_rows.Cell:
            raise xlsx_rows._Unusual

        return unusual

    monkeypatch.setattr(WorkbookWriter, "_cell_plan", plan)


def test_fast_rows_are_byte_for_byte_what_xlsxwriter_writes(tmp_path, monkeypatch):
    fast = parts(write(tmp_path / "fast.xlsx", ROWS))
    always_xlsxwriter(monkeypatch)
    ordinary = parts(write(tmp_path / "ordinary.xlsx", ROWS))

    assert fast.keys() == ordinary.keys()
    for name in fast:
        assert fast[name] == ordinary[name], name
    sheet = fast["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:J13"/>' in sheet  # title, subtitle, 2 header rows + 9 data rows: 4 + 9 = row 13
    assert "a &amp; b &lt; c &gt; d" in sheet and 'xml:space="preserve"' in sheet and "_x0007_" in sheet


def test_a_household_export_layout_matches_too(tmp_path, monkeypatch):
    rows = [
        [n, "镇1", "村1", "", f"户主{n}", "331122********1234", "13800000000", "", "低保", "因病、缺劳力", "在册",
         None, None, date(2016, 5, 1), False, "", "干部", "县局", "科员", "13900000000", date(2017, 9, 29)]
        for n in range(1, 301)
    ]  # fmt: skip
    fast = parts(write(tmp_path / "fast.xlsx", rows, HOUSEHOLD_COLUMNS))
    always_xlsxwriter(monkeypatch)
    ordinary = parts(write(tmp_path / "ordinary.xlsx", rows, HOUSEHOLD_COLUMNS))
    assert fast == ordinary


def test_a_non_finite_number_is_refused_as_xlsxwriter_refuses_it(tmp_path):
    rows = [[1, "王芳", "", 100, float("nan"), 1, date(2017, 1, 1), True, "", ""]]  # NaN under 人数 (number)
    with pytest.raises(TypeError), WorkbookWriter(tmp_path / "nan.xlsx") as writer:
        writer.table_sheet("台账", "测试台账", COLUMNS, rows)
    assert not (tmp_path / "nan.xlsx").exists()  # refused: no file under the final name
