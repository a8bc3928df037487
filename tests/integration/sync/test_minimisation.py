"""Data minimisation without broken chains (issue 9, point 1): what the city or a county changed in one
township's rows never reaches another township, yet every later package still applies — the withheld
entries travel as hash stubs (node, sequence number, hash; no personal data)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.audit import verify, verify_rows
from app.domain.models import AuditEntry, Cadre, Household
from tests.integration.sync.support import (
    CITY,
    COUNTY,
    TOWN_A,
    TOWN_B,
    Node,
    Tree,
    add_household,
    business_state,
    edit,
    get,
    make_node,
    onboard,
    seed_reference,
)


def holds_no_trace(node: Node, row_id: str, *texts: str) -> None:
    with node.db.session() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.entity_id == row_id)).all() == []
        for entry in s.scalars(select(AuditEntry)):
            for text in texts:
                assert text not in str(entry.after) and text not in str(entry.before)


def chains_verify(*nodes: Node) -> None:
    for node in nodes:
        with node.db.session() as s:
            report = verify(s)
            assert report.ok, (node.code, report.problem)
            assert verify_rows(s) == [], node.code


def test_city_edits_followed_by_more_city_edits_keep_flowing_down(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"])
    hid_b = add_household(tree.b, tree.ref["village_b"])
    tree.city.take(tree.a.export(CITY))
    tree.city.take(tree.b.export(CITY))
    for round_no in range(3):
        # The city corrects A's household, then B's, then edits reference data both townships need.
        edit(tree.city, Household, hid, phone=f"1391111000{round_no}")
        edit(tree.city, Household, hid_b, phone=f"1392222000{round_no}")
        edit(tree.city, Cadre, tree.ref["cadre0"], phone=f"1370000000{round_no}")
        assert tree.a.take(tree.city.export(TOWN_A)).status == "applied"
        assert tree.b.take(tree.city.export(TOWN_B)).status == "applied"
        # … and the townships keep writing up.
        edit(tree.a, Household, hid, natural_village=f"上村{round_no}")
        edit(tree.b, Household, hid_b, natural_village=f"试验自然村{round_no}")
        assert tree.city.take(tree.a.export(CITY)).status == "applied"
        assert tree.city.take(tree.b.export(CITY)).status == "applied"
    assert get(tree.a, Household, hid).phone == "13911110002"
    assert get(tree.b, Household, hid_b).phone == "13922220002"
    assert get(tree.b, Cadre, tree.ref["cadre0"]).phone == "13700000002"  # reference data reached B each round
    assert get(tree.city, Household, hid).natural_village == "上村2"
    holds_no_trace(tree.b, hid, "13911110002", "上村")
    holds_no_trace(tree.a, hid_b, "13922220002", "试验自然村")
    chains_verify(tree.city, tree.a, tree.b)


def test_county_corrections_flow_down_through_the_relay(tmp_path: Path) -> None:
    """City → county → two townships; the county and the city both correct township A's household."""
    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    county = make_node(tmp_path / "county", COUNTY, "缙云县", "county")
    a = make_node(tmp_path / "a", TOWN_A, "壶镇镇", "township")
    b = make_node(tmp_path / "b", TOWN_B, "新建镇", "township")
    nodes = (city, county, a, b)
    try:
        onboard(city, county)
        onboard(county, a)
        onboard(county, b)
        ref = seed_reference(city)
        county.take(city.export(COUNTY))
        a.take(county.export(TOWN_A))
        b.take(county.export(TOWN_B))
        hid = add_household(a, ref["village_a"])
        county.take(a.export(COUNTY))
        city.take(county.export(CITY))
        for round_no in range(2):
            edit(city, Household, hid, phone=f"1391111000{round_no}")
            edit(city, Cadre, ref["cadre1"], phone=f"1371111000{round_no}")
            assert county.take(city.export(COUNTY)).status == "applied"
            edit(county, Household, hid, address=f"县里改的地址{round_no}")
            edit(county, Cadre, ref["cadre2"], phone=f"1372222000{round_no}")
            for town in (a, b):
                assert town.take(county.export(town.code)).status == "applied"
                assert town.take(county.export(town.code)).status in ("applied", "duplicate")
            assert county.take(a.export(COUNTY)).status == "applied"
            assert county.take(b.export(COUNTY)).status == "applied"
            assert city.take(county.export(CITY)).status == "applied"
        assert get(a, Household, hid).phone == "13911110001"
        assert get(a, Household, hid).address == "县里改的地址1"
        assert get(b, Cadre, ref["cadre1"]).phone == "13711110001"
        assert get(b, Cadre, ref["cadre2"]).phone == "13722220001"
        holds_no_trace(b, hid, "13911110001", "县里改的地址")
        assert (
            business_state(a)["household"] == business_state(city)["household"] == business_state(county)["household"]
        )
        chains_verify(*nodes)
    finally:
        for node in nodes:
            node.db.close()
