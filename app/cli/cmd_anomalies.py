"""``anomalies``: the Sunshine-rule self-check; exit 1 when anything is found, 0 when clean.

python main.py anomalies --db x.db [--scope CODE] [--json]
"""

from __future__ import annotations

import argparse

from app.cli.common import add_db_options, open_from_args, print_json
from app.errors import EXIT_OK, EXIT_PROBLEM
from app.services.anomalies import KINDS, find_anomalies, summary
from app.services.scope import resolve_scope


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("anomalies", help="阳光扶贫异常检查 / Sunshine-rule anomaly check")
    add_db_options(parser)
    parser.add_argument("--scope", help="区划代码或名称（默认全部）/ division code or place name (default: all)")
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = open_from_args(args, choose_actor=False)
    try:
        with db.session() as session:
            scope = resolve_scope(session, args.scope)
            found = find_anomalies(session, scope)
    finally:
        db.close()
    counts = summary(found)
    if args.json:
        print_json({"scope": scope.to_dict(), "counts": counts, "anomalies": [a.to_dict() for a in found]})
    else:
        for kind, (zh, en) in KINDS.items():
            print(f"{zh} / {en}: {counts[kind]}")
        for a in found:
            print(f"- [{KINDS[a.kind][0]}] {a.zh} / {a.en}")
        print(
            f"共发现 {len(found)} 项异常 / {len(found)} anomalies found" if found else "未发现异常 / No anomalies found"
        )
    return EXIT_PROBLEM if found else EXIT_OK
