"""Find the table inside a sheet as townships really lay it out, and match its columns to an import kind.

A real roster has a title row or two (``XX镇低收入农户结对帮扶花名册``), ``填报单位/填报日期`` lines, a
header of one row or two rows with merged cells (``结对帮扶干部`` spanning 姓名/工作单位/职务/联系电话),
sometimes a row of column numbers, blank lines, a ``合计`` totals row and ``注：`` footnotes or
``填表人：`` signatures at the end. The header is the row (or pair of rows) whose cells match the most
column synonyms of the kind; data rows are what follows, minus blanks, totals and the footer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from app.io.columns import ColumnSpec, ImportKind, group_of, normalize_header
from app.io.errors import TableNotFound
from app.io.values import cell_text, is_blank

_SCAN_ROWS = 40
_TOTAL_WORDS = ("合计", "总计", "小计", "累计", "总数")
_FOOTER_PREFIXES = (
    "注",
    "备注：",
    "备注:",
    "说明：",
    "说明:",
    "填表人",
    "制表人",
    "审核人",
    "负责人",
    "填报人",
    "统计人",
)


@dataclass(frozen=True)
class HeaderColumn:
    """One column of the detected header: ``group`` is the merged label above it (may be empty)."""

    index: int
    group: str
    sub: str

    @property
    def label(self) -> str:
        return f"{self.group}/{self.sub}" if self.group and self.sub else (self.sub or self.group)


@dataclass
class TableLayout:
    """Where the table is: header row indices (0-based), its columns, the data rows and what was skipped."""

    header_rows: tuple[int, ...]
    columns: list[HeaderColumn]
    data_rows: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row index, "totals" | "footer" | …)

    def signature(self, kind: ImportKind) -> str:
        """Identifies a layout (kind + header words) so a confirmed mapping is offered again next time."""
        words = "|".join(normalize_header(c.label) for c in self.columns)
        return hashlib.sha256(f"{kind.name}|{words}".encode()).hexdigest()[:24]


def _row(rows: list[list[Any]], index: int) -> list[Any]:
    return rows[index] if 0 <= index < len(rows) else []


def header_single(rows: list[list[Any]], r: int) -> list[HeaderColumn]:
    return [HeaderColumn(j, "", cell_text(v)) for j, v in enumerate(_row(rows, r)) if not is_blank(v)]


def header_pair(rows: list[list[Any]], r: int) -> list[HeaderColumn]:
    """A two-row header: a top label with a label below it is a group spanning to the right (merged cells);
    a top label with nothing below is a single column merged vertically."""
    top, bottom = _row(rows, r), _row(rows, r + 1)
    width = max(len(top), len(bottom))
    columns: list[HeaderColumn] = []
    group = ""
    for j in range(width):
        t = cell_text(top[j]) if j < len(top) else ""
        b = cell_text(bottom[j]) if j < len(bottom) else ""
        if t and b:
            group = t
            columns.append(HeaderColumn(j, t, b))
        elif b:
            columns.append(HeaderColumn(j, group, b))
        elif t:
            group = ""
            columns.append(HeaderColumn(j, "", t))
        else:
            group = ""
    return columns


def is_group_header(rows: list[list[Any]], r: int) -> bool:
    """Whether rows r and r+1 look like a merged two-row header: every label in the lower row sits under a
    group label that spans two or more columns (blank above, like ``结对帮扶干部`` over four columns)."""
    top, bottom = _row(rows, r), _row(rows, r + 1)
    filled = [j for j, v in enumerate(bottom) if not is_blank(v)]
    if len(filled) < 2:
        return False
    for j in filled:
        start = j
        while start > 0 and (start >= len(top) or is_blank(top[start])):
            start -= 1
        spans_two = (
            start + 1 < len(bottom)
            and not is_blank(bottom[start + 1])
            and (start + 1 >= len(top) or is_blank(top[start + 1]))
        )
        if start >= len(top) or is_blank(top[start]) or not spans_two:
            return False
    return True


def match_column(column: HeaderColumn, kind: ImportKind) -> ColumnSpec | None:
    """The spec a header column names: the whole label first, then the short word under a group header."""
    full = normalize_header(column.group + column.sub)
    sub = normalize_header(column.sub or column.group)
    for spec in kind.columns:
        if full in spec.names():
            return spec
    group = group_of(column.group) if column.group and column.sub else None
    if group:  # under 结对帮扶干部 a short word is the cadre's, never the household's
        for spec in kind.columns:
            if spec.group == group and sub in {normalize_header(s) for s in spec.short}:
                return spec
        return None
    for spec in kind.columns:
        if spec.group is None and sub in spec.names():
            return spec
    return None


def auto_mapping(columns: list[HeaderColumn], kind: ImportKind) -> dict[int, str]:
    """Column index → spec key; the first column naming a key wins, later ones stay unmapped."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for column in columns:
        spec = match_column(column, kind)
        if spec and spec.key not in taken:
            mapping[column.index] = spec.key
            taken.add(spec.key)
    return mapping


def _score(columns: list[HeaderColumn], kind: ImportKind, structural: bool = False) -> tuple[int, int, int]:
    """Required columns found, columns found, then a real two-row header beats one row on a tie."""
    keys = set(auto_mapping(columns, kind).values())
    required = sum(1 for spec in kind.required if spec.key in keys)
    return required, len(keys), int(structural)


def locate_table(rows: list[list[Any]], kind: ImportKind) -> TableLayout:
    best: tuple[tuple[int, int, int], tuple[int, ...], list[HeaderColumn]] | None = None
    for r in range(min(len(rows), _SCAN_ROWS)):
        if sum(1 for v in _row(rows, r) if not is_blank(v)) < 2:
            continue  # a title or a 填报单位 line
        candidates: list[tuple[tuple[int, ...], list[HeaderColumn], bool]] = [
            ((r,), header_single(rows, r), False),
            ((r, r + 1), header_pair(rows, r), is_group_header(rows, r)),
        ]
        for header_rows, columns, structural in candidates:
            score = _score(columns, kind, structural)
            if best is None or score > best[0]:
                best = (score, header_rows, columns)
    if best is None or best[0][0] == 0 or best[0][1] < 2:
        raise TableNotFound(kind.zh, kind.en)
    _, header_rows, columns = best
    layout = TableLayout(header_rows, columns)
    _collect_data_rows(rows, layout)
    return layout


def _first_texts(row: list[Any], n: int = 3) -> list[str]:
    out = []
    for value in row:
        if not is_blank(value):
            out.append(normalize_header(value))
            if len(out) == n:
                break
    return out


def _is_numbering(row: list[Any]) -> bool:
    numbers = [cell_text(v) for v in row if not is_blank(v)]
    return len(numbers) >= 3 and numbers == [str(i) for i in range(1, len(numbers) + 1)]


def _collect_data_rows(rows: list[list[Any]], layout: TableLayout) -> None:
    # Every row of a large sheet passes here: the words are normalized once, and the header-repeat test
    # stops at the first cell that differs.
    header_words = [(c.index, normalize_header(c.sub)) for c in layout.columns]
    footer_prefixes = tuple(normalize_header(p) for p in _FOOTER_PREFIXES)
    start = layout.header_rows[-1] + 1
    for index in range(start, len(rows)):
        row = rows[index]
        firsts = _first_texts(row)
        if not firsts:
            continue
        footer = firsts[0].startswith(footer_prefixes) and not _looks_like_data(row)
        if footer or _is_signature(row):
            layout.skipped.append((index, "footer"))
            layout.skipped.extend((i, "footer") for i in range(index + 1, len(rows)) if _first_texts(rows[i]))
            return
        if any(text.startswith(_TOTAL_WORDS) for text in firsts):
            layout.skipped.append((index, "totals"))
            continue
        if index == start and _is_numbering(row):
            layout.skipped.append((index, "numbering"))
            continue
        if all(normalize_header(cell_text(_cell(row, i))) == word for i, word in header_words):
            layout.skipped.append((index, "header"))
            continue
        layout.data_rows.append(index)


_SIGNATURE = re.compile(r"^(单位|部门)?(主要)?(负责人|填表人|制表人|审核人|填报人|统计人|分管领导|经办人)\s*[:：]")


def _is_signature(row: list[Any]) -> bool:
    """``单位负责人：张三  填表人：李四  联系电话：…`` — a signature line with no 注 line above it ends the
    table even though it fills several cells."""
    # The pattern needs a colon: most cells are passed over without running it.
    return any(_SIGNATURE.match(cell_text(v)) for v in row if isinstance(v, str) and (":" in v or "：" in v))


def _cell(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else ""


def _looks_like_data(row: list[Any]) -> bool:
    """A footer line is one long note, not a row of several filled cells."""
    return sum(1 for v in row if not is_blank(v)) >= 4
