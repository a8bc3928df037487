"""Order, repeats and loss: duplicates are no-ops with the same receipt, old packages after new ones change
nothing, gaps are refused with "resend from N", and a lost file heals with the next export."""

from __future__ import annotations

import shutil

import pytest

from app.domain.models import Household
from app.sync import exporter
from app.sync.errors import GapRefused, PackageRefused
from app.sync.models import SyncReceipt
from tests.integration.sync.support import CITY, TOWN_A, Tree, add_household, business_state, data_dump, edit, get


def test_duplicate_is_a_no_op_with_the_same_receipt(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    package = tree.a.export(CITY)
    first = tree.city.take(package)
    before = data_dump(tree.city)
    again = tree.city.take(package)
    assert again.status == "duplicate" and again.exit_code == 0
    assert again.tables == first.tables  # the same receipt, re-issued
    assert data_dump(tree.city) == before
    with tree.city.db.session() as s:
        receipts = s.query(SyncReceipt).filter_by(direction="out", package_id=first.package_id).all()
    assert len(receipts) == 1 and receipts[0].sent_in is None  # queued to travel back again


def test_older_package_after_newer_changes_nothing(tree: Tree) -> None:
    hid = add_household(tree.a, tree.ref["village_a"])
    old = tree.a.export(CITY)
    edit(tree.a, Household, hid, phone="13933330000")
    new = tree.a.export(CITY)  # cumulative: holds the first package's changes too
    assert tree.city.take(new).status == "applied"
    state = data_dump(tree.city, receipts_written=True)
    late = tree.city.take(old)
    assert late.status == "duplicate" and late.new_entries == 0 and late.held_entries > 0
    assert late.warnings == [
        {"zh": "已包含在之前的同步包中，没有新内容。", "en": "Already contained in an earlier package: nothing new."}
    ]
    assert data_dump(tree.city, receipts_written=True) == state
    assert get(tree.city, Household, hid).phone == "13933330000"


def test_lost_package_heals_with_the_next_export(tree: Tree) -> None:
    first = add_household(tree.a, tree.ref["village_a"])
    tree.a.export(CITY).unlink()  # the USB stick is lost
    second = add_household(tree.a, tree.ref["village_a"])
    report = tree.city.take(tree.a.export(CITY))
    assert report.status == "applied"
    assert get(tree.city, Household, first) is not None and get(tree.city, Household, second) is not None


def test_gap_is_refused_with_resend_from_and_heals_after_the_receipt(tree: Tree) -> None:
    city_backup = tree.city.path.with_name("before.db")
    tree.city.db.close()  # (Database.backup trips over its own BEGIN on this engine: copy the closed file)
    shutil.copyfile(tree.city.path, city_backup)
    tree.city.reopen()
    add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    tree.a.take(tree.city.export(TOWN_A))  # receipt: the township now exports from there on
    later = add_household(tree.a, tree.ref["village_a"])
    package = tree.a.export(CITY)
    # The city's disk dies; it restores yesterday's backup, which lacks the first package.
    tree.city.db.close()
    city_backup.replace(tree.city.path)
    tree.city.path.with_name(tree.city.path.name + "-wal").unlink(missing_ok=True)
    tree.city.reopen()
    before = data_dump(tree.city, receipts_written=True)
    with pytest.raises(GapRefused) as refused:
        tree.city.take(package)
    assert refused.value.resend_from == 0 and "resend from 0" in refused.value.en and refused.value.exit_code == 1
    # What to run, and where, in both languages with the same number.
    command = f"sync export --to {CITY} --since 0"
    assert f"{TOWN_A} 上运行 {command}" in refused.value.zh and f"On {TOWN_A}, run: {command}" in refused.value.en
    assert data_dump(tree.city, receipts_written=True) == before
    # The gap receipt travels back; the township's next export starts where the city really is.
    tree.a.take(tree.city.export(TOWN_A))
    assert tree.city.take(tree.a.export(CITY)).status == "applied"
    assert get(tree.city, Household, later) is not None
    assert business_state(tree.city)["household"] == business_state(tree.a)["household"]


def test_resend_from_explicit_number(tree: Tree) -> None:
    add_household(tree.a, tree.ref["village_a"])
    with pytest.raises(GapRefused):
        tree.city.take(tree.a.export(CITY, since=5))
    assert tree.city.take(tree.a.export(CITY, since=0)).status == "applied"


def test_a_restored_township_is_not_silently_skipped(tree: Tree) -> None:
    """Issue 9 point 5: after A restores a backup and edits, its new entries reuse numbers the city holds for
    other changes. Skipping them by number lost the edits and sent back a receipt saying all was well."""
    tree.a.db.close()
    backup = tree.a.path.with_name("a-backup.db")
    shutil.copyfile(tree.a.path, backup)
    tree.a.reopen()
    add_household(tree.a, tree.ref["village_a"])
    tree.city.take(tree.a.export(CITY))
    tree.a.db.close()
    backup.replace(tree.a.path)  # the township's disk dies; yesterday's backup comes back
    tree.a.path.with_name(tree.a.path.name + "-wal").unlink(missing_ok=True)
    tree.a.reopen()
    lost_before = add_household(tree.a, tree.ref["village_a"])
    # The city's next package carries its receipt for what A had before the loss: A notices the rewind.
    report = tree.a.take(tree.city.export(TOWN_A))
    assert [w["kind"] for w in report.warnings] == ["rewound"]
    assert "备份" in report.warnings[0]["zh"] and "backup" in report.warnings[0]["en"]
    # Noticed at export too, until it heals.
    exported = exporter.export_package(tree.a.db, CITY, tree.a.outbox)
    assert [w["kind"] for w in exported.warnings] == ["rewound"]
    before = data_dump(tree.city, receipts_written=True)  # the refusal's receipt starts the fork that heals it
    with pytest.raises(PackageRefused) as refused:
        tree.city.take(exported.path)
    assert refused.value.status == "diverged" and refused.value.exit_code == 2
    assert "备份" in refused.value.zh and "backup" in refused.value.en and TOWN_A in refused.value.en
    assert data_dump(tree.city, receipts_written=True) == before  # nothing half-applied
    with tree.city.db.session() as s:  # and no receipt saying all is well
        assert (
            s.query(SyncReceipt)
            .filter_by(direction="out", peer=TOWN_A)
            .order_by(SyncReceipt.number.desc())
            .first()
            .status
            == "diverged"
        )
    assert get(tree.a, Household, lost_before) is not None  # the edit is still safe at the township
