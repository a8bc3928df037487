"""The compact audit trail (revision 0008): the same entries and hashes in fewer bytes, on a real ledger.

The hash scheme is unchanged — ``sha256(previous hash + canonical JSON of the entry)`` — so these tests
recompute hashes by hand from what is stored, migrate trails written in the old form, and check that edits
made before or after the migration are still named by ``audit verify``.
"""

from __future__ import annotations

import hashlib
import json
from itertools import pairwise
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text

import app.storage.migrate as migrate
from app.audit import GENESIS, entry_payload, verify, verify_rows
from app.audit_codec import DEFLATE_V1, canonical_json, encode_document
from app.domain.models import AuditEntry, Household, NodeInfo, Region
from app.services.uow import UnitOfWork
from app.storage.database import Database, open_database
from tests.conftest import PASSWORD


def raw(db: Database, sql: str, **params) -> list:
    with db.engine.begin() as conn:
        result = conn.execute(text(sql), params)
        return list(result) if result.returns_rows else []


def test_entries_are_stored_compactly_and_hash_as_before(db, places) -> None:
    with UnitOfWork(db, actor="officer") as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（新）")
    stored = raw(db, "SELECT id, at, entity_id, hash, after FROM audit_entry ORDER BY seq")
    assert "prev_hash" not in {c["name"] for c in inspect(db.engine).get_columns("audit_entry")}
    assert all(isinstance(r.id, bytes) and len(r.id) == 16 for r in stored)  # not 36 characters of text
    assert all(isinstance(r.hash, bytes) and len(r.hash) == 32 for r in stored)  # not 64 hex characters
    assert all(isinstance(r.at, int) for r in stored)  # microseconds, not 26 characters of text
    assert all(r.after[0] == DEFLATE_V1 for r in stored)
    # The 5 creates (county, township, 3 villages) and the rename, read back through the model as they were
    # written, and chained by hand: hash_n = sha256(hash_{n-1} + canonical JSON of entry n), hash_0 = 64 zeros.
    with db.session() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.node_seq)).all()
        assert entries[5].before == {"name": "岩背村"} and entries[5].after == {"name": "岩背村（新）"}
        assert entries[5].entity_id == places.village_ids[0]
        prev = GENESIS
        for entry in entries:
            payload = canonical_json(entry_payload(entry))
            assert entry.hash == hashlib.sha256((prev + payload).encode("utf-8")).hexdigest()
            prev = entry.hash
        assert s.scalars(select(NodeInfo.audit_head_hash)).one() == prev
        assert verify(s).ok and verify_rows(s) == []
    # a document in the stored form takes well under its JSON: 岩背村（新） is 6 characters, 18 bytes in UTF-8
    assert len(stored[5].after) < len('{"name":"岩背村（新）"}'.encode())


def test_a_damaged_stored_document_is_named_not_a_traceback(db, places) -> None:
    raw(db, "UPDATE audit_entry SET after = :junk WHERE node_seq = 4", junk=bytes((DEFLATE_V1, 0xFF, 0x00, 0x13)))
    with db.session() as s:
        report = verify(s)
    assert report.problem is not None and report.problem.node_seq == 4 and "篡改" in report.problem.zh
    assert (report.problem.entity, report.problem.entity_id) == ("region", places.village_ids[1])


def _downgrade_to_0007(db: Database) -> None:
    with db.engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_official_regions")


def _households(db: Database, village: str, count: int) -> None:
    rows = [
        {"village_id": village, "head_name": f"户主{n}", "head_id_number": f"H{n:06d}", "category": "dibao",
         "primary_cause": "illness"}
        for n in range(count)
    ]  # fmt: skip
    with UnitOfWork(db) as uow:
        uow.insert_rows(Household, rows)


def _write_as_the_old_program(db: Database, village: str) -> None:
    """One entry as revisions 0001–0007 stored it: JSON text with escaped characters, hex, ``prev_hash``."""
    with db.engine.begin() as conn:
        node, seq, prev = conn.execute(text("SELECT code, audit_head_seq, audit_head_hash FROM node_info")).one()
        entry = {
            "id": "0190a000-0000-7000-8000-000000000001", "node": node, "node_seq": seq + 1, "actor": "旧版",
            "at": "2026-01-02T03:04:05.000006+00:00", "action": "update", "entity": "region", "entity_id": village,
            "hlc": "1767323045000-00000000-331122101", "before": {"name": "岩背村"}, "after": {"name": "岩背老村"},
            "note": None,
        }  # fmt: skip
        digest = hashlib.sha256((prev + canonical_json(entry)).encode("utf-8")).hexdigest()
        conn.execute(
            text(
                "INSERT INTO audit_entry (id, node, node_seq, actor, at, action, entity, entity_id, hlc, before, "
                "after, note, prev_hash, hash) VALUES (:id, :node, :node_seq, :actor, '2026-01-02 03:04:05.000006',"
                " :action, :entity, :entity_id, :hlc, :before, :after, NULL, :prev, :hash)"
            ),
            {**entry, "before": json.dumps(entry["before"]), "after": json.dumps(entry["after"]), "prev": prev,
             "hash": digest},
        )  # fmt: skip
        conn.execute(
            text("UPDATE node_info SET audit_head_seq = :s, audit_head_hash = :h"), {"s": seq + 1, "h": digest}
        )


def test_a_trail_in_the_old_form_migrates_in_batches_and_keeps_every_entry_and_hash(db, places, db_path: Path) -> None:
    # 12,000 households in one bulk insert → 12,000 create entries: more than two batches of 5,000.
    _households(db, places.village_ids[0], 12_000)
    _downgrade_to_0007(db)
    _write_as_the_old_program(db, places.village_ids[0])  # \u5ca9-escaped JSON, as SQLAlchemy's JSON wrote it
    old = raw(db, "SELECT seq, node_seq, id, hash, prev_hash, after FROM audit_entry ORDER BY seq")
    # 5 regions + 12,000 households + 1 entry of the old program
    assert len(old) == 5 + 12_000 + 1 and old[-1].after == '{"name": "\\u5ca9\\u80cc\\u8001\\u6751"}'
    db.close()

    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.session() as s:
            kept = s.execute(
                select(AuditEntry.seq, AuditEntry.node_seq, AuditEntry.id, AuditEntry.hash)
                .where(AuditEntry.seq <= old[-1].seq)
                .order_by(AuditEntry.seq)
            ).all()
            assert [tuple(r) for r in kept] == [(r.seq, r.node_seq, r.id, r.hash) for r in old]
            renamed = s.scalars(select(AuditEntry).where(AuditEntry.node_seq == old[-1].node_seq)).one()
            assert renamed.after == {"name": "岩背老村"} and renamed.actor == "旧版"
            report = verify(s)
            assert report.ok and report.entries == s.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize(
    "edit",
    [
        'UPDATE audit_entry SET after = \'{"name": "\\u522b\\u7684\\u6751"}\' WHERE node_seq = 6',  # 别的村
        "UPDATE audit_entry SET after = 'not json at all' WHERE node_seq = 6",
        "UPDATE audit_entry SET actor = 'someone else' WHERE node_seq = 6",
    ],
)
def test_an_entry_edited_before_the_migration_is_still_caught_after_it(db, places, db_path: Path, edit) -> None:
    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（新）")
    _downgrade_to_0007(db)
    raw(db, edit)
    db.close()
    with open_database(db_path, PASSWORD) as upgraded, upgraded.session() as s:
        report = verify(s)
    # entry 6 is the rename (after 5 creates): named with the row it is about
    assert report.problem is not None and report.problem.node_seq == 6 and "篡改" in report.problem.zh
    assert (report.problem.entity, report.problem.entity_id) == ("region", places.village_ids[0])


def test_the_migration_goes_down_to_the_old_form_with_every_previous_hash(db, places) -> None:
    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（新）")
    with db.session() as s:
        hashes = [GENESIS, *s.scalars(select(AuditEntry.hash).order_by(AuditEntry.node_seq))]
    _downgrade_to_0007(db)
    old = raw(db, "SELECT prev_hash, hash, after FROM audit_entry ORDER BY node_seq")
    assert [(r.prev_hash, r.hash) for r in old] == list(pairwise(hashes))
    assert json.loads(old[5].after) == {"name": "岩背村（新）"}


def test_encode_document_keeps_any_value_readable() -> None:
    from app.audit_codec import PLAIN, decode_document, document_text

    for value in [{}, {"a": None}, {"名": "岩背村", "n": 1.5, "l": [1, "二"]}, {"k": "x" * 5000}]:
        stored = encode_document(value)
        assert stored is not None and stored[0] in (PLAIN, DEFLATE_V1)
        assert decode_document(stored) == value and document_text(stored) == canonical_json(value)
    assert encode_document(None) is None and decode_document(None) is None


def test_the_spliced_payload_is_exactly_the_canonical_payload() -> None:
    """verify and the writer hash ``payload_text`` (stored JSON spliced in); it must be canonical_json of the
    payload character for character, or every hash would change."""
    from datetime import UTC, datetime

    from app.audit import payload_text

    base = {"id": "0190a000-0000-7000-8000-000000000001", "node": "331122101", "node_seq": 7, "actor": "王芳",
            "at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "action": "update", "entity": "household",
            "entity_id": "0190a000-0000-7000-8000-000000000002", "hlc": "1767323045000-00000000-331122101",
            "note": "改名 \"引号\"\n换行"}  # fmt: skip
    documents = [
        (None, {"name": "岩背村"}),
        ({"a": [1, 2.5, None]}, {}),
        (None, None),
        ({"k": "\\u0000\t"}, {"z": 1, "a": True}),
    ]
    for before, after in documents:
        for variant in (base, {**base, "note": None, "entity_id": None, "at": base["at"].replace(microsecond=6)}):
            entry = {**variant, "before": before, "after": after}
            payload = {**entry, "at": entry["at"].isoformat()}
            texts = [None if d is None else canonical_json(d) for d in (before, after)]
            assert payload_text(entry, *texts) == canonical_json(payload)


def test_the_shipped_dictionary_never_changes() -> None:
    """Every entry stored with format 1 needs exactly these bytes to be read: a new dictionary is a new format."""
    from app.audit_dictionary import DICTIONARY_V1

    assert len(DICTIONARY_V1) == 29_857
    assert (
        hashlib.sha256(DICTIONARY_V1).hexdigest() == "c8dac3a0904a65b9fb467640d833eb6f1346ae777013287f987629ff3248d19f"
    )


def test_ids_are_stored_as_16_bytes_only_when_they_read_back_the_same() -> None:
    from uuid import UUID

    from app.audit_codec import decode_id, encode_id

    canonical = "0190a000-0000-7000-8000-00000000000a"
    assert encode_id(canonical) == UUID(canonical).bytes and decode_id(UUID(canonical).bytes) == canonical
    # upper case, spaces where hex belongs, no dashes, not hex, a code: kept as the text they are
    for other in [canonical.upper(), "0190a000-0000-7000-8000-00000000000 ", "0190a000000070008000000000000000",
                  "0190a000-0000-7000-8000-00000000000g", "331122101", None]:  # fmt: skip
        assert encode_id(other) == other and decode_id(encode_id(other)) == other


def test_the_audit_list_filters_by_date_and_finds_a_row_by_id_in_the_compact_form(db, places) -> None:
    from datetime import UTC, datetime, timedelta

    from app.services.listing import ListQuery, count, fetch_page, fetch_rows

    with db.session() as s:
        first = s.scalars(select(AuditEntry.at).order_by(AuditEntry.seq)).first()
    assert first is not None and first.tzinfo is not None
    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（新）")
    # the rename dated a day later (times are stored as integer microseconds now)
    raw(db, "UPDATE audit_entry SET at = at + :day WHERE node_seq = 6", day=86_400 * 1_000_000)
    later = first + timedelta(hours=12)
    query = ListQuery("audit")
    with db.session() as s:
        # 5 creates at setup, the rename a day after them
        assert count(s, query.with_filter("until", later)) == 5
        assert count(s, query.with_filter("since", later)) == 1
        page = fetch_page(s, query.with_filter("since", later), columns=["at", "entity_id"])
        assert page.rows[0][1] == places.village_ids[0] and page.rows[0][0] - first >= timedelta(days=1)
        found = fetch_page(s, ListQuery("audit", text=places.village_ids[0]), columns=["seq"])
        assert sorted(r[0] for r in found.rows) == [3, 6]  # its create (third: county, township, village) + rename
        assert fetch_rows(s, "audit", found.ids, columns=["entity_id"]) == {
            i: (places.village_ids[0],) for i in found.ids
        }
    assert datetime.now(UTC) - first < timedelta(hours=1)


def test_received_entries_are_stored_alike_whichever_version_spelled_their_json(db, places) -> None:
    """A package from this version carries each document as its canonical text (hashed as sent, stored form
    made at the parse); one from an older version carries JSON with escaped characters (hashed from the parsed
    values). Both give the same stored bytes, and a changed document matches neither way."""
    from app.sync import exporter, prefetch
    from app.sync.merge import _stored_documents

    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（新）")
    with db.session() as s:
        columns = exporter._columns()
        previous = exporter._PreviousHashes(s)
        sent = [exporter._travelling(r, previous) for r in s.execute(select(*columns).order_by(AuditEntry.seq))]
    payload = {"entry_columns": list(exporter.ENTRY_COLUMNS), "entries": sent}
    new = prefetch.parse_entries({**payload, "entries": [list(r) for r in sent]})[5]  # the rename
    assert new["after_json"] == '{"name":"岩背村（新）"}'  # canonical, characters as they are
    old_spelling = [[*r] for r in sent]
    for r in old_spelling:
        for i in (exporter.ENTRY_COLUMNS.index("before_json"), exporter.ENTRY_COLUMNS.index("after_json")):
            r[i] = json.dumps(json.loads(r[i])) if r[i] is not None else "null"
    old = prefetch.parse_entries({**payload, "entries": old_spelling})[5]
    assert old["after_json"] == '{"name": "\\u5ca9\\u80cc\\u6751\\uff08\\u65b0\\uff09"}'

    assert prefetch._hash_matches(new) and prefetch.STORED in new
    assert prefetch._hash_matches(old) and prefetch.STORED not in old
    assert new[prefetch.STORED] == _stored_documents(old) == (encode_document({"name": "岩背村"}),
                                                               encode_document({"name": "岩背村（新）"}))  # fmt: skip
    forged = {**new, "after_json": '{"name":"别的村"}', "after": {"name": "别的村"}}
    forged.pop(prefetch.STORED)
    assert not prefetch._hash_matches(forged) and prefetch.STORED not in forged
