"""Storage benchmarks: opening the encrypted file (key derivation dominates) and an atomic backup,
each beside a plain-SQLite or plain-copy baseline measured in the same run."""

from __future__ import annotations

import shutil
import sqlite3

from app.domain.models import Region
from app.services.uow import UnitOfWork
from app.storage.database import _connect_raw, create_database, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow


def run(ctx: BenchContext) -> list[BenchRow]:
    path = ctx.workdir / "storage-bench.db"
    plain = ctx.workdir / "storage-bench-plain.db"
    for p in (path, plain):
        p.unlink(missing_ok=True)
    db = create_database(path, BENCH_PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    with UnitOfWork(db) as uow:
        uow.insert_rows(
            Region, [{"code": f"{331122101000 + i}", "name": f"村{i}", "level": "village"} for i in range(20_000)]
        )
    db.close()
    sqlite3.connect(plain).execute("CREATE TABLE t(x)").connection.close()

    def raw_cipher() -> None:
        conn = _connect_raw(path, BENCH_PASSWORD)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.close()

    def raw_plain() -> None:
        conn = sqlite3.connect(plain)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.close()

    def full_open() -> None:
        open_database(path, BENCH_PASSWORD).close()

    size_mb = path.stat().st_size / 1e6
    backup_dir = ctx.workdir / "backups"
    backup_dir.mkdir(exist_ok=True)
    db = open_database(path, BENCH_PASSWORD)
    backup_ms = ctx.median_ms(lambda: db.backup(backup_dir / "b.db"), repeat=5)
    db.close()
    copy_ms = ctx.median_ms(lambda: shutil.copyfile(path, backup_dir / "c.db"), repeat=5)
    plain_ms = ctx.median_ms(raw_plain)
    return [
        BenchRow(
            "storage", "connect + key derivation + first read", ctx.median_ms(raw_cipher), plain_ms, "plain sqlite3"
        ),
        BenchRow(
            "storage", "open_database (lock, key, check, schema)", ctx.median_ms(full_open), plain_ms, "plain sqlite3"
        ),
        BenchRow(
            "storage",
            f"backup {size_mb:.1f} MB (checkpoint, fsync, rename)",
            backup_ms,
            copy_ms,
            "shutil.copyfile",
        ),
    ]
