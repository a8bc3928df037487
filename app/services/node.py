"""This installation's identity: set once at ``init`` (or by the first-run wizard), with its place rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.domain.enums import NodeRole, RegionLevel
from app.domain.lishui import lishui, official_place
from app.domain.models import Region
from app.domain.validators import check_division_code
from app.errors import ValidationError
from app.services.official_places import create_official_places
from app.services.uow import UnitOfWork
from app.storage.database import Database, create_database

CODE_LENGTH = {NodeRole.TOWNSHIP: 9, NodeRole.COUNTY: 6, NodeRole.CITY: 6}


def known_name(code: str) -> str | None:
    """The official name of a Lishui division code (city, county, township or village), if listed."""
    place = official_place(code)
    return place.name if place is not None else None


def ensure_region(uow: UnitOfWork, code: str, name: str, level: RegionLevel, parent_id: str | None) -> str:
    """Get or create the region with this division code; returns its id (idempotent, for init/demo/import)."""
    existing = uow.session.scalars(select(Region).where(Region.code == code, Region.deleted.is_(False))).first()
    if existing is not None:
        return existing.id
    return uow.add(Region(code=code, name=name, level=level.value, parent_id=parent_id)).id


def initialize_node(db: Database, code: str, name: str | None, role: str) -> None:
    """Set the node identity (division code, name, role), create the city/county/township rows above it and,
    for a township, its villages and communities from the official list."""
    try:
        node_role = NodeRole.from_label(role)
    except ValueError:
        raise ValidationError(
            "角色应为 township（乡镇）、county（县）或 city（市）。",
            "The role must be township, county or city.",
            field="role",
        ) from None
    code = check_division_code(code, CODE_LENGTH[node_role])
    if node_role is NodeRole.CITY and code != lishui()["city"]["code"]:
        raise ValidationError(
            "市级节点代码应为 331100（丽水市）。", "The city node code is 331100 (Lishui).", field="code"
        )
    name = (name or known_name(code) or "").strip()
    if not name:
        raise ValidationError(
            "该区划代码不在丽水名录中，请提供名称（--name）。",
            "The code is not in the Lishui list; give its name (--name).",
            field="name",
        )
    county_code = code[:6]
    county_name = known_name(county_code)
    if node_role is not NodeRole.CITY and county_name is None:
        raise ValidationError(
            "区划代码不属于丽水市的县（市、区）。", "The code is not within a Lishui county.", field="code"
        )
    db.set_node(code, name, node_role.value)
    city = lishui()["city"]
    with UnitOfWork(db) as uow:
        city_id = ensure_region(uow, city["code"], city["name"], RegionLevel.CITY, None)
        own_id = city_id
        if node_role is not NodeRole.CITY:
            own_id = ensure_region(uow, county_code, str(county_name), RegionLevel.COUNTY, city_id)
        if node_role is NodeRole.TOWNSHIP:
            own_id = ensure_region(uow, code, name, RegionLevel.TOWNSHIP, own_id)
        if node_role is NodeRole.TOWNSHIP:
            # A hub (county, city) gets its townships' places by sync, with the ids the townships made:
            # creating them here too would give every place two rows that sync must merge as duplicates.
            create_official_places(uow, code, own_id)
        uow.event("init", "node_info", None, after={"code": code, "name": name, "role": node_role.value})
    db.set_node_region(own_id)


def create_ledger(
    path: Path, password: str, code: str, name: str | None, role: str, first_officer: str | None = None
) -> Database:
    """A new encrypted ledger for this node (``init`` and the first-run wizard): the password rule first, then
    the file; if the node or the first officer cannot be set, the half-made file is removed again.

    ``first_officer`` goes on the officers list and becomes the actor of this session."""
    from app.domain.passwords import require_strong
    from app.services import officers

    require_strong(password)
    if first_officer is not None:
        officers.clean_text(first_officer, officers.NAME_MAX, "经办人姓名", "officer's name", "name", required=True)
    db = create_database(path, password)
    try:
        if first_officer is not None:
            db.actor = first_officer.strip()  # the node's own first entries are theirs too
        initialize_node(db, code, name, role)
        if first_officer is not None:
            officers.choose(db, officers.add(db, first_officer).name)
    except BaseException:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        raise
    return db
