"""The official Lishui places: shipped list, ``init`` by code alone, and migration 0007 correcting the codes
of a ledger made with the old, plausible-but-wrong township codes."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app import audit
from app.domain import lishui
from app.domain.lishui import place_key
from app.domain.models import AuditEntry, Household, Region, Setting
from app.services.node import initialize_node
from app.services.official_places import PENDING_KEY
from app.services.uow import UnitOfWork
from app.storage.database import create_database, open_database
from tests.conftest import PASSWORD


def test_the_shipped_list_is_the_nbs_2023_lishui_list() -> None:
    assert "2023" in lishui.edition()
    towns = [t for c in lishui.counties() for t in lishui.townships(c.code)]
    villages = [v for t in towns for v in lishui.villages(t.code)]
    assert (len(lishui.counties()), len(towns), len(villages)) == (9, 173, 2008)
    assert lishui.official_place("331102103") is not None
    assert lishui.official_place("331102103").name == "老竹畲族镇"  # type: ignore[union-attr]
    assert {v.name: v.code for v in lishui.villages("331102103")}["梁村"] == "331102103215"
    assert all(v.code.startswith(v.parent_code) and len(v.code) == 12 for v in villages)


def test_place_names_match_in_every_form() -> None:
    assert place_key("老竹村") == place_key("老竹村委会") == place_key("老竹") == place_key("老竹村民委员会")
    assert place_key("梁村") == place_key("梁村村委会")
    assert place_key("东门社区") == place_key("东门社区居委会") == place_key("东门社区居民委员会")
    assert place_key("老竹") != place_key("梁村")


def test_ethnic_and_county_names_match_in_their_short_forms() -> None:
    """Officers write 老竹镇 for 老竹畲族镇, 景宁县 or 景宁 for 景宁畲族自治县, 龙泉 for 龙泉市."""
    assert place_key("老竹镇") == place_key("老竹畲族镇") == place_key("老竹")
    assert place_key("板桥乡") == place_key("板桥畲族乡")
    assert place_key("景宁县") == place_key("景宁畲族自治县") == place_key("景宁")
    assert place_key("龙泉") == place_key("龙泉市")
    assert place_key("莲都") == place_key("莲都区")
    # Every county and township of the list still has a key of its own within its parent.
    for parent in [lishui.city(), *lishui.counties()]:
        children = lishui.counties() if parent.level == "city" else lishui.townships(parent.code)
        keys = [place_key(p.name) for p in children]
        assert len(keys) == len(set(keys)), parent.name


def test_init_by_code_alone_creates_the_township_and_all_its_villages(db_path: Path) -> None:
    db = create_database(db_path, PASSWORD)
    try:
        initialize_node(db, "331102103", None, "township")
        with db.session() as s:
            rows = {r.code: r.name for r in s.scalars(select(Region).where(Region.level == "village"))}
            town = s.scalars(select(Region).where(Region.code == "331102103")).one()
        assert db.node.name == town.name == "老竹畲族镇"
        # the NBS list names 12 villages under 老竹畲族镇 (331102103208 老竹村委会 … 331102103234 赤坑村委会)
        assert len(rows) == 12
        assert rows["331102103208"] == "老竹村" and rows["331102103215"] == "梁村"
    finally:
        db.close()


def _old_ledger(db_path: Path) -> dict[str, str]:
    """A 莲都区 county ledger made before 0007: 雅溪镇 and 老竹畲族镇 hold each other's official codes."""
    db = create_database(db_path, PASSWORD)
    db.set_node("331102", "莲都区", "county")
    with UnitOfWork(db) as uow:
        county = uow.add(Region(code="331102", name="莲都区", level="county"))
        yaxi = uow.add(Region(code="331102103", name="雅溪镇", level="township", parent_id=county.id))
        laozhu = uow.add(Region(code="331102104", name="老竹畲族镇", level="township", parent_id=county.id))
        village = uow.add(Region(code="331102104201", name="老竹村", level="village", parent_id=laozhu.id))
        liang = uow.add(Region(code="331102104202", name="梁村村委会", level="village", parent_id=laozhu.id))
        odd = uow.add(Region(code="331102104203", name="新建村", level="village", parent_id=laozhu.id))
        unknown = uow.add(Region(code="331102901", name="试验乡", level="township", parent_id=county.id))
        household = uow.add(
            Household(
                village_id=village.id,
                head_name="蓝一",
                head_id_number="33250119800101001X",
                category="dibao",
                primary_cause="illness",
            )
        )
    from app.storage import migrate

    before = migrate.scripts().get_revision("0007_official_regions").down_revision
    with db.engine.begin() as conn:  # 0007 changes no schema; later revisions (0008's compact trail) go down first
        from alembic import command

        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, before)
    db.close()
    ids = {"yaxi": yaxi.id, "laozhu": laozhu.id, "village": village.id, "liang": liang.id, "odd": odd.id}
    return ids | {"unknown": unknown.id, "household": household.id}


def test_an_old_ledger_gets_the_official_codes_at_open_audited_and_nothing_deleted(db_path: Path) -> None:
    ids = _old_ledger(db_path)
    with open_database(db_path, PASSWORD) as db, db.session() as s:
        codes = {key: s.get(Region, rid).code for key, rid in ids.items() if key != "household"}  # type: ignore[union-attr]
        assert codes == {
            "yaxi": "331102104",  # official 雅溪镇
            "laozhu": "331102103",  # official 老竹畲族镇
            "village": "331102103208",  # official 老竹村委会
            "liang": "331102103215",  # official 梁村村委会
            "odd": "331102103203",  # not listed: kept, moved under its township's new code (suffix 203 kept)
            "unknown": "331102901",  # not listed: kept as it was
        }
        assert s.get(Household, ids["household"]).village_id == ids["village"]  # type: ignore[union-attr]
        assert s.scalars(select(Region).where(Region.deleted.is_(True))).all() == []
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "region", AuditEntry.action == "update"))
        changes = {e.entity_id: (e.before["code"], e.after["code"]) for e in entries}  # type: ignore[index]
        assert changes[ids["laozhu"]] == ("331102104", "331102103")
        assert changes[ids["yaxi"]] == ("331102103", "331102104")
        assert len(changes) == 5
        assert s.get(Setting, PENDING_KEY) is None
        assert audit.verify(s).ok
    with open_database(db_path, PASSWORD) as again, again.session() as s:  # once only
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.action == "update")).all()) == 5
