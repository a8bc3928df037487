"""The window half of ``bangfu --self-test``, and ``bangfu --startup-timing``.

The data checks are ``app.selftest``; this module adds what needs Qt: every ``ui`` module imports, Qt's own
Chinese translation and the SVG image plugin are in the build, and the real start-up path (``ui.app.run_gui``
with ``--db`` on a fresh encrypted ledger, the password typed into the unlock dialog) shows its main window,
rendered offscreen to a PNG. ``--startup-timing [GUI flags]`` runs the GUI the same way and reports the seconds
from process creation until the main window is on screen, then quits — the start-up figure of the frozen build.
With ``BANGFU_PASSWORD`` set it types that password into the unlock dialog, so the figure is "start → unlocked
main window" without a person's typing.

The GUI is found without knowing its classes: the first visible top-level ``QMainWindow`` (else the first
visible top-level widget that is not a dialog) once the platform has exposed it; an unlock dialog is a visible
dialog with a password field, submitted with its default button. ``run_gui`` is expected to use an existing
``QApplication`` (as it must under pytest-qt). PySide6 is imported inside the functions so this module imports
even where Qt cannot load, and that failure is then reported as a check.
Thread use: the main thread.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from app import selftest

WINDOW_TIMEOUT_S = 120.0  # a first start on a slow desk PC builds font caches; generous, it only bounds a hang
POLL_MS = 10


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["bangfu"])


def _main_window(app: Any) -> Any:
    from PySide6.QtWidgets import QDialog, QMainWindow

    visible = [w for w in app.topLevelWidgets() if w.isVisible() and w.windowHandle() is not None]
    exposed = [w for w in visible if w.windowHandle().isExposed()]
    for widget in exposed:
        if isinstance(widget, QMainWindow):
            return widget
    if any(isinstance(w, QMainWindow) for w in app.topLevelWidgets()):
        return None  # the main window exists but is not shown yet (e.g. behind an unlock dialog)
    return next((w for w in exposed if not isinstance(w, QDialog)), None)


def _unlock(app: Any, password: str, done: set[int], confirmed: set[int]) -> None:
    """Type ``password`` into a visible dialog's password field and press its default button, once per dialog;
    on the step that follows in the same dialog (who is working) press its default button once, which takes
    the officer it offers first."""
    from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

    for dialog in app.topLevelWidgets():
        if not isinstance(dialog, QDialog) or not dialog.isVisible() or id(dialog) in confirmed:
            continue
        fields = [f for f in dialog.findChildren(QLineEdit) if f.echoMode() == QLineEdit.EchoMode.Password]
        if id(dialog) in done:
            if fields and fields[0].isVisible():
                continue  # still checking the password
            step = next((b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()), None)
            if step is not None and step.isEnabled():
                confirmed.add(id(dialog))
                step.click()
            continue
        if not fields or not fields[0].isVisible():
            continue
        done.add(id(dialog))
        fields[0].setText(password)
        default = next((b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()), None)
        if default is not None:
            default.click()
        else:
            fields[0].returnPressed.emit()


def run_gui_until_window(
    gui_args: Sequence[str], on_window: Callable[[Any], None], password: str | None = None
) -> tuple[bool, list[str]]:
    """Run ``ui.app.run_gui(gui_args)`` until its main window shows; call ``on_window(window)``, then quit.

    With ``password``, unlock dialogs on the way are answered with it. Returns (found, the visible top-level
    widgets when it was not found).
    """
    from PySide6.QtCore import QTimer

    from ui.app import run_gui

    app = _application()
    state: dict[str, Any] = {"found": False, "seen": [], "timed_out": False}
    deadline = time.monotonic() + WINDOW_TIMEOUT_S
    timer = QTimer()
    timer.setInterval(POLL_MS)
    unlocked: set[int] = set()
    confirmed: set[int] = set()

    def poll() -> None:
        if password:
            _unlock(app, password, unlocked, confirmed)
        window = _main_window(app)
        if window is not None:
            timer.stop()
            state["found"] = True
            try:
                on_window(window)
            finally:
                app.closeAllWindows()
                app.quit()
        elif time.monotonic() > deadline:
            timer.stop()
            state["timed_out"] = True
            state["seen"] = [f"{type(w).__name__} {w.windowTitle()!r}" for w in app.topLevelWidgets() if w.isVisible()]
            app.closeAllWindows()
            app.quit()

    timer.timeout.connect(poll)
    timer.start()
    try:
        run_gui(list(gui_args))
    except SystemExit:
        pass
    finally:
        timer.stop()
    if not state["found"] and not state["timed_out"]:
        state["seen"] = ["(the GUI closed before a main window showed)"]
    return state["found"], state["seen"]


# -- checks ---------------------------------------------------------------------------------------------------


def check_ui_imports(work: Path) -> str:
    return f"{selftest._import_package('ui')} ui modules"


def check_qt(work: Path) -> str:
    """Qt loads on the offscreen platform, with its Chinese translation and the SVG image plugin."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtGui import QImageReader

    app = _application()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        raise AssertionError(f"qtbase_zh_CN.qm not found in {folder}")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if not {"svg", "png", "ico"} <= formats:
        raise AssertionError(f"image formats: {sorted(formats)}")
    return f"Qt {_qt_version()} on {app.platformName()}, qtbase_zh_CN, svg/ico images"


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def check_main_window(work: Path) -> str:
    """The real start-up path — unlock a fresh encrypted ledger — rendered offscreen to ``main-window.png``."""
    from app.services import officers
    from app.storage.database import create_database

    ledger = work / "ledger.db"
    db = create_database(ledger, selftest.PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    officers.add(db, "自检")  # the officer the unlock dialog then offers
    db.close()
    started = time.perf_counter()
    shot: dict[str, Any] = {}

    def capture(window: Any) -> None:
        shot["seconds"] = time.perf_counter() - started
        shot["title"] = window.windowTitle()
        image = window.grab()
        shot["size"] = f"{image.width()}×{image.height()}"
        if image.isNull() or not image.save(str(work / "main-window.png")):
            raise AssertionError("the main window could not be rendered")

    found, seen = run_gui_until_window(["--db", str(ledger)], capture, password=selftest.PASSWORD)
    if not found:
        raise AssertionError(f"no main window within {WINDOW_TIMEOUT_S:.0f}s; visible: {seen}")
    if "seconds" not in shot or not (work / "main-window.png").exists():
        raise AssertionError("the main window showed but could not be rendered")
    return f"{shot['title']!r} {shot['size']} shown in {shot['seconds']:.2f}s"


WINDOW_CHECKS: list[selftest.Check] = [
    ("qt", check_qt),  # first: it creates the QApplication, which ui modules (charts on QtAgg) expect
    ("ui-imports", check_ui_imports),
    ("main-window", check_main_window),
]


# -- entry points (routed from main.py) -----------------------------------------------------------------------


def main(argv: Sequence[str] = ()) -> int:
    """``--self-test [--result FILE]``: everything offscreen, whatever screen there is."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return selftest.main(argv, WINDOW_CHECKS)


def startup_timing(argv: Sequence[str] = ()) -> int:
    """``--startup-timing [--result FILE] [GUI flags]``: seconds from process start to the main window shown."""
    args = list(argv)
    result: Path | None = None
    if "--result" in args:
        index = args.index("--result")
        result = Path(args[index + 1])
        del args[index : index + 2]
    measured: dict[str, float | None] = {}

    def record(window: Any) -> None:
        measured["process_to_window_s"] = selftest.seconds_since_process_start()

    found, seen = run_gui_until_window(args, record, password=os.environ.get("BANGFU_PASSWORD"))
    data = {"version": selftest.version_line(), "found": found, "visible": seen, **measured}
    text = json.dumps(data, ensure_ascii=False)
    if result is not None:
        selftest.write_result(text, result)
    selftest.say(text)
    return 0 if found else 1
