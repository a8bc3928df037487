"""Onboarding by file exchange, key rotation and revocation (the node side of ``keys``).

1. Every node: ``init_identity`` (the city also makes the self-signed municipal root certificate).
2. A township (or county): ``join_request`` → a small JSON file with its code, role and public keys.
3. Its parent: ``onboard(request)`` → checks the request's signature, issues a certificate and returns the
   onboarding file (the directory: root … parent … the new child).
4. The child: ``join(onboarding)`` → trusts the root (its fingerprint is shown to compare by phone), stores
   the chain; parent and child now exchange packages.
Rotation: ``rotate_keys`` makes a new generation and a request signed by both the old and the new key; the
parent's ``onboard`` then issues the new certificate without a new trust decision. Revocation: ``revoke``
by the issuer; the statement travels in every later package.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import canonical_json
from app.storage.database import Database
from app.sync import keys
from app.sync.errors import NotTrusted, SyncError
from app.sync.models import SyncCert, SyncKey

REQUEST_TYPE = "bangfu-join-request"
ONBOARDING_TYPE = "bangfu-onboarding"


@dataclass(frozen=True)
class IdentityInfo:
    code: str
    key_no: int
    fingerprint: str
    is_root: bool


def init_identity(db: Database) -> IdentityInfo:
    with db.session() as s, s.begin():
        if s.scalars(select(SyncKey)).first() is not None:
            raise SyncError(
                "本机已有同步密钥；如需更换请用 sync rotate-key。",
                "This node already has sync keys; use sync rotate-key to replace them.",
            )
        me = keys.own_node(s)
        key = keys.generate_keys(s)
        is_root = me.role == "city"
        if is_root:
            keys.issue_cert(
                s,
                code=me.code,
                name=me.name,
                role=me.role,
                parent=None,
                key_no=key.key_no,
                sign_public=key.sign_public,
                age_recipient=key.age_recipient,
            )
        return IdentityInfo(me.code, key.key_no, keys.fingerprint(key.sign_public), is_root)


def _request_for(s: Session, key: SyncKey, previous: SyncKey | None) -> dict[str, Any]:
    me = keys.own_node(s)
    body = canonical_json(
        {
            "code": me.code,
            "name": me.name,
            "role": me.role,
            "key_no": key.key_no,
            "sign_public": key.sign_public,
            "age_recipient": key.age_recipient,
            "prev_key_no": previous.key_no if previous else None,
        }
    )
    request = {"type": REQUEST_TYPE, "body": body, "signature": keys.sign_bytes(key, body.encode()).hex()}
    if previous is not None:
        request["prev_signature"] = keys.sign_bytes(previous, body.encode()).hex()
    return request


def join_request(db: Database) -> dict[str, Any]:
    with db.session() as s:
        newest = s.scalars(select(SyncKey).order_by(SyncKey.key_no.desc())).first()
        if newest is None:
            raise SyncError(
                "本机尚无同步密钥，请先运行 sync init-identity。",
                "This node has no sync keys yet; run sync init-identity first.",
            )
        previous = s.get(SyncKey, newest.key_no - 1)
        return _request_for(s, newest, previous)


def rotate_keys(db: Database) -> dict[str, Any]:
    """A new key generation; returns the request for the parent (signed by the old and the new key)."""
    with db.session() as s, s.begin():
        me = keys.own_node(s)
        if me.role == "city":
            raise SyncError(
                "市级根密钥不能在此轮换：请重新建立信任目录。",
                "The municipal root key cannot be rotated here; rebuild the directory instead.",
            )
        previous = keys.current_key(s)
        key = keys.generate_keys(s)
        return _request_for(s, key, previous)


def _bad_request() -> NotTrusted:
    return NotTrusted("入网申请文件格式错误或已损坏。", "The join request file is malformed or damaged.")


def onboard(db: Database, request: dict[str, Any]) -> dict[str, Any]:
    """Parent side: check the request, issue the child's certificate, return the onboarding file."""
    try:
        if request.get("type") != REQUEST_TYPE:
            raise _bad_request()
        body = request["body"]
        data = json.loads(body)
        code, role, key_no = str(data["code"]), str(data["role"]), int(data["key_no"])
        sign_public, age_recipient = str(data["sign_public"]), str(data["age_recipient"])
        signature = bytes.fromhex(request["signature"])
    except (KeyError, ValueError, TypeError, AttributeError):
        raise _bad_request() from None
    if not keys.signature_ok(sign_public, signature, body.encode()):
        raise NotTrusted("入网申请的签名无效。", "The join request's signature is invalid.")
    with db.session() as s, s.begin():
        me = keys.own_node(s)
        mine = keys.own_cert(s)
        if mine is None:
            raise NotTrusted(
                "本机尚未加入信任目录，不能为下级签发证书。",
                "This node is not in the directory yet and cannot issue certificates.",
            )
        if role not in keys.ROLE_RANK or keys.ROLE_RANK[role] <= keys.ROLE_RANK[me.role] or code == me.code:
            raise NotTrusted("只能为下级节点签发证书。", "Certificates are issued to lower-level nodes only.")
        if not keys.code_fits_role(code, role) or not keys.inside_division(code, me.code):
            raise NotTrusted(
                f"申请的节点 {code}（{role}）不在本机辖区 {me.code} 之内，不能为其签发证书。",
                f"The requesting node {code} ({role}) is not inside this node's division {me.code}; "
                "no certificate is issued.",
            )
        known = list(s.scalars(select(SyncCert).where(SyncCert.code == code)))
        if known:
            _check_rotation(request, body, known, key_no)
        keys.issue_cert(
            s,
            code=code,
            name=str(data.get("name", code)),
            role=role,
            parent=me.code,
            key_no=key_no,
            sign_public=sign_public,
            age_recipient=age_recipient,
        )
        keys.ensure_peer(s, code)
        return {"type": ONBOARDING_TYPE, "for": code, **keys.directory(s)}


def _check_rotation(request: dict[str, Any], body: str, known: list[SyncCert], key_no: int) -> None:
    prev_no = json.loads(body).get("prev_key_no")
    previous = next((c for c in known if c.key_no == prev_no and not c.revoked), None)
    try:
        prev_signature = bytes.fromhex(request.get("prev_signature", ""))
    except ValueError:
        prev_signature = b""
    if (
        previous is None
        or key_no <= previous.key_no
        or not keys.signature_ok(keys.Cert.from_body(previous.body).sign_public, prev_signature, body.encode())
    ):
        raise NotTrusted(
            "该节点已登记：新密钥必须由其上一代未吊销的密钥签署（密钥轮换）。",
            "This node is already registered: a new key must be signed by its previous, unrevoked key (rotation).",
        )


def join(db: Database, onboarding: dict[str, Any]) -> IdentityInfo:
    """Child side: trust the root in the file (or check it against ours) and store the chain."""
    if not isinstance(onboarding, dict) or onboarding.get("type") != ONBOARDING_TYPE:
        raise NotTrusted("入网文件格式错误或已损坏。", "The onboarding file is malformed or damaged.")
    with db.session() as s, s.begin():
        me = keys.own_node(s)
        if onboarding.get("for") != me.code:
            raise NotTrusted(
                f"入网文件是发给 {onboarding.get('for')} 的，不是本机。",
                f"The onboarding file is for {onboarding.get('for')}, not for this node.",
            )
        certs = onboarding.get("certs") or []
        try:
            keys.accept_cert(s, certs[0]["body"], certs[0]["signature"], trust_root=True)
            keys.merge_directory(s, onboarding)
        except (KeyError, IndexError, TypeError):
            raise NotTrusted("入网文件格式错误或已损坏。", "The onboarding file is malformed or damaged.") from None
        mine = keys.own_cert(s)
        newest = s.scalars(select(SyncKey).order_by(SyncKey.key_no.desc())).first()
        if mine is None or newest is None or mine.sign_public != newest.sign_public:
            raise NotTrusted(
                "入网文件中的证书与本机密钥不符。", "The certificate in the file does not match this node's key."
            )
        if mine.parent:
            keys.ensure_peer(s, mine.parent)
        root = keys.root_cert(s)
        assert root is not None
        return IdentityInfo(me.code, mine.key_no, keys.fingerprint(keys.Cert.from_body(root.body).sign_public), False)


def revoke(db: Database, code: str, key_no: int | None = None) -> int:
    """Revoke ``code``'s key (the newest when ``key_no`` is None); only its issuer or the root may."""
    with db.session() as s, s.begin():
        target = keys.cert_row(s, code, key_no)
        if target is None:
            raise SyncError(
                f"目录中没有节点 {code} 的有效证书。", f"No valid certificate of node {code} in the directory."
            )
        statement = keys.revocation_statement(s, code, target.key_no)
        if not keys.accept_revocation(s, statement):
            raise SyncError("该证书已被吊销。", "That certificate is already revoked.")
        return target.key_no
