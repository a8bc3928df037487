"""GUI benchmarks on a ledger of ``ctx.households`` households (offscreen Qt, the real worker):

- first paint of the household list (query on the worker → model reset → viewport painted);
- a filtered search (text + village filter), the unpaired filter, and the overdue-visit filter;
- the total count shown after the first page (it never delays the paint);
- start to an unlocked, usable main window (open + key derivation + window shown + first list painted),
  and until the dashboard's tiles are filled.

Goals: list and filter ≤ 150 ms, start to usable window ≤ 2 s (medians). The ledger is a county from
``app.demo.generate`` (realistic pairings, visits and gaps), kept in the work folder between runs.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

LIST_GOAL_MS = 150
START_GOAL_MS = 2000


def _ledger(ctx: BenchContext) -> Path:
    path = ctx.workdir / f"gui-bench-{ctx.households}.db"
    if path.exists():
        return path
    from app.storage.database import create_database

    tmp = path.with_name(path.name + ".part")
    tmp.unlink(missing_ok=True)
    db = create_database(tmp, BENCH_PASSWORD)
    try:
        from app.demo import generate
        from app.services.node import initialize_node

        initialize_node(db, "331122", "缙云县", "county")
        generate(db, households=ctx.households, seed=3)
    finally:
        db.close()
    for suffix in ("", "-wal", "-shm"):
        src = tmp.with_name(tmp.name + suffix)
        if src.exists():
            src.replace(path.with_name(path.name + suffix))
    return path


def _wait(app: Any, done: Any, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("benchmark step did not finish")
        time.sleep(0.0005)


def _timed_refresh(app: Any, panel: Any, configure: Any) -> float:
    """ms from asking for a list to its first page painted on screen."""
    configure(panel)
    _wait(app, lambda: not panel.ctx.tasks.busy)
    start = time.perf_counter()
    panel.refresh()
    _wait(app, lambda: not panel.model.loading)
    panel.view.viewport().repaint()
    elapsed = (time.perf_counter() - start) * 1000
    _wait(app, lambda: not panel.ctx.tasks.busy)  # let the count finish outside the measurement
    return elapsed


def run(ctx: BenchContext) -> list[BenchRow]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from app.services import listing
    from app.storage.database import open_database
    from ui.context import AppContext
    from ui.list_panel import ListPanel
    from ui.tasks import TaskManager

    path = _ledger(ctx)
    app = QApplication.instance() or QApplication([])
    store = QSettings(str(ctx.workdir / "bench-ui.ini"), QSettings.Format.IniFormat)
    tasks = TaskManager()
    db = open_database(path, BENCH_PASSWORD)
    try:
        actx = AppContext(db, tasks, store)
        panel = ListPanel(actx, "household", state_key="bench")
        panel.resize(1200, 800)
        panel.show()
        _wait(app, lambda: not tasks.busy)
        from ui.app import settle_gc

        settle_gc()  # as the program does once its window is up
        with db.session() as session:
            village = listing.place_choices(session, "village")[0][0]
            total = listing.count(session, listing.ListQuery("household"))

        def plain(p: Any) -> None:
            p.search.setText("")
            p.apply_filters({})

        def search(p: Any) -> None:
            p.apply_filters({})
            p.search.blockSignals(True)
            p.search.setText("w")
            p.search.blockSignals(False)
            p.filter_boxes["village"].setCurrentIndex(p.filter_boxes["village"].findData(village))

        def unpaired(p: Any) -> None:
            p.search.setText("")
            p.apply_filters({"paired": False, "status": "active"})

        def overdue(p: Any) -> None:
            p.apply_filters({"visit_overdue": True})

        def name_search(p: Any) -> None:
            p.apply_filters({})
            p.search.blockSignals(True)
            p.search.setText("王")
            p.search.blockSignals(False)

        rows = []
        for name, configure in [
            ("household list: first page painted", plain),
            ("household list: name search 王", name_search),
            ("household list: initials 'w' + village filter", search),
            ("household list: unpaired (active) filter", unpaired),
            ("household list: overdue-visit filter", overdue),
        ]:
            ms = ctx.median_ms(lambda c=configure: _timed_refresh(app, panel, c), repeat=ctx.repeat, warmup=1)
            rows.append(BenchRow("gui", name, ms, goal_ms=LIST_GOAL_MS, note=f"{total:,} households"))
        with db.session() as session:
            count_ms = ctx.median_ms(lambda: listing.count(session, listing.ListQuery("household")), repeat=5)
        rows.append(BenchRow("gui", "household count (after the paint, on the worker)", count_ms))
        panel.close()
    finally:
        tasks.run(lambda _c: db.close())
        tasks.wait_idle()
        tasks.shutdown()
    rows += _start_rows(ctx, app, path, store)
    return rows


def _start_rows(ctx: BenchContext, app: Any, path: Path, store: Any) -> list[BenchRow]:
    from app.storage.database import open_database
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.tasks import TaskManager

    usable: list[float] = []
    tiles: list[float] = []
    store.setValue("window/last_page", "households")
    for _ in range(max(3, ctx.repeat // 2)):
        tasks = TaskManager()
        start = time.perf_counter()
        opened: list[Any] = []
        tasks.run(lambda _c: open_database(path, BENCH_PASSWORD), opened.append)
        _wait(app, lambda o=opened: bool(o))
        window = MainWindow(AppContext(opened[0], tasks, store), BENCH_PASSWORD)
        window.show()
        panel = window.page("households").list
        _wait(app, lambda p=panel: bool(p.model.ids))
        panel.view.viewport().repaint()
        usable.append((time.perf_counter() - start) * 1000)
        dashboard = window.page("dashboard")
        _wait(app, lambda d=dashboard: d.data is not None, timeout=120)
        tiles.append((time.perf_counter() - start) * 1000)
        window.close()
        db = opened[0]
        tasks.run(lambda _c, d=db: d.close())
        tasks.wait_idle()
        tasks.shutdown()
        window.deleteLater()
        app.processEvents()
    usable.sort()
    tiles.sort()
    return [
        BenchRow(
            "gui", "start → unlocked window, household list painted", usable[len(usable) // 2], goal_ms=START_GOAL_MS
        ),
        BenchRow("gui", "start → dashboard tiles and charts filled", tiles[len(tiles) // 2]),
    ]
