"""Replacing the ledger file under an open ``Database``: a password change and a restore from a backup.

Both write a complete new file beside the ledger, check it, flush it to disk and only then rename it over the
old one, so a full disk, a pulled USB stick or a crash leaves the old file — and the old password — in place.

Why not ``PRAGMA rekey``: SQLCipher rewrites the pages in place and reports success even when a write fails
for lack of space; afterwards the old password still opens the file and the new one is refused. Here the new
password is only reported once a copy keyed with it has been reopened, checked and renamed into place.

Thread use: the caller's (the GUI's worker); nothing else may use the ``Database`` meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from app.errors import EXIT_PROBLEM, BackupFailed, DatabaseMissing, DatabaseTooNew, StorageError, WrongPassword
from app.paths import create_private_file, private_file
from app.storage.database import (
    Database,
    _acquire_lock,
    _check_password,
    _connect_raw,
    _creator,
    _os_error_zh,
    _probe,
    _quote,
)

SIDE_SUFFIXES = ("-wal", "-shm")


class CopyNotMade(StorageError):
    """A checked copy of the ledger could not be written or checked; the ledger file is as it was. Each use
    says what did not happen before the reason."""

    exit_code = EXIT_PROBLEM
    outcome = ("", "")

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(f"{self.outcome[0]}{reason_zh}", f"{self.outcome[1]}{reason_en}")


class PasswordNotChanged(CopyNotMade):
    """The re-encrypted copy could not be made; the ledger and its old password are unchanged."""

    outcome = ("密码未修改，原密码仍然有效：", "The password was NOT changed; the old password still works: ")


class NotCompacted(CopyNotMade):
    """The compact copy could not be made; the ledger file is unchanged."""

    outcome = ("台账文件未压缩，原文件未改动：", "The ledger file was NOT compacted and is unchanged: ")


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable (POSIX); Windows has no directory handle to flush."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _remove(path: Path) -> None:
    for suffix in ("", *SIDE_SUFFIXES):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


def _discard(path: Path) -> None:
    """``_remove`` on the way out of a failure: never raises over the error being reported."""
    with contextlib.suppress(OSError):
        _remove(path)


def _tables(conn: sqlcipher3.Connection, schema: str = "main") -> list[tuple[str, int]]:
    names = [r[0] for r in conn.execute(f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name")]
    return [(n, conn.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0]) for n in names]


def change_password(db: Database, old_password: str, new_password: str) -> None:
    """Re-encrypt the ledger with ``new_password``: export into a new file, verify it, fsync, rename.

    Raises ``WrongPassword`` (nothing touched) when ``old_password`` is wrong, ``WeakPassword`` when the new
    one breaks the rule, and ``PasswordNotChanged`` when the copy cannot be written or checked; in every one
    of these cases the ledger on disk is byte for byte what it was and ``old_password`` still opens it.
    """
    from app.domain.passwords import require_strong

    _check_password(new_password)
    require_strong(new_password)
    path = _checked_file(db, old_password)
    tmp = _reencrypted_copy(path, old_password, new_password)
    _swap_in(db, tmp, new_password)


def _local_file(db: Database) -> Path:
    if db.path is None:
        raise StorageError("此数据库不是本地文件。", "This database is not a local file.")
    return db.path


def _checked_file(db: Database, password: str) -> Path:
    """The open ledger's file, once ``password`` is known to open it (``WrongPassword`` if not) and its WAL is
    checkpointed into it: what a rewrite of the file starts from."""
    path = _local_file(db)
    try:
        _probe(path, password).close()
    except StorageError:
        raise WrongPassword() from None
    db.checkpoint()
    return path


@dataclass(frozen=True)
class Compaction:
    """File sizes in bytes before and after; ``done`` False when too little was free to be worth a rewrite."""

    before: int
    after: int
    done: bool


WORTH_COMPACTING = 0.05  # share of free pages from which a rewrite is worth it


def compact(db: Database, password: str) -> Compaction:
    """Rewrite the ledger without its free pages, with the same key: the export, check, fsync and rename of a
    password change. Free pages are left by deletions and by upgrades that copy a table (0008 left a
    500,000-household ledger at 16.0 GB, 7.6 GB of it free); SQLite reuses them but never gives them back,
    and every backup copies them. Raises ``WrongPassword`` and ``NotCompacted`` (too little disk space, checked
    before anything is written; or a copy that cannot be written or checked) with the file unchanged."""
    path = _checked_file(db, password)
    before = path.stat().st_size
    with db.engine.connect() as conn:
        page_size, pages, free = (
            int(conn.exec_driver_sql(f"PRAGMA {name}").scalar_one())
            for name in ("page_size", "page_count", "freelist_count")
        )
    if free < WORTH_COMPACTING * pages:
        return Compaction(before, before, False)
    needed, available = (pages - free) * page_size, shutil.disk_usage(path.parent).free
    if available < needed * 1.1:
        raise NotCompacted(
            f"磁盘剩余 {available / 1e9:.2f} GB，压缩需要约 {needed * 1.1 / 1e9:.2f} GB。",
            f"{available / 1e9:.2f} GB free on the disk; compacting needs about {needed * 1.1 / 1e9:.2f} GB.",
        )
    tmp = _reencrypted_copy(path, password, password, failed=NotCompacted)
    _swap_in(db, tmp, password)
    return Compaction(before, path.stat().st_size, True)


def reencrypt_file(path: Path, old_password: str, new_password: str) -> None:
    """Re-encrypt a closed ledger file (an older backup) with ``new_password``, in the same safe way."""
    _check_password(new_password)
    _probe(path, old_password).close()  # WrongPassword when this backup has yet another password
    tmp = _reencrypted_copy(path, old_password, new_password)
    for suffix in SIDE_SUFFIXES:  # a WAL beside the old file would be replayed into the new one
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _reencrypted_copy(
    path: Path, old_password: str, new_password: str, failed: type[CopyNotMade] = PasswordNotChanged
) -> Path:
    """``path`` exported into ``path.rekey-part`` keyed with ``new_password``, checked and fsynced; ``failed``
    is the error raised when it cannot be (its arguments: the reason in Chinese and English)."""
    tmp = path.with_name(path.name + ".rekey-part")
    conn = _connect_raw(path, old_password)
    try:
        _remove(tmp)  # a copy left by a crash; anything else in the way is reported, not a traceback
        create_private_file(tmp)
        conn.execute(f"ATTACH DATABASE {_quote(str(tmp))} AS rekeyed KEY {_quote(new_password)}")
        try:
            # One write-locked transaction over the export: no writer can slip a change in between two tables.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("SELECT sqlcipher_export('rekeyed')").fetchall()
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA rekeyed.user_version = {int(version)}")
            expected = _tables(conn)
            conn.execute("COMMIT")
        finally:
            with contextlib.suppress(sqlcipher3.DatabaseError):
                conn.execute("ROLLBACK")
            conn.execute("DETACH DATABASE rekeyed")
        _verify_copy(tmp, new_password, expected, failed)
        _fsync_file(tmp)
    except (sqlcipher3.DatabaseError, OSError) as exc:
        _discard(tmp)
        raise _not_written(exc, failed) from None
    except BaseException:
        _discard(tmp)
        raise
    finally:
        conn.close()
    return tmp


def _verify_copy(tmp: Path, password: str, expected: list[tuple[str, int]], failed: type[CopyNotMade]) -> None:
    """The copy opens with the new key, passes SQLite's check and holds the same tables and row counts."""
    check = _connect_raw(tmp, password)
    try:
        if check.execute("PRAGMA quick_check").fetchone()[0] != "ok" or _tables(check) != expected:
            raise failed("新文件校验未通过。", "the new copy did not check out.")
        check.execute("PRAGMA journal_mode = WAL").fetchall()
    finally:
        check.close()


def _not_written(exc: BaseException, failed: type[CopyNotMade]) -> CopyNotMade:
    if isinstance(exc, failed):
        return exc
    if isinstance(exc, OSError):
        return failed(_os_error_zh(exc), exc.strerror or str(exc))
    text = str(exc).lower()
    if "full" in text or "disk" in text or "i/o" in text:
        return failed("磁盘空间不足或无法写入。", "the disk is full or cannot be written.")
    return failed("无法写入加密副本。", "the encrypted copy could not be written.")


def _swap_in(db: Database, new_file: Path, password: str) -> None:
    """Rename ``new_file`` over the ledger and point the engine at it with ``password``."""
    assert db.path is not None
    path = db.path
    db.engine.dispose()  # no pooled connection may keep the old inode (and its old key) open
    for suffix in SIDE_SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
    os.replace(new_file, path)
    _fsync_dir(path.parent)
    private_file(path)
    db.engine.pool._creator = _creator(path, password)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchall()


# ---------------------------------------------------------------- restore


@dataclass(frozen=True)
class Restored:
    """Where the replaced ledger was kept (``None`` when there was nothing to keep)."""

    kept: Path | None


def check_backup(backup: Path, password: str, node_code: str | None = None) -> None:
    """The backup opens with ``password``, was written by a schema this program knows and, when
    ``node_code`` is given, belongs to that node. Raises a typed error; reads only."""
    from app.storage.migrate import alembic_config, head_revision

    if not backup.is_file():
        raise DatabaseMissing()
    conn = _probe(backup, password)
    try:
        from alembic.script import ScriptDirectory

        known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            code = conn.execute("SELECT code FROM node_info").fetchone()
        except sqlcipher3.DatabaseError:
            raise _foreign_file() from None
        if revision is None or revision[0] not in known:
            raise DatabaseTooNew(str(revision[0] if revision else "?"), head_revision())
        if node_code is not None and (code is None or code[0] != node_code):
            other = code[0] if code else "?"
            raise StorageError(
                f"该备份属于节点 {other}，不是本机（{node_code}）的台账，未恢复。",
                f"That backup belongs to node {other}, not to this ledger ({node_code}); nothing was restored.",
            )
    finally:
        conn.close()


def _foreign_file() -> StorageError:
    return StorageError("该文件不是帮扶通台账的备份。", "The file is not a backup of a Bangfu ledger.")


def replace_file(backup: Path, target: Path, keep_dir: Path | None) -> Path | None:
    """Copy ``backup`` over ``target`` (atomic, fsynced), first keeping ``target`` (with its WAL) in
    ``keep_dir``. The caller holds the target's lock and has checked the backup."""
    kept: Path | None = None
    tmp = target.with_name(target.name + ".restore-part")
    try:
        if keep_dir is not None and target.exists():
            keep_dir.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            kept = keep_dir / f"{target.stem}-before-restore-{stamp}.db"
            for suffix in ("", "-wal"):
                source = target.with_name(target.name + suffix)
                if source.exists():
                    copy = kept.with_name(kept.name + suffix)
                    shutil.copyfile(source, copy)
                    private_file(copy)
        _remove(tmp)
        create_private_file(tmp)
        with backup.open("rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        for suffix in SIDE_SUFFIXES:
            with contextlib.suppress(FileNotFoundError):
                target.with_name(target.name + suffix).unlink()
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupFailed(_os_error_zh(exc), exc.strerror or str(exc)) from None
    return kept


def forget_derived(conn: Any) -> None:
    """Drop what a ledger derives from its own data — the indicators' stored per-village sums — and give every
    village a new stamp (a DB-API connection; committed here). A restored file comes from outside: sums stored
    in it are not trusted, and no check of the audit trail covers them. They are computed again from its data,
    which the trail does cover, on the next read."""
    cursor = conn.cursor()
    tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "indicator_partials" in tables:  # a backup from before migration 0011 has neither table yet
        cursor.execute("DELETE FROM indicator_partials")
    if "village_stamps" in tables:
        cursor.execute("UPDATE village_stamps SET stamp = random()")
    conn.commit()


def forget_derived_in(db: Database) -> None:
    """``forget_derived`` on an open ledger (nothing to forget off SQLite: no sums are stored there)."""
    if db.engine.dialect.name != "sqlite":
        return
    raw = db.engine.raw_connection()
    try:
        forget_derived(raw)
    finally:
        raw.close()


def restore_file(backup: Path | str, target: Path | str, password: str, keep_dir: Path | None = None) -> Path | None:
    """Replace the closed ledger ``target`` by ``backup`` (the CLI's ``restore``); returns the kept copy."""
    backup, target = Path(backup), Path(target)
    check_backup(backup, password)
    lock = _acquire_lock(target)
    try:
        kept = replace_file(backup, target, keep_dir)
        conn = _connect_raw(target, password)
        try:
            forget_derived(conn)
        finally:
            conn.close()
        return kept
    finally:
        lock.release()


def restore_in_place(db: Database, backup: Path | str, password: str, keep_dir: Path | None) -> Restored:
    """Replace the OPEN ledger by ``backup`` (设置 → 从备份恢复): same node only; the engine reopens on the
    restored file with the backup's ``password`` and migrates it if it is older. The lock stays held."""
    from app.paths import backups_dir
    from app.storage.database import _pre_migration_backup
    from app.storage.migrate import upgrade

    backup, path = Path(backup), _local_file(db)
    if backup.resolve() == path.resolve():
        raise StorageError("不能用正在使用的数据库恢复自己。", "A ledger cannot be restored from itself.")
    check_backup(backup, password, db.node.code)
    if db.clock is not None:
        db.save_clock()
    db.checkpoint()
    db.engine.dispose()
    kept = replace_file(backup, path, keep_dir)
    private_file(path)
    db.engine.pool._creator = _creator(path, password)
    upgrade(db.engine, backup=lambda: _pre_migration_backup(path, db.engine, backups_dir()))
    forget_derived_in(db)
    db._load_node()
    return Restored(kept)
