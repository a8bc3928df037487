"""Search households and cadres as officers type: a name (王芳), pinyin initials (``wf``), a full-pinyin
prefix (``wangf``) or the last digits of a resident ID (``1234``, ``123X``).

Every query is a prefix range on an indexed column (``head_name``, ``head_name_initials``,
``head_name_pinyin``, ``head_id_reversed``): ``col >= p AND col < p⁺`` where ``p⁺`` is ``p`` with its last
character incremented, so the index is used and no leading-wildcard LIKE scans 200,000 rows. An ID suffix
is a prefix of the reversed ID. Results carry masked IDs only (PIPL).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.models import Cadre, Household, Region
from app.domain.name_pinyin import reversed_id
from app.domain.validators import mask_id_number, to_halfwidth
from app.services.regions import village_ids_under
from app.storage.database import Database

DEFAULT_LIMIT = 50
_CJK = re.compile(r"[\u3400-\u9fff]")
_ID_SUFFIX = re.compile(r"\d*\d[\dX]?|\d*X")


@dataclass(frozen=True)
class HouseholdHit:
    id: str
    head_name: str
    id_masked: str
    village_id: str
    village_name: str
    status: str
    category: str
    matched_by: str  # name / initials / pinyin / id_suffix


@dataclass(frozen=True)
class CadreHit:
    id: str
    name: str
    department_id: str | None
    post: str | None
    status: str
    is_leader: bool


def prefix_range(column: Any, prefix: str) -> Any:
    """``column`` starts with ``prefix``, as an index-friendly range (binary collation)."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


def classify(query: str) -> tuple[str, str] | None:
    """("id_suffix" | "name" | "letters", normalised text) or None for an empty query."""
    text = "".join(to_halfwidth(query).split())
    if not text:
        return None
    if _ID_SUFFIX.fullmatch(text.upper()):
        return "id_suffix", text.upper()
    if _CJK.search(text):
        return "name", text
    letters = re.sub(r"[^a-z]", "", text.lower().replace("ü", "v"))
    return ("letters", letters) if letters else None


def _household_queries(kind: str, text: str) -> list[tuple[str, Any]]:
    if kind == "id_suffix":
        return [("id_suffix", prefix_range(Household.head_id_reversed, reversed_id(text)))]
    if kind == "name":
        return [("name", prefix_range(Household.head_name, text))]
    return [
        ("initials", prefix_range(Household.head_name_initials, text)),
        ("pinyin", prefix_range(Household.head_name_pinyin, text)),
    ]


def search_households(
    source: Database | Session,
    query: str,
    *,
    region_id: str | None = None,
    limit: int = DEFAULT_LIMIT,
    active_only: bool = False,
) -> list[HouseholdHit]:
    """Households matching ``query``, optionally within a village, township or county, at most ``limit``."""
    if limit <= 0:
        return []
    if isinstance(source, Database):
        with source.session() as session:
            return _search_households(session, query, region_id, limit, active_only)
    return _search_households(source, query, region_id, limit, active_only)


def household_statements(
    session: Session, query: str, *, region_id: str | None = None, limit: int = DEFAULT_LIMIT, active_only: bool = False
) -> list[tuple[str, Any]]:
    """The SELECTs a household search runs, each labelled by what it matches (for EXPLAIN in tests/bench)."""
    classified = classify(query)
    if classified is None:
        return []
    out = []
    for matched_by, condition in _household_queries(*classified):
        stmt = (
            select(Household, Region.name)
            .join(Region, Region.id == Household.village_id)
            .where(condition, Household.deleted.is_(False))
            .limit(limit)
        )
        if region_id is not None:
            stmt = stmt.where(_scope(session, region_id))
        if active_only:
            stmt = stmt.where(Household.status == "active")
        out.append((matched_by, stmt))
    return out


def _scope(session: Session, region_id: str) -> Any:
    """Households in a place. In a village the village index is the narrowest way in. For a township or a
    county the search-key index must drive the query (the village index would walk every household of
    the county); wrapping the column in ``coalesce`` keeps the planner off the village index, portably."""
    region = session.get(Region, region_id)
    if region is None or region.level == "village":
        return Household.village_id == region_id
    return func.coalesce(Household.village_id, "").in_(village_ids_under(session, region_id))


def _search_households(
    session: Session, query: str, region_id: str | None, limit: int, active_only: bool
) -> list[HouseholdHit]:
    hits: dict[str, HouseholdHit] = {}
    for matched_by, stmt in household_statements(
        session, query, region_id=region_id, limit=limit, active_only=active_only
    ):
        for household, village_name in session.execute(stmt):
            if household.id not in hits and len(hits) < limit:
                hits[household.id] = HouseholdHit(
                    household.id,
                    household.head_name,
                    mask_id_number(household.head_id_number),
                    household.village_id,
                    village_name,
                    household.status,
                    household.category,
                    matched_by,
                )
    return list(hits.values())


def search_cadres(
    source: Database | Session, query: str, *, limit: int = DEFAULT_LIMIT, serving_only: bool = False
) -> list[CadreHit]:
    """Cadres by name prefix or pinyin initials (cadres are thousands, not hundreds of thousands)."""
    classified = classify(query)
    if classified is None or classified[0] == "id_suffix" or limit <= 0:
        return []
    kind, text = classified
    column = Cadre.name if kind == "name" else Cadre.name_initials
    stmt = select(Cadre).where(prefix_range(column, text), Cadre.deleted.is_(False)).order_by(column).limit(limit)
    if serving_only:
        stmt = stmt.where(Cadre.status == "serving")
    if isinstance(source, Database):
        with source.session() as session:
            return [_cadre_hit(c) for c in session.scalars(stmt)]
    return [_cadre_hit(c) for c in source.scalars(stmt)]


def _cadre_hit(cadre: Cadre) -> CadreHit:
    return CadreHit(cadre.id, cadre.name, cadre.department_id, cadre.post, cadre.status, cadre.is_leader)
