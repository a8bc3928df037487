"""Table rows written straight into a constant-memory XlsxWriter worksheet as sheet XML, byte for byte what
XlsxWriter itself writes for the same cells.

Why: an export of 200,000 households is ~3.3 million cells, and XlsxWriter's per-cell path (argument
parsing, a cell tuple in a dict, then escaping regexes and attribute lists when the row is flushed) was
nearly all of its ~21 s CPU. Here a cell that needs none of that (text with nothing to escape, a finite
number, a date) costs one f-string. A row with anything else (characters to escape, leading or trailing
spaces, a very long text, a non-finite number, a date XlsxWriter refuses) goes through XlsxWriter's own
``write_*`` calls, so it is written — or refused — exactly as before.

This leans on XlsxWriter's constant-memory internals (``fh``, ``previous_row``, ``dim_*``,
``_write_single_row``, ``_convert_date_time``), pinned in uv.lock; tests/unit/excel/test_xlsx_rows.py
compares the sheet XML of both paths, so an upgrade that changes them fails there.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# What XlsxWriter escapes or marks in an inline string (xmlwriter.xml_escapes, re_control_chars_1/2, the
# \ufffe/\uffff non-characters, utility.RE_LEADING/TRAILING_WHITESPACE); a text with none is written as is.
_SPECIAL = re.compile('["&<>\n]|_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|^\\s|\\s$')
_LONG = 16383  # XlsxWriter checks (and truncates) only texts longer than half its 32,767-unit limit

# A planned cell: ("s", text, format) | ("n", number, format); None for an empty cell.
Cell = tuple[str, Any, Format] | None
CellPlan = Callable[[Any], Cell]  # a value → its cell, or raises _Unusual
Fallback = Callable[[int, int, Any], Any]  # the column's XlsxWriter write, for a row that needs it


class _Unusual(Exception):
    """This value is written by XlsxWriter itself (its row goes the ordinary way)."""


def text_cell(fmt: Format, quoted: Format, formula_starts: tuple[str, ...]) -> CellPlan:
    def plan(value: Any) -> Cell:
        s = str(value)
        if len(s) > _LONG or _SPECIAL.search(s):
            raise _Unusual
        return ("s", s, quoted if s.startswith(formula_starts) else fmt)

    return plan


def fixed_text_cell(fmt: Format, text_of: Callable[[Any], str]) -> CellPlan:
    """A column whose text is a fixed word chosen from the value (是/否/未填)."""

    def plan(value: Any) -> Cell:
        s = text_of(value)
        if _SPECIAL.search(s):
            raise _Unusual
        return ("s", s, fmt)

    return plan


def number_cell(fmt: Format, scale: float | None, otherwise: CellPlan) -> CellPlan:
    """A number (``scale``: fen → yuan for money, ints only), else the value as text (``otherwise``)."""

    def plan(value: Any) -> Cell:
        if scale is not None:
            if not (isinstance(value, int) and not isinstance(value, bool)):
                return otherwise(value)
            number = value / scale
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = float(value)
        else:
            return otherwise(value)
        if not math.isfinite(number):
            raise _Unusual
        return ("n", number, fmt)

    return plan


def date_cell(ws: Worksheet, fmt: Format, otherwise: CellPlan) -> CellPlan:
    def plan(value: Any) -> Cell:
        if not isinstance(value, date):
            return otherwise(value)
        try:
            return ("n", ws._convert_date_time(value), fmt)
        except Exception:  # XlsxWriter refuses it (out of range, a time zone): let it say so itself
            raise _Unusual from None

    return plan


def write_rows(
    ws: Worksheet,
    first_row: int,
    rows: Iterable[Sequence[Any]],
    plans: Sequence[CellPlan],
    fallbacks: Sequence[Fallback],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write ``rows`` from sheet row ``first_row`` on (0-based); returns how many. Empty cells (None or "")
    are left out, as the ordinary path does."""
    ws._write_single_row(first_row)  # flush the header's last row; the data rows start here
    fh = ws.fh
    letters = [xl_col_to_name(c) for c in range(len(plans))]
    xf: dict[int, int] = {}  # format → its index, taken in cell order as XlsxWriter takes it
    count = 0
    for count, row in enumerate(rows, 1):
        r = first_row + count - 1
        try:
            cells = [None if v is None or v == "" else plans[c](v) for c, v in enumerate(row)]
        except _Unusual:
            ws.previous_row = r  # this row goes through XlsxWriter, flushed as soon as it is complete
            for c, value in enumerate(row):
                if value is not None and value != "":
                    fallbacks[c](r, c, value)
            ws._write_single_row(r + 1)
        else:
            parts = []
            last = -1
            for c, cell in enumerate(cells):
                if cell is None:
                    continue
                kind, value, fmt = cell
                index = xf.get(id(fmt))
                if index is None:
                    index = xf[id(fmt)] = fmt._get_xf_index()
                if kind == "s":
                    parts.append(f'<c r="{letters[c]}{r + 1}" s="{index}" t="inlineStr"><is><t>{value}</t></is></c>')
                else:
                    parts.append(f'<c r="{letters[c]}{r + 1}" s="{index}"><v>{value:.16G}</v></c>')
                last = c
            if parts:
                fh.write(f'<row r="{r + 1}">{"".join(parts)}</row>')
                first = next(c for c, cell in enumerate(cells) if cell is not None)
                ws.dim_rowmax = r if ws.dim_rowmax is None else max(ws.dim_rowmax, r)
                ws.dim_rowmin = r if ws.dim_rowmin is None else min(ws.dim_rowmin, r)
                ws.dim_colmin = first if ws.dim_colmin is None else min(ws.dim_colmin, first)
                ws.dim_colmax = last if ws.dim_colmax is None else max(ws.dim_colmax, last)
            ws.previous_row = r + 1
        if progress is not None and count % 5000 == 1:
            progress(count)
    return count
