"""The one worker: order, priority lanes, errors and cancel delivered on the GUI thread, delayed progress."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from app.errors import WrongPassword
from ui.tasks import TaskCancelled, TaskContext


def test_foreground_work_overtakes_queued_background_work(tasks: Any, qtbot: Any) -> None:
    gate = threading.Event()
    order: list[str] = []
    tasks.run(lambda _c: gate.wait(5))  # occupies the worker while the others queue
    for n in range(3):
        tasks.run(lambda _c, n=n: order.append(f"bg{n}"), background=True)
    tasks.run(lambda _c: order.append("fg"))
    gate.set()
    qtbot.waitUntil(lambda: len(order) == 4, timeout=5000)
    assert order == ["fg", "bg0", "bg1", "bg2"]


def test_results_and_errors_arrive_on_the_gui_thread(tasks: Any, qtbot: Any) -> None:
    main = threading.get_ident()
    seen: list[Any] = []
    tasks.run(lambda _c: threading.get_ident(), lambda worker: seen.append((worker != main, threading.get_ident())))

    def fail(_c: TaskContext) -> None:
        raise WrongPassword()

    tasks.run(fail, on_error=lambda exc: seen.append(exc))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert seen[0] == (True, main)
    assert isinstance(seen[1], WrongPassword)


def test_cancel_is_cooperative_and_calls_nothing(tasks: Any, qtbot: Any) -> None:
    started = threading.Event()
    results: list[Any] = []

    def long(ctx: TaskContext) -> str:
        started.set()
        for _ in range(500):
            ctx.check()
            threading.Event().wait(0.01)
        return "finished"

    task = tasks.run(long, results.append, results.append)
    assert started.wait(5)
    task.cancel()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert results == []
    with pytest.raises(TaskCancelled):
        TaskContext(task).check()


def test_progress_dialog_only_for_slow_tasks(tasks: Any, qtbot: Any) -> None:
    from PySide6.QtWidgets import QProgressDialog

    from ui.progress import with_progress

    quick = with_progress(tasks.run(lambda _c: 1), None, "快")
    with qtbot.waitSignal(quick.finished, timeout=5000):
        pass
    gate = threading.Event()

    def slow(ctx: TaskContext) -> None:
        ctx.progress(1, 4, "第一步")
        gate.wait(5)

    task = with_progress(tasks.run(slow), None, "慢")
    qtbot.waitUntil(lambda: any(w.isVisible() for w in qtbot_dialogs(QProgressDialog)), timeout=3000)
    dialog = next(w for w in qtbot_dialogs(QProgressDialog) if w.isVisible())
    assert "第一步" in dialog.labelText()
    from PySide6.QtWidgets import QPushButton

    dialog.findChild(QPushButton).click()  # the user presses 取消
    assert task.cancelled
    gate.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass


def qtbot_dialogs(kind: type) -> list[Any]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind)]
