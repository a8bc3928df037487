"""Checks after a merge: business rules broken by concurrent edits, and one resident ID in two townships.

``rule_violations`` is the switch point: it uses ``app.services.pairings.rule_violations`` once that exists,
and until then a local check of the rule a merge can break most easily (one active cadre per household).
Violations are queued (``sync_conflict`` kind "rule" / "dup_id"), once per rule and record while open.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.models import Household, Pairing
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
        Violation("one_cadre_per_household", "household", h, "一户同时有两名以上在岗结对干部。",
                  "A household has more than one active paired cadre.")
        for h in found
    ]  # fmt: skip


def rule_violations(session: Session, households: set[str] | None = None) -> list[Violation]:
    """Business-rule violations, limited to ``households`` when the rule check allows it."""
    try:
        from app.services.pairings import rule_violations as service_rules
    except ImportError:
        return _local_rule_violations(session, households)
    out = []
    for v in service_rules(session):
        out.append(
            Violation(
                str(getattr(v, "rule", getattr(v, "code", "rule"))),
                str(getattr(v, "entity", "household")),
                str(getattr(v, "entity_id", "")),
                str(getattr(v, "zh", "")),
                str(getattr(v, "en", "")),
            )
        )
    return out


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
