"""Places (区划): counties, townships, villages with the key-village flag, and village collective income.

Use the generic ``records.create/update/tombstone`` with ``REGION`` and ``VILLAGE_INCOME``; the helpers
here are what the GUI needs beyond that (mark a key village, the villages under a place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import validators
from app.domain.enums import RegionLevel
from app.domain.lishui import official_place, place_key
from app.domain.models import Pairing, Region, Synced, VillageIncome
from app.errors import RuleViolation, ValidationError
from app.services import fields as f
from app.services.records import EntitySpec, EntityView, FieldSpec, Target, register, unique_rule, update
from app.services.scope import find_region, regions_inside, scope_of
from app.services.uow import UnitOfWork
from app.storage.database import Database

CODE_LENGTH = {RegionLevel.CITY: 6, RegionLevel.COUNTY: 6, RegionLevel.TOWNSHIP: 9, RegionLevel.VILLAGE: 12}
PARENT_LEVEL = {
    RegionLevel.COUNTY: RegionLevel.CITY,
    RegionLevel.TOWNSHIP: RegionLevel.COUNTY,
    RegionLevel.VILLAGE: RegionLevel.TOWNSHIP,
}


def _region_shape(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
    level = RegionLevel.from_label(values["level"])
    validators.check_division_code(values["code"], CODE_LENGTH[level], field="code")
    other = session.scalars(select(Region.id).where(Region.code == values["code"])).first()
    if other is not None and (existing is None or other != existing.id):
        raise ValidationError("该区划代码已存在。", "A place with this division code already exists.", field="code")
    parent_id = values.get("parent_id")
    parent = session.get(Region, parent_id) if parent_id else None
    if parent is not None and level in PARENT_LEVEL and parent.level != PARENT_LEVEL[level].value:
        raise ValidationError(
            f"上级区划应为{PARENT_LEVEL[level].zh}。",
            f"The parent place must be a {PARENT_LEVEL[level].en.lower()}.",
            field="parent_id",
        )
    if parent is not None and not values["code"].startswith(parent.code.rstrip("0") or parent.code):
        raise ValidationError(
            "区划代码与上级区划不符。", "The division code does not lie under the parent's code.", field="code"
        )
    if values.get("is_key_village") and level != RegionLevel.VILLAGE:
        raise ValidationError(
            "只有行政村可设为重点村。", "Only a village can be a key village.", field="is_key_village"
        )


def _no_active_pairings_on_region(uow: UnitOfWork, region: Any) -> None:
    active = uow.session.scalars(
        select(Pairing.id).where(
            Pairing.subject_region_id == region.id, Pairing.end_date.is_(None), Pairing.deleted.is_(False)
        )
    ).first()
    if active is not None:
        raise RuleViolation(
            "该地区仍有进行中的结对，请先结束结对。", "The place still has active pairings; end them first."
        )


REGION = register(
    EntitySpec(
        Region,
        "区划",
        "place",
        (
            FieldSpec("code", "区划代码", "Division code", f.text(12), required=True),
            FieldSpec("name", "名称", "Name", f.text(100), required=True),
            FieldSpec("level", "级别", "Level", f.choice(RegionLevel), required=True, editable=False),
            FieldSpec("parent_id", "上级区划", "Parent place", ref=Region),
            FieldSpec("is_key_village", "扶贫重点村", "Key village", f.boolean),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        rules=(_region_shape,),
        before_tombstone=_no_active_pairings_on_region,
    )
)


VILLAGE_INCOME = register(
    EntitySpec(
        VillageIncome,
        "村集体经济收入",
        "village collective income",
        (
            FieldSpec("village_id", "行政村", "Village", required=True, ref=Region, ref_levels=("village",)),
            FieldSpec("year", "年度", "Year", f.year, required=True),
            FieldSpec("income_fen", "集体经济收入", "Collective income", f.fen, required=True),
            FieldSpec("operating_income_fen", "经营性收入", "Operating income", f.fen),
            FieldSpec("note", "备注", "Note", f.long_text),
        ),
        rules=(
            unique_rule(
                ("village_id", "year"),
                "该村该年度的集体经济收入已登记，请修改原记录。",
                "This village's collective income for that year is already recorded; edit that record.",
            ),
        ),
    )
)


def set_key_village(target: Target, village_id: str, is_key: bool, *, note: str | None = None) -> EntityView:
    """Mark or unmark a key village (扶贫重点村)."""
    return update(target, REGION, village_id, {"is_key_village": is_key}, note=note)


def village_ids_under(session: Session, region_id: str) -> Any:
    """A select of the ids of the live villages in a place (the village itself, a township's, a county's).

    One definition of "inside" for search, visits and the dashboard: the division-code prefix of
    ``app.services.scope`` (the region rules above make every code nest under its parent's). An id that is
    not a region matches only itself, as a village id would."""
    region = session.get(Region, region_id)
    if region is None:
        return select(Region.id).where(Region.id == region_id)
    return regions_inside(scope_of(region), RegionLevel.VILLAGE)


def list_children(db: Database, parent_id: str | None) -> list[EntityView]:
    with db.session() as session:
        query = select(Region).where(Region.deleted.is_(False)).order_by(Region.code)
        query = query.where(Region.parent_id.is_(None) if parent_id is None else Region.parent_id == parent_id)
        return [REGION.snapshot(r) for r in session.scalars(query)]


@dataclass(frozen=True)
class PlaceListing:
    """One place as the ``regions`` command lists it; ``official`` is False for a place not in the NBS list
    (added by hand, or kept unmatched when the codes were aligned)."""

    code: str
    name: str
    level: str
    official: bool


def list_places(
    db: Database, place: str | None, *, deep: bool = False
) -> tuple[PlaceListing | None, list[PlaceListing]]:
    """The place named or coded ``place`` (None: the whole ledger) and the places under it: its children,
    or with ``deep`` every place inside, in code order."""
    with db.session() as session:
        top = find_region(session, place) if place else None
        query = select(Region).where(Region.deleted.is_(False)).order_by(Region.code)
        if top is None:
            rows = [r for r in session.scalars(query) if deep or r.parent_id is None]
        elif deep:
            prefix = scope_of(top).prefix
            rows = [r for r in session.scalars(query.where(Region.code.startswith(prefix))) if r.id != top.id]
        else:
            rows = list(session.scalars(query.where(Region.parent_id == top.id)))
        return (_listing(top) if top is not None else None), [_listing(r) for r in rows]


def _listing(region: Region) -> PlaceListing:
    listed = official_place(region.code)
    official = listed is not None and listed.level == region.level and place_key(listed.name) == place_key(region.name)
    return PlaceListing(region.code, region.name, region.level, official)
