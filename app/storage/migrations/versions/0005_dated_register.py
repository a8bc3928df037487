"""dated register, unknown member facts, income as total and persons

Revision ID: 0005_dated_register
Revises: 0004_indicator_probes
Create Date: 2026-11-30 03:20:00

- member: health, labour, employment, school stage and doctor contract may be 未填 (NULL), no longer
  defaulted to "healthy, able, not employed, not a student, no contract"; joined_on / left_on / left_reason
  date the membership so a past year reads the household as it was.
- household_spell: the earlier periods on the register of a household that re-entered (重新纳入), with the
  exit and re-entry reasons.
- income_record: the household's total disposable income (total_fen) and the persons it covers replace the
  per-capita figure, so a group's per-capita income is Σ total ÷ Σ persons. Each stored per-capita figure is
  converted with the household's persons of that year (live members born by 31 December of that year);
  a household with no such member keeps 未填 (NULL) for both, never a guess.
"""

from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005_dated_register"
down_revision = "0004_indicator_probes"
branch_labels = None
depends_on = None

MEMBER_FACTS: list[tuple[str, sa.types.TypeEngine[Any]]] = [
    ("health", sa.String(12)),
    ("labour", sa.String(12)),
    ("employment", sa.String(16)),
    ("school_stage", sa.String(16)),
    ("doctor_contract", sa.Boolean()),
]


OLD_INDEXES = [
    ("household", "ix_household_active", ["status", "deleted", "village_id", "category", "id"]),
    ("household", "ix_household_id_active", ["id", "status", "deleted", "village_id", "category"]),
    (
        "member",
        "ix_member_household_facts",
        ["household_id", "deleted", "labour", "employment", "doctor_contract", "birth_date", "school_stage"],
    ),
    ("member", "ix_member_birth_facts", ["birth_date", "deleted", "household_id", "school_stage"]),
]
# The covering indexes of the indicators also hold the dates the register is read by, so "on the register /
# a member on the reference date" never reads (and decrypts) a table row.
NEW_INDEXES = [
    ("household", name, [*columns, "registered_on", "status_date"]) for _, name, columns in OLD_INDEXES[:2]
] + [("member", name, [*columns, "joined_on", "left_on"]) for _, name, columns in OLD_INDEXES[2:]]


def upgrade() -> None:
    op.create_table(
        "household_spell",
        sa.Column("household_id", sa.String(36), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=False),
        sa.Column("left_status", sa.String(12), nullable=False),
        sa.Column("left_reason", sa.Text(), nullable=True),
        sa.Column("reentered_on", sa.Date(), nullable=False),
        sa.Column("reentry_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("origin_node", sa.String(12), nullable=False),
        sa.Column("hlc", sa.String(40), nullable=False),
        sa.Column("field_hlc", sa.JSON(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_household_spell_household_id_household")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_spell")),
    )
    op.create_index(
        "ix_household_spell_household", "household_spell", ["household_id", "deleted", "registered_on", "left_on"]
    )
    for table, name, _ in OLD_INDEXES:
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("member") as batch:
        for name, kind in MEMBER_FACTS:
            batch.alter_column(name, existing_type=kind, nullable=True)
        batch.add_column(sa.Column("joined_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("left_reason", sa.String(16), nullable=True))

    with op.batch_alter_table("income_record") as batch:
        batch.add_column(sa.Column("total_fen", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("persons", sa.Integer(), nullable=True))
    _convert_per_capita(op.get_bind())
    op.drop_index("ix_income_record_household", table_name="income_record")
    with op.batch_alter_table("income_record") as batch:
        batch.drop_column("per_capita_fen")
    op.create_index(
        "ix_income_record_household",
        "income_record",
        ["household_id", "year", "deleted", "total_fen", "persons"],
        unique=False,
    )
    for table, name, columns in NEW_INDEXES:
        op.create_index(name, table, columns, unique=False)


def _convert_per_capita(conn: sa.engine.Connection) -> None:
    """total = per-capita × persons of that year: live members born on or before 31 December of the record's
    year (a member without a birth date is on the roll). No such member → both stay NULL (未填). Done in
    Python, portable to PostgreSQL, one pass over members."""
    births: dict[str, list[date | None]] = {}
    for household_id, birth in conn.execute(
        sa.text("SELECT household_id, birth_date FROM member WHERE deleted = :no"), {"no": False}
    ):
        births.setdefault(household_id, []).append(_as_date(birth))
    updates = []
    for record_id, household_id, year, per_capita in conn.execute(
        sa.text("SELECT id, household_id, year, per_capita_fen FROM income_record")
    ):
        end = date(int(year), 12, 31)
        persons = sum(1 for b in births.get(household_id, []) if b is None or b <= end)
        if persons:
            updates.append({"id": record_id, "total": int(per_capita) * persons, "persons": persons})
    if updates:
        conn.execute(sa.text("UPDATE income_record SET total_fen = :total, persons = :persons WHERE id = :id"), updates)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    op.drop_index("ix_household_spell_household", table_name="household_spell")
    op.drop_table("household_spell")
    for table, name, _ in NEW_INDEXES:
        op.drop_index(name, table_name=table)
    op.drop_index("ix_income_record_household", table_name="income_record")
    with op.batch_alter_table("income_record") as batch:
        batch.add_column(sa.Column("per_capita_fen", sa.BigInteger(), nullable=True))
    op.execute("UPDATE income_record SET per_capita_fen = COALESCE(total_fen / persons, 0)")
    with op.batch_alter_table("income_record") as batch:
        batch.alter_column("per_capita_fen", existing_type=sa.BigInteger(), nullable=False)
        batch.drop_column("persons")
        batch.drop_column("total_fen")
    op.create_index(
        "ix_income_record_household", "income_record", ["household_id", "year", "deleted", "per_capita_fen"]
    )
    with op.batch_alter_table("member") as batch:
        batch.drop_column("left_reason")
        batch.drop_column("left_on")
        batch.drop_column("joined_on")
    for table, name, columns in OLD_INDEXES:
        op.create_index(name, table, columns, unique=False)
