"""Where the monthly report's red lists are: their rows counted per 行政村 and per 户类别 (分村汇总 / 分类汇总),
one column per red indicator, with 合计 — the pivots an office reads to see which villages to visit first.

The rows counted are the report's lists as ``app.io.report.list_table`` makes them, each one whole (the
report prints the first ``ROW_LIMIT`` rows; the pivots count them all), from the rows the indicator rules
selected (``app.services.indicators``); this module groups and pivots them with pandas and never decides
which row belongs in a list.

pandas is imported inside ``pivot`` only, so the CLI's start and ``audit verify`` never load it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.io.report import ListTable
    from app.services.indicators import Indicator

TOTAL = "合计"
UNFILLED = "（未填）"


@dataclass(frozen=True)
class PivotBy:
    """One way of pivoting: the list column whose values become the pivot's rows, counted in the lists that
    have every column of ``needs``."""

    sheet: str  # the workbook sheet's name
    column: str  # the ListTable column read (行政村, 类别)
    title: str
    needs: tuple[str, ...]


BY_VILLAGE = PivotBy("分村汇总", "行政村", "未达标清单分村汇总", ("行政村",))
# Household lists only: a project list has a 类别 of its own (设施建设 …) and no 行政村.
BY_CATEGORY = PivotBy("分户类别汇总", "类别", "未达标清单分户类别汇总", ("行政村", "类别"))
PIVOTS = (BY_VILLAGE, BY_CATEGORY)


@dataclass(frozen=True)
class Pivot:
    """Counts of rows in the red lists: one line per group (most rows first), one column per red indicator
    whose list has the grouping column, then 合计; ``totals`` is the 合计 line. ``left_out`` names the red
    lists without the column (places, follow-ups, projects)."""

    by: PivotBy
    indicators: tuple[str, ...]
    lines: tuple[tuple[str, tuple[int, ...]], ...]
    totals: tuple[int, ...]
    left_out: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.by.column, *self.indicators, TOTAL)

    def table(self) -> list[tuple[str, tuple[int, ...]]]:
        """The lines and, last, the 合计 line — as both documents print them."""
        return [*self.lines, (TOTAL, self.totals)]

    def note(self) -> str:
        parts = [f"共{len(self.lines)}个{self.by.column}，按清单行数从多到少排列（计整份清单，不限于列出的行）"]
        if self.left_out:
            parts.append(f"{'、'.join(self.left_out)}的清单不按{self.by.column}列出，未计入")
        return "；".join(parts)


@dataclass(frozen=True)
class PivotInput:
    """What a pivot counts: per red indicator whose list has the grouping column, its name and the group of each
    of its rows; and the red indicators left out."""

    names: tuple[str, ...]
    groups: tuple[list[str], ...]
    left_out: tuple[str, ...]


def pivot_input(by: PivotBy, red: Sequence[Indicator], tables: dict[str, ListTable]) -> PivotInput:
    names: list[str] = []
    groups: list[list[str]] = []
    left_out: list[str] = []
    for ind in red:
        table = tables[ind.key]
        if not set(by.needs) <= set(table.titles):
            left_out.append(ind.zh)
        elif table.rows:
            at = table.titles.index(by.column)
            names.append(ind.zh)
            groups.append([row[at] or UNFILLED for row in table.rows])
    return PivotInput(tuple(names), tuple(groups), tuple(left_out))


def pivot(by: PivotBy, red: Sequence[Indicator], tables: dict[str, ListTable]) -> Pivot | None:
    """The pivot of the red lists (``tables``: each one whole, not cut at the report's row limit) by
    ``by.column``; None when no red list has that column or no rows."""
    import numpy as np
    import pandas as pd

    given = pivot_input(by, red, tables)
    names = list(given.names)
    if not names:
        return None
    # One pass over every row: factorize numbers the groups, bincount counts (group, indicator) pairs.
    codes, labels = pd.factorize(np.array([g for column in given.groups for g in column], dtype=object))
    column = np.repeat(np.arange(len(names)), [len(c) for c in given.groups])
    cells = np.bincount(codes * len(names) + column, minlength=len(labels) * len(names))
    counts = pd.DataFrame(cells.reshape(len(labels), len(names)), columns=names)
    counts[TOTAL] = counts.sum(axis=1)
    counts.insert(0, "group", labels)
    # Most rows first; among equals, the name (so the order never depends on the order rows came in).
    counts = counts.sort_values([TOTAL, "group"], ascending=[False, True], kind="stable")
    values = counts[[*names, TOTAL]].to_numpy(dtype="int64")
    lines = tuple((str(g), tuple(int(v) for v in line)) for g, line in zip(counts["group"], values, strict=True))
    totals = tuple(int(v) for v in values.sum(axis=0))
    return Pivot(by, given.names, lines, totals, given.left_out)


def pivots(red: Sequence[Indicator], tables: dict[str, ListTable]) -> list[Pivot]:
    """Every pivot the red lists allow (分村, 分户类别), in that order."""
    made = (pivot(by, red, tables) for by in PIVOTS)
    return [p for p in made if p is not None]
