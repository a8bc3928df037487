"""The package file: a readable header, an age-encrypted payload and the sender's Ed25519 signature.

Layout (bytes)::

    BANGFU-SYNC/1\\n                      magic line
    {"format": 1, "sender": …}\\n         header: one line of JSON, no personal data
    <payload_bytes bytes>                 age (X25519) ciphertext of gzip(JSON payload)
    <64 bytes>                            Ed25519 signature over everything above

The header names format and schema version, package id, sender and its key generation, recipients, the
sequence number and the change range; ``head -2 FILE`` shows it. The signature is checked before anything
else of the file is trusted: only the magic line and the header (bounded, strict JSON) are read to find the
sender's key. ``age -d -i identity.txt`` opens the payload (``sync inspect --payload`` cuts it out). Inside,
the manifest repeats sender, recipients, package id, sequence and range, so a signature cannot be moved to
another envelope.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass
from typing import Any

import pyrage

from app.audit import canonical_json
from app.sync.errors import PackageRefused

MAGIC = b"BANGFU-SYNC/1\n"
FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
MAX_HEADER_BYTES = 16_384
MAX_PAYLOAD_BYTES = 2 << 30  # decompressed; guards against a compression bomb
MAX_PACKAGE_BYTES = 1 << 30  # on disk, checked before the file is read (a city's first package is ~10× less)
SUFFIX = ".bfsync"

HEADER_FIELDS: dict[str, type | tuple[type, ...]] = {
    "format": int,
    "package_id": str,
    "sender": str,
    "sender_key": int,
    "recipients": list,
    "seq": int,
    "from_seq": int,
    "to_seq": int,
    "schema": str,
    "created_at": str,
    "entries": int,
    "payload_bytes": int,
}
MANIFEST_FIELDS = ("package_id", "sender", "recipients", "seq", "from_seq", "to_seq", "schema")


def not_a_package() -> PackageRefused:
    return PackageRefused("not_package", "该文件不是帮扶通同步包。", "the file is not a Bangfu sync package.")


def damaged() -> PackageRefused:
    return PackageRefused("damaged", "同步包已损坏或不完整（可能被截断）。", "the package is damaged or truncated.")


def bad_signature() -> PackageRefused:
    return PackageRefused(
        "bad_signature",
        "签名校验失败：文件在发出后被改动过，或不是发送方签发的。",
        "the signature does not verify: the file was altered after sending, or not made by the sender.",
    )


def newer_format() -> PackageRefused:
    return PackageRefused(
        "format", "同步包格式版本更新，请升级程序。", "the package format is newer than this program; upgrade it."
    )


@dataclass(frozen=True)
class Envelope:
    """A package split into its parts; ``header`` is parsed, nothing else is trusted yet."""

    header: dict[str, Any]
    signed: bytes
    payload: bytes
    signature: bytes


def build(header: dict[str, Any], payload: dict[str, Any], recipient_age: str, sign: Any) -> bytes:
    """Compress, encrypt to ``recipient_age`` and sign with ``sign(bytes) -> bytes``."""
    plain = gzip.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), 6, mtime=0)
    cipher = pyrage.encrypt(plain, [pyrage.x25519.Recipient.from_str(recipient_age)])
    header = {**header, "format": FORMAT_VERSION, "payload_bytes": len(cipher)}
    signed = MAGIC + canonical_json(header).encode() + b"\n" + cipher
    return signed + sign(signed)


def split_header(data: bytes) -> dict[str, Any]:
    """Check the magic line and parse the header (bounded, typed). Raises ``PackageRefused``."""
    if not data.startswith(MAGIC):
        if data.startswith(b"BANGFU-SYNC/"):
            raise newer_format()
        raise not_a_package()
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + MAX_HEADER_BYTES)
    if end < 0:
        raise damaged()
    try:
        header = json.loads(data[len(MAGIC) : end].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise damaged() from None
    if not isinstance(header, dict) or any(
        not isinstance(header.get(k), t) or isinstance(header.get(k), bool) for k, t in HEADER_FIELDS.items()
    ):
        raise damaged()
    if header["format"] > FORMAT_VERSION:
        raise newer_format()
    header["_header_end"] = end
    return header


def split(data: bytes) -> Envelope:
    """Check the framing and parse the header only; nothing else is trusted until the signature checks."""
    header = split_header(data)
    end = header.pop("_header_end")
    size = header["payload_bytes"]
    if size < 0 or len(data) != end + 1 + size + SIGNATURE_BYTES:
        raise damaged()
    signed = data[: end + 1 + size]
    return Envelope(header, signed, data[end + 1 : end + 1 + size], data[end + 1 + size :])


def open_payload(envelope: Envelope, identities: list[Any]) -> dict[str, Any]:
    """Decrypt (after the signature checked), decompress and parse; the manifest must repeat the header."""
    return read_payload(decrypt(envelope, identities), envelope.header)


def decrypt(envelope: Envelope, identities: list[Any]) -> bytes:
    """The gzip bytes inside the age ciphertext (only after the signature checked)."""
    try:
        return pyrage.decrypt(envelope.payload, identities)
    except Exception:  # pyrage.DecryptError and friends: not for us, or damaged
        raise PackageRefused(
            "decrypt",
            "无法解密：本包不是发给本机的密钥。",
            "cannot decrypt: the package was not made for this node's key.",
        ) from None


def read_payload(plain: bytes, header: dict[str, Any]) -> dict[str, Any]:
    """Decompress (bounded) and parse decrypted bytes; the manifest must repeat ``header``. Needs no key, so
    a helper process may run it (``app.sync.prefetch``)."""
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        raw = inflater.decompress(plain, MAX_PAYLOAD_BYTES)
        if inflater.unconsumed_tail:
            raise damaged()
        payload = json.loads(raw.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError):
        raise damaged() from None
    manifest = payload.get("manifest") if isinstance(payload, dict) else None
    if not isinstance(manifest, dict) or any(manifest.get(k) != header[k] for k in MANIFEST_FIELDS):
        raise PackageRefused(
            "manifest",
            "加密清单与包头的发送方/接收方不一致（签名可能被挪用）。",
            "the encrypted manifest does not repeat the header's sender and recipients (a moved signature?).",
        )
    return payload


def payload_slice(data: bytes) -> bytes:
    """The age ciphertext of a package, for ``age -d`` in an emergency."""
    return split(data).payload


def file_name(sender: str, recipient: str, seq: int) -> str:
    """Division codes and a number only: no personal data in file names."""
    return f"bangfu-{sender}-to-{recipient}-{seq:06d}{SUFFIX}"
