"""the compact audit trail: the same entries and hashes in about half the bytes

Revision ID: 0008_compact_audit
Revises: 0007_official_regions
Create Date: 2026-11-30 06:00:00

Every entry is rewritten into the stored form of ``app.audit_codec``: 16-byte ids, 32-byte hashes, the time
as an integer, before/after as canonical UTF-8 JSON deflated with a preset dictionary, and no ``prev_hash``
(it is the previous entry's hash). What an entry says and its hash are unchanged, so every chain, signed head
and package stays valid; a document edited behind the program's back is carried over as it is (even when it
is not JSON), so ``audit verify`` still finds it after the upgrade.

The rows are copied ``BATCH`` at a time (keyset on ``seq``) into the new table with its indexes already
made, and the old table is emptied ``BATCH`` rows at a time before it is dropped, so no statement and no
sort holds the whole trail in memory at any length.
"""

import json
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.audit_codec import AuditHash, AuditId, AuditTime, decode_document, document_text, encode_document, encode_document_text
from app.domain.models import UTCDateTime

revision = "0008_compact_audit"
down_revision = "0007_official_regions"
branch_labels = None
depends_on = None

BATCH = 5000
_OLD_NAME = "audit_entry_before_0008"
_COMMON = ("seq", "id", "node", "node_seq", "actor", "at", "action", "entity", "entity_id", "hlc", "note", "hash")


def _table(name: str, *, compact: bool) -> sa.Table:
    """``audit_entry`` in the compact form (``compact``), or as revisions 0001–0007 made it (JSON as its text,
    ``prev_hash`` stored). Documents are read and written as they are stored: converted by the callers."""
    ids = AuditId() if compact else sa.String(length=36)
    document = sa.LargeBinary() if compact else sa.Text()
    chain = [sa.Column("hash", AuditHash(), nullable=False)] if compact else [
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
    ]  # fmt: skip
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", ids, nullable=False),
        sa.Column("node", sa.String(length=12), nullable=False),
        sa.Column("node_seq", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", AuditTime() if compact else UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", AuditId() if compact else sa.String(length=36), nullable=True),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("before", document, nullable=True),
        sa.Column("after", document, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        *chain,
        sa.PrimaryKeyConstraint("seq", name="pk_audit_entry"),
        sa.UniqueConstraint("id", name="uq_audit_entry_id"),
        sa.UniqueConstraint("node", "node_seq", name="uq_audit_entry_node_seq"),
    )


def _compact_document(text: str | None) -> bytes | None:
    """Old JSON text (ASCII-escaped) → the stored form of its canonical JSON. Text that is not JSON (edited by
    hand) is kept byte for byte, so verification still sees the edit."""
    if text is None or text == "null":
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return encode_document_text(text)
    return encode_document(value)


def _text_document(stored: Any) -> str:
    """The stored form → JSON text as the old program's column type wrote it (``null`` for none)."""
    text = document_text(stored)
    if text is None:
        return "null"
    try:
        return json.dumps(decode_document(stored))
    except Exception:  # not JSON (edited by hand): kept as it is
        return text


def _swap_out(conn: Any) -> None:
    op.drop_index("ix_audit_entry_at", table_name="audit_entry")
    op.drop_index("ix_audit_entry_entity", table_name="audit_entry")
    op.rename_table("audit_entry", _OLD_NAME)


def _indexes() -> None:
    # Made before the copy, not after it: building an index at the end sorts the whole table, and the sorter
    # and the statement journal of one large statement live in memory here (``temp_store = MEMORY``, so no
    # personal data reaches a temporary file). Rows arrive in ``seq`` order, so both grow at a few points.
    op.create_index("ix_audit_entry_at", "audit_entry", ["at"], unique=False)
    op.create_index("ix_audit_entry_entity", "audit_entry", ["entity", "entity_id"], unique=False)


def _finish(conn: Any, old: sa.Table) -> None:
    # Emptied BATCH rows a statement before the drop, for the same reason: a single DROP of a table of
    # gigabytes journals (and, with secure_delete, overwrites) every page in one statement.
    while conn.execute(sa.delete(old).where(old.c.seq.in_(sa.select(old.c.seq).limit(BATCH)))).rowcount:
        pass
    op.drop_table(old.name)


def _rebuild(old: sa.Table, new: sa.Table, order: tuple[str, ...], convert: Callable[[Any], dict[str, Any]]) -> None:
    """Move ``audit_entry`` aside as ``old``, make ``new`` in its place and copy every row through ``convert``,
    ``BATCH`` rows at a time in ``order`` (keyset: each batch starts after the last row of the one before)."""
    conn = op.get_bind()
    _swap_out(conn)
    new.create(conn)
    _indexes()
    keys = [old.c[c] for c in order]
    columns = [old.c[c] for c in (*_COMMON, "before", "after")]
    last: list[Any] | None = None
    while True:
        page = sa.select(*columns).order_by(*keys).limit(BATCH)
        if last is not None:
            page = page.where(sa.tuple_(*keys) > sa.tuple_(*last))
        rows = conn.execute(page).all()
        if not rows:
            break
        conn.execute(new.insert(), [convert(r) for r in rows])
        last = [getattr(rows[-1], c) for c in order]
    _finish(conn, old)


def upgrade() -> None:
    def convert(r: Any) -> dict[str, Any]:
        return {**{c: getattr(r, c) for c in _COMMON}, "before": _compact_document(r.before),
                "after": _compact_document(r.after)}  # fmt: skip

    _rebuild(_table(_OLD_NAME, compact=False), _table("audit_entry", compact=True), ("seq",), convert)


def downgrade() -> None:
    previous: dict[str, str] = {}  # node → hash of its last entry copied: the next one's prev_hash

    def convert(r: Any) -> dict[str, Any]:
        row = {**{c: getattr(r, c) for c in _COMMON}, "before": _text_document(r.before),
               "after": _text_document(r.after), "prev_hash": previous.get(r.node, "0" * 64)}  # fmt: skip
        previous[r.node] = r.hash
        return row

    # chain by chain, in order, so each entry's prev_hash is the hash of the one copied just before it
    _rebuild(_table(_OLD_NAME, compact=True), _table("audit_entry", compact=False), ("node", "node_seq"), convert)
