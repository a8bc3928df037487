"""Pick a place from the tree (county → township → village) instead of typing a 区划代码.

``RegionPicker`` looks like a combo box: a button with the chosen place's name. Clicking it (or Space/Enter/
Alt+Down) opens a popup with a filter box and the tree of the ledger's places; typing narrows the tree to
matching names (pinyin initials too, as the search box does), Enter or a double-click picks. "全部" (the
whole ledger) is the first entry when ``allow_all``. The places come from ``app.services.scope.
scope_choices`` on the worker. Used by the dashboard scope, the 报表 page's 地区 and the list filters.

GUI thread only.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFrame,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.domain.name_pinyin import name_initials, name_pinyin
from app.services import scope as scopes
from ui.context import AppContext

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
LEVEL_ROLE = Qt.ItemDataRole.UserRole + 3
MATCH_ROLE = Qt.ItemDataRole.UserRole + 4  # name, full pinyin and initials, for the filter box


def tr(text: str) -> str:
    return QCoreApplication.translate("region", text)


def place_model(choices: list[scopes.Scope], all_label: str | None) -> QStandardItemModel:
    """A tree of places: each region under the nearest one whose division-code prefix contains its code."""
    model = QStandardItemModel()
    root = model.invisibleRootItem()
    if all_label is not None:
        whole = QStandardItem(all_label)
        whole.setData("", CODE_ROLE)
        whole.setData("", ID_ROLE)
        whole.setData("all", LEVEL_ROLE)
        whole.setData(all_label, MATCH_ROLE)
        root.appendRow(whole)
    stack: list[tuple[str, QStandardItem]] = []  # (prefix, item) of the open ancestors, in code order
    for choice in choices:
        item = QStandardItem(choice.name)
        item.setEditable(False)
        item.setData(choice.code, CODE_ROLE)
        item.setData(choice.region_id, ID_ROLE)
        item.setData(choice.level, LEVEL_ROLE)
        item.setData(f"{choice.name} {name_pinyin(choice.name)} {name_initials(choice.name)}", MATCH_ROLE)
        item.setToolTip(choice.code)
        while stack and not choice.code.startswith(stack[-1][0]):
            stack.pop()
        (stack[-1][1] if stack else root).appendRow(item)
        stack.append((choice.prefix, item))
    return model


class PlaceFilter(QSortFilterProxyModel):
    """Keeps a place when it or anything under it matches (so a village shows with its township)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterRole(MATCH_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class PlacePopup(QFrame):
    """The drop-down of a ``RegionPicker``: a filter box over the tree."""

    picked = Signal(QModelIndex)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.filter_box = QLineEdit()
        self.filter_box.setObjectName("place_filter")
        self.filter_box.setPlaceholderText(tr("输入地名或拼音首字母筛选"))
        self.filter_box.setClearButtonEnabled(True)
        self.proxy = PlaceFilter(self)
        self.tree = QTreeView()
        self.tree.setObjectName("place_tree")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.activated.connect(lambda index: self.picked.emit(self.proxy.mapToSource(index)))
        self.filter_box.textChanged.connect(self._filtered)
        self.filter_box.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.tree)

    def _filtered(self, text: str) -> None:
        needle = text.strip()
        self.proxy.setFilterFixedString(needle)
        if needle:
            self.tree.expandAll()
        first = self._first_match(QModelIndex(), needle.lower())
        if first.isValid():
            self.tree.setCurrentIndex(first)

    def _first_match(self, parent: QModelIndex, needle: str) -> QModelIndex:
        """The first place in tree order that matches itself (not one kept only for a matching child)."""
        for row in range(self.proxy.rowCount(parent)):
            index = self.proxy.index(row, 0, parent)
            if needle in str(index.data(MATCH_ROLE) or "").lower():
                return index
            found = self._first_match(index, needle)
            if found.isValid():
                return found
        return QModelIndex()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down/Enter in the filter box go to the tree: the keyboard never has to leave the popup.
        if watched is self.filter_box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                self.tree.setFocus()
                return False
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                current = self.tree.currentIndex()
                if current.isValid():
                    self.picked.emit(self.proxy.mapToSource(current))
                return True
        return False


class RegionPicker(QPushButton):
    """A place chosen from the tree. ``code()`` / ``region_id()`` / ``level()`` tell the choice; ``changed``
    fires with the division code when the user picks ("" = the whole ledger)."""

    changed = Signal(str)
    loaded = Signal()  # the places arrived from the worker

    def __init__(
        self, ctx: AppContext, *, allow_all: bool = True, all_label: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("region_picker")
        self.all_label = (all_label or tr("全部（整个台账）")) if allow_all else None
        self.model = place_model([], self.all_label)
        self._code = ""
        self._pending = ""
        self._pending_id: str | None = None
        self.popup = PlacePopup(self)
        self.popup.proxy.setSourceModel(self.model)
        self.popup.picked.connect(self._picked)
        self.clicked.connect(self.open_popup)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QPushButton { text-align: left; padding: 3px 8px; }")
        self.setText((self.all_label or tr("请选择地区")) + "  ▾")
        self.setToolTip(tr("点击选择地区（县 → 乡镇 → 村）"))
        self.reload()

    def reload(self) -> None:
        self.ctx.query(scopes.scope_choices, self.set_choices, owner=self, background=True)

    def set_choices(self, choices: list[scopes.Scope]) -> None:
        self.model = place_model(choices, self.all_label)
        self.popup.proxy.setSourceModel(self.model)
        if self._pending_id:
            self.set_region_id(self._pending_id)  # a filter set before the places arrived takes effect
        else:
            self.set_code(self._pending or self._code, notify=False)
        self.loaded.emit()

    # -- the choice ---------------------------------------------------------------------------------

    def index_of(self, code: str) -> QModelIndex:
        hits = self.model.match(
            self.model.index(0, 0), CODE_ROLE, code, 1, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
        )
        return hits[0] if hits else QModelIndex()

    def set_code(self, code: str, *, notify: bool = True) -> bool:
        """Choose the place with division code ``code`` ("" = all); False (and kept for later) if the place
        is not (yet) in the list."""
        index = self.index_of(code)
        if not index.isValid():
            self._pending = code
            return False
        self._pending = ""
        changed = code != self._code
        self._code = code
        self._index = index
        self.setText(f"{index.data(Qt.ItemDataRole.DisplayRole)}  ▾")
        if notify and changed:
            self.changed.emit(code)
        return True

    def set_region_id(self, region_id: str | None, *, notify: bool = True) -> bool:
        """Choose a place by its row id (a dashboard tile's filter); None = all."""
        self._pending_id = None
        if not region_id:
            return self.set_code("", notify=notify)
        hits = self.model.match(
            self.model.index(0, 0), ID_ROLE, region_id, 1, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
        )
        if not hits:
            self._pending_id = region_id  # the places have not arrived yet
            return False
        return self.set_code(str(hits[0].data(CODE_ROLE)), notify=notify)

    def _picked(self, index: QModelIndex) -> None:
        self.popup.hide()
        self.set_code(str(index.data(CODE_ROLE) or ""))

    def code(self) -> str:
        return self._code

    def _data(self, role: int) -> Any:
        index = self.index_of(self._code)
        return index.data(role) if index.isValid() else None

    def region_id(self) -> str | None:
        return self._data(ID_ROLE) or None

    def level(self) -> str:
        return str(self._data(LEVEL_ROLE) or "all")

    def name(self) -> str:
        return str(self._data(Qt.ItemDataRole.DisplayRole) or "")

    # -- popup --------------------------------------------------------------------------------------

    def open_popup(self) -> None:
        popup = self.popup
        popup.filter_box.clear()
        popup.tree.collapseAll()
        current = self.index_of(self._code)
        if current.isValid():
            proxy_index = popup.proxy.mapFromSource(current)
            popup.tree.setCurrentIndex(proxy_index)
            popup.tree.scrollTo(proxy_index)
        popup.tree.expandToDepth(0)
        popup.resize(max(self.width(), 280), 360)
        popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        popup.show()
        popup.filter_box.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.open_popup()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        option = QStyleOptionButton()
        self.initStyleOption(option)
        arrow = self.style().pixelMetric(QStyle.PixelMetric.PM_MenuButtonIndicator, option, self)
        hint.setWidth(max(hint.width() + arrow, 120))
        return hint
