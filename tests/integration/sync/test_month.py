"""A month of sync through the real CLI (issue 9, "Done when"): the city 331100, the county 331122 with two
townships under it (331122101, 331122102), and 331102104 reporting to the city directly. Onboarding by file;
four weekly rounds with lost, duplicated and out-of-order deliveries, a tampered file, a wrong recipient, a
kill -9 during an import, conflicting edits at a township and the city, and city and county corrections
flowing down. At the end every node agrees on every row it holds, every conflict is in a queue, ``audit
verify`` passes everywhere and no township holds another's personal data."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.domain.models import AuditEntry, Cadre, Household
from app.storage.database import Database, open_database
from app.sync import queue
from tests.conftest import KILL_SIGNAL, KILLED_EXIT
from tests.integration.sync.support import PASSWORD, Node, add_household, business_state, edit, seed_reference

ROOT = Path(__file__).resolve().parents[3]
CITY, COUNTY, A, B, D = "331100", "331122", "331122101", "331122102", "331102104"
PARENT = {COUNTY: CITY, A: COUNTY, B: COUNTY, D: CITY}
ROLE = {CITY: "city", COUNTY: "county", A: "township", B: "township", D: "township"}


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)


class Month:
    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        self.outcomes: list[str] = []

    def db(self, code: str) -> str:
        return str(self.root / f"{code}.db")

    def cli(self, *argv: str, expect: int = 0) -> str:
        code = main(list(argv))
        out = self.capsys.readouterr()
        assert code == expect, (argv, out.out, out.err)
        assert "Traceback" not in out.err
        self.outcomes.append(f"{argv[0]} {argv[1]}: {code}")
        return out.out + out.err

    @contextmanager
    def ledger(self, code: str) -> Iterator[Node]:
        db: Database = open_database(Path(self.db(code)), PASSWORD)
        try:
            yield Node(db, code, Path(self.db(code)), self.root)
        finally:
            db.close()

    def send(self, sender: str, recipient: str, *, deliver: bool = True) -> Path:
        box = self.root / f"box-{sender}-{recipient}"
        box.mkdir(exist_ok=True)
        before = set(box.iterdir())
        self.cli("sync", "export", "--db", self.db(sender), "--to", recipient, str(box))
        [path] = set(box.iterdir()) - before
        if deliver:
            self.take(recipient, path)
        return path

    def take(self, code: str, path: Path, expect: int = 0) -> str:
        return self.cli("sync", "import", "--db", self.db(code), str(path), expect=expect)

    def up_and_down(self) -> None:
        """One full round: townships up, the county up, the city down, the county down."""
        for town in (A, B):
            self.send(town, COUNTY)
        self.send(D, CITY)
        self.send(COUNTY, CITY)
        self.send(CITY, COUNTY)
        self.send(CITY, D)
        for town in (A, B):
            self.send(COUNTY, town)


@pytest.mark.slow
def test_a_month_of_sync(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = Month(tmp_path, capsys)
    # -- onboarding by file
    for code in (CITY, COUNTY, A, B, D):
        m.cli("init", "--db", m.db(code), "--code", code, "--name", f"节点{code}", "--role", ROLE[code])
        m.cli("sync", "init-identity", "--db", m.db(code))
    for code in (COUNTY, A, B, D):
        request, onboarding = tmp_path / f"{code}-req.json", tmp_path / f"{code}-onb.json"
        m.cli("sync", "request", "--db", m.db(code), str(request))
        m.cli("sync", "onboard", "--db", m.db(PARENT[code]), str(request), str(onboarding))
        m.cli("sync", "join", "--db", m.db(code), str(onboarding))
    with m.ledger(CITY) as city:
        ref = seed_reference(city)  # the county's departments, cadres and villages of A and B
        from app.domain.enums import RegionLevel
        from app.services.node import ensure_region
        from app.services.uow import UnitOfWork

        with UnitOfWork(city.db) as uow:  # D's own township and village
            city_region = ensure_region(uow, CITY, "丽水市", RegionLevel.CITY, None)
            county_d = ensure_region(uow, "331102", "莲都区", RegionLevel.COUNTY, city_region)
            town_d = ensure_region(uow, D, "老竹畲族镇", RegionLevel.TOWNSHIP, county_d)
            from app.domain.models import Region

            ref["village_d"] = uow.add(Region(code=D + "001", name="老竹村", level="village", parent_id=town_d)).id
    m.up_and_down()

    # -- week 1: every township registers households; a USB stick is lost on the way up
    households: dict[str, list[str]] = {A: [], B: [], D: []}
    for town, village in ((A, "village_a"), (B, "village_b"), (D, "village_d")):
        with m.ledger(town) as node:
            for _ in range(3):
                households[town].append(add_household(node, ref[village], ref["cadre0"] if town != D else None))
    m.send(A, COUNTY, deliver=False).unlink()  # lost
    m.up_and_down()  # the next cumulative export carries it

    # -- week 2: duplicated and out-of-order deliveries, a tampered file, a wrong recipient
    with m.ledger(A) as node:
        edit(node, Household, households[A][0], natural_village="上岙")
    older = m.send(A, COUNTY, deliver=False)
    with m.ledger(A) as node:
        edit(node, Household, households[A][1], natural_village="下岙")
    newer = m.send(A, COUNTY, deliver=False)
    m.take(COUNTY, newer)
    assert "已包含在之前的同步包中" in m.take(COUNTY, older)  # nothing new, not "applied"
    assert "duplicate" in m.take(COUNTY, newer)
    tampered = tmp_path / "tampered.bfsync"
    data = bytearray(newer.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    with m.ledger(COUNTY) as node:
        held = business_state(node)
    m.take(COUNTY, tampered, expect=2)
    m.take(B, m.send(A, COUNTY, deliver=False), expect=2)  # for the county, carried to B by mistake
    with m.ledger(COUNTY) as node:
        assert business_state(node) == held
    m.up_and_down()

    # -- week 3: kill -9 (TerminateProcess on Windows) during an import at the county, then the same package goes in
    with m.ledger(B) as node:
        for _ in range(5):
            households[B].append(add_household(node, ref["village_b"], ref["cadre1"]))
    package = m.send(B, COUNTY, deliver=False)
    code = (
        "import os, sys; from app.storage.database import open_database\n"
        "from app.sync.importer import import_file\n"
        "def progress(done, total):\n"
        f"    if done: os.kill(os.getpid(), {KILL_SIGNAL})\n"
        f"import_file(open_database(sys.argv[1], {PASSWORD!r}), sys.argv[2], progress=progress)\n"
    )
    killed = subprocess.run([sys.executable, "-c", code, m.db(COUNTY), str(package)], cwd=ROOT, capture_output=True)
    assert killed.returncode == KILLED_EXIT, killed.stderr.decode()
    with m.ledger(COUNTY) as node:
        assert business_state(node) == held
    m.take(COUNTY, package)
    m.up_and_down()

    # -- week 3, later: D's disk dies and it restores a backup, then edits again. D reports to the city
    # directly (a county does not heal a relayed chain, docs/SYNC.md), so the city is the one that refuses.
    backups = tmp_path / "d-backups"
    backups.mkdir()
    m.cli("backup", "--db", m.db(D), "--to", str(backups))  # D has synced with the city three times by now
    [backup] = backups.iterdir()
    fixed = households[D][1]
    with m.ledger(D) as node:  # made after the backup; these reach the city, then the restore loses them at D
        lost = add_household(node, ref["village_d"])
        edit(node, Household, fixed, phone="13955550000")
    m.send(D, CITY)
    m.cli("restore", "--db", m.db(D), str(backup))
    with m.ledger(D) as node:
        assert lost not in business_state(node)["household"]
        # Made after the restore: their entry numbers are the ones the city already holds for the lost
        # household (+ its member) and the phone edit. A different field of the same household, so both
        # the phone (before the loss) and the address (after the restore) must survive, with no conflict.
        kept = add_household(node, ref["village_d"])
        edit(node, Household, fixed, address="老竹村 9 号")
    households[D] += [lost, kept]
    assert "Audit verified" in m.cli("audit", "verify", "--db", m.db(D))  # the rewound chain is intact locally
    # 1. The city compares the entries it holds by hash, refuses the package once (exit 2) and says which
    # export heals it; its receipt travels back with its next package.
    out = m.take(CITY, m.send(D, CITY, deliver=False), expect=2)
    assert "restored from a backup" in out and f"On this node ({CITY}) run sync export --to {D}" in out
    # 2. The city's next package returns D's lost entries (to D only); D forks and tells the officer.
    out = m.take(D, m.send(CITY, D, deliver=False))
    assert "备份" in out and "no edit was lost" in out
    # 3. D's next package continues the chain the city holds (the fork entry + the 3 re-appended edits).
    assert "applied" in m.take(CITY, m.send(D, CITY, deliver=False))
    for code in (CITY, D):
        with m.ledger(code) as node:
            rows = business_state(node)["household"]
        assert {lost, kept} <= set(rows), code
        assert (rows[fixed]["phone"], rows[fixed]["address"]) == ("13955550000", "老竹村 9 号"), code

    # -- week 4: conflicting edits at A and the city; city and county corrections flow down
    target = households[A][2]
    with m.ledger(A) as node:
        edit(node, Household, target, phone="13911110000")
    with m.ledger(CITY) as node:
        edit(node, Household, target, phone="13922220000")
        edit(node, Household, households[D][0], phone="13933330000")
        edit(node, Cadre, ref["cadre2"], phone="13744440000")
    with m.ledger(COUNTY) as node:
        edit(node, Household, households[B][0], address="县核实的地址")
    m.up_and_down()
    m.up_and_down()  # a second round carries every receipt and the last decisions back

    # -- the end of the month
    states = {}
    for code in (CITY, COUNTY, A, B, D):
        with m.ledger(code) as node:
            states[code] = business_state(node)
        out = m.cli("audit", "verify", "--db", m.db(code))
        assert "Audit verified" in out

    def regions(state: dict) -> dict[str, tuple]:
        """Every init makes its own region rows (aliases of each other): compare them, and references to
        them, by division code."""
        code_of = {rid: r["code"] for rid, r in state["region"].items()}
        out = {r["code"]: (r["name"], r["level"]) for r in state.pop("region").values()}
        for rows in state.values():
            for values in rows.values():
                values.update({k: code_of[v] for k, v in values.items() if isinstance(v, str) and v in code_of})
        return out

    city_regions = regions(states[CITY])
    for code in (COUNTY, A, B, D):  # every row a node holds is the same everywhere it is held
        assert regions(states[code]).items() <= city_regions.items(), code
        for table, rows in states[code].items():
            for row_id, values in rows.items():
                assert states[CITY][table].get(row_id) == values, (code, table, row_id)
    assert states[B]["household"][households[B][0]]["address"] == "县核实的地址"
    assert states[D]["household"][households[D][0]]["phone"] == "13933330000"
    assert states[A]["cadre"][ref["cadre2"]]["phone"] == "13744440000"
    with m.ledger(CITY) as city:
        conflicts = [c for c in queue.conflicts(city.db) if c["entity_id"] == target]
    assert conflicts and {c["kind"] for c in conflicts} == {"field"}  # the lost value waits for a person
    winner = states[CITY]["household"][target]["phone"]
    assert all(states[code]["household"][target]["phone"] == winner for code in (COUNTY, A))
    # No township holds another's personal data, not even in its audit trail.
    for town in (A, B, D):
        others = {h for t, hs in households.items() if t != town for h in hs}
        assert not others & set(states[town]["household"])
        with m.ledger(town) as node, node.db.session() as s:
            assert not others & set(s.scalars(select(AuditEntry.entity_id)))
    for code in (CITY, D):  # the restore episode's edits, from before the loss and after it, are still there
        assert {lost, kept} <= set(states[code]["household"]), code
        assert states[code]["household"][fixed]["phone"] == "13955550000", code
        assert states[code]["household"][fixed]["address"] == "老竹村 9 号", code
    refused = [o for o in m.outcomes if o.endswith(": 2")]
    assert len(refused) == 3 and len(m.outcomes) > 100  # the tampered file, the wrong recipient, the diverged D
