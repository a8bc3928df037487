"""sync trust: wider clock counters, signed chain heads and acknowledgements

Revision ID: 0006_sync_trust
Revises: 0010_verify_state
Create Date: 2026-11-30 03:30:00

The hybrid logical clock wrote its counter with 4 hex digits; after 65,536 stamps in one millisecond (one
large import) "…-10000-" sorted before "…-ffff-" and merges picked the wrong winner. Stamps are now
"{wall_ms:013d}-{counter:08x}-{node}". This rewrites the stamps stored on rows (``hlc``, every value of
``field_hlc``), the node's clock and the sync queues. Audit entries keep the text their hash covers; code
reads them through ``app.hlc.normalize``.

Anchors: ``sync_anchor`` keeps signed chain heads and the acknowledgements peers returned;
``sync_receipt.ack`` carries the acknowledgement a receipt answers with.
"""

import json

import sqlalchemy as sa
from alembic import op


revision = "0006_sync_trust"
down_revision = "0010_verify_state"
branch_labels = None
depends_on = None

# 1-based SQL positions: 13 digits of wall time, "-", 4 hex digits, "-" at position 19 in an old stamp.
OLD = "substr({c}, 19, 1) = '-'"
WIDEN = "substr({c}, 1, 14) || '0000' || substr({c}, 15)"


def _widen(stamp: str) -> str:
    if isinstance(stamp, str) and len(stamp) > 18 and stamp[18] == "-":
        return stamp[:14] + "0000" + stamp[14:]
    return stamp


def _widen_column(table: str, column: str) -> None:
    op.execute(f'UPDATE "{table}" SET "{column}" = {WIDEN.format(c=column)} WHERE {OLD.format(c=column)}')


def upgrade() -> None:
    op.create_table(
        "sync_anchor",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("node", sa.String(length=12), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signer", sa.String(length=12), nullable=False),
        sa.Column("key_no", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_anchor_node", "sync_anchor", ["node", "seq"], unique=False)
    with op.batch_alter_table("sync_receipt") as batch:
        batch.add_column(sa.Column("ack", sa.JSON(), nullable=True))
    _widen_stamps()


def _widen_stamps() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    for table in inspector.get_table_names():
        columns = {c["name"] for c in inspector.get_columns(table)}
        if "field_hlc" not in columns or "hlc" not in columns:
            continue
        _widen_column(table, "hlc")
        rows = conn.execute(sa.text(f'SELECT id, field_hlc FROM "{table}" WHERE field_hlc IS NOT NULL')).all()
        changed = []
        for row_id, raw in rows:
            stamps = json.loads(raw) if isinstance(raw, str) else raw
            if not stamps:
                continue
            wide = {k: _widen(v) for k, v in stamps.items()}
            if wide != stamps:
                changed.append({"i": row_id, "f": json.dumps(wide, ensure_ascii=False, separators=(",", ":"))})
        if changed:
            # PostgreSQL wants the text cast to JSON; SQLite stores JSON as text (its CAST would make it a number).
            value = "CAST(:f AS JSON)" if conn.dialect.name == "postgresql" else ":f"
            conn.execute(sa.text(f'UPDATE "{table}" SET field_hlc = {value} WHERE id = :i'), changed)
    for table, column in [
        ("node_info", "clock"),
        ("sync_conflict", "winner_hlc"),
        ("sync_conflict", "loser_hlc"),
        ("sync_quarantine", "hlc"),
    ]:
        _widen_column(table, column)


def downgrade() -> None:
    """Stamps stay wide: the old code cannot order counters beyond 4 digits anyway."""
    with op.batch_alter_table("sync_receipt") as batch:
        batch.drop_column("ack")
    op.drop_index("ix_sync_anchor_node", table_name="sync_anchor")
    op.drop_table("sync_anchor")
