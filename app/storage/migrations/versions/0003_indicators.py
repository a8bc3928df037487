"""covering indexes for the indicators

Revision ID: 0003_indicators
Revises: 0002_sync
Create Date: 2026-11-29 04:05:00

The dashboard's indicators join every active household to its pairings, members, visits and incomes.
These indexes hold every column those queries read, so SQLite answers from the indexes alone instead of
reading (and, under SQLCipher, decrypting) each table row.
"""
from alembic import op


revision = "0003_indicators"
down_revision = "0002_sync"
branch_labels = None
depends_on = None

INDEXES = [
    ("household", "ix_household_active", ["status", "deleted", "village_id", "category", "id"]),
    (
        "member",
        "ix_member_household_facts",
        ["household_id", "deleted", "labour", "employment", "doctor_contract", "birth_date", "school_stage"],
    ),
    ("income_record", "ix_income_record_household", ["household_id", "year", "deleted", "per_capita_fen"]),
    (
        "pairing",
        "ix_pairing_household_active",
        ["subject_household_id", "kind", "deleted", "start_date", "end_date", "helper_cadre_id"],
    ),
    ("visit", "ix_visit_household_live", ["household_id", "deleted", "visit_date"]),
]


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
