"""Search by name, pinyin initials, full-pinyin prefix and ID suffix, scoped to a place, with masked IDs;
and the query plans use the indexes (no full scan of the household table)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.dialects import sqlite

from app.services.households import exit_household
from app.services.search import household_statements, search_cadres, search_households

from .conftest import resident_id


def test_initials_pinyin_name_and_id_suffix(ledger):
    wang = ledger.add_household("王芳", head_id_number=resident_id(serial=7))
    ledger.add_household("吴峰", village=1)
    ledger.add_household("张伟", village=2)
    assert {h.head_name for h in search_households(ledger.db, "wf")} == {"王芳", "吴峰"}
    assert [h.head_name for h in search_households(ledger.db, "wangf")] == ["王芳"]
    assert [h.head_name for h in search_households(ledger.db, "WangFang")] == ["王芳"]
    assert [h.head_name for h in search_households(ledger.db, "王")] == ["王芳"]
    hits = search_households(ledger.db, wang.head_id_number[-6:])
    assert [h.id for h in hits] == [wang.id]
    assert hits[0].id_masked == wang.head_id_number[:6] + "********" + wang.head_id_number[-4:]
    assert hits[0].matched_by == "id_suffix" and hits[0].village_name == "岩背村"
    assert search_households(ledger.db, "  ") == []
    assert search_households(ledger.db, "zz") == []


def test_scope_and_limit(ledger):
    for village in (0, 1, 1):
        ledger.add_household("王芳", village=village)
    places = ledger.places
    assert len(search_households(ledger.db, "wf", region_id=places.village_ids[1])) == 2
    assert len(search_households(ledger.db, "wf", region_id=places.township_id)) == 3
    assert len(search_households(ledger.db, "wf", region_id=places.county_id)) == 3
    assert len(search_households(ledger.db, "wf", limit=2)) == 2


def test_active_only_hides_exited(ledger):
    hh = ledger.add_household("王芳")
    exit_household(ledger.db, hh.id, "退出", date.today(), "收入达标")
    assert [h.status for h in search_households(ledger.db, "wf")] == ["exited"]
    assert search_households(ledger.db, "wf", active_only=True) == []


def test_cadres_by_name_and_initials(ledger):
    ledger.add_cadre("李明")
    ledger.add_cadre("单立新")
    assert [c.name for c in search_cadres(ledger.db, "lm")] == ["李明"]
    assert [c.name for c in search_cadres(ledger.db, "slx")] == ["单立新"]
    assert [c.name for c in search_cadres(ledger.db, "李")] == ["李明"]


def _plan(db, stmt) -> str:
    sql = str(stmt.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        return " | ".join(str(row[-1]) for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))


def test_query_plans_use_indexes(ledger):
    expected = {
        "initials": "ix_household_initials",
        "pinyin": "ix_household_pinyin",
        "name": "ix_household_name",
        "id_suffix": "ix_household_id_reversed",
    }
    with ledger.db.session() as session:
        for query in ("wf", "王", "1234"):
            for region_id in (None, ledger.places.township_id, ledger.places.county_id):  # a village: its own index
                for matched_by, stmt in household_statements(session, query, region_id=region_id):
                    plan = _plan(ledger.db, stmt)
                    assert f"household USING INDEX {expected[matched_by]}" in plan, plan
                    assert "SCAN household" not in plan, plan
