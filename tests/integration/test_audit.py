"""The audit trail catches edits and removals made behind the program's back, in the chain and in the rows."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.audit import verify, verify_rows
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
