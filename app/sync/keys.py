"""Node identity and the signed peer directory (certificates rooted in the municipal key).

Each node holds generations of keys (``SyncKey``): an Ed25519 signing key (``cryptography``) and an age
X25519 identity (``pyrage``). A certificate binds a node's code, role, parent and public keys; its issuer
(the parent) signs it; the municipal root certificate signs itself. A certificate is stored only after its
issuer's certificate is stored and its signature checks, so everything in ``sync_cert`` chains to the root.
Revocation is a statement signed by the certificate's issuer or the root; it travels in packages like
certificates do. Call with one session, on the caller's thread.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import canonical_json
from app.domain.models import NodeInfo
from app.sync.errors import IdentityMissing, NotTrusted, SyncError
from app.sync.models import SyncCert, SyncKey, SyncPeerState

ROLE_RANK = {"city": 0, "county": 1, "township": 2}


def fingerprint(sign_public_hex: str) -> str:
    """Short, readable fingerprint of a signing key, for officers to compare over the phone."""
    digest = hashlib.sha256(bytes.fromhex(sign_public_hex)).hexdigest()[:20].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


def own_node(session: Session) -> NodeInfo:
    info = session.scalars(select(NodeInfo)).first()
    if info is None:
        raise SyncError("数据库尚未设置节点信息。", "The database has no node identity yet.")
    return info


# ---------------------------------------------------------------- own keys


def generate_keys(session: Session) -> SyncKey:
    """A new key generation; older ones are retired (kept so packages already in transit still open)."""
    now = datetime.now(UTC)
    keys = list(session.scalars(select(SyncKey)))
    for old in keys:
        if old.retired_at is None:
            old.retired_at = now
    signing = Ed25519PrivateKey.generate()
    identity = pyrage.x25519.Identity.generate()
    key = SyncKey(
        key_no=max((k.key_no for k in keys), default=0) + 1,
        sign_private=signing.private_bytes_raw().hex(),
        sign_public=signing.public_key().public_bytes_raw().hex(),
        age_identity=str(identity),
        age_recipient=str(identity.to_public()),
        created_at=now,
    )
    session.add(key)
    session.flush()
    return key


def current_key(session: Session) -> SyncKey:
    key = session.scalars(select(SyncKey).where(SyncKey.retired_at.is_(None)).order_by(SyncKey.key_no.desc())).first()
    if key is None:
        raise IdentityMissing()
    return key


def age_identities(session: Session) -> list[Any]:
    return [pyrage.x25519.Identity.from_str(k.age_identity) for k in session.scalars(select(SyncKey))]


def sign_bytes(key: SyncKey, data: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key.sign_private)).sign(data)


def signature_ok(sign_public_hex: str, signature: bytes, data: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(sign_public_hex)).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class Cert:
    """A parsed certificate body."""

    code: str
    name: str
    role: str
    parent: str | None
    key_no: int
    sign_public: str
    age_recipient: str
    issuer: str
    issuer_key_no: int
    issued_at: str

    @classmethod
    def from_body(cls, body: str) -> Cert:
        try:
            data = json.loads(body)
            return cls(**{f: data[f] for f in cls.__dataclass_fields__})
        except (ValueError, KeyError, TypeError):
            raise NotTrusted("证书格式错误。", "The certificate is malformed.") from None

    def to_body(self) -> str:
        return canonical_json(self.__dict__)


def issue_cert(
    session: Session,
    *,
    code: str,
    name: str,
    role: str,
    parent: str | None,
    key_no: int,
    sign_public: str,
    age_recipient: str,
) -> SyncCert:
    """Sign a certificate with this node's current key and store it (the caller commits)."""
    me = own_node(session)
    key = current_key(session)
    cert = Cert(
        code, name, role, parent, key_no, sign_public, age_recipient, me.code, key.key_no, datetime.now(UTC).isoformat()
    )
    body = cert.to_body()
    row = SyncCert(
        code=code,
        key_no=key_no,
        role=role,
        parent=parent,
        body=body,
        signature=sign_bytes(key, body.encode()).hex(),
        is_root=code == me.code and parent is None,
    )
    session.merge(row)
    session.flush()
    return row


def cert_row(session: Session, code: str, key_no: int | None = None) -> SyncCert | None:
    query = select(SyncCert).where(SyncCert.code == code)
    if key_no is not None:
        return session.get(SyncCert, (code, key_no))
    return session.scalars(query.where(SyncCert.revoked.is_(False)).order_by(SyncCert.key_no.desc())).first()


def root_cert(session: Session) -> SyncCert | None:
    return session.scalars(select(SyncCert).where(SyncCert.is_root.is_(True))).first()


def accept_cert(session: Session, body: str, signature_hex: str, *, trust_root: bool = False) -> SyncCert | None:
    """Store a certificate if it chains to our root; returns it, or None when its issuer is not known yet.

    ``trust_root``: a self-signed certificate is accepted as the root when we have none (onboarding).
    Raises ``NotTrusted`` for a bad signature or a root that differs from ours.
    """
    cert = Cert.from_body(body)
    try:
        signature = bytes.fromhex(signature_hex)
    except ValueError:
        raise NotTrusted("证书签名格式错误。", "The certificate signature is malformed.") from None
    existing = session.get(SyncCert, (cert.code, cert.key_no))
    if existing is not None and existing.body == body:
        return existing
    if cert.issuer == cert.code and cert.parent is None:
        root = root_cert(session)
        if not signature_ok(cert.sign_public, signature, body.encode()):
            raise NotTrusted("根证书签名无效。", "The root certificate's signature is invalid.")
        if root is not None and (root.code, root.key_no) != (cert.code, cert.key_no):
            raise NotTrusted(
                "根证书与本机信任的市级根证书不一致。",
                "The root certificate differs from the municipal root trusted here.",
            )
        if root is None and not trust_root:
            return None
        is_root = True
    else:
        issuer = session.get(SyncCert, (cert.issuer, cert.issuer_key_no))
        if issuer is None:
            return None
        if issuer.revoked:
            raise NotTrusted("证书的签发者已被吊销。", "The certificate's issuer has been revoked.")
        if not signature_ok(Cert.from_body(issuer.body).sign_public, signature, body.encode()):
            raise NotTrusted("证书签名无效。", "The certificate's signature is invalid.")
        is_root = False
    if existing is not None and existing.revoked:
        return existing  # a revoked key stays revoked whatever copy of its certificate comes by
    row = SyncCert(
        code=cert.code,
        key_no=cert.key_no,
        role=cert.role,
        parent=cert.parent,
        body=body,
        signature=signature_hex,
        is_root=is_root,
    )
    session.merge(row)
    session.flush()
    return row


def revocation_statement(session: Session, code: str, key_no: int) -> dict[str, str]:
    me = own_node(session)
    key = current_key(session)
    body = canonical_json(
        {
            "revoke": code,
            "key_no": key_no,
            "issuer": me.code,
            "issuer_key_no": key.key_no,
            "at": datetime.now(UTC).isoformat(),
        }
    )
    return {"body": body, "signature": sign_bytes(key, body.encode()).hex()}


def accept_revocation(session: Session, statement: dict[str, str]) -> bool:
    """Apply a revocation signed by the certificate's issuer or by the root. True when it changed something."""
    try:
        data = json.loads(statement["body"])
        code, key_no = str(data["revoke"]), int(data["key_no"])
        signer = session.get(SyncCert, (str(data["issuer"]), int(data["issuer_key_no"])))
        signature = bytes.fromhex(statement["signature"])
    except (ValueError, KeyError, TypeError):
        raise NotTrusted("吊销声明格式错误。", "The revocation statement is malformed.") from None
    target = session.get(SyncCert, (code, key_no))
    if target is None or signer is None or target.revoked:
        return False
    issuer = Cert.from_body(target.body).issuer
    if not (signer.code == issuer or signer.is_root):
        raise NotTrusted(
            "吊销声明不是由证书签发者签署的。", "The revocation is not signed by the certificate's issuer."
        )
    if not signature_ok(Cert.from_body(signer.body).sign_public, signature, statement["body"].encode()):
        raise NotTrusted("吊销声明签名无效。", "The revocation statement's signature is invalid.")
    target.revoked = True
    target.revocation = canonical_json(statement)
    return True


def directory(session: Session) -> dict[str, Any]:
    """All certificates and revocations held here, root first: travels in every package."""
    rows = list(session.scalars(select(SyncCert).order_by(SyncCert.is_root.desc(), SyncCert.added_at)))
    return {
        "certs": [{"body": r.body, "signature": r.signature} for r in rows],
        "revocations": [json.loads(r.revocation) for r in rows if r.revocation],
    }


def merge_directory(session: Session, data: dict[str, Any]) -> int:
    """Take in certificates and revocations from a verified package. Returns how many were new."""
    pending = list(data.get("certs", []))
    added = 0
    progress = True
    while pending and progress:
        progress = False
        for item in list(pending):
            before = session.get(SyncCert, (json.loads(item["body"])["code"], json.loads(item["body"])["key_no"]))
            if accept_cert(session, item["body"], item["signature"]) is not None:
                pending.remove(item)
                progress = True
                added += before is None
    for statement in data.get("revocations", []):
        added += accept_revocation(session, statement)
    return added


# ---------------------------------------------------------------- the tree


def own_cert(session: Session) -> Cert | None:
    me = own_node(session)
    row = cert_row(session, me.code)
    return Cert.from_body(row.body) if row else None


def parent_of(session: Session, code: str) -> str | None:
    row = session.scalars(select(SyncCert).where(SyncCert.code == code).order_by(SyncCert.key_no.desc())).first()
    return row.parent if row else None


def ancestors(session: Session, code: str) -> list[str]:
    out: list[str] = []
    parent = parent_of(session, code)
    while parent and parent not in out:
        out.append(parent)
        parent = parent_of(session, parent)
    return out


def children(session: Session, code: str) -> list[str]:
    return sorted(set(session.scalars(select(SyncCert.code).where(SyncCert.parent == code))))


def authority_rank(session: Session) -> dict[str, int]:
    """Node code → rank (city 0, county 1, township 2) from the directory: a lower rank has authority."""
    return {row.code: ROLE_RANK.get(row.role, 9) for row in session.scalars(select(SyncCert))}


def sender_key(session: Session, code: str, key_no: int) -> str:
    """The verified signing key of ``code`` generation ``key_no``; refuses unknown or revoked senders."""
    from app.sync.errors import PackageRefused

    row = session.get(SyncCert, (code, key_no))
    if row is None:
        raise PackageRefused(
            "unknown_sender",
            f"发送方 {code} 不在本机信任的目录中。",
            f"the sender {code} is not in the directory trusted here.",
        )
    if row.revoked:
        raise PackageRefused(
            "revoked", f"发送方 {code} 的密钥已被吊销。", f"the key of sender {code} has been revoked."
        )
    return Cert.from_body(row.body).sign_public


def ensure_peer(session: Session, code: str) -> SyncPeerState:
    state = session.get(SyncPeerState, code)
    if state is None:
        state = SyncPeerState(
            code=code, out_seq=0, acked_upto=0, ack_receipt_no=0, in_seq=0, in_upto=0, receipts_issued=0
        )
        session.add(state)
        session.flush()
    return state


def signing_key(session: Session) -> SyncKey:
    """The newest own key the directory already certifies (a rotated key signs only once certified)."""
    me = own_node(session)
    for key in session.scalars(select(SyncKey).order_by(SyncKey.key_no.desc())):
        cert = session.get(SyncCert, (me.code, key.key_no))
        if cert is not None and not cert.revoked:
            return key
    if session.scalars(select(SyncKey)).first() is None:
        raise IdentityMissing()
    raise NotTrusted(
        "本机尚未加入信任目录（请先完成入网：sync request / sync join）。",
        "This node is not in the trusted directory yet (finish onboarding: sync request / sync join).",
    )


def peer_cert(session: Session, code: str) -> Cert:
    row = cert_row(session, code)
    if row is None:
        raise NotTrusted(
            f"目录中没有节点 {code} 的有效证书。", f"No valid certificate of node {code} in the directory."
        )
    return Cert.from_body(row.body)
