"""Test set-up shared by all folders: offscreen Qt, a private data dir, and a real encrypted ledger."""

from __future__ import annotations

import os
import signal

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
# The officer every test works as: ``init`` puts the name it is given on the new ledger's officers list, so
# session-scoped ledgers made before the per-test fixture runs must see the same name.
os.environ["BANGFU_ACTOR"] = "tester"

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.storage.database import Database

# Test mode: ledgers the tests open in-process work as "tester" (the GUI and the CLI choose an officer instead).
Database.default_actor = "tester"

PASSWORD = "测试密码-Test-123"

KILL_SIGNAL = int(getattr(signal, "SIGKILL", 9))
"""What a child passes to ``os.kill(os.getpid(), …)`` to die on the spot, with no clean-up code run: SIGKILL on
POSIX; on Windows every value but the CTRL events is TerminateProcess (the exit code is that value). The same
test body then proves a process killed mid-write on both systems."""
KILLED_EXIT = KILL_SIGNAL if os.name == "nt" else -KILL_SIGNAL
"""``returncode`` of a child that died that way (``subprocess`` reports a POSIX signal as its negative)."""


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the real user data folder (backups before migration, logs, settings)."""
    monkeypatch.setenv("BANGFU_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("BANGFU_ACTOR", "tester")


@dataclass
class Places:
    county_id: str
    township_id: str
    village_ids: list[str]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.db"


@pytest.fixture
def db(db_path: Path) -> Iterator:
    """A real SQLCipher ledger for township 331122101 (壶镇镇, 缙云县), no data yet.

    A copy of the migrated template (``tests/ledger_template.py``): the same file ``create_database`` makes,
    without running the migrations again for every test."""
    from tests.ledger_template import fresh_ledger

    database = fresh_ledger(db_path, PASSWORD)
    database.set_node("331122101", "壶镇镇", "township")
    yield database
    database.close()


@pytest.fixture
def places(db) -> Places:
    """County, township and three villages (the second one a key village)."""
    from app.domain.models import Region
    from app.services.uow import UnitOfWork

    with UnitOfWork(db) as uow:
        county = uow.add(Region(code="331122", name="缙云县", level="county"))
        town = uow.add(Region(code="331122101", name="壶镇镇", level="township", parent_id=county.id))
        villages = [
            uow.add(
                Region(code=f"331122101{n:03d}", name=name, level="village", parent_id=town.id, is_key_village=n == 2)
            )
            for n, name in [(1, "岩背村"), (2, "金竹村"), (3, "好溪村")]
        ]
    return Places(county.id, town.id, [v.id for v in villages])


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _slow_files_first(items)
    if os.name == "nt":
        _skip_posix_only(items)


def _slow_files_first(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``dev.py test``: each file whole to the next free worker, in collection order) the files
    holding a ``slow`` test go first, so a minute-long test never starts last while the other worker idles.
    Every worker sorts the same way (xdist checks that all workers collected the same list)."""
    slow = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow)  # stable: the order within each part stays


def _skip_posix_only(items: list[pytest.Item]) -> None:
    """``@pytest.mark.posix``: the test needs what only POSIX has (resource limits, SIGXFSZ, SIGKILL exit codes);
    on Windows it is skipped with that reason, and its Windows counterpart (if any) runs instead."""
    for item in items:
        marker = item.get_closest_marker("posix")
        if marker is not None:
            reason = marker.args[0] if marker.args else "POSIX only"
            item.add_marker(pytest.mark.skip(reason=f"POSIX only: {reason}"))
