"""The monthly report (结对帮扶工作月报) a township, county or the city sends upward: every indicator of the
policy against its own target (``app.services.indicators``), the lists behind the red ones, and charts.

This module gathers what the report says, in Chinese and with the units a reader needs (``ReportData``); the
two documents lay the same content out: ``app.io.report_pdf`` (ReportLab, A4) and ``app.io.report_xlsx``.
Both read indicators only through their public fields (label, unit, target, value, ok, numerator,
denominator), so a new indicator appears in the report without an edit here.

The figures are as of the report date: the last day of the month, or today for the current month.
Resident IDs appear masked only (the indicators hand out masked numbers). Call from the worker or the CLI.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import HouseholdCategory, ProjectCategory, ProjectStage, RegionLevel, SchoolStage
from app.domain.models import Household, Region
from app.errors import BangfuError
from app.io import charts
from app.io.report_pivots import Pivot, pivots
from app.io.xlsx import Column, chinese_date
from app.services import indicators
from app.services.indicators import (
    FollowUpRow,
    HouseholdRow,
    IncomeRow,
    Indicator,
    MemberRow,
    ProjectRow,
    RegionRow,
    reader_fraction,
)
from app.services.scope import WHOLE, Scope, resolve_scope
from app.storage.database import Database

ROW_LIMIT = 5000  # rows listed behind one red indicator in the workbook
PDF_ROWS = 100  # the PDF lists the first rows and points to the workbook for the rest
SIGNATURE_FIELDS = ("负责人", "填表人", "联系电话", "报送日期")
"""The lines a form sent upward is signed with (表尾), after 填报单位 at its head."""


def signature_lines() -> list[str]:
    """负责人：＿＿＿ … 报送日期：＿＿年＿＿月＿＿日 — blanks to fill in by hand on the printed form."""
    return [f"{name}：{'＿＿年＿＿月＿＿日' if name == '报送日期' else '＿' * 7}" for name in SIGNATURE_FIELDS]


# ------------------------------------------------------------------ how an indicator's figures read


def value_kind(ind: Indicator) -> str:
    """percent, yuan or count — from the indicator's unit."""
    if ind.unit == "%":
        return "percent"
    if ind.unit in ("元", "yuan"):
        return "yuan"
    return "count"


def figure_text(ind: Indicator, value: float | None) -> str:
    """A value or target as a reader writes it: 75.0%, 14,000.00 元, 3 户."""
    if value is None:
        return "—"
    kind = value_kind(ind)
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "yuan":
        return f"{value:,.2f} 元"
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{number} {ind.unit}"


def status_text(ind: Indicator) -> str:
    if ind.ok is None:
        return "无数据" if ind.value is None and ind.target is not None else "—"
    return "达标" if ind.ok else "未达标"


def fraction_text(value: Decimal | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:,.2f} 元"
    return f"{value:,}"


INDICATOR_COLUMNS = (
    Column("序号", 6, "int"),
    Column("指标", 36),
    Column("完成值", 15),
    Column("目标值", 15),
    Column("达标情况", 9),
    Column("分子", 15),
    Column("分母", 15),
)


# ------------------------------------------------------------------ the lists behind red indicators


@dataclass(frozen=True)
class ListTable:
    """The rows behind one red indicator, as the report lists them: Chinese headers, labels for codes, money
    in fen (``Column.kind == "money"``). ``total`` counts the rows listed (all of them unless ``truncated``)."""

    columns: tuple[Column, ...]
    rows: list[list[Any]]
    truncated: bool = False

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    def column_index(self, title: str) -> int:
        return self.titles.index(title)

    def note(self) -> str:
        if self.truncated:  # the count beyond the cap is not known here: say so rather than guess
            return f"列出前{self.total}项（清单过长，其余未列出）"
        return f"共{self.total}项"


@dataclass(frozen=True)
class _Detail:
    """What ``HouseholdRow.detail`` holds for an indicator (see ``indicators.ROW_DETAIL``), as a column."""

    column: Column
    missing: str = ""


HOUSEHOLD_DETAIL: dict[str, _Detail] = {
    "coverage_households": _Detail(Column("结对干部数", 10, "int")),
    "labour_without_job": _Detail(Column("有劳动能力人数", 12, "int")),
    "visits_on_time": _Detail(Column("最近走访日期", 12, "date"), missing="从未走访"),
}
SCHOOL_LISTS = frozenset({"school_dropouts"})
"""Member lists about schooling show 在校情况; the others (family doctor) do not."""


def _household_table(ind: Indicator, rows: Sequence[HouseholdRow]) -> ListTable:
    detail = HOUSEHOLD_DETAIL.get(ind.key)
    columns = [Column("行政村", 12), Column("户主姓名", 10), Column("身份证号码", 20), Column("类别", 12)]
    if detail is not None:
        columns.append(detail.column)
    body = []
    for r in rows:
        line: list[Any] = [r.village_name, r.head_name, r.id_number_masked, HouseholdCategory.label_of(r.category)]
        if detail is not None:
            line.append(detail.missing if r.detail is None else r.detail)
        body.append(line)
    return ListTable(tuple(columns), body)


def _per_capita_fen(total_fen: int | None, persons: int | None) -> Decimal | None:
    return None if total_fen is None or not persons else Decimal(total_fen) / persons


def _income_table(ind: Indicator, rows: Sequence[IncomeRow]) -> ListTable:
    """Households counted in a group income: their total and persons (the tile is Σ total ÷ Σ persons), and
    only those below the target (for the growth: whose own per-person change is below the target rate)."""
    growth = ind.key == "income_growth"
    columns = [Column("行政村", 12), Column("户主姓名", 10), Column("身份证号码", 20), Column("类别", 12),
               Column("家庭可支配收入（元）", 16, "money"), Column("计算人口", 8, "int"),
               Column("人均（元）", 13, "money")]  # fmt: skip
    if growth:
        columns += [Column("上年人均（元）", 13, "money"), Column("增幅", 8)]
    body = []
    for r in rows:
        now = _per_capita_fen(r.total_fen, r.persons)
        before = _per_capita_fen(r.previous_total_fen, r.previous_persons)
        rate = None if now is None or not before else (now / before - 1) * 100
        if ind.target is not None:
            measured = rate if growth else (None if now is None else now / 100)
            if measured is None or measured >= Decimal(str(ind.target)):
                continue
        line: list[Any] = [r.village_name, r.head_name, r.id_number_masked, HouseholdCategory.label_of(r.category),
                           r.total_fen, r.persons, None if now is None else round(now)]  # fmt: skip
        if growth:
            line += [None if before is None else round(before), "—" if rate is None else f"{rate:.1f}%"]
        body.append(line)
    return ListTable(tuple(columns), body)


def _region_table(ind: Indicator, rows: Sequence[RegionRow]) -> ListTable:
    villages = any(r.level == RegionLevel.VILLAGE for r in rows)
    columns = [Column("名称", 16), Column("区划代码", 15)]
    if villages:
        columns += [Column("重点村", 8, "bool"), Column("集体经济收入（元）", 16, "money")]
    body = [[r.name, r.code, *((r.is_key_village, r.income_fen) if villages else ())] for r in rows]
    return ListTable(tuple(columns), body)


def _member_table(ind: Indicator, rows: Sequence[MemberRow], heads: dict[str, str]) -> ListTable:
    school = ind.key in SCHOOL_LISTS
    columns = [Column("行政村", 12), Column("户主", 10), Column("姓名", 10), Column("出生日期", 12, "date")]
    if school:
        columns.append(Column("在校情况", 10))
    body = []
    for r in rows:
        line: list[Any] = [r.village_name, heads.get(r.household_id, ""), r.name, r.birth_date]
        if school:
            line.append(SchoolStage.label_of(r.school_stage))
        body.append(line)
    return ListTable(tuple(columns), body)


def _followup_table(ind: Indicator, rows: Sequence[FollowUpRow]) -> ListTable:
    columns = (
        Column("户主", 10),
        Column("走访日期", 12, "date"),
        Column("办结期限", 12, "date"),
        Column("逾期天数", 9, "int"),
        Column("走访干部", 10),
        Column("待办事项", 30, "wrap"),
    )
    body = [[r.head_name or "（村级走访）", r.visit_date, r.follow_up_due, r.days_overdue, r.cadre_name,
             r.follow_up or ""] for r in rows]  # fmt: skip
    return ListTable(columns, body)


def _project_table(ind: Indicator, rows: Sequence[ProjectRow]) -> ListTable:
    columns = (
        Column("项目名称", 25, "wrap"),
        Column("类别", 11),
        Column("阶段", 6),
        Column("年度", 7, "int"),
        Column("实施地点", 10),
        Column("预算（元）", 13, "money"),
        Column("已拨付（元）", 13, "money"),
        Column("已支出（元）", 13, "money"),
        Column("计划完成日期", 13, "date"),
    )
    body = [
        [r.name, ProjectCategory.label_of(r.category), ProjectStage.label_of(r.stage), r.year, r.region_name,
         r.budget_fen, r.allocated_fen, r.disbursed_fen, r.planned_end_date]
        for r in rows
    ]  # fmt: skip
    return ListTable(columns, body)


def list_table(ind: Indicator, rows: Sequence[Any], heads: dict[str, str] | None = None) -> ListTable:
    """The report's table of ``rows`` (as ``indicators.indicator_rows`` hands them out) behind ``ind``."""
    truncated = len(rows) >= ROW_LIMIT
    first = rows[0] if rows else None
    if isinstance(first, IncomeRow):
        table = _income_table(ind, rows)
    elif isinstance(first, HouseholdRow):
        table = _household_table(ind, rows)
    elif isinstance(first, RegionRow):
        table = _region_table(ind, rows)
    elif isinstance(first, MemberRow):
        table = _member_table(ind, rows, heads or {})
    elif isinstance(first, FollowUpRow):
        table = _followup_table(ind, rows)
    elif isinstance(first, ProjectRow):
        table = _project_table(ind, rows)
    else:
        table = ListTable((Column("名称", 20),), [])
    # Cut at the cap, unless a filter (an average's list) already stopped short of it: then it is complete.
    return ListTable(table.columns, table.rows, truncated and table.total >= ROW_LIMIT)


# ------------------------------------------------------------------ the report


@dataclass
class ReportData:
    """What a report says: title, place, reference date, the indicators that apply, the list behind each red
    one, and those lists counted per village and per household category (``app.io.report_pivots``)."""

    title: str
    place: str
    issuer: str
    as_of: date
    indicators: list[Indicator]
    lists: dict[str, ListTable] = field(default_factory=dict)
    pivots: list[Pivot] = field(default_factory=list)  # the red lists per village and per category

    @property
    def red(self) -> list[Indicator]:
        return [i for i in self.indicators if i.ok is False]

    def list_table(self, ind: Indicator) -> ListTable:
        return self.lists[ind.key]

    @property
    def subtitle(self) -> str:
        return f"统计范围：{self.place}　　统计截至：{chinese_date(self.as_of)}"


def report_date(year: int, month: int, today: date | None = None) -> date:
    if not 1 <= month <= 12:
        raise BangfuError("月份应为1到12。", "The month must be 1 to 12.")
    today = today or date.today()
    end = date(year, month, calendar.monthrange(year, month)[1])
    return min(end, today)


def place_name(session: Session, scope: Scope) -> str:
    """The place as a document names it, from the county down: 缙云县壶镇镇岩背村 (a city: 丽水市)."""
    if scope.is_all or scope.level == RegionLevel.CITY:
        return scope.name
    codes = [scope.code[:n] for n in (6, 9, 12) if n <= len(scope.code)]
    names = {
        code: name for code, name in session.execute(select(Region.code, Region.name).where(Region.code.in_(codes)))
    }
    return "".join(names.get(c, "") for c in codes) or scope.name


def _applies(ind: Indicator) -> bool:
    """A coverage of places of which the scope holds none (一乡一领导 in a village report) does not apply.

    Places are what the indicator's list holds (its declared row type); an indicator without one applies."""
    rows_type = getattr(indicators.SPECS.get(ind.key), "row_type", None)
    return not (rows_type is RegionRow and ind.value is None and not ind.denominator)


def _default_scope(session: Session, db: Database) -> Scope:
    """No scope given: this installation's own region (the township's ledger reports on the township)."""
    if db.has_node:
        try:
            return resolve_scope(session, db.node.code)
        except BangfuError:
            pass
    return WHOLE


def _household_heads(session: Session, rows: Sequence[Any]) -> dict[str, str]:
    ids = {r.household_id for r in rows if isinstance(r, MemberRow)}
    if not ids:
        return {}
    found = session.execute(select(Household.id, Household.head_name).where(Household.id.in_(ids)))
    return {hid: name for hid, name in found}


def red_list_tables(
    session: Session, ind: Indicator, scope: Scope, year: int, as_of: date
) -> tuple[ListTable, ListTable]:
    """(the list the report prints: its first ``ROW_LIMIT`` rows, the whole list: what the pivots count)."""
    rows = indicators.indicator_rows(session, ind.key, scope, year, None, today=as_of)
    heads = _household_heads(session, rows[:ROW_LIMIT])  # the pivots read no 户主 column
    listed = list_table(ind, rows[:ROW_LIMIT], heads)
    return listed, listed if len(rows) <= ROW_LIMIT else list_table(ind, rows, heads)


def collect(db: Database, scope: str | None, year: int, month: int, today: date | None = None) -> ReportData:
    """Compute every indicator for ``scope`` (division code or region id; None = this installation's own
    region, or the whole ledger when it has none) as of the end of ``year``-``month``."""
    as_of = report_date(year, month, today)
    with db.session() as session:
        resolved = resolve_scope(session, scope) if scope else _default_scope(session, db)
        measured = indicators.compute_all(session, resolved, year, today=as_of)
        shown = [i for i in measured if _applies(i)]
        lists, whole = {}, {}
        for ind in shown:
            if ind.ok is False:
                lists[ind.key], whole[ind.key] = red_list_tables(session, ind, resolved, year, as_of)
        place = place_name(session, resolved) if not resolved.is_all else (db.node.name if db.has_node else "全部")
        issuer = place_name(session, _default_scope(session, db)) if db.has_node else place
    title = f"{place}{year}年{month}月结对帮扶工作月报"
    data = ReportData(title, place, issuer, as_of, shown, lists)
    data.pivots = pivots(data.red, whole)
    return data


def indicator_lines(data: ReportData) -> list[tuple[int, Indicator, Decimal | int | None, Decimal | int | None]]:
    """(number, indicator, numerator, denominator) per indicator row; money fractions in yuan."""
    return [(n, ind, *reader_fraction(ind)) for n, ind in enumerate(data.indicators, 1)]


def chart_figures(data: ReportData) -> list[tuple[str, Figure]]:
    """(caption, figure): percentages against each one's own target, and project money by category/stage."""
    figures: list[tuple[str, Figure]] = []
    percents = [i for i in data.indicators if value_kind(i) == "percent" and i.target is not None]
    if percents:
        caption = "主要指标完成情况（%）"
        fig = charts.percent_bars(
            caption,
            [i.zh for i in percents],
            [i.value for i in percents],
            [i.ok for i in percents],
            targets=[i.target for i in percents],
        )
        figures.append((caption, fig))
    for ind in data.indicators:
        if ind.breakdown:
            series = {
                "预算": [b.budget_fen / 100 for b in ind.breakdown],
                "已拨付": [b.allocated_fen / 100 for b in ind.breakdown],
                "已支出": [b.disbursed_fen / 100 for b in ind.breakdown],
            }
            figures.append((ind.zh, charts.money_bars(ind.zh, [b.zh for b in ind.breakdown], series)))
    return figures


# ------------------------------------------------------------------ files


def check_target(path: Path) -> str:
    """The report file's kind (".xlsx" or ".pdf"); refuses another extension or a folder that does not exist
    — before any figure is computed."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise BangfuError("报表文件应为 .xlsx 或 .pdf。", "The report file must be .xlsx or .pdf.")
    if not path.parent.is_dir():
        raise BangfuError(
            f"保存报表的文件夹不存在：{path.parent}", f"The folder for the report does not exist: {path.parent}"
        )
    return suffix


def save(data: ReportData, path: Path | str) -> Path:
    """``data`` as .xlsx or .pdf, chosen by the file's extension."""
    from app.io.report_pdf import write_pdf
    from app.io.report_xlsx import write_xlsx

    path = Path(path)
    return write_xlsx(data, path) if check_target(path) == ".xlsx" else write_pdf(data, path)


def write_report(
    db: Database, path: Path | str, *, scope: str | None, year: int, month: int, today: date | None = None
) -> Path:
    """The report as .xlsx or .pdf, chosen by the file's extension."""
    path = Path(path)
    check_target(path)
    return save(collect(db, scope, year, month, today), path)
