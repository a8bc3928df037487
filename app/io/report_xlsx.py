"""The monthly report as an .xlsx workbook, mirroring the PDF: an 指标 sheet laid out as a form (title,
填报单位, the indicator table, the signature lines), a 图表 sheet, the red lists counted per village and per
household category (分村汇总, 分户类别汇总), and one sheet per red indicator.

Values and money are numbers with their unit in the number format (``0.0%``, ``#,##0.00"元"``, ``#,##0"户"``),
so officers can sum and re-use them; every sheet prints on A4, fit to width, with the header rows repeated
and page numbers in the footer.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.io import charts
from app.io.report import (
    INDICATOR_COLUMNS,
    ReportData,
    chart_figures,
    indicator_lines,
    signature_lines,
    status_text,
    value_kind,
)
from app.io.report_pivots import TOTAL
from app.io.xlsx import Column, WorkbookWriter
from app.services.indicators import Indicator

YUAN_FORMAT = '#,##0.00"元"'


def sheet_name(text: str) -> str:
    """Excel refuses ``[]:*?/\\`` in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "、", text)[:31]


def value_format(ind: Indicator, value: float) -> str:
    """The number format that shows ``value`` with the indicator's unit."""
    kind = value_kind(ind)
    if kind == "percent":
        return "0.0%"
    if kind == "yuan":
        return YUAN_FORMAT
    return f'#,##0"{ind.unit}"' if float(value).is_integer() else f'#,##0.0"{ind.unit}"'


class _Formats:
    """Bordered cell formats by number format and colour, made once per workbook."""

    def __init__(self, writer: WorkbookWriter) -> None:
        self.writer = writer
        self.made: dict[tuple[str, bool], Format] = {}

    def __call__(self, num_format: str, red: bool = False) -> Format:
        key = (num_format, red)
        if key not in self.made:
            props: dict[str, Any] = {"font_name": "宋体", "font_size": 10, "valign": "vcenter", "border": 1}
            props["num_format"] = num_format
            if red:
                props.update(font_color="#C00000", bold=True)
            self.made[key] = self.writer.book.add_format(props)
        return self.made[key]


def _write_figure(ws: Worksheet, r: int, c: int, ind: Indicator, value: float | None, fmt: _Formats, red: bool) -> None:
    if value is None:
        ws.write_string(r, c, "—", fmt("@", red))
    elif value_kind(ind) == "percent":
        ws.write_number(r, c, value / 100, fmt("0.0%", red))
    else:
        ws.write_number(r, c, value, fmt(value_format(ind, value), red))


def _write_fraction(ws: Worksheet, r: int, c: int, value: Decimal | int | None, fmt: _Formats) -> None:
    if value is None:
        ws.write_string(r, c, "—", fmt("@"))
    else:
        ws.write_number(r, c, float(value), fmt(YUAN_FORMAT if isinstance(value, Decimal) else "#,##0"))


def _indicator_sheet(writer: WorkbookWriter, data: ReportData) -> None:
    ws = writer.book.add_worksheet("指标")
    fmt = _Formats(writer)
    subtitle = f"填报单位（盖章）：{data.issuer}　　{data.subtitle}"
    first = writer.header(ws, data.title, INDICATOR_COLUMNS, subtitle=subtitle)
    r = first
    for r, (n, ind, num, den) in enumerate(indicator_lines(data), first):
        red = ind.ok is False
        ws.write_number(r, 0, n, writer.fmt["int"])
        writer.write_text(ws, r, 1, ind.zh)
        _write_figure(ws, r, 2, ind, ind.value, fmt, red)
        _write_figure(ws, r, 3, ind, ind.target, fmt, False)
        writer.write_text(ws, r, 4, status_text(ind), "red" if red else "text")
        _write_fraction(ws, r, 5, num, fmt)
        _write_fraction(ws, r, 6, den, fmt)
    sign = "　　".join(signature_lines())
    writer.write_text(ws, r + 2, 0, sign, "subtitle")
    writer.print_setup(ws, len(INDICATOR_COLUMNS), first)
    ws.set_portrait()


def _chart_sheet(writer: WorkbookWriter, data: ReportData) -> None:
    figures = chart_figures(data)
    if not figures:
        return
    sheet = writer.book.add_worksheet("图表")
    writer.write_text(sheet, 0, 0, data.title, "title")
    top = 2
    for caption, fig in figures:
        writer.write_text(sheet, top, 0, caption, "subtitle")
        png = charts.png_bytes(fig)
        sheet.insert_image(
            top + 1, 0, f"{caption}.png", {"image_data": io.BytesIO(png), "x_scale": 0.8, "y_scale": 0.8}
        )
        height_rows = int(fig.get_figheight() * fig.dpi * 0.8 / 20) + 3
        top += 1 + height_rows
    sheet.set_portrait()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&C第 &P 页，共 &N 页")


def _pivot_sheets(writer: WorkbookWriter, data: ReportData) -> None:
    for pivot in data.pivots:
        columns = [Column(pivot.by.column, 14), *(Column(name, 12, "int") for name in pivot.indicators),
                   Column(TOTAL, 8, "int")]  # fmt: skip
        body = ([group, *counts] for group, counts in pivot.table())
        writer.table_sheet(pivot.by.sheet, pivot.by.title, columns, body, subtitle=pivot.note())


def _list_sheets(writer: WorkbookWriter, data: ReportData) -> None:
    for n, ind in enumerate(data.red, 1):
        table = data.list_table(ind)
        columns = [Column("序号", 6, "int"), *table.columns]
        body = ([k, *row] for k, row in enumerate(table.rows, 1))
        name = sheet_name(f"{n}.{ind.zh}")
        writer.table_sheet(name, f"未达标：{ind.zh}", columns, body, subtitle=table.note())


def write_xlsx(data: ReportData, path: Path | str) -> Path:
    with WorkbookWriter(path, constant_memory=False) as writer:  # itself written atomically (app.io.atomic)
        _indicator_sheet(writer, data)
        _chart_sheet(writer, data)
        _pivot_sheets(writer, data)
        _list_sheets(writer, data)
    return Path(path)
