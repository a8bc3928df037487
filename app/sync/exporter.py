"""Export: the changes a peer has not confirmed yet, as one signed and encrypted package.

The change feed is the audit trail: every entry with a local ``seq`` above what the peer acknowledged (its
last receipt) and from a chain the peer should hold. Up the tree (to the parent) that is our own chain and
everything relayed from below; down the tree (to a child) our chain and those of our ancestors (reference
data, reassignments). Entries keep their original node, stamp and hash: applied remote changes are relayed,
never re-stamped as ours. Receipts for the peer's packages and the directory ride along.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.audit import GENESIS, WITHHELD
from app.audit_codec import document_text, stored
from app.domain.models import AuditEntry
from app.ids import new_id
from app.storage.database import Database
from app.storage.migrate import head_revision
from app.sync import anchor, fork, keys, package
from app.sync.errors import SyncError
from app.sync.models import SyncReceipt

# ``before_json``/``after_json`` travel as the canonical JSON text stored in the database (inflated, not
# parsed and encoded again; the importer parses them once, for the hash check). ``prev_hash`` is not stored:
# it is the hash of the chain's previous entry, filled in by ``_PreviousHashes``.
ENTRY_COLUMNS = (
    "id", "node", "node_seq", "actor", "at", "action", "entity", "entity_id", "hlc", "before_json", "after_json",
    "note", "prev_hash", "hash",
)  # fmt: skip
_RAW = {"before_json": stored(AuditEntry.before), "after_json": stored(AuditEntry.after)}
_SELECTED = [c for c in ENTRY_COLUMNS if c != "prev_hash"]
RECEIPTS_PER_PACKAGE = 20


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer: str
    seq: int
    from_seq: int
    to_seq: int
    entries: int
    receipts: int
    bytes: int
    warnings: tuple[dict[str, str], ...] = ()  # e.g. this database was restored and has not healed yet


def chain_filter(session: Session, me: str, peer: str) -> Any:
    """Which audit chains go to ``peer``: a SQL condition on ``AuditEntry.node``. Up the tree every chain but
    the peer's and its ancestors'; down the tree our chain and our ancestors' (see ``withheld_filter``)."""
    my_parent = keys.parent_of(session, me)
    if peer == my_parent:
        return AuditEntry.node.not_in([peer, *keys.ancestors(session, peer)])
    if keys.parent_of(session, peer) == me:
        return AuditEntry.node.in_([me, *keys.ancestors(session, me)])
    raise SyncError(
        f"节点 {peer} 既不是本机的上级也不是下级。", f"Node {peer} is neither this node's parent nor a child."
    )


def withheld_filter(session: Session, me: str, peer: str) -> Any:
    """Entries sent to ``peer`` as hash stubs only: down the tree, those about rows made neither above us nor
    inside the child's own subtree. What the city changed in township A's households never reaches township B
    (data minimisation: B has no business holding A's personal data, not even in an audit entry), yet B's copy
    of the city's chain stays continuous. Stubs held here are passed on as stubs."""
    if keys.parent_of(session, peer) != me:
        return false()
    above = [me, *keys.ancestors(session, me)]
    allowed_origins = [*above, *keys.subtree(session, peer)]
    created = aliased(AuditEntry)
    foreign_row = (
        select(created.seq)
        .where(
            created.entity == AuditEntry.entity,
            created.entity_id == AuditEntry.entity_id,
            created.action == "create",
            created.node.not_in(allowed_origins),
        )
        .exists()
    )
    return or_(AuditEntry.action == WITHHELD, foreign_row)


def _stub(values: list[Any]) -> list[Any]:
    """An entry reduced to what keeps the chain verifiable: id, node, sequence number, time, stamp, hashes."""
    keep = _STUB_KEEP
    return [v if keep[i] else _STUB_BLANK[i] for i, v in enumerate(values)]


_STUB_KEEP = [c in ("id", "node", "node_seq", "at", "hlc", "prev_hash", "hash") for c in ENTRY_COLUMNS]
_STUB_BLANK: list[Any] = [{"actor": "", "action": WITHHELD, "entity": ""}.get(c) for c in ENTRY_COLUMNS]


def _columns() -> list[Any]:
    return [_RAW[c] if c in _RAW else getattr(AuditEntry, c) for c in _SELECTED]


_AT = ENTRY_COLUMNS.index("at")
_PREV = ENTRY_COLUMNS.index("prev_hash")
_NODE, _NODE_SEQ, _HASH = (_SELECTED.index(c) for c in ("node", "node_seq", "hash"))
_DOCUMENTS = [ENTRY_COLUMNS.index(c) for c in _RAW]


class _PreviousHashes:
    """Each entry's ``prev_hash``: the hash of the entry before it in its chain — the one sent just before
    (a package holds a chain's entries in order), else looked up once (the first of each chain)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.last: dict[str, tuple[int, str]] = {}

    def before(self, node: str, node_seq: int, own_hash: str) -> str:
        held = self.last.get(node)
        if held is not None and held[0] == node_seq - 1:
            prev = held[1]
        elif node_seq == 1:
            prev = GENESIS
        else:
            # None only when the entry before is gone from this database: an empty previous hash makes the
            # receiver refuse the chain, as ``audit verify`` here reports it.
            prev = (
                self.session.scalar(
                    select(AuditEntry.hash).where(AuditEntry.node == node, AuditEntry.node_seq == node_seq - 1)
                )
                or ""
            )
        self.last[node] = (node_seq, own_hash)
        return prev


def _travelling(row: Any, previous: _PreviousHashes) -> list[Any]:
    values = list(row)
    values.insert(_PREV, previous.before(row[_NODE], row[_NODE_SEQ], row[_HASH]))
    values[_AT] = values[_AT].isoformat()
    for i in _DOCUMENTS:
        values[i] = document_text(values[i])
    return values


def collect(session: Session, me: str, peer: str, since: int) -> tuple[list[list[Any]], int]:
    to_seq = session.scalar(select(func.max(AuditEntry.seq))) or 0
    columns = _columns()
    withheld = withheld_filter(session, me, peer).label("withheld")
    rows = session.execute(
        select(*columns, withheld)
        .where(AuditEntry.seq > since, AuditEntry.seq <= to_seq, chain_filter(session, me, peer))
        .order_by(AuditEntry.seq)
    ).all()
    out = []
    previous = _PreviousHashes(session)
    for row in rows:
        values = _travelling(row[:-1], previous)
        out.append(_stub(values) if row[-1] else values)
    return out, to_seq


def returned_entries(session: Session, me: str, peer: str) -> list[list[Any]]:
    """A child's own entries that it lost by a restore: once we saw its chain rewound (a package refused as
    diverged, or a signed head behind the chain we hold — our newest receipt to it says from where), each
    package to it returns its chain from there, with its own signed head of them, so it can take them back
    and continue on a fork (``app.sync.fork``). Only the child's own chain, to that child only."""
    if keys.parent_of(session, peer) != me:
        return []
    newest = session.scalars(
        select(SyncReceipt)
        .where(SyncReceipt.direction == "out", SyncReceipt.peer == peer)
        .order_by(SyncReceipt.number.desc())
        .limit(1)
    ).first()
    start = (newest.counts or {}).get("returns_from") if newest is not None else None
    if not isinstance(start, int):
        return []
    rows = session.execute(
        select(*_columns()).where(AuditEntry.node == peer, AuditEntry.node_seq >= start).order_by(AuditEntry.node_seq)
    ).all()
    previous = _PreviousHashes(session)
    return [_travelling(row, previous) for row in rows]


def export_package(db: Database, peer: str, out: Path | str, *, since: int | None = None) -> ExportResult:
    """Write the package for ``peer`` into the folder ``out`` (or to the file ``out``); atomic."""
    out = Path(out)
    with db.session() as s, s.begin():
        me = keys.own_node(s).code
        key = keys.signing_key(s)
        target = keys.peer_cert(s, peer)
        state = keys.ensure_peer(s, peer)
        start = state.acked_upto if since is None else since
        entries, to_seq = collect(s, me, peer, start)
        returned = returned_entries(s, me, peer)
        entries += returned
        # Receipts not carried back yet, and always the newest one (it tells the peer where we stand).
        receipts = list(
            s.scalars(
                select(SyncReceipt)
                .where(SyncReceipt.direction == "out", SyncReceipt.peer == peer)
                .order_by(SyncReceipt.sent_in.is_(None).desc(), SyncReceipt.number.desc())
                .limit(RECEIPTS_PER_PACKAGE)
            )
        )
        receipts = sorted({r.id: r for r in receipts if r.sent_in is None or r is receipts[0]}.values(),
                          key=lambda r: r.number)  # fmt: skip
        state.out_seq += 1
        header: dict[str, Any] = {
            "package_id": new_id(),
            "sender": me,
            "sender_key": key.key_no,
            "recipients": [peer],
            "seq": state.out_seq,
            "from_seq": start,
            "to_seq": to_seq,
            "schema": head_revision(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "entries": len(entries),
        }
        payload = {
            "manifest": {k: header[k] for k in package.MANIFEST_FIELDS},
            "entry_columns": list(ENTRY_COLUMNS),
            "entries": entries,
            "receipts": [receipt_to_dict(r) for r in receipts],
            "directory": keys.directory(s),
            "heads": _signed_heads(s, me, peer) + (anchor.heads_for(s, [peer]) if returned else []),
        }
        data = package.build(header, payload, target.age_recipient, lambda b: keys.sign_bytes(key, b))
        path = _free_name(out, package.file_name(me, peer, state.out_seq)) if out.is_dir() else out
        _write_atomic(path, data)
        for r in receipts:
            r.sent_in = r.sent_in or header["package_id"]
        state.last_export_at = datetime.now(UTC)
        rewound = fork.rewound(s, me, peer)
    return ExportResult(path, peer, header["seq"], start, to_seq, len(entries), len(receipts), len(data),
                        (rewound,) if rewound else ())  # fmt: skip


def _signed_heads(s: Session, me: str, peer: str) -> list[dict[str, Any]]:
    """Our chain head, signed now, and the newest heads held for the other chains this package carries."""
    relayed = keys.ancestors(s, me) if keys.parent_of(s, peer) == me else keys.subtree(s, me)[1:]
    own = anchor.own_head(s)
    return [*([own] if own else []), *anchor.heads_for(s, relayed)]


def receipt_to_dict(r: SyncReceipt) -> dict[str, Any]:
    return {
        "number": r.number,
        "package_id": r.package_id,
        "package_seq": r.package_seq,
        "status": r.status,
        "applied_upto": r.applied_upto,
        "counts": r.counts,
        "issued_at": r.issued_at.isoformat(),
        "ack": r.ack,
    }


def _free_name(folder: Path, name: str) -> Path:
    """Never overwrite a package already in the folder: after a restore the package numbers start again from
    the backup's, and the older file with the same number may hold the only copy of the edits the restore lost.
    The importer orders packages by their header, not their file name."""
    path = folder / name
    stem = name.removesuffix(package.SUFFIX)
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{package.SUFFIX}"
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SyncError(
            f"无法写入同步包：{exc.strerror or '写入失败'}。", f"Cannot write the package: {exc.strerror or exc}."
        ) from None
