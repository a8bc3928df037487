"""Checks after a merge: business rules broken by concurrent edits, and one resident ID in two townships.

``rule_violations`` is the switch point: it uses ``app.services.pairings.rule_violations`` (the same rules the
services enforce), falling back to a local check of the rule a merge breaks most easily (one active cadre
per household) where the services layer is absent.
Violations are queued (``sync_conflict`` kind "rule" / "dup_id"), once per rule and record while open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.models import Enterprise, Household, Pairing, Sage
from app.sync.models import SyncConflict

CHUNK = 500


@dataclass(frozen=True)
class Violation:
    rule: str
    entity: str
    entity_id: str
    zh: str
    en: str


def _local_rule_violations(session: Session, households: set[str] | None) -> list[Violation]:
    query = (
        select(Pairing.subject_household_id)
        .where(
            Pairing.kind == "household_cadre",
            Pairing.end_date.is_(None),
            Pairing.deleted.is_(False),
            Pairing.subject_household_id.is_not(None),
        )
        .group_by(Pairing.subject_household_id)
        .having(func.count() > 1)
    )
    found: list[str] = []
    if households is None:
        found = [h for h in session.scalars(query) if h]
    else:
        ids = sorted(households)
        for i in range(0, len(ids), CHUNK):
            found += [
                h for h in session.scalars(query.where(Pairing.subject_household_id.in_(ids[i : i + CHUNK]))) if h
            ]
    return [
        Violation("household_multiple_cadres", "household", h, "一户同时有两名以上在岗结对干部。",
                  "A household has more than one active paired cadre.")
        for h in found
    ]  # fmt: skip


def rule_violations(session: Session, households: set[str], touched: set[str] | None = None) -> list[Violation]:
    """Business-rule violations that involve rows this merge created or changed (``touched``) or the
    ``households`` it affected: older, already known problems are not queued again by every import."""
    try:
        from app.services.pairings import rule_violations as service_rules
    except ImportError:  # the services layer not present (older checkout): the local check of the main rule
        return _local_rule_violations(session, households)
    involved = households | (touched or set())
    return [
        Violation(v.rule, v.entity, v.entity_id, v.zh, v.en)
        for v in service_rules(session, _live_pairings_of(session, involved))
        if v.entity_id in involved or involved.intersection(v.pairing_ids)
    ]


def _live_pairings_of(session: Session, ids: set[str]) -> set[str]:
    """Active pairings that are among ``ids`` or whose subject or helper is: every violation that involves
    one of ``ids`` involves one of these (the filter above then keeps exactly the old selection)."""
    live = Pairing.deleted.is_(False) & Pairing.end_date.is_(None)
    indexed = (Pairing.id, Pairing.subject_household_id, Pairing.subject_region_id, Pairing.helper_cadre_id,
               Pairing.helper_department_id)  # fmt: skip
    found: set[str] = set()
    ordered = sorted(ids)
    for i in range(0, len(ordered), CHUNK):
        chunk = ordered[i : i + CHUNK]
        found.update(session.scalars(select(Pairing.id).where(live, or_(*(c.in_(chunk) for c in indexed)))))
        # enterprise and sage helpers have no index on pairing: look only for the ids that are such rows
        for model, column in ((Enterprise, Pairing.helper_enterprise_id), (Sage, Pairing.helper_sage_id)):
            helpers = list(session.scalars(select(model.id).where(model.id.in_(chunk))))
            if helpers:
                found.update(session.scalars(select(Pairing.id).where(live, column.in_(helpers))))
    return found


def duplicate_ids(session: Session, id_numbers: Iterable[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Resident IDs held by active households of two or more nodes: [(one household id, [(node, id)…])]."""
    numbers = sorted(set(id_numbers))
    out = []
    for i in range(0, len(numbers), CHUNK):
        rows = session.execute(
            select(Household.head_id_number, Household.origin_node, Household.id)
            .where(Household.head_id_number.in_(numbers[i : i + CHUNK]), Household.deleted.is_(False))
            .order_by(Household.head_id_number, Household.id)
        ).all()
        groups: dict[str, list[tuple[str, str]]] = {}
        for number, node, hid in rows:
            groups.setdefault(number, []).append((node, hid))
        out += [(g[0][1], g) for g in groups.values() if len({node for node, _ in g}) > 1]
    return out


def queue(session: Session, violations: list[Violation], package_id: str | None) -> int:
    """Queue violations not already open; returns how many are new."""
    if not violations:
        return 0
    open_keys: set[tuple[str | None, str | None]] = {
        (rule, entity_id)
        for rule, entity_id in session.execute(
            select(SyncConflict.rule, SyncConflict.entity_id).where(
                SyncConflict.status == "open", SyncConflict.kind.in_(["rule", "dup_id"])
            )
        )
    }
    added = 0
    for v in violations:
        if (v.rule, v.entity_id) in open_keys:
            continue
        open_keys.add((v.rule, v.entity_id))
        kind = "dup_id" if v.rule == "duplicate_resident_id" else "rule"
        session.add(
            SyncConflict(kind=kind, entity=v.entity, entity_id=v.entity_id, rule=v.rule, detail=f"{v.zh} / {v.en}",
                         winner_value=None, loser_value=None, package_id=package_id)
        )  # fmt: skip
        added += 1
    return added


def duplicate_violations(session: Session, households: set[str]) -> list[Violation]:
    numbers: list[str] = []
    ids = sorted(households)
    for i in range(0, len(ids), CHUNK):
        numbers += session.scalars(select(Household.head_id_number).where(Household.id.in_(ids[i : i + CHUNK])))
    out = []
    for first, group in duplicate_ids(session, numbers):
        nodes = "、".join(sorted({node for node, _ in group}))
        out.append(
            Violation("duplicate_resident_id", "household", first,
                      f"同一身份证号在多个乡镇登记：{nodes}（农户记录 {len(group)} 条）。",
                      f"The same resident ID is registered in several townships: {nodes} ({len(group)} records).")
        )  # fmt: skip
    return out
