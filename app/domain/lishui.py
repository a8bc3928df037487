"""The official Lishui division codes shipped in ``resources/regions/lishui.json``: the city, its nine counties,
173 townships/streets and 2,008 villages/communities (NBS 统计用区划代码 2023, extracted by
``build/extract_lishui_regions.py``; the edition is named in the file).

Use ``counties()``, ``townships(county_code)``, ``villages(township_code)`` for pick lists (the first-run
wizard offers county → township from them), ``official_place(code)`` to name a code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from app.paths import resources_dir


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
_PLACE_ENDINGS = ("社区", "街道", "镇", "乡")


@lru_cache(maxsize=65536)  # every row of a large import names its township and village
def place_key(name: str) -> str:
    """One key for every way officers write a place: 老竹村 / 老竹村委会 / 老竹 → 老竹; 梁村 / 梁村村委会 / 梁村村
    → 梁; 东门社区 / 东门社区居委会 → 东门. Spaces and full-width forms are ignored."""
    key = "".join(name.split()).replace("（", "(").replace("）", ")")
    for suffix, replacement in _COMMITTEE:
        if key.endswith(suffix) and len(key) > len(suffix):
            key = key[: -len(suffix)] + replacement
            break
    for ending in _PLACE_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending):
            return key[: -len(ending)]
    while key.endswith("村") and len(key) > 1:
        key = key[:-1]
    return key


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
