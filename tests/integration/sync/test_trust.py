"""Attacks on the trust tree and on write scope (issue 9, points 2 and 3): each is tried with real nodes and
real packages, and each must end in a refusal with the receiver's data unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from app.audit import GENESIS, entry_hash, verify, verify_rows
from app.domain.models import AuditEntry, Cadre, Department, Household, Pairing, Region
from app.hlc import HybridClock
from app.ids import new_id
from app.services.uow import UnitOfWork
from app.sync import keys, onboarding, queue
from app.sync.errors import NotTrusted, PackageRefused
from app.sync.models import SyncCert
from tests.integration.sync.support import (
    CITY,
    COUNTY,
    TOWN_A,
    TOWN_B,
    Node,
    Tree,
    add_household,
    business_state,
    data_dump,
    edit,
    get,
    make_node,
    onboard,
)


def refused(node: Node, path: Path) -> PackageRefused:
    before = data_dump(node)
    with pytest.raises(PackageRefused) as info:
        node.take(path)
    assert data_dump(node) == before
    assert info.value.zh and info.value.en and info.value.exit_code != 0
    return info.value


def fresh_public_keys() -> tuple[Ed25519PrivateKey, str, str]:
    signing = Ed25519PrivateKey.generate()
    return signing, signing.public_key().public_bytes_raw().hex(), str(pyrage.x25519.Identity.generate().to_public())


def plant_cert(node: Node, *, code: str, role: str, key_no: int = 0) -> None:
    """The attacker signs, with its own certified key, a certificate for someone else (as issue_cert does)."""
    _, sign_public, age_recipient = fresh_public_keys()
    with node.db.session() as s, s.begin():
        me = keys.own_node(s)
        key = keys.current_key(s)
        body = keys.Cert(code, "伪造", role, me.code, key_no, sign_public, age_recipient, me.code, key.key_no,
                         datetime.now(UTC).isoformat()).to_body()  # fmt: skip
        s.add(SyncCert(code=code, key_no=key_no, role=role, parent=me.code, body=body,
                       signature=keys.sign_bytes(key, body.encode()).hex()))  # fmt: skip


# ---------------------------------------------------------------- point 2: the trust tree


@pytest.mark.parametrize(
    ("code", "role"),
    [
        (CITY, "bogus"),  # an unknown role used to rank as harmless, and took over the city's code
        ("331122199", "bogus"),
        (TOWN_B, "township"),  # a sibling's code: outside the issuer's division
        ("331122101001", "township"),  # a township role on a village-length code
    ],
)
def test_a_township_cannot_plant_a_certificate(tree: Tree, code: str, role: str) -> None:
    plant_cert(tree.a, code=code, role=role)
    error = refused(tree.city, tree.a.export(CITY))
    assert error.status == "directory"
    with tree.city.db.session() as s:
        assert s.get(SyncCert, (code, 0)) is None


def test_a_different_body_for_a_stored_certificate_is_an_attack(tree: Tree) -> None:
    """The city's root, re-made by township A with A's own key under the same (code, key number)."""
    signing, sign_public, _ = fresh_public_keys()
    with tree.a.db.session() as s:
        age_recipient = keys.peer_cert(s, CITY).age_recipient  # still readable by the city
    body = keys.Cert(CITY, "丽水市", "city", None, 1, sign_public, age_recipient, CITY, 1,
                     datetime.now(UTC).isoformat()).to_body()  # fmt: skip
    with tree.a.db.session() as s, s.begin():
        s.execute(text("UPDATE sync_cert SET body = :b, signature = :g WHERE code = :c"),
                  {"b": body, "g": signing.sign(body.encode()).hex(), "c": CITY})  # fmt: skip
    with tree.city.db.session() as s:
        root_before = s.get(SyncCert, (CITY, 1)).body  # type: ignore[union-attr]
    error = refused(tree.city, tree.a.export(CITY))
    assert error.status == "directory" and "攻击" in error.zh and "attack" in error.en
    with tree.b.db.session() as s:
        assert keys.root_cert(s).body == root_before  # type: ignore[union-attr]


def test_onboard_refuses_an_out_of_area_request(tree: Tree, tmp_path: Path) -> None:
    county = make_node(tmp_path / "county", "331122", "缙云县", "county")
    onboard(tree.city, county)
    stranger = make_node(tmp_path / "stranger", "331102104", "老竹畲族镇", "township")  # in 莲都区, not 缙云县
    with pytest.raises(NotTrusted) as info:
        onboarding.onboard(county.db, onboarding.join_request(stranger.db))
    assert "331102104" in info.value.zh and "331122" in info.value.en
    county.db.close()
    stranger.db.close()


def test_a_revoked_issuer_kills_everything_below_it(tree: Tree, tmp_path: Path) -> None:
    county = make_node(tmp_path / "county", "331122", "缙云县", "county")
    onboard(tree.city, county)
    town = make_node(tmp_path / "town", "331122103", "东方镇", "township")
    onboard(county, town)
    onboarding.revoke(tree.city.db, "331122")
    with tree.city.db.session() as s:
        statement = keys.directory(s)["revocations"][0]
    with county.db.session() as s, s.begin():  # the statement reaches the county (it travels in any package)
        assert keys.accept_revocation(s, statement)
    error = refused(county, town.export("331122"))
    assert error.status == "revoked" and "331122103" in error.zh
    county.db.close()
    town.db.close()


# ---------------------------------------------------------------- point 3: what a sender may write


def scope_conflicts(node: Node) -> list[dict[str, object]]:
    return [c for c in queue.conflicts(node.db) if c["kind"] == "scope"]


def test_a_township_cannot_create_a_household_in_another_townships_village(tree: Tree) -> None:
    tree.city.take(tree.a.export(CITY))  # what A rightly holds (its own official villages) is at the city first
    hid = add_household(tree.a, tree.ref["village_b"])
    before = business_state(tree.city)
    report = tree.city.take(tree.a.export(CITY))
    # The entry stays in the trail (A's chain is whole) but changes nothing; a person sees it in the queue.
    assert report.status == "applied" and report.tables["household"]["skipped"] == 1
    assert business_state(tree.city) == before and get(tree.city, Household, hid) is None
    [conflict] = [c for c in scope_conflicts(tree.city) if c["entity"] == "household"]
    assert conflict["loser_node"] == TOWN_A and TOWN_B in str(conflict["detail"])
    assert any(TOWN_A in w["zh"] and TOWN_A in w["en"] for w in report.warnings)
    with tree.city.db.session() as s:
        assert verify(s).ok and verify_rows(s) == []


def test_a_township_cannot_rename_another_townships_household(tree: Tree) -> None:
    tree.city.take(tree.a.export(CITY))  # what A rightly holds (its own official villages) is at the city first
    hid = add_household(tree.b, tree.ref["village_b"])
    tree.city.take(tree.b.export(CITY))
    # A copies B's row into its own ledger behind the program's back, then edits it through the program.
    with tree.city.db.session() as s:
        row = {
            k: v
            for k, v in s.execute(text("SELECT * FROM household WHERE id = :i"), {"i": hid}).mappings().one().items()
        }
    with tree.a.db.session() as s, s.begin():
        s.execute(text(f"INSERT INTO household ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)})"), row)
    edit(tree.a, Household, hid, head_name="冒名")
    before = business_state(tree.city)
    tree.city.take(tree.a.export(CITY))
    assert business_state(tree.city) == before and get(tree.city, Household, hid).head_name != "冒名"
    [conflict] = scope_conflicts(tree.city)
    assert conflict["entity_id"] == hid and conflict["loser_value"] == {"head_name": "冒名"}


def test_a_township_keeps_its_own_records_of_county_departments_and_their_cadres(tree: Tree) -> None:
    """Cadres of county departments pair with a township's households (the roster names 缙云县财政局), so a
    township records the department (placed at its county) and its cadres. Those rows are the township's own:
    the city takes them. Another township may not edit them: the county lies above it, but the rows are A's."""
    tree.city.take(tree.a.export(CITY))
    with UnitOfWork(tree.a.db) as uow:
        county = uow.session.scalars(select(Region.id).where(Region.code == COUNTY)).one()
        dept = uow.add(Department(name="缙云县财政局", level="county", kind="party_gov", region_id=county))
        uow.session.flush()
        cadre = uow.add(Cadre(name="财政干部", department_id=dept.id, phone="13900000009"))
    add_household(tree.a, tree.ref["village_a"], cadre.id)
    report = tree.city.take(tree.a.export(CITY))
    assert report.status == "applied" and scope_conflicts(tree.city) == []
    assert get(tree.city, Department, dept.id).name == "缙云县财政局"
    assert get(tree.city, Cadre, cadre.id).name == "财政干部"

    tree.b.take(tree.city.export(TOWN_B))
    before = get(tree.city, Department, dept.id).name
    with tree.city.db.session() as s:
        row = dict(s.execute(text("SELECT * FROM department WHERE id = :i"), {"i": dept.id}).mappings().one())
    with tree.b.db.session() as s, s.begin():  # B holds A's row (copied behind the program's back) and edits it
        if s.get(Department, dept.id) is None:
            row["region_id"] = s.scalars(select(Region.id).where(Region.code == COUNTY)).one()
            columns = ", ".join(row)
            s.execute(text(f"INSERT INTO department ({columns}) VALUES ({', '.join(':' + k for k in row)})"), row)
    edit(tree.b, Department, dept.id, name="冒名单位")
    tree.city.take(tree.b.export(CITY))
    assert get(tree.city, Department, dept.id).name == before
    [conflict] = scope_conflicts(tree.city)
    assert conflict["entity_id"] == dept.id and conflict["loser_node"] == TOWN_B


def forge_chain(node: Node, author: str, count: int = 2) -> None:
    """Audit entries of a node that was never certified, hash-chained correctly, in the attacker's trail."""
    prev = GENESIS
    with node.db.session() as s, s.begin():
        for n in range(1, count + 1):
            item = {"id": new_id(), "node": author, "node_seq": n, "actor": "x", "at": datetime.now(UTC),
                    "action": "create", "entity": "sage", "entity_id": new_id(), "hlc": f"{1_700_000_000_000 + n:013d}-0000-{author}",
                    "before": None, "after": {"name": "伪造"}, "note": None}  # fmt: skip
            item["hash"] = prev = entry_hash(prev, {**item, "at": item["at"].isoformat()})
            s.add(AuditEntry(**item))


def test_a_chain_of_an_uncertified_node_is_refused(tree: Tree) -> None:
    forge_chain(tree.a, "331122109")
    error = refused(tree.city, tree.a.export(CITY))
    assert error.status == "scope" and "331122109" in error.zh


def test_authority_comes_from_the_certificate_not_from_the_stamp(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    tree.city.take(tree.a.export(CITY))
    with tree.city.db.session() as s:
        pid = s.scalars(select(Pairing.id).where(Pairing.subject_household_id == hid)).one()
    edit(tree.city, Pairing, pid, helper_cadre_id=tree.ref["cadre1"])
    # A's clock claims to be the city's, so its stamps end in "-331100".
    tree.a.db.clock = HybridClock(CITY, tree.a.db.clock.last if tree.a.db.clock else None)
    edit(tree.a, Pairing, pid, helper_cadre_id=tree.ref["cadre2"])
    error = refused(tree.city, tree.a.export(CITY))
    assert error.status == "scope"
    assert get(tree.city, Pairing, pid).helper_cadre_id == tree.ref["cadre1"]
