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

ROLES = ("city", "county", "township")  # a closed list: anything else is refused
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


def division_prefix(code: str) -> str:
    """The digits every division inside ``code`` starts with: a city's 331100 covers 3311…, a county's
    331122 covers 331122…, a township's 331122101 covers its villages 331122101…"""
    return code[:4] if len(code) == 6 and code.endswith("00") else code  # a city (3311 or 331100)


def within(code: str, division: str) -> bool:
    """``code`` is ``division`` itself or lies inside it."""
    return code.startswith(division_prefix(division))


def inside_division(code: str, division: str) -> bool:
    """``code`` lies strictly inside ``division`` (name constraints: whom a node may certify)."""
    return code != division and within(code, division)


def code_fits_role(code: str, role: str) -> bool:
    if not code.isdigit():
        return False
    if role == "city":  # 3311, or 331100 as the region list writes it
        return len(code) == 4 or (len(code) == 6 and code.endswith("00"))
    if role == "county":
        return len(code) == 6 and not code.endswith("00")
    return role == "township" and len(code) == 9


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
    """The certificate of ``code`` generation ``key_no``, or its newest valid one."""
    if key_no is not None:
        return session.get(SyncCert, (code, key_no))
    query = select(SyncCert).where(SyncCert.code == code, SyncCert.revoked.is_(False))
    return next((r for r in session.scalars(query.order_by(SyncCert.key_no.desc())) if cert_valid(session, r)), None)


def root_cert(session: Session) -> SyncCert | None:
    return session.scalars(select(SyncCert).where(SyncCert.is_root.is_(True))).first()


def _check_shape(cert: Cert) -> None:
    """Roles are a closed list, and a code has the shape of its role (a township is 9 digits, …)."""
    if cert.role not in ROLE_RANK or not code_fits_role(cert.code, cert.role):
        raise NotTrusted(
            f"证书的角色或代码无效（{cert.code}，{cert.role}）：只接受市、县、乡镇三级的区划代码。",
            f"The certificate's role or code is invalid ({cert.code}, {cert.role}): only city, county and "
            "township division codes are accepted.",
        )


def _changed_cert(cert: Cert) -> NotTrusted:
    return NotTrusted(
        f"收到节点 {cert.code} 第 {cert.key_no} 代密钥的证书，但与本机已存的不同：已拒绝。"
        "存证书一经保存不会更改，这可能是攻击，请报告市扶贫办。",
        f"A certificate for node {cert.code}, key {cert.key_no}, differs from the one stored here: refused. "
        "A stored certificate never changes; this may be an attack, report it to the municipal office.",
    )


def accept_cert(session: Session, body: str, signature_hex: str, *, trust_root: bool = False) -> SyncCert | None:
    """Store a certificate if it chains to our root; returns it, or None when its issuer is not known yet.

    ``trust_root``: a self-signed certificate is accepted as the root when we have none (onboarding); once a
    root is stored it is pinned and nothing that arrives replaces it. A stored certificate never changes: a
    different body for the same (code, key number) is refused as an attack. Raises ``NotTrusted`` for a bad
    signature, an unknown role, a code outside its issuer's division or a revoked issuer.
    """
    cert = Cert.from_body(body)
    try:
        signature = bytes.fromhex(signature_hex)
    except (ValueError, TypeError):
        raise NotTrusted("证书签名格式错误。", "The certificate signature is malformed.") from None
    existing = session.get(SyncCert, (cert.code, cert.key_no))
    if existing is not None:
        if existing.body == body:
            return existing
        raise _changed_cert(cert)
    _check_shape(cert)
    if cert.issuer == cert.code and cert.parent is None:
        if root_cert(session) is not None:
            raise NotTrusted(
                "根证书与本机信任的市级根证书不一致（根证书在入网时已固定）：已拒绝，这可能是攻击。",
                "The root certificate differs from the municipal root pinned here at joining: refused; "
                "this may be an attack.",
            )
        if not trust_root:
            return None
        if cert.role != "city" or not signature_ok(cert.sign_public, signature, body.encode()):
            raise NotTrusted("根证书签名无效。", "The root certificate's signature is invalid.")
        is_root = True
    else:
        issuer = session.get(SyncCert, (cert.issuer, cert.issuer_key_no))
        if issuer is None:
            return None
        if not cert_valid(session, issuer):
            raise NotTrusted("证书的签发者已被吊销。", "The certificate's issuer has been revoked.")
        if cert.parent != cert.issuer or ROLE_RANK[issuer.role] >= ROLE_RANK[cert.role]:
            # Only a parent certifies, and only a lower level: a township cannot mint a key for the city.
            raise NotTrusted("证书不是由其上级签发的。", "The certificate is not issued by the node's parent.")
        if not inside_division(cert.code, cert.issuer):
            raise NotTrusted(
                f"节点 {cert.issuer} 不能为其辖区以外的 {cert.code} 签发证书。",
                f"Node {cert.issuer} cannot certify {cert.code}: it lies outside its division.",
            )
        if not signature_ok(Cert.from_body(issuer.body).sign_public, signature, body.encode()):
            raise NotTrusted("证书签名无效。", "The certificate's signature is invalid.")
        is_root = False
    row = SyncCert(
        code=cert.code,
        key_no=cert.key_no,
        role=cert.role,
        parent=cert.parent,
        body=body,
        signature=signature_hex,
        is_root=is_root,
    )
    session.add(row)
    session.flush()
    return row


def cert_valid(session: Session, row: SyncCert) -> bool:
    """Not revoked, and neither is any certificate above it up to the root (revocation kills the subtree)."""
    seen: set[tuple[str, int]] = set()
    current: SyncCert | None = row
    while current is not None and (current.code, current.key_no) not in seen:
        if current.revoked:
            return False
        if current.is_root:
            return True
        seen.add((current.code, current.key_no))
        cert = Cert.from_body(current.body)
        current = session.get(SyncCert, (cert.issuer, cert.issuer_key_no))
    return False


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
    if not cert_valid(session, signer) or not (signer.code == issuer or signer.is_root):
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
            try:
                cert = Cert.from_body(item["body"])
                before = session.get(SyncCert, (cert.code, cert.key_no))
                accepted = accept_cert(session, item["body"], item["signature"])
            except (KeyError, TypeError):
                raise NotTrusted("证书格式错误。", "The certificate is malformed.") from None
            if accepted is not None:
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


def subtree(session: Session, code: str) -> list[str]:
    """``code`` and every node below it in the directory."""
    out, todo = [code], [code]
    while todo:
        for child in children(session, todo.pop()):
            if child not in out:
                out.append(child)
                todo.append(child)
    return out


def authority_rank(session: Session) -> dict[str, int]:
    """Node code → rank (city 0, county 1, township 2) from the directory: a lower rank has authority."""
    return {row.code: ROLE_RANK[row.role] for row in session.scalars(select(SyncCert)) if row.role in ROLE_RANK}


def certified_nodes(session: Session) -> set[str]:
    """Codes with a valid certificate: the only nodes whose audit chains are accepted."""
    return {row.code for row in session.scalars(select(SyncCert)) if cert_valid(session, row)}


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
    if not cert_valid(session, row):
        raise PackageRefused(
            "revoked",
            f"发送方 {code} 的密钥（或为其签发证书的上级密钥）已被吊销。",
            f"the key of sender {code} (or of a node that certified it) has been revoked.",
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
