"""One table model for every list (Anki's browser model + vorta's COL_ habit): row ids plus a row cache.

The model holds the ids and raw values of the rows loaded so far; ``fetchMore`` asks the worker for the next
page (``app.services.listing.fetch_page``), and sorting or filtering asks for a new first page — all in SQL,
so 200,000 households cost one page. Display text is made from the raw value by the column's kind
(``RAW_ROLE`` gives the raw value, for sorting proxies and tests). A ``generation`` counter drops answers to
queries that were replaced (typing fast in the search box) or made before a lock.

GUI thread only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from app.domain.enums import UNKNOWN_ZH
from app.domain.validators import format_yuan
from app.services import listing
from ui import i18n
from ui.context import AppContext
from ui.qtfix import emit
from ui.specs import action_label, column_label, entity_label

RAW_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 100  # ~30 rows show at once; fetchMore brings the next page as the user scrolls
ALERT = QColor("#c62828")

Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        RAW_ROLE,
        ID_ROLE,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
    }
)


UNKNOWN_LABEL = QT_TRANSLATE_NOOP("columns", "未填")  # == UNKNOWN_ZH, listed for the translation file


def display(kind: str, value: Any, vocab: Any = None) -> str:
    """The text a user sees for a raw value of a column kind."""
    if value is None and kind in ("enum", "bool"):
        return QCoreApplication.translate("columns", UNKNOWN_ZH)  # 未填: unknown is not "no"
    if value is None or value == "":
        return ""
    if kind == "enum" and vocab is not None:
        try:
            return vocab(value).label(i18n.current())
        except ValueError:
            return str(value)
    if kind == "money":
        return format_yuan(int(value))
    if kind == "date" and isinstance(value, date):
        return value.isoformat()
    if kind == "date" and isinstance(value, str):
        return value[:10]
    if kind == "datetime" and isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone().strftime("%Y-%m-%d %H:%M")
    if kind == "bool":
        return QCoreApplication.translate("columns", "是") if value else ""
    if kind == "entity":
        return entity_label(str(value))
    if kind == "action":
        return action_label(str(value))
    if kind == "percent":
        return f"{int(value)}%"
    return str(value)


class EntityTableModel(QAbstractTableModel):
    """Rows of one ``listing`` spec; columns are the spec's columns (the view hides some)."""

    loaded = Signal()  # a new first page arrived (after set_query/reload)
    page_loaded = Signal()  # any page arrived

    def __init__(self, ctx: AppContext, entity: str, alert_columns: tuple[str, ...] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.spec = listing.SPECS[entity]
        self.columns = list(self.spec.columns)
        self.COL = {c.key: i for i, c in enumerate(self.columns)}  # COL["head_name"] -> column number
        self._alert = [self.COL[k] for k in alert_columns]
        self.query = listing.ListQuery(entity)
        self.ids: list[str] = []
        self.rows: list[tuple[Any, ...]] = []
        self.texts: list[list[str]] = []
        self.has_more = False
        self._fetching = False
        self.generation = 0
        self.loading = False

    # -- loading ------------------------------------------------------------------------------------

    def set_query(self, query: listing.ListQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        generation = self.generation
        query = self.query
        self.loading = True
        self.ctx.query(
            lambda s: listing.fetch_page(s, query, 0, PAGE_SIZE),
            lambda page: self._first_page(generation, page),
            owner=self,
        )

    def _first_page(self, generation: int, page: listing.Page) -> None:
        if generation != self.generation:
            return
        self.beginResetModel()
        self.ids = list(page.ids)
        self.rows = list(page.rows)
        self.texts = self._texts(page.rows)
        self.has_more = page.has_more
        self._fetching = False
        self.endResetModel()
        self.loading = False
        emit(self.loaded)
        emit(self.page_loaded)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self.has_more and not self._fetching and not self.loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self.generation
        query, offset = self.query, len(self.ids)
        self.ctx.query(
            lambda s: listing.fetch_page(s, query, offset, PAGE_SIZE),
            lambda page: self._more(generation, page),
            owner=self,
        )

    def _more(self, generation: int, page: listing.Page) -> None:
        if generation != self.generation:
            return
        self._fetching = False
        self.has_more = page.has_more
        if page.ids:
            first = len(self.ids)
            self.beginInsertRows(QModelIndex(), first, first + len(page.ids) - 1)
            self.ids.extend(page.ids)
            self.rows.extend(page.rows)
            self.texts.extend(self._texts(page.rows))
            self.endInsertRows()
        emit(self.page_loaded)

    def clear(self) -> None:
        """Drop every cached row (lock); answers still on their way are ignored."""
        self.generation += 1
        self.beginResetModel()
        self.ids, self.rows, self.texts = [], [], []
        self.has_more, self._fetching, self.loading = False, False, False
        self.endResetModel()

    # -- Qt model API -------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def _texts(self, rows: list[tuple[Any, ...]]) -> list[list[str]]:
        """Display text made once per row when a page arrives, so painting is a list lookup (Anki's habit)."""
        kinds = [(c.kind, c.vocab) for c in self.columns]
        return [[display(kind, value, vocab) for (kind, vocab), value in zip(kinds, row, strict=True)] for row in rows]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES:
            return None  # most of what a view asks for per cell (font, decoration, check state …)
        r, c = index.row(), index.column()
        if not 0 <= r < len(self.rows) or not 0 <= c < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.texts[r][c]
        column = self.columns[c]
        value = self.rows[r][c]
        if role == RAW_ROLE:
            return value
        if role == ID_ROLE:
            return self.ids[r]
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in ("money", "int", "percent"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and self._alert:
            row = self.rows[r]
            if any(row[i] for i in self._alert):
                return QBrush(ALERT)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_label(self.spec.entity, self.columns[section].key)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns) or not self.columns[column].sortable:
            return
        key = self.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (
            key == (self.query.sort or self.spec.default_sort)
            and descending == (self.spec.default_descending if self.query.descending is None else self.query.descending)
            and self.ids
        ):
            return
        q = self.query
        self.set_query(listing.ListQuery(q.entity, q.text, q.filters, key, descending))

    # -- helpers ------------------------------------------------------------------------------------

    def row_of(self, row_id: str) -> int:
        try:
            return self.ids.index(row_id)
        except ValueError:
            return -1

    def value(self, row: int, key: str) -> Any:
        return self.rows[row][self.COL[key]]
