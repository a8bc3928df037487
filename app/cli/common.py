"""Helpers shared by the CLI commands: the ``--db`` / ``--password-file`` options, password, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from app.errors import BangfuError
from app.paths import default_database
from app.services import officers
from app.services.officers import ACTOR_ENV
from app.storage.database import Database, open_database

PASSWORD_ENV = "BANGFU_PASSWORD"


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="数据库文件 / database file (default: user data dir)")
    parser.add_argument(
        "--password-file",
        type=Path,
        default=None,
        help=f"从文件读取密码 / read the password from a file (or ${PASSWORD_ENV})",
    )
    parser.add_argument(
        "--actor",
        default=None,
        help="经办人（须在本节点名单内）/ the officer at work, one on this node's list (or $BANGFU_ACTOR)",
    )


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_database()


def read_password(args: argparse.Namespace, *, prompt: str = "密码 / Password: ", confirm: bool = False) -> str:
    """From ``BANGFU_PASSWORD``, ``--password-file`` (first line) or a prompt — never from an argument."""
    if getattr(args, "password_file", None):
        try:
            text = Path(args.password_file).read_text(encoding="utf-8")
        except OSError:
            raise BangfuError("无法读取密码文件。", "The password file cannot be read.") from None
        return text.splitlines()[0] if text else ""
    env = os.environ.get(PASSWORD_ENV)
    if env is not None:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise BangfuError(
            f"未提供密码：请设置环境变量 {PASSWORD_ENV} 或使用 --password-file。",
            f"No password given: set {PASSWORD_ENV} or use --password-file.",
        )
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再次输入 / Repeat: ") != first:
        raise BangfuError("两次输入的密码不一致。", "The two passwords differ.")
    return first


def requested_actor(args: argparse.Namespace) -> str | None:
    """``--actor``, else ``BANGFU_ACTOR``: a name still to be checked against the officers list."""
    return getattr(args, "actor", None) or os.environ.get(ACTOR_ENV) or None


def open_from_args(args: argparse.Namespace, *, choose_actor: bool = True) -> Database:
    """Open the ledger and make the requested officer the actor; an unknown officer closes it again (exit 2).

    ``choose_actor=False`` only for commands that record nothing (stats, search, verify …): no entry, no actor."""
    db = open_database(db_path(args), read_password(args))
    if choose_actor:
        try:
            officers.choose(db, requested_actor(args))
        except BaseException:
            db.close()
            raise
    return db


def region_id_for(db: Database, place: str | None) -> str | None:
    """The region of a division code, id or place name given on the command line (None when none given)."""
    if not place:
        return None
    from app.services.scope import find_region

    with db.session() as session:
        return find_region(session, place).id


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
