"""Where the monthly report's red lists are: their rows counted per 行政村 and per 户类别 (分村汇总 / 分类汇总),
one column per red indicator, with 合计 — the pivots an office reads to see which villages to visit first.

The rows counted are the report's own lists (``ReportData.lists``), which the indicator rules selected
(``app.services.indicators``); this module groups and pivots them with pandas and never decides which row
belongs in a list. A list cut at ``report.ROW_LIMIT`` is counted as listed, and the note says so.

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
    """Counts of listed rows: one line per group (most rows first), one column per red indicator that has the
    grouping column, then 合计; ``totals`` is the 合计 line. ``left_out`` names red lists without the column
    (places, follow-ups, projects); ``cut`` names lists that were cut at the report's row limit."""

    by: PivotBy
    indicators: tuple[str, ...]
    lines: tuple[tuple[str, tuple[int, ...]], ...]
    totals: tuple[int, ...]
    left_out: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.by.column, *self.indicators, TOTAL)

    def table(self) -> list[tuple[str, tuple[int, ...]]]:
        """The lines and, last, the 合计 line — as both documents print them."""
        return [*self.lines, (TOTAL, self.totals)]

    def note(self) -> str:
        parts = [f"共{len(self.lines)}个{self.by.column}，按清单行数从多到少排列"]
        if self.cut:
            parts.append(f"{'、'.join(self.cut)}的清单过长，只计列出的行")
        if self.left_out:
            parts.append(f"{'、'.join(self.left_out)}的清单不按{self.by.column}列出，未计入")
        return "；".join(parts)


def pivot(by: PivotBy, red: Sequence[Indicator], lists: dict[str, ListTable]) -> Pivot | None:
    """The pivot of the red lists by ``by.column``; None when no red list has that column or no rows."""
    import pandas as pd

    names: list[str] = []
    frames: list[pd.DataFrame] = []
    left_out: list[str] = []
    cut: list[str] = []
    for ind in red:
        table = lists[ind.key]
        titles = [c.title for c in table.columns]
        if not set(by.needs) <= set(titles):
            left_out.append(ind.zh)
            continue
        if not table.rows:
            continue
        names.append(ind.zh)
        if table.truncated:
            cut.append(ind.zh)
        at = titles.index(by.column)
        frames.append(pd.DataFrame({"group": [row[at] or "（未填）" for row in table.rows], "indicator": ind.zh}))
    if not frames:
        return None
    rows = pd.concat(frames, ignore_index=True)
    rows["indicator"] = pd.Categorical(rows["indicator"], categories=names)  # the report's indicator order
    counts = rows.groupby(["group", "indicator"], observed=False).size().unstack("indicator", fill_value=0)
    counts.columns = pd.Index([str(c) for c in counts.columns])  # plain labels: 合计 is not an indicator
    counts[TOTAL] = counts.sum(axis=1)
    # Most listed rows first; among equals, the name (so the order never depends on the hash of a string).
    counts = counts.reset_index().sort_values([TOTAL, "group"], ascending=[False, True], kind="stable")
    counts = counts[counts[TOTAL] > 0]
    values = counts[[*names, TOTAL]].to_numpy(dtype="int64")
    lines = tuple(
        (str(group), tuple(int(v) for v in line)) for group, line in zip(counts["group"], values, strict=True)
    )
    totals = tuple(int(v) for v in values.sum(axis=0))
    return Pivot(by, tuple(names), lines, totals, tuple(left_out), tuple(cut))


def pivots(red: Sequence[Indicator], lists: dict[str, ListTable]) -> list[Pivot]:
    """Every pivot the red lists allow (分村, 分户类别), in that order."""
    made = (pivot(by, red, lists) for by in PIVOTS)
    return [p for p in made if p is not None]
