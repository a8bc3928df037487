"""``restore``: replace the database by a backup, keeping the replaced file so the restore can be undone."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import add_db_options, db_path, read_password
from app.paths import backups_dir
from app.storage.database import open_database, restore_database


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("restore", help="从备份恢复 / restore from a backup")
    add_db_options(r)
    r.add_argument("backup", type=Path, help="备份文件 / backup file")
    r.set_defaults(func=run_restore)


def run_restore(args: argparse.Namespace) -> int:
    target = db_path(args)
    password = read_password(args, prompt="备份的密码 / The backup's password: ")
    safety = restore_database(args.backup, target, password, keep_dir=backups_dir())
    with open_database(target, password):
        pass  # opens (and migrates an older backup) or raises a typed error
    print(f"已恢复 / Restored {target} from {args.backup}")
    if safety:
        print(f"原数据库已另存 / The replaced database was saved as: {safety}")
    return 0
