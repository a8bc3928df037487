"""A node restored from a backup continues on a declared fork (issue 9, point 5; docs/SYNC.md).

After a restore, a township's chain is behind what its parent acknowledged, and its new edits reuse entry
numbers the parent holds for the changes the restore lost. The parent refuses such a package (``Diverged``),
answers with a receipt carrying its signed acknowledgement of the head it holds, and returns the lost entries
of the child's own chain in its next package (``exporter.returned_entries``). Here, at the child:

- ``prepare`` (before the merge): the returned entries continue our chain from the last entry both sides hold
  and end at the head our parent signed; then our entries made after the restore are taken out of the way, so
  the merge stores the returned ones and applies their changes per field as any other change.
- ``append`` (after the merge): a ``fork`` entry after the acknowledged head names the head it continues and
  the local head it abandons, and our edits made after the restore follow it — same ids, changes and stamps,
  new numbers and hashes. The parent's next import then sees one continuous chain.

Nothing is forked without the parent's signed acknowledgement of the returned head: a divergence that is not
declared this way is still refused, and a rewrite of synced history is still reported by ``audit verify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.audit import GENESIS, chain_head, entry_hash, entry_payload
from app.domain.models import AuditEntry, AuditVerifiedHead, NodeInfo
from app.ids import new_id
from app.storage.database import Database, bulk_insert
from app.sync import keys
from app.sync.anchor import ACK, HEAD
from app.sync.models import SyncAnchor

FORK = "fork"  # the action of the entry that declares the fork
_KEPT = ("id", "actor", "at", "action", "entity", "entity_id", "hlc", "before", "after", "note")


@dataclass
class Branch:
    """Our entries made after the restore, set aside until the returned entries are merged."""

    parent: str
    first: int  # the first of our entry numbers that differed from the returned ones
    abandoned_seq: int
    abandoned_hash: str
    entries: list[dict[str, Any]]


def prepare(session: Session, me: str, sender: str, entries: list[dict[str, Any]], heads: list[Any]) -> Branch | None:
    """Set our diverging entries aside when ``sender`` (our parent) returned our own chain up to a head we
    signed ourselves (the parent cannot make up our history). ``None`` when there is nothing to fork (the
    merge then decides: returned entries that simply continue our chain are taken, a divergence is refused).
    The head's signature is checked with every other head after the merge (``anchor.take_heads``): a forged
    one refuses the whole package, so nothing set aside here is kept."""
    own = sorted((e for e in entries if e["node"] == me), key=lambda e: e["node_seq"])
    if not own or keys.parent_of(session, me) != sender or not _signed_by_us(me, own[-1], heads):
        return None
    start = own[0]["node_seq"]
    held_before = session.scalar(
        select(AuditEntry.hash).where(AuditEntry.node == me, AuditEntry.node_seq == start - 1)
    ) or (GENESIS if start == 1 else None)
    if own[0]["prev_hash"] != held_before:
        return None
    local = list(
        session.scalars(select(AuditEntry).where(AuditEntry.node == me, AuditEntry.node_seq >= start)
                        .order_by(AuditEntry.node_seq))
    )  # fmt: skip
    returned = {e["node_seq"]: e["hash"] for e in own}
    # Only a difference inside the returned range is a divergence: entries beyond it that we made since are
    # simply newer than what the parent returned (a late, older package of ours made it look behind).
    diverging = [e for e in local if e.node_seq in returned and returned[e.node_seq] != e.hash]
    if not diverging:
        return None  # nothing made here since the restore: the returned entries simply continue our chain
    first = diverging[0].node_seq
    diverging = [e for e in local if e.node_seq >= first]
    branch = Branch(sender, first, diverging[-1].node_seq, diverging[-1].hash,
                    [{c: getattr(e, c) for c in _KEPT} for e in diverging])  # fmt: skip
    session.execute(delete(AuditEntry).where(AuditEntry.node == me, AuditEntry.node_seq >= first))
    session.execute(delete(AuditVerifiedHead).where(AuditVerifiedHead.node == me, AuditVerifiedHead.node_seq >= first))
    return branch


def lost_from(session: Session, head: dict[str, Any]) -> int | None:
    """At the parent: the first entry of a child's chain that the child no longer holds, when the head it
    signed is behind the chain we hold for it (restored from a backup without editing since); else None."""
    held, _ = chain_head(session, head["node"])
    return int(head["seq"]) + 1 if held > int(head["seq"]) else None


def _signed_by_us(me: str, last: dict[str, Any], heads: list[Any]) -> bool:
    """The package carries our own signed head for exactly the last returned entry (the parent kept it from
    the package that first brought that entry)."""
    return any(
        isinstance(h, dict) and h.get("kind") == HEAD and h.get("node") == me and h.get("signer") == me
        and h.get("seq") == last["node_seq"] and h.get("hash") == last["hash"]
        for h in heads
    )  # fmt: skip


def append(db: Database, session: Session, sender: str, branch: Branch | None) -> dict[str, str] | None:
    """After the merge: the fork entry and our set-aside entries after the returned head; our node's head
    follows the chain as it now stands. Returns the officer's message when a fork was made."""
    info = session.scalars(select(NodeInfo)).one()
    seq, prev = chain_head(session, info.code)
    if branch is None:
        if seq <= info.audit_head_seq:  # only ever forward: a cut tail must still show in ``audit verify``
            return None
        info.audit_head_seq, info.audit_head_hash = seq, prev  # returned entries simply continued our chain
        return recovered_message(sender, seq)
    assert db.clock is not None
    fork = {
        "id": new_id(), "actor": db.actor, "at": datetime.now(UTC), "action": FORK, "entity": "audit_entry",
        "entity_id": None, "hlc": db.clock.now(),
        "before": {"seq": branch.abandoned_seq, "hash": branch.abandoned_hash},
        "after": {"continues": {"seq": seq, "hash": prev}, "acknowledged_by": branch.parent,
                  "abandoned": {"from": branch.first, "to": branch.abandoned_seq}, "rebased": len(branch.entries)},
        "note": "restored from a backup: continues after the head the parent acknowledged",
    }  # fmt: skip
    rows = []
    for item in [fork, *branch.entries]:
        seq += 1
        row = {**item, "node": info.code, "node_seq": seq}
        row["hash"] = prev = entry_hash(prev, entry_payload(_Row(row)))
        rows.append(row)
    bulk_insert(session.connection(), AuditEntry.__table__, rows)
    info.audit_head_seq, info.audit_head_hash = seq, prev
    if db.clock.last > (info.clock or ""):
        info.clock = db.clock.last
    return forked_message(branch, fork_seq=rows[0]["node_seq"])


class _Row:
    """A dict seen through attributes, as ``entry_payload`` reads an entry."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def rewound(session: Session, me: str, peer: str) -> dict[str, str] | None:
    """At export: the newest acknowledgement ``peer`` signed of our chain names an entry we do not hold as it
    was — this database was restored from a backup and has not healed yet. The officer's message, or None."""
    newest = session.execute(
        select(SyncAnchor.seq, SyncAnchor.hash)
        .where(SyncAnchor.kind == ACK, SyncAnchor.node == me, SyncAnchor.signer == peer)
        .order_by(SyncAnchor.seq.desc())
        .limit(1)
    ).first()
    if newest is None:
        return None
    held = session.scalar(select(AuditEntry.hash).where(AuditEntry.node == me, AuditEntry.node_seq == newest[0]))
    return None if held == newest[1] else rewound_message(peer)


def rewound_message(peer: str) -> dict[str, str]:
    return {
        "kind": "rewound",
        "zh": f"本机数据库可能从备份恢复过：{peer} 已确认收到的本机记录比本机现有的多或不同。恢复后新录入的修改仍在本机。"
        f"请照常导出同步包交 {peer} 导入，再导入 {peer} 回发的同步包：丢失的记录会取回，本机修改接续其后，不会丢失。",
        "en": f"This database was probably restored from a backup: {peer} confirmed more of this node's records "
        f"than it holds now, or different ones. Edits made since the restore are safe here. Export as usual and "
        f"import the package on {peer}, then import {peer}'s answer: the lost records come back and this node's "
        "edits continue after them, none lost.",
    }


def recovered_message(parent: str, seq: int) -> dict[str, str]:
    return {
        "kind": "recovered",
        "zh": f"本机曾从备份恢复：已从 {parent} 取回恢复后缺失的记录（本机审计链现到第 {seq} 条），没有修改丢失。",
        "en": f"This database was restored from a backup: the records it lost came back from {parent} (this "
        f"node's audit chain now ends at entry {seq}); no edit was lost.",
    }


def forked_message(branch: Branch, *, fork_seq: int) -> dict[str, str]:
    parent, kept = branch.parent, len(branch.entries)
    return {
        "kind": "forked",
        "zh": f"本机曾从备份恢复：已从 {parent} 取回恢复后缺失的记录，恢复后新录入的 {kept} 条修改已接在其后"
        f"（第 {fork_seq} 条起为接续记录），没有修改丢失。请再导出一次同步包交 {parent} 导入。",
        "en": f"This database was restored from a backup: the records it lost came back from {parent}, and the "
        f"{kept} changes made since the restore now follow them (the chain continues at entry {fork_seq}); no "
        f"edit was lost. Export once more and import the package on {parent}.",
    }
