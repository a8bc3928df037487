"""The monthly report for a village, township, county or the city: every indicator of the policy against
its target (``app.services.indicators``), the lists behind the red ones, and charts — as an .xlsx workbook
(charts embedded as images, so Excel and WPS show them alike) or as a PDF for printing.

The figures are as of the report date: the last day of the month, or today for the current month.
Resident IDs appear masked only (the indicators hand out masked numbers).
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from matplotlib import image

from app.errors import BangfuError
from app.io import charts
from app.io.atomic import atomic_output
from app.io.xlsx import Column, WorkbookWriter
from app.services import indicators
from app.services.indicators import Indicator, reader_fraction
from app.services.scope import resolve_scope
from app.storage.database import Database

ROW_LIMIT = 5000  # rows listed behind one red indicator in the workbook (the PDF shows the first 40)
PDF_ROWS = 40

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "head_name": ("户主姓名", "text"),
    "id_number_masked": ("身份证号码", "text"),
    "village_code": ("村代码", "text"),
    "village_name": ("行政村", "text"),
    "category": ("类别", "text"),
    "detail": ("说明", "text"),
    "code": ("区划代码", "text"),
    "name": ("名称", "text"),
    "level": ("级别", "text"),
    "is_key_village": ("重点村", "bool"),
    "income_fen": ("集体经济收入（元）", "money"),
    "birth_date": ("出生日期", "date"),
    "school_stage": ("在校情况", "text"),
    "visit_date": ("走访日期", "date"),
    "follow_up_due": ("办结期限", "date"),
    "days_overdue": ("逾期天数", "int"),
    "cadre_name": ("干部", "text"),
    "follow_up": ("待办事项", "text"),
    "stage": ("阶段", "text"),
    "year": ("年度", "int"),
    "budget_fen": ("预算（元）", "money"),
    "allocated_fen": ("已拨付（元）", "money"),
    "disbursed_fen": ("已支出（元）", "money"),
    "planned_end_date": ("计划完成日期", "date"),
}


@dataclass
class ReportData:
    """What a report shows: indicators, and for each red one its rows (as dataclasses from the service)."""

    title: str
    scope_name: str
    as_of: date
    indicators: list[Indicator]
    red_rows: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def red(self) -> list[Indicator]:
        return [i for i in self.indicators if i.ok is False]


def report_date(year: int, month: int, today: date | None = None) -> date:
    if not 1 <= month <= 12:
        raise BangfuError("月份应为1到12。", "The month must be 1 to 12.")
    today = today or date.today()
    end = date(year, month, calendar.monthrange(year, month)[1])
    return min(end, today)


def collect(db: Database, scope: str | None, year: int, month: int) -> ReportData:
    """Compute every indicator for ``scope`` (division code or region id; None = the whole ledger)."""
    as_of = report_date(year, month)
    with db.session() as session:
        resolved = resolve_scope(session, scope)
        measured = indicators.compute_all(session, resolved, year, today=as_of)
        red_rows = {
            i.key: indicators.indicator_rows(session, i.key, resolved, year, ROW_LIMIT, today=as_of)
            for i in measured
            if i.ok is False
        }
    name = resolved.name or db.node.name
    title = f"{name}{year}年{month}月结对帮扶工作月报"
    return ReportData(title, name, as_of, measured, red_rows)


def _value_text(ind: Indicator, value: float | None) -> str:
    if value is None:
        return "—"
    if ind.unit == "%":
        return f"{value:.1f}%"
    if ind.unit in ("元", "yuan"):
        return f"{value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _status(ind: Indicator) -> str:
    return {True: "达标", False: "未达标", None: "—"}[ind.ok]


INDICATOR_COLUMNS = (
    Column("序号", 6, "int"),
    Column("指标", 34),
    Column("当前值", 14),
    Column("目标", 12),
    Column("状态", 8),
    Column("分子", 14, "number"),
    Column("分母", 14, "number"),
)


def indicator_table(data: ReportData) -> list[list[Any]]:
    """One row per indicator; money fractions in yuan (see ``reader_fraction``)."""
    return [
        [n, i.zh, _value_text(i, i.value), _value_text(i, i.target), _status(i), *reader_fraction(i)]
        for n, i in enumerate(data.indicators, 1)
    ]


def _row_columns(rows: Sequence[Any]) -> list[tuple[str, str, str]]:
    """(field, header, kind) of the row dataclass, internal ids left out."""
    if not rows:
        return []
    out = []
    for f in fields(rows[0]):
        if f.name.endswith("_id"):
            continue
        header, kind = FIELD_LABELS.get(f.name, (f.name, "text"))
        out.append((f.name, header, kind))
    return out


def sheet_name(text: str) -> str:
    """Excel refuses ``[]:*?/\\`` in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "、", text)[:31]


def chart_images(data: ReportData) -> list[tuple[str, bytes]]:
    """(caption, PNG) for the coverage/percentage chart and the project money chart."""
    images: list[tuple[str, bytes]] = []
    percents = [i for i in data.indicators if i.unit == "%" and i.target is not None]
    if percents:
        fig = charts.percent_bars(
            "主要指标完成情况（%）", [i.zh for i in percents], [i.value for i in percents], [i.ok for i in percents]
        )
        images.append(("主要指标完成情况", charts.png_bytes(fig)))
    for ind in data.indicators:
        if ind.breakdown:
            labels = [b.zh for b in ind.breakdown]
            series = {
                "预算": [b.budget_fen / 100 for b in ind.breakdown],
                "已拨付": [b.allocated_fen / 100 for b in ind.breakdown],
                "已支出": [b.disbursed_fen / 100 for b in ind.breakdown],
            }
            images.append((ind.zh, charts.png_bytes(charts.money_bars(ind.zh, labels, series))))
    return images


# ------------------------------------------------------------------ workbook


def write_xlsx(data: ReportData, path: Path | str) -> Path:
    path = Path(path)
    subtitle = f"统计范围：{data.scope_name}　　统计截至：{data.as_of:%Y年%m月%d日}"
    with WorkbookWriter(path, constant_memory=False) as writer:
        ws = writer.book.add_worksheet("指标")
        first = writer.header(ws, data.title, INDICATOR_COLUMNS, subtitle=subtitle)
        for r, row in enumerate(indicator_table(data), first):
            red = row[4] == "未达标"
            for c, value in enumerate(row):
                if isinstance(value, int) and not isinstance(value, bool):
                    ws.write_number(r, c, value, writer.fmt["int"])
                elif value is not None:
                    writer.write_text(ws, r, c, value, "red" if red and c in (2, 4) else "text")
        writer.print_setup(ws, len(INDICATOR_COLUMNS), first)

        images = chart_images(data)
        if images:
            sheet = writer.book.add_worksheet("图表")
            writer.write_text(sheet, 0, 0, data.title, "title")
            for n, (caption, png) in enumerate(images):
                top = 2 + 26 * n
                writer.write_text(sheet, top, 0, caption, "subtitle")
                sheet.insert_image(
                    top + 1, 0, f"{caption}.png", {"image_data": io.BytesIO(png), "x_scale": 0.8, "y_scale": 0.8}
                )
            sheet.set_landscape()
            sheet.set_paper(9)

        for n, ind in enumerate(data.red, 1):
            rows = data.red_rows.get(ind.key, [])
            spec = _row_columns(rows)
            columns = [Column("序号", 6, "int"), *(Column(h, 16, k) for _, h, k in spec)]
            body = ([k, *(getattr(r, f) for f, _, _ in spec)] for k, r in enumerate(rows, 1))
            note = f"共{ind.numerator if ind.numerator is not None else len(rows)}项" + (
                f"，列出前{ROW_LIMIT}项" if len(rows) >= ROW_LIMIT else ""
            )
            writer.table_sheet(sheet_name(f"{n}.{ind.zh}"), f"未达标：{ind.zh}", columns, body, subtitle=note)
    return path


# ------------------------------------------------------------------ PDF


def write_pdf(data: ReportData, path: Path | str) -> Path:
    from matplotlib.backends.backend_pdf import PdfPages

    path = Path(path)
    charts.chinese_font()
    # Closed (PdfPages) before renamed into place (atomic_output): exits run right to left.
    with (
        atomic_output(path) as target,
        PdfPages(target.part, metadata={"Title": data.title, "Creator": "帮扶通 Bangfu"}) as pdf,
    ):
        fig = charts.new_figure(11.69, 8.27)  # A4 landscape
        fig.suptitle(data.title, fontsize=16)
        ax = fig.add_subplot()
        ax.axis("off")
        ax.set_title(f"统计范围：{data.scope_name}　统计截至：{data.as_of:%Y年%m月%d日}", fontsize=10)
        table_rows = [[_pdf_text(c) for c in row] for row in indicator_table(data)]
        total = sum(c.width for c in INDICATOR_COLUMNS)
        table = ax.table(
            cellText=table_rows,
            colLabels=[c.title for c in INDICATOR_COLUMNS],
            colWidths=[c.width / total for c in INDICATOR_COLUMNS],
            loc="upper center",
        )
        table.auto_set_font_size(False)
        table.set_fontsize(8)
        for r, row in enumerate(table_rows, 1):
            if row[4] == "未达标":
                for c in (2, 4):
                    table[r, c].get_text().set_color(charts.RED)
        pdf.savefig(fig)
        for _caption, png in chart_images(data):
            fig = charts.new_figure(11.69, 8.27)
            ax = fig.add_subplot()
            ax.imshow(image.imread(io.BytesIO(png), format="png"))
            ax.axis("off")
            pdf.savefig(fig)
        for ind in data.red:
            rows = data.red_rows.get(ind.key, [])[:PDF_ROWS]
            spec = _row_columns(rows)
            fig = charts.new_figure(11.69, 8.27)
            ax = fig.add_subplot()
            ax.axis("off")
            ax.set_title(f"未达标：{ind.zh}（前{len(rows)}项）", fontsize=12)
            if spec:
                cells = [[_cell(getattr(r, f), k) for f, _, k in spec] for r in rows]
                t = ax.table(cellText=cells, colLabels=[h for _, h, _ in spec], loc="upper center")
                t.auto_set_font_size(False)
                t.set_fontsize(7)
            pdf.savefig(fig)
    return path


def _pdf_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int):
        return f"{value / 100:,.2f}"
    if kind == "bool":
        return "是" if value else "否"
    return str(value)


def write_report(db: Database, path: Path | str, *, scope: str | None, year: int, month: int) -> Path:
    """The report as .xlsx or .pdf, chosen by the file's extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise BangfuError("报表文件应为 .xlsx 或 .pdf。", "The report file must be .xlsx or .pdf.")
    data = collect(db, scope, year, month)
    return write_xlsx(data, path) if suffix == ".xlsx" else write_pdf(data, path)
