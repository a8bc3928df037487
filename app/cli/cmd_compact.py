"""``compact``: rewrite the ledger without its free pages (``app.storage.replace.compact``), e.g. after the
0008 upgrade left half of a large ledger free; the old file stays in place until the copy is checked."""

from __future__ import annotations

import argparse

from app.cli.common import add_db_options, db_path, read_password
from app.storage.database import open_database
from app.storage.replace import compact


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compact", help="压缩台账文件，释放空闲空间 / compact the ledger file, returning free space")
    add_db_options(p)
    p.set_defaults(func=run)


def _gb(size: int) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e8 else f"{size / 1e6:.1f} MB"


def run(args: argparse.Namespace) -> int:
    password = read_password(args)
    with open_database(db_path(args), password) as db:
        result = compact(db, password)
    if not result.done:
        print(
            f"台账文件 {_gb(result.before)}，空闲空间不足 5%，无需压缩。 / {_gb(result.before)}, under 5 % free: nothing to compact."
        )
    else:
        freed = _gb(result.before - result.after)
        print(
            f"已压缩台账文件：{_gb(result.before)} → {_gb(result.after)}（释放 {freed}）。 / "
            f"Ledger compacted: {_gb(result.before)} → {_gb(result.after)} ({freed} freed)."
        )
    return 0
