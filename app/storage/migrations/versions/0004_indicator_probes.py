"""indexes for the school-age indicator

Revision ID: 0004_indicator_probes
Revises: 0003_indicators
Create Date: 2026-11-29 05:30:00

School-age children out of school were counted by probing the members of every active household
(200,000 probes at city level). With members by birth date, the planner scans only the school-age tenth
and checks each child's household in an index led by the household id: 561 → 101 ms on a 200,000
household ledger.

Overdue follow-ups: once ANALYZE has real statistics, SQLCipher's SQLite scanned every visit for the
"closed is null or closed after" OR (1.7 s encrypted at 200,000 households). The query now compares
coalesce(closed, 9999-12-31) and this covering index serves the range on the due date: 12 ms.
"""
from alembic import op


revision = "0004_indicator_probes"
down_revision = "0003_indicators"
branch_labels = None
depends_on = None

INDEXES = [
    ("household", "ix_household_id_active", ["id", "status", "deleted", "village_id", "category"]),
    ("member", "ix_member_birth_facts", ["birth_date", "deleted", "household_id", "school_stage"]),
    (
        "visit",
        "ix_visit_followup_due",
        ["follow_up_due", "deleted", "follow_up_closed_on", "visit_date", "household_id", "village_id"],
    ),
]


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
