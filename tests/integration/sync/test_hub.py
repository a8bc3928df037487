"""The hub side: folders of packages, per-township status, one resident ID in two townships, relaying through
a county, clock skew quarantine, key rotation."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from app.audit import verify
from app.domain.models import Household
from app.hlc import HybridClock
from app.sync import importer, onboarding, queue
from tests.integration.sync.support import (
    CITY,
    COUNTY,
    TOWN_A,
    TOWN_B,
    Tree,
    add_household,
    business_state,
    get,
    make_node,
    onboard,
    seed_reference,
)


def test_folder_import_in_sequence_order_per_sender(tree: Tree, tmp_path: Path) -> None:
    inbox = tmp_path / "usb"
    inbox.mkdir()
    for town in (tree.a, tree.b):
        village = tree.ref["village_a" if town is tree.a else "village_b"]
        for n in range(3):
            add_household(town, village)
            path = town.export(CITY)
            shutil.copy(path, inbox / f"{town.code}-{9 - n}.bfsync")  # names sort against the sequence
    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied"] * 6
    assert [(r.sender, r.seq) for r in reports] == sorted((r.sender, r.seq) for r in reports)
    city = business_state(tree.city)["household"]
    assert len(city) == 6
    status = {p.code: p for p in queue.status(tree.city.db).peers}
    assert status[TOWN_A].packages_in == 3 and status[TOWN_B].last_import_at is not None
    assert status[TOWN_A].receipts_to_send >= 1  # outstanding receipts, until the next export down


def test_same_resident_id_in_two_townships_is_flagged(tree: Tree) -> None:
    from tests.integration.sync.support import resident_id

    same = resident_id(777)
    add_household(tree.a, tree.ref["village_a"], id_number=same)
    add_household(tree.b, tree.ref["village_b"], id_number=same)
    tree.city.take(tree.a.export(CITY))
    assert [c for c in queue.conflicts(tree.city.db) if c["kind"] == "dup_id"] == []
    report = tree.city.take(tree.b.export(CITY))
    assert report.rule_violations == 1
    [flag] = [c for c in queue.conflicts(tree.city.db) if c["kind"] == "dup_id"]
    assert TOWN_A in flag["detail"] and TOWN_B in flag["detail"] and same not in flag["detail"]


def test_clock_far_ahead_is_quarantined(tree: Tree) -> None:
    year_ms = 366 * 24 * 3600 * 1000
    tree.b.db.clock = HybridClock(TOWN_B, wall=lambda: time.time_ns() // 1_000_000 + year_ms)  # a PC a year ahead
    hid = add_household(tree.b, tree.ref["village_b"])
    report = tree.city.take(tree.b.export(CITY))
    assert report.quarantined > 0 and report.warnings
    assert "clock" in report.warnings[0]["en"]
    assert get(tree.city, Household, hid) is None  # not applied …
    assert len(queue.quarantine(tree.city.db)) == report.quarantined  # … but held for a person
    assert tree.city.db.clock is not None and tree.city.db.clock.last < HybridClock(TOWN_B).now()  # not poisoned
    with tree.city.db.session() as s:
        assert verify(s).ok  # the entries are stored, the chain stays whole


def test_key_rotation_and_old_packages_in_transit(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    in_transit = tree.a.export(CITY)  # signed with key 1
    request = onboarding.rotate_keys(tree.a.db)
    onboarding.join(tree.a.db, onboarding.onboard(tree.city.db, request))
    add_household(tree.a, tree.ref["village_a"])
    fresh = tree.a.export(CITY)
    assert b'"sender_key":2' in fresh.read_bytes()
    assert tree.city.take(in_transit).status == "applied"
    assert tree.city.take(fresh).status == "applied"
    # A package the city made for the old key still opens on the township.
    assert tree.a.take(tree.city.export(TOWN_A)).status == "applied"


def test_rotation_needs_the_previous_key(tree: Tree) -> None:
    from app.sync.errors import NotTrusted

    forged = onboarding.join_request(tree.b.db)  # B's keys, claiming to be a new key of A
    import json

    body = json.loads(forged["body"])
    body.update(code=TOWN_A, key_no=2, prev_key_no=1)
    from app.audit import canonical_json
    from app.sync import keys

    forged["body"] = canonical_json(body)
    with tree.b.db.session() as s:
        forged["signature"] = keys.sign_bytes(keys.current_key(s), forged["body"].encode()).hex()
        forged["prev_signature"] = forged["signature"]
    with pytest.raises(NotTrusted):
        onboarding.onboard(tree.city.db, forged)


@pytest.mark.slow
def test_relay_township_county_city(tmp_path: Path) -> None:
    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    county = make_node(tmp_path / "county", COUNTY, "缙云县", "county")
    town = make_node(tmp_path / "town", TOWN_A, "壶镇镇", "township")
    try:
        onboard(city, county)
        onboard(county, town)
        ref = seed_reference(city)
        county.take(city.export(COUNTY))
        town.take(county.export(TOWN_A))  # the city's reference data reaches the township via the county
        assert business_state(town)["cadre"] == business_state(city)["cadre"]
        hid = add_household(town, ref["village_a"], ref["cadre0"])
        county.take(town.export(COUNTY))
        report = city.take(county.export(CITY))  # relayed: the township's own entries, not re-stamped
        assert report.tables["household"]["created"] == 1
        assert get(city, Household, hid).origin_node == TOWN_A
        with city.db.session() as s:
            assert verify(s).ok
        # Receipts flow back down; nothing comes back up again.
        county.take(city.export(COUNTY))
        town.take(county.export(TOWN_A))
        assert county.take(town.export(COUNTY)).new_entries == 0
        assert city.take(county.export(CITY)).new_entries == 0
    finally:
        for n in (city, county, town):
            n.db.close()
