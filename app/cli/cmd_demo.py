"""``demo``: fill a database with realistic Lishui demo data (creating it, and the node identity, if missing).

python main.py demo --db x.db [--households N] [--seed S] [--role township|county|city] [--code C]
"""

from __future__ import annotations

import argparse
import sys

from app.cli.common import add_db_options, db_path, read_password, requested_actor
from app.demo import generate
from app.domain.enums import NodeRole
from app.errors import BangfuError
from app.services import officers
from app.services.node import initialize_node
from app.storage.database import Database, create_database, open_database

DEFAULT_CODES = {NodeRole.TOWNSHIP: "331122101", NodeRole.COUNTY: "331122", NodeRole.CITY: "331100"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="生成演示数据 / fill a database with demo data")
    add_db_options(parser)
    parser.add_argument("--households", type=int, default=2000, help="农户数 / number of households (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="随机种子 / random seed (same seed, same data)")
    parser.add_argument("--role", choices=[r.value for r in NodeRole], help="节点角色 / node role (new databases)")
    parser.add_argument("--code", help="节点区划代码 / node division code (default 331122101 壶镇镇)")
    parser.set_defaults(func=run)


def _open(args: argparse.Namespace) -> Database:
    path = db_path(args)
    if path.exists() and path.stat().st_size > 0:
        return open_database(path, read_password(args))
    return create_database(path, read_password(args, confirm=True))


def run(args: argparse.Namespace) -> int:
    if args.households < 1:
        raise BangfuError("农户数应为正数。", "--households must be positive.")
    db = _open(args)
    try:
        if not db.has_node:
            role = args.role or NodeRole.TOWNSHIP.value
            initialize_node(db, args.code or DEFAULT_CODES[NodeRole.from_label(role)], None, role)
        elif (args.role and args.role != db.node.role) or (args.code and args.code != db.node.code):
            raise BangfuError(
                f"该数据库已属于节点 {db.node.code}（{db.node.name}），不能改为其他节点。",
                f"This database belongs to node {db.node.code}; --role/--code cannot change it.",
            )
        step = max(1, args.households // 10)

        def progress(done: int, total: int) -> None:
            if done % step < 2000 or done == total:
                print(f"\r{done:,}/{total:,} 户 households", end="", file=sys.stderr, flush=True)

        result = generate(db, households=args.households, seed=args.seed, progress=progress)
        print(file=sys.stderr)
        officers.staff_demo(db, requested_actor(args))  # demo mode: any name may be the demo ledger's officer
    finally:
        db.close()
    counts = result.counts
    print(
        f"已生成演示数据 / Demo data generated: {db.node.code} {db.node.name} — "
        f"{counts.get('household', 0):,} 户 households, {counts.get('member', 0):,} 人 members, "
        f"{counts.get('pairing', 0):,} 结对 pairings, {counts.get('visit', 0):,} 走访 visits, "
        f"{counts.get('project', 0):,} 项目 projects ({result.seconds:.1f} s)"
    )
    return 0
