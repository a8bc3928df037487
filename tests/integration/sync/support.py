"""Three (or four) real nodes in temporary folders, onboarded through the real file exchange, and helpers
to make changes, pass packages and compare what the nodes hold."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from app.domain.enums import RegionLevel
from app.domain.models import SYNCED_MODELS, Cadre, Department, Household, Member, Pairing, Region, Visit
from app.domain.serialize import business_columns, row_to_dict
from app.services.node import ensure_region, initialize_node
from app.services.uow import UnitOfWork
from app.storage.database import Database, open_database
from app.sync import exporter, importer, onboarding
from app.sync.importer import ImportReport
from tests.ledger_template import fresh_ledger

PASSWORD = "同步测试-Sync-123"
CITY, COUNTY, TOWN_A, TOWN_B = "331100", "331122", "331122101", "331122102"
_ids = itertools.count(1)


@dataclass
class Node:
    db: Database
    code: str
    path: Path
    outbox: Path

    def export(self, to: str, **kw: Any) -> Path:
        return exporter.export_package(self.db, to, self.outbox, **kw).path

    def take(self, package: Path, *, dry_run: bool = False) -> ImportReport:
        return importer.import_file(self.db, package, dry_run=dry_run)

    def reopen(self) -> None:
        self.db.close()
        self.db = open_database(self.path, PASSWORD)


def make_node(folder: Path, code: str, name: str, role: str) -> Node:
    folder.mkdir(parents=True, exist_ok=True)
    db = fresh_ledger(folder / f"{code}.db", PASSWORD)
    initialize_node(db, code, name, role)  # as `init` does: each node makes its own city/county/township rows
    onboarding.init_identity(db)
    outbox = folder / "out"
    outbox.mkdir()
    return Node(db, code, folder / f"{code}.db", outbox)


def onboard(parent: Node, child: Node) -> None:
    onboarding.join(child.db, onboarding.onboard(parent.db, onboarding.join_request(child.db)))


@dataclass
class Tree:
    city: Node
    a: Node
    b: Node
    ref: dict[str, str]  # names → ids of the reference data the city made

    def close(self) -> None:
        for n in (self.city, self.a, self.b):
            n.db.close()


def make_tree(tmp_path: Path) -> Tree:
    """City 331100 with two townships reporting to it directly, reference data passed down already."""
    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    a = make_node(tmp_path / "a", TOWN_A, "壶镇镇", "township")
    b = make_node(tmp_path / "b", TOWN_B, "新建镇", "township")
    onboard(city, a)
    onboard(city, b)
    ref = seed_reference(city)
    a.take(city.export(TOWN_A))
    b.take(city.export(TOWN_B))
    return Tree(city, a, b, ref)


def seed_reference(city: Node) -> dict[str, str]:
    with UnitOfWork(city.db) as uow:
        city = ensure_region(uow, CITY, "丽水市", RegionLevel.CITY, None)
        county = ensure_region(uow, COUNTY, "缙云县", RegionLevel.COUNTY, city)
        ta = ensure_region(uow, TOWN_A, "壶镇镇", RegionLevel.TOWNSHIP, county)
        tb = ensure_region(uow, TOWN_B, "新建镇", RegionLevel.TOWNSHIP, county)
        va = uow.add(Region(code=TOWN_A + "001", name="岩背村", level="village", parent_id=ta))
        vb = uow.add(Region(code=TOWN_B + "001", name="笕川村", level="village", parent_id=tb))
        uow.session.flush()  # regions first: the ORM does not order unrelated mappers by foreign key
        dept = uow.add(Department(name="缙云县农业农村局", level="county", kind="party_gov", region_id=county))
        cadres = [uow.add(Cadre(name=f"干部{n}", department_id=dept.id, phone=f"1390000000{n}")) for n in range(4)]
    return {
        "village_a": va.id,
        "village_b": vb.id,
        "dept": dept.id,
        **{f"cadre{n}": c.id for n, c in enumerate(cadres)},
    }


def resident_id(n: int) -> str:
    """A valid GB 11643 resident ID (check digit computed)."""
    body = f"33112219{70 + n % 30:02d}0101{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


def add_household(node: Node, village_id: str, cadre_id: str | None = None, *, id_number: str | None = None) -> str:
    n = next(_ids)
    with UnitOfWork(node.db) as uow:
        hh = uow.add(
            Household(
                village_id=village_id, head_name=f"户主{n}", head_id_number=id_number or resident_id(n),
                phone="13800000000", category="dibao", primary_cause="illness", other_causes=[],
            )
        )  # fmt: skip
        uow.session.flush()
        uow.add(Member(household_id=hh.id, name=f"户主{n}", relation="self"))
        if cadre_id:
            uow.add(
                Pairing(kind="household_cadre", subject_household_id=hh.id, helper_cadre_id=cadre_id,
                        start_date=date(2026, 1, 1))
            )  # fmt: skip
            uow.add(Visit(cadre_id=cadre_id, household_id=hh.id, visit_date=date(2026, 2, 1), mode="home"))
    return hh.id


def edit(node: Node, model: type, row_id: str, **changes: Any) -> None:
    with UnitOfWork(node.db) as uow:
        uow.update(uow.session.get(model, row_id), **changes)


def delete(node: Node, model: type, row_id: str) -> None:
    with UnitOfWork(node.db) as uow:
        uow.tombstone(uow.session.get(model, row_id))


def get(node: Node, model: type, row_id: str) -> Any:
    with node.db.session() as s:
        return s.get(model, row_id)


def business_state(node: Node, *, only_ids: set[str] | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """Every synced row's business fields, by table and id (what sync must make identical)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    with node.db.session() as s:
        for model in SYNCED_MODELS:
            rows = {}
            for obj in s.scalars(select(model)):
                if only_ids is None or obj.id in only_ids:
                    rows[obj.id] = {**row_to_dict(obj, business_columns(model)), "_hlc": obj.hlc}
            out[model.__tablename__] = rows  # type: ignore[attr-defined]
    return out


def full_dump(node: Node) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sync tables and the audit trail included ("exactly as before")."""
    with node.db.engine.connect() as conn:
        tables = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"))]
        return {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in tables}


def data_dump(node: Node, *, receipts_written: bool = False) -> dict[str, list[tuple[Any, ...]]]:
    """The data a refused package must not touch: synced tables, audit trail, counters, conflicts.
    ``receipts_written``: a refusal that answers with a receipt (gap, schema) also counts it in the peer state."""
    skip = {"sync_import_log", "sync_receipt"} | ({"sync_peer_state"} if receipts_written else set())
    return {t: rows for t, rows in full_dump(node).items() if t not in skip}


class LazyTree(Tree):
    """A copy of a template tree whose databases open on first use (opening costs ~0.7 s each)."""

    def __init__(self, folder: Path, ref: dict[str, str]) -> None:
        self.folder = folder
        self.ref = ref
        self._open: dict[str, Node] = {}

    def _node(self, sub: str, code: str) -> Node:
        if sub not in self._open:
            path = self.folder / sub / f"{code}.db"
            self._open[sub] = Node(open_database(path, PASSWORD), code, path, self.folder / sub / "out")
        return self._open[sub]

    city = property(lambda self: self._node("city", CITY))  # type: ignore[assignment]
    a = property(lambda self: self._node("a", TOWN_A))  # type: ignore[assignment]
    b = property(lambda self: self._node("b", TOWN_B))  # type: ignore[assignment]

    def close(self) -> None:
        for n in self._open.values():
            n.db.close()
