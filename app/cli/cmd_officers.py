"""``officers``: the node's list of officers (经办人) — who may be named as the actor of a change.

python main.py officers list
python main.py officers add NAME [--post P] [--phone T]      (the first one may be added by anyone with the password)
python main.py officers rename NAME NEW_NAME --actor OFFICER
python main.py officers retire NAME --actor OFFICER
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from app.cli.common import add_db_options, open_from_args, print_json, requested_actor
from app.services import officers
from app.storage.database import Database


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("officers", help="经办人名单 / the node's officers")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)
    p = verbs.add_parser("list", help="列出经办人 / list officers")
    add_db_options(p)
    p.add_argument("--json", action="store_true", help="JSON 输出 / JSON output")
    p.set_defaults(func=run_list)
    p = verbs.add_parser("add", help="新增经办人 / add an officer")
    add_db_options(p)
    p.add_argument("name")
    p.add_argument("--post", default=None, help="职务 / post")
    p.add_argument("--phone", default=None, help="电话 / phone")
    p.set_defaults(func=run_add)
    p = verbs.add_parser("rename", help="更名 / rename an officer")
    add_db_options(p)
    p.add_argument("name")
    p.add_argument("new_name")
    p.set_defaults(func=run_rename)
    p = verbs.add_parser("retire", help="离任 / retire an officer")
    add_db_options(p)
    p.add_argument("name")
    p.set_defaults(func=run_retire)


def run_list(args: argparse.Namespace) -> int:
    db = open_from_args(args, choose_actor=False)  # reading the list names no actor
    try:
        with db.session() as s:
            rows = officers.list_officers(s, include_retired=True)
            offered = officers.names_in_audit(s, db.node.code)
    finally:
        db.close()
    if args.json:
        print_json({"officers": [o.__dict__ for o in rows], "named_in_audit": offered})
        return 0
    for o in rows:
        state = "在任 active" if o.active else "离任 retired"
        print(f"{o.name}\t{o.post or '—'}\t{o.phone or '—'}\t{state}")
    if not rows:
        print("名单为空 / The list is empty: officers add NAME")
    if offered:
        print("审计记录中出现过 / Named in the audit trail: " + "、".join(offered))
    return 0


def run_add(args: argparse.Namespace) -> int:
    db = open_from_args(args, choose_actor=False)
    try:
        with db.session() as s:
            staffed = bool(officers.list_officers(s, include_retired=True))
        if staffed:  # only the first officer of a ledger adds themself; later ones are added by an officer
            officers.choose(db, requested_actor(args))
        officer = officers.add(db, args.name, args.post, args.phone)
    finally:
        db.close()
    print(f"已添加经办人 / Officer added: {officer.name}")
    return 0


def _change(args: argparse.Namespace, change: Callable[[Database], officers.Officer]) -> officers.Officer:
    """Open with the officer at work as the actor (checked against the list), change the list, close."""
    db = open_from_args(args)
    try:
        return change(db)
    finally:
        db.close()


def run_rename(args: argparse.Namespace) -> int:
    officer = _change(args, lambda db: officers.rename(db, args.name, args.new_name))
    print(f"已更名 / Renamed: {args.name} → {officer.name}")
    return 0


def run_retire(args: argparse.Namespace) -> int:
    officer = _change(args, lambda db: officers.retire(db, args.name))
    print(f"已离任 / Retired: {officer.name}")
    return 0
