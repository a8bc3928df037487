"""where each audit chain was last verified

Revision ID: 0010_verify_state
Revises: 0005_dated_register
Create Date: 2026-11-30 03:10:00

``audit verify --incremental`` starts from the last head that a verification found intact instead of
re-hashing the whole trail (380,000 entries at 20,000 households). Local state only: one row per chain,
never synced. Existing ledgers get an empty table, so their first incremental verify is a full one.
"""
from alembic import op
import sqlalchemy as sa

from app.domain.models import UTCDateTime


revision = "0010_verify_state"
down_revision = "0005_dated_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_verified_head",
        sa.Column("node", sa.String(12), nullable=False),
        sa.Column("node_seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("verified_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("node", name=op.f("pk_audit_verified_head")),
    )


def downgrade() -> None:
    op.drop_table("audit_verified_head")
