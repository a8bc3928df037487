"""Storage benchmarks: opening the encrypted file (key derivation dominates) and an atomic backup,
each beside a baseline measured in the same run: the same SQLite library opened without a key, or a plain
file copy."""

from __future__ import annotations

import shutil

from app.domain.models import Region
from app.services.uow import UnitOfWork
from app.storage.database import _connect_raw, create_database, open_database
from tests.bench.harness import BENCH_PASSWORD, BenchContext, BenchRow
from tests.bench.plain import connect_plain


def run(ctx: BenchContext) -> list[BenchRow]:
    path = ctx.workdir / "storage-bench.db"
    plain = ctx.workdir / "storage-bench-plain.db"
    for p in (path, plain):
        p.unlink(missing_ok=True)
    db = create_database(path, BENCH_PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    with UnitOfWork(db) as uow:
        uow.insert_rows(
            Region,
            [
                {"code": f"{331122101000 + i}", "name": f"村{i}", "level": "village"}
                for i in range(min(20_000, 10 * ctx.households))
            ],
        )
    db.close()
    made = connect_plain(plain)
    made.execute("CREATE TABLE t(x)")
    made.close()

    def raw_cipher() -> None:
        conn = _connect_raw(path, BENCH_PASSWORD)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.close()

    def raw_plain() -> None:
        conn = connect_plain(plain)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        conn.close()

    def full_open() -> None:
        open_database(path, BENCH_PASSWORD).close()

    size_mb = path.stat().st_size / 1e6
    backup_dir = ctx.workdir / "backups"
    backup_dir.mkdir(exist_ok=True)
    opening = ctx.alternating_ms({"raw": raw_cipher, "open": full_open, "plain": raw_plain})
    db = open_database(path, BENCH_PASSWORD)
    copies = ctx.alternating_ms(
        {
            "backup": lambda: db.backup(backup_dir / "b.db"),
            "copy": lambda: shutil.copyfile(path, backup_dir / "c.db"),
        },
        repeat=5,
    )
    db.close()
    no_key = "same SQLite, no key"
    return [
        BenchRow("storage", "connect + key derivation + first read", opening["raw"], opening["plain"], no_key),
        BenchRow("storage", "open_database (lock, key, check, schema)", opening["open"], opening["plain"], no_key),
        BenchRow(
            "storage",
            f"backup {size_mb:.1f} MB (checkpoint, fsync, rename)",
            copies["backup"],
            copies["copy"],
            "shutil.copyfile",
        ),
    ]
