"""The page registry: one entry per item of the navigation list, one module per page.

A page module defines ``create(ctx: AppContext) -> QWidget``. The widget may implement ``reload()`` (data
changed or unlocked), ``clear_data()`` (locked: drop every cached row), ``focus_search()`` (Ctrl+F),
``new_item()`` (Ctrl+N) and ``apply_filters(dict)`` (a dashboard tile opened the list behind a number).
A module that does not exist yet shows a placeholder, so another engineer adds a page by adding its module
(``ui/pages/reports.py``, ``ui/pages/sync.py``) without touching this file.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.i18n import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageInfo:
    key: str
    title: str  # Chinese source text, translated in context "pages"
    module: str

    @property
    def label(self) -> str:
        return QCoreApplication.translate("pages", self.title)


PAGES: list[PageInfo] = [
    PageInfo("dashboard", QT_TRANSLATE_NOOP("pages", "工作台"), "ui.pages.dashboard"),
    PageInfo("households", QT_TRANSLATE_NOOP("pages", "低收入农户"), "ui.pages.households"),
    PageInfo("villages", QT_TRANSLATE_NOOP("pages", "村/集体经济"), "ui.pages.villages"),
    PageInfo("helpers", QT_TRANSLATE_NOOP("pages", "干部与部门"), "ui.pages.helpers"),
    PageInfo("pairing", QT_TRANSLATE_NOOP("pages", "结对帮扶"), "ui.pages.pairing"),
    PageInfo("visits", QT_TRANSLATE_NOOP("pages", "走访记录"), "ui.pages.visits"),
    PageInfo("projects", QT_TRANSLATE_NOOP("pages", "帮扶项目"), "ui.pages.projects"),
    PageInfo("reports", QT_TRANSLATE_NOOP("pages", "报表"), "ui.pages.reports"),
    PageInfo("sync", QT_TRANSLATE_NOOP("pages", "同步"), "ui.pages.sync"),
    PageInfo("audit", QT_TRANSLATE_NOOP("pages", "审计"), "ui.pages.audit"),
    PageInfo("settings", QT_TRANSLATE_NOOP("pages", "设置"), "ui.pages.settings"),
]
PAGE_BY_KEY = {p.key: p for p in PAGES}


class Composite:
    """A page (or tab) made of parts — list panels, record pages, tabs: the page-level calls of the registry
    (``reload``, ``clear_data``, ``save_state``) go to every part. ``parts`` is set by the subclass."""

    parts: list[Any]
    stale: bool = False

    def reload(self) -> None:
        self.stale = False
        for part in self.parts:
            part.reload()

    def clear_data(self) -> None:
        self.stale = True
        for part in self.parts:
            part.clear_data()

    def save_state(self) -> None:
        for part in self.parts:
            part.save_state()


class PlaceholderPage(QWidget):
    """Shown for a page whose module is not there yet."""

    def __init__(self, info: PageInfo) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        label = QLabel(
            QCoreApplication.translate("pages", "“{title}”页面正在开发中，敬请期待。").format(title=info.label)
        )
        label.setObjectName("placeholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 14pt; color: #666;")
        layout.addWidget(label)


def create_page(info: PageInfo, ctx: object) -> QWidget:
    try:
        module = importlib.import_module(info.module)
    except ModuleNotFoundError as exc:
        if exc.name != info.module:
            raise
        return PlaceholderPage(info)
    return module.create(ctx)
