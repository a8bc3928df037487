"""Every bad package is refused with a typed, bilingual message and changes no data: tampering anywhere,
truncation, wrong recipient, unknown or revoked sender, newer schema, a manifest that does not match."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.audit import canonical_json
from app.domain.models import Household
from app.sync import keys, onboarding, package
from app.sync.errors import PackageRefused
from app.sync.exporter import ENTRY_COLUMNS
from tests.integration.sync.support import CITY, TOWN_A, TOWN_B, Node, Tree, add_household, data_dump, get


def refused(node: Node, path: Path, *, receipts_written: bool = False) -> PackageRefused:
    before = data_dump(node, receipts_written=receipts_written)
    with pytest.raises(PackageRefused) as info:
        node.take(path)
    assert data_dump(node, receipts_written=receipts_written) == before
    assert info.value.zh and info.value.en and info.value.exit_code != 0
    return info.value


def regions(data: bytes) -> dict[str, int]:
    """An offset inside each region of a package file."""
    header_end = data.index(b"\n", len(package.MAGIC))
    payload_end = len(data) - package.SIGNATURE_BYTES
    return {
        "magic": 3,
        "header_start": len(package.MAGIC) + 2,
        "header_sender": data.index(TOWN_A.encode(), len(package.MAGIC)),
        "header_end": header_end - 2,
        "header_newline": header_end,
        "payload_start": header_end + 1,
        "payload_middle": (header_end + payload_end) // 2,
        "payload_end": payload_end - 1,
        "signature_start": payload_end,
        "signature_end": len(data) - 1,
    }


def test_a_flipped_byte_anywhere_is_refused(tree: Tree, tmp_path: Path) -> None:
    add_household(tree.a, tree.ref["village_a"])
    data = tree.a.export(CITY).read_bytes()
    for region, offset in regions(data).items():
        for flip in (0x01, 0x80):
            bad = bytearray(data)
            bad[offset] ^= flip
            path = tmp_path / f"{region}-{flip}.bfsync"
            path.write_bytes(bytes(bad))
            error = refused(tree.city, path)
            assert error.status in {"not_package", "damaged", "bad_signature", "unknown_sender", "format"}, region
    assert tree.city.take(tree.a.export(CITY)).status == "applied"  # the untouched package still goes in


def test_truncated_package_is_refused(tree: Tree, tmp_path: Path) -> None:
    add_household(tree.a, tree.ref["village_a"])
    data = tree.a.export(CITY).read_bytes()
    for cut in (0, 5, len(package.MAGIC) + 10, len(data) // 2, len(data) - 64, len(data) - 1):
        path = tmp_path / f"cut-{cut}.bfsync"
        path.write_bytes(data[:cut])
        assert refused(tree.city, path).status in {"not_package", "damaged"}
    path = tmp_path / "longer.bfsync"
    path.write_bytes(data + b"\x00")
    assert refused(tree.city, path).status == "damaged"


def test_not_a_package(tree: Tree, tmp_path: Path) -> None:
    for name, content in [
        ("empty", b""),
        ("text", "这不是同步包".encode()),
        ("db", tree.city.path.read_bytes()[:4096]),
    ]:
        path = tmp_path / name
        path.write_bytes(content)
        assert refused(tree.city, path).status == "not_package"


def test_package_for_another_recipient(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    package_for_city = tree.a.export(CITY)
    tree.b.take(tree.city.export(TOWN_B))  # B learns A's certificate from the city's directory
    error = refused(tree.b, package_for_city)
    assert error.status == "wrong_recipient" and CITY in error.en


def test_unknown_sender(tree: Tree, tmp_path: Path) -> None:
    from tests.integration.sync.support import make_node

    stranger = make_node(tmp_path / "x", TOWN_A, "冒名", "township")  # same code, keys nobody certified
    with stranger.db.session() as s, s.begin():
        key = keys.current_key(s)
        keys.issue_cert(s, code=TOWN_A, name="冒名", role="township", parent=None, key_no=7,
                        sign_public=key.sign_public, age_recipient=key.age_recipient)  # fmt: skip
    data = package.build(
        _header(TOWN_A, 7, CITY), _payload(TOWN_A, 7, CITY), _age_of(tree.city), lambda b: _sign(stranger, b)
    )
    path = tmp_path / "stranger.bfsync"
    path.write_bytes(data)
    stranger.db.close()
    assert refused(tree.city, path).status == "unknown_sender"


def test_revoked_sender(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"])
    path = tree.a.export(CITY)
    onboarding.revoke(tree.city.db, TOWN_A)
    error = refused(tree.city, path)
    assert error.status == "revoked"
    assert get(tree.city, Household, hid) is None
    # The revocation travels down: B refuses A too from now on.
    tree.b.take(tree.city.export(TOWN_B))
    with tree.b.db.session() as s:
        assert keys.cert_row(s, TOWN_A) is None  # no valid certificate left


def _header(sender: str, key_no: int, recipient: str, **over: object) -> dict:
    return {
        "package_id": "01a20000-0000-7000-8000-000000000001", "sender": sender, "sender_key": key_no,
        "recipients": [recipient], "seq": 1, "from_seq": 0, "to_seq": 0, "schema": "0002_sync",
        "created_at": "2026-11-29T00:00:00+00:00", "entries": 0, **over,
    }  # fmt: skip


def _payload(sender: str, key_no: int, recipient: str, **over: object) -> dict:
    header = _header(sender, key_no, recipient, **over)
    return {
        "manifest": {k: header[k] for k in package.MANIFEST_FIELDS},
        "entry_columns": list(ENTRY_COLUMNS), "entries": [], "receipts": [], "directory": {},
    }  # fmt: skip


def _age_of(node: Node) -> str:
    with node.db.session() as s:
        return keys.current_key(s).age_recipient


def _sign(node: Node, data: bytes) -> bytes:
    with node.db.session() as s:
        return keys.sign_bytes(keys.current_key(s), data)


def test_newer_schema_is_refused(tree: Tree, tmp_path: Path) -> None:
    data = package.build(
        _header(TOWN_A, 1, CITY, schema="0099_future"),
        _payload(TOWN_A, 1, CITY, schema="0099_future"),
        _age_of(tree.city),
        lambda b: _sign(tree.a, b),
    )
    path = tmp_path / "future.bfsync"
    path.write_bytes(data)
    error = refused(tree.city, path, receipts_written=True)  # the sender hears about it in a receipt
    assert error.status == "schema" and "0099_future" in error.en


def test_newer_format_is_refused(tree: Tree, tmp_path: Path) -> None:
    path = tmp_path / "v2.bfsync"
    path.write_bytes(b"BANGFU-SYNC/2\n{}\n")
    assert refused(tree.city, path).status == "format"


def test_manifest_must_repeat_the_header(tree: Tree, tmp_path: Path) -> None:
    """A signed header whose encrypted manifest names another recipient: a moved signature."""
    data = package.build(
        _header(TOWN_A, 1, CITY), _payload(TOWN_A, 1, TOWN_B), _age_of(tree.city), lambda b: _sign(tree.a, b)
    )
    path = tmp_path / "moved.bfsync"
    path.write_bytes(data)
    assert refused(tree.city, path).status == "manifest"


def test_payload_encrypted_for_someone_else(tree: Tree, tmp_path: Path) -> None:
    data = package.build(
        _header(TOWN_A, 1, CITY), _payload(TOWN_A, 1, CITY), _age_of(tree.b), lambda b: _sign(tree.a, b)
    )
    path = tmp_path / "other-key.bfsync"
    path.write_bytes(data)
    assert refused(tree.city, path).status == "decrypt"


def test_altered_relayed_entry_is_refused(tree: Tree, tmp_path: Path) -> None:
    """A sender that alters another node's audit entry (or its own history) breaks the hash chain."""
    add_household(tree.a, tree.ref["village_a"])
    good = tree.a.export(CITY).read_bytes()
    with tree.city.db.session() as s:
        envelope = package.split(good)
        payload = package.open_payload(envelope, keys.age_identities(s))
    row = payload["entries"][0]
    row[ENTRY_COLUMNS.index("actor")] = "someone else"
    header = {k: v for k, v in envelope.header.items() if k not in ("format", "payload_bytes")}
    path = tmp_path / "altered.bfsync"
    path.write_bytes(package.build(header, payload, _age_of(tree.city), lambda b: _sign(tree.a, b)))
    assert refused(tree.city, path).status == "chain"


def test_refusal_is_logged(tree: Tree, tmp_path: Path) -> None:
    from app.sync.models import SyncImportLog

    path = tmp_path / "junk.bfsync"
    path.write_bytes(b"junk")
    refused(tree.city, path)
    with tree.city.db.session() as s:
        [log] = s.query(SyncImportLog).all()
    assert log.status == "not_package" and log.file_name == "junk.bfsync"


def test_canonical_header_is_readable_and_has_no_personal_data(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    path = tree.a.export(CITY)
    data = path.read_bytes()
    header_line = data.split(b"\n")[1].decode()
    header = package.split(data).header
    assert canonical_json({**header}) == header_line
    assert set(header) == set(package.HEADER_FIELDS)
    assert "户主" not in header_line and "户主" not in path.name
