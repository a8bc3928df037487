"""The sync tables (revision 0002_sync): own keys, trusted certificates, per-peer counters, receipts, the
import log, the conflict queue and the quarantine. None of them is synced as data; they describe sync itself.

Private keys live here, i.e. inside the SQLCipher-encrypted database, never in a side file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.models import Base, utcnow


class SyncKey(Base):
    """One generation of this node's keys: Ed25519 signing key and age X25519 identity. The newest
    unretired one signs and is advertised; retired ones still decrypt packages already in transit."""

    __tablename__ = "sync_key"
    key_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sign_private: Mapped[str] = mapped_column(String(64))  # raw Ed25519 private key, hex
    sign_public: Mapped[str] = mapped_column(String(64))  # hex
    age_identity: Mapped[str] = mapped_column(String(100))  # AGE-SECRET-KEY-1…
    age_recipient: Mapped[str] = mapped_column(String(100))  # age1…
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()


class SyncCert(Base):
    """A certificate of the peer directory: ``body`` (canonical JSON: code, name, role, parent, keys, key_no,
    issuer, issued_at, revoked) signed by the issuer. The root (municipal) certificate is self-signed."""

    __tablename__ = "sync_cert"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    key_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(12))
    parent: Mapped[str | None] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(Text)
    signature: Mapped[str] = mapped_column(String(128))  # hex
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revocation: Mapped[str | None] = mapped_column(Text)  # the signed revocation statement, JSON
    is_root: Mapped[bool] = mapped_column(Boolean, default=False)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncPeerState(Base):
    """Counters for one peer this node exchanges packages with (its parent or a child)."""

    __tablename__ = "sync_peer_state"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    out_seq: Mapped[int] = mapped_column(Integer, default=0)  # last package number sent to the peer
    acked_upto: Mapped[int] = mapped_column(BigInteger, default=0)  # our audit seq the peer has confirmed
    ack_receipt_no: Mapped[int] = mapped_column(BigInteger, default=0)  # newest receipt number of the peer seen
    in_seq: Mapped[int] = mapped_column(Integer, default=0)  # newest package number applied from the peer
    in_upto: Mapped[int] = mapped_column(BigInteger, default=0)  # the peer's audit seq applied here
    receipts_issued: Mapped[int] = mapped_column(BigInteger, default=0)  # last receipt number issued
    last_export_at: Mapped[datetime | None] = mapped_column()
    last_import_at: Mapped[datetime | None] = mapped_column()


class SyncReceipt(Base):
    """A receipt: issued here for a package from ``peer`` (direction "out", travels back to it), or received
    from ``peer`` about one of our packages (direction "in")."""

    __tablename__ = "sync_receipt"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    direction: Mapped[str] = mapped_column(String(3))
    peer: Mapped[str] = mapped_column(String(12))
    # Per issuer and peer, increasing; milliseconds-based so a database restored from a backup still issues
    # numbers above the ones it issued before the loss.
    number: Mapped[int] = mapped_column(BigInteger)
    package_id: Mapped[str] = mapped_column(String(36))
    package_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))  # applied / duplicate / gap / schema / wrong_recipient
    applied_upto: Mapped[int] = mapped_column(BigInteger)  # sender's audit seq held by the receiver
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_in: Mapped[str | None] = mapped_column(String(36))  # package id that carried it back
    # The receiver's signed acknowledgement of the sender's chain head (see ``anchor``), if it applied one.
    ack: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    __table_args__ = (Index("ix_sync_receipt_peer", "direction", "peer", "number"),)


class SyncImportLog(Base):
    """Every import attempt, refused ones included, with its DHIS2-style summary."""

    __tablename__ = "sync_import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(255))
    sender: Mapped[str | None] = mapped_column(String(12))
    package_id: Mapped[str | None] = mapped_column(String(36))
    package_seq: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    __table_args__ = (Index("ix_sync_import_log_package", "package_id"),)


class SyncConflict(Base):
    """The queue a person works through: a losing field value (kind "field"), an edit meeting a delete
    ("delete"), a business rule broken after a merge ("rule") or one resident ID in two townships ("dup_id")."""

    __tablename__ = "sync_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(12))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    field: Mapped[str | None] = mapped_column(String(60))
    winner_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    winner_hlc: Mapped[str | None] = mapped_column(String(40))
    loser_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    loser_hlc: Mapped[str | None] = mapped_column(String(40))
    loser_node: Mapped[str | None] = mapped_column(String(12))
    loser_actor: Mapped[str | None] = mapped_column(String(100))
    loser_at: Mapped[datetime | None] = mapped_column()
    rule: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    package_id: Mapped[str | None] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / resolved
    resolution: Mapped[str | None] = mapped_column(String(20))  # keep / take / dismiss
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column()
    __table_args__ = (Index("ix_sync_conflict_status", "status", "kind"),)


class SyncQuarantine(Base):
    """A remote change not applied because its clock stamp lies beyond the skew limit (a PC with a wrong
    date). The audit entry itself is stored (the chain stays whole); the change waits here for a person."""

    __tablename__ = "sync_quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    audit_id: Mapped[str] = mapped_column(String(36))
    node: Mapped[str] = mapped_column(String(12))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36))
    hlc: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(20))  # clock_skew
    package_id: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(10), default="held")  # held / released / dropped


class SyncAlias(Base):
    """Two nodes created the same natural row (a region of the same division code, one household's income
    for the same year) under different ids: the remote id is an alias of ours, and every reference to it in
    later packages is read as ours."""

    __tablename__ = "sync_alias"
    remote_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    local_id: Mapped[str] = mapped_column(String(36))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncAbsent(Base):
    """A row named in received audit entries that this node does not hold: its parents are not ours (another
    township's household in the county's chain) or its change waits in the quarantine. ``audit verify``
    reads this so such entries are not taken for rows removed behind the program's back."""

    __tablename__ = "sync_absent"
    entity_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(20))  # not_held / quarantined


class SyncAnchor(Base):
    """A signed statement that a chain read (node, seq, hash): a chain head signed by its own node (kind
    "head", carried in packages, kept by everyone who holds that chain) or a peer's acknowledgement of our
    head (kind "ack", carried back in receipts). ``audit verify`` checks the trail against every one of them;
    the signature (by ``signer``'s key ``key_no``) means a rewrite cannot simply update them too."""

    __tablename__ = "sync_anchor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(4))  # head / ack
    node: Mapped[str] = mapped_column(String(12))  # whose chain
    seq: Mapped[int] = mapped_column(BigInteger)  # node_seq of the head
    hash: Mapped[str] = mapped_column(String(64))
    signer: Mapped[str] = mapped_column(String(12))
    key_no: Mapped[int] = mapped_column(Integer)
    signed_at: Mapped[str] = mapped_column(String(40))  # as signed (ISO text)
    signature: Mapped[str] = mapped_column(String(128))  # hex
    __table_args__ = (Index("ix_sync_anchor_node", "node", "seq"),)


def row_identities(session: Any) -> tuple[dict[str, str], set[str]]:
    """For ``audit verify``: remote ids read as ours (aliases), and ids of rows deliberately not held here."""
    from sqlalchemy import select

    aliases = {remote: local for remote, local in session.execute(select(SyncAlias.remote_id, SyncAlias.local_id))}
    absent = set(session.scalars(select(SyncAbsent.entity_id)))
    return aliases, absent


SYNC_TABLES = [
    SyncAbsent,
    SyncAnchor,
    SyncAlias,
    SyncKey,
    SyncCert,
    SyncPeerState,
    SyncReceipt,
    SyncImportLog,
    SyncConflict,
    SyncQuarantine,
]
