"""Crash consistency (killed mid-apply: SIGKILL on POSIX, TerminateProcess on Windows), the age command-line
tool as a second opinion on the payload, convergence under any delivery order (hypothesis) and a fuzz test of
random and mutated files."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.domain.models import Cadre, Household
from app.errors import BangfuError
from app.sync import keys, package
from app.sync.errors import PackageRefused
from tests.conftest import KILL_SIGNAL, KILLED_EXIT
from tests.integration.sync.support import (
    CITY,
    PASSWORD,
    TOWN_A,
    Tree,
    add_household,
    business_state,
    edit,
    full_dump,
)

ROOT = Path(__file__).resolve().parents[3]


def test_a_kill_mid_apply_leaves_the_database_exactly_as_before(tree: Tree) -> None:
    for _ in range(30):
        add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    path = tree.a.export(CITY)
    before = full_dump(tree.city)
    tree.city.db.close()
    kill_at = random.Random(os.getpid()).randint(1, 3)  # the progress report at which the importer dies
    # The subprocess kills itself from the importer's own progress callback: the seam the GUI uses anyway.
    code = (
        "import os, sys; from app.storage.database import open_database\n"
        "from app.sync.importer import import_file\n"
        "calls = []\n"
        "def progress(done, total):\n"
        "    calls.append(done)\n"
        f"    if len(calls) >= {kill_at} and done > 0: os.kill(os.getpid(), {KILL_SIGNAL})\n"
        f"db = open_database(sys.argv[1], {PASSWORD!r}); import_file(db, sys.argv[2], progress=progress)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(tree.city.path), str(path)], cwd=ROOT, capture_output=True)
    assert result.returncode == KILLED_EXIT, result.stderr.decode()
    tree.city.reopen()
    assert full_dump(tree.city) == before
    assert tree.city.take(path).tables["household"]["created"] == 30  # and the same package then goes in


@pytest.mark.skipif(shutil.which("age") is None, reason="the Debian package age is not installed")
def test_age_cli_decrypts_the_payload(tree: Tree, tmp_path: Path) -> None:
    add_household(tree.a, tree.ref["village_a"])
    data = tree.a.export(CITY).read_bytes()
    (tmp_path / "payload.age").write_bytes(package.payload_slice(data))
    with tree.city.db.session() as s:
        (tmp_path / "identity.txt").write_text(keys.current_key(s).age_identity + "\n")
    out = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "identity.txt"), str(tmp_path / "payload.age")], capture_output=True
    )
    assert out.returncode == 0, out.stderr
    payload = json.loads(gzip.decompress(out.stdout))
    assert payload["manifest"]["sender"] == TOWN_A and payload["manifest"]["recipients"] == [CITY]
    assert any("household" in row for row in payload["entries"])


# ---------------------------------------------------------------- convergence


@pytest.fixture
def delivery_set(tree: Tree, tmp_path: Path) -> tuple[Tree, list[Path], Path]:
    """Packages from both townships, cumulative and overlapping, with concurrent edits of shared rows."""
    hid = add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    packages = [tree.a.export(CITY)]
    edit(tree.a, Household, hid, phone="13911110000", address="一号")
    packages.append(tree.a.export(CITY))
    add_household(tree.b, tree.ref["village_b"], tree.ref["cadre1"])
    edit(tree.b, Cadre, tree.ref["cadre2"], post="站长", phone="13700000002")  # both townships edit shared
    edit(tree.a, Cadre, tree.ref["cadre2"], post="副站长")  # reference data concurrently
    packages.append(tree.b.export(CITY))
    edit(tree.a, Household, hid, phone="13911112222")
    packages.append(tree.a.export(CITY))
    add_household(tree.b, tree.ref["village_b"])
    packages.append(tree.b.export(CITY))
    tree.city.db.close()
    pristine = tmp_path / "pristine.db"
    shutil.copyfile(tree.city.path, pristine)
    tree.city.reopen()
    return tree, packages, pristine


@pytest.mark.slow
@settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(5)), repeats=st.lists(st.integers(0, 4), max_size=3))
def test_any_delivery_order_converges(
    delivery_set: tuple[Tree, list[Path], Path], order: list[int], repeats: list[int]
) -> None:
    tree, packages, pristine = delivery_set
    tree.city.db.close()
    shutil.copyfile(pristine, tree.city.path)
    tree.city.path.with_name(tree.city.path.name + "-wal").unlink(missing_ok=True)
    tree.city.reopen()
    for index in [*order, *repeats]:
        try:
            tree.city.take(packages[index])
        except BangfuError as exc:  # an early cumulative package after a later one may be a no-op or a gap
            assert getattr(exc, "status", "") == "gap"
    # Whatever was refused as a gap heals with the next (cumulative) export from the same township.
    for town in (tree.a, tree.b):
        tree.city.take(town.export(CITY, since=0))
    state = business_state(tree.city)
    # Both townships edited a county department's cadre: outside their divisions, so queued, never applied.
    assert state["cadre"][tree.ref["cadre2"]]["post"] is None
    assert state["household"] == {**business_state(tree.a)["household"], **business_state(tree.b)["household"]}
    if not hasattr(test_any_delivery_order_converges, "reference"):
        test_any_delivery_order_converges.reference = state  # type: ignore[attr-defined]
    assert state == test_any_delivery_order_converges.reference  # type: ignore[attr-defined]


# ---------------------------------------------------------------- fuzz


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzz_only_typed_refusals(tree_package: tuple[Tree, bytes, Path], data: st.DataObject) -> None:
    tree, good, folder = tree_package
    kind = data.draw(st.sampled_from(["random", "flip", "splice", "truncate", "header"]))
    if kind == "random":
        blob = data.draw(st.binary(max_size=2048))
        if data.draw(st.booleans()):
            blob = package.MAGIC + blob
    elif kind == "flip":
        blob = bytearray(good)
        for _ in range(data.draw(st.integers(1, 8))):
            blob[data.draw(st.integers(0, len(good) - 1))] ^= data.draw(st.integers(1, 255))
        blob = bytes(blob)
    elif kind == "splice":
        at = data.draw(st.integers(0, len(good)))
        blob = good[:at] + data.draw(st.binary(min_size=1, max_size=64)) + good[at:]
    elif kind == "truncate":
        blob = good[: data.draw(st.integers(0, len(good) - 1))]
    else:
        header = data.draw(
            st.dictionaries(
                st.sampled_from(list(package.HEADER_FIELDS)),
                st.one_of(
                    st.integers(-5, 10**12), st.text(max_size=20), st.lists(st.text(max_size=12), max_size=3), st.none()
                ),
            )
        )
        blob = package.MAGIC + json.dumps(header).encode() + b"\n" + data.draw(st.binary(max_size=256))
    assume(blob != good)  # two flips of the same byte with the same mask give back the valid package
    path = folder / "fuzz.bfsync"
    path.write_bytes(blob)
    with pytest.raises(BangfuError) as info:
        tree.city.take(path)
    assert info.value.exit_code in (1, 2)


@pytest.fixture
def tree_package(tree: Tree, tmp_path: Path) -> tuple[Tree, bytes, Path]:
    add_household(tree.a, tree.ref["village_a"])
    return tree, tree.a.export(CITY).read_bytes(), tmp_path


def test_a_file_over_the_package_limit_is_refused_without_being_read(tree: Tree, tmp_path: Path) -> None:
    """A 4 GiB file dropped in the sync folder (sparse here: no disk used) is judged by its size alone."""
    huge = tmp_path / "huge.bfsync"
    with huge.open("wb") as fh:
        fh.write(package.MAGIC)
        fh.truncate(4 << 30)
    with pytest.raises(PackageRefused) as info:
        tree.city.take(huge)
    assert info.value.status == "too_large" and info.value.exit_code == 2
    assert "4,096 MB" in info.value.zh
