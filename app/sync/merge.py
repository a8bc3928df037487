"""Applying remote audit entries to this database, field by field (the one writer besides UnitOfWork).

Rules, in the words of the design:
- An entry already held (its node's chain here reaches its ``node_seq``) is skipped: repeats are no-ops.
  New entries must continue their node's hash chain here; they are stored with their own hashes.
- ``create`` inserts the row unless it exists; rows whose parents this node does not hold (e.g. a pairing
  for another township's household, sent down with the county's chain) are skipped, not failed.
- Updates merge per field: the newer hybrid-logical-clock stamp wins (``field_hlc`` keeps each field's
  stamp). A change is *concurrent* when the remote entry's ``before`` value is not our current value; then,
  for reference data and pairings, the higher level of the tree (city > county > township) wins, and the
  losing value goes to the conflict queue with who and when. Append-only tables never queue conflicts.
- An edit meeting a delete keeps the tombstone and the edit's values, and queues a "delete" conflict.
- A stamp beyond the clock-skew limit is quarantined: stored in the audit trail, not applied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, select, tuple_
from sqlalchemy.orm import Session

from app.audit import GENESIS, WITHHELD, entry_hash
from app.audit_codec import encode_document
from app.domain.models import MODEL_BY_TABLE, SYNCED_MODELS, AuditEntry, Synced, UTCDateTime
from app.domain.serialize import business_columns, dict_to_values, to_json_value
from app.hlc import Stamp, normalize, spellings
from app.sync.bulk import bind_processor, dialect_key, insert_many, insert_processed, present
from app.sync.errors import Diverged, PackageRefused
from app.sync.models import SyncAbsent, SyncAlias, SyncConflict, SyncQuarantine
from app.sync.prefetch import hashed_payload
from app.sync.prepared import (
    AUDIT_KEYS,
    CREATED_RAW,
    STORED,
    Prepared,
    audit_values,
    created_keys,
    created_values,
    natural_keys,
    preparable,
    references,
)

AUTHORITY_TABLES = frozenset({"region", "village_income", "department", "cadre", "enterprise", "sage", "pairing"})
# Tables whose rows a pairing-rule violation names (the pairing, its subject, its helper).
RULE_TABLES = frozenset({"pairing", "household", "region", "cadre", "department", "enterprise", "sage"})
CHUNK = 500
_STORED_AT = "_stored_at"  # key under which an entry keeps its processed time


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class MergeResult:
    tables: dict[str, TableCounts] = field(default_factory=lambda: defaultdict(TableCounts))
    new_entries: int = 0
    held_entries: int = 0
    quarantined: int = 0
    max_stamp: str = ""
    households: set[str] = field(default_factory=set)  # created or changed here: rules are re-checked on them
    touched: set[str] = field(default_factory=set)  # ids of every row created or changed
    touched_rules: set[str] = field(default_factory=set)  # those of the tables pairing rules look at
    warnings: list[dict[str, str]] = field(default_factory=list)


def _stored_documents(e: dict[str, Any]) -> tuple[bytes | None, bytes | None]:
    """An entry's documents in the stored form, from the parsed values (when the parse did not make them)."""
    return encode_document(e["before"]), encode_document(e["after"])


def _chunks(items: list[Any]) -> list[list[Any]]:
    return [items[i : i + CHUNK] for i in range(0, len(items), CHUNK)]


class Merger:
    """Apply one package's entries inside the caller's transaction."""

    def __init__(self, session: Session, *, rank: dict[str, int], skew_limit_ms: int, package_id: str) -> None:
        self.s = session
        self.rank = rank
        self.limit_ms = int(datetime.now(UTC).timestamp() * 1000) + skew_limit_ms
        self.package_id = package_id
        self.result = MergeResult()
        self.progress: Callable[[int, int], None] | None = None  # (changes applied, changes in the package)
        self.sender = self.me = ""  # for messages that say where to act
        self.accept_stubs = False  # hash stubs come only from the parent (what it withholds from us)
        # Entries whose hash was checked against their own prev_hash when the package was read (app.sync.prefetch).
        self.hashed: Callable[[dict[str, Any]], bool] | None = None
        self.fresh: list[dict[str, Any]] = []  # the entries of the package not held before, once applied
        # Entries → those (with the place) outside the division of the node that made them: stored, not applied.
        self.screen: Callable[[list[dict[str, Any]]], list[tuple[dict[str, Any], str]]] | None = None
        # Rows made ready for the driver while the package was read (app.sync.prepared); used when they were
        # made for this database's dialect, for entries that pass every check here.
        self.prepared: Prepared | None = None
        self._absent_known: set[str] = set()
        self._existing: dict[str, set[str]] = defaultdict(set)  # ids known to exist, per table
        self._at_processor = bind_processor(session.connection(), Column("created_at", UTCDateTime()))
        self._audit_at_processor = bind_processor(session.connection(), AuditEntry.__table__.c.at)
        self.alias: dict[str, str] = {
            remote: local for remote, local in session.execute(select(SyncAlias.remote_id, SyncAlias.local_id))
        }

    def _stored_at(self, e: dict[str, Any]) -> Any:
        """An entry's time as a created row stores it (``created_at``/``updated_at``), processed once."""
        stored = e.get(_STORED_AT)
        if stored is None:
            stored = e[_STORED_AT] = self._at_processor(datetime.fromisoformat(e["at"]))
        return stored

    def _audit_at(self, e: dict[str, Any]) -> Any:
        """An entry's time as its audit row stores it (``app.audit_codec``)."""
        return self._audit_at_processor(datetime.fromisoformat(e["at"]))

    # -- chains ------------------------------------------------------------------------------------------

    def new_entries(self, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Drop entries held already (compared by hash, not only by number); check that the rest continue each
        node's hash chain."""
        by_node: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in entries:
            by_node[e["node"]].append(e)
        fresh_ids: set[str] = set()
        for node, items in by_node.items():
            head = self.s.execute(
                select(AuditEntry.node_seq, AuditEntry.hash)
                .where(AuditEntry.node == node)
                .order_by(AuditEntry.node_seq.desc())
                .limit(1)
            ).first()
            seq, prev = (head[0], head[1]) if head else (0, GENESIS)
            items.sort(key=itemgetter("node_seq"))
            self._same_as_held(node, [e for e in items if e["node_seq"] <= seq])
            for e in items:
                if e["node_seq"] <= seq:
                    self.result.held_entries += 1
                    continue
                stub = e["action"] == WITHHELD
                if e["node_seq"] != seq + 1:
                    raise self._chain_gap(node, seq)
                if (
                    e["prev_hash"] != prev
                    or (stub and not self.accept_stubs)
                    or (not stub and not self._hash_matches(prev, e))
                ):
                    raise self._chain_altered(node, seq + 1)
                seq, prev = e["node_seq"], e["hash"]
                fresh_ids.add(e["id"])
        return [e for e in entries if e["id"] in fresh_ids]

    def _hash_matches(self, prev: str, e: dict[str, Any]) -> bool:
        """``e``'s hash is that of ``prev`` (its ``prev_hash``, compared just before) and its content; hashed
        already while the package was read (``hashed``) or here."""
        if self.hashed is not None:
            return self.hashed(e)
        return entry_hash(prev, hashed_payload(e)) == e["hash"]

    def _same_as_held(self, node: str, held: list[dict[str, Any]]) -> None:
        """Entries we hold by number must be the very entries we hold: a node restored from a backup that edits
        again reuses numbers for different changes, and skipping them by number would lose those edits."""
        for chunk in _chunks(held):
            stored = dict(
                self.s.execute(
                    select(AuditEntry.node_seq, AuditEntry.hash).where(
                        AuditEntry.node == node, AuditEntry.node_seq.in_([e["node_seq"] for e in chunk])
                    )
                ).all()
            )
            for e in chunk:
                if stored.get(e["node_seq"], e["hash"]) != e["hash"]:
                    raise Diverged(node, e["node_seq"], self.sender, self.me)

    def _chain_gap(self, node: str, held: int) -> PackageRefused:
        sender, me = self.sender or "发送方", self.me or "本机"
        return PackageRefused(
            "chain",
            f"节点 {node} 的审计链缺少第 {held + 1} 条起的记录。若 {sender} 保存有这些记录，在 {sender} 上运行 "
            f"sync export --to {me} --since 0（完整重发）即可补上。",
            f"the audit chain of node {node} lacks the entries from {held + 1} on. If {sender} holds them, run "
            f"sync export --to {me} --since 0 on {sender} (a full resend) to heal it.",
        )

    def _chain_altered(self, node: str, at: int) -> PackageRefused:
        sender = self.sender or "发送方"
        return PackageRefused(
            "chain",
            f"节点 {node} 的审计链第 {at} 条与其哈希不符（在 {sender} 处或途中被改动）。重新导出只有在 {sender} "
            f"本机的记录完好时才能解决：请先在 {sender} 上运行 audit verify。",
            f"entry {at} of node {node}'s audit chain does not match its hash (altered at {sender} or on the "
            f"way). Exporting again heals it only if {sender}'s own copy is intact: run audit verify on {sender} "
            "first.",
        )

    # -- apply -------------------------------------------------------------------------------------------

    def apply(self, entries: list[dict[str, Any]]) -> MergeResult:
        fresh = self.fresh = self.new_entries(entries)
        self.result.new_entries = len(fresh)
        if fresh:
            # One executemany, not the ORM bulk path (several times faster for tens of thousands of rows). The
            # rows made ready in the round's helper (app.sync.prepared) as they are; the others here, with the
            # documents in the stored form made at the parse (app.sync.prefetch), else from the values parsed:
            # canonical whatever spelling the sender's version used.
            ready = self._ready()
            rows = [ready.audit_row(e) for e in fresh] if ready is not None else [None] * len(fresh)
            table = AuditEntry.__table__
            insert_processed(self.s.connection(), table, AUDIT_KEYS, [r for r in rows if r is not None])  # type: ignore[arg-type]
            rest = [e for e, r in zip(fresh, rows, strict=True) if r is None]
            insert_many(
                self.s.connection(),
                table,  # type: ignore[arg-type]
                [audit_values(e, self._audit_at(e), e.get(STORED) or _stored_documents(e)) for e in rest],
                raw=("at", "before", "after"),
            )
        outside = self.screen(fresh) if self.screen is not None and fresh else []
        if outside:
            for e, place in outside:
                self._out_of_scope(e, place)
            refused = {id(e) for e, _ in outside}
            fresh = [e for e in fresh if id(e) not in refused]
        return self.apply_changes(fresh)

    def _ready(self) -> Prepared | None:
        """The prepared rows, if they were made for this database's dialect."""
        ready = self.prepared
        return ready if ready is not None and ready.dialect == dialect_key(self.s.connection().dialect) else None

    def _out_of_scope(self, e: dict[str, Any], place: str) -> None:
        """A change its node may not make: kept in the trail, not applied, queued for a person."""
        counts = self.result.tables[e["entity"]]
        counts.skipped += 1
        counts.conflicts += 1
        if e["action"] == "create":
            self._absent(e["entity"], [e["entity_id"]], "out_of_scope")
        self.s.add(
            SyncConflict(
                kind="scope", entity=e["entity"], entity_id=e["entity_id"], field=None, loser_value=e["after"],
                loser_hlc=normalize(e["hlc"]), loser_node=e["node"], loser_actor=e["actor"],
                loser_at=datetime.fromisoformat(e["at"]), package_id=self.package_id,
                detail=f"outside the division of {e['node']}: the row lies in {place}",
            )
        )  # fmt: skip
        self.result.warnings.append(
            {
                "zh": f"节点 {e['node']} 修改了其辖区以外（{place}）的 {e['entity']} 记录：未采用，已列入冲突队列待核查。",
                "en": f"Node {e['node']} changed a {e['entity']} row outside its division ({place}): not applied, "
                "queued for review.",
            }
        )

    def apply_changes(self, entries: list[dict[str, Any]]) -> MergeResult:
        """Apply the row changes of entries already stored in the audit trail (also: a released quarantine)."""
        creates: dict[str, list[dict[str, Any]]] = defaultdict(list)
        updates: list[dict[str, Any]] = []
        for e in entries:
            if e["entity"] not in MODEL_BY_TABLE or not e["entity_id"] or not isinstance(e["after"], dict):
                continue  # an event that changes no row (e.g. an export with full IDs): kept in the trail only
            if Stamp.parse(e["hlc"]).wall_ms > self.limit_ms:
                self._quarantine(e)
                continue
            self.result.max_stamp = max(self.result.max_stamp, normalize(e["hlc"]))
            (creates[e["entity"]] if e["action"] == "create" else updates).append(e)
        total = sum(map(len, creates.values())) + len(updates)
        done = 0
        for model in SYNCED_MODELS:
            table = model.__tablename__  # type: ignore[attr-defined]
            if creates.get(table):
                self._create(model, creates[table])
                done += len(creates[table])
                self._report(done, total)
        self._update(updates)
        self.s.flush()
        self._report(total, total)
        return self.result

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.s.flush()  # what is reported as applied is in the database (uncommitted)
            self.progress(done, total)

    def _absent(self, table: str, ids: list[str], reason: str) -> None:
        fresh = sorted(set(ids) - self._absent_known)
        if fresh:
            self._absent_known.update(fresh)
            held: set[str] = set()
            for chunk in _chunks(fresh):
                held.update(self.s.scalars(select(SyncAbsent.entity_id).where(SyncAbsent.entity_id.in_(chunk))))
            self.s.add_all(SyncAbsent(entity_id=i, entity=table, reason=reason) for i in fresh if i not in held)

    def _quarantine(self, e: dict[str, Any]) -> None:
        self._absent(e["entity"], [e["entity_id"]], "quarantined")
        self.result.quarantined += 1
        self.s.add(
            SyncQuarantine(
                audit_id=e["id"], node=e["node"], entity=e["entity"], entity_id=e["entity_id"], hlc=normalize(e["hlc"]),
                reason="clock_skew", package_id=self.package_id, status="held",
            )
        )  # fmt: skip
        self.result.warnings.append(
            {
                "zh": f"节点 {e['node']} 的时钟超前过多，其变更已隔离待核查。",
                "en": f"The clock of node {e['node']} runs too far ahead; its change is quarantined for review.",
            }
        )

    def _known(self, table: str, ids: set[str]) -> set[str]:
        """Which of ``ids`` exist in ``table`` (rows here, or created earlier in this package)."""
        found = ids & self._existing[table]
        missing = list(ids - found)
        if missing:
            model = MODEL_BY_TABLE.get(table)
            column = model.id if model is not None else None
            if column is not None:
                found.update(present(self.s.connection(), model.__table__, missing))  # type: ignore[union-attr]
        self._existing[table].update(found)
        return found

    def _create(self, model: type[Synced], entries: list[dict[str, Any]]) -> None:
        table = model.__tablename__  # type: ignore[attr-defined]
        counts = self.result.tables[table]
        ids = {e["entity_id"] for e in entries}
        existing = self._known(table, ids) | (ids & set(self.alias))
        ready = self._ready() if preparable(model) else None
        refs = [column for column, _target in references(model)]
        alias = self.alias
        rows: list[dict[str, Any]] = []
        prepared: dict[str, tuple[Any, ...]] = {}  # id → the row made ready in the helper
        for e in entries:
            entity_id = e["entity_id"]
            if entity_id in existing:
                counts.unchanged += 1
                continue
            existing.add(entity_id)
            row = ready.created_row(e) if ready is not None else None
            if row is not None:
                # Ready as it is unless it refers to an aliased row: only its references matter from here on
                after = e["after"]
                named = {c: after.get(c) for c in refs}
                if not any(v in alias for v in named.values() if v is not None):
                    prepared[entity_id] = row
                    rows.append({**named, "id": entity_id})
                    continue
            rows.append(self._mapped(model, created_values(model, e, self._stored_at(e))))
        aliases = len(self.alias)
        rows = self._same_natural_rows(model, rows, entries)
        if len(self.alias) != aliases:
            rows = [self._mapped(model, r) for r in rows]  # again: a row may refer to one aliased just now
        with_parents = self._with_parents(model, rows)
        counts.skipped += len(rows) - len(with_parents)
        kept_ids = {r["id"] for r in with_parents}
        self._absent(table, [r["id"] for r in rows if r["id"] not in kept_ids], "not_held")
        rows = with_parents
        if rows:
            whole = [r for r in rows if r["id"] not in prepared]
            insert_many(self.s.connection(), model.__table__, whole, raw=CREATED_RAW)  # type: ignore[attr-defined]
            ready_rows = [prepared[r["id"]] for r in rows if r["id"] in prepared]
            insert_processed(self.s.connection(), model.__table__, created_keys(model), ready_rows)  # type: ignore[attr-defined]
            self._existing[table].update(r["id"] for r in rows)
            counts.created += len(rows)
            self.result.touched.update(r["id"] for r in rows)
            if table in RULE_TABLES:
                self.result.touched_rules.update(r["id"] for r in rows)
            if table == "household":
                self.result.households.update(r["id"] for r in rows)
            elif table == "pairing":
                self.result.households.update(r["subject_household_id"] for r in rows if r["subject_household_id"])

    def _mapped(self, model: type[Synced], row: dict[str, Any]) -> dict[str, Any]:
        """References to aliased rows read as references to ours."""
        alias = self.alias
        if not alias:
            return row
        for column, _target in references(model):
            value = row.get(column)
            if value is not None and value in alias:
                row = {**row, column: alias[value]}
        return row

    def _same_natural_rows(
        self, model: type[Synced], rows: list[dict[str, Any]], entries: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Rows whose natural key (a unique constraint) we hold under another id become aliases, and their
        values merge into ours field by field, as concurrent edits."""
        keys = natural_keys(model)
        if not keys or not rows:
            return rows
        table = model.__table__  # type: ignore[attr-defined]
        by_entry = {e["entity_id"]: e for e in entries}
        kept: list[dict[str, Any]] = []
        for columns in keys:
            held: dict[tuple[Any, ...], str] = {}
            values = sorted({tuple(r[c] for c in columns) for r in rows if all(r[c] is not None for c in columns)})
            for chunk in _chunks(values):
                cols = [table.c[c] for c in columns]
                condition = cols[0].in_([v[0] for v in chunk]) if len(cols) == 1 else tuple_(*cols).in_(chunk)
                for found in self.s.execute(select(table.c.id, *cols).where(condition)):
                    held[tuple(found[1:])] = found[0]
            kept = []
            for row in rows:
                key = tuple(row[c] for c in columns)
                local_id = held.get(key)
                if local_id is None or local_id == row["id"]:
                    held.setdefault(key, row["id"])
                    kept.append(row)
                    continue
                self._alias(model, row, local_id, by_entry[row["id"]], set(columns))
            rows = kept
        return kept

    def _alias(self, model: type[Synced], row: dict[str, Any], local_id: str, e: dict[str, Any], key: set[str]) -> None:
        table = model.__tablename__  # type: ignore[attr-defined]
        self.alias[row["id"]] = local_id
        self.s.add(SyncAlias(remote_id=row["id"], entity=table, local_id=local_id))
        self.s.flush()  # rows inserted in bulk earlier in this package must be visible to the ORM
        obj = self.s.get(model, local_id)
        if obj is None:
            return
        created = self.s.scalar(
            select(AuditEntry.hlc).where(AuditEntry.entity_id == local_id, AuditEntry.action == "create").limit(1)
        )
        after = {
            f: v for f, v in e["after"].items()
            if f in business_columns(model) and f not in key and v != to_json_value(getattr(obj, f))
        }  # fmt: skip
        synthetic = {
            **e,
            "entity_id": local_id,
            "after": self._mapped(model, after),
            "before": dict.fromkeys(after, _UNSEEN),
        }
        self._merge_fields(obj, synthetic, base_stamp=normalize(created) if created else obj.hlc)

    def _with_parents(self, model: type[Synced], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows whose referenced parents exist here; the others are not this node's to hold."""
        table = model.__tablename__  # type: ignore[attr-defined]
        kept = rows
        for column, target in references(model):
            wanted = {r[column] for r in kept if r.get(column)}
            if target == table:
                wanted -= {r["id"] for r in kept}
            present = self._known(target, wanted) if wanted else set()
            if target == table:
                present |= {r["id"] for r in kept}
            kept = [r for r in kept if not r.get(column) or r[column] in present]
        return kept

    def _update(self, updates: list[dict[str, Any]]) -> None:
        if self.alias:
            updates = [
                {**e, "entity_id": self.alias.get(e["entity_id"], e["entity_id"]),
                 "after": self._mapped(MODEL_BY_TABLE[e["entity"]], e["after"])}
                for e in updates
            ]  # fmt: skip
        wanted: dict[str, set[str]] = defaultdict(set)
        for e in updates:
            wanted[e["entity"]].add(e["entity_id"])
        rows: dict[tuple[str, str], Synced] = {}
        for table, ids in wanted.items():
            model = MODEL_BY_TABLE[table]
            for chunk in _chunks(sorted(ids)):
                for obj in self.s.scalars(select(model).where(model.id.in_(chunk))):
                    rows[(table, obj.id)] = obj
        for e in updates:
            found = rows.get((e["entity"], e["entity_id"]))
            if found is None:
                self.result.tables[e["entity"]].skipped += 1
                self._absent(e["entity"], [e["entity_id"]], "not_held")
                continue
            self._merge_fields(found, e)

    def _merge_fields(self, obj: Synced, e: dict[str, Any], base_stamp: str = "") -> None:
        model = type(obj)
        table = e["entity"]
        counts = self.result.tables[table]
        columns = set(business_columns(model))
        before = e["before"] if isinstance(e["before"], dict) else {}
        stamps = dict(obj.field_hlc or {})
        remote = normalize(e["hlc"])  # the audit entry keeps the text its hash covers
        remote_node = Stamp.parse(remote).node
        append_only = model.APPEND_ONLY
        authority = table in AUTHORITY_TABLES
        changed = conflicted = False
        was_deleted = bool(obj.deleted)
        for name, value in e["after"].items():
            if name not in columns:
                continue
            local_stamp = stamps.get(name, base_stamp)
            local_value = to_json_value(getattr(obj, name))
            concurrent = name in before and before[name] != local_value and local_value != value
            local_node = Stamp.parse(local_stamp).node if local_stamp else obj.origin_node
            if concurrent and authority and self._rank(remote_node) != self._rank(local_node):
                remote_wins = self._rank(remote_node) < self._rank(local_node)
            else:
                remote_wins = remote > local_stamp
            if remote_wins:
                if local_value != value:
                    setattr(obj, name, dict_to_values(model, {name: value})[name])
                    changed = True
                stamps[name] = remote
                if concurrent and not append_only:
                    conflicted = True
                    self._conflict(table, obj.id, name, value, remote, local_value, local_stamp, local_node)
            elif concurrent and not append_only:
                conflicted = True
                self._conflict(table, obj.id, name, local_value, local_stamp, value, remote, remote_node, e)
        if not append_only:
            self._delete_meets_edit(obj, e, stamps, was_deleted)
        if changed or stamps != (obj.field_hlc or {}):
            obj.field_hlc = stamps
            obj.hlc = max(obj.hlc, remote)
            obj.updated_at = datetime.now(UTC)
        if changed:
            counts.updated += 1
            self.result.touched.add(obj.id)
            if table in RULE_TABLES:
                self.result.touched_rules.add(obj.id)
            if table == "household":
                self.result.households.add(obj.id)
            elif table == "pairing" and getattr(obj, "subject_household_id", None):
                self.result.households.add(obj.subject_household_id)  # type: ignore[attr-defined]
        elif not conflicted:
            counts.unchanged += 1
        counts.conflicts += conflicted

    def _rank(self, node: str) -> int:
        return self.rank.get(node, 9)

    def _delete_meets_edit(self, obj: Synced, e: dict[str, Any], stamps: dict[str, str], was_deleted: bool) -> None:
        """A delete and an edit made without seeing each other: the tombstone stays, a person decides."""
        remote = normalize(e["hlc"])  # the audit entry keeps the text its hash covers
        deleted_stamp = stamps.get("deleted", "")
        if e["after"].get("deleted") is True and not was_deleted:
            later = [f for f, st in stamps.items() if f != "deleted" and st > remote]
            if not later:
                return
        elif was_deleted and "deleted" not in e["after"] and remote > deleted_stamp:
            later = sorted(k for k in e["after"] if k != "deleted")
        else:
            return
        self.result.tables[e["entity"]].conflicts += 1
        self.s.add(
            SyncConflict(
                kind="delete", entity=e["entity"], entity_id=obj.id, field=",".join(later),
                winner_value=True, winner_hlc=deleted_stamp or remote, loser_value=None, loser_hlc=remote,
                loser_node=e["node"], loser_actor=e["actor"], loser_at=datetime.fromisoformat(e["at"]),
                detail="edited after it was deleted elsewhere", package_id=self.package_id,
            )
        )  # fmt: skip

    def _conflict(
        self,
        table: str,
        entity_id: str,
        name: str,
        winner: Any,
        winner_stamp: str,
        loser: Any,
        loser_stamp: str,
        loser_node: str,
        remote_entry: dict[str, Any] | None = None,
    ) -> None:
        actor: str | None
        at: datetime | None
        if remote_entry is not None:
            actor, at = remote_entry["actor"], datetime.fromisoformat(remote_entry["at"])
        else:
            found = self.s.execute(
                select(AuditEntry.actor, AuditEntry.at)
                .where(AuditEntry.entity_id == entity_id, AuditEntry.hlc.in_(spellings(loser_stamp)))
                .limit(1)
            ).first()
            actor, at = (found[0], found[1]) if found else (None, None)
        self.s.add(
            SyncConflict(
                kind="field", entity=table, entity_id=entity_id, field=name, winner_value=winner,
                winner_hlc=winner_stamp, loser_value=loser, loser_hlc=loser_stamp or None, loser_node=loser_node,
                loser_actor=actor, loser_at=at, package_id=self.package_id,
            )
        )  # fmt: skip


_UNSEEN = "\x00not seen"  # a ``before`` value no field holds: marks values made without seeing ours
