"""insert_many (the sync import's executemany path) stores exactly what the ORM stores."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import create_engine, insert, text

from app.audit_codec import encode_document
from app.domain.models import AuditEntry
from app.sync.bulk import bind_processor, insert_many


def _row(entry_id: str, at: object) -> dict[str, object]:
    return {"id": entry_id, "node": entry_id, "node_seq": 1, "actor": "a", "at": at, "action": "create",
            "entity": "household", "entity_id": "h", "hlc": "x", "before": None, "after": {"k": 1},
            "note": None, "hash": "1"}  # fmt: skip


def test_insert_many_matches_the_orm_including_raw_values() -> None:
    engine = create_engine("sqlite://")
    table = AuditEntry.__table__
    table.create(engine)  # type: ignore[attr-defined]
    whole_second = datetime(2026, 1, 1, tzinfo=UTC)  # sqlite3's own adapter would drop ".000000"
    east = datetime(2026, 1, 1, 8, 0, 0, 123, tzinfo=timezone(timedelta(hours=8)))
    with engine.begin() as conn:
        conn.execute(insert(table), [_row("orm1", whole_second), _row("orm2", east)])  # type: ignore[arg-type]
        insert_many(conn, table, [_row("bulk1", whole_second), _row("bulk2", east)])  # type: ignore[arg-type]
        stored = bind_processor(conn, table.c.at)
        insert_many(conn, table, [_row("raw1", stored(whole_second)), _row("raw2", stored(east))], raw=("at",))  # type: ignore[arg-type]
        rows = {r.id: (r.at, r.after) for r in conn.execute(text('SELECT id, at, "after" FROM audit_entry'))}
    # 2026-01-01T00:00:00Z is 1,767,225,600 s after 1970 → stored in microseconds; 08:00:00.000123+08:00 is
    # the same day at 00:00:00.000123 UTC → 123 µs more. ``after`` is the stored document of {"k": 1}.
    document = encode_document({"k": 1})
    assert rows["orm1"] == rows["bulk1"] == rows["raw1"] == (1_767_225_600 * 1_000_000, document)
    assert rows["orm2"] == rows["bulk2"] == rows["raw2"] == (1_767_225_600 * 1_000_000 + 123, document)


def test_every_synced_table_has_a_place_for_the_write_scope_check() -> None:
    """A synced table the scope check does not know would belong to whichever node created it, so a township
    could write it for a household of another township: every table but ``region`` (its own place) is named."""
    from app.domain.models import MODEL_BY_TABLE
    from app.sync.scope import PLACE_REFERENCES

    assert set(MODEL_BY_TABLE) - set(PLACE_REFERENCES) == {"region"}
