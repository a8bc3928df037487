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


def _compact_table(name: str) -> sa.Table:
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", AuditId(), nullable=False),
        sa.Column("node", sa.String(length=12), nullable=False),
        sa.Column("node_seq", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", AuditTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", AuditId(), nullable=True),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("before", sa.LargeBinary(), nullable=True),  # bytes already encoded (encode_document)
        sa.Column("after", sa.LargeBinary(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("hash", AuditHash(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_entry"),
        sa.UniqueConstraint("id", name="uq_audit_entry_id"),
        sa.UniqueConstraint("node", "node_seq", name="uq_audit_entry_node_seq"),
    )


def _text_table(name: str) -> sa.Table:
    """The table as revisions 0001–0007 made it (JSON read and written as its text)."""
    return sa.Table(
        name,
        sa.MetaData(),
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("node", sa.String(length=12), nullable=False),
        sa.Column("node_seq", sa.BigInteger(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=True),
        sa.Column("hlc", sa.String(length=40), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
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


def upgrade() -> None:
    conn = op.get_bind()
    _swap_out(conn)
    old = _text_table(_OLD_NAME)
    new = _compact_table("audit_entry")
    new.create(conn)
    _indexes()
    last = 0
    while True:
        columns = [old.c[c] for c in (*_COMMON, "before", "after")]
        rows = conn.execute(sa.select(*columns).where(old.c.seq > last).order_by(old.c.seq).limit(BATCH)).all()
        if not rows:
            break
        conn.execute(
            new.insert(),
            [
                {
                    **{c: getattr(r, c) for c in _COMMON},
                    "before": _compact_document(r.before),
                    "after": _compact_document(r.after),
                }
                for r in rows
            ],
        )
        last = rows[-1].seq
    _finish(conn, old)


def downgrade() -> None:
    conn = op.get_bind()
    _swap_out(conn)
    old = _compact_table(_OLD_NAME)
    new = _text_table("audit_entry")
    new.create(conn)
    _indexes()
    previous: dict[str, str] = {}  # node → hash of its last entry copied: the next one's prev_hash
    node, node_seq = "", 0
    while True:
        after_last = sa.or_(old.c.node > node, sa.and_(old.c.node == node, old.c.node_seq > node_seq))
        rows = conn.execute(
            sa.select(old).where(after_last).order_by(old.c.node, old.c.node_seq).limit(BATCH)
        ).all()
        if not rows:
            break
        batch = []
        for r in rows:
            batch.append(
                {
                    **{c: getattr(r, c) for c in _COMMON},
                    "before": _text_document(r.before),
                    "after": _text_document(r.after),
                    "prev_hash": previous.get(r.node, "0" * 64),
                }
            )
            previous[r.node] = r.hash
        conn.execute(new.insert(), batch)
        node, node_seq = rows[-1].node, rows[-1].node_seq
    _finish(conn, old)
