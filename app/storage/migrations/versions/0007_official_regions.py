"""official division codes (NBS 2023) for places already in the ledger

Revision ID: 0007_official_regions
Revises: 0006_sync_trust
Create Date: 2026-11-30 03:30:00

The township codes shipped before were plausible, not official (老竹畲族镇 was 331102104; the NBS 2023 list
says 331102103). Correcting a code must be audited and travel by sync like any edit, which only the unit of
work does, so this revision only raises a flag in ``setting``; ``open_database`` then runs
``app.services.official_places.align_with_official`` once and clears it. No schema change.
"""

import sqlalchemy as sa
from alembic import op


revision = "0007_official_regions"
down_revision = "0006_sync_trust"
branch_labels = None
depends_on = None

FLAG = "official_regions_pending"


def upgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM region")).scalar():
        conn.execute(
            sa.text("INSERT INTO setting (key, value) VALUES (:key, :value)"), {"key": FLAG, "value": '"2023"'}
        )


def downgrade() -> None:
    op.get_bind().execute(sa.text("DELETE FROM setting WHERE key = :key"), {"key": FLAG})
