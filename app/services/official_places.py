"""Places from the official list (``app.domain.lishui``): create a node's townships and villages at ``init``,
and bring an older ledger's division codes in line with the official ones (migration 0007).

Alignment matches each live region by name under its (already aligned) parent and corrects its code through
the unit of work, so every correction is audited and travels by sync as an ordinary field change. Nothing is
deleted: a place not in the list keeps its row and is reported; a village under a re-coded township is moved
under the new prefix (a free suffix from 999 down) so "inside a place" by code prefix stays true.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, update

from app.domain import lishui
from app.domain.enums import RegionLevel
from app.domain.lishui import place_key
from app.domain.models import Base, Region, Setting
from app.services.uow import UnitOfWork
from app.storage.database import Database

PENDING_KEY = "official_regions_pending"  # set by migration 0007, cleared once the codes are aligned
LEVEL_ORDER = (RegionLevel.CITY.value, RegionLevel.COUNTY.value, RegionLevel.TOWNSHIP.value, RegionLevel.VILLAGE.value)


def create_official_places(uow: UnitOfWork, code: str, region_id: str) -> int:
    """Create the listed places under ``code`` (a township's villages; a county's townships and villages)
    that the ledger does not have yet; returns how many were created."""
    existing = {c for (c,) in uow.session.execute(select(Region.code).where(Region.deleted.is_(False)))}
    ids = {code: region_id}
    prefix = code[:4] if code == lishui.city().code else code
    created = 0
    for place in lishui.all_places():
        if not place.code.startswith(prefix) or place.code == code:
            continue
        if place.code in existing:
            ids[place.code] = uow.session.scalars(select(Region.id).where(Region.code == place.code)).one()
            continue
        parent = ids.get(place.parent_code)
        if parent is None:
            continue
        row = uow.add(Region(code=place.code, name=place.name, level=place.level, parent_id=parent))
        ids[place.code] = row.id
        created += 1
    return created


@dataclass
class Alignment:
    """What aligning a ledger with the official list did: ``changed`` (level, name, old code, new code),
    ``unmatched`` (level, name, code) kept as they are, ``kept_for_node`` places this node's certificate
    names (re-enrolment needed to change them)."""

    changed: list[tuple[str, str, str, str]] = field(default_factory=list)
    unmatched: list[tuple[str, str, str]] = field(default_factory=list)
    kept_for_node: list[tuple[str, str, str]] = field(default_factory=list)


def align_with_official(db: Database, *, apply: bool = True) -> Alignment:
    """Match every live region to the official list by name and correct its code (audited); see module doc."""
    result = Alignment()
    node_code = db.node.code
    with UnitOfWork(db) as uow:
        rows = list(uow.session.scalars(select(Region).where(Region.deleted.is_(False))))
        rows.sort(key=lambda r: (LEVEL_ORDER.index(r.level) if r.level in LEVEL_ORDER else 9, r.code))
        by_id = {r.id: r for r in rows}
        taken = {r.code for r in rows}
        target: dict[str, str] = {}  # region id → its code after alignment
        claimed: set[str] = set()
        for region in rows:
            parent = by_id.get(region.parent_id or "")
            parent_code = target.get(parent.id, parent.code) if parent is not None else ""
            match = _match(region, parent_code)
            new = match.code if match is not None and match.code not in claimed else None
            if new is None:
                result.unmatched.append((region.level, region.name, region.code))
                if parent is not None and parent_code != parent.code and region.code.startswith(parent.code):
                    new = _free_code(parent_code, region.code[len(parent.code) :], taken | claimed)
            if new is None or new == region.code:
                target[region.id] = region.code
                claimed.add(region.code)
                continue
            if _touches_node(region.code, new, node_code):
                result.kept_for_node.append((region.level, region.name, region.code))
                target[region.id] = region.code
                claimed.add(region.code)
                continue
            target[region.id] = new
            claimed.add(new)
            result.changed.append((region.level, region.name, region.code, new))
        moving = [r for r in rows if target[r.id] != r.code]
        # A code may pass from one row to another (雅溪镇 held 老竹's official code): free them all first.
        stay = {target[r.id] for r in rows if target[r.id] == r.code}
        blocked = [r for r in moving if target[r.id] in stay]
        for r in blocked:  # the official code is held by a row that does not move: leave both as they are
            result.changed = [c for c in result.changed if c[2] != r.code]
            result.unmatched.append((r.level, r.name, r.code))
            moving.remove(r)
        if apply and moving:
            # Core statement on the connection: the ORM objects keep their old codes, so the audit below
            # records old → new, and the unique index never sees two rows with one code.
            table = Base.metadata.tables["region"]
            connection = uow.session.connection()
            for i, r in enumerate(moving):
                connection.execute(update(table).where(table.c.id == r.id).values(code=f"~{i}"))
            for r in moving:
                uow.update(r, code=target[r.id], note=f"official division code ({lishui.edition()})")
        if apply:
            pending = uow.session.get(Setting, PENDING_KEY)
            if pending is not None:
                uow.session.delete(pending)
        else:
            uow.session.rollback()
    return result


def align_if_pending(db: Database) -> Alignment | None:
    """Run the alignment once after migration 0007 (its flag in ``setting``); None when nothing was pending."""
    if not db.has_node:
        return None
    with db.session() as session:
        if session.get(Setting, PENDING_KEY) is None:
            return None
    return align_with_official(db)


def _match(region: Region, parent_code: str) -> lishui.OfficialPlace | None:
    listed = lishui.official_place(region.code)
    if listed is not None and listed.level == region.level and place_key(listed.name) == place_key(region.name):
        return listed
    if region.level == RegionLevel.CITY.value:
        return lishui.city() if place_key(region.name) == place_key(lishui.city().name) else None
    if region.level == RegionLevel.COUNTY.value:
        candidates = lishui.counties()
    elif region.level == RegionLevel.TOWNSHIP.value:
        candidates = lishui.townships(parent_code)
    elif region.level == RegionLevel.VILLAGE.value:
        candidates = lishui.villages(parent_code)
    else:
        return None
    key = place_key(region.name)
    found = [p for p in candidates if place_key(p.name) == key]
    return found[0] if len(found) == 1 else None


def _touches_node(old: str, new: str, node_code: str) -> bool:
    """A change that would move a place into or out of this node's own division (its certificate's code)."""
    prefix = node_code[:4] if node_code.endswith("00") and len(node_code) == 6 else node_code
    return old.startswith(prefix) != new.startswith(prefix) or old == node_code


def _free_code(prefix: str, suffix: str, taken: set[str]) -> str | None:
    """``prefix + suffix`` if free and not an official code, else the highest free ``prefix + 999…``."""
    if suffix and prefix + suffix not in taken and lishui.official_place(prefix + suffix) is None:
        return prefix + suffix
    width = max(len(suffix), 3)
    for n in range(10**width - 1, 0, -1):
        code = prefix + str(n).zfill(width)
        if code not in taken and lishui.official_place(code) is None:
            return code
    return None
