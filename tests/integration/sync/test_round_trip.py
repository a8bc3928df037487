"""Round trips between two townships and the city: data arrives whole, receipts travel back, nothing repeats."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import verify
from app.domain import lishui
from app.domain.models import AuditEntry, Household, Member, Region
from app.services import officers
from app.sync import queue
from tests.integration.sync.support import CITY, TOWN_A, Tree, add_household, business_state, get


def regions_by_code(state: dict) -> dict[str, tuple]:
    """Regions compared by division code: each node made its own city/county rows at init (aliased by sync)."""
    rows = state["region"]
    code_of = {rid: r["code"] for rid, r in rows.items()}
    return {r["code"]: (r["name"], r["level"], code_of.get(r["parent_id"])) for r in rows.values()}


def test_reference_data_reaches_both_townships(tree: Tree) -> None:
    city = business_state(tree.city)
    city_regions = regions_by_code(city)
    for town in (tree.a, tree.b):
        held = business_state(town)
        regions = regions_by_code(held)
        assert {code: regions[code] for code in city_regions} == city_regions
        # What the city does not hold yet: the township's own official villages, made at init, sent up later.
        own = {code: v for code, v in regions.items() if code not in city_regions}
        assert {code for code in own} == {v.code for v in lishui.villages(town.code)} - set(city_regions)
        assert held["cadre"] == city["cadre"]
    assert get(tree.a, Region, tree.ref["village_a"]).name == "岩背村"


def test_township_changes_reach_the_city_identically(tree: Tree) -> None:
    ids = {add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"]) for _ in range(3)}
    report = tree.city.take(tree.a.export(CITY))
    assert report.status == "applied"
    assert report.tables["household"]["created"] == 3
    assert report.tables["member"]["created"] == 3
    assert report.tables["visit"]["created"] == 3
    assert business_state(tree.city)["household"] == business_state(tree.a)["household"]
    assert ids <= set(business_state(tree.city)["household"])
    with tree.city.db.session() as s:
        assert verify(s).ok  # the township's chain is stored with its own hashes and verifies at the city


def test_receipt_travels_back_and_next_export_is_empty(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    first = tree.city.take(tree.a.export(CITY))
    assert first.new_entries > 0
    back = tree.a.take(tree.city.export(TOWN_A))
    assert back.receipts == 1
    status = {p.code: p for p in queue.status(tree.a.db).peers}
    assert status[CITY].unconfirmed_changes == 0
    again = tree.city.take(tree.a.export(CITY))
    assert again.status == "applied" and again.new_entries == 0 and again.held_entries == 0


def test_applied_remote_changes_are_not_exported_back(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    down = tree.a.take(tree.city.export(TOWN_A))
    assert down.new_entries == 0  # the city sends the township's own entries nowhere but up
    assert get(tree.a, Household, hid) is not None


def test_other_townships_households_do_not_go_down(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    tree.b.take(tree.city.export("331122102"))
    assert get(tree.b, Household, hid) is None


def test_dry_run_reports_the_same_and_changes_nothing(tree: Tree) -> None:
    from tests.integration.sync.support import full_dump

    add_household(tree.a, tree.ref["village_a"])
    package = tree.a.export(CITY)
    before = full_dump(tree.city)
    preview = tree.city.take(package, dry_run=True)
    assert full_dump(tree.city) == before
    real = tree.city.take(package)
    assert preview.tables == real.tables and preview.status == real.status == "applied"


def test_member_edit_round_trip_both_ways(tree: Tree) -> None:
    from tests.integration.sync.support import edit

    hid = add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    with tree.a.db.session() as s:
        member_id = s.query(Member.id).filter(Member.household_id == hid).scalar()
    edit(tree.city, Member, member_id, health="chronic")
    report = tree.a.take(tree.city.export(TOWN_A))
    assert report.tables["member"]["updated"] == 1
    assert get(tree.a, Member, member_id).health == "chronic"


def test_audit_rows_verify_on_every_node_after_sync(tree: Tree) -> None:
    """Aliased regions, rows not held (another township's), relayed entries: audit verify stays clean."""
    from app.audit import verify_rows
    from tests.integration.sync.support import TOWN_B, edit

    hid = add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    add_household(tree.b, tree.ref["village_b"], tree.ref["cadre1"])
    tree.city.take(tree.a.export(CITY))
    tree.city.take(tree.b.export(CITY))
    edit(tree.city, Household, hid, phone="13955550000")
    tree.a.take(tree.city.export(TOWN_A))
    tree.b.take(tree.city.export(TOWN_B))  # the city's edit of A's household: not held by B
    for node in (tree.city, tree.a, tree.b):
        with node.db.session() as s:
            assert verify(s).ok
            assert verify_rows(s) == [], node.code


def test_city_edits_of_one_township_do_not_travel_to_another(tree: Tree) -> None:
    """Data minimisation (PIPL): township B never receives what the city changed in township A's households."""
    from sqlalchemy import select

    from app.domain.models import AuditEntry
    from tests.integration.sync.support import TOWN_B, edit

    hid = add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    edit(tree.city, Household, hid, phone="13911112222")
    tree.a.take(tree.city.export(TOWN_A))
    tree.b.take(tree.city.export(TOWN_B))
    assert get(tree.a, Household, hid).phone == "13911112222"  # the township it belongs to gets the edit
    with tree.b.db.session() as s:
        about_a = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == hid)).all()
    assert about_a == []  # … the other township holds no trace of it
    assert business_state(tree.b)["cadre"] == business_state(tree.city)["cadre"]  # reference data still flows


def test_the_officer_at_work_travels_as_the_actor_of_each_entry(tree: Tree) -> None:
    officers.add(tree.a.db, "李娟")
    officers.choose(tree.a.db, "李娟")
    hid = add_household(tree.a, tree.ref["village_a"])
    assert tree.city.take(tree.a.export(CITY)).status == "applied"
    with tree.city.db.session() as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.node == TOWN_A, AuditEntry.entity_id == hid)))
        officer_entries = s.scalars(select(AuditEntry.action).where(AuditEntry.entity == "officer")).all()
    assert actors == {"李娟"}
    assert officer_entries == ["officer_add"]  # the list's own change is in the township's chain too
