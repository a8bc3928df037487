"""Reading and working the sync state: per-peer status, the conflict queue and the quarantine.

Resolving a conflict is audited: "take" applies the losing value through ``UnitOfWork`` (so it is stamped
and travels on like any local edit), "keep" and "dismiss" record an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from app.domain.models import MODEL_BY_TABLE, AuditEntry
from app.domain.serialize import dict_to_values
from app.errors import NotFound, ValidationError
from app.services.uow import UnitOfWork
from app.storage.database import Database
from app.sync import keys
from app.sync.models import SyncCert, SyncConflict, SyncPeerState, SyncQuarantine, SyncReceipt


@dataclass(frozen=True)
class PeerStatus:
    code: str
    name: str
    role: str
    relation: str  # parent / child
    revoked: bool
    last_import_at: datetime | None
    last_export_at: datetime | None
    packages_in: int
    packages_out: int
    unconfirmed_changes: int  # our audit entries the peer has not confirmed (export again if > 0)
    receipts_to_send: int  # receipts for its packages not yet carried back


@dataclass(frozen=True)
class Status:
    node: str
    role: str
    fingerprint: str | None
    peers: list[PeerStatus]
    open_conflicts: int
    held_quarantine: int


def status(db: Database) -> Status:
    with db.session() as s:
        me = keys.own_node(s)
        own = keys.own_cert(s)
        top = s.scalar(select(func.max(AuditEntry.seq))) or 0
        my_parent = keys.parent_of(s, me.code)
        peers = []
        for state in s.scalars(select(SyncPeerState).order_by(SyncPeerState.code)):
            cert = s.scalars(
                select(SyncCert).where(SyncCert.code == state.code).order_by(SyncCert.key_no.desc())
            ).first()
            name = keys.Cert.from_body(cert.body).name if cert else state.code
            to_send = s.scalar(
                select(func.count()).where(
                    SyncReceipt.direction == "out", SyncReceipt.peer == state.code, SyncReceipt.sent_in.is_(None)
                )
            )
            peers.append(
                PeerStatus(
                    state.code, name, cert.role if cert else "", "parent" if state.code == my_parent else "child",
                    bool(cert and cert.revoked), state.last_import_at, state.last_export_at, state.in_seq,
                    state.out_seq, max(0, top - state.acked_upto), int(to_send or 0),
                )
            )  # fmt: skip
        conflicts = s.scalar(select(func.count()).where(SyncConflict.status == "open"))
        held = s.scalar(select(func.count()).where(SyncQuarantine.status == "held"))
        return Status(me.code, me.role, keys.fingerprint(own.sign_public) if own else None, peers, int(conflicts or 0),
                      int(held or 0))  # fmt: skip


def conflicts(db: Database, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    with db.session() as s:
        query = select(SyncConflict).order_by(SyncConflict.id)
        if not include_resolved:
            query = query.where(SyncConflict.status == "open")
        return [{c.key: getattr(row, c.key) for c in SyncConflict.__table__.columns} for row in s.scalars(query)]


def resolve(db: Database, conflict_id: int, choice: str) -> None:
    """``keep`` the applied value, ``take`` the losing one (field conflicts), or ``dismiss`` (rules, deletes)."""
    if choice not in ("keep", "take", "dismiss"):
        raise ValidationError("处理方式应为 keep、take 或 dismiss。", "The choice must be keep, take or dismiss.")
    with UnitOfWork(db) as uow:
        row = uow.session.get(SyncConflict, conflict_id)
        if row is None or row.status != "open":
            raise NotFound(f"没有待处理的冲突 {conflict_id}。", f"No open conflict {conflict_id}.")
        if choice == "take":
            if row.kind != "field" or row.field is None or row.entity_id is None:
                raise ValidationError(
                    "只有字段冲突可以采用另一方的值。", "Only field conflicts can take the other value."
                )
            model = MODEL_BY_TABLE[row.entity]
            obj = uow.session.get(model, row.entity_id)
            if obj is None:
                raise NotFound("冲突涉及的记录不存在。", "The record of the conflict does not exist.")
            uow.update(obj, note=f"sync conflict {row.id}", **dict_to_values(model, {row.field: row.loser_value}))
        uow.event("conflict_" + choice, "sync_conflict", str(row.id),
                  after={"entity": row.entity, "entity_id": row.entity_id, "field": row.field})  # fmt: skip
        row.status = "resolved"
        row.resolution = choice
        row.resolved_by = uow.actor
        row.resolved_at = datetime.now(UTC)


def quarantine(db: Database) -> list[dict[str, Any]]:
    with db.session() as s:
        return [
            {c.key: getattr(row, c.key) for c in SyncQuarantine.__table__.columns}
            for row in s.scalars(select(SyncQuarantine).order_by(SyncQuarantine.id))
        ]
