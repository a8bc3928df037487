"""``regions``: the division codes and names of the places under a place (the ledger's own top by default).

python main.py regions --db x.db [PLACE] [--all] [--check] [--json]

``--check`` lists the places that are not in the official NBS 2023 list (exit 1 when there are any).
"""

from __future__ import annotations

import argparse
from dataclasses import asdict

from app.cli.common import add_db_options, open_from_args, print_json
from app.domain.enums import RegionLevel
from app.errors import EXIT_OK, EXIT_PROBLEM
from app.services.regions import list_places


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("regions", help="区划代码与名称 / division codes and names of places")
    add_db_options(parser)
    parser.add_argument("place", nargs="?", default=None, help="区划代码或名称 / division code or place name")
    parser.add_argument("--all", action="store_true", help="列出其下所有层级 / every level below, not just children")
    parser.add_argument(
        "--check", action="store_true", help="只列出不在官方区划名录中的地点 / only places not in the official list"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_from_args(args, choose_actor=False) as db:  # reads only: no officer needed
        top, rows = list_places(db, args.place, deep=args.all or args.check)
    if args.check:
        rows = [r for r in rows if not r.official] + ([top] if top is not None and not top.official else [])
    if args.json:
        print_json({"place": asdict(top) if top else None, "places": [asdict(r) for r in rows]})
        return EXIT_PROBLEM if args.check and rows else EXIT_OK
    if top is not None:
        print(f"{top.code}\t{top.name}")
    for r in rows:
        level = RegionLevel.from_label(r.level)
        mark = "" if r.official else "\t（不在官方名录 / not in the official list）"
        print(f"{r.code}\t{r.name}\t{level.zh} / {level.en}{mark}")
    if args.check:
        print(
            f"{len(rows)} 个地点不在官方名录中 / {len(rows)} places are not in the official list"
            if rows
            else "全部地点均在官方名录中 / Every place is in the official list"
        )
        return EXIT_PROBLEM if rows else EXIT_OK
    print(f"共 {len(rows)} 个 / {len(rows)} places")
    return EXIT_OK
