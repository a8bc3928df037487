"""Joining the sync tree by file, as the window walks an officer through it (the CLI's ``sync init-identity /
request / onboard / join / rotate-key / revoke`` call the same ``app.sync.onboarding`` functions).

What this adds to ``app.sync.onboarding``: the request and onboarding files read as hostile input (size first,
then JSON, then the fields) and summarised *before* anything is trusted — the parent reads the child's key
fingerprint aloud over the phone before issuing, the child compares the city's root fingerprint before
joining — and a snapshot of where this node stands, so the window can show the next step.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.storage.database import Database
from app.sync import keys, onboarding
from app.sync.errors import NotTrusted, SyncError
from app.sync.models import SyncCert, SyncKey

MAX_REQUEST_BYTES = 64 * 1024  # a request is one node's public keys: well under 1 KB
MAX_ONBOARDING_BYTES = 8 * 1024 * 1024  # the whole directory of Lishui's ~200 nodes is ~150 KB


def read_json(path: Path, limit: int = MAX_ONBOARDING_BYTES) -> Any:
    """A JSON file from outside: refused above ``limit`` bytes before it is read."""
    try:
        if path.stat().st_size > limit:
            raise SyncError(
                f"文件过大（超过 {limit // 1024} KB），不是入网文件。",
                f"The file is too large (over {limit // 1024} KB) to be an onboarding file.",
            )
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        raise SyncError(
            "无法读取该文件，或文件不是有效的 JSON。", "The file cannot be read or is not valid JSON."
        ) from None


def write_json(path: Path, data: Any) -> None:
    """Written under a temporary name and renamed, so a full USB stick leaves no half file."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SyncError(f"无法写入文件：{exc.strerror}。", f"Cannot write the file: {exc.strerror}.") from None


@dataclass(frozen=True)
class IssuedCert:
    code: str
    name: str
    role: str
    key_no: int
    fingerprint: str
    revoked: bool


@dataclass(frozen=True)
class SetupState:
    """Where this node stands in the sync tree."""

    code: str
    name: str
    role: str
    has_keys: bool
    fingerprint: str | None  # of this node's newest signing key
    joined: bool  # holds a certificate for that key (the city: its own root)
    parent: str | None
    parent_name: str
    root_fingerprint: str | None
    issued: list[IssuedCert]  # certificates this node signed for others (what it may revoke)


def state(db: Database) -> SetupState:
    with db.session() as s:
        me = keys.own_node(s)
        newest = s.scalars(select(SyncKey).order_by(SyncKey.key_no.desc())).first()
        mine = keys.own_cert(s)
        root = keys.root_cert(s)
        issued = []
        for row in s.scalars(select(SyncCert).where(SyncCert.code != me.code).order_by(SyncCert.code, SyncCert.key_no)):
            cert = keys.Cert.from_body(row.body)
            if cert.issuer == me.code:
                issued.append(
                    IssuedCert(cert.code, cert.name, cert.role, cert.key_no, keys.fingerprint(cert.sign_public),
                               row.revoked)
                )  # fmt: skip
        joined = mine is not None and newest is not None and mine.sign_public == newest.sign_public
        parent_row = keys.cert_row(s, mine.parent) if mine is not None and mine.parent else None
        parent_name = keys.Cert.from_body(parent_row.body).name if parent_row is not None else ""
        return SetupState(
            code=me.code,
            name=me.name,
            role=me.role,
            has_keys=newest is not None,
            fingerprint=keys.fingerprint(newest.sign_public) if newest else None,
            joined=joined,
            parent=mine.parent if mine else None,
            parent_name=parent_name,
            root_fingerprint=keys.fingerprint(keys.Cert.from_body(root.body).sign_public) if root else None,
            issued=issued,
        )


@dataclass(frozen=True)
class RequestSummary:
    """A child's join (or key-rotation) request, checked for form and signature, not yet trusted."""

    code: str
    name: str
    role: str
    key_no: int
    fingerprint: str
    rotation: bool


def read_request(path: Path) -> tuple[RequestSummary, dict[str, Any]]:
    """The request file summarised for the parent to check over the phone; the parsed request to issue."""
    request = read_json(path, MAX_REQUEST_BYTES)
    bad = NotTrusted("入网申请文件格式错误或已损坏。", "The join request file is malformed or damaged.")
    try:
        if request.get("type") != onboarding.REQUEST_TYPE:
            raise bad
        data = json.loads(request["body"])
        summary = RequestSummary(
            code=str(data["code"]),
            name=str(data.get("name") or data["code"]),
            role=str(data["role"]),
            key_no=int(data["key_no"]),
            fingerprint=keys.fingerprint(str(data["sign_public"])),
            rotation=data.get("prev_key_no") is not None,
        )
        signature = bytes.fromhex(request["signature"])
    except (KeyError, ValueError, TypeError, AttributeError):
        raise bad from None
    if not keys.signature_ok(str(data["sign_public"]), signature, request["body"].encode()):
        raise NotTrusted("入网申请的签名无效。", "The join request's signature is invalid.")
    return summary, request


@dataclass(frozen=True)
class OnboardingSummary:
    """An onboarding file as the child sees it before joining: for whom, and the root it asks to trust."""

    for_code: str
    root_code: str
    root_name: str
    root_fingerprint: str
    certificates: int


def read_onboarding(path: Path) -> tuple[OnboardingSummary, dict[str, Any]]:
    data = read_json(path, MAX_ONBOARDING_BYTES)
    try:
        if data.get("type") != onboarding.ONBOARDING_TYPE:
            raise KeyError
        root = keys.Cert.from_body(data["certs"][0]["body"])
        if root.parent is not None:
            raise KeyError  # the first certificate of a directory is the self-signed root
        summary = OnboardingSummary(
            str(data["for"]), root.code, root.name, keys.fingerprint(root.sign_public), len(data["certs"])
        )
    except (KeyError, IndexError, TypeError, AttributeError, NotTrusted):
        raise NotTrusted("入网文件格式错误或已损坏。", "The onboarding file is malformed or damaged.") from None
    return summary, data


def make_request(db: Database, out: Path) -> str:
    """Keys first if this node has none; write the join request; returns this node's key fingerprint."""
    if not state(db).has_keys:
        onboarding.init_identity(db)
    write_json(out, onboarding.join_request(db))
    fingerprint = state(db).fingerprint
    assert fingerprint is not None
    return fingerprint


def rotate(db: Database, out: Path) -> str:
    """A new key generation and its request (signed by the old key too) for the parent; its fingerprint."""
    write_json(out, onboarding.rotate_keys(db))
    fingerprint = state(db).fingerprint
    assert fingerprint is not None
    return fingerprint


def issue(db: Database, request: dict[str, Any], out: Path) -> str:
    """Parent: certify the child and write its onboarding file; returns the root fingerprint it carries."""
    write_json(out, onboarding.onboard(db, request))
    root = state(db).root_fingerprint
    assert root is not None
    return root


def join(db: Database, data: dict[str, Any]) -> str:
    """Child: take in the onboarding file; returns the root fingerprint now trusted."""
    return onboarding.join(db, data).fingerprint
