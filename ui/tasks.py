"""The one background worker: every database and file task of the GUI runs here, one at a time, in order.

Modelled on Anki's ``aqt/taskman.py``: a single-thread executor does the work, and results, errors and progress
come back to the GUI thread through a queued signal, so callbacks may touch widgets. The GUI thread never runs
SQL: a page asks ``tasks.run(fn, on_done)`` and paints when ``on_done`` is called.

Cancel is cooperative: the task function receives a ``TaskContext`` and checks ``ctx.cancelled`` (or calls
``ctx.check()``, which raises ``TaskCancelled``) between steps; a cancelled write must leave the data as it was,
which the services' one-transaction-per-call already guarantees.

Thread use: ``run`` and everything on ``Task`` except ``TaskContext`` methods are GUI-thread only.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ui.qtfix import emit

log = logging.getLogger(__name__)


class TaskCancelled(Exception):
    """Raised inside a task by ``TaskContext.check()`` once the user pressed cancel."""


@dataclass
class Progress:
    done: int
    total: int
    text: str = ""


class TaskContext:
    """Handed to the task function on the worker thread: progress reports and the cancel flag."""

    def __init__(self, task: Task) -> None:
        self._task = task

    @property
    def cancelled(self) -> bool:
        return self._task._cancel_event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise TaskCancelled()

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task._manager._post(lambda: self._task._emit_progress(Progress(done, total, text)))


class Task(QObject):
    """A handle on a queued or running task (GUI thread). ``finished`` fires after the done/error callback."""

    progressed = Signal(object)  # Progress
    finished = Signal()

    def __init__(self, manager: TaskManager, label: str) -> None:
        super().__init__()
        self._manager = manager
        self.label = label
        self._cancel_event = threading.Event()
        self.done = False

    def cancel(self) -> None:
        self._cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel_event.is_set()

    def _emit_progress(self, progress: Progress) -> None:
        if not self.done:
            emit(self.progressed, progress)


FOREGROUND, BACKGROUND, IDLE = 0, 1, 2


class _Worker:
    """One thread, one task at a time, foreground before background (FIFO within a priority).

    Like a single-thread executor (Anki's taskman) with two lanes; a priority queue rather than two
    executors, so there is still exactly one connection in use and one task running.
    """

    def __init__(self) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, Future[Any] | None, Callable[[], Any] | None]] = (
            queue.PriorityQueue()
        )
        self._seq = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="bangfu-worker", daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[[], Any], priority: int) -> Future[Any]:
        future: Future[Any] = Future()
        if self._stopped:
            future.cancel()
            return future
        self._queue.put((priority, next(self._seq), future, fn))
        return future

    def _loop(self) -> None:
        while True:
            _priority, _seq, future, fn = self._queue.get()
            if future is None or fn is None:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn())
            except BaseException as exc:  # delivered to the GUI thread's error callback
                future.set_exception(exc)

    def shutdown(self) -> None:
        self._stopped = True
        while True:
            try:
                _p, _s, future, _fn = self._queue.get_nowait()
            except queue.Empty:
                break
            if future is not None:
                future.cancel()
        self._queue.put((-1, -1, None, None))
        self._thread.join()


class TaskManager(QObject):
    """One worker thread for all database/file work; callbacks delivered on the GUI thread."""

    _deliver = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = _Worker()
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self._pending = 0
        self._closed = False
        self.default_error_handler: Callable[[BaseException], object] | None = None

    # -- API ----------------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        owner: QObject | None = None,
        label: str = "",
        background: bool = False,
    ) -> Task:
        """Queue ``fn(ctx)`` on the worker. ``on_done(result)`` / ``on_error(exc)`` run on the GUI thread,
        and are skipped when ``owner`` (a widget) has been destroyed meanwhile. Cancelled tasks call neither.
        ``background`` tasks (dashboard figures, totals) run only when no foreground task is waiting, so a
        list the user asked for never queues behind them.
        """
        task = Task(self, label)
        if self._closed:
            return task
        self._pending += 1
        if self._pending == 1:
            emit(self.busy_changed, True)

        def work() -> Any:
            if task.cancelled:
                raise TaskCancelled()
            return fn(TaskContext(task))

        future = self._worker.submit(work, BACKGROUND if background else FOREGROUND)
        future.add_done_callback(lambda fut: self._post(lambda: self._finish(task, fut, on_done, on_error, owner)))
        return task

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Block until every queued task has run (shutdown and tests only; never from a GUI callback)."""
        self._worker.submit(lambda: None, IDLE).result(timeout)

    def shutdown(self) -> None:
        """Let the running task finish, drop the queued ones (their callbacks will not run)."""
        self._closed = True
        self._worker.shutdown()

    # -- internals ----------------------------------------------------------------------------------

    def _post(self, closure: Callable[[], None]) -> None:
        # Called from the worker thread; the queued connection runs ``closure`` on the GUI thread.
        if shiboken6.isValid(self):
            emit(self._deliver, closure)

    def _on_deliver(self, closure: Callable[[], None]) -> None:
        closure()

    def _finish(
        self,
        task: Task,
        future: Future[Any],
        on_done: Callable[[Any], object] | None,
        on_error: Callable[[BaseException], object] | None,
        owner: QObject | None,
    ) -> None:
        self._pending -= 1
        task.done = True
        try:
            if owner is not None and not shiboken6.isValid(owner):
                return
            if future.cancelled():
                return
            exc = future.exception()
            if isinstance(exc, TaskCancelled) or (exc is None and task.cancelled and on_done is None):
                return
            if exc is not None:
                handler = on_error or self.default_error_handler
                if handler is not None:
                    handler(exc)
                else:
                    log.error("background task failed", exc_info=exc)
            elif not task.cancelled and on_done is not None:
                on_done(future.result())
        finally:
            emit(task.finished)
            if self._pending == 0 and not self._closed:
                QTimer.singleShot(0, self._emit_idle)

    def _emit_idle(self) -> None:
        if self._pending == 0:
            emit(self.busy_changed, False)
