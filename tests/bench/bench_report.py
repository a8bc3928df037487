"""The monthly report on a demo township of ``min(ctx.households, 20,000)`` households: gathering the figures
and lists (``collect``), the PDF (ReportLab layout, vector charts), the workbook, and drawing every PDF page
for the 报表 page's preview. Goal: the whole PDF within 30 s, so the preview never feels stuck.

The red lists counted per village and per household category (``app.io.report_pivots``, pandas) against the
same pivots in plain Python (``tests.bench.baselines.pivot_in_python``), on that township and, when
``ctx.households`` is larger and the city's demo ledger ``ledger-N.db`` (``tests/bench/ledgers.py``) is in
the workdir, on the whole city's report too.

The demo ledger is kept in ``ctx.workdir`` between runs.
"""

from __future__ import annotations

from datetime import date

from app.demo import generate
from app.io.report import ListTable, ReportData, collect, red_list_tables
from app.io.report_pdf import page_images, pdf_bytes
from app.io.report_pivots import PIVOTS, pivot
from app.io.report_xlsx import write_xlsx
from app.services.scope import resolve_scope
from app.storage.database import Database, create_database, open_database
from tests.bench.baselines import pivot_in_python
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow

MAX_HOUSEHOLDS = 20_000  # a large township; a county's report has the same number of lists, capped rows
TODAY = date(2026, 11, 30)


def run(ctx: BenchContext) -> list[BenchRow]:
    households = min(ctx.households, MAX_HOUSEHOLDS)
    path = ctx.workdir / f"report-{households}.db"
    if not path.exists():
        db = create_database(path, BENCH_PASSWORD)
        db.set_node("331122101", "壶镇镇", "township")
        generate(db, households, today=TODAY)
        db.close()
    db = open_database(path, BENCH_PASSWORD)
    repeat = max(1, min(ctx.repeat, 3))
    try:
        data = collect(db, None, 2026, 11, today=TODAY)
        gather = ctx.median_ms(lambda: collect(db, None, 2026, 11, today=TODAY), repeat=repeat, warmup=0)
        whole = whole_lists(db, data)
    finally:
        db.close()
    pdf = pdf_bytes(data)
    layout = ctx.median_ms(lambda: pdf_bytes(data), repeat=repeat, warmup=0)
    workbook = ctx.median_ms(lambda: write_xlsx(data, ctx.workdir / "report.xlsx"), repeat=repeat, warmup=0)
    pages = len(page_images(pdf, 10))
    preview = ctx.median_ms(lambda: page_images(pdf, 800), repeat=repeat, warmup=0)
    label = f"{households:,} households"
    pivots = pivot_rows(ctx, data, whole, label)
    city = ctx.workdir / f"ledger-{ctx.households}.db"
    if ctx.households > MAX_HOUSEHOLDS and city.with_suffix(".done").exists():
        db = open_database(city, BENCH_PASSWORD)
        try:
            city_ms, city_data = ctx.once_ms(lambda: collect(db, None, 2026, 11, today=TODAY))
            city_whole = whole_lists(db, city_data)
        finally:
            db.close()
        city_label = f"city, {ctx.households:,} households"
        pivots.append(BenchRow("report", f"collect figures and lists ({city_label})", city_ms, note="once, cold"))
        pivots += pivot_rows(ctx, city_data, city_whole, city_label)
    return [
        BenchRow("report", f"collect figures and lists ({label})", gather, note="indicator cache warm after 1st"),
        BenchRow("report", f"lay out the PDF ({label}, {pages} pages)", layout, goal_ms=30_000, note="ReportLab"),
        BenchRow("report", f"write the workbook ({label})", workbook, note="xlsxwriter"),
        BenchRow("report", f"draw {pages} preview pages at 800 px", preview, note="PDFium"),
        *pivots,
    ]


def whole_lists(db: Database, data: ReportData) -> dict[str, ListTable]:
    """The red lists uncut, as ``collect`` hands them to the pivots."""
    with db.session() as session:
        scope = resolve_scope(session, db.node.code)
        return {ind.key: red_list_tables(session, ind, scope, 2026, data.as_of)[1] for ind in data.red}


def pivot_rows(ctx: BenchContext, data: ReportData, whole: dict[str, ListTable], label: str) -> list[BenchRow]:
    """Each pivot with pandas (the report's) against plain Python (the baseline), same rows, same run."""
    rows = []
    for by in PIVOTS:
        counted = sum(len(whole[ind.key].rows) for ind in data.red if set(by.needs) <= set(whole[ind.key].titles))
        made = pivot(by, data.red, whole)
        same = made == pivot_in_python(by, data.red, whole)
        with_pandas = ctx.median_ms(lambda by=by: pivot(by, data.red, whole))
        in_python = ctx.median_ms(lambda by=by: pivot_in_python(by, data.red, whole))
        groups = len(made.lines) if made else 0
        rows.append(
            BenchRow("report", f"{by.title} ({label}: {counted:,} rows → {groups} lines)", with_pandas,
                     baseline_ms=in_python, baseline_name="plain Python (Counter)",
                     note="pandas; same result" if same else "pandas; RESULT DIFFERS from the baseline")
        )  # fmt: skip
    return rows
