"""``backup``: an atomic copy of the encrypted file; the original is never damaged."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import add_db_options, open_from_args
from app.paths import backups_dir
from app.services.backups import make_backup


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("backup", help="备份数据库 / back up the database")
    add_db_options(b)
    b.add_argument("--to", type=Path, default=None, help="目标文件或文件夹 / target file or folder")
    b.set_defaults(func=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    with open_from_args(args, choose_actor=False) as db:
        dest = make_backup(db, args.to or backups_dir())
    print(f"已备份 / Backed up to: {dest}")
    return 0
