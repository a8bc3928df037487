"""Anchored audit chains (issue 9, point 6): a trail rewritten with the password and hashlib, which the hash
chain alone cannot show, differs from the head the city acknowledged — ``audit verify`` says so, at the
township and at the city."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import GENESIS, entry_hash, entry_payload, verify
from app.cli import main
from app.domain.models import AuditEntry, Household, NodeInfo
from app.sync.models import SyncAnchor
from tests.integration.sync.support import CITY, PASSWORD, TOWN_A, Node, Tree, add_household, edit


def rewrite_history(node: Node, entity_id: str, phone: str, chain: str = TOWN_A) -> int:
    """What an insider with the password does: change one entry of ``chain`` and the row, re-hash everything
    after it. Returns the node_seq of the changed entry."""
    with node.db.session() as s, s.begin():
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.node == chain).order_by(AuditEntry.node_seq)))
        target = next(e for e in entries if e.entity_id == entity_id and e.action == "create")
        target.after = {**(target.after or {}), "phone": phone}
        s.get(Household, entity_id).phone = phone  # type: ignore[union-attr]
        at = entries.index(target)
        prev = entries[at - 1].hash if at else GENESIS  # the entry before it in the chain
        for e in entries[entries.index(target) :]:
            e.hash = prev = entry_hash(prev, entry_payload(e))
        if chain == node.code:
            s.scalars(select(NodeInfo)).one().audit_head_hash = prev
        return target.node_seq


def verify_cli(node: Node, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    node.db.close()
    code = main(["audit", "verify", "--db", str(node.path)])
    node.reopen()
    return code, capsys.readouterr().out


def test_a_rewritten_trail_differs_from_what_the_city_acknowledged(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))  # round 1: the city keeps A's signed head …
    tree.a.take(tree.city.export(TOWN_A))  # … and A keeps the city's signed acknowledgement of it
    first = add_household(tree.a, tree.ref["village_a"])
    add_household(tree.a, tree.ref["village_a"])
    edit(tree.a, Household, first, natural_village="上村")
    tree.city.take(tree.a.export(CITY))  # round 2
    tree.a.take(tree.city.export(TOWN_A))
    with tree.a.db.session() as s:
        acks = s.scalars(select(SyncAnchor).where(SyncAnchor.kind == "ack").order_by(SyncAnchor.seq)).all()
    assert [(a.signer, a.node) for a in acks] == [(CITY, TOWN_A)] * 2
    with tree.city.db.session() as s:
        assert s.scalars(select(SyncAnchor).where(SyncAnchor.kind == "head", SyncAnchor.node == TOWN_A)).all()
    assert verify_cli(tree.a, capsys)[0] == 0

    changed = rewrite_history(tree.a, first, "13000000000")
    assert acks[0].seq < changed <= acks[1].seq
    with tree.a.db.session() as s:
        assert verify(s).ok  # the hash chain alone no longer shows anything
    code, out = verify_cli(tree.a, capsys)
    assert code == 1
    # The stretch the anchors bound: after the first acknowledged head (still intact) up to the second.
    start, end = acks[0].seq + 1, acks[1].seq
    assert f"Entries {start:,}–{end:,} of node {TOWN_A} differ from what {CITY} acknowledged on " in out
    assert f"第 {start:,}–{end:,} 条" in out

    # The same at the city, where A's chain is held with A's signed head.
    rewrite_history(tree.city, first, "13000000000")
    code, out = verify_cli(tree.city, capsys)
    assert code == 1 and f"differ from what {TOWN_A} signed on" in out
