"""A large import is planned and written a slice at a time, in one transaction: a bad row near the end, a
cancel or a new village all behave as if the file were applied whole.

The slice size and the progress interval are lowered so a few hundred rows cross many slices (the same code
runs at 100,000 rows in tests/bench/bench_excel.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app import audit
from app.domain.models import AuditEntry, Cadre, Department, Household, Member, NodeInfo, Pairing, Region
from app.io import importer
from app.io.errors import Cancelled
from app.io.importer import ExcelImport
from app.io.xlsx import WorkbookWriter
from app.storage.database import Database
from tests.bench.bench_excel import COLUMNS, HOUSEHOLDS_PER_CADRE, new_ledger, roster_rows

ROWS = 400
SLICE = 50  # planned rows written at once; a roster line plans 2–5 (household, head member, pairing, …)


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(importer, "APPLY_SLICE", SLICE)
    monkeypatch.setattr(importer, "_PROGRESS_EVERY", 50)
    db = new_ledger(tmp_path / "ledger.db")  # 18 townships of 15 villages, named as roster_rows writes them
    yield db
    db.close()


def write(path: Path, rows: list[list[object]]) -> Path:
    with WorkbookWriter(path) as writer:
        writer.table_sheet("花名册", "缙云县低收入农户结对帮扶花名册", COLUMNS, rows)
    return path


def state(db: Database) -> dict[str, Any]:
    """Row counts of every table an import writes, and the head of the audit chain."""
    with db.session() as s:
        counts = {
            m.__name__: s.scalar(select(func.count()).select_from(m))
            for m in (Region, Household, Member, Department, Cadre, Pairing, AuditEntry)
        }
        info = s.scalars(select(NodeInfo)).one()
        return counts | {"head": (info.audit_head_seq, info.audit_head_hash)}


def test_a_bad_row_after_many_written_slices_refuses_the_file_with_the_ledger_unchanged(ledger, tmp_path):
    rows = roster_rows(ROWS)
    rows[389][4] = rows[389][4][:17] + ("0" if rows[389][4][17] != "0" else "1")  # row 390: a wrong check digit
    path = write(tmp_path / "roster.xlsx", rows)
    before = state(ledger)

    report = ExcelImport(path, "roster").run(ledger)

    assert not report.applied and not report.dry_run
    assert [i.column for i in report.issues] == ["身份证号码"] and "校验位" in report.issues[0].zh
    # The sheet's row: title, subtitle, two header rows above the data, so data row 390 is Excel row 394.
    assert report.rejected_rows == [390 + 4]
    assert report.counts["household"]["create"] == ROWS - 1  # the other rows were planned (and 389 written)…
    assert state(ledger) == before  # … and rolled back: not a row, not an audit entry


def test_a_file_across_many_slices_is_applied_whole_and_the_trail_verifies(ledger, tmp_path):
    path = write(tmp_path / "roster.xlsx", roster_rows(ROWS))
    before = state(ledger)

    report = ExcelImport(path, "roster").run(ledger)

    assert report.ok and report.applied
    after = state(ledger)
    cadres = ROWS // HOUSEHOLDS_PER_CADRE  # 400 / 8 = 50 cadres, each in its own unit (缙云县第0局 … 第49局)
    assert after["Household"] - before["Household"] == ROWS
    assert after["Member"] - before["Member"] == ROWS  # each head as a member
    assert after["Pairing"] - before["Pairing"] == ROWS
    assert after["Cadre"] - before["Cadre"] == cadres
    assert after["Department"] - before["Department"] == cadres
    # One entry per row written (400 + 400 + 400 + 50 + 50) and the import event: 1,301.
    assert after["AuditEntry"] - before["AuditEntry"] == 3 * ROWS + 2 * cadres + 1
    with ledger.session() as s:
        assert audit.verify(s).ok
        orphans = s.scalar(
            select(func.count()).select_from(Pairing).where(Pairing.helper_cadre_id.not_in(select(Cadre.id)))
        )
        assert orphans == 0

    again = ExcelImport(path, "roster").run(ledger)  # the same file again: every row unchanged, nothing written
    assert again.applied and again.counts["household"] == {"create": 0, "update": 0, "unchanged": ROWS}
    assert state(ledger) == after


def test_a_cancel_after_slices_were_written_leaves_the_ledger_unchanged(ledger, tmp_path):
    path = write(tmp_path / "roster.xlsx", roster_rows(ROWS))
    before = state(ledger)
    ticks: list[int] = []

    with pytest.raises(Cancelled):
        ExcelImport(path, "roster").run(ledger, progress=lambda done, total: ticks.append(done),
                                        cancelled=lambda: len(ticks) >= 6)  # fmt: skip

    assert ticks[-1] == 250  # rows 0–249 planned, several slices of them written, before the cancel
    assert state(ledger) == before


def test_new_villages_are_written_before_the_households_of_later_slices(ledger, tmp_path):
    rows = roster_rows(ROWS)
    for row in rows[300:]:  # the last quarter names a village the ledger lacks, one per township
        row[2] = f"新建村{row[1]}"
    path = write(tmp_path / "roster.xlsx", rows)

    report = ExcelImport(path, "roster").run(ledger, create_places=True)

    assert report.ok and report.applied
    with ledger.session() as s:
        new = s.scalars(select(Region).where(Region.name.like("新建村%"))).all()
        assert len(new) == 18  # rows 300–399 cover all 18 townships (row i is in 镇{i % 18})
        on_new = s.scalar(
            select(func.count()).select_from(Household).where(Household.village_id.in_([r.id for r in new]))
        )
        assert on_new == 100
