"""``passwd``: change the database password by a re-encrypted copy (``app.storage.replace``); success is
printed only once the new password opens the file on disk."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from app.cli.common import add_db_options, db_path, read_password
from app.errors import BangfuError
from app.storage.database import open_database

NEW_PASSWORD_ENV = "BANGFU_NEW_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("passwd", help="修改密码 / change the password")
    add_db_options(p)
    p.add_argument(
        "--new-password-file",
        type=Path,
        default=None,
        help=f"新密码文件 / file with the new password (or ${NEW_PASSWORD_ENV})",
    )
    p.set_defaults(func=run)


def _new_password(args: argparse.Namespace) -> str:
    if args.new_password_file:
        try:
            return args.new_password_file.read_text(encoding="utf-8").splitlines()[0]
        except (OSError, IndexError):
            raise BangfuError("无法读取新密码文件。", "The new-password file cannot be read.") from None
    if (env := os.environ.get(NEW_PASSWORD_ENV)) is not None:
        return env
    if not sys.stdin or not sys.stdin.isatty():
        raise BangfuError(
            f"未提供新密码：请设置 {NEW_PASSWORD_ENV} 或使用 --new-password-file。",
            f"No new password given: set {NEW_PASSWORD_ENV} or use --new-password-file.",
        )
    first = getpass.getpass("新密码 / New password: ")
    if getpass.getpass("再次输入 / Repeat: ") != first:
        raise BangfuError("两次输入的密码不一致。", "The two passwords differ.")
    return first


def run(args: argparse.Namespace) -> int:
    old = read_password(args, prompt="当前密码 / Current password: ")
    new = _new_password(args)
    with open_database(db_path(args), old) as db:
        db.rekey(old, new)
    print("密码已修改 / Password changed.")
    print(
        "注意：以前的备份仍用旧密码，且含同步密钥；请重新备份，并删除或妥善保管旧备份。 / "
        "Note: older backups keep the old password and hold the sync keys; back up again and remove or guard them."
    )
    return 0
