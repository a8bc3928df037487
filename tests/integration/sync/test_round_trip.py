"""Round trips between two townships and the city: data arrives whole, receipts travel back, nothing repeats."""

from __future__ import annotations

from app.audit import verify
from app.domain.models import Household, Member, Region
from app.sync import queue
from tests.integration.sync.support import CITY, TOWN_A, Tree, add_household, business_state, get


def test_reference_data_reaches_both_townships(tree: Tree) -> None:
    city = business_state(tree.city)
    for town in (tree.a, tree.b):
        held = business_state(town)
        assert held["region"] == city["region"]
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
