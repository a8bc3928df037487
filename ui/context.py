"""What every page shares: the open ledger, the one task worker, per-machine state, and change notices.

Pages never touch ``db`` on the GUI thread: ``query`` and ``write`` queue work on the worker with a session
(reads) or the ``Database`` (writes through ``app.services``) and call back on the GUI thread. After a write,
``data_changed`` tells every page which entity changed so lists and the dashboard refresh themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from app.services.uow import Session  # the session type the services' query functions take
from app.storage.database import Database
from ui.errors import show_error
from ui.qtfix import emit
from ui.tasks import Task, TaskContext, TaskManager


class AppContext(QObject):
    """GUI-thread object. ``db`` is handed to worker tasks only."""

    data_changed = Signal(str)  # entity that changed, "*" for everything
    navigate = Signal(str, object)  # page key, {filter: value} to open the list behind a number
    password_changed = Signal(str)  # the ledger's password is now this one (设置: change, restore)

    def __init__(self, db: Database, tasks: TaskManager, store: QSettings, *, demo: bool = False) -> None:
        super().__init__()
        self.db = db
        self.tasks = tasks
        self.store = store
        self.demo = demo
        self.node = db.node
        self.locked = False

    def query(
        self,
        fn: Callable[[Session], Any],
        on_done: Callable[[Any], object] | None = None,
        *,
        owner: QObject | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        background: bool = False,
    ) -> Task:
        """Run ``fn(session)`` on the worker (read-only work); ``on_done(result)`` on the GUI thread.
        ``background``: figures nobody is waiting for (totals, dashboard) yield to what the user asked for."""
        db = self.db

        def work(_ctx: TaskContext) -> Any:
            with db.session() as session:
                return fn(session)

        return self.tasks.run(work, on_done, on_error or self._error_for(owner), owner=owner, background=background)

    def write(
        self,
        fn: Callable[[Database], Any],
        on_done: Callable[[Any], object] | None = None,
        *,
        entity: str = "*",
        owner: QObject | None = None,
        on_error: Callable[[BaseException], object] | None = None,
    ) -> Task:
        """Run a service call ``fn(db)`` on the worker; announce ``data_changed(entity)`` when it succeeded."""
        db = self.db

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            emit(self.data_changed, entity)

        return self.tasks.run(lambda _ctx: fn(db), done, on_error or self._error_for(owner), owner=owner)

    @staticmethod
    def _error_for(owner: QObject | None) -> Callable[[BaseException], object]:
        parent = owner if isinstance(owner, QWidget) else None
        return lambda exc: show_error(parent.window() if parent is not None else None, exc)
