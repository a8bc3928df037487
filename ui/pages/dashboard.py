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
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
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
MONEY_RATIOS = {"income_average", "income_growth", "project_disbursement"}  # their counts are fen sums
CHART_ONLY = {"projects_by_category", "projects_by_stage"}
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


LEVEL_DEPTH = {"county": 0, "township": 1, "village": 2}
DEPTH_ROLE = Qt.ItemDataRole.UserRole + 1


class IndentedItems(QStyledItemDelegate):
    """Indents townships under their county and villages under their township in the open list only, so the
    closed picker shows the bare name."""

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Any) -> None:
        depth = int(index.data(DEPTH_ROLE) or 0)
        shifted = QStyleOptionViewItem(option)
        shifted.rect = option.rect.adjusted(depth * 16, 0, 0, 0)
        super().paint(painter, shifted, index)


def tile_keys() -> list[str]:
    from app.services import indicators

    return [k for k in indicators.indicator_keys() if k not in CHART_ONLY]


UNITS = [  # the indicators' units, listed for the translation file
    QT_TRANSLATE_NOOP("dashboard", "个"),
    QT_TRANSLATE_NOOP("dashboard", "户"),
    QT_TRANSLATE_NOOP("dashboard", "人"),
    QT_TRANSLATE_NOOP("dashboard", "件"),
]
ROW_DETAIL_LABEL = QT_TRANSLATE_NOOP("columns", "说明")


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.target)
        self.setMinimumHeight(108)
        self.ok: bool | None = None
        self.title.setText(title)
        self.value.setText("…")

    def clear(self) -> None:
        self.value.setText("…")
        self.target.clear()

    def show_indicator(self, indicator: Any) -> None:
        self.ok = indicator.ok
        self.title.setText(indicator.en if i18n.current() == "en" else indicator.zh)
        self.value.setText(format_value(indicator.value, indicator.unit))
        if indicator.target is None:
            target = tr("仅统计")
        else:
            target = tr("目标 {t}").format(t=format_value(indicator.target, indicator.unit))
        if indicator.numerator is not None and indicator.denominator is not None and indicator.key not in MONEY_RATIOS:
            target += tr("（{n}/{d}）").format(n=f"{indicator.numerator:,}", d=f"{indicator.denominator:,}")
        self.target.setText(target)
        fg, bg = GREEN if indicator.ok else RED if indicator.ok is False else GREY
        self.setStyleSheet(
            f"#tile_{self.key} {{ background: {bg}; border: 1px solid {fg}; border-left: 6px solid {fg};"
            f" border-radius: 4px; }} #tile_{self.key} QLabel {{ background: transparent; }}"
        )
        self.value.setStyleSheet(f"font-size: 18pt; font-weight: bold; color: {fg};")

    def mouseReleaseEvent(self, event: Any) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            emit(self.clicked, self.key)


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
        self.scope_box = QComboBox()
        self.scope_box.setObjectName("dashboard_scope")
        self.scope_box.setMinimumContentsLength(12)
        self.scope_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scope_box.addItem(tr("全部（整个台账）"), "")
        self.scope_box.setItemDelegate(IndentedItems(self.scope_box))
        self.scope_box.currentIndexChanged.connect(self._scope_chosen)
        self.year_box = QSpinBox()
        self.year_box.setObjectName("dashboard_year")
        self.year_box.setRange(2000, date.today().year + 1)
        self.year_box.setValue(self.year)
        self.year_box.valueChanged.connect(self._year_chosen)
        header.addWidget(self.heading)
        header.addStretch(1)
        header.addWidget(QLabel(tr("范围")))
        header.addWidget(self.scope_box)
        header.addWidget(QLabel(tr("年度")))
        header.addWidget(self.year_box)
        header.addWidget(self.as_of)
        header.addWidget(refresh)
        self.grid = QGridLayout()
        self.grid.setSpacing(8)
        self.coverage_chart = ChartCanvas()
        self.income_chart = ChartCanvas()
        self.money_chart = ChartCanvas(width=6.0)
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

    def load_scopes(self) -> None:
        """Fill the picker with the database's counties, townships and villages (on the worker)."""
        self.ctx.query(scopes.scope_choices, self._fill_scopes, owner=self, background=True)

    def _fill_scopes(self, choices: list[scopes.Scope]) -> None:
        self.scope_box.blockSignals(True)
        try:
            self.scope_box.clear()
            self.scope_box.addItem(tr("全部（整个台账）"), "")
            for choice in choices:
                self.scope_box.addItem(choice.name, choice.code)
                row = self.scope_box.count() - 1
                self.scope_box.setItemData(row, LEVEL_DEPTH.get(choice.level, 0), DEPTH_ROLE)
                self.scope_box.setItemData(row, choice.code, Qt.ItemDataRole.ToolTipRole)
            index = self.scope_box.findData(self.scope_code)
            self.scope_box.setCurrentIndex(max(index, 0))
        finally:
            self.scope_box.blockSignals(False)
        if self.scope_box.currentData() != self.scope_code:  # the remembered region is not in this ledger
            self.set_scope("")

    def _scope_chosen(self, _index: int) -> None:
        self.set_scope(str(self.scope_box.currentData() or ""))

    def _year_chosen(self, year: int) -> None:
        self.set_year(year)

    def set_scope(self, code: str) -> None:
        """Show ``code``'s region (division code, "" = whole ledger); remembered for the next start."""
        if code == self.scope_code:
            return
        self.scope_code = code
        self.ctx.store.setValue(state.DASHBOARD_SCOPE, code)
        index = self.scope_box.findData(code)
        if index >= 0 and index != self.scope_box.currentIndex():
            self.scope_box.setCurrentIndex(index)
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
        self.load_scopes()  # a village added or removed since
        code, year = self.scope_code, self.year
        as_of = scopes.reference_date(year)
        self.as_of.setText(tr("截至 {d}").format(d=as_of.isoformat()))
        for n, key in enumerate(keys):
            if key not in self.tiles:
                tile = Tile(key, indicators.SPECS[key].en if i18n.current() == "en" else indicators.SPECS[key].zh)
                tile.clicked.connect(self.open_tile)
                self.tiles[key] = tile
                self.grid.addWidget(tile, n // 4, n % 4)
            self.tiles[key].show()
            self.ctx.query(
                lambda s, key=key: indicators.compute(s, key, resolve_or_whole(s, code), year),
                lambda found, g=generation: self._arrived(g, "indicator", found),
                owner=self,
                background=True,
            )
        self.ctx.query(
            lambda s: charts.coverage_by_village(s, scope=resolve_or_whole(s, code)),
            lambda rows, g=generation: self._arrived(g, "coverage", rows),
            owner=self,
            background=True,
        )
        self.ctx.query(
            lambda s: charts.income_trend(s, resolve_or_whole(s, code)),
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

    def indicator(self, key: str) -> Any:
        assert self.data is not None
        return self.data.indicators[key]

    def clear_data(self) -> None:
        self.stale = True
        self.generation += 1  # answers still on their way are dropped
        self.data = None
        for tile in self.tiles.values():
            tile.clear()
            tile.hide()
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
        target = TILE_TARGETS.get(key)
        if target is not None:
            page, filters = target
            emit(self.ctx.navigate, page, dict(filters))
            return None
        dialog = IndicatorRowsDialog(self.ctx, self.indicator(key), self, scope=self.scope_code, year=self.year)
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
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(indicator.en if i18n.current() == "en" else indicator.zh)
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

            return list(indicators.indicator_rows(session, key, resolve_or_whole(session, scope), year, limit=1000))

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
}


def create(ctx: AppContext) -> QWidget:
    return DashboardPage(ctx)
