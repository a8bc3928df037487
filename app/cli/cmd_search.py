"""``python main.py search --db X 王芳``: find households (or cadres) by name, pinyin initials, full pinyin or
ID suffix; resident IDs are printed masked."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli.common import add_db_options, open_from_args, print_json, region_id_for
from app.errors import EXIT_OK, EXIT_PROBLEM
from app.services.search import search_cadres, search_households


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "search",
        help="查找农户或干部 / find households or cadres",
        description="按姓名、拼音首字母（wf）、全拼或身份证号末几位查找。/ Search by name, initials, pinyin or ID suffix.",
    )
    add_db_options(parser)
    parser.add_argument("query", help="姓名、拼音或身份证号末几位 / name, pinyin or last digits of the ID")
    parser.add_argument("--cadres", action="store_true", help="查找干部 / search cadres instead of households")
    parser.add_argument("--region", default=None, help="限定区划（代码或名称）/ limit to a place (code or name)")
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_from_args(args, choose_actor=False) as db:
        if args.cadres:
            hits: list[Any] = search_cadres(db, args.query, limit=args.limit)
            lines = [f"{h.name}\t{h.post or ''}\t{h.status}\t{h.id}" for h in hits]
        else:
            hits = search_households(db, args.query, region_id=region_id_for(db, args.region), limit=args.limit)
            lines = [f"{h.head_name}\t{h.id_masked}\t{h.village_name}\t{h.status}\t{h.id}" for h in hits]
    if args.json:
        print_json([asdict(h) for h in hits])
    else:
        for line in lines:
            print(line)
        if not hits:
            print("未找到 / No match")
    return EXIT_OK if hits else EXIT_PROBLEM
