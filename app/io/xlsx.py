"""Write worksheets in the layout officers know: a title row, a subtitle line, a two-row header with merged
group cells, frozen panes, column widths, number formats and A4-landscape print setup with the header
repeated on every page.

XlsxWriter, not openpyxl: in constant-memory mode it writes 200,000 rows in about half openpyxl's time
(tests/bench/bench_excel.py), and it supports every layout feature needed (merges, validation, images).
Text is always written as a string cell; a string starting with ``= + - @`` also gets Excel's quote prefix,
so neither Excel nor WPS ever treats it as a formula, even after the user edits the cell.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from app.domain.enums import UNKNOWN_ZH
from app.io import atomic, xlsx_rows

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_ROW = 2  # 0-based: title, subtitle, then the header
A4 = 9


def chinese_date(day: date) -> str:
    """``2026年11月05日``. Not ``f"{day:%Y年%m月%d日}"``: on Windows strftime encodes its format in the ANSI
    code page, and an English Windows (cp1252) raises UnicodeEncodeError on 年."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


@dataclass(frozen=True)
class Column:
    """One column of a written table: ``kind`` is text, wrap (long text, wrapped), date, money (yuan from
    fen), int, number (counts or yuan already converted), bool or percent."""

    title: str
    width: int = 12
    kind: str = "text"
    group: str = ""


class WorkbookWriter:
    """One .xlsx file with shared formats; use as a context manager (closing writes the file)."""

    def __init__(self, path: Path | str, *, constant_memory: bool = True) -> None:
        self.path = Path(path)
        # Written as a temporary name beside the target and renamed on close (app.io.atomic); XlsxWriter's own
        # temporary files (constant memory mode keeps rows there) go to a private folder beside it too.
        self.target = atomic.begin(self.path)
        options = {
            "constant_memory": constant_memory,
            "tmpdir": str(self.target.workdir),
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "default_date_format": "yyyy-mm-dd",
        }
        self.constant_memory = constant_memory
        self.book = xlsxwriter.Workbook(str(self.target.part), options)
        self.book.set_properties({"title": self.path.stem, "author": "帮扶通 Bangfu"})
        add = self.book.add_format
        base = {"font_name": "宋体", "font_size": 10, "valign": "vcenter"}
        self.fmt: dict[str, Format] = {
            "title": add({**base, "bold": True, "font_size": 16, "align": "center"}),
            "subtitle": add({**base, "align": "left"}),
            "header": add(
                {**base, "bold": True, "align": "center", "border": 1, "text_wrap": True, "bg_color": "#D9E1F2"}
            ),
            "text": add({**base, "border": 1}),
            "wrap": add({**base, "border": 1, "text_wrap": True}),
            "quoted": add({**base, "border": 1, "quote_prefix": True}),
            "date": add({**base, "border": 1, "num_format": "yyyy-mm-dd", "align": "center"}),
            "money": add({**base, "border": 1, "num_format": "#,##0.00"}),
            "int": add({**base, "border": 1, "num_format": "0", "align": "center"}),
            "number": add({**base, "border": 1, "num_format": "#,##0.##"}),
            "percent": add({**base, "border": 1, "num_format": "0.0%"}),
            "red": add({**base, "border": 1, "font_color": "#C00000", "bold": True}),
            "green": add({**base, "border": 1, "font_color": "#006100"}),
            "note": add({**base, "italic": True, "font_color": "#595959"}),
        }
        self.fmt["bool"] = self.fmt["text"]

    def __enter__(self) -> WorkbookWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, _tb: Any) -> None:
        if exc_type is None:
            self.close()
            return
        self.discard()  # cancelled or failed: nothing under the final name, no temporary file left
        if isinstance(exc, OSError):  # the disk filled up while rows were written
            raise atomic.cannot_write(exc) from None

    def close(self) -> None:
        """Finish the workbook and rename it into place."""
        try:
            self.book.close()
        except OSError as exc:
            atomic.discard(self.target)
            raise atomic.cannot_write(exc) from None
        except BaseException:
            atomic.discard(self.target)
            raise
        atomic.commit(self.target)

    def discard(self) -> None:
        with contextlib.suppress(Exception):
            self.book.fileclosed = True  # XlsxWriter's __del__ would otherwise try to close (write) it again
        atomic.discard(self.target)

    # -- tables -------------------------------------------------------------------------------------

    def table_sheet(
        self,
        name: str,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        subtitle: str = "",
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """A sheet with title, subtitle, two-row header and ``rows``; returns the number of data rows."""
        ws = self.book.add_worksheet(name[:31])
        first_data = self.header(ws, title, columns, subtitle=subtitle)
        writers = [self._cell_writer(ws, c.kind) for c in columns]
        if self.constant_memory:  # the exports: rows straight to sheet XML (app.io.xlsx_rows)
            plans = [self._cell_plan(ws, c.kind) for c in columns]
            count = xlsx_rows.write_rows(ws, first_data, rows, plans, writers, progress)
            self.print_setup(ws, len(columns), first_data)
            return count
        count = 0
        for count, row in enumerate(rows, 1):
            r = first_data + count - 1
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                writers[c](r, c, value)
            if progress is not None and count % 5000 == 1:
                progress(count)
        self.print_setup(ws, len(columns), first_data)
        return count

    def header(self, ws: Worksheet, title: str, columns: Sequence[Column], *, subtitle: str = "") -> int:
        """Title (merged across), subtitle, the two header rows; widths and freeze. Returns the first data row."""
        last = len(columns) - 1
        if last > 0:
            ws.merge_range(0, 0, 0, last, title, self.fmt["title"])
        else:
            ws.write_string(0, 0, title, self.fmt["title"])
        ws.set_row(0, 30)
        if subtitle:
            ws.write_string(1, 0, subtitle, self.fmt["subtitle"])
        # Constant-memory mode writes rows strictly in order, so the top header row is finished first; the
        # vertical merges are registered on the second row (merge_range's write of the top cell is then a
        # no-op, the top cell already holds the title).
        top, sub = HEADER_ROW, HEADER_ROW + 1
        spans = _group_spans(columns)
        for first, last, label in spans:
            if last > first:
                ws.merge_range(top, first, top, last, label, self.fmt["header"])
            else:
                ws.write_string(top, first, label, self.fmt["header"])
        for first, last, label in spans:
            if columns[first].group:
                for k in range(first, last + 1):
                    ws.write_string(sub, k, columns[k].title, self.fmt["header"])
            else:
                ws.merge_range(top, first, sub, first, label, self.fmt["header"])
        for i, column in enumerate(columns):
            ws.set_column(i, i, column.width)
        ws.set_row(top, 20)
        ws.set_row(sub, 20)
        ws.freeze_panes(sub + 1, 0)
        return sub + 1

    def print_setup(self, ws: Worksheet, width: int, first_data: int) -> None:
        ws.set_landscape()
        ws.set_paper(A4)
        ws.repeat_rows(HEADER_ROW, first_data - 1)
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.hide_gridlines(0)

    # -- cells --------------------------------------------------------------------------------------

    def _cell_writer(self, ws: Worksheet, kind: str) -> Callable[[int, int, Any], Any]:
        fmt = self.fmt.get(kind, self.fmt["text"])
        text_fmt, quoted = self.fmt["wrap" if kind == "wrap" else "text"], self.fmt["quoted"]

        def text(r: int, c: int, value: Any) -> Any:
            s = str(value)
            return ws.write_string(r, c, s, quoted if s.startswith(FORMULA_STARTS) else text_fmt)

        def number(r: int, c: int, value: Any) -> Any:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                return ws.write_number(r, c, float(value), fmt)
            return text(r, c, value)

        def money(r: int, c: int, fen: Any) -> Any:
            if isinstance(fen, int) and not isinstance(fen, bool):
                return ws.write_number(r, c, fen / 100, fmt)
            return text(r, c, fen)

        def when(r: int, c: int, value: Any) -> Any:
            if isinstance(value, date | datetime):
                return ws.write_datetime(r, c, value, fmt)
            return text(r, c, value)

        def yes_no(r: int, c: int, value: Any) -> Any:
            return ws.write_string(r, c, _yes_no(value), text_fmt)

        writers = {"money": money, "date": when, "int": number, "number": number, "percent": number, "bool": yes_no}
        return writers.get(kind, text)

    def _cell_plan(self, ws: Worksheet, kind: str) -> xlsx_rows.CellPlan:
        """The cells ``_cell_writer`` writes, as ``xlsx_rows`` writes them: same formats, same choices."""
        fmt = self.fmt.get(kind, self.fmt["text"])
        text = xlsx_rows.text_cell(self.fmt["wrap" if kind == "wrap" else "text"], self.fmt["quoted"], FORMULA_STARTS)
        if kind == "money":
            return xlsx_rows.number_cell(fmt, 100, text)
        if kind in ("int", "number", "percent"):
            return xlsx_rows.number_cell(fmt, None, text)
        if kind == "date":
            return xlsx_rows.date_cell(ws, fmt, text)
        if kind == "bool":
            return xlsx_rows.fixed_text_cell(self.fmt["text"], _yes_no)
        return text

    def write_text(self, ws: Worksheet, r: int, c: int, value: Any, fmt: str = "text") -> None:
        """A single text cell, formula-safe (used by reports and templates)."""
        s = "" if value is None else str(value)
        chosen = self.fmt["quoted"] if s.startswith(FORMULA_STARTS) and fmt == "text" else self.fmt[fmt]
        ws.write_string(r, c, s, chosen)


def _yes_no(value: Any) -> str:
    # None is 未填 (unknown), never "否": a contract nobody has asked about is not a missing contract.
    return UNKNOWN_ZH if value is None else "是" if value else "否"


def _group_spans(columns: Sequence[Column]) -> list[tuple[int, int, str]]:
    """(first, last, label) per top-row cell: a run of columns with the same group, or a single column."""
    spans: list[tuple[int, int, str]] = []
    c = 0
    while c < len(columns):
        end = c
        if columns[c].group:
            while end + 1 < len(columns) and columns[end + 1].group == columns[c].group:
                end += 1
        spans.append((c, end, columns[c].group or columns[c].title))
        c = end + 1
    return spans
