"""Write scope: what a node may write, checked for every remote audit entry a package brings.

- Only nodes with a valid certificate (chained to the root, nothing on the way revoked) have chains that are
  accepted; relayed chains included.
- An entry's clock stamp must name the node that made it: authority in a conflict comes from that node's
  certificate, so text inside the stamp can never claim another node's rank.
- The row an entry touches must lie inside the division of the node that made it. A row's place is the
  region its references lead to (a member → its household → its village); a row that leads to no region
  (a cadre of a department without one, an enterprise) belongs to the node that created it. A helper's row
  (department, cadre, enterprise, elite) placed above its author — a county department a township works
  with — is the author's own when the author created it (``OWN_RECORDS_ABOVE``). Both the row as
  it stands after the merge and every place the entry's ``before``/``after`` values name are checked, so a row
  can neither be written nor moved across a border. Rows this node does not hold are not judged here (their
  holder judges them).

A chain that is not certified, or a stamp that names another node, refuses the whole package. An entry
outside its author's division is kept in the audit trail (the chain stays whole) but not applied: it goes to
the conflict queue (kind "scope") for a person, like a change from a PC with a wrong clock.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import MODEL_BY_TABLE
from app.hlc import Stamp
from app.sync import keys
from app.sync.errors import PackageRefused

# Which references lead to a row's place, first non-empty wins. Tables not named lead to no region.
PLACE_REFERENCES: dict[str, tuple[str, ...]] = {
    "household": ("village_id",),
    "member": ("household_id",),
    "household_spell": ("household_id",),
    "income_record": ("household_id",),
    "village_income": ("village_id",),
    "department": ("region_id",),
    "cadre": ("department_id",),
    "enterprise": ("region_id",),
    "sage": ("home_village_id",),
    "pairing": ("subject_household_id", "subject_region_id"),
    "visit": ("household_id", "village_id"),
    "benefit": ("household_id",),
    "project": ("region_id",),
    "project_progress": ("project_id",),
    "project_beneficiary": ("project_id",),
}
_CHUNK = 500
# Who helps, not whom: cadres of the county's departments (and county enterprises, elites) pair with a
# township's households, so a township records them, placed at its county. A row of these tables placed above
# its author (its county or city) is the author's own when the author created it; another node's is not.
OWN_RECORDS_ABOVE = frozenset({"department", "cadre", "enterprise", "sage"})


@cache
def _target(table: str, column: str) -> str:
    model = MODEL_BY_TABLE[table]
    fk = next(iter(model.__table__.c[column].foreign_keys))  # type: ignore[attr-defined]
    return str(fk.column.table.name)


def _refuse(node: str, zh: str, en: str) -> PackageRefused:
    return PackageRefused(
        "scope",
        f"包中有节点 {node} 的变更无法认可：{zh}本包未导入任何内容；请把该包交给上级核查（可能是攻击）。",
        f"the package holds changes of node {node} that cannot be trusted: {en} Nothing was applied; hand the "
        "package to the level above for review (this may be an attack).",
    )


def check_authors(session: Session, entries: list[dict[str, Any]]) -> None:
    """Before the merge: every chain is a certified node's, and every stamp names the entry's own node."""
    certified = keys.certified_nodes(session)
    for e in entries:
        node = e["node"]
        if node not in certified:
            raise _refuse(node, f"节点 {node} 没有有效的证书。", f"node {node} holds no valid certificate.")
        try:
            stamp_node = Stamp.parse(e["hlc"]).node
        except ValueError:
            stamp_node = ""
        if stamp_node != node:
            raise _refuse(
                node,
                f"变更的时间戳声称来自 {stamp_node or '?'}。",
                f"a change's clock stamp claims to come from {stamp_node or '?'}.",
            )


class Places:
    """Region codes of rows, resolved in batches through their references; memoised for one import. Rows
    created by the package itself (not stored yet) are resolved from their entries' values."""

    def __init__(self, session: Session, created: dict[str, dict[str, dict[str, Any]]]) -> None:
        self.s = session
        self.created = created  # table → id → the create entry (its values are not copied: 17k per package)
        self.memo: dict[str, dict[str, str | None]] = defaultdict(dict)  # table → id → division code
        self.origins: dict[str, dict[str, str | None]] = defaultdict(dict)  # the node that created a resolved row

    def codes(self, table: str, ids: set[str]) -> dict[str, str | None]:
        """Row id → the division code of its place (None: neither held here nor made by the package)."""
        self.resolve(table, ids)
        memo = self.memo[table]
        return {i: memo.get(i) for i in ids}

    def resolve(self, table: str, ids: set[str]) -> None:
        """Work out the places of ``ids`` not known yet (then read them from ``memo``)."""
        memo = self.memo[table]
        wanted = {i for i in ids if i not in memo}
        if wanted and table in MODEL_BY_TABLE:
            self._resolve(table, wanted)

    def _resolve(self, table: str, ids: set[str]) -> None:
        model = MODEL_BY_TABLE[table]
        references = PLACE_REFERENCES.get(table, ())
        memo, origins = self.memo[table], self.origins[table]
        found: dict[str, tuple[str | None, list[Any]]] = {}  # id → (origin or region code, references)
        for i in ids:
            memo[i] = None
        # Rows the package creates are resolved from its own values (a create of a row held already changes
        # nothing, so its values cannot move anything); only the others are looked up.
        created = self.created.get(table, {})
        is_region = table == "region"
        for i in ids:
            entry = created.get(i)
            if entry is not None:
                values = entry["after"]
                origin = values.get("code") if is_region else entry["node"]
                found[i] = (origin, [values.get(c) for c in references])
        ordered = sorted(ids - found.keys())
        for chunk in (ordered[n : n + _CHUNK] for n in range(0, len(ordered), _CHUNK)):
            if is_region:
                query = select(model.id, model.code).where(model.id.in_(chunk))  # type: ignore[attr-defined]
            else:
                columns = [model.__table__.c[c] for c in references]  # type: ignore[attr-defined]
                query = select(model.id, model.origin_node, *columns).where(model.id.in_(chunk))
            for row in self.s.execute(query):
                found[row[0]] = (row[1], list(row[2:]))
        if is_region:
            memo.update((row_id, origin) for row_id, (origin, _refs) in found.items())
            return
        follow: dict[str, set[str]] = defaultdict(set)
        pending: dict[str, list[tuple[str, str]]] = defaultdict(list)  # target table → (row id, target id)
        for row_id, (origin, refs) in found.items():
            origins[row_id] = origin
            for column, value in zip(references, refs, strict=True):
                if isinstance(value, str):  # the first reference that is set leads to the place
                    target = _target(table, column)
                    pending[target].append((row_id, value))
                    follow[target].add(value)
                    break
            else:
                memo[row_id] = origin  # leads to no region: the creating node's division
        for target, target_ids in follow.items():
            self.resolve(target, target_ids)
        for target, pairs in pending.items():
            held = self.memo[target]
            for row_id, target_id in pairs:
                memo[row_id] = held.get(target_id)


def out_of_scope(session: Session, entries: list[dict[str, Any]], alias: dict[str, str]) -> list[tuple[Any, str]]:
    """Before the merge: the entries that touch a row (as it stands here, or as the entry makes or moves it)
    outside the division of the node that made them, each with the place it touched.

    Set-based: the rows every entry names are resolved per table in batches (one query per table and chunk
    for the rows held here; those the package creates from its own values), and each (place, node) pair is
    judged once however many entries name it."""
    relevant = [e for e in entries if e["entity"] in MODEL_BY_TABLE and e["entity_id"]]
    created: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for e in relevant:
        if e["action"] == "create" and isinstance(e["after"], dict):
            created[e["entity"]][e["entity_id"]] = e
    places = Places(session, created)
    targets = {t: [(c, _target(t, c)) for c in columns] for t, columns in PLACE_REFERENCES.items()}

    places_named: list[list[tuple[str, str]]] = []
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in relevant:
        table = e["entity"]
        row_id = e["entity_id"]
        named = [(table, alias.get(row_id, row_id))]
        for values in (e["before"], e["after"]):
            if isinstance(values, dict):
                for column, target in targets.get(table, ()):
                    value = values.get(column)
                    if isinstance(value, str):
                        named.append((target, alias.get(value, value)))
        for key in named:
            wanted[key[0]].add(key[1])
        places_named.append(named)
    for table, ids in wanted.items():
        places.resolve(table, ids)
    memo = places.memo
    inside: dict[tuple[str, str], bool] = {}  # (code, node) → the code lies in the node's division
    outside = []
    for e, named in zip(relevant, places_named, strict=True):
        node = e["node"]
        for n, (table, row_id) in enumerate(named):
            code = memo[table].get(row_id)
            if code is None:
                continue
            ok = inside.get((code, node))
            if ok is None:
                ok = inside[(code, node)] = keys.within(code, node)
            if ok:
                continue
            if e["entity"] == "region" and e["action"] == "create" and keys.within(node, code):
                continue  # every node's init makes its own city/county rows: they become aliases of ours
            if (
                e["entity"] in OWN_RECORDS_ABOVE
                and keys.within(node, code)
                and (n > 0 or places.origins[table].get(row_id) == node)
            ):
                continue  # its own record of a helper placed above it, or a reference to one
            outside.append((e, code))
            break
    return outside
