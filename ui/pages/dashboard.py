"""工作台: the policy's targets as tiles, red or green against the target, and three charts.

Numbers come from ``app.services.indicators`` (computed in SQL, same as ``python main.py stats``); chart
series from ``app.services.charts``. Everything is read in one worker task and drawn on the GUI thread.
A picker narrows everything to a county, township or village and a year (remembered in QSettings, keys in
``ui.state``); ``indicators.compute(session, key, scope, year)`` and the scoped chart series follow it.
Clicking a tile opens the list behind the number: the page where it can be acted on (unpaired households
on the pairing page …) or, for the others, the indicator's own list in a dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import enums
from app.errors import NotFound
from app.services import charts
from app.services import scope as scopes
from ui import i18n, state
from ui.charts import ChartCanvas
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.qtfix import emit
from ui.region_picker import RegionPicker
from ui.table_model import display


def tr(text: str) -> str:
    return QCoreApplication.translate("dashboard", text)


# Where a tile leads: a page and the filters that show the rows behind the number.
TILE_TARGETS: dict[str, tuple[str, dict[str, Any]]] = {
    "coverage_townships": ("pairing", {"tab": "townships"}),
    "coverage_villages": ("pairing", {"tab": "villages"}),
    "coverage_households": ("pairing", {"tab": "households"}),
    "weak_villages": ("villages", {"weak": True}),
    "visits_on_time": ("visits", {"tab": "overdue"}),
    "followups_overdue": ("visits", {"tab": "follow_ups", "overdue_follow_up": True}),
    "projects_overdue": ("projects", {"overdue": True}),
    "project_disbursement": ("projects", {}),
}
GREEN, RED, GREY = ("#2e7d32", "#e8f5e9"), ("#c62828", "#ffebee"), ("#616161", "#f5f5f5")


@dataclass
class DashboardData:
    """What the page shows; filled piece by piece as the background tasks answer."""

    indicators: dict[str, Any] = field(default_factory=dict)  # key → app.services.indicators.Indicator
    coverage: list[charts.VillageCoverage] = field(default_factory=list)
    income: list[charts.IncomePoint] = field(default_factory=list)
    income_target: float = 0.0
    money: tuple[list[charts.MoneyBar], list[charts.MoneyBar]] = ([], [])


def resolve_or_whole(session: Any, code: str) -> scopes.Scope:
    """The remembered scope, or the whole ledger when its region is gone (another database, deleted)."""
    try:
        return scopes.resolve_scope(session, code or None)
    except NotFound:
        return scopes.WHOLE


TILES_PER_ROW = 4
GRID_COLUMNS = 12  # divisible by 1, 2, 3 and 4 tiles a row
TOWNSHIP_TILES = frozenset({"coverage_townships"})  # 一乡一领导: about townships, empty at a village


def tile_rows(keys: list[str], per_row: int) -> list[list[str]]:
    """``keys`` in as few rows of at most ``per_row`` as possible, row lengths differing by one at most."""
    if not keys:
        return []
    rows = -(-len(keys) // per_row)
    base, extra = divmod(len(keys), rows)
    out, start = [], 0
    for r in range(rows):
        size = base + (1 if r < extra else 0)
        out.append(keys[start : start + size])
        start += size
    return out


def tile_keys() -> list[str]:
    from app.services import indicators

    # Breakdowns (money by category / stage) are drawn as charts, not tiles: the declaration says which.
    return [k for k in indicators.indicator_keys() if indicators.declaration(k).list_counts != "breakdown"]


UNITS = [  # the indicators' units, listed for the translation file
    QT_TRANSLATE_NOOP("dashboard", "个"),
    QT_TRANSLATE_NOOP("dashboard", "户"),
    QT_TRANSLATE_NOOP("dashboard", "人"),
    QT_TRANSLATE_NOOP("dashboard", "件"),
]
ROW_DETAIL_LABEL = QT_TRANSLATE_NOOP("columns", "说明")


def format_fraction(indicator: Any) -> tuple[str, str] | None:
    """Numerator and denominator as the tile shows them, from the indicator's declaration: money in 元
    (``is_money``), the denominator in its own unit (persons for the income, households …)."""
    from app.services import indicators

    if indicator.numerator is None or indicator.denominator is None:
        return None
    spec = indicators.declaration(indicator.key)
    num, den = indicators.reader_fraction(indicator)
    if not spec.is_money:
        return f"{num:,}", f"{den:,}"
    money = tr("{v} 元")
    num_text = money.format(v=f"{num:,.2f}")
    den_text = money.format(v=f"{den:,.2f}") if spec.denominator_is_money else f"{den:,} {tr(spec.denominator_unit)}"
    return num_text, den_text


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{value:.1f}%"
    if unit == "元":
        return f"{value:,.0f} " + tr("元")
    return f"{value:,.0f} {tr(unit)}" if unit else f"{value:,.0f}"


class Tile(QFrame):
    """One indicator: title, value, target; colour by ``ok``. Clicking emits ``clicked(key)``."""

    clicked = Signal(str)
    missing_clicked = Signal(str)  # the "数据不全 N 户" link: open the households whose data is 未填

    def __init__(self, key: str, title: str = "") -> None:
        super().__init__()
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.value = QLabel()
        self.value.setObjectName("value")
        self.value.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.target = QLabel()
        self.target.setStyleSheet("color: #555;")
        self.missing = QLabel()
        self.missing.setObjectName("missing")
        self.missing.setStyleSheet("color: #8d6e00; text-decoration: underline;")
        self.missing.setCursor(Qt.CursorShape.PointingHandCursor)
        self.missing.hide()
        self.missing_count = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.target)
        layout.addWidget(self.missing)
        self.setMinimumHeight(108)
        self.ok: bool | None = None
        self.title.setText(title)
        self.value.setText("…")

    def clear(self) -> None:
        self.value.setText("…")
        self.target.clear()
        self.missing.clear()
        self.missing.hide()

    def show_indicator(self, indicator: Any) -> None:
        self.ok = indicator.ok
        self.title.setText(indicator.en if i18n.current() == "en" else indicator.zh)
        self.value.setText(format_value(indicator.value, indicator.unit))
        if indicator.target is None:
            target = tr("仅统计")
        else:
            target = tr("目标 {t}").format(t=format_value(indicator.target, indicator.unit))
        fraction = format_fraction(indicator)
        if fraction:
            target += tr("（{n}/{d}）").format(n=fraction[0], d=fraction[1])
        self.target.setText(target)
        self.missing_count = indicator.missing or 0
        from app.services import indicators

        text = tr("数据不全 {n} 个") if indicators.declaration(self.key).missing_of_villages else tr("数据不全 {n} 户")
        self.missing.setText(text.format(n=f"{self.missing_count:,}") if self.missing_count else "")
        self.missing.setVisible(bool(self.missing_count))
        fg, bg = GREEN if indicator.ok else RED if indicator.ok is False else GREY
        self.setStyleSheet(
            f"#tile_{self.key} {{ background: {bg}; border: 1px solid {fg}; border-left: 6px solid {fg};"
            f" border-radius: 4px; }} #tile_{self.key} QLabel {{ background: transparent; }}"
        )
        self.value.setStyleSheet(f"font-size: 18pt; font-weight: bold; color: {fg};")

    def _missing_clicked(self, _link: str) -> None:
        emit(self.missing_clicked, self.key)

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            on_missing = self.missing.isVisible() and self.missing.geometry().contains(event.position().toPoint())
            emit(self.missing_clicked if on_missing else self.clicked, self.key)


class DashboardPage(QScrollArea):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        self.data: DashboardData | None = None  # set once every figure has arrived
        self._partial = DashboardData()
        self._waiting = 0
        self.generation = 0
        self.tiles: dict[str, Tile] = {}
        body = QWidget()
        self.setWidget(body)
        self.setWidgetResizable(True)
        header = QHBoxLayout()
        self.heading = QLabel(tr("{name} · 结对帮扶工作台").format(name=ctx.node.name))
        self.heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.as_of = QLabel()
        self.as_of.setStyleSheet("color: #555;")
        refresh = QPushButton(tr("刷新"))
        refresh.clicked.connect(self.reload)
        saved_year = int(ctx.store.value(state.DASHBOARD_YEAR, 0) or 0)
        self.scope_code = str(ctx.store.value(state.DASHBOARD_SCOPE, "") or "")
        self.year = saved_year if 2000 <= saved_year <= date.today().year + 1 else date.today().year
        self.scope_picker = RegionPicker(ctx)
        self.scope_picker.setObjectName("dashboard_scope")
        self.scope_picker.set_code(self.scope_code, notify=False)
        self.scope_picker.changed.connect(self.set_scope)
        self.scope_picker.loaded.connect(self._places_loaded)
        self.year_box = QSpinBox()
        self.year_box.setObjectName("dashboard_year")
        self.year_box.setRange(2000, date.today().year + 1)
        self.year_box.setValue(self.year)
        self.year_box.valueChanged.connect(self._year_chosen)
        header.addWidget(self.heading)
        header.addStretch(1)
        header.addWidget(QLabel(tr("范围")))
        header.addWidget(self.scope_picker)
        header.addWidget(QLabel(tr("年度")))
        header.addWidget(self.year_box)
        header.addWidget(self.as_of)
        header.addWidget(refresh)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self.coverage_chart = ChartCanvas()
        self.income_chart = ChartCanvas()
        self.money_chart = ChartCanvas(width=6.0, height=3.2)
        self.money_chart.setMinimumHeight(320)  # room for the slanted category names under the bars
        charts_row = QHBoxLayout()
        charts_row.addWidget(self.coverage_chart)
        charts_row.addWidget(self.income_chart)
        layout = QVBoxLayout(body)
        layout.addLayout(header)
        layout.addLayout(self.grid)
        layout.addLayout(charts_row)
        layout.addWidget(self.money_chart)
        layout.addStretch(1)
        self.reload()

    # -- scope and year -----------------------------------------------------------------------------

    def _places_loaded(self) -> None:
        if self.scope_picker.code() != self.scope_code:  # the remembered region is not in this ledger
            self.set_scope("")
        else:
            self._show_scope()

    def _show_scope(self) -> None:
        """The heading names the place shown; at a village, tiles about townships are not shown."""
        village = self.scope_picker.level() == "village"
        name = self.scope_picker.name() if self.scope_code and self.scope_picker.code() else self.ctx.node.name
        self.heading.setText(tr("{name} · 结对帮扶工作台").format(name=name))
        self._place_tiles(hide=TOWNSHIP_TILES if village else frozenset())

    def _year_chosen(self, year: int) -> None:
        self.set_year(year)

    def set_scope(self, code: str) -> None:
        """Show ``code``'s region (division code, "" = whole ledger); remembered for the next start."""
        if code == self.scope_code:
            return
        self.scope_code = code
        self.ctx.store.setValue(state.DASHBOARD_SCOPE, code)
        self.scope_picker.set_code(code, notify=False)
        self._show_scope()
        self.reload()

    def set_year(self, year: int) -> None:
        if year == self.year:
            return
        self.year = year
        self.ctx.store.setValue(state.DASHBOARD_YEAR, year)
        if self.year_box.value() != year:
            self.year_box.setValue(year)
        self.reload()

    # -- data ---------------------------------------------------------------------------------------

    def reload(self) -> None:
        """One background task per indicator and per chart: the page fills in as they answer, and a list
        the user opens meanwhile does not wait behind a county's worth of figures."""
        from app.services import indicators

        self.stale = False
        self.generation += 1
        generation = self.generation
        self.data = None
        self._partial = DashboardData()
        keys = tile_keys()
        self._waiting = len(keys) + 3
        self.scope_picker.reload()  # a village added or removed since
        code, year = self.scope_code, self.year
        as_of = scopes.reference_date(year)
        self.as_of.setText(tr("截至 {d}").format(d=as_of.isoformat()))
        for key in keys:
            if key not in self.tiles:
                tile = Tile(key, indicators.SPECS[key].en if i18n.current() == "en" else indicators.SPECS[key].zh)
                tile.clicked.connect(self.open_tile)
                tile.missing_clicked.connect(self.open_missing)
                self.tiles[key] = tile
        self._show_scope()
        for key in keys:
            self.ctx.query(
                lambda s, key=key: indicators.compute(s, key, resolve_or_whole(s, code), year),
                lambda found, g=generation: self._arrived(g, "indicator", found),
                owner=self,
                background=True,
            )
        self.ctx.query(
            lambda s: charts.coverage_by_village(s, scope=resolve_or_whole(s, code), year=year),
            lambda rows, g=generation: self._arrived(g, "coverage", rows),
            owner=self,
            background=True,
        )
        self.ctx.query(
            lambda s: charts.income_trend(s, resolve_or_whole(s, code), up_to=year),
            lambda pair, g=generation: self._arrived(g, "income", pair),
            owner=self,
            background=True,
        )
        self.ctx.query(
            lambda s: (
                charts.project_money(s, "category", resolve_or_whole(s, code)),
                charts.project_money(s, "stage", resolve_or_whole(s, code)),
            ),
            lambda pair, g=generation: self._arrived(g, "money", pair),
            owner=self,
            background=True,
        )

    def _arrived(self, generation: int, what: str, value: Any) -> None:
        if generation != self.generation or self.ctx.locked:
            return
        data = self._partial
        if what == "indicator":
            data.indicators[value.key] = value
            self.tiles[value.key].show_indicator(value)
        elif what == "coverage":
            data.coverage = value
            self._draw_coverage(value)
        elif what == "income":
            data.income, data.income_target = value
            self._draw_income(*value)
        else:
            data.money = value
            self._draw_money(*value)
        self._waiting -= 1
        if self._waiting == 0:
            self.data = data

    def _place_tiles(self, hide: frozenset[str]) -> None:
        """Rows of at most four tiles, the tiles spread evenly over the rows (13 → 4+3+3+3, never 4+4+4+1),
        on a 12-column grid so rows of three and of four both fill the width."""
        shown = [k for k in tile_keys() if k in self.tiles and k not in hide]
        for key, tile in self.tiles.items():
            self.grid.removeWidget(tile)
            tile.setVisible(key in shown)
        for row, keys in enumerate(tile_rows(shown, TILES_PER_ROW)):
            span = GRID_COLUMNS // len(keys)
            for n, key in enumerate(keys):
                self.grid.addWidget(self.tiles[key], row, n * span, 1, span)
        for column in range(GRID_COLUMNS):
            self.grid.setColumnStretch(column, 1)

    def indicator(self, key: str) -> Any:
        assert self.data is not None
        return self.data.indicators[key]

    def clear_data(self) -> None:
        self.stale = True
        self.generation += 1  # answers still on their way are dropped
        self.data = None
        for tile in self.tiles.values():
            tile.clear()
        for chart in (self.coverage_chart, self.income_chart, self.money_chart):
            chart.clear()

    # -- charts -------------------------------------------------------------------------------------

    def _draw_coverage(self, rows: list[charts.VillageCoverage]) -> None:
        ax = self.coverage_chart.axes
        ax.clear()
        ax.set_axis_on()
        names = [r.village for r in rows][::-1]
        values = [r.percent for r in rows][::-1]
        colours = ["#2e7d32" if v >= 100 else "#c62828" for v in values]
        ax.barh(names, values, color=colours)
        ax.axvline(100, color="#333", linewidth=0.8, linestyle="--")
        ax.set_xlim(0, 105)
        ax.set_title(tr("各村农户结对覆盖率（最低的村在上）"))
        ax.set_xlabel("%")
        self.coverage_chart.draw_idle()

    def _draw_income(self, points: list[charts.IncomePoint], target: float) -> None:
        ax = self.income_chart.axes
        ax.clear()
        ax.set_axis_on()
        years = [p.year for p in points]
        ax.plot(years, [p.average_yuan for p in points], marker="o", color="#1565c0", label=tr("人均可支配收入"))
        ax.axhline(target, color="#c62828", linestyle="--", label=tr("目标 {t:,.0f} 元").format(t=target))
        ax.set_title(tr("低收入农户人均可支配收入（不含低保户）"))
        ax.set_ylabel(tr("元"))
        if years:
            ax.set_xticks(years)
        ax.legend(loc="lower right")
        self.income_chart.draw_idle()

    def _draw_money(self, by_category: list[charts.MoneyBar], by_stage: list[charts.MoneyBar]) -> None:
        figure = self.money_chart.figure
        figure.clear()
        for n, (bars, vocab, title) in enumerate(
            [
                (by_category, enums.ProjectCategory, tr("项目资金（按类别，万元）")),
                (by_stage, enums.ProjectStage, tr("项目资金（按阶段，万元）")),
            ]
        ):
            ax = figure.add_subplot(1, 2, n + 1)
            labels = [display("enum", b.key, vocab) for b in bars]
            xs = list(range(len(bars)))
            ax.bar(
                [x - 0.2 for x in xs],
                [b.budget_fen / 1_000_000 for b in bars],
                width=0.4,
                label=tr("预算"),
                color="#90caf9",
            )
            ax.bar(
                [x + 0.2 for x in xs],
                [b.disbursed_fen / 1_000_000 for b in bars],
                width=0.4,
                label=tr("已支出"),
                color="#1565c0",
            )
            ax.set_xticks(xs, labels, rotation=30, ha="right")
            ax.set_title(title)
            ax.legend()
        self.money_chart.axes = figure.axes[0] if figure.axes else self.money_chart.axes
        self.money_chart.draw_idle()

    # -- tiles --------------------------------------------------------------------------------------

    def open_tile(self, key: str) -> QDialog | None:
        """The list behind the number. The pages show today's register, so a past year opens the indicator's
        own list, read on that year's reference date like the tile."""
        target = TILE_TARGETS.get(key)
        if target is not None and self.year >= date.today().year:
            page, filters = target
            emit(self.ctx.navigate, page, dict(filters))
            return None
        dialog = IndicatorRowsDialog(self.ctx, self.indicator(key), self, scope=self.scope_code, year=self.year)
        dialog.open()
        return dialog

    def open_missing(self, key: str) -> QDialog:
        """The households (or villages) the tile could not count because their data is 未填."""
        dialog = IndicatorRowsDialog(
            self.ctx, self.indicator(key), self, scope=self.scope_code, year=self.year, missing=True
        )
        dialog.open()
        return dialog


class IndicatorRowsDialog(QDialog):
    """The rows behind an indicator that has no page of its own (from ``indicators.indicator_rows``)."""

    HIDDEN = ("_id", "village_code")

    def __init__(
        self,
        ctx: AppContext,
        indicator: Any,
        parent: QWidget | None = None,
        *,
        scope: str = "",
        year: int | None = None,
        missing: bool = False,
    ) -> None:
        super().__init__(parent)
        title = indicator.en if i18n.current() == "en" else indicator.zh
        self.setWindowTitle(tr("{title} · 数据不全").format(title=title) if missing else title)
        self.table = QTableWidget()
        self.table.setObjectName("indicator_rows")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.count = QLabel(tr("加载中……"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        self.resize(760, 520)
        key = indicator.key

        def rows(session: Any) -> list[Any]:
            from app.services import indicators

            scoped = resolve_or_whole(session, scope)
            return list(indicators.indicator_rows(session, key, scoped, year, limit=1000, missing=missing))

        ctx.query(rows, self._fill, owner=self)

    def _fill(self, rows: list[Any]) -> None:
        self.count.setText(tr("共 {n} 条（最多显示 1000 条）").format(n=len(rows)))
        if not rows or not is_dataclass(rows[0]):
            return
        names = [f.name for f in fields(rows[0]) if not f.name.endswith(self.HIDDEN)]
        self.table.setColumnCount(len(names))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("columns", ROW_LABELS.get(n, n)) for n in names]
        )
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, name in enumerate(names):
                value = getattr(row, name)
                kind = "money" if name.endswith("_fen") else "date" if isinstance(value, date) else "text"
                vocab = ROW_VOCABS.get(name)
                text = display("enum", value, vocab) if vocab else display(kind, value)
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()


ROW_VOCABS: dict[str, type[enums.LabeledEnum]] = {
    "category": enums.HouseholdCategory,
    "school_stage": enums.SchoolStage,
    "level": enums.RegionLevel,
    "stage": enums.ProjectStage,
}
ROW_LABELS = {
    "head_name": "户主姓名",
    "id_number_masked": "身份证号",
    "village_name": "行政村",
    "category": "类别",
    "detail": "说明",
    "name": "姓名",
    "birth_date": "出生日期",
    "school_stage": "在校情况",
    "code": "区划代码",
    "level": "级别",
    "is_key_village": "重点村",
    "income_fen": "集体经济收入（元）",
    "total_fen": "家庭可支配收入（元）",
    "persons": "计算人口",
    "previous_total_fen": "上年家庭可支配收入（元）",
    "previous_persons": "上年计算人口",
}
ROW_LABEL_SOURCES = [  # for the translation file (the dialog translates them in the "columns" context)
    QT_TRANSLATE_NOOP("columns", "家庭可支配收入（元）"),
    QT_TRANSLATE_NOOP("columns", "计算人口"),
    QT_TRANSLATE_NOOP("columns", "上年家庭可支配收入（元）"),
    QT_TRANSLATE_NOOP("columns", "上年计算人口"),
]


def create(ctx: AppContext) -> QWidget:
    return DashboardPage(ctx)
