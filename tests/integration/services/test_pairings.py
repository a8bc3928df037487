"""Pairing rules against the real encrypted ledger: shapes per kind, one cadre per household, one leader
per township, ending (reason, dates, twice), cadre leaving, bulk reassignment all-or-nothing, caseloads,
history and the after-merge rule check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import audit
from app.domain.models import AuditEntry, Pairing
from app.errors import RuleViolation, ValidationError
from app.services import records, settings
from app.services.cadres import CADRE
from app.services.households import HOUSEHOLD, exit_household
from app.services.pairings import (
    cadre_leaves,
    caseloads,
    end_pairing,
    history,
    pair,
    reassign_households,
    rule_violations,
)
from app.services.supporters import ENTERPRISE, SAGE
from app.services.uow import UnitOfWork

LAST_MONTH = date.today() - timedelta(days=30)


def _active_cadre_pairings(db) -> dict[str, str]:
    with db.session() as s:
        rows = s.execute(
            select(Pairing.subject_household_id, Pairing.helper_cadre_id).where(
                Pairing.kind == "household_cadre", Pairing.end_date.is_(None)
            )
        )
        return dict(rows.all())


def test_second_cadre_for_a_paired_household_names_the_current_cadre(ledger):
    hh = ledger.add_household()
    first, second = ledger.add_cadre("李明"), ledger.add_cadre("赵刚")
    pair(ledger.db, "household_cadre", hh.id, first.id, LAST_MONTH)
    with pytest.raises(RuleViolation) as info:
        pair(ledger.db, "一户一干部", hh.id, second.id)
    assert "李明" in info.value.zh and "李明" in info.value.en
    assert _active_cadre_pairings(ledger.db) == {hh.id: first.id}


def test_pairing_shapes_per_kind(ledger):
    hh = ledger.add_household()
    cadre = ledger.add_cadre()
    village = ledger.places.village_ids[1]
    with pytest.raises(ValidationError) as wrong_subject:
        pair(ledger.db, "household_cadre", village, cadre.id)
    assert wrong_subject.value.field == "subject_id"
    with pytest.raises(ValidationError) as wrong_helper:
        pair(ledger.db, "village_department", village, cadre.id)
    assert wrong_helper.value.field == "helper_id"
    dept = pair(ledger.db, "village_department", village, ledger.department_id)
    assert (dept.subject_region_id, dept.helper_department_id, dept.subject_household_id) == (
        village,
        ledger.department_id,
        None,
    )
    ent = records.create(ledger.db, ENTERPRISE, {"name": "缙云县某某农业有限公司"})
    assert pair(ledger.db, "村企结对", village, ent.id).helper_enterprise_id == ent.id
    sage = records.create(ledger.db, SAGE, {"name": "陈乡贤", "kind": "乡贤", "home_village_id": village})
    assert pair(ledger.db, "sage", hh.id, sage.id).subject_household_id == hh.id
    with pytest.raises(RuleViolation):
        pair(ledger.db, "sage", hh.id, sage.id)  # the same pairing again


def test_township_has_one_leader_who_must_be_a_leader(ledger):
    town = ledger.places.township_id
    plain = ledger.add_cadre("李明")
    with pytest.raises(RuleViolation) as not_leader:
        pair(ledger.db, "township_leader", town, plain.id)
    assert not_leader.value.field == "helper_id"
    boss, other = ledger.add_cadre("周书记", is_leader=True), ledger.add_cadre("吴镇长", is_leader="是")
    pair(ledger.db, "township_leader", town, boss.id)
    with pytest.raises(RuleViolation) as second:
        pair(ledger.db, "township_leader", town, other.id)
    assert "周书记" in second.value.zh


def test_ending_needs_reason_valid_date_and_happens_once(ledger):
    hh = ledger.add_household()
    p = pair(ledger.db, "household_cadre", hh.id, ledger.add_cadre().id, LAST_MONTH)
    with pytest.raises(ValidationError) as no_reason:
        end_pairing(ledger.db, p.id, "")
    assert no_reason.value.field == "end_reason"
    with pytest.raises(ValidationError) as early:
        end_pairing(ledger.db, p.id, "goal_met", LAST_MONTH - timedelta(days=1))
    assert early.value.field == "end_date"
    ended = end_pairing(ledger.db, p.id, "帮扶目标完成", date.today(), note="已稳定增收")
    assert (ended.end_reason, ended.end_date, ended.end_note) == ("goal_met", date.today(), "已稳定增收")
    with pytest.raises(RuleViolation) as twice:
        end_pairing(ledger.db, p.id, "other")
    assert "重复" in twice.value.zh and "twice" in twice.value.en
    with ledger.db.session() as s:
        assert s.get(Pairing, p.id).end_reason == "goal_met"


def test_cadre_leaving_ends_pairings_and_returns_uncovered(ledger):
    leaving, staying = ledger.add_cadre("李明", is_leader=True), ledger.add_cadre("赵刚")
    a, b, c = (ledger.add_household(n) for n in ("王芳", "张伟", "刘洋"))
    for hh in (a, b):
        pair(ledger.db, "household_cadre", hh.id, leaving.id, LAST_MONTH)
    pair(ledger.db, "household_cadre", c.id, staying.id, LAST_MONTH)
    pair(ledger.db, "township_leader", ledger.places.township_id, leaving.id, LAST_MONTH)
    result = cadre_leaves(ledger.db, leaving.id, date.today(), note="调任县城")
    assert {u.id for u in result.uncovered_households} == {a.id, b.id}
    assert {u.head_name for u in result.uncovered_households} == {"王芳", "张伟"}
    assert result.uncovered_townships == (ledger.places.township_id,)
    assert len(result.ended) == 3 and {e.end_reason for e in result.ended} == {"cadre_left"}
    cadre = records.get(ledger.db, CADRE, leaving.id)
    assert (cadre.status, cadre.left_on) == ("left", date.today())
    assert _active_cadre_pairings(ledger.db) == {c.id: staying.id}
    with pytest.raises(RuleViolation):
        pair(ledger.db, "household_cadre", a.id, leaving.id)


def test_bulk_reassignment_spreads_by_caseload(ledger):
    leaving = ledger.add_cadre("李明")
    x, y = ledger.add_cadre("赵刚"), ledger.add_cadre("孙丽")
    busy = ledger.add_household("钱多")
    pair(ledger.db, "household_cadre", busy.id, x.id, LAST_MONTH)
    households = [ledger.add_household(n) for n in ("王芳", "张伟", "刘洋")]
    for hh in households:
        pair(ledger.db, "household_cadre", hh.id, leaving.id, LAST_MONTH)
    cadre_leaves(ledger.db, leaving.id)
    created = reassign_households(ledger.db, leaving.id, [x.id, y.id])
    assert len(created) == 3
    loads = {c.cadre_id: c.households for c in caseloads(ledger.db)}
    assert loads == {x.id: 2, y.id: 2}
    assert history(ledger.db, household_id=households[0].id)[0].helper_name == "李明"
    assert [line.helper_name for line in history(ledger.db, cadre_id=leaving.id)] == ["李明"] * 3


def test_bulk_reassignment_of_a_serving_cadre_ends_old_pairings(ledger):
    old, new = ledger.add_cadre("李明"), ledger.add_cadre("赵刚")
    hh = ledger.add_household()
    first = pair(ledger.db, "household_cadre", hh.id, old.id, LAST_MONTH)
    reassign_households(ledger.db, old.id, {hh.id: new.id})
    lines = history(ledger.db, household_id=hh.id)
    assert [(line.pairing.id == first.id, line.pairing.end_reason, line.helper_name) for line in lines] == [
        (True, "reassigned", "李明"),
        (False, None, "赵刚"),
    ]


def test_bulk_reassignment_over_cap_is_all_or_nothing(ledger):
    with UnitOfWork(ledger.db) as uow:
        settings.put(uow.session, "cadre_household_cap", 2)
    leaving, target = ledger.add_cadre("李明"), ledger.add_cadre("赵刚")
    households = [ledger.add_household(n) for n in ("王芳", "张伟", "刘洋")]
    for hh in households[:2]:
        pair(ledger.db, "household_cadre", hh.id, leaving.id, LAST_MONTH)
    pair(ledger.db, "household_cadre", households[2].id, leaving.id, LAST_MONTH, allow_over_cap=True)
    before = _active_cadre_pairings(ledger.db)
    with ledger.db.session() as s:
        audit_count = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(RuleViolation) as info:
        reassign_households(ledger.db, leaving.id, [target.id])
    assert "赵刚" in info.value.zh and "2" in info.value.zh
    assert _active_cadre_pairings(ledger.db) == before
    with ledger.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audit_count
    reassign_households(ledger.db, leaving.id, [target.id], allow_over_cap=True)
    assert set(_active_cadre_pairings(ledger.db).values()) == {target.id}
    assert [c.over_cap for c in caseloads(ledger.db, [target.id])] == [True]


def test_pair_respects_cap_unless_overridden(ledger):
    with UnitOfWork(ledger.db) as uow:
        settings.put(uow.session, "cadre_household_cap", 1)
    cadre = ledger.add_cadre()
    a, b = ledger.add_household("王芳"), ledger.add_household("张伟")
    pair(ledger.db, "household_cadre", a.id, cadre.id)
    with pytest.raises(RuleViolation) as info:
        pair(ledger.db, "household_cadre", b.id, cadre.id)
    assert info.value.field == "helper_id"
    assert pair(ledger.db, "household_cadre", b.id, cadre.id, allow_over_cap=True).helper_cadre_id == cadre.id


def test_rule_violations_finds_what_a_merge_can_bring(ledger):
    a, b = ledger.add_household("王芳"), ledger.add_household("张伟")
    x, y = ledger.add_cadre("李明", is_leader=True), ledger.add_cadre("赵刚", is_leader=True)
    assert rule_violations(ledger.db.session()) == []
    # What another node's edits can produce after a merge, written behind the services' back:
    with UnitOfWork(ledger.db) as uow:
        for cadre in (x, y):
            uow.add(
                Pairing(
                    kind="household_cadre", subject_household_id=a.id, helper_cadre_id=cadre.id, start_date=LAST_MONTH
                )
            )
            uow.add(
                Pairing(
                    kind="township_leader",
                    subject_region_id=ledger.places.township_id,
                    helper_cadre_id=cadre.id,
                    start_date=LAST_MONTH,
                )
            )
        uow.add(Pairing(kind="household_cadre", subject_household_id=b.id, helper_cadre_id=x.id, start_date=LAST_MONTH))
    with UnitOfWork(ledger.db) as uow:
        uow.update(uow.session.get(HOUSEHOLD.model, b.id), status="exited")
        uow.update(uow.session.get(CADRE.model, y.id), status="left")
    with ledger.db.session() as s:
        found = rule_violations(s)
    rules = sorted((v.rule, v.entity_id) for v in found)
    assert ("household_multiple_cadres", a.id) in rules
    assert ("township_multiple_leaders", ledger.places.township_id) in rules
    assert ("inactive_household_paired", b.id) in rules
    assert (
        sorted(r for r, eid in rules if r == "departed_cadre_paired" and eid == y.id) == ["departed_cadre_paired"] * 2
    )
    assert all(v.zh and v.en and v.pairing_ids for v in found)
    dup = next(v for v in found if v.rule == "household_multiple_cadres")
    assert len(dup.pairing_ids) == 2
    # Scoped to some pairings (what a sync import does): exactly the violations that involve one of them.
    with ledger.db.session() as s:
        every = {p for v in found for p in v.pairing_ids}
        assert sorted(rule_violations(s, every), key=repr) == sorted(found, key=repr)
        one = dup.pairing_ids[0]
        assert sorted(rule_violations(s, [one]), key=repr) == sorted(
            (v for v in found if one in v.pairing_ids), key=repr
        )
        assert rule_violations(s, []) == []


def test_pairings_are_audited(ledger):
    hh = ledger.add_household()
    p = pair(ledger.db, "household_cadre", hh.id, ledger.add_cadre().id, LAST_MONTH)
    end_pairing(ledger.db, p.id, "录入错误")
    exit_household(ledger.db, hh.id, "closed", date.today(), "录入错误")
    with ledger.db.session() as s:
        actions = list(
            s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == p.id).order_by(AuditEntry.seq))
        )
        assert actions == ["create", "end"]
        assert audit.verify(s).ok
