"""The official Lishui division codes shipped in ``resources/regions/lishui.json``: the city, its nine counties,
173 townships/streets and 2,008 villages/communities (NBS 统计用区划代码 2023, extracted by
``build/extract_lishui_regions.py``; the edition is named in the file).

Use ``counties()``, ``townships(county_code)``, ``villages(township_code)`` for pick lists (the first-run
wizard offers county → township from them), ``official_place(code)`` to name a code.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

from app.paths import resources_dir

T = TypeVar("T")


@cache
def lishui() -> dict[str, Any]:
    """The raw file: ``{"edition", "city": {code, name}, "counties": [{code, name, old_id_prefix, townships:
    [{code, name, villages: [{code, name, official}]}]}]}``."""
    return json.loads((resources_dir() / "regions" / "lishui.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class OfficialPlace:
    """One place of the official list. ``name`` is the form officers write (老竹村), ``official`` the NBS
    form (老竹村委会); ``level`` is a ``RegionLevel`` value; ``parent_code`` is "" for the city."""

    code: str
    name: str
    level: str
    parent_code: str
    official: str


def edition() -> str:
    return str(lishui().get("edition", ""))


def city() -> OfficialPlace:
    c = lishui()["city"]
    return OfficialPlace(c["code"], c["name"], "city", "", c["name"])


def counties() -> list[OfficialPlace]:
    """The nine counties (市、区、县) in code order."""
    code = city().code
    return [OfficialPlace(c["code"], c["name"], "county", code, c["name"]) for c in lishui()["counties"]]


def townships(county_code: str) -> list[OfficialPlace]:
    """The townships and streets (乡镇、街道) of one county, in code order; [] for an unknown county."""
    for c in lishui()["counties"]:
        if c["code"] == county_code:
            return [OfficialPlace(t["code"], t["name"], "township", c["code"], t["name"]) for t in c["townships"]]
    return []


def villages(township_code: str) -> list[OfficialPlace]:
    """The villages and communities (行政村、社区) of one township, in code order; [] if unknown."""
    return [p for p in _index().values() if p.level == "village" and p.parent_code == township_code]


def official_place(code: str) -> OfficialPlace | None:
    """The listed place with this division code (city, county, township or village), if any."""
    return _index().get(code.strip())


def all_places() -> list[OfficialPlace]:
    """Every listed place, parents before children (city, then each county's townships and villages)."""
    return list(_index().values())


_COMMITTEE = (("村民委员会", "村"), ("村委会", "村"), ("居民委员会", ""), ("居委会", ""), ("行政村", "村"))
# The endings that say a place's level; the longer form first where one contains another (自治县 / 县).
_TOWNSHIP_ENDINGS = ("街道", "镇", "乡")
_COUNTY_ENDINGS = ("自治县", "县", "区", "市")
_VILLAGE_ENDINGS = (*(suffix for suffix, _ in _COMMITTEE), "社区", "村")
_PLACE_ENDINGS = ("社区", *_TOWNSHIP_ENDINGS, *_COUNTY_ENDINGS)  # dropped from a key (社区 before its 区)
_ETHNIC = "畲族"  # 老竹畲族镇, 景宁畲族自治县: officers also write 老竹镇, 景宁县


@lru_cache(maxsize=65536)  # every row of a large import names its township and village
def place_key(name: str) -> str:
    """One key for every way officers write a place: 老竹村 / 老竹村委会 / 老竹 → 老竹; 梁村 / 梁村村委会 / 梁村村
    → 梁; 东门社区 / 东门社区居委会 → 东门; 老竹畲族镇 / 老竹镇 → 老竹; 景宁畲族自治县 / 景宁县 → 景宁; 龙泉市 →
    龙泉. Spaces and full-width forms are ignored."""
    key = "".join(name.split()).replace("（", "(").replace("）", ")")
    for suffix, replacement in _COMMITTEE:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)] + replacement
            break
    for ending in _PLACE_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            key = key[: -len(ending)]
            return key[: -len(_ETHNIC)] if key.endswith(_ETHNIC) and len(key) > len(_ETHNIC) else key
    while key.endswith("村") and len(key) > 1:
        key = key[:-1]
    return key


_LEVEL_ENDINGS = ((_VILLAGE_ENDINGS, "village"), (_TOWNSHIP_ENDINGS, "township"), (_COUNTY_ENDINGS, "county"))


def place_level(name: str) -> str | None:
    """The level a written name says by its ending (老竹畲族镇 → township, 老竹村 → village, 龙泉市 → county; the
    city is also 市), None when it has none (老竹): what tells 老竹镇 from 老竹村 once both have the key 老竹."""
    key = "".join(name.split())
    for endings, level in _LEVEL_ENDINGS:
        if key.endswith(endings):
            return level
    return None


def pick_by_form(text: str, found: list[T], name: Callable[[T], str], level: Callable[[T], str]) -> list[T]:
    """Of several places whose key is ``text``'s (老竹畲族镇 and its 老竹村 are both 老竹), the ones the written
    form points at: the same name, else the level its ending says; all of them when neither narrows."""
    if len(found) < 2:
        return found
    written = "".join(text.split())
    exact = [p for p in found if name(p) == written]
    said = place_level(written)
    levels = {said, "city"} if said == "county" else {said}
    return exact or [p for p in found if level(p) in levels] or found


@cache
def _index() -> dict[str, OfficialPlace]:
    top = city()
    places = {top.code: top}
    for county in lishui()["counties"]:
        places[county["code"]] = OfficialPlace(county["code"], county["name"], "county", top.code, county["name"])
        for town in county["townships"]:
            places[town["code"]] = OfficialPlace(town["code"], town["name"], "township", county["code"], town["name"])
            for v in town.get("villages", []):
                places[v["code"]] = OfficialPlace(
                    v["code"], v["name"], "village", town["code"], v.get("official", v["name"])
                )
    return places
