"""Column widths for the one list machinery: fitted to what the rows hold, within the room the view has.

Numbers, dates and codes get the width their content needs and never less, so 在册农户 or 结对户数 cannot
shrink to one digit. Long free text (存在问题, 帮扶措施) shares what is left: it is capped while other
columns need the room, widened when there is room to spare, and elided with the full text in a tooltip
(``ElidedTextDelegate``). Nothing stretches a last column: an empty 办结日期 stays narrow.

GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
)

PADDING = 14  # cell margins and a little air
NUMBER_MIN = 56  # a number column is never narrower than this, even empty (a header like 人口 is short)
TEXT_MIN = 90  # free text shrinks to this before anything else is squeezed
TEXT_CAP = 360  # and is not widened beyond this while the view is fitted
SHRINKABLE = frozenset({"text", "enum"})  # column kinds whose text may be elided (never numbers, dates, IDs)


def fit_columns(view: QTableView, kinds: list[str]) -> None:
    """Size the visible columns of ``view`` (``kinds[i]`` is column i's kind) to content and room."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    visible = [i for i in range(header.count()) if not header.isSectionHidden(i)]
    if not visible:
        return
    wanted = {i: max(max(view.sizeHintForColumn(i), header.sectionSizeHint(i)) + PADDING, NUMBER_MIN) for i in visible}
    texts = [i for i in visible if kinds[i] in SHRINKABLE]
    widths = {i: min(w, TEXT_CAP) if i in texts else w for i, w in wanted.items()}
    room = view.viewport().width()
    total = sum(widths.values())
    if total > room and texts:
        # Too wide: take the excess from the text columns, the widest giving most, none below TEXT_MIN.
        excess = total - room
        slack = {i: widths[i] - TEXT_MIN for i in texts if widths[i] > TEXT_MIN}
        pool = sum(slack.values())
        if pool > 0:
            for i, s in slack.items():
                widths[i] -= min(s, -(-excess * s // pool))  # rounded up: the sum must fit
    elif total < room:
        # Room to spare: first to text that was capped (it is being cut), in proportion to what it lacks.
        lacking = {i: wanted[i] - widths[i] for i in texts if wanted[i] > widths[i]}
        need = sum(lacking.values())
        spare = room - total
        for i, lack in lacking.items():
            widths[i] += min(lack, spare * lack // need)
    for i, w in widths.items():
        header.resizeSection(i, w)


class ElidedTextDelegate(QStyledItemDelegate):
    """Draws cells as usual (elided on the right) and shows the whole text as a tooltip only when it
    does not fit — a tooltip repeating what is plainly visible is noise."""

    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if text and is_elided(view, option, text):
            QToolTip.showText(event.globalPos(), text, view)
        else:
            QToolTip.hideText()
            event.ignore()
        return True


def is_elided(view: QAbstractItemView, option: QStyleOptionViewItem, text: str) -> bool:
    return view.fontMetrics().horizontalAdvance(text) + PADDING > option.rect.width()  # type: ignore[attr-defined]
