"""The workbench window: navigation list, one page at a time, status bar, shortcuts, idle lock.

Pages are created on first visit (``ui.pages.create_page``), so start-up paints the dashboard only. Locking
drops every page's cached rows, closes open dialogs and shows the lock screen; nothing of the ledger stays on
screen or in the table models until the password is given again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app.services import backups, listing
from app.services import settings as data_settings
from ui import state
from ui.context import AppContext
from ui.officer_picker import OfficerPicker
from ui.pages import PAGE_BY_KEY, PAGES, PageInfo, create_page
from ui.qtfix import emit
from ui.screen_fit import fit_window
from ui.start import PasswordGate, SessionVerifier, centred
from ui.table_model import display


def tr(text: str) -> str:
    return QCoreApplication.translate("main", text)


class IdleWatcher(QObject):
    """Application-wide event filter: any key or mouse input restarts the idle timer."""

    idle = Signal()
    _INPUT = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(int(minutes * 60_000))
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT and self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()
        return False


class MainWindow(QMainWindow):
    locked_changed = Signal(bool)

    def __init__(self, ctx: AppContext, password: str) -> None:
        super().__init__()
        self.ctx = ctx
        self._verifier = SessionVerifier(password)
        title = tr("帮扶通 · 结对帮扶台账")
        if ctx.demo:
            title += " — " + tr("演示数据库")
        self.setWindowTitle(f"{title} — {ctx.node.name}")
        self.pages: dict[str, QWidget] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setMinimumWidth(150)
        self.nav.setMaximumWidth(220)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet("QListWidget { font-size: 12pt; } QListWidget::item { padding: 8px 10px; }")
        for info in PAGES:
            item = QListWidgetItem(info.label)
            item.setData(Qt.ItemDataRole.UserRole, info.key)
            self.nav.addItem(item)
        self.nav.setMinimumWidth(max(150, self.nav.sizeHintForColumn(0) + 28))  # English labels are longer
        self.stack = QStackedWidget()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.gate = PasswordGate(
            ctx.tasks, lambda pw: self._verifier.check(pw), tr("帮扶通已锁定。请输入密码继续。")
        )  # a lambda, not the bound method: a change of password replaces the verifier
        self.gate.accepted.connect(lambda _r: self._ask_officer())
        self.picker = OfficerPicker(ctx.tasks, lambda: ctx.db)  # locking and unlocking again asks who is working
        self.picker.chosen.connect(lambda _name: self.unlock())
        self.root = QStackedWidget()
        self.root.addWidget(self.splitter)
        self.root.addWidget(centred(self.gate))
        self.root.addWidget(centred(self.picker))
        self.setCentralWidget(self.root)

        self.actor_label = QLabel()
        self.actor_label.setObjectName("actor")
        self._show_actor()
        self.node_label = QLabel(tr("节点：{name}（{code}）").format(name=ctx.node.name, code=ctx.node.code))
        db_text = tr("演示数据库（关闭后删除）") if ctx.demo else str(ctx.db.path)
        self.db_label = QLabel(tr("数据库：{path}").format(path=db_text))
        self.sync_label = QLabel(tr("上次同步：—"))
        self.backup_label = QLabel()
        self.backup_label.setObjectName("backup_reminder")
        self.backup_label.setStyleSheet("color: #c62828; font-weight: bold;")
        self.backup_label.linkActivated.connect(lambda _link: self.open_page("settings"))
        self.backup_label.hide()
        for label in (self.backup_label, self.actor_label, self.node_label, self.db_label, self.sync_label):
            self.statusBar().addPermanentWidget(label)
        self.busy_label = QLabel()
        self.statusBar().addWidget(self.busy_label)
        ctx.tasks.busy_changed.connect(lambda busy: self.busy_label.setText(tr("处理中……") if busy else ""))

        self.nav.currentRowChanged.connect(self._show_row)
        ctx.navigate.connect(self.open_page)
        ctx.data_changed.connect(self._data_changed)
        ctx.password_changed.connect(self._password_changed)

        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, activated=lambda: self._call_page("new_item"))
        QShortcut(QKeySequence("Ctrl+L"), self, activated=self.lock)
        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self._restore_state()
        self._load_data_settings()
        self._load_last_sync()
        self._load_backup_reminder()

    # -- pages --------------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            widget = create_page(PAGE_BY_KEY[key], self.ctx)
            widget.setObjectName(f"page_{key}")
            self.pages[key] = widget
            self.stack.addWidget(widget)
        return self.pages[key]

    def open_page(self, key: str, filters: Any = None) -> None:
        row = next(i for i, p in enumerate(PAGES) if p.key == key)
        self.nav.setCurrentRow(row)
        widget = self.page(key)
        if filters and hasattr(widget, "apply_filters"):
            widget.apply_filters(dict(filters))

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else PAGES[0].key

    def _show_row(self, row: int) -> None:
        if row < 0 or self.ctx.locked:
            return
        info: PageInfo = PAGES[row]
        widget = self.page(info.key)
        self.stack.setCurrentWidget(widget)
        if getattr(widget, "stale", False) and hasattr(widget, "reload"):
            widget.reload()

    def focus_search(self) -> None:
        """Ctrl+F: the page's own search box; on a page without a list (工作台, 报表 …) the household search,
        the one an officer looks for first."""
        if self.ctx.locked:
            return
        widget = self.pages.get(self.current_key())
        if widget is None or not hasattr(widget, "focus_search"):
            self.open_page("households")
            widget = self.page("households")
        widget.focus_search()  # type: ignore[attr-defined]

    def _call_page(self, method: str) -> None:
        if self.ctx.locked:
            return
        widget = self.pages.get(self.current_key())
        if widget is not None and hasattr(widget, method):
            getattr(widget, method)()

    def _data_changed(self, entity: str) -> None:
        # The visible page refreshes now; the others when next shown (cheap: nothing is queried in between).
        current = self.pages.get(self.current_key())
        for widget in self.pages.values():
            if not hasattr(widget, "reload"):
                continue
            if widget is current:
                widget.reload()
            else:
                widget.stale = True  # type: ignore[attr-defined]
        if entity in ("setting", "*"):
            self._load_data_settings()
        if entity in ("setting", "backup", "*"):
            self._load_backup_reminder()
        if entity in ("sync", "*"):
            self._load_last_sync()
        if entity in ("officer", "*"):
            self._show_actor()  # a rename of the officer at work

    # -- lock ---------------------------------------------------------------------------------------

    def lock(self) -> None:
        if self.ctx.locked:
            return
        self.ctx.locked = True
        for dialog in self.findChildren(QDialog):
            dialog.reject()
        for widget in self.pages.values():
            if hasattr(widget, "clear_data"):
                widget.clear_data()
        self.root.setCurrentIndex(1)
        self.gate.password.setFocus()
        self.idle.timer.stop()
        emit(self.locked_changed, True)

    def _ask_officer(self) -> None:
        self.root.setCurrentIndex(2)
        self.picker.load()

    def _show_actor(self) -> None:
        self.actor_label.setText(tr("经办人：{name}").format(name=self.ctx.db.actor))

    def unlock(self) -> None:
        self.ctx.locked = False
        self._show_actor()
        self.root.setCurrentIndex(0)
        for widget in self.pages.values():
            if hasattr(widget, "reload"):
                widget.reload()
        self._load_data_settings()
        emit(self.locked_changed, False)

    def _load_data_settings(self) -> None:
        self.ctx.query(lambda s: data_settings.get(s, "idle_lock_minutes"), self._set_idle, owner=self)

    def _set_idle(self, minutes: Any) -> None:
        if not self.ctx.locked:
            self.idle.set_minutes(float(minutes))

    def _password_changed(self, password: str) -> None:
        self._verifier = SessionVerifier(password)  # the lock screen asks for the new one

    def _load_backup_reminder(self) -> None:
        if self.ctx.demo:
            return  # a throw-away ledger needs no backup
        db = self.ctx.db

        def shown(reminder: backups.Reminder) -> None:
            if reminder.overdue:
                text = (
                    tr("已 {n} 天未备份").format(n=reminder.days_since)
                    if reminder.days_since is not None
                    else tr("尚未备份")
                )
                self.backup_label.setText(f'<a href="settings" style="color: #c62828;">⚠ {text}</a>')
                self.backup_label.setToolTip(tr("点击到“设置”备份台账"))
            self.backup_label.setVisible(reminder.overdue)

        self.ctx.tasks.run(lambda _t: backups.reminder(db), shown, lambda _e: None, owner=self)

    def _load_last_sync(self) -> None:
        def shown(stamp: Any) -> None:
            text = display("datetime", stamp) if stamp is not None else tr("尚未同步")
            self.sync_label.setText(tr("上次同步：{t}").format(t=text))

        self.ctx.query(listing.last_sync, shown, owner=self)

    # -- state --------------------------------------------------------------------------------------

    def _restore_state(self) -> None:
        store = self.ctx.store
        geometry = state.get_bytes(store, state.WINDOW_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        fit_window(self)  # a wish, not a given: a 1366×768 laptop, or a geometry saved on a larger monitor
        window_state = state.get_bytes(store, state.WINDOW_STATE)
        if window_state is not None:
            self.restoreState(window_state)
        splitter = state.get_bytes(store, state.splitter_key("main"))
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([170, 1100])
        last = str(store.value(state.LAST_PAGE, "dashboard"))
        self.open_page(last if last in PAGE_BY_KEY else "dashboard")

    def save_state(self) -> None:
        store = self.ctx.store
        store.setValue(state.WINDOW_GEOMETRY, self.saveGeometry())
        store.setValue(state.WINDOW_STATE, self.saveState())
        store.setValue(state.splitter_key("main"), self.splitter.saveState())
        store.setValue(state.LAST_PAGE, self.current_key())
        for widget in self.pages.values():
            if hasattr(widget, "save_state"):
                widget.save_state()
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        super().closeEvent(event)
