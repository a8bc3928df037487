"""Issue 9 point 5: a township restored from a backup continues on a declared fork that the city accepts.

The township's lost edits (held only at the city) come back down, its edits made after the restore are
re-appended after a signed fork entry, both sides converge with no edit lost, and ``audit verify`` passes on
both. A divergent chain without a fork is still refused."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from app.cli import main
from app.domain.models import AuditEntry, Household
from app.services import officers
from app.sync import anchor, exporter, importer
from app.sync.errors import PackageRefused
from app.sync.models import SyncAnchor, SyncConflict
from tests.integration.sync.support import (
    CITY,
    PASSWORD,
    TOWN_A,
    Node,
    Tree,
    add_household,
    business_state,
    data_dump,
    edit,
    get,
)
from tests.integration.sync.test_anchor import rewrite_history, verify_cli
from tests.integration.sync.test_minimisation import chains_verify

_boxes = itertools.count(1)


def audit_ok(*nodes: Node) -> None:
    """What ``audit verify`` checks: every chain, every data row against the trail, every signed anchor."""
    chains_verify(*nodes)
    for node in nodes:
        with node.db.session() as s:
            assert anchor.problems(s) == [], node.code


def chain_of(node: Node, code: str) -> list[tuple[int, str]]:
    with node.db.session() as s:
        return list(s.execute(select(AuditEntry.node_seq, AuditEntry.hash).where(AuditEntry.node == code)
                              .order_by(AuditEntry.node_seq)).all())  # fmt: skip


def restore_backup(node: Node, backup: str) -> None:
    node.db.close()
    node.path.with_name(backup).replace(node.path)  # the disk dies; yesterday's backup comes back
    node.path.with_name(node.path.name + "-wal").unlink(missing_ok=True)
    node.reopen()


def head_seq(node: Node) -> int:
    with node.db.session() as s:
        return int(s.scalar(select(func.max(AuditEntry.node_seq)).where(AuditEntry.node == node.code)) or 0)


def take_backup(node: Node, name: str) -> None:
    node.db.close()
    shutil.copyfile(node.path, node.path.with_name(name))
    node.reopen()


def test_restored_township_forks_and_the_city_accepts(tree: Tree) -> None:
    a, city = tree.a, tree.city
    shared = add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    take_backup(a, "a-backup.db")
    backed_up = head_seq(a)  # init (its places, the node record) + the shared household and its member
    # Made after the backup, synced to the city, then lost at the township by the restore:
    lost_new = add_household(a, tree.ref["village_a"])
    edit(a, Household, shared, phone="13911110000")
    assert city.take(a.export(CITY)).status == "applied"
    restore_backup(a, "a-backup.db")
    assert get(a, Household, lost_new) is None
    # Made after the restore: these numbers collide with what the city holds.
    after_new = add_household(a, tree.ref["village_a"])
    edit(a, Household, shared, address="丽水市云和县某村 8 号")

    # 1. The township's package is refused as diverged; the city keeps its data and answers with a receipt.
    before = data_dump(city, receipts_written=True)
    with pytest.raises(PackageRefused) as refused:
        city.take(a.export(CITY))
    assert refused.value.status == "diverged"
    assert "sync export --to 331122101" in refused.value.en and "sync export --to 331122101" in refused.value.zh
    assert data_dump(city, receipts_written=True) == before

    # 2. The city's next package brings the lost entries back; the township forks and says so once.
    report = a.take(city.export(TOWN_A))
    assert report.status == "applied"
    forked = [w for w in report.warnings if w["kind"] == "forked"]
    assert len(forked) == 1 and "备份" in forked[0]["zh"] and "backup" in forked[0]["en"]
    assert get(a, Household, lost_new) is not None  # the lost edits are back
    restored = get(a, Household, shared)
    # Different fields: the phone edited before the loss and the address edited after it both survive.
    assert (restored.phone, restored.address) == ("13911110000", "丽水市云和县某村 8 号")
    assert get(a, Household, after_new) is not None

    # 3. The township's next package is accepted (and no longer warns of a rewind); both sides hold the same
    # rows and the same chain.
    healed = exporter.export_package(a.db, CITY, a.outbox)
    assert healed.warnings == ()
    assert city.take(healed.path).status == "applied"
    assert business_state(city)["household"] == business_state(a)["household"]
    assert {lost_new, after_new, shared} <= set(business_state(city)["household"])
    assert chain_of(city, TOWN_A) == chain_of(a, TOWN_A)
    with a.db.session() as s:
        fork = s.scalars(select(AuditEntry).where(AuditEntry.node == TOWN_A, AuditEntry.action == "fork")).one()
        # The township's chain up to the backup: entries 1…B (B = backed_up: init's places and node record, the
        # shared household and its member). Lost by the restore: household + member + phone edit = B+1…B+3,
        # acknowledged by the city. The fork is entry B+3 + 1 = B+4; it abandons the local B+1…B+3, and the
        # 3 edits made after the restore (household + member + address) follow it as B+5…B+7.
        b = backed_up
        assert fork.node_seq == b + 4 and fork.after["continues"]["seq"] == b + 3
        assert fork.after["abandoned"] == {"from": b + 1, "to": b + 3}
        assert fork.after["acknowledged_by"] == CITY and fork.after["rebased"] == 3  # 2 creates + 1 address edit
        assert s.scalar(select(func.max(AuditEntry.node_seq)).where(AuditEntry.node == TOWN_A)) == b + 4 + 3
    audit_ok(a, city)

    # 4. Sync continues as usual: a later edit flows up, the city's answer brings no warning.
    edit(a, Household, after_new, phone="13922220000")
    assert city.take(a.export(CITY)).status == "applied"
    again = a.take(city.export(TOWN_A))
    assert again.status == "applied" and not [w for w in again.warnings if w["kind"] in ("forked", "rewound")]
    assert business_state(city)["household"] == business_state(a)["household"]
    audit_ok(a, city)


def test_the_same_field_edited_before_the_loss_and_after_the_restore(tree: Tree) -> None:
    """Both edits are the township's own: the newer stamp (made after the restore) wins on both sides, and the
    older value is not silently dropped — it waits in the conflict queue on both sides."""
    a, city = tree.a, tree.city
    hid = add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    take_backup(a, "a-backup.db")
    edit(a, Household, hid, phone="13911110000")  # lost by the restore
    assert city.take(a.export(CITY)).status == "applied"
    restore_backup(a, "a-backup.db")
    edit(a, Household, hid, phone="13922220000")  # made after the restore: the newer stamp
    with pytest.raises(PackageRefused):
        city.take(a.export(CITY))
    a.take(city.export(TOWN_A))
    assert city.take(a.export(CITY)).status == "applied"
    for node in (a, city):
        assert get(node, Household, hid).phone == "13922220000", node.code
        with node.db.session() as s:
            losers = [c.loser_value for c in s.scalars(select(SyncConflict).where(SyncConflict.entity_id == hid))]
        assert "13911110000" in losers, node.code
    assert business_state(city)["household"] == business_state(a)["household"]
    audit_ok(a, city)


def test_restored_township_that_did_not_edit_takes_its_lost_records_back(tree: Tree) -> None:
    """Nothing made since the restore, so nothing diverges: the city sees the township's signed head behind
    the chain it holds, returns the lost entries, and the township's chain simply continues from them."""
    a, city = tree.a, tree.city
    take_backup(a, "a-backup.db")
    lost = add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    restore_backup(a, "a-backup.db")
    city.take(a.export(CITY))  # nothing new for the city, but its receipt says what the township lost
    report = a.take(city.export(TOWN_A))
    assert [w["kind"] for w in report.warnings] == ["recovered"]
    assert get(a, Household, lost) is not None
    later = add_household(a, tree.ref["village_a"])  # continues the chain after the returned entries
    assert city.take(a.export(CITY)).status == "applied"
    assert get(city, Household, later) is not None
    assert chain_of(city, TOWN_A) == chain_of(a, TOWN_A)
    assert business_state(city)["household"] == business_state(a)["household"]
    audit_ok(a, city)


def test_a_late_older_package_does_not_make_a_township_fork(tree: Tree) -> None:
    """The city takes an older package after a newer one: the head in it is behind, so the city returns the
    entries after it — which the township holds as they are. Its edits made since stay where they are."""
    a, city = tree.a, tree.city
    add_household(a, tree.ref["village_a"])
    older = a.export(CITY)
    add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    city.take(older)
    unsynced = add_household(a, tree.ref["village_a"])
    chain = chain_of(a, TOWN_A)
    report = a.take(city.export(TOWN_A))
    assert report.status == "applied" and not [w for w in report.warnings if w["kind"] in ("forked", "recovered")]
    assert chain_of(a, TOWN_A) == chain  # nothing renumbered
    assert city.take(a.export(CITY)).status == "applied"
    assert get(city, Household, unsynced) is not None
    assert chain_of(city, TOWN_A) == chain_of(a, TOWN_A)
    audit_ok(a, city)


def test_returned_entries_without_the_townships_own_signature_are_refused(tree: Tree) -> None:
    """The parent cannot make up a child's history: entries returned without the child's own signed head of
    them are not taken as a fork, and the divergence is refused with the township's data unchanged."""
    a, city = tree.a, tree.city
    take_backup(a, "a-backup.db")
    add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    restore_backup(a, "a-backup.db")
    add_household(a, tree.ref["village_a"])
    with pytest.raises(PackageRefused):
        city.take(a.export(CITY))
    with city.db.session() as s, s.begin():  # the city lost the township's signed heads
        s.execute(delete(SyncAnchor).where(SyncAnchor.node == TOWN_A))
    package = city.export(TOWN_A)
    before = data_dump(a, receipts_written=True)
    with pytest.raises(PackageRefused) as refused:
        a.take(package)
    assert refused.value.status == "diverged"
    assert data_dump(a, receipts_written=True) == before


def test_after_a_fork_an_undeclared_rewrite_is_still_reported(
    tree: Tree, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fork is declared (a signed entry the city accepted); rewriting synced history without one is not:
    the real ``audit verify`` passes after the fork and reports a later rewrite, on both sides."""
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    a, city = tree.a, tree.city
    take_backup(a, "a-backup.db")
    lost = add_household(a, tree.ref["village_a"])
    assert city.take(a.export(CITY)).status == "applied"
    restore_backup(a, "a-backup.db")
    add_household(a, tree.ref["village_a"])
    with pytest.raises(PackageRefused):
        city.take(a.export(CITY))
    a.take(city.export(TOWN_A))
    assert city.take(a.export(CITY)).status == "applied"
    a.take(city.export(TOWN_A))  # the city's acknowledgement of the forked head comes back
    assert verify_cli(a, capsys)[0] == 0 and verify_cli(city, capsys)[0] == 0
    rewrite_history(a, lost, "13000000000")
    code, out = verify_cli(a, capsys)
    assert code == 1 and f"differ from what {CITY} acknowledged" in out


def test_restore_and_heal_through_the_cli(
    tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The officer's path with the real commands: backup, restore, sync export/import, audit verify."""
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    monkeypatch.setenv("BANGFU_DATA_DIR", str(tmp_path / "data"))
    a, city = tree.a, tree.city

    def cli(node: Node, *argv: str) -> tuple[int, str, str]:
        node.db.close()
        try:
            words = 2 if argv[0] in ("sync", "audit") else 1  # the command's own words come before --db
            code = main([*argv[:words], "--db", str(node.path), *argv[words:]])
        finally:
            node.reopen()
        out = capsys.readouterr()
        return code, out.out, out.err

    def carry(sender: Node, to: str, receiver: Node) -> tuple[int, str, str]:
        box = tmp_path / f"usb-{next(_boxes)}"
        box.mkdir()
        assert cli(sender, "sync", "export", "--to", to, str(box))[0] == 0
        return cli(receiver, "sync", "import", str(box))

    for node in (a, city):  # the CLI records the officer chosen from the node's list (issue 9 point 7)
        officers.add(node.db, "tester")
    backup = tmp_path / "a-backup.db"
    assert cli(a, "backup", "--to", str(backup))[0] == 0
    lost = add_household(a, tree.ref["village_a"])
    assert carry(a, CITY, city)[0] == 0
    code, out, _ = cli(a, "restore", str(backup))
    assert code == 0 and get(a, Household, lost) is None
    kept = add_household(a, tree.ref["village_a"])
    assert cli(a, "audit", "verify")[0] == 0  # remembers where the (diverging) chain was last verified
    code, out, err = carry(a, CITY, city)
    assert code == 2 and "diverged" in out + err and "sync export --to 331122101" in out + err
    code, out, _ = carry(city, TOWN_A, a)
    assert code == 0 and "备份" in out and "no edit was lost" in out
    code, out, _ = carry(a, CITY, city)
    assert code == 0 and "applied" in out
    assert {lost, kept} <= set(business_state(city)["household"]) and {lost, kept} <= set(
        business_state(a)["household"]
    )
    assert business_state(city)["household"] == business_state(a)["household"]
    for node in (a, city):
        code, out, _ = cli(node, "audit", "verify")
        assert code == 0, out
    code, out, _ = cli(a, "audit", "verify", "--incremental")  # the head verified before the fork is not trusted
    assert code == 0, out


def test_an_export_after_the_restore_keeps_the_older_package_in_the_folder(tree: Tree) -> None:
    """A restore rewinds the package numbers too, so the next export to the same folder has the name of a file
    already there: one the city may not have taken yet, and the only copy of the edits the restore lost. It is
    kept (the new file gets another name); the city takes both and the fork heals as usual."""
    a, city = tree.a, tree.city
    take_backup(a, "a-backup.db")
    lost = add_household(a, tree.ref["village_a"])
    older = a.export(CITY)  # not carried yet when the disk dies
    data = older.read_bytes()
    restore_backup(a, "a-backup.db")
    kept = add_household(a, tree.ref["village_a"])
    newer = a.export(CITY)
    assert newer != older and older.read_bytes() == data
    assert city.take(older).status == "applied"  # the lost household reaches the city after all
    with pytest.raises(PackageRefused) as refused:
        city.take(newer)
    assert refused.value.status == "diverged"
    a.take(city.export(TOWN_A))
    assert city.take(a.export(CITY)).status == "applied"
    for node in (a, city):
        assert {lost, kept} <= set(business_state(node)["household"]), node.code
    audit_ok(a, city)


def test_a_folder_import_takes_the_older_package_before_its_renamed_twin(tree: Tree) -> None:
    """The county IT person's monthly run imports the whole folder. The older file (``…-000003.bfsync``, the
    only copy of what the restore lost) must go before the file the restored township wrote next to it
    (``…-000003-2.bfsync``): taken the other way round, the older one is refused as diverged and the lost
    household never reaches the city."""
    a, city = tree.a, tree.city
    for _ in range(2):  # numbers past 1, so a sequence number is never mistaken for a copy number
        add_household(a, tree.ref["village_a"])
        first = a.export(CITY)
        assert city.take(first).status == "applied"
        first.unlink()  # carried and taken
    take_backup(a, "a-backup.db")
    lost = add_household(a, tree.ref["village_a"])
    older = a.export(CITY)
    assert older.name.endswith("-000003.bfsync")
    restore_backup(a, "a-backup.db")
    kept = add_household(a, tree.ref["village_a"])
    newer = a.export(CITY)
    assert newer.name == older.name.removesuffix(".bfsync") + "-2.bfsync"
    assert importer.package_files(a.outbox) == [older, newer]
    reports = importer.import_folder(city.db, a.outbox)
    assert [r.status for r in reports] == ["applied", "diverged"]
    assert lost in business_state(city)["household"]
    a.take(city.export(TOWN_A))
    assert city.take(a.export(CITY)).status == "applied"
    for node in (a, city):
        assert {lost, kept} <= set(business_state(node)["household"]), node.code
    audit_ok(a, city)
