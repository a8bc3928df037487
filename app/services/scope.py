"""Where a report looks: one village, township, county, the city, or the whole database (``Scope``).

A scope is named by a region id or a division code. Division codes nest (village 12 digits starts with its
township's 9, which start with the county's 6; the city 331100 is the prefix 3311), so "everything inside"
is a code-prefix test on ``region.code`` — portable SQL, and served by the unique index on ``region.code``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from sqlalchemy.orm import Session

from app.domain import rules
from app.domain.enums import RegionLevel
from app.domain.lishui import pick_by_form, place_key
from app.domain.models import Region
from app.errors import NotFound, ValidationError


@dataclass(frozen=True)
class Scope:
    """A resolved scope. ``prefix`` is the division-code prefix of every region inside ("" = everything)."""

    region_id: str | None
    code: str
    name: str
    level: str  # RegionLevel value, or "all"
    prefix: str

    @property
    def is_all(self) -> bool:
        return self.prefix == ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


WHOLE = Scope(None, "", "全部", "all", "")


def code_prefix(code: str, level: str) -> str:
    """The prefix every division code inside a region starts with (a city's trailing "00" is dropped)."""
    return code[:4] if level == RegionLevel.CITY else code


def scope_of(region: Any) -> Scope:
    """The scope of one region (anything with ``id``, ``code``, ``name`` and ``level``: a row or an ORM object)."""
    return Scope(region.id, region.code, region.name, region.level, code_prefix(region.code, region.level))


def resolve_scope(session: Session, scope: str | Scope | None) -> Scope:
    """A region id, division code or place name (or None / "" for the whole database) to a ``Scope``;
    NotFound if unknown. See ``find_region`` for the names accepted."""
    if isinstance(scope, Scope):
        return scope
    if not scope:
        return WHOLE
    return scope_of(find_region(session, scope))


def find_region(session: Session, text: str) -> Region:
    """The live region a user means by ``text``: its id, its division code, or its name in any form officers
    write (老竹村 / 老竹村委会 / 老竹), optionally after its township or county (``老竹畲族镇/老竹村``,
    ``老竹畲族镇 老竹``). NotFound if none; ValidationError listing the candidates' codes if several."""
    text = text.strip()
    region = session.scalars(
        select(Region).where(or_(Region.id == text, Region.code == text), Region.deleted == false())
    ).first()
    if region is not None:
        return region
    parts = [p for p in re.split(r"[/／\\\s]+", text) if p]
    if not parts:
        raise NotFound(f"找不到区域：{text}", f"No such region: {text}", field="scope")
    within = find_region(session, " ".join(parts[:-1])) if len(parts) > 1 else None
    key = place_key(parts[-1])
    query = select(Region).where(Region.deleted == false())
    if within is not None:
        query = query.where(Region.code.startswith(code_prefix(within.code, within.level), autoescape=True))
    found = [r for r in session.scalars(query) if place_key(r.name) == key and r is not within]
    found = pick_by_form(parts[-1], found, lambda r: r.name, lambda r: r.level)
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFound(f"找不到区域：{text}", f"No such region: {text}", field="scope")
    listed = "、".join(f"{r.name}（{r.code}）" for r in sorted(found, key=lambda r: r.code)[:10])
    raise ValidationError(
        f"有多个名为“{text}”的地点：{listed}，请填写区划代码或“乡镇/村”。",
        f"Several places are named '{text}': {listed}; give the division code or 'township/village'.",
        field="scope",
    )


def scope_choices(session: Session) -> list[Scope]:
    """Every live county, township and village (division-code order, so each sits under its parent) as a
    ``Scope`` a report or the dashboard can be narrowed to; the whole database is ``WHOLE``."""
    levels = [RegionLevel.COUNTY.value, RegionLevel.TOWNSHIP.value, RegionLevel.VILLAGE.value]
    regions = session.execute(
        select(Region.id, Region.code, Region.name, Region.level)
        .where(Region.level.in_(levels), Region.deleted == false())
        .order_by(Region.code)
    ).all()
    return [scope_of(r) for r in regions]


def regions_inside(scope: Scope, level: RegionLevel) -> Select[str]:
    """Ids of the live regions of ``level`` inside ``scope`` (the scope's own region included)."""
    query = select(Region.id).where(Region.level == level.value, Region.deleted == false())
    if not scope.is_all:
        query = query.where(Region.code.startswith(scope.prefix, autoescape=True))
    return query


def village_filter(column: ColumnElement[Any] | Any, scope: Scope) -> ColumnElement[bool]:
    """``column`` (a village id column) lies inside ``scope``; always true for the whole database."""
    if scope.is_all:
        return true()
    return column.in_(regions_inside(scope, RegionLevel.VILLAGE))


def region_filter(column: ColumnElement[Any] | Any, scope: Scope) -> ColumnElement[bool]:
    """``column`` (a region id of any level) lies inside ``scope``."""
    if scope.is_all:
        return true()
    inside = select(Region.id).where(Region.code.startswith(scope.prefix, autoescape=True), Region.deleted == false())
    return column.in_(inside)


def any_row(column: Any, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    """``EXISTS (SELECT column … WHERE …)``: naming the column (not ``*``) lets SQLite answer from a covering
    index instead of reading each table row."""
    return select(column).where(*where).exists()


def reference_date(year: int, today: date | None = None) -> date:
    """The day a yearly report is taken on: today for the current year, 31 December for a past one."""
    return rules.reference_date(year, today or date.today())
