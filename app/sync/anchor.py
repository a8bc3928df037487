"""Anchoring the audit chains: signed chain heads and signed acknowledgements (issue 9, point 6).

A hash chain alone can be rewritten by anyone who holds the password: change an entry, re-hash everything
after it. So every node signs its chain head — the statement (node, seq, hash), independent of how entries
are laid out — with the Ed25519 key the directory certifies, and every package carries the sender's head and
the newest heads it holds for the chains it relays. The receiver checks the head against the chain it now
holds, keeps it, and answers in its receipt with its own signed acknowledgement of that head; the sender keeps
the acknowledgements it receives. ``audit verify`` (``problems``) then compares the trail with every head and
acknowledgement held: history that was synced cannot be rewritten unseen, here or at the receiver.

What stays undetectable: entries that were never synced (no peer saw them), and a rewrite that also deletes
the anchors here — the peer still holds its copy and its own anchors, so comparing with it shows the rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit import canonical_json
from app.domain.models import AuditEntry, NodeInfo
from app.sync import keys
from app.sync.errors import PackageRefused
from app.sync.models import SyncAnchor, SyncCert

HEAD, ACK = "head", "ack"


def statement(kind: str, node: str, seq: int, hash_: str, signer: str, signed_at: str) -> bytes:
    """The signed bytes: only (node, seq, head hash) and who says so when — never an entry's layout."""
    return canonical_json(
        {"type": f"bangfu-chain-{kind}", "node": node, "seq": seq, "hash": hash_, "signer": signer, "at": signed_at}
    ).encode()


def _sign(session: Session, kind: str, node: str, seq: int, hash_: str) -> dict[str, Any]:
    me = keys.own_node(session).code
    key = keys.signing_key(session)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    signature = keys.sign_bytes(key, statement(kind, node, seq, hash_, me, at)).hex()
    return {"kind": kind, "node": node, "seq": seq, "hash": hash_, "signer": me, "key_no": key.key_no,
            "signed_at": at, "signature": signature}  # fmt: skip


def own_head(session: Session) -> dict[str, Any] | None:
    """This node's chain head, signed now (None before the first change)."""
    info = session.scalars(select(NodeInfo)).one()
    if not info.audit_head_seq:
        return None
    return _sign(session, HEAD, info.code, info.audit_head_seq, info.audit_head_hash)


def heads_for(session: Session, nodes: list[str]) -> list[dict[str, Any]]:
    """The newest signed head held for each of ``nodes`` (relayed with their chains)."""
    out = []
    for node in nodes:
        row = session.scalars(
            select(SyncAnchor).where(SyncAnchor.kind == HEAD, SyncAnchor.node == node).order_by(SyncAnchor.seq.desc())
        ).first()
        if row is not None:
            out.append(_as_dict(row))
    return out


def acknowledge(session: Session, head: dict[str, Any]) -> dict[str, Any]:
    """Our signed acknowledgement of a head we hold (it travels back in the receipt)."""
    return _sign(session, ACK, head["node"], head["seq"], head["hash"])


_FIELDS = ("kind", "node", "seq", "hash", "signer", "key_no", "signed_at", "signature")


def _as_dict(row: SyncAnchor) -> dict[str, Any]:
    return {c: getattr(row, c) for c in _FIELDS}


def _signature_ok(session: Session, item: dict[str, Any]) -> bool:
    cert = session.get(SyncCert, (item["signer"], item["key_no"]))
    if cert is None:
        return False
    data = statement(item["kind"], item["node"], item["seq"], item["hash"], item["signer"], item["signed_at"])
    try:
        signature = bytes.fromhex(item["signature"])
    except ValueError:
        return False
    return keys.signature_ok(keys.Cert.from_body(cert.body).sign_public, signature, data)


def _held_hash(session: Session, node: str, seq: int) -> str | None:
    return session.scalar(select(AuditEntry.hash).where(AuditEntry.node == node, AuditEntry.node_seq == seq))


def _valid(item: Any, kind: str) -> bool:
    fields = {"kind": str, "node": str, "seq": int, "hash": str, "signer": str, "key_no": int,
              "signed_at": str, "signature": str}  # fmt: skip
    return (
        isinstance(item, dict)
        and all(isinstance(item.get(k), t) and not isinstance(item.get(k), bool) for k, t in fields.items())
        and item["kind"] == kind
    )


def _refused(zh: str, en: str) -> PackageRefused:
    return PackageRefused(
        "anchor",
        f"{zh}本包未导入任何内容；请把该包交给上级核查。",
        f"{en} Nothing was applied; hand the package to the level above for review.",
    )


def take_heads(session: Session, heads: list[Any]) -> None:
    """After the merge: each signed head must be signed by its own node and match the chain held here."""
    for item in heads:
        if not _valid(item, HEAD) or item["signer"] != item["node"] or not _signature_ok(session, item):
            raise _refused("链头签名无效。", "a chain head's signature does not verify.")
        held = _held_hash(session, item["node"], item["seq"])
        if held is None:
            continue  # a chain we do not hold (up to there): nothing to compare, nothing to keep
        if held != item["hash"]:
            raise _refused(
                f"节点 {item['node']} 签署的链头（第 {item['seq']} 条）与本机保存的审计链不符。",
                f"the chain head node {item['node']} signed (entry {item['seq']}) differs from the chain held here.",
            )
        _keep(session, item)


def take_ack(session: Session, peer: str, item: Any) -> bool:
    """An acknowledgement of our head that came back in a receipt (signed by the peer). False when it is not
    about our chain as it stands (we lack that entry or hold another: restored from a backup); it is kept
    anyway, as the peer's word of what it saw."""
    me = keys.own_node(session).code
    if not _valid(item, ACK) or item["signer"] != peer or item["node"] != me or not _signature_ok(session, item):
        raise _refused("回执中的确认签名无效。", "the acknowledgement in a receipt does not verify.")
    _keep(session, item)
    return _held_hash(session, me, item["seq"]) == item["hash"]


def _keep(session: Session, item: dict[str, Any]) -> None:
    """Store an anchor unless the same signer already vouched for this chain at or beyond it (a late, older
    package adds nothing)."""
    newer = session.scalar(
        select(func.count()).where(
            SyncAnchor.kind == item["kind"], SyncAnchor.node == item["node"], SyncAnchor.signer == item["signer"],
            SyncAnchor.seq >= item["seq"],
        )
    )  # fmt: skip
    if not newer:
        session.add(SyncAnchor(**{k: item[k] for k in _FIELDS}))


@dataclass(frozen=True)
class AnchorProblem:
    node: str
    first: int
    last: int
    signer: str
    signed_at: str
    zh: str
    en: str


def problems(session: Session) -> list[AnchorProblem]:
    """History that differs from what a signed head or a peer's acknowledgement says it was.

    Per chain and signer, anchors in order: the last one that still matches and the first that does not
    bound the rewritten stretch ("entries 120–4,636 differ from what 331100 acknowledged on 2026-11-02").
    A forged or altered anchor (its signature fails) is reported too.
    """
    out: list[AnchorProblem] = []
    rows = session.scalars(select(SyncAnchor).order_by(SyncAnchor.node, SyncAnchor.signer, SyncAnchor.seq))
    good_upto: dict[tuple[str, str], int] = {}
    reported: set[tuple[str, str]] = set()
    for row in rows:
        key = (row.node, row.signer)
        if key in reported:
            continue
        item = _as_dict(row)
        day = row.signed_at[:10]
        if not _signature_ok(session, item):
            reported.add(key)
            out.append(AnchorProblem(row.node, row.seq, row.seq, row.signer, day,
                f"节点 {row.signer} 对 {row.node} 第 {row.seq} 条的签名记录已被改动。",
                f"The record {row.signer} signed about entry {row.seq} of {row.node} has been altered."))  # fmt: skip
            continue
        if _held_hash(session, row.node, row.seq) == row.hash:
            good_upto[key] = row.seq
            continue
        reported.add(key)
        first = good_upto.get(key, 0) + 1
        what = "确认" if row.kind == ACK else "签署"
        what_en = "acknowledged" if row.kind == ACK else "signed"
        out.append(AnchorProblem(row.node, first, row.seq, row.signer, day,
            f"节点 {row.node} 的第 {first:,}–{row.seq:,} 条审计记录与 {row.signer} 于 {day} {what}的不一致（被改写）。",
            f"Entries {first:,}–{row.seq:,} of node {row.node} differ from what {row.signer} {what_en} on {day} "
            "(rewritten)."))  # fmt: skip
    return out
