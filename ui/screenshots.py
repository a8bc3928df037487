"""``--screenshots DIR``: open every page of the demo in turn, wait until the worker is idle, save a PNG.

Also renders the forms, a village-scoped dashboard, the sync import preview (a package from a throw-away
city ledger that onboards the demo township), the lock screen and the first-run wizard, then quits. The
window has the size it gets on a 1366×768 laptop with a taskbar. Used for the README images and to look at
every screen offscreen (``QT_QPA_PLATFORM=offscreen``). The run keeps its window state in a scratch
settings file (``ui.app``), so the user's saved layout is never touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QRect, Qt, QTimer

from app.demo_sync import city_package_for
from ui.pages import PAGES
from ui.screen_fit import fit_window
from ui.tasks import TaskManager

SETTLE_MS = 250  # twice idle (500 ms) outlasts the list count's 300 ms delay
LAPTOP_SCREEN = QRect(0, 0, 1366, 768 - 40)  # 1366×768 less a Windows taskbar


class ScreenshotRunner:
    def __init__(self, folder: Path, tasks: TaskManager) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tasks = tasks
        self.window: Any = None
        self.steps: list[tuple[str, Any]] = []
        self.saved: list[Path] = []
        self._quiet = 0
        self.dialog: Any = None

    def start(self, window: Any) -> None:
        self.window = window
        fit_window(window, LAPTOP_SCREEN, window.size().expandedTo(LAPTOP_SCREEN.size()))
        self.steps = [(f"{i + 1:02d}_{p.key}", p.key) for i, p in enumerate(PAGES)]
        self.steps += [("12_household_form", "form_household"), ("13_visit_form", "form_visit")]
        self.steps += [("14_household_benefits", "benefits"), ("15_benefit_form", "form_benefit")]
        self.steps += [("19_sync_onboarding", "form_onboarding")]
        self.steps += [("16_dashboard_village", "dashboard_village"), ("17_sync_preview", "sync_preview")]
        self.steps += [("20_lock", "lock"), ("21_wizard", "wizard")]
        QTimer.singleShot(0, self._next)

    def _next(self) -> None:
        if not self.steps:
            QCoreApplication.quit()
            return
        name, what = self.steps[0]
        if what == "lock":
            self.window.lock()
        elif what.startswith("form_"):
            self._form(what.removeprefix("form_"))
        elif what == "wizard":
            self._wizard(name)
            self.steps.pop(0)
            QTimer.singleShot(0, self._next)
            return
        elif what == "dashboard_village":
            self.window.open_page("dashboard")
            from ui.region_picker import CODE_ROLE, LEVEL_ROLE

            page = self.window.page("dashboard")
            model = page.scope_picker.model
            villages = model.match(
                model.index(0, 0), LEVEL_ROLE, "village", 1, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive
            )
            if villages:
                page.set_scope(str(villages[0].data(CODE_ROLE)))
        elif what == "sync_preview":
            self.window.open_page("sync")
            page = self.window.page("sync")
            db, scratch = self.window.ctx.db, self.folder / ".sync-scratch"

            def joined(package: Path) -> None:
                page.reload()  # the page shows the node as onboarded now
                page.preview_files([str(package)])

            self.tasks.run(lambda _task: city_package_for(db, scratch), joined)
        elif what == "benefits":
            self.window.open_page("households")
            pane = self.window.page("households").pane
            pane.tabs.setCurrentIndex(len(pane.related) - 1)
        else:
            self.window.open_page(what)
        self._quiet = 0
        QTimer.singleShot(SETTLE_MS, self._wait)

    def _form(self, kind: str) -> None:
        """A dialog as the officer sees it, grabbed by itself (its own PNG, not the window)."""
        if kind == "household":
            self.window.open_page("households")
            self.dialog = self.window.page("households").new_item()
        elif kind == "benefit":
            self.dialog = self.window.page("households").add_benefit()
        elif kind == "onboarding":
            self.window.open_page("sync")
            self.dialog = self.window.page("sync").open_onboarding()
        else:
            page = self.window.page("visits")
            self.window.open_page("visits")
            page.setCurrentIndex(2)
            page.overdue.view.selectRow(0)
            self.dialog = page.visit_overdue() or page.new_item()

    def _wait(self) -> None:
        # Idle twice in a row: a page's first answer may queue a second query (counts, charts).
        self._quiet = self._quiet + 1 if not self.tasks.busy else 0
        waiting_preview = self.steps[0][1] == "sync_preview" and not self.window.page("sync").preview.isVisible()
        if self._quiet < 2 or (waiting_preview and self._quiet < 200):
            QTimer.singleShot(SETTLE_MS, self._wait)
            return
        name, what = self.steps.pop(0)
        path = self.folder / f"{name}.png"
        if what.startswith("form_") and self.dialog is not None:
            fit_window(self.dialog, LAPTOP_SCREEN)  # as the laptop's screen would have it
            self.dialog.grab().save(str(path))
            self.dialog.close()
            self.dialog = None
        else:
            self.window.grab().save(str(path))
        if what == "dashboard_village":
            self.window.page("dashboard").set_scope("")  # back to the whole ledger for what follows
        if what == "sync_preview":
            import shutil

            self.window.page("sync").discard_preview()
            shutil.rmtree(self.folder / ".sync-scratch", ignore_errors=True)
        self.saved.append(path)
        QTimer.singleShot(0, self._next)

    def _wizard(self, name: str) -> None:
        from ui.start import FirstRunWizard

        wizard = FirstRunWizard(self.tasks, self.folder / "unused.db")
        wizard.node_page.role.setCurrentIndex(0)
        wizard.node_page.select_township("331122101")
        wizard.show()
        path = self.folder / f"{name}.png"
        wizard.grab().save(str(path))
        wizard.next()
        wizard.password_page.officer.setText("李娟")
        wizard.password_page.first.setText("Huzhen-2026")
        wizard.password_page.second.setText("Huzhen-2026")
        wizard.grab().save(str(self.folder / f"{name}_password.png"))
        self.saved.append(path)
        wizard.close()
        wizard.deleteLater()
