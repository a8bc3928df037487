"""Concurrent edits: different fields both survive, the same field has one winner everywhere and the loser is
queued, the parent's authority over reference data, reassignment violations, deletes meeting edits."""

from __future__ import annotations

from datetime import date

from app.domain.models import Cadre, Household, Member, Pairing
from app.services.uow import UnitOfWork
from app.sync import queue
from tests.integration.sync.support import (
    CITY,
    TOWN_A,
    Node,
    Tree,
    add_household,
    business_state,
    delete,
    edit,
    get,
)


def exchange(tree: Tree) -> None:
    """A → city, city → A; afterwards both audit trails still account for every row."""
    from app.audit import verify_rows

    tree.city.take(tree.a.export(CITY))
    tree.a.take(tree.city.export(TOWN_A))
    for node in (tree.a, tree.city):
        with node.db.session() as s:
            assert verify_rows(s) == [], node.code


def shared_household(tree: Tree) -> str:
    hid = add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    exchange(tree)
    return hid


def open_conflicts(node: Node, kind: str | None = None) -> list[dict]:
    return [c for c in queue.conflicts(node.db) if kind is None or c["kind"] == kind]


def test_different_fields_both_survive(tree: Tree) -> None:
    hid = shared_household(tree)
    edit(tree.a, Household, hid, phone="13911112222")
    edit(tree.city, Household, hid, address="岩背村12号")
    exchange(tree)
    for node in (tree.a, tree.city):
        hh = get(node, Household, hid)
        assert (hh.phone, hh.address) == ("13911112222", "岩背村12号")
        assert open_conflicts(node) == []
    assert business_state(tree.a, only_ids={hid}) == business_state(tree.city, only_ids={hid})


def test_same_field_one_winner_and_loser_queued_on_both_sides(tree: Tree) -> None:
    hid = shared_household(tree)
    edit(tree.a, Household, hid, phone="13911110000")
    edit(tree.city, Household, hid, phone="13922220000")  # later stamp: wins everywhere
    exchange(tree)
    for node in (tree.a, tree.city):
        assert get(node, Household, hid).phone == "13922220000"
        [conflict] = open_conflicts(node, "field")
        assert conflict["field"] == "phone" and conflict["loser_value"] == "13911110000"
        assert conflict["winner_value"] == "13922220000"
        assert conflict["loser_node"] == TOWN_A and conflict["loser_actor"] == "tester"
    assert business_state(tree.a, only_ids={hid}) == business_state(tree.city, only_ids={hid})


def test_sequential_edits_are_not_conflicts(tree: Tree) -> None:
    hid = shared_household(tree)
    edit(tree.a, Household, hid, phone="13911110000")
    exchange(tree)
    edit(tree.city, Household, hid, phone="13922220000")
    exchange(tree)
    assert get(tree.a, Household, hid).phone == "13922220000"
    assert open_conflicts(tree.a) == [] and open_conflicts(tree.city) == []


def test_parent_has_authority_over_reference_data(tree: Tree) -> None:
    cadre = tree.ref["cadre1"]
    edit(tree.city, Cadre, cadre, post="局长")
    edit(tree.a, Cadre, cadre, post="副局长")  # later, but the township is lower in the tree
    exchange(tree)
    for node in (tree.a, tree.city):
        assert get(node, Cadre, cadre).post == "局长"
    # At the township the city's value wins as a concurrent edit; at the city the township's edit of a county
    # department's cadre lies outside its division, so it is not applied at all but queued for a person.
    [conflict] = open_conflicts(tree.a, "field")
    assert conflict["loser_value"] == "副局长"
    [scope] = open_conflicts(tree.city, "scope")
    assert scope["loser_value"] == {"post": "副局长"} and scope["loser_node"] == TOWN_A


def _reassign(node: Node, hid: str, cadre_id: str) -> None:
    with UnitOfWork(node.db) as uow:
        for p in uow.session.query(Pairing).filter_by(subject_household_id=hid, end_date=None):
            uow.update(p, end_date=date(2026, 3, 1), end_reason="reassigned")
        uow.add(Pairing(kind="household_cadre", subject_household_id=hid, helper_cadre_id=cadre_id,
                        start_date=date(2026, 3, 1)))  # fmt: skip


def test_concurrent_reassignment_queues_a_rule_violation(tree: Tree) -> None:
    hid = shared_household(tree)
    _reassign(tree.a, hid, tree.ref["cadre2"])
    _reassign(tree.city, hid, tree.ref["cadre3"])
    exchange(tree)
    for node in (tree.a, tree.city):
        with node.db.session() as s:
            active = s.query(Pairing).filter_by(subject_household_id=hid, end_date=None, deleted=False).count()
        assert active == 2  # nothing hidden: both reassignments are there …
        [violation] = open_conflicts(node, "rule")  # … and a person is asked to choose
        assert violation["entity_id"] == hid and violation["rule"] == "household_multiple_cadres"


def test_delete_meets_edit(tree: Tree) -> None:
    hid = shared_household(tree)
    with tree.a.db.session() as s:
        member_id = s.query(Member.id).filter_by(household_id=hid).scalar()
    delete(tree.a, Member, member_id)
    edit(tree.city, Member, member_id, employment="county_job")  # made after the delete, not knowing it
    exchange(tree)
    for node in (tree.a, tree.city):
        member = get(node, Member, member_id)
        assert member.deleted and member.employment == "county_job"  # tombstone kept, edit not lost
        [conflict] = open_conflicts(node, "delete")
        assert conflict["entity_id"] == member_id
    assert business_state(tree.a, only_ids={member_id}) == business_state(tree.city, only_ids={member_id})


def test_resolve_take_applies_the_losing_value_and_audits(tree: Tree) -> None:
    from app.domain.models import AuditEntry

    hid = shared_household(tree)
    edit(tree.a, Household, hid, phone="13911110000")
    edit(tree.city, Household, hid, phone="13922220000")
    exchange(tree)
    [conflict] = open_conflicts(tree.city, "field")
    queue.resolve(tree.city.db, conflict["id"], "take")
    assert get(tree.city, Household, hid).phone == "13911110000"
    assert open_conflicts(tree.city) == []
    with tree.city.db.session() as s:
        actions = [a for (a,) in s.query(AuditEntry.action).filter(AuditEntry.node == CITY)]
    assert "conflict_take" in actions
    tree.a.take(tree.city.export(TOWN_A))  # the choice travels like any edit
    assert get(tree.a, Household, hid).phone == "13911110000"


def test_append_only_records_never_conflict(tree: Tree) -> None:
    from app.domain.models import Visit

    hid = shared_household(tree)
    with tree.a.db.session() as s:
        visit_id = s.query(Visit.id).filter_by(household_id=hid).scalar()
    edit(tree.a, Visit, visit_id, follow_up_result="已解决")
    edit(tree.city, Visit, visit_id, follow_up_result="已核实")
    exchange(tree)
    assert get(tree.a, Visit, visit_id).follow_up_result == get(tree.city, Visit, visit_id).follow_up_result
    assert open_conflicts(tree.a) == [] and open_conflicts(tree.city) == []


def test_same_natural_row_made_twice_merges_as_one(tree: Tree) -> None:
    """Both sides record the household's 2025 income (unique per household and year) without seeing each
    other: one row each, read as the same row, the later value everywhere, the other one queued."""
    from app.domain.models import IncomeRecord

    hid = shared_household(tree)
    with UnitOfWork(tree.a.db) as uow:
        uow.add(IncomeRecord(household_id=hid, year=2025, total_fen=1_200_000, persons=1))
    with UnitOfWork(tree.city.db) as uow:
        uow.add(IncomeRecord(household_id=hid, year=2025, total_fen=1_350_000, persons=1))
    exchange(tree)
    for node in (tree.a, tree.city):
        with node.db.session() as s:
            [record] = s.query(IncomeRecord).filter_by(household_id=hid, year=2025).all()
        assert record.total_fen == 1_350_000
        [conflict] = open_conflicts(node, "field")
        assert conflict["field"] == "total_fen" and conflict["loser_value"] == 1_200_000
    # Later edits of either id reach the one row on the other side.
    with tree.a.db.session() as s:
        a_record = s.query(IncomeRecord.id).filter_by(household_id=hid).scalar()
    edit(tree.a, IncomeRecord, a_record, wage_fen=500_000)
    tree.city.take(tree.a.export(CITY))
    with tree.city.db.session() as s:
        assert s.query(IncomeRecord.wage_fen).filter_by(household_id=hid).scalar() == 500_000
