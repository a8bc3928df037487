"""GUI start-up: flags, translations, logging, then the wizard (first run), the unlock dialog or the demo.

    python main.py                        # unlock the ledger in the data folder, or create it (wizard)
    python main.py --demo                 # a throw-away demo township, deleted on exit
    python main.py --demo --screenshots D # render every page to D/*.png and quit
    python main.py --data-dir D --db F --lang en

Only the GUI thread builds widgets; every open, create and query runs on the one worker (``ui.tasks``).
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import secrets
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QWidget

from app import paths
from app.demo_workspace import DemoWorkspace
from app.fonts import UI_FONTS
from app.services import officers
from app.storage.database import Database, create_database
from ui import gc_guard, i18n, state
from ui.context import AppContext
from ui.errors import show_error
from ui.progress import with_progress
from ui.tasks import TaskContext, TaskManager

log = logging.getLogger("bangfu.ui")
SIGNAL_POLL_MS = 300


def tr(text: str) -> str:
    return QCoreApplication.translate("app", text)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bangfu", description="帮扶通 Bangfu — 图形界面 / workbench")
    parser.add_argument("--demo", action="store_true", help="打开一个临时演示数据库 / open a throw-away demo")
    parser.add_argument("--demo-households", type=int, default=None, help="演示农户数 / demo households")
    parser.add_argument("--data-dir", type=Path, default=None, help="数据文件夹 / data folder")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件 / database file")
    parser.add_argument("--lang", choices=["zh", "en"], default=None, help="界面语言 / language")
    parser.add_argument("--screenshots", type=Path, default=None, help="把每个页面存为 PNG 后退出 / render pages")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def setup_logging() -> None:
    """A rotating log in the data folder. Messages name types and ids, never people (see ui.errors)."""
    root = logging.getLogger("bangfu")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        paths.logs_dir() / "bangfu.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def apply_font(app: QApplication) -> None:
    """A CJK UI font where the platform default has none (Linux), so Chinese never renders as boxes."""
    families = set(QFontDatabase.families())
    for family in UI_FONTS:
        if family in families:
            font = QFont(family, app.font().pointSize())
            app.setFont(font)
            return


DEMO_HOUSEHOLDS = 800  # a township's worth; generated in a few seconds behind a progress dialog


def make_demo_database(
    path: Path, password: str, households: int | None = None, task: TaskContext | None = None
) -> Database:
    """Create and fill a demo ledger for 壶镇镇 (worker thread) with the shared generator ``app.demo``."""
    from app.demo import generate
    from app.services.node import initialize_node

    db = create_database(path, password)
    try:
        initialize_node(db, "331122101", "壶镇镇", "township")
        generate(
            db,
            households=households or DEMO_HOUSEHOLDS,
            progress=task.progress if task is not None else None,
            cancel=(lambda: task.cancelled) if task is not None else None,
        )
        officers.staff_demo(db, os.environ.get(officers.ACTOR_ENV))  # demo mode: the one place a name is free
    except BaseException:
        db.close()
        raise
    return db


def settle_gc() -> None:
    """Move everything alive at start-up out of the collector's sight (``gc.freeze``). Qt, matplotlib and
    SQLAlchemy leave ~10^6 long-lived objects; a full collection over them costs ~140 ms and would land in
    the middle of a list refresh. What is created later is collected as usual."""
    import gc

    gc.collect()
    gc.freeze()


class Starter:
    """Drives start-up on the GUI thread and owns what must be cleaned up at exit."""

    def __init__(self, args: argparse.Namespace, tasks: TaskManager, store: QSettings) -> None:
        self.args = args
        self.tasks = tasks
        self.store = store
        self.window: Any = None
        self.dialog: QWidget | None = None
        self.db: Database | None = None
        self.demo: DemoWorkspace | None = None
        self.on_ready: Callable[[Any], None] | None = None

    def start(self) -> None:
        if self.args.demo:
            self._start_demo()
            return
        path = self.args.db or paths.default_database()
        if path.exists() and path.stat().st_size > 0:
            from ui.start import UnlockDialog

            dialog = UnlockDialog(self.tasks, path)
        else:
            from ui.start import FirstRunWizard

            dialog = FirstRunWizard(self.tasks, path)  # type: ignore[assignment]
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.open_window(dialog.database, dialog.password_value))  # type: ignore[arg-type]
        dialog.rejected.connect(QCoreApplication.quit)
        dialog.show()

    def _start_demo(self) -> None:
        self.demo = DemoWorkspace()
        password = secrets.token_urlsafe(16)
        path = self.demo.path / "demo.db"
        households = self.args.demo_households

        def build(ctx: TaskContext) -> Database:
            return make_demo_database(path, password, households, ctx)

        def failed(exc: BaseException) -> None:
            box = show_error(None, exc)
            box.finished.connect(QCoreApplication.quit)

        task = self.tasks.run(build, lambda db: self.open_window(db, password, demo=True), failed)
        task.finished.connect(lambda: QCoreApplication.quit() if task.cancelled else None)
        with_progress(task, None, tr("正在生成演示数据（一个乡镇）……"))

    def open_window(self, db: Database, password: str, *, demo: bool = False) -> None:
        from ui.main_window import MainWindow

        self.db = db
        ctx = AppContext(db, self.tasks, self.store, demo=demo)
        self.window = MainWindow(ctx, password)
        self.window.show()
        settle_gc()
        self.dialog = None
        if self.on_ready is not None:
            self.on_ready(self.window)

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.save_state()
        db = self.db
        if db is not None:
            self.tasks.run(lambda _ctx: db.close())
        self.tasks.shutdown()
        if self.demo is not None:
            self.demo.remove()


def run_gui(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    setup_logging()
    if QApplication.instance() is None:
        # Windows desks at 125 %/150 %: exact scaling instead of rounding to 100 %/200 % (Qt 6 is DPI-aware).
        QApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    gc_guard.install(app)  # cycles are freed on this thread, never on the worker (Qt destructors)
    app.setApplicationName("Bangfu")
    app.setApplicationDisplayName("帮扶通")
    apply_font(app)
    store = state.settings()
    language = args.lang or str(store.value(state.LANGUAGE, "zh"))
    scratch: Path | None = None
    if args.screenshots:
        # A run of pictures must not move the user's window, columns, last page or dashboard scope — and
        # should not be shaped by them either: it keeps its state in a scratch file deleted at exit.
        scratch = Path(tempfile.mkdtemp(prefix="bangfu-shots-"))
        store = QSettings(str(scratch / "bangfu-ui.ini"), QSettings.Format.IniFormat)
    i18n.install(app, language)
    tasks = TaskManager()
    tasks.default_error_handler = lambda exc: show_error(None, exc)
    if args.screenshots:
        args.demo = True
    starter = Starter(args, tasks, store)
    if args.screenshots:
        from ui.screenshots import ScreenshotRunner

        runner = ScreenshotRunner(args.screenshots, tasks)
        starter.on_ready = runner.start
    QTimer.singleShot(0, starter.start)
    # SIGTERM (logout, `kill`) ends the event loop like closing the window, so shutdown() runs and the demo
    # folder goes. Python runs signal handlers only between bytecodes: a timer gives it the chance.
    signal.signal(signal.SIGTERM, lambda *_: QCoreApplication.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)
    try:
        return app.exec()
    finally:
        starter.shutdown()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
