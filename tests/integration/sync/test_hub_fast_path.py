"""The hub round's fast path (issue 14): rows made ready for the driver in the helper process while the previous
package applies (``app.sync.prepared``). It must store byte for byte what the merge stores one package at a
time, and refuse everything the merge refuses: a prepared row is used only for an entry that passed every check.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.domain.models import Cadre, Department, Household, Member, Region
from app.services.uow import UnitOfWork
from app.storage.database import open_database
from app.sync import importer, merge, queue
from tests.integration.sync.support import (
    CITY,
    COUNTY,
    PASSWORD,
    TOWN_A,
    Node,
    Tree,
    add_household,
    business_state,
    edit,
    get,
)

# Tables whose rows a package of new households creates; their raw stored form is compared (audit trail included)
CREATED = ("department", "cadre", "household", "member", "pairing", "visit", "audit_entry")


@pytest.fixture
def twin(tree: Tree, tmp_path: Path) -> Iterator[Node]:
    """A second copy of the city, taken before the city is first opened: it takes the same packages one by one
    (each parsed in this process, no prepared rows)."""
    folder = tmp_path / "twin"
    shutil.copytree(Path(str(tree.city.path)).parent, folder, ignore=shutil.ignore_patterns("*.lock", "out"))
    path = folder / Path(str(tree.city.path)).name
    node = Node(open_database(path, PASSWORD), CITY, path, folder)
    yield node
    node.db.close()


def _raw(node: Node) -> dict[str, list[tuple[Any, ...]]]:
    with node.db.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in CREATED}


@pytest.fixture
def ready_rows(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Rows the merge inserted as made ready in the helper, per table (the fast path was taken)."""
    seen: dict[str, int] = {}
    insert = merge.insert_processed

    def spy(conn: Any, table: Any, keys: Any, params: list[Any]) -> None:
        if params:
            seen[table.name] = seen.get(table.name, 0) + len(params)
        insert(conn, table, keys, params)

    monkeypatch.setattr(merge, "insert_processed", spy)
    return seen


def _county_department(node: Node) -> tuple[str, str]:
    """A department placed at the township's own copy of its county row (which the city holds under another id:
    an alias), and a cadre of it."""
    with UnitOfWork(node.db) as uow:
        county = uow.session.scalars(select(Region.id).where(Region.code == COUNTY)).one()
        dept = uow.add(Department(name="缙云县人社局", level="county", kind="party_gov", region_id=county))
        uow.session.flush()
        cadre = uow.add(Cadre(name="人社干部", department_id=dept.id, phone="13900000019"))
    return dept.id, cadre.id


def test_rows_made_ready_in_the_helper_store_what_the_merge_stores(
    tree: Tree, twin: Node, tmp_path: Path, ready_rows: dict[str, int]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    add_household(tree.a, tree.ref["village_a"], tree.ref["cadre0"])
    first = tree.a.export(CITY)  # parsed here at its turn; the next one in the helper while it applies
    dept, cadre = _county_department(tree.a)
    homes = [add_household(tree.a, tree.ref["village_a"], cadre) for _ in range(3)]
    second = tree.a.export(CITY)
    for path in (first, second):
        shutil.copy(path, inbox / path.name)

    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied", "applied"]
    # The second package: 1 department + 1 cadre + 3 households with 1 member, 1 pairing and 1 visit each
    # = 2 + 3 × 4 = 14 rows, each with its audit entry (14), besides those of the first package it repeats.
    # All but the department (its region is aliased: it takes the merge's own path) came ready.
    assert ready_rows.get("household") == 3 and ready_rows.get("member") == 3 and ready_rows.get("cadre") == 1
    assert "department" not in ready_rows and ready_rows.get("audit_entry", 0) >= 14

    for path in (first, second):
        assert twin.take(path).status == "applied"
    assert _raw(tree.city) == _raw(twin)
    assert business_state(tree.city) == business_state(twin)
    with tree.city.db.session() as s:
        city_county = s.scalars(select(Region.id).where(Region.code == COUNTY)).one()
    assert get(tree.city, Department, dept).region_id == city_county  # the alias was followed
    assert get(tree.city, Cadre, cadre).department_id == dept
    assert all(get(tree.city, Household, h) is not None for h in homes)


def test_a_forged_row_inside_an_otherwise_new_package_is_refused_on_the_fast_path(
    tree: Tree, twin: Node, tmp_path: Path, ready_rows: dict[str, int]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    add_household(tree.a, tree.ref["village_a"])
    first = tree.a.export(CITY)
    kept = [add_household(tree.a, tree.ref["village_a"], tree.ref["cadre1"]) for _ in range(2)]
    forged = add_household(tree.a, tree.ref["village_b"])  # a household in township B's village, made by A
    second = tree.a.export(CITY)
    for path in (first, second):
        shutil.copy(path, inbox / path.name)

    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied", "applied"]
    assert ready_rows.get("household") == 2  # the two of A's own village came ready; the forged one was not used
    # Refused as the merge refuses it: kept in the trail, not applied, queued for a person (with its member).
    assert get(tree.city, Household, forged) is None
    with tree.city.db.session() as s:
        assert s.scalars(select(Member.id).where(Member.household_id == forged)).all() == []
    assert reports[1].tables["household"]["skipped"] == 1 and reports[1].tables["member"]["skipped"] == 1
    scoped = {(c["entity"], c["entity_id"]) for c in queue.conflicts(tree.city.db) if c["kind"] == "scope"}
    assert ("household", forged) in scoped
    assert all(get(tree.city, Household, h) is not None for h in kept)

    for path in (first, second):
        twin.take(path)
    assert _raw(tree.city) == _raw(twin)
    assert business_state(tree.city) == business_state(twin)
    assert {(c["entity"], c["entity_id"]) for c in queue.conflicts(twin.db) if c["kind"] == "scope"} == scoped
    assert TOWN_A in str(reports[1].warnings)


def test_a_household_moved_across_the_border_is_refused_in_the_round(tree: Tree, tmp_path: Path) -> None:
    """The set-based scope check also judges the places an update's values name: A moving its own household into
    township B's village is kept in the trail, not applied, and queued."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    moved = add_household(tree.a, tree.ref["village_a"])
    first = tree.a.export(CITY)
    edit(tree.a, Household, moved, village_id=tree.ref["village_b"])
    second = tree.a.export(CITY)
    for path in (first, second):
        shutil.copy(path, inbox / path.name)
    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied", "applied"]
    assert get(tree.city, Household, moved).village_id == tree.ref["village_a"]
    assert reports[1].tables["household"] == {"created": 0, "updated": 0, "unchanged": 0, "conflicts": 1, "skipped": 1}
    [conflict] = [c for c in queue.conflicts(tree.city.db) if c["kind"] == "scope"]
    assert conflict["entity_id"] == moved and conflict["loser_value"] == {"village_id": tree.ref["village_b"]}


def test_rows_prepared_for_another_database_are_not_used(
    tree: Tree, tmp_path: Path, ready_rows: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prepared rows are the parameters of one dialect's driver: a hub on another database (here: the helper is
    told PostgreSQL) inserts through the merge's own path, with the same outcome."""
    monkeypatch.setattr(importer, "dialect_key", lambda _dialect: ("postgresql", "psycopg2"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    add_household(tree.a, tree.ref["village_a"])
    first = tree.a.export(CITY)
    homes = [add_household(tree.a, tree.ref["village_a"], tree.ref["cadre2"]) for _ in range(2)]
    second = tree.a.export(CITY)
    for path in (first, second):
        shutil.copy(path, inbox / path.name)
    reports = importer.import_folder(tree.city.db, inbox)
    assert [r.status for r in reports] == ["applied", "applied"]
    assert ready_rows == {}  # nothing taken as prepared: neither audit rows nor created rows
    assert reports[1].tables["household"]["created"] == 2
    assert all(get(tree.city, Household, h) is not None for h in homes)
