"""``init``: create a new encrypted database for a node (division code, name, role)."""

from __future__ import annotations

import argparse

from app.cli.common import add_db_options, db_path, read_password, requested_actor
from app.services.node import create_ledger
from app.storage.database import os_user


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="创建数据库 / create a database for this node")
    add_db_options(p)
    p.add_argument("--code", required=True, help="区划代码 / division code (township 9 digits, county 6, city 331100)")
    p.add_argument("--name", default=None, help="名称（丽水名录内可省略）/ name (optional for listed codes)")
    p.add_argument("--role", default="township", help="township | county | city")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = db_path(args)
    password = read_password(args, prompt="设置密码 / New password: ", confirm=True)
    # The one who creates the ledger names its first officer (--actor, BANGFU_ACTOR, else the OS user).
    first = requested_actor(args) or os_user()
    db = create_ledger(path, password, args.code, args.name, args.role, first_officer=first)
    node = db.node
    db.close()
    print(f"已创建数据库 / Created database: {path}  节点 / node: {node.code} {node.name} ({node.role})")
    print(f"首位经办人 / First officer: {first}")
    return 0
