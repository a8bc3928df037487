"""Schema migrations run at open, after an automatic backup; the models and revision scripts agree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

import app.storage.migrate as migrate
from app.domain.models import Base
from app.paths import backups_dir
from app.storage.database import open_database
from tests.conftest import PASSWORD

EXTRA_REVISION = '''
"""test-only revision adding a column"""
from alembic import op
import sqlalchemy as sa

revision = "zz_test"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("test_only_column", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("household") as batch:
        batch.drop_column("test_only_column")
'''


def test_models_match_migrations(db) -> None:
    """A model change without a revision script would fail here (and on every user's database)."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_open_backs_up_then_migrates_an_older_database(
    db, places, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db.close()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    head = migrate.head_revision()
    (scripts / "versions" / "zz_test.py").write_text(EXTRA_REVISION.format(head=head), encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    assert list(backups_dir().iterdir()) == []

    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == "zz_test"
        columns = {c["name"] for c in inspect(upgraded.engine).get_columns("household")}
        assert "test_only_column" in columns

    backups = list(backups_dir().glob("ledger-before-migration-*.db"))
    assert len(backups) == 1
    monkeypatch.setattr(migrate, "MIGRATIONS", migrate.Path(migrate.__file__).resolve().parent / "migrations")
    with open_database(backups[0], PASSWORD, migrate=False) as old:
        assert migrate.current_revision(old.engine) == head
        with old.session() as s:
            assert s.execute(Base.metadata.tables["region"].select()).all()


def test_a_ledger_from_before_the_verified_heads_migrates_and_keeps_its_trail(db, places, db_path: Path) -> None:
    """0010_verify_state on a ledger made by the schema before it: rows and audit trail kept, table added."""
    from alembic import command
    from sqlalchemy import func, select

    from app.domain.models import AuditEntry, Region
    from app.services.audit_check import verify_chain
    from app.services.uow import UnitOfWork

    before = migrate.scripts().get_revision("0010_verify_state").down_revision
    # Written before the downgrade: this program writes the compact trail (0008), which the old schema lacks;
    # the rename then goes down to the old form and back up with the rest of the trail.
    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背村（旧版改名）")
    with db.session() as s:
        trail = list(s.execute(select(AuditEntry.node_seq, AuditEntry.hash).order_by(AuditEntry.node_seq)))
    assert len(trail) == 6  # 5 creates (county, township, 3 villages) + 1 rename
    db.close()
    with open_database(db_path, PASSWORD, migrate=False) as old, old.engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    with open_database(db_path, PASSWORD, migrate=False) as old:
        assert "audit_verified_head" not in inspect(old.engine).get_table_names()
        assert "prev_hash" in {c["name"] for c in inspect(old.engine).get_columns("audit_entry")}

    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.session() as s:
            assert s.get(Region, places.village_ids[0]).name.startswith("岩背村")
            # the old trail is kept as it was; opening may add the official-code corrections (0007) after it
            kept = list(s.execute(select(AuditEntry.node_seq, AuditEntry.hash).order_by(AuditEntry.node_seq)))
            total = s.scalar(select(func.count()).select_from(AuditEntry))
        assert kept[:6] == trail
        first = verify_chain(upgraded, incremental=True)  # no verified head yet: a full walk
        assert first.ok and first.entries == total
        assert verify_chain(upgraded, incremental=True).entries == 0
    assert len(list(backups_dir().glob("ledger-before-migration-*.db"))) == 1


def test_per_capita_income_of_an_older_ledger_becomes_total_and_persons(db, places, db_path: Path) -> None:
    """0005: a ledger made by the 0004 schema keeps its incomes; each per-capita figure × that year's persons
    (members born by 31 December of the year) becomes the total; a household with no member stays 未填."""
    from datetime import date

    from alembic import command
    from sqlalchemy import text

    from app.domain.models import Household, IncomeRecord, Member
    from app.services.uow import UnitOfWork

    with UnitOfWork(db) as uow:
        family = uow.add(Household(village_id=places.village_ids[0], head_name="王芳", head_id_number="X1",
                                   category="other", primary_cause="illness"))  # fmt: skip
        empty = uow.add(Household(village_id=places.village_ids[0], head_name="李强", head_id_number="X2",
                                  category="other", primary_cause="illness"))  # fmt: skip
        uow.session.flush()
        uow.add(Member(household_id=family.id, name="王芳", relation="head", birth_date=date(1970, 1, 1)))
        uow.add(Member(household_id=family.id, name="王小", relation="child", birth_date=date(2024, 3, 1)))
    cfg = migrate.alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004_indicator_probes")
        for n, (household, year, fen) in enumerate(
            [(family.id, 2023, 1_000_000), (family.id, 2025, 1_200_000), (empty.id, 2025, 900_000)]
        ):
            conn.execute(
                text(
                    "INSERT INTO income_record (id, origin_node, hlc, field_hlc, deleted, created_at, updated_at,"
                    " household_id, year, per_capita_fen) VALUES (:id, 'n', 'h', '{}', 0, '2026-01-01 00:00:00',"
                    " '2026-01-01 00:00:00', :household, :year, :fen)"
                ),
                {"id": f"income-{n}", "household": household, "year": year, "fen": fen},
            )
    db.close()

    with open_database(db_path, PASSWORD) as upgraded, upgraded.session() as s:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        got = {
            (r.household_id, r.year): (r.total_fen, r.persons)
            for r in s.query(IncomeRecord.household_id, IncomeRecord.year, IncomeRecord.total_fen, IncomeRecord.persons)
        }
    # 2023: only the head was born by 2023-12-31 → 1 × 10,000 = 10,000 元; 2025: 2 × 12,000 = 24,000 元;
    # the household without members: persons unknown, so the total is unknown too (never 9,000 × a guess).
    assert got == {
        (family.id, 2023): (1_000_000, 1),
        (family.id, 2025): (2_400_000, 2),
        (empty.id, 2025): (None, None),
    }


def test_0006_widens_the_clock_counter_of_stored_stamps(db, places, db_path: Path) -> None:
    """A ledger written with 4-hex-digit counters (revision 0004) opens with 8 digits everywhere but in the
    audit trail, whose text its hashes cover; the chain and the rows still verify."""
    from alembic import command
    from sqlalchemy import select, text

    from app.audit import GENESIS, entry_hash, entry_payload, verify, verify_rows
    from app.domain.models import AuditEntry, NodeInfo, Region
    from app.services.uow import UnitOfWork

    with UnitOfWork(db) as uow:
        uow.update(uow.session.get(Region, places.village_ids[0]), name="岩背新村")

    def old(stamp: str) -> str:  # "1764470000000-00000003-331122101" → "1764470000000-0003-331122101"
        return stamp[:14] + stamp[18:]

    with db.session() as s, s.begin():  # rewrite the ledger as the old version wrote it
        for region in s.scalars(select(Region)):
            region.hlc = old(region.hlc)
            region.field_hlc = {k: old(v) for k, v in (region.field_hlc or {}).items()}
        prev = GENESIS
        for entry in s.scalars(select(AuditEntry).order_by(AuditEntry.node_seq)):
            entry.hlc = old(entry.hlc)
            entry.hash = prev = entry_hash(prev, entry_payload(entry))
        info = s.scalars(select(NodeInfo)).one()
        info.clock, info.audit_head_hash = old(info.clock), prev
        written = info.audit_head_seq
    with db.engine.begin() as conn:  # the trail as the old program stored it (before 0008)
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007_official_regions")
    with db.session() as s, s.begin():
        s.execute(text("DROP TABLE sync_anchor"))  # the schema before 0006
        s.execute(text("ALTER TABLE sync_receipt DROP COLUMN ack"))
        before = migrate.scripts().get_revision("0006_sync_trust").down_revision
        s.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": before})
    db.close()
    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.session() as s:
            regions = list(s.scalars(select(Region)))
            stamps = [r.hlc for r in regions] + [v for r in regions for v in (r.field_hlc or {}).values()]
            # the entries written before the upgrade (opening may add official-code corrections after them)
            audit = list(
                s.scalars(select(AuditEntry.hlc).where(AuditEntry.node_seq <= written).order_by(AuditEntry.node_seq))
            )
            clock = s.scalars(select(NodeInfo.clock)).one()
            assert verify(s).ok and verify_rows(s) == []
        # 13 wall digits + "-" + 8 counter digits: the 23rd character is the second dash (the 19th before).
        assert len(stamps) > len(regions) and all(x[22] == "-" for x in [*stamps, clock])
        assert audit and all(x[18] == "-" for x in audit)  # the trail keeps the text its hashes cover


def test_0009_adds_the_doctor_index_to_an_older_ledger_and_keeps_its_figures(db, places, db_path: Path) -> None:
    """A ledger of revision 0008 (before the partial index) opens at the head with the index, its members and
    the family-doctor figure unchanged."""
    from datetime import date

    from sqlalchemy import func, select, text

    from app.domain.models import Household, Member
    from app.services.indicators import compute
    from app.services.uow import UnitOfWork

    with UnitOfWork(db) as uow:
        household = uow.add(Household(village_id=places.village_ids[0], head_name="王芳", head_id_number="X1",
                                      category="other", primary_cause="illness"))  # fmt: skip
        uow.session.flush()
        for name, contract in [("王芳", True), ("李强", None), ("王小", False)]:
            uow.add(Member(household_id=household.id, name=name, relation="head", birth_date=date(1970, 1, 1),
                           doctor_contract=contract))  # fmt: skip
    with db.session() as s:
        before = compute(s, "doctor_contract", cache=False)
    with db.session() as s, s.begin():  # the schema of 0008 (the revision before 0009)
        s.execute(text("DROP INDEX ix_member_doctor_unknown"))
        s.execute(text("UPDATE alembic_version SET version_num = '0008_compact_audit'"))
    db.close()
    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        assert "ix_member_doctor_unknown" in {i["name"] for i in inspect(upgraded.engine).get_indexes("member")}
        with upgraded.session() as s:
            assert s.scalar(select(func.count()).select_from(Member)) == 3
            after = compute(s, "doctor_contract", cache=False)
    # 3 members: 王芳 signed, 王小 not, 李强 未填 → 1 of 2 known = 50.0 %, 数据不全 1 户.
    assert (after.value, after.numerator, after.denominator, after.missing) == (50.0, 1, 2, 1)
    assert after == before


def test_0012_reads_open_follow_ups_from_their_own_index_and_keeps_the_figure(db, places, db_path: Path) -> None:
    """A ledger of revision 0011 (every follow-up in one index on closing and due date) opens at the head with
    the partial index of the follow-ups never closed instead, and the same overdue count, today and for a past
    year whose follow-up was closed only later."""
    from datetime import date

    from sqlalchemy import text

    from app.domain.models import Cadre, Department, Household, Visit
    from app.services.indicators import compute
    from app.services.uow import UnitOfWork

    today = date(2026, 6, 30)
    with UnitOfWork(db) as uow:
        department = uow.add(Department(name="县农业农村局", level="county", kind="party_gov",
                                        region_id=places.village_ids[0]))  # fmt: skip
        uow.session.flush()
        cadre = uow.add(Cadre(department_id=department.id, name="李明"))
        household = uow.add(Household(village_id=places.village_ids[0], head_name="王芳", head_id_number="X1",
                                      category="other", primary_cause="illness"))  # fmt: skip
        uow.session.flush()
        for day, due, closed in [
            (date(2026, 6, 1), date(2026, 6, 20), None),  # open, overdue on 06-30
            (date(2026, 6, 10), date(2026, 6, 30), None),  # due today: not yet overdue
            (date(2025, 12, 1), date(2025, 12, 20), date(2026, 1, 5)),  # overdue on 2025-12-31, closed later
            (date(2026, 5, 1), date(2026, 5, 10), date(2026, 5, 9)),  # closed in time
        ]:
            uow.add(Visit(cadre_id=cadre.id, household_id=household.id, visit_date=day, mode="home",
                          follow_up="待办", follow_up_due=due, follow_up_closed_on=closed))  # fmt: skip

    def figures(database) -> tuple[int | None, int | None]:
        with database.session() as s:
            return (
                compute(s, "followups_overdue", year=2026, today=today, cache=False).numerator,
                compute(s, "followups_overdue", year=2025, today=today, cache=False).numerator,
            )

    before = figures(db)
    with db.session() as s, s.begin():  # the schema of 0011
        s.execute(text("DROP INDEX ix_visit_followup_open"))
        s.execute(text("CREATE INDEX ix_visit_followup ON visit (follow_up_closed_on, follow_up_due)"))
        s.execute(text("UPDATE alembic_version SET version_num = '0011_indicator_partials'"))
    db.close()
    with open_database(db_path, PASSWORD) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        names = {i["name"] for i in inspect(upgraded.engine).get_indexes("visit")}
        assert "ix_visit_followup_open" in names and "ix_visit_followup" not in names
        after = figures(upgraded)
    # 2026-06-30: only the follow-up due 06-20 is overdue; 2025-12-31: the one due 12-20, closed 2026-01-05.
    assert after == before == (1, 1)
