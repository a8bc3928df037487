"""The audit trail catches edits and removals made behind the program's back, in the chain and in the rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.audit import verify, verify_rows
from app.audit_codec import encode_document
from app.domain.models import AuditEntry, Region
from app.services.uow import UnitOfWork


@pytest.fixture
def audited(db, places):
    with UnitOfWork(db, actor="officer") as uow:
        village = uow.session.get(Region, places.village_ids[0])
        uow.update(village, name="岩背村（新）", note="renamed")
        uow.tombstone(uow.session.get(Region, places.village_ids[2]))
    return db


def raw(db, sql: str, **params) -> None:
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)


def test_clean_ledger_verifies(audited) -> None:
    with audited.session() as s:
        report = verify(s)
        assert report.ok and report.entries == 7 and report.chains == 1
        assert verify_rows(s) == []
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert [e.action for e in entries] == ["create"] * 5 + ["update", "delete"]
    assert entries[5].actor == "officer"
    assert entries[5].before == {"name": "岩背村"} and entries[5].after == {"name": "岩背村（新）"}


def test_edited_audit_entry_is_named(audited) -> None:
    raw(audited, "UPDATE audit_entry SET actor = 'someone else' WHERE node_seq = 6")
    with audited.session() as s:
        report = verify(s)
    assert report.problem is not None and report.problem.node_seq == 6
    assert "篡改" in report.problem.zh


def test_removed_audit_entry_is_named(audited) -> None:
    raw(audited, "DELETE FROM audit_entry WHERE node_seq = 3")
    with audited.session() as s:
        report = verify(s)
    assert report.problem is not None and report.problem.node_seq == 3
    assert "缺失" in report.problem.zh


def test_cut_tail_is_caught(audited) -> None:
    raw(audited, "DELETE FROM audit_entry WHERE node_seq = 7")
    with audited.session() as s:
        report = verify(s)
    assert report.problem is not None and report.problem.node_seq == 7


def test_edited_data_row_is_caught(audited, places) -> None:
    raw(audited, "UPDATE region SET name = '假村' WHERE id = :id", id=places.village_ids[1])
    with audited.session() as s:
        assert verify(s).ok  # the chain itself is intact …
        problems = verify_rows(s)  # … but the row no longer matches it
    assert [(p.entity, p.entity_id, p.field) for p in problems] == [("region", places.village_ids[1], "name")]


def test_edit_of_a_changed_field_is_caught_against_its_latest_stamp(audited, places) -> None:
    raw(audited, "UPDATE region SET name = '岩背村' WHERE id = :id", id=places.village_ids[0])
    with audited.session() as s:
        problems = verify_rows(s)
    assert [(p.entity_id, p.field) for p in problems] == [(places.village_ids[0], "name")]


def test_removed_and_smuggled_rows_are_caught(audited, places) -> None:
    raw(audited, "PRAGMA foreign_keys = OFF")
    raw(audited, "DELETE FROM region WHERE id = :id", id=places.village_ids[1])
    raw(
        audited,
        "INSERT INTO region (id, origin_node, hlc, field_hlc, deleted, created_at, updated_at, code, name, level,"
        " is_key_village) VALUES ('ffffffff-0000-7000-8000-000000000000', 'x', 'x', '{}', 0, '2026-01-01',"
        " '2026-01-01', '331122101077', '幽灵村', 'village', 0)",
    )
    with audited.session() as s:
        problems = verify_rows(s)
    found = {(p.entity_id, "已被删除" in p.zh, "没有审计记录" in p.zh) for p in problems}
    assert (places.village_ids[1], True, False) in found
    assert ("ffffffff-0000-7000-8000-000000000000", False, True) in found


def test_clock_is_kept_with_the_change_and_continues_after_reopening(db, places, db_path) -> None:
    from app.domain.models import NodeInfo
    from app.storage.database import open_database
    from tests.conftest import PASSWORD

    last = db.clock.last
    with db.session() as s:
        assert s.scalars(select(NodeInfo)).one().clock == last  # written in the change's own transaction
    db.engine.dispose()
    db._lock.release()  # simulate a crash: no close(), so nothing saves the clock on the way out
    db._lock = None
    with open_database(db_path, PASSWORD) as reopened, UnitOfWork(reopened) as uow:
        assert uow.now_stamp() > last


# -- streaming and incremental verification ------------------------------------------------------------


def _more_changes(db, places, n: int) -> None:
    """``n`` renames of the first village: ``n`` more update entries in this node's chain."""
    for i in range(n):
        with UnitOfWork(db, actor="officer") as uow:
            uow.update(uow.session.get(Region, places.village_ids[0]), name=f"岩背村{i}")


def test_verify_streams_in_chunks_names_the_bad_entry_and_its_row(audited, places, monkeypatch) -> None:
    """Chunks of 2 entries: the walk crosses chunk boundaries exactly as a 380,000-entry trail does."""
    import app.audit as audit_module

    monkeypatch.setattr(audit_module, "VERIFY_CHUNK", 2)
    seen: list[tuple[int, int]] = []
    with audited.session() as s:
        report = verify(s, progress=lambda done, total: seen.append((done, total)))
    assert report.ok and report.entries == 7
    # 7 entries in chunks of 2 → progress after 2, 4, 6, 7 entries, each out of 7
    assert seen == [(2, 7), (4, 7), (6, 7), (7, 7)]

    # entry 6 is the rename of the first village (5 creates before it: county, township, 3 villages)
    # written in the stored form (a valid compressed document), as an editor knowing the format would
    raw(audited, "UPDATE audit_entry SET after = :doc WHERE node_seq = 6", doc=encode_document({"name": "别的村"}))
    with audited.session() as s:
        report = verify(s)
    assert report.problem is not None and report.problem.node_seq == 6
    assert (report.problem.entity, report.problem.entity_id) == ("region", places.village_ids[0])


def test_cancelled_verification_stops_and_raises(audited) -> None:
    from app.audit import VerifyCancelled

    with audited.session() as s, pytest.raises(VerifyCancelled):
        verify(s, cancelled=lambda: True)


def test_incremental_verify_hashes_only_the_new_entries(audited, places) -> None:
    from app.domain.models import AuditVerifiedHead
    from app.services.audit_check import verified_heads, verify_chain

    full = verify_chain(audited)
    assert full.ok and full.entries == 7 and not full.incremental
    heads = verified_heads(audited)
    assert [(h.node, h.node_seq) for h in heads.values()] == [("331122101", 7)]

    _more_changes(audited, places, 3)
    again = verify_chain(audited, incremental=True)
    # 7 entries verified before + 3 renames → only entries 8, 9, 10 are hashed
    assert again.ok and again.incremental and again.entries == 3
    assert verified_heads(audited)["331122101"].node_seq == 10

    nothing_new = verify_chain(audited, incremental=True)
    assert nothing_new.ok and nothing_new.entries == 0
    with audited.session() as s:
        assert s.scalars(select(AuditVerifiedHead.node_seq)).all() == [10]


def test_incremental_verify_catches_a_new_entry_altered(audited, places) -> None:
    from app.services.audit_check import verified_heads, verify_chain

    assert verify_chain(audited).ok
    _more_changes(audited, places, 2)
    raw(audited, "UPDATE audit_entry SET actor = 'someone else' WHERE node_seq = 9")
    report = verify_chain(audited, incremental=True)
    assert report.problem is not None and report.problem.node_seq == 9 and "篡改" in report.problem.zh
    assert verified_heads(audited)["331122101"].node_seq == 7  # a broken chain moves no head


def test_incremental_verify_catches_the_verified_head_changed_or_removed(audited) -> None:
    from app.services.audit_check import verify_chain

    assert verify_chain(audited).ok
    raw(audited, "UPDATE audit_entry SET hash = :h WHERE node_seq = 7", h=bytes.fromhex("f" * 64))
    report = verify_chain(audited, incremental=True)
    assert report.problem is not None and report.problem.node_seq == 7 and "上次校验后" in report.problem.zh

    raw(audited, "DELETE FROM audit_entry WHERE node_seq = 7")
    report = verify_chain(audited, incremental=True)
    assert report.problem is not None and report.problem.node_seq == 7 and "缺失" in report.problem.zh


def test_incremental_verify_without_a_verified_head_is_a_full_one(audited) -> None:
    from app.services.audit_check import verify_chain

    report = verify_chain(audited, incremental=True)
    assert report.ok and report.entries == 7


def test_incremental_ledger_check_reads_only_the_rows_the_new_entries_touch(audited, places) -> None:
    """An incremental check hashes the entries after the verified heads and checks the rows those entries are
    about: the first village (renamed twice since) is checked; the second, edited in the file with no entry,
    is not — only a full check reads every row, and it names that edit."""
    from app.services.audit_check import verify_ledger

    full = verify_ledger(audited)
    assert full.ok and full.rows_checked is None  # None: every row was read
    _more_changes(audited, places, 2)
    raw(audited, "UPDATE region SET note = 'edited behind the program' WHERE id = :id", id=places.village_ids[1])

    quick = verify_ledger(audited, incremental=True)
    assert quick.chain.ok and quick.chain.entries == 2
    assert quick.rows == [] and quick.rows_checked == 1  # 2 new entries, both about the first village

    again = verify_ledger(audited)
    assert [(p.entity_id, p.field) for p in again.rows] == [(places.village_ids[1], "note")]


def test_incremental_ledger_check_names_an_edited_or_removed_row_the_new_entries_touch(audited, places) -> None:
    from app.services.audit_check import verify_ledger

    assert verify_ledger(audited).ok
    _more_changes(audited, places, 1)
    raw(audited, "UPDATE region SET name = '假村' WHERE id = :id", id=places.village_ids[0])
    quick = verify_ledger(audited, incremental=True)
    assert [(p.entity_id, p.field) for p in quick.rows] == [(places.village_ids[0], "name")]

    raw(audited, "PRAGMA foreign_keys = OFF")
    raw(audited, "DELETE FROM region WHERE id = :id", id=places.village_ids[0])
    quick = verify_ledger(audited, incremental=True)
    assert [(p.entity_id, "已被删除" in p.zh) for p in quick.rows] == [(places.village_ids[0], True)]


def test_incremental_ledger_check_after_many_new_entries_reads_every_row(audited, places, monkeypatch) -> None:
    """Past ``TOUCHED_MAX`` new entries (a hub round) the rows are streamed whole instead of gathered by id,
    so memory stays bounded: the edit with no entry is named then too."""
    import app.services.audit_check as audit_check

    assert audit_check.verify_ledger(audited).ok
    monkeypatch.setattr(audit_check, "TOUCHED_MAX", 1)
    _more_changes(audited, places, 2)
    raw(audited, "UPDATE region SET note = 'edited' WHERE id = :id", id=places.village_ids[1])
    quick = audit_check.verify_ledger(audited, incremental=True)
    assert quick.chain.entries == 2 and quick.rows_checked is None
    assert [p.entity_id for p in quick.rows] == [places.village_ids[1]]


def test_incremental_ledger_check_without_a_verified_head_reads_every_row(audited, places) -> None:
    from app.services.audit_check import verify_ledger

    raw(audited, "UPDATE region SET note = 'edited' WHERE id = :id", id=places.village_ids[1])
    quick = verify_ledger(audited, incremental=True)
    assert quick.rows_checked is None and [p.entity_id for p in quick.rows] == [places.village_ids[1]]


# -- values no writer stores: named, never a traceback ------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("at", "yesterday"), ("at", 2**62), ("hash", 42), ("id", 12345), ("before", "plain text")],
)
def test_a_hand_written_value_of_another_type_is_named(audited, places, column, value) -> None:
    """Entry 4 is the create of the second village (county, township, village 1, village 2). Each of these
    values makes that entry fail the chain, named as altered: never a traceback."""
    raw(audited, f"UPDATE audit_entry SET {column} = :v WHERE node_seq = 4", v=value)
    with audited.session() as s:
        report = verify(s)
    assert report.problem is not None and "篡改" in report.problem.zh and report.problem.node_seq == 4


def test_damaged_field_stamps_of_a_row_are_named(audited, places) -> None:
    raw(audited, "UPDATE region SET field_hlc = 'not json' WHERE id = :id", id=places.village_ids[1])
    with audited.session() as s:
        problems = verify_rows(s)
    assert [(p.entity_id, p.field) for p in problems] == [(places.village_ids[1], "field_hlc")]


def test_a_row_whose_creation_document_differs_is_checked_field_by_field(audited, places) -> None:
    """The quick check (the creation document is the row's canonical JSON) fails for the renamed village: its
    name was changed after creation (a stamp for ``name``); the full check finds it intact, then finds the
    edit made behind the program's back against the rename's entry."""
    with audited.session() as s:
        assert verify_rows(s) == []
    raw(audited, "UPDATE region SET note = 'x' WHERE id = :id", id=places.village_ids[0])
    with audited.session() as s:
        assert [(p.entity_id, p.field) for p in verify_rows(s)] == [(places.village_ids[0], "note")]
