"""The monthly report as a PDF document an office sends upward, laid out with ReportLab's Platypus on A4:
title, 填报单位, the indicator table, the signature lines (负责人 / 填表人 / 联系电话 / 报送日期), the charts
as vector drawings (matplotlib → SVG → svglib), the red lists counted per village and per household category
(``app.io.report_pivots``), and the list behind each red indicator — real text tables
whose header row repeats on every page — with "第 N 页 共 M 页" at the foot of each page.

Chinese text uses the first embeddable font of the app's CJK chain (``app.fonts.reportlab_font``).
``page_images`` renders the document's pages for the 报表 page's preview (PDFium, no Qt).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from app.fonts import reportlab_font
from app.io import charts
from app.io.atomic import atomic_output
from app.io.report import (
    INDICATOR_COLUMNS,
    PDF_ROWS,
    ListTable,
    ReportData,
    chart_figures,
    figure_text,
    fraction_text,
    indicator_lines,
    signature_lines,
    status_text,
)
from app.io.report_pivots import TOTAL, Pivot
from app.io.xlsx import Column, chinese_date

MARGIN = 18 * mm
FRAME_WIDTH = A4[0] - 2 * MARGIN
RED = colors.HexColor("#C62828")
HEADER_FILL = colors.HexColor("#D9E1F2")
GRID = colors.HexColor("#808080")

SECTION_NUMBERS = "一二三四五六七八九十"
PDF_PIVOT_LINES = 30  # villages with the most listed rows; the workbook has every one


class _Styles:
    """Paragraph styles in the CJK font (``wordWrap="CJK"`` breaks lines between Chinese characters)."""

    def __init__(self) -> None:
        font = reportlab_font()
        base = ParagraphStyle("base", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.font = font
        self.title = ParagraphStyle("title", base, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=4 * mm)
        self.line = ParagraphStyle("line", base, fontSize=10.5, leading=15)
        self.right = ParagraphStyle("right", self.line, alignment=TA_RIGHT)
        self.heading = ParagraphStyle(
            "heading", base, fontSize=12.5, leading=18, spaceBefore=5 * mm, spaceAfter=2 * mm, keepWithNext=1
        )
        self.subheading = ParagraphStyle(
            "sub", base, fontSize=10.5, leading=15, spaceBefore=3 * mm, spaceAfter=1.5 * mm, keepWithNext=1
        )
        self.cell = base
        self.cell_center = ParagraphStyle("cell_center", base, alignment=TA_CENTER)
        self.cell_number = ParagraphStyle("cell_number", base, alignment=TA_RIGHT)
        self.cell_red = ParagraphStyle("cell_red", base, alignment=TA_RIGHT, textColor=RED)
        self.cell_red_center = ParagraphStyle("cell_red_center", base, alignment=TA_CENTER, textColor=RED)
        self.head = ParagraphStyle("head", base, alignment=TA_CENTER, leading=11)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _widths(weights: Sequence[float]) -> list[float]:
    total = sum(weights)
    return [FRAME_WIDTH * w / total for w in weights]


def _table(header: Sequence[str], body: list[list[Any]], widths: list[float], st: _Styles) -> Table:
    table = Table([[_p(h, st.head) for h in header], *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


# ------------------------------------------------------------------ the parts of the document


def _head(data: ReportData, st: _Styles) -> list[Flowable]:
    issuer = Table(
        [[_p(f"填报单位（盖章）：{data.issuer}", st.line), _p(f"统计截至：{chinese_date(data.as_of)}", st.right)]],
        colWidths=_widths([3, 2]),
    )
    issuer.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [_p(data.title, st.title), issuer, _p(f"统计范围：{data.place}", st.line)]


def _indicator_table(data: ReportData, st: _Styles) -> Table:
    body = []
    for n, ind, num, den in indicator_lines(data):
        red = ind.ok is False
        body.append(
            [
                _p(str(n), st.cell_center),
                _p(ind.zh, st.cell),
                _p(figure_text(ind, ind.value), st.cell_red if red else st.cell_number),
                _p(figure_text(ind, ind.target), st.cell_number),
                _p(status_text(ind), st.cell_red_center if red else st.cell_center),
                _p(fraction_text(num), st.cell_number),
                _p(fraction_text(den), st.cell_number),
            ]
        )
    weights = [6, 29, 14, 14, 9, 18, 18]
    return _table([c.title for c in INDICATOR_COLUMNS], body, _widths(weights), st)


def _signature(st: _Styles) -> Flowable:
    cells = signature_lines()
    table = Table([[_p(cells[0], st.line), _p(cells[1], st.line)], [_p(cells[2], st.line), _p(cells[3], st.line)]],
                  colWidths=_widths([1, 1]))  # fmt: skip
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 5)]))
    return table


def _drawing(svg: bytes, width: float) -> Drawing:
    from svglib.svglib import svg2rlg

    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:  # svglib returns None for an SVG it cannot read; ours are matplotlib's, so this is a bug
        raise ValueError("chart SVG could not be read")
    scale = min(1.0, width / drawing.width)
    drawing.scale(scale, scale)
    drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return drawing


def _charts(data: ReportData, st: _Styles) -> list[Flowable]:
    # Each figure carries its own title; the drawing is one flowable, so it never splits across pages.
    parts: list[Flowable] = []
    for _caption, fig in chart_figures(data):
        parts += [_drawing(charts.svg_bytes(fig), FRAME_WIDTH), Spacer(1, 4 * mm)]
    return parts


def _cell(value: Any, column: Column, st: _Styles) -> Paragraph:
    if value is None or value == "":
        return _p("", st.cell)
    if column.kind == "money" and isinstance(value, int):
        return _p(f"{value / 100:,.2f}", st.cell_number)
    if column.kind == "bool":
        return _p("是" if value else "否", st.cell_center)
    if isinstance(value, date):
        return _p(f"{value:%Y-%m-%d}", st.cell_center)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return _p(str(value), st.cell_number)  # years, days, counts: no thousands separator
    return _p(str(value), st.cell)


def _list(n: int, title: str, table: ListTable, st: _Styles) -> list[Flowable]:
    shown = table.rows[:PDF_ROWS]
    note = table.note()
    if len(shown) < table.total:
        note += f"，本表列出前{len(shown)}项，完整清单见电子表格版月报"
    heading = _p(f"（{SECTION_NUMBERS[n - 1] if n <= 10 else n}）{title}：{note}", st.subheading)
    if not shown:
        return [heading]
    columns = [Column("序号", 6, "int"), *table.columns]
    body = [[_p(str(k), st.cell_center), *(_cell(v, c, st) for v, c in zip(row, table.columns, strict=True))]
            for k, row in enumerate(shown, 1)]  # fmt: skip
    return [heading, _table([c.title for c in columns], body, _widths([c.width for c in columns]), st)]


def _pivot(pivot: Pivot, st: _Styles) -> list[Flowable]:
    lines = pivot.lines[:PDF_PIVOT_LINES]
    note = pivot.note()
    if len(lines) < len(pivot.lines):
        note += f"；本表列出前{len(lines)}个，完整汇总见电子表格版月报"
    body = [[_p(group, st.cell), *(_p(str(n), st.cell_number) for n in counts)]
            for group, counts in [*lines, (TOTAL, pivot.totals)]]  # fmt: skip
    weights = [14, *(10 for _ in pivot.indicators), 7]
    return [_p(note, st.line), Spacer(1, 1.5 * mm), _table(pivot.headers, body, _widths(weights), st)]


def story(data: ReportData) -> list[Flowable]:
    """The document's flowables, in reading order; sections are numbered as they appear."""
    st = _Styles()
    numbers = iter(SECTION_NUMBERS)
    parts: list[Flowable] = [*_head(data, st), _p(f"{next(numbers)}、主要指标完成情况", st.heading)]
    parts += [_indicator_table(data, st), Spacer(1, 6 * mm), _signature(st)]
    chart_parts = _charts(data, st)
    if chart_parts:
        parts += [_p(f"{next(numbers)}、图表", st.heading), *chart_parts]
    for pivot in data.pivots:
        parts += [_p(f"{next(numbers)}、{pivot.by.title}", st.heading), *_pivot(pivot, st)]
    parts.append(_p(f"{next(numbers)}、未达标指标明细", st.heading))
    if not data.red:
        parts.append(_p("本月各项指标均已达标。", st.line))
    for n, ind in enumerate(data.red, 1):
        parts += _list(n, ind.zh, data.list_table(ind), st)
    return parts


class _NumberedCanvas(Canvas):
    """Holds each page until the document is complete, then stamps "第 N 页 共 M 页" at every foot."""

    font = "Helvetica"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(self.font, 9)
            self.drawCentredString(A4[0] / 2, 10 * mm, f"第 {number} 页 共 {total} 页")
            super().showPage()
        super().save()


def pdf_bytes(data: ReportData) -> bytes:
    """The whole document in memory (the preview shows it; saving writes these bytes)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=data.title,
        author=data.issuer,
        creator="帮扶通",
    )
    canvas = type("_Canvas", (_NumberedCanvas,), {"font": reportlab_font()})
    doc.build(story(data), canvasmaker=canvas)
    return buffer.getvalue()


def save_bytes(content: bytes, path: Path | str) -> Path:
    """Write a document made by ``pdf_bytes`` to ``path`` (temporary name, then rename)."""
    with atomic_output(path) as target:
        target.part.write_bytes(content)
    return Path(path)


def write_pdf(data: ReportData, path: Path | str) -> Path:
    return save_bytes(pdf_bytes(data), path)


def page_images(content: bytes, width: int = 900) -> list[bytes]:
    """Each page of a PDF as a PNG ``width`` pixels wide (PDFium), for a preview on screen."""
    import pypdfium2

    images = []
    document = pypdfium2.PdfDocument(content)
    try:
        for page in document:
            scale = width / page.get_width()
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            images.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return images
