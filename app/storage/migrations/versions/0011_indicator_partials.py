"""per-village partial sums of the household indicators, kept current by triggers

Revision ID: 0011_indicator_partials
Revises: 0009_indicator_speed
Create Date: 2026-11-30 08:45:00

Every household indicator is a sum over villages (``app.services.indicator_partials``). ``indicator_partials``
stores each village's sums for a reference date; ``village_stamps`` holds, per village, a random number that
changes with every write touching what those sums read. The triggers below set it on every write path —
services, Excel import, sync apply, restore — with no hook in Python: a stored sum whose stamp differs from
its village's is recomputed on the next read, so a figure is never stale.

A new random value (not a counter) on every change: a transaction that is rolled back takes its stamp with it,
and no later change can ever bring that value back, so sums computed inside it can never be taken for current.

``ix_household_village_facts`` (the covering household index led by village) lets the grouped sums read a
village's households — or all of them in village order — from the index alone.

Both tables are derived data: not synced, not audited; existing ledgers start with no sums (every village
computed on the first read) and a random stamp for every place. On PostgreSQL no triggers are made and the indicators compute without storing.
"""

import sqlalchemy as sa
from alembic import op


revision = "0011_indicator_partials"
down_revision = "0009_indicator_speed"
branch_labels = None
depends_on = None

TRIGGER_PREFIX = "stamp_village_"

# Which villages a row of each table touches: (column, how it leads to a village) pairs. "village": the column
# holds the village (region) id; "household": a household id, whose village it is.
_TOUCHES: dict[str, list[tuple[str, str]]] = {
    "household": [("village_id", "village")],
    "household_spell": [("household_id", "household")],
    "member": [("household_id", "household")],
    "income_record": [("household_id", "household")],
    "visit": [("household_id", "household")],
    "pairing": [("subject_household_id", "household"), ("subject_region_id", "village")],
    "village_income": [("village_id", "village")],
    "region": [("id", "village")],
}


def _bump(column: str, leads_to: str, rows: list[str]) -> str:
    """A new random stamp for the villages that ``column`` of ``rows`` (NEW, OLD or both) leads to.

    A plain UPDATE of an existing row (every place has one: seeded here, made by the region insert trigger),
    not an upsert from a SELECT; "=" for one row, not "IN": a few microseconds less per written row. A village
    without a row is never taken as current by the readers (``app.services.indicator_partials``)."""
    if leads_to == "village":
        where = " OR ".join(f"village_id = {row}.{column}" for row in rows)
    else:
        where = " OR ".join(
            f"village_id = (SELECT village_id FROM household WHERE id = {row}.{column})" for row in rows
        )
    return f"UPDATE village_stamps SET stamp = random() WHERE {where};"


def trigger_statements() -> list[str]:
    """CREATE TRIGGER statements: after every insert, update and delete on the tables the sums read, one trigger
    per column leading to a village (a pairing's household or region), fired only when that column is set."""
    statements = []
    for name, table, column, leads_to in _triggers():
        event = name.rsplit("_", 1)[1]
        # an update touches the villages before and after: a household that moves stamps both
        rows = {"insert": ["NEW"], "update": ["OLD", "NEW"], "delete": ["OLD"]}[event]
        when = " OR ".join(f"{row}.{column} IS NOT NULL" for row in rows)
        body = _bump(column, leads_to, rows)
        if table == "region" and event == "insert":
            body = (
                "INSERT INTO village_stamps (village_id, stamp) VALUES (NEW.id, random()) "
                "ON CONFLICT (village_id) DO UPDATE SET stamp = excluded.stamp;"
            )
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event.upper()} ON {table} FOR EACH ROW WHEN {when} "
            f"BEGIN {body} END"
        )
    return statements


def _triggers() -> list[tuple[str, str, str, str]]:
    return [
        (f"{TRIGGER_PREFIX}{table}_{column}_{event}", table, column, leads_to)
        for table, touches in _TOUCHES.items()
        for column, leads_to in touches
        for event in ("insert", "update", "delete")
    ]


def trigger_names() -> list[str]:
    return [name for name, *_ in _triggers()]


def upgrade() -> None:
    op.create_table(
        "village_stamps",
        sa.Column("village_id", sa.String(36), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("village_id", name=op.f("pk_village_stamps")),
        if_not_exists=True,  # a ledger rewound to an older revision by hand (tests do) may hold it already
    )
    op.create_table(
        "indicator_partials",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("ref", sa.Date(), nullable=False),
        sa.Column("settings_hash", sa.String(32), nullable=False),
        sa.Column("village_id", sa.String(36), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        *(sa.Column(f"s{i}", sa.BigInteger(), nullable=False) for i in range(6)),
        sa.PrimaryKeyConstraint("key", "ref", "settings_hash", "village_id", name=op.f("pk_indicator_partials")),
        if_not_exists=True,
    )
    op.create_index(
        "ix_household_village_facts",
        "household",
        ["village_id", "deleted", "status", "category", "id", "registered_on", "status_date"],
        unique=False,
        if_not_exists=True,
    )
    if op.get_bind().dialect.name == "sqlite":
        # Every place starts with a row (the triggers only update rows) and a random stamp, not "none yet": a
        # state from before this revision (an older backup restored and migrated) can then never share a stamp
        # with sums computed from another state.
        op.execute("INSERT OR IGNORE INTO village_stamps (village_id, stamp) SELECT id, random() FROM region")
        for statement in trigger_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in trigger_names():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_household_village_facts", table_name="household")
    op.drop_table("indicator_partials")
    op.drop_table("village_stamps")
