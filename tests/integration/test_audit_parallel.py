"""``audit verify`` with a helper process hashing part of the chain (``app.audit_helper``): every tamper is
named exactly as the walk in one process names it, also at the boundary between runs hashed by different
processes, and cancelling stops the helper.

The trail here: 5 creates (county, township, 3 villages) + 7 renames of the first village = 12 entries, read
in runs of ``VERIFY_CHUNK = 2`` entries: [1 2] [3 4] [5 6] [7 8] [9 10] [11 12]. Entry 3 starts a run: its hash
covers the stored hash of entry 2, which another process may have checked. Sharing the runs, the helper gets
the first ``AHEAD = 2`` runs (queued while it starts) and this process hashes the next ones, so entry 5 is the
first entry this process checks after the helper's runs; with ``hash_here=False`` the helper hashes them all.
"""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import text

import app.audit as audit_module
from app.audit import VerifyCancelled, first_altered, verify, verify_rows
from app.audit_helper import ChainHasher, RowsHelper
from app.domain.models import Region
from app.services.audit_check import verify_ledger
from app.services.uow import UnitOfWork
from tests.conftest import PASSWORD

ENTRIES = 12


@pytest.fixture
def trail(db, places, monkeypatch):
    for i in range(ENTRIES - 5):
        with UnitOfWork(db, actor="officer") as uow:
            uow.update(uow.session.get(Region, places.village_ids[0]), name=f"岩背村{i}")
    monkeypatch.setattr(audit_module, "VERIFY_CHUNK", 2)
    return db


def raw(db, sql: str, **params) -> list:
    with db.engine.begin() as conn:
        result = conn.execute(text(sql), params)
        return list(result) if result.returns_rows else []


def _verdicts(db) -> list[tuple]:
    """What each way of walking reports: one process; helper and this process sharing the runs; the helper
    hashing every run (this process only reads)."""
    found = []
    for helper, hash_here in ((False, True), (True, True), (True, False)):
        with db.session() as s:
            report = verify(s, helper=helper, hash_here=hash_here)
        p = report.problem
        found.append((report.entries, None if p is None else (p.node_seq, p.seq, p.zh, p.entity, p.entity_id)))
    return found


def test_an_intact_trail_verifies_alike_and_progress_reaches_the_end(trail) -> None:
    seen: list[tuple[int, int]] = []
    with trail.session() as s:
        report = verify(s, helper=True, progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.entries == ENTRIES and report.heads[0].node_seq == ENTRIES
    # one call per run of 2, in chain order, whichever process hashed it: 2, 4, … 12 of 12
    assert seen == [(n, ENTRIES) for n in range(2, ENTRIES + 1, 2)]
    assert _verdicts(trail) == [(ENTRIES, None)] * 3


@pytest.mark.parametrize("node_seq", [3, 5, 6])
def test_a_changed_entry_is_named_alike_at_and_beside_a_run_boundary(trail, node_seq) -> None:
    raw(trail, "UPDATE audit_entry SET actor = 'someone else' WHERE node_seq = :n", n=node_seq)
    verdicts = _verdicts(trail)
    assert verdicts[0] == verdicts[1] == verdicts[2]
    entries, (named, seq, zh, entity, _entity_id) = verdicts[0]
    # entries counted up to and including the bad one; seq = node_seq on a ledger with one chain
    assert (entries, named, seq, entity) == (node_seq, node_seq, node_seq, "region") and "篡改" in zh


@pytest.mark.parametrize("node_seq", [3, 4, 5])
def test_a_deleted_entry_is_named_alike(trail, node_seq) -> None:
    raw(trail, "DELETE FROM audit_entry WHERE node_seq = :n", n=node_seq)
    verdicts = _verdicts(trail)
    assert verdicts[0] == verdicts[1] == verdicts[2]
    _entries, (named, seq, zh, _entity, _entity_id) = verdicts[0]
    assert (named, seq) == (node_seq, None) and "缺失" in zh


def test_two_entries_swapped_across_a_run_boundary_are_named_alike(trail) -> None:
    """Entries 4 and 5 (the last of one run, the first of the next) change places: position 4 now holds the
    content of entry 5, whose hash covers entry 4's hash, not entry 3's."""
    raw(trail, "UPDATE audit_entry SET node_seq = -node_seq WHERE node_seq IN (4, 5)")
    raw(trail, "UPDATE audit_entry SET node_seq = 9 - (-node_seq) WHERE node_seq IN (-4, -5)")
    verdicts = _verdicts(trail)
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert verdicts[0][1][:2] == (4, 5)  # position 4, stored as seq 5


def test_a_tamper_in_a_later_run_does_not_hide_an_earlier_one(trail) -> None:
    """Entry 9 removed and entry 3 changed: the walk names entry 3 (the lowest), though the gap at 9 is seen
    while reading, before the helper's answer about entry 3 is taken."""
    raw(trail, "DELETE FROM audit_entry WHERE node_seq = 9")
    raw(trail, "UPDATE audit_entry SET note = 'x' WHERE node_seq = 3")
    verdicts = _verdicts(trail)
    assert verdicts[0] == verdicts[1] == verdicts[2]
    assert verdicts[0][1][:2] == (3, 3) and "篡改" in verdicts[0][1][2]


@pytest.mark.parametrize("password", [None, PASSWORD], ids=["rows-in-a-thread", "rows-in-a-helper-process"])
def test_a_changed_data_row_is_named_by_the_check_beside_the_chain(trail, places, password) -> None:
    """Both ways of checking the rows beside the chain: in a thread here (no password at hand) and in a
    helper process with its own query-only connection (the CLI)."""
    assert verify_ledger(trail, helper=True, password=password).ok
    raw(trail, "UPDATE region SET name = '假村' WHERE id = :id", id=places.village_ids[1])
    check = verify_ledger(trail, helper=True, password=password)
    assert check.chain.ok and check.chain.entries == ENTRIES
    assert [(p.entity, p.entity_id, p.field) for p in check.rows] == [("region", places.village_ids[1], "name")]
    with trail.session() as s:
        assert check.rows == verify_rows(s)  # what one process finds, problem for problem

    raw(trail, "UPDATE audit_entry SET actor = 'someone else' WHERE node_seq = 7")
    broken = verify_ledger(trail, helper=True, password=password)  # the rows' verdict does not count then
    assert broken.chain.problem is not None and broken.chain.problem.node_seq == 7 and broken.rows == []
    assert multiprocessing.active_children() == []


def test_the_row_helper_only_reads(trail, db_path) -> None:
    """Its connection is query-only: a write through it is refused, the ledger unchanged."""
    from sqlalchemy.exc import OperationalError

    from app.storage.database import open_reader

    engine = open_reader(db_path, PASSWORD)
    try:
        with engine.connect() as conn, pytest.raises(OperationalError, match="readonly"):
            conn.execute(text("UPDATE region SET name = 'x'"))
    finally:
        engine.dispose()
    assert "x" not in {r.name for r in raw(trail, "SELECT name FROM region")}


def test_a_row_helper_that_cannot_open_the_ledger_leaves_the_check_to_this_process(trail, db_path) -> None:
    assert RowsHelper(str(db_path), "not the password", 20).result() is None
    assert verify_ledger(trail, helper=True, password="not the password").ok  # checked here instead


def test_cancelling_stops_the_walk_and_its_helper(trail) -> None:
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two runs have been handed out

    with trail.session() as s, pytest.raises(VerifyCancelled):
        verify(s, helper=True, cancelled=cancelled)
    assert multiprocessing.active_children() == []


def test_the_helper_gives_the_answer_of_this_process_for_runs_of_stored_entries(trail) -> None:
    """``first_altered`` on runs as the walk reads them, in the helper and here: the same index."""
    with trail.session() as s:
        rows = [tuple(r) for r in s.execute(audit_module.select(*audit_module._ENTRY_COLUMNS).order_by(text("seq")))]
    altered = [rows[0], rows[1], (*rows[2][:4], "someone else", *rows[2][5:]), rows[3]]
    prev = audit_module.GENESIS
    with ChainHasher(first_altered, helper=True, local=False) as hasher:
        assert hasher.has_helper
        pending = [
            hasher.submit(prev, rows[:4]),
            hasher.submit(prev, altered),
            hasher.submit(rows[1][-1].hex(), rows[2:]),
        ]
        assert [p.result() for p in pending] == [None, 2, None]
    assert first_altered(prev, altered) == 2 and first_altered(prev, rows) is None
