"""Unit of work: one transaction that stamps, audits and commits every change — the single write choke point.

Use::

    with UnitOfWork(db) as uow:
        hh = uow.add(Household(...))
        uow.update(hh, phone="13800000000")
        uow.tombstone(member)

On leaving the block the audit entries are chained and everything commits; on an exception nothing does.
``insert_rows`` is the bulk path (demo data, Excel import) with the same stamping and audit, far faster.
Call from one thread at a time (the GUI's worker, or the CLI).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import GENESIS, payload_text, text_hash
from app.audit_codec import canonical_json, encode_document_text
from app.domain.models import AuditEntry, NodeInfo, Synced
from app.domain.serialize import (
    apply_column_defaults,
    business_columns,
    column_defaults,
    date_columns,
    row_to_dict,
    to_json_value,
)
from app.ids import new_id
from app.storage.database import Database, bulk_insert

T = TypeVar("T", bound=Synced)


class UnitOfWork:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db = db
        self.actor = actor or db.actor
        self.session: Session = db.session()
        self._pending_audit: list[dict[str, Any]] = []
        self._committed = False

    # -- context ------------------------------------------------------------------------------------

    def __enter__(self) -> UnitOfWork:
        self.session.begin()
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            if exc_type is None:
                self.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def flush(self) -> None:
        """Send pending rows and their audit entries to the open transaction, still uncommitted.

        Long bulk jobs (demo data, large imports) call it between batches so the pending audit entries do
        not pile up in memory; a rollback still undoes everything.
        """
        self.session.flush()
        self._write_audit()

    def commit(self) -> None:
        self.session.flush()
        self._write_audit()
        self.session.commit()
        self._committed = True

    # -- stamping -----------------------------------------------------------------------------------

    def now_stamp(self) -> str:
        assert self.db.clock is not None, "node identity not set"
        return self.db.clock.now()

    def add(self, obj: T, *, note: str | None = None) -> T:
        """Insert a new entity (id, origin, clock stamped here) and audit it as ``create``."""
        now = datetime.now(UTC)
        stamp = self.now_stamp()
        if not getattr(obj, "id", None):
            obj.id = new_id()
        obj.origin_node = self.db.node.code
        obj.hlc = stamp
        obj.field_hlc = {}
        apply_column_defaults(obj)
        obj.created_at = now
        obj.updated_at = now
        self.session.add(obj)
        self._audit("create", obj.__tablename__, obj.id, None, row_to_dict(obj), stamp, note)  # type: ignore[attr-defined]
        return obj

    def update(self, obj: Synced, *, note: str | None = None, action: str = "update", **changes: Any) -> dict[str, Any]:
        """Set fields; only real changes are stamped and audited. Returns ``{field: new value}`` changed."""
        columns = set(business_columns(type(obj)))
        unknown = set(changes) - columns
        if unknown:
            raise AttributeError(f"not business columns of {type(obj).__name__}: {sorted(unknown)}")
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for key, value in changes.items():
            old = getattr(obj, key)
            if old != value:
                before[key] = to_json_value(old)
                after[key] = to_json_value(value)
                setattr(obj, key, value)
        if not after:
            return {}
        stamp = self.now_stamp()
        obj.hlc = stamp
        obj.field_hlc = {**(obj.field_hlc or {}), **{k: stamp for k in after}}
        obj.updated_at = datetime.now(UTC)
        self._audit(action, obj.__tablename__, obj.id, before, after, stamp, note)  # type: ignore[attr-defined]
        return after

    def tombstone(self, obj: Synced, *, note: str | None = None) -> None:
        """Mark deleted (never a hard delete); audited as ``delete``."""
        if obj.deleted:
            return
        self.update(obj, note=note, action="delete", deleted=True)

    def event(
        self,
        action: str,
        entity: str,
        entity_id: str | None = None,
        *,
        note: str | None = None,
        after: dict[str, Any] | None = None,
        before: dict[str, Any] | None = None,
    ) -> None:
        """An audited event that changes no synced row (an export with full resident IDs, a setting)."""
        self._audit(action, entity, entity_id, before, after, self.now_stamp(), note)

    def insert_rows(self, model: type[Synced], rows: list[dict[str, Any]], *, note: str | None = None) -> list[str]:
        """Bulk insert of plain dicts (business columns), stamped and audited like ``add``; returns the ids."""
        if not rows:
            return []
        now = datetime.now(UTC)
        node = self.db.node.code
        fields = business_columns(model)
        table = model.__tablename__  # type: ignore[attr-defined]
        defaults = list(column_defaults(model).items())
        temporal = [f for f in fields if f in set().union(*date_columns(model))]
        ids: list[str] = []
        prepared: list[dict[str, Any]] = []
        # One empty ``field_hlc`` for the whole batch, only read by the insert: its JSON bind processor then
        # runs once, not once a row (``database.bulk_insert`` reuses a result while the object repeats).
        no_field_stamps: dict[str, str] = {}
        for row in rows:
            stamp = self.now_stamp()
            values = {f: row.get(f) for f in fields}
            for key, default in defaults:
                if values[key] is None:
                    values[key] = default()
            values.update(
                id=row.get("id") or new_id(),
                origin_node=node,
                hlc=stamp,
                field_hlc=no_field_stamps,
                created_at=now,
                updated_at=now,
            )
            prepared.append(values)
            ids.append(str(values["id"]))
            after = {f: values[f] for f in fields}
            for f in temporal:  # only date columns need converting for JSON
                value = after[f]
                if value is not None:
                    after[f] = value.isoformat()
            self._audit("create", table, values["id"], None, after, stamp, note)
        self.session.flush()  # ORM-added parents first: the bulk rows may refer to them
        # Core executemany on the session's connection: same transaction, a fraction of the ORM bulk cost.
        bulk_insert(self.session.connection(), model.__table__, prepared)  # type: ignore[attr-defined]
        return ids

    # -- audit --------------------------------------------------------------------------------------

    def _audit(
        self,
        action: str,
        entity: str,
        entity_id: str | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        stamp: str,
        note: str | None,
    ) -> None:
        self._pending_audit.append(
            {
                "id": new_id(),
                "actor": self.actor,
                "at": datetime.now(UTC),
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "hlc": stamp,
                "before": before,
                "after": after,
                "note": note,
            }
        )

    def _write_audit(self) -> None:
        if not self._pending_audit:
            return
        info = self.session.scalars(select(NodeInfo)).one()
        prev_hash = info.audit_head_hash or GENESIS
        seq = info.audit_head_seq
        rows = []
        for item in self._pending_audit:
            seq += 1
            item["node"] = info.code
            item["node_seq"] = seq
            # Each document is encoded to canonical JSON once: hashed in the payload, and stored (compressed).
            before = None if item["before"] is None else canonical_json(item["before"])
            after = None if item["after"] is None else canonical_json(item["after"])
            item["hash"] = prev_hash = text_hash(prev_hash, payload_text(item, before, after))
            item["before"], item["after"] = encode_document_text(before), encode_document_text(after)
            rows.append(item)
        bulk_insert(self.session.connection(), AuditEntry.__table__, rows)
        info.audit_head_seq = seq
        info.audit_head_hash = prev_hash
        # Every stamp this unit issued is audited, so the clock is kept here, in the same transaction
        # (it survives a restart; a second commit per change just for the clock is not needed).
        assert self.db.clock is not None
        if self.db.clock.last > (info.clock or ""):
            info.clock = self.db.clock.last
        self._pending_audit.clear()
