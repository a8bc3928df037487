"""Spreadsheets laid out the way townships keep them, built in the tests (no binary fixtures checked in).

``messy_roster_rows`` is the sheet as a grid: two title lines, a 填报单位/填报日期 line, a two-row header
with ``结对帮扶干部`` merged over 姓名/工作单位/职务/联系电话, a row of column numbers, blank lines, a
``合计`` row and ``注：`` footnotes; values typed every which way. ``write_*`` save the grid as .xlsx
(with real merged cells), .xls (xlwt), .ods (odfpy via pandas) or .csv in UTF-8 or GBK.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from app.domain.validators import id_check_digit


def make_id(region: str, birth: str, seq: int) -> str:
    first17 = f"{region}{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


def id_ending_in_x(region: str, birth: str) -> str:
    """A valid ID whose check character is X (to type it with a lowercase x)."""
    for seq in range(1000):
        number = make_id(region, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit")


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def roster_people() -> list[dict[str, Any]]:
    """Five households typed every which way, with what each must become in the ledger (``want_*``)."""
    ids = [
        make_id("331122", "19650101", 101),
        make_id("331122", "19700202", 102),
        id_ending_in_x("331122", "19580303"),
        make_id("331122", "19800404", 104),
        make_id("331122", "19450505", 105),
    ]
    return [
        {"head": "王 芳", "id": ids[0], "typed_id": f"{ids[0][:6]} {ids[0][6:14]} {ids[0][14:]}",
         "phone": "138-0578-1234", "want_phone": "13805781234", "village": "岩背村", "category": "低保",
         "want_category": "dibao", "causes": "因病、缺劳力", "want_causes": ("illness", ["no_labour"]),
         "cadre": "王伟", "unit": "缙云县农业农村局", "post": "科员", "cadre_phone": "13905781111",
         "since": "2017.9.29", "want_since": date(2017, 9, 29), "want_head": "王芳"},
        {"head": "李建国", "id": ids[1], "typed_id": ids[1].translate(FULL_WIDTH), "phone": "0578-3123456",
         "want_phone": "0578-3123456", "village": "金竹", "category": "低边", "want_category": "dibao_edge",
         "causes": "因学/因病", "want_causes": ("schooling", ["illness"]), "cadre": "王伟", "unit": "缙云县财政局",
         "post": "副局长", "cadre_phone": "13905782222", "since": "2017年9月29日", "want_since": date(2017, 9, 29),
         "want_head": "李建国"},
        {"head": "张小红", "id": ids[2], "typed_id": ids[2].lower(), "phone": "13812345678",
         "want_phone": "13812345678", "village": "好溪村", "category": "特困", "want_category": "tekun",
         "causes": "因残", "want_causes": ("disability", []), "cadre": "王伟", "unit": "缙云县农业农村局",
         "post": "科员", "cadre_phone": "13905781111", "since": "20170929", "want_since": date(2017, 9, 29),
         "want_head": "张小红"},
        {"head": "陈 大 明", "id": ids[3], "typed_id": ids[3], "phone": "", "want_phone": None, "village": "岩背村",
         "category": "低保边缘户", "want_category": "dibao_edge", "causes": "缺技术，缺资金",
         "want_causes": ("no_skills", ["no_capital"]), "cadre": "赵敏", "unit": "壶镇镇人民政府", "post": "",
         "cadre_phone": "", "since": 42999, "want_since": date(2017, 9, 21), "want_head": "陈大明"},
        {"head": "刘阿婆", "id": ids[4], "typed_id": ids[4], "phone": "0578 3765432", "want_phone": "0578-3765432",
         "village": "岩背村", "category": "特困供养", "want_category": "tekun", "causes": "缺劳力",
         "want_causes": ("no_labour", []), "cadre": "赵敏", "unit": "壶镇镇人民政府", "post": "", "cadre_phone": "",
         "since": date(2018, 3, 1), "want_since": date(2018, 3, 1), "want_head": "刘阿婆"},
    ]  # fmt: skip


BAD_ROWS = [
    # ID stored as a number: lost its last digits
    {
        "head": "吴失位",
        "typed_id": 3.31122196501011e17,
        "phone": "13800000001",
        "village": "岩背村",
        "category": "低保",
        "causes": "因病",
        "cadre": "赵敏",
        "unit": "壶镇镇人民政府",
        "post": "",
        "cadre_phone": "",
        "since": "2019-01-01",
    },
    # unknown category, bad phone
    {
        "head": "郑错类",
        "typed_id": make_id("331122", "19700101", 555),
        "phone": "12345",
        "village": "岩背村",
        "category": "贫困户",
        "causes": "因病",
        "cadre": "赵敏",
        "unit": "壶镇镇人民政府",
        "post": "",
        "cadre_phone": "",
        "since": "2019-01-01",
    },
]

TITLE = "壶镇镇低收入农户结对帮扶花名册"
TOP = [
    "序号",
    "行政村",
    "户主姓名",
    "身份证号码",
    "联系电话",
    "低收入农户类型",
    "致贫原因",
    "结对帮扶干部",
    "",
    "",
    "",
    "结对时间",
]
SUB = ["", "", "", "", "", "", "", "姓名", "工作单位", "职务", "联系电话", ""]


def roster_line(n: int, p: dict[str, Any]) -> list[Any]:
    return [
        n,
        p["village"],
        p["head"],
        p["typed_id"],
        p["phone"],
        p["category"],
        p["causes"],
        p["cadre"],
        p["unit"],
        p["post"],
        p["cadre_phone"],
        p["since"],
    ]


def messy_roster_rows(
    people: list[dict[str, Any]] | None = None, bad: list[dict[str, Any]] | None = None
) -> list[list[Any]]:
    people = roster_people() if people is None else people
    rows: list[list[Any]] = [
        [TITLE] + [""] * 11,
        [""] * 12,
        ["填报单位：壶镇镇人民政府", "", "", "", "", "", "", "", "填报日期：2024年3月1日", "", "", ""],
        TOP,
        SUB,
        [str(i) for i in range(1, 13)],
    ]
    for n, p in enumerate(people, 1):
        rows.append(roster_line(n, p))
        if n == 2:
            rows.append([""] * 12)  # a blank line in the middle
    for n, p in enumerate(bad or [], len(people) + 1):
        rows.append(roster_line(n, p))
    rows.append(["合计", "", f"{len(people)}户", "", "", "", "", "", "", "", "", ""])
    rows.append(["注：1.身份证号码请设为文本格式；2.类型填低保户、低保边缘户、特困供养或其他。"] + [""] * 11)
    rows.append(["填表人：李四", "", "", "", "审核人：张三"] + [""] * 7)
    return rows


def write_xlsx(path: Path, rows: list[list[Any]], *, sheet: str = "花名册", hidden_first: bool = True) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    if hidden_first:
        ws_hidden = wb.active
        ws_hidden.title = "下拉选项"
        ws_hidden.append(["低保户", "低保边缘户"])
        ws_hidden.sheet_state = "hidden"
        ws = wb.create_sheet(sheet)
    else:
        ws = wb.active
        ws.title = sheet
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    if rows and rows[0] and rows[0][0] == TITLE:
        ws.merge_cells("A1:L1")
        ws.merge_cells("H4:K4")
        for col in "ABCDEFGL":
            ws.merge_cells(f"{col}4:{col}5")
    wb.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]], *, sheet: str = "花名册") -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "":
                continue
            if isinstance(value, date):
                ws.write(r, c, value, date_style)
            else:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def write_ods(path: Path, rows: list[list[Any]], *, sheet: str = "花名册") -> Path:
    import pandas as pd

    frame = pd.DataFrame([[None if v == "" else v for v in row] for row in rows])
    frame.to_excel(path, sheet_name=sheet, header=False, index=False, engine="odf")
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for row in rows:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row])
    return path
