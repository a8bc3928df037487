"""The one list widget: search box, filter bar, column chooser, count, and a table on ``EntityTableModel``.

Every registry, the pairing page, visits, projects and audit use this with an entity name; the filter bar
is built from ``ui.specs.FILTERS`` and the columns from ``app.services.listing.SPECS``. Header layout and
hidden columns are remembered per entity in QSettings. Enter or double-click emits ``opened(id)``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import listing
from ui import i18n, state
from ui.column_fit import ElidedTextDelegate, fit_columns
from ui.context import AppContext
from ui.i18n import QT_TRANSLATE_NOOP
from ui.qtfix import emit
from ui.region_picker import RegionPicker
from ui.specs import ALERTS, ENTITY_LABELS, FILTERS, FilterView, column_label, entity_label, tr_filter
from ui.table_model import ID_ROLE, EntityTableModel

SEARCH_DELAY_MS = 200
COUNT_DELAY_MS = 300
FLAG_YES, FLAG_NO = "__yes__", "__no__"


def _box_value(data: object) -> object:
    return True if data == FLAG_YES else False if data == FLAG_NO else data


def tr(text: str) -> str:
    return QCoreApplication.translate("list", text)


SEARCH_HINTS = {
    "household": QT_TRANSLATE_NOOP("list", "搜索：姓名、拼音首字母（如 wf）或身份证号后几位"),
    "cadre": QT_TRANSLATE_NOOP("list", "搜索：姓名或拼音首字母"),
}


class ListPanel(QWidget):
    opened = Signal(str)  # row id (Enter / double-click): read the record
    edit_requested = Signal(str)  # row id (F2): change it
    selection_changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        entity: str,
        *,
        fixed: dict[str, Any] | None = None,
        show_filters: bool = True,
        state_key: str | None = None,
        columns: tuple[str, ...] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entity = entity
        self.default_columns = columns  # shown until the user chooses otherwise (column chooser)
        self.fixed = dict(fixed or {})
        self.state_key = state_key or entity
        self.stale = False
        self._keep: str | None = None
        self._fit_columns = False  # set for real by _restore_columns(): fit once when no widths were saved
        self.model = EntityTableModel(ctx, entity, ALERTS.get(entity, ()), self)
        self.spec = self.model.spec

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            QCoreApplication.translate("list", SEARCH_HINTS.get(entity, QT_TRANSLATE_NOOP("list", "搜索")))
        )
        self.search.setMinimumWidth(220)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_DELAY_MS)
        self._count_timer.timeout.connect(self._count)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_entered)
        self._results_after_load = False
        self.search.setVisible(self.spec.search is not None)

        self.filter_boxes: dict[str, QComboBox] = {}
        self.place_pickers: dict[str, RegionPicker] = {}  # places are picked from the tree, never typed
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.search)
        filter_widgets: list[QWidget] = []
        if show_filters:
            for view in FILTERS.get(entity, []):
                if view.key in self.fixed:
                    continue
                if view.source in ("village", "township"):
                    picker = RegionPicker(ctx, all_label=tr("{label}：全部").format(label=tr_filter(view.label)))
                    picker.setObjectName(f"filter_{view.key}")
                    picker.changed.connect(lambda _code: self.refresh())
                    self.place_pickers[view.key] = picker
                    filter_widgets.append(picker)
                    continue
                box = self._filter_box(view)
                self.filter_boxes[view.key] = box
                filter_widgets.append(box)
        # Up to two filters share the search row; more get a row of their own, so a list with its detail
        # pane still fits a 1366-pixel screen.
        self.filter_bar = QHBoxLayout()
        target = self.bar if len(filter_widgets) <= 2 else self.filter_bar
        for widget in filter_widgets:
            target.addWidget(widget)
        self.filter_bar.addStretch(1)
        self.bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.bar.addWidget(self.count_label)
        self.columns_button = QToolButton()
        self.columns_button.setText(tr("列"))
        self.columns_button.setToolTip(tr("选择显示的列"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setMenu(QMenu(self.columns_button))
        self.bar.addWidget(self.columns_button)

        self.view = QTableView()
        self.view.setObjectName(f"table_{entity}")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)  # a stretched empty 办结日期 took the room 存在问题 needed
        header.setDefaultSectionSize(110)
        self.view.setItemDelegate(ElidedTextDelegate(self.view))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setSortingEnabled(False)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self.model.sort)
        self.view.doubleClicked.connect(lambda index: self._open(index.row()))
        self.view.installEventFilter(self)
        self.search.installEventFilter(self)  # Down goes to the results (after the view exists)
        self.view.viewport().installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(lambda *_a: emit(self.selection_changed))
        self.model.loaded.connect(self._after_load)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        if len(filter_widgets) > 2:
            layout.addLayout(self.filter_bar)
        layout.addWidget(self.view, 1)
        self._restore_columns()
        self._build_column_menu()
        self.view.horizontalHeader().viewport().installEventFilter(self)
        self._pressed_widths: list[int] = []
        self.refresh()

    # -- filter bar ---------------------------------------------------------------------------------

    def _filter_box(self, view: FilterView) -> QComboBox:
        box = QComboBox()
        box.setObjectName(f"filter_{view.key}")
        box.addItem(tr("{label}：全部").format(label=tr_filter(view.label)), None)
        flt = self.spec.filters[view.key]
        if view.source == "flag":
            # Strings, not Python bools, as item data: PySide6 mis-counts references to bools stored in a
            # QVariant and crashes at exit (bool_dealloc). ``_box_value`` turns them back.
            box.addItem(tr_filter(view.flag_yes), FLAG_YES)
            box.addItem(tr_filter(view.flag_no), FLAG_NO)
        elif view.source == "vocab" and flt.vocab is not None:
            for code, label in flt.vocab.choices(i18n.current()):
                box.addItem(label, code)
        elif view.source == "entity":
            for table in ENTITY_LABELS:
                box.addItem(entity_label(table), table)
        elif view.source == "actor":
            self.ctx.query(listing.audit_actors, lambda items: self._fill(box, items), owner=box)
        elif view.source == "department":
            self.ctx.query(
                lambda s: listing.name_choices(s, "department"), lambda items: self._fill(box, items), owner=box
            )
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.currentIndexChanged.connect(lambda _i: self.refresh())
        return box

    @staticmethod
    def _fill(box: QComboBox, items: list[tuple[str, str]]) -> None:
        for value, label in items:
            box.addItem(label, value)

    def current_query(self) -> listing.ListQuery:
        filters = dict(self.fixed)
        for key, box in self.filter_boxes.items():
            value = _box_value(box.currentData())
            if value is not None:
                filters[key] = value
        for key, picker in self.place_pickers.items():
            if picker.region_id():
                filters[key] = picker.region_id()
        old = self.model.query
        return listing.ListQuery(
            self.entity, self.search.text().strip(), tuple(filters.items()), old.sort, old.descending
        )

    def refresh(self) -> None:
        self._debounce.stop()
        self.stale = False
        self.count_label.setText(tr("加载中……"))
        current = self.current_id()
        if current is not None:
            self._keep = current
        self.model.set_query(self.current_query())

    def reload(self) -> None:
        self.refresh()

    def apply_filters(self, filters: dict[str, Any]) -> None:
        """Set filter boxes to values (a dashboard tile); unknown keys become fixed filters."""
        for box in self.filter_boxes.values():
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        for picker in self.place_pickers.values():
            picker.set_code("", notify=False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for key, value in filters.items():
            if key in self.place_pickers:
                self.place_pickers[key].set_region_id(value, notify=False)
                continue
            chosen = self.filter_boxes.get(key)
            if chosen is None:
                self.fixed[key] = value
                continue
            chosen.blockSignals(True)
            index = chosen.findData(FLAG_YES if value is True else FLAG_NO if value is False else value)
            chosen.setCurrentIndex(max(index, 0))
            chosen.blockSignals(False)
        self.refresh()

    def set_fixed(self, fixed: dict[str, Any]) -> None:
        self.fixed = dict(fixed)
        self.refresh()

    def _after_load(self) -> None:
        shown = len(self.model.ids)
        keep, self._keep = self._keep, None
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:  # the record the user was on stays selected after a refresh
            self.view.selectRow(row)
        self._fit_if_due()
        if self._results_after_load:
            self._results_after_load = False
            self.to_results(open_single=True)
        if not self.model.has_more:
            self.count_label.setText(tr("共 {n} 条").format(n=shown))
            return
        self.count_label.setText(tr("{n}+ 条，正在统计……").format(n=shown))
        self._count_timer.start()

    def _count(self) -> None:
        """The total, counted in the background a moment after the list settles: typing or switching
        filters quickly never queues a count of 200,000 rows in front of the next page."""
        generation = self.model.generation
        query = self.model.query
        model = self.model

        def count(session: Any) -> int | None:
            if generation != model.generation:  # a newer query came meanwhile (read across threads: an int)
                return None
            return listing.count(session, query)

        def counted(total: int | None) -> None:
            if total is not None and generation == self.model.generation:
                self.count_label.setText(tr("共 {n} 条").format(n=f"{total:,}"))

        self.ctx.query(count, counted, owner=self, background=True)

    # -- selection ----------------------------------------------------------------------------------

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.ids[r] for r in rows if r < len(self.model.ids)]

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.ids):
            emit(self.opened, self.model.ids[row])

    def _search_entered(self) -> None:
        """Enter in the search box: to the results (the answer first, if the typing is not searched yet);
        a single match opens at once."""
        if self._debounce.isActive() or self.model.loading:
            self._results_after_load = True
            if self._debounce.isActive():
                self.refresh()
            return
        self.to_results(open_single=True)

    def to_results(self, *, open_single: bool = False) -> None:
        """Focus the table on its current row (the first one if none), so arrows and Enter work from there."""
        if not self.model.ids:
            return
        self.view.setFocus()
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))
            self.view.selectRow(0)
        if open_single and len(self.model.ids) == 1:
            self._open(0)

    def _fit_if_due(self) -> None:
        """First time this list is seen on this machine (rows loaded, view on screen so its width is
        known): fit the columns to the first page, then leave widths to the user (kept in QSettings)."""
        if self._fit_columns and self.model.ids and self.view.isVisible():
            fit_columns(self.view, [c.kind for c in self.spec.columns])

    def _widths(self) -> list[int]:
        header = self.view.horizontalHeader()
        return [header.sectionSize(i) for i in range(header.count())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down:
                self.to_results()
                return True
            return False
        if watched is self.view and event.type() == QEvent.Type.Show:
            self._fit_if_due()
        if watched is self.view.horizontalHeader().viewport():
            # A width the user drags by hand is kept: from then on the columns are no longer fitted.
            if event.type() == QEvent.Type.MouseButtonPress:
                self._pressed_widths = self._widths()
            elif event.type() == QEvent.Type.MouseButtonRelease and self._pressed_widths != self._widths():
                self._fit_columns = False
            return False
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_if_due()  # the splitter or the window settled: fit again to the room there is now
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.view.currentIndex().isValid():
                self._open(self.view.currentIndex().row())
                return True
            if event.key() == Qt.Key.Key_F2 and self.current_id() is not None:
                emit(self.edit_requested, self.current_id())
                return True
        return False

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear_data(self) -> None:
        self.model.clear()
        self.count_label.clear()
        self.stale = True

    # -- columns ------------------------------------------------------------------------------------

    def _restore_columns(self) -> None:
        store = self.ctx.store
        header = self.view.horizontalHeader()
        saved = state.get_bytes(store, state.columns_key(self.state_key))
        self._fit_columns = saved is None  # until the user sets a width by hand
        if saved is not None:
            header.restoreState(saved)
        elif self.default_columns:
            # First use: the chosen columns in the chosen order (numbers are right-aligned, and a number in
            # a wide last column would sit far off to the right).
            for position, key in enumerate(self.default_columns):
                header.moveSection(header.visualIndex(self.model.COL[key]), position)
        hidden_saved = store.value(state.hidden_columns_key(self.state_key))
        hidden = (
            set(state.get_list(store, state.hidden_columns_key(self.state_key)))
            if hidden_saved is not None
            else {
                c.key
                for c in self.spec.columns
                if c.hidden or (self.default_columns and c.key not in self.default_columns)
            }
        )
        for i, column in enumerate(self.spec.columns):
            header.setSectionHidden(i, column.key in hidden or column.internal)
        sort = self.spec.default_sort
        header.blockSignals(True)
        header.setSortIndicator(
            self.model.COL[sort],
            Qt.SortOrder.DescendingOrder if self.spec.default_descending else Qt.SortOrder.AscendingOrder,
        )
        header.blockSignals(False)

    def _build_column_menu(self) -> None:
        menu = self.columns_button.menu()
        menu.clear()
        header = self.view.horizontalHeader()
        for i, column in enumerate(self.spec.columns):
            if column.internal:
                continue
            action = QAction(column_label(self.entity, column.key), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: self._toggle_column(i, on))
            menu.addAction(action)

    def _toggle_column(self, section: int, visible: bool) -> None:
        self.view.horizontalHeader().setSectionHidden(section, not visible)
        self.save_state()

    def save_state(self) -> None:
        header = self.view.horizontalHeader()
        store = self.ctx.store
        store.setValue(state.columns_key(self.state_key), header.saveState())
        hidden = [c.key for i, c in enumerate(self.spec.columns) if header.isSectionHidden(i)]
        store.setValue(state.hidden_columns_key(self.state_key), ",".join(hidden))
