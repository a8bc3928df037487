"""The encrypted database file: open/create, key, pragmas, single-instance lock, migrations, backup, rekey.

SQLCipher 4 through ``sqlcipher3``. The passphrase is handed to ``PRAGMA key`` inside a connection creator,
so it never appears in a URL, a log line or an exception. Everything SQLite-specific lives in this package;
``Database`` could be built on a PostgreSQL engine for a shared hub (``Database.from_engine``).

Thread use: one ``Database`` per process; sessions (``Database.session()``) are per task and per thread.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import filelock
import sqlcipher3
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.errors import (
    BackupFailed,
    DatabaseExists,
    DatabaseInUse,
    DatabaseMissing,
    NotADatabase,
    StorageError,
    WrongPassword,
)
from app.hlc import HybridClock
from app.paths import create_private_file, private_file
from app.storage import pinyin_order

log = logging.getLogger(__name__)

SQLITE_PLAIN_HEADER = b"SQLite format 3\x00"
PAGE_SIZE = 4096
_CACHE_KIB = 262144  # the page cache of every connection: up to 256 MiB, taken only as pages are read
_CACHE_MAX_KIB = 1048576  # … and up to 1 GiB for a hub's ledger (see page_cache_kib)


def _bind_fast_paths() -> None:
    """Identity adapters for the parameter types the driver otherwise looks up the slow way.

    ``sqlcipher3`` (a pysqlite fork) binds ``int``, ``float`` and ``str`` directly, but sends every other
    value, ``None`` and ``bytes`` included, through its adapter lookup, whose miss path costs ~0.8 µs a value
    (measured: 200,000 rows of 8 ``None`` bound in 1.31 s vs 0.08 s for ints). A large import binds millions
    of ``None`` and audit BLOBs. A registered adapter is a hit instead: ``{}.get`` maps ``None`` to ``None``
    and ``bytes`` keeps ``bytes`` (a C call each, 0.19 s and 0.29 s for the same rows). The bound values are
    the same objects, so what is stored is identical; ``memoryview`` (SQLAlchemy's ``Binary``) is bound as
    the bytes it shows, as the driver does. Process-wide, like the driver's own date adapters."""
    sqlcipher3.register_adapter(type(None), {}.get)
    sqlcipher3.register_adapter(bytes, bytes)
    sqlcipher3.register_adapter(memoryview, bytes)


_bind_fast_paths()


def page_cache_kib(pages: int) -> int:
    """The page cache a connection gets for a file of ``pages`` pages: 256 MiB, or an eighth of the file up
    to 1 GiB. A township's ledger (≤ 2 GB) stays at 256 MiB; at 500,000 households a city's indicators read
    more than 256 MiB of index pages, and measured there 1 GiB took 平均收入 from 686 to 248 ms and 走访 from
    984 to 528 ms warm (no change at 200,000)."""
    return max(_CACHE_KIB, min(_CACHE_MAX_KIB, pages * PAGE_SIZE // 1024 // 8))


def _quote(password: str) -> str:
    return "'" + password.replace("'", "''") + "'"


def _check_password(password: str) -> None:
    if not password:
        raise StorageError("密码不能为空。", "The password must not be empty.")
    if "\x00" in password:
        raise StorageError("密码含有无效字符。", "The password contains an invalid character.")


def _connect_raw(path: Path, password: str) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    with contextlib.suppress(sqlcipher3.DatabaseError):
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher's own stderr noise (hmac check failed …)
    conn.execute(f"PRAGMA key = {_quote(password)}")
    return conn


def _classify_open_error(path: Path, exc: Exception) -> StorageError:
    """Turn SQLCipher's one message ('file is not a database') into the user's likely situation."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return NotADatabase()
    if head == SQLITE_PLAIN_HEADER:
        return NotADatabase("（这是未加密的普通 SQLite 文件）", " (it is a plain, unencrypted SQLite file)")
    if size == 0 or size % 512 != 0:
        return NotADatabase()
    if "malformed" in str(exc) or "corrupt" in str(exc):
        return NotADatabase()
    return WrongPassword()


def _probe(path: Path, password: str) -> sqlcipher3.Connection:
    """A keyed connection that has read the schema, so the key is known to be right; a typed error if not.

    No quick_check here: it reads the whole file (seconds at 200k households). SQLite compares the header's
    page count with the file size on this first read, which catches truncation.
    """
    conn = _connect_raw(path, password)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher3.DatabaseError as exc:
        conn.close()
        raise _classify_open_error(path, exc) from None
    except BaseException:
        conn.close()
        raise
    return conn


@dataclass(frozen=True)
class NodeIdentity:
    code: str
    name: str
    role: str


class Database:
    """An open ledger: engine, session factory, the node's identity and clock. Close it to release the lock."""

    default_actor = "未选定经办人"  # "no officer chosen": the actor until one is chosen

    def __init__(self, engine: Engine, path: Path | None, lock: filelock.BaseFileLock | None) -> None:
        self.engine = engine
        self.path = path
        self._lock = lock
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
        # The GUI (at unlock) and the CLI (--actor) replace it with an officer from the node's list
        # (``app.services.officers.choose``) before anything is written; the default marks any entry written
        # without that choice instead of letting an environment variable name anyone.
        self.actor = self.default_actor
        self._node: NodeIdentity | None = None
        self.clock: HybridClock | None = None
        self._load_node()

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def from_engine(cls, engine: Engine) -> Database:
        """A ledger on an engine made elsewhere (a PostgreSQL hub, or tests). No file lock."""
        from app.storage.migrate import upgrade

        upgrade(engine, backup=None)
        db = cls(engine, None, None)
        from app.services.official_places import align_if_pending  # migration 0007's data step, as at open

        align_if_pending(db)
        return db

    def _load_node(self) -> None:
        from app.domain.models import NodeInfo

        with self._sessions() as s:
            info = s.scalars(select(NodeInfo)).first()
            if info is not None:
                self._node = NodeIdentity(info.code, info.name, info.role)
                self.clock = HybridClock(info.code, info.clock or None)

    # -- properties ---------------------------------------------------------------------------------

    @property
    def node(self) -> NodeIdentity:
        if self._node is None:
            raise StorageError("数据库尚未初始化节点信息。", "The database has no node identity yet (run init).")
        return self._node

    @property
    def has_node(self) -> bool:
        return self._node is not None

    def set_node(self, code: str, name: str, role: str, region_id: str | None = None) -> None:
        from app.domain.models import NodeInfo

        with self._sessions.begin() as s:
            if s.scalars(select(NodeInfo)).first() is not None:
                raise StorageError("节点信息已设置，不能更改。", "The node identity is already set and cannot change.")
            s.add(NodeInfo(code=code, name=name, role=role, region_id=region_id, clock=""))
        self._load_node()

    def set_node_region(self, region_id: str) -> None:
        from app.domain.models import NodeInfo

        with self._sessions.begin() as s:
            s.scalars(select(NodeInfo)).one().region_id = region_id

    def session(self) -> Session:
        return self._sessions()

    # -- file operations ----------------------------------------------------------------------------

    def checkpoint(self) -> None:
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def backup(
        self,
        dest: Path | str,
        progress: Callable[[int, int], None] | None = None,
        cancel: Callable[[], bool] | None = None,
    ) -> Path:
        """Copy the encrypted file to ``dest`` (a file or a folder) atomically; the original is never touched.

        The copy is written to a temporary name beside the destination, flushed to disk and then renamed,
        so a full disk or a pulled USB stick leaves no half-written backup under the final name. When
        ``cancel()`` turns true the copy stops, the partial file is removed and ``BackupCancelled`` raised.
        """
        if self.path is None:
            raise BackupFailed("此数据库不是本地文件。", "this database is not a local file.")
        dest = Path(dest)
        if dest.is_dir():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            dest = dest / f"{self.path.stem}-backup-{stamp}.db"
        self.checkpoint()
        tmp = dest.with_name(dest.name + ".part")
        try:
            with self.engine.connect() as conn, conn.begin() as txn:
                # Hold a read transaction so no writer changes the file during the copy.
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").fetchall()
                _copy_file(self.path, tmp, progress, cancel)
                txn.rollback()
            os.replace(tmp, dest)
        except BackupCancelled:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise BackupFailed(_os_error_zh(exc), exc.strerror or str(exc)) from None
        return dest

    def rekey(self, old_password: str, new_password: str) -> None:
        """Change the password by writing a re-encrypted copy and renaming it into place
        (``app.storage.replace.change_password``); returns only when the new password is true on disk."""
        from app.storage.replace import change_password

        change_password(self, old_password, new_password)

    def close(self) -> None:
        if self.clock is not None and self._node is not None:
            with contextlib.suppress(Exception):
                self.save_clock()
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def save_clock(self) -> None:
        from app.domain.models import NodeInfo

        assert self.clock is not None
        with self._sessions.begin() as s:
            info = s.scalars(select(NodeInfo)).first()
            if info is not None and self.clock.last > (info.clock or ""):
                info.clock = self.clock.last

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def os_user() -> str:
    """The operating-system user name, or "user" where there is none."""
    try:
        import getpass

        return getpass.getuser()
    except Exception:
        return "user"


def _os_error_zh(exc: OSError) -> str:
    import errno

    if exc.errno == errno.ENOSPC:
        return "磁盘空间不足。"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限。"
    if exc.errno == errno.ENOENT:
        return "目标文件夹不存在。"
    return "无法写入目标位置。"


class BackupCancelled(StorageError):
    """The user stopped a backup; the partial copy has been removed."""

    def __init__(self) -> None:
        super().__init__("备份已取消，未留下不完整的文件。", "Backup cancelled; no partial file was left.")


def _copy_file(
    src: Path, dst: Path, progress: Callable[[int, int], None] | None, cancel: Callable[[], bool] | None = None
) -> None:
    total = src.stat().st_size
    done = 0
    with contextlib.suppress(FileNotFoundError):
        dst.unlink()
    create_private_file(dst)
    with src.open("rb") as fin, dst.open("wb") as fout:
        while chunk := fin.read(1 << 20):
            if cancel is not None and cancel():
                raise BackupCancelled()
            fout.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        if cancel is not None and cancel():  # also after the last chunk: nothing is renamed once cancelled
            raise BackupCancelled()
        fout.flush()
        os.fsync(fout.fileno())


def _creator(
    path: Path, password: str, first: sqlcipher3.Connection | None = None
) -> Callable[[], sqlcipher3.Connection]:
    """Connections for the pool. ``first`` (the already keyed probe) is handed out once, saving one key
    derivation (~0.1–0.2 s) at open."""
    spare = [first] if first is not None else []

    def connect() -> sqlcipher3.Connection:
        return spare.pop() if spare else _connect_raw(path, password)

    return connect


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.execute("PRAGMA temp_store = MEMORY")
    pages = cur.execute("PRAGMA page_count").fetchone()[0]
    cur.execute(f"PRAGMA cache_size = -{page_cache_kib(int(pages))}")
    cur.execute("PRAGMA busy_timeout = 5000")
    cur.close()
    pinyin_order.register(dbapi_conn)


def _make_engine(path: Path, password: str, first: sqlcipher3.Connection | None = None) -> Engine:
    # Not the "sqlite+pysqlcipher" dialect: it runs "PRAGMA key" from the URL's password, i.e. it wants the
    # passphrase inside a URL. The plain pysqlite dialect on the sqlcipher3 module, with our own creator,
    # is the same driver with the key only ever handed to PRAGMA key.
    engine = create_engine(
        "sqlite://",
        module=sqlcipher3,
        creator=_creator(path, password, first),
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=4,
        hide_parameters=True,
    )
    event.listen(engine, "connect", _on_connect)

    # pysqlite's default transaction handling is broken for SAVEPOINT; take it over (SQLAlchemy docs recipe).
    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _acquire_lock(path: Path) -> filelock.BaseFileLock:
    lock = filelock.FileLock(str(lock_path(path)), timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise DatabaseInUse() from None
    return lock


def create_database(path: Path | str, password: str) -> Database:
    """Create a new encrypted database file with the current schema. Refuses to overwrite."""
    from app.storage.migrate import upgrade

    path = Path(path)
    _check_password(password)
    if path.exists() and path.stat().st_size > 0:
        raise DatabaseExists()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _acquire_lock(path)
    try:
        if not path.exists():
            create_private_file(path)  # SQLite would create it 0644; its WAL and SHM take the file's mode
        conn = _connect_raw(path, password)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
        engine = _make_engine(path, password)
        upgrade(engine, backup=None)
        return Database(engine, path, lock)
    except BaseException:
        lock.release()
        raise


def open_database(path: Path | str, password: str, *, migrate: bool = True) -> Database:
    """Open an existing database: lock, key, check, back up and migrate if the schema is older."""
    from app.storage.migrate import check_version, upgrade

    path = Path(path)
    if not path.exists():
        raise DatabaseMissing()
    if path.is_dir() or path.stat().st_size == 0:
        raise NotADatabase()  # SQLite would happily treat an empty file as a new database
    lock = _acquire_lock(path)
    try:
        started = time.perf_counter()
        probe = _probe(path, password)
        log.debug("key derivation and check took %.0f ms", (time.perf_counter() - started) * 1000)
        engine = _make_engine(path, password, first=probe)
        pending = check_version(engine)
        if pending and migrate:
            from app.paths import backups_dir

            upgrade(engine, backup=lambda: _pre_migration_backup(path, engine, backups_dir()))
        db = Database(engine, path, lock)
        if pending and migrate:
            # The data step of migration 0007: correcting division codes is an audited, synced edit, which
            # only the services' unit of work makes (imported here: storage does not depend on services).
            from app.services.official_places import align_if_pending

            align_if_pending(db)
        return db
    except BaseException:
        lock.release()
        raise


def open_reader(path: Path | str, password: str) -> Engine:
    """A query-only engine on a ledger that a ``Database`` of this program holds open, for a helper process
    that reads beside it (``audit verify``'s row check): no lock (the opener holds it), no migration, no
    write (``PRAGMA query_only``). Dispose of it when done."""

    def connect() -> sqlcipher3.Connection:
        conn = _connect_raw(Path(path), password)
        conn.execute("PRAGMA query_only = ON")
        return conn

    return create_engine("sqlite://", module=sqlcipher3, creator=connect, poolclass=QueuePool, pool_size=1,
                         hide_parameters=True)  # fmt: skip


def _pre_migration_backup(path: Path, engine: Engine, folder: Path) -> None:
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{path.stem}-before-migration-{stamp}.db"
    tmp = dest.with_name(dest.name + ".part")
    try:
        shutil.copyfile(path, tmp)
        private_file(tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupFailed(_os_error_zh(exc), exc.strerror or str(exc)) from None


def restore_database(
    backup: Path | str, target: Path | str, password: str, keep_dir: Path | None = None
) -> Path | None:
    """Replace the closed ledger ``target`` by ``backup`` after checking the backup opens with ``password``.

    The file being replaced is first copied (with its WAL) into ``keep_dir`` so a restore can be undone;
    that copy needs no password. Returns the kept copy's path. (``app.storage.replace`` does the work; an
    open ledger is restored with ``replace.restore_in_place``.)
    """
    from app.storage.replace import restore_file

    return restore_file(backup, target, password, keep_dir)


def execute_sql(db: Database, sql: str) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(text(sql)))


@contextlib.contextmanager
def bulk_write_cache(connection: Any, megabytes: int = 1024) -> Iterator[None]:
    """A large page cache on this connection for one big transaction (demo data, large imports).

    In WAL mode SQLite spills dirty pages into the WAL when the cache is full, and every later change to a
    spilled page (random-order indexes such as resident IDs and names) appends it again: the WAL balloons
    and the job slows down as it grows. A cache that holds the transaction's working set avoids that.
    The usual size is restored afterwards, as the connection goes back to the pool. No-op off SQLite.
    """
    with _page_cache(connection, megabytes):
        yield


@contextlib.contextmanager
def scan_cache(connection: Any, megabytes: int = 16) -> Iterator[None]:
    """A small page cache on this connection for one long read of the whole file (``audit verify``).

    A scan touches each page once; with the usual cache it would keep up to 256 MiB of pages it never reads
    again, so the process would grow with the file up to that size. The usual size is restored afterwards.
    No-op off SQLite.
    """
    with _page_cache(connection, megabytes):
        yield


@contextlib.contextmanager
def _page_cache(connection: Any, megabytes: int) -> Iterator[None]:
    if connection.dialect.name != "sqlite":
        yield
        return
    usual = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(megabytes) * 1024}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(usual)}")


def bulk_insert(connection: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    """``connection.execute(insert(table), rows)`` for many rows of the same keys, with less overhead per row.

    SQLAlchemy's executemany builds and processes a parameter dict per row (a third of the time of writing a
    million audit entries). On SQLite this converts the values with the columns' own bind processors — the
    same conversions, so the stored values are identical — and hands plain tuples to the driver. Rows whose
    keys differ, columns left out that have a default, and other databases take the ordinary path.
    """
    if not rows:
        return
    keys = list(rows[0])
    missing_defaults = any(c.default is not None for c in table.columns if c.key not in keys)
    if (
        connection.dialect.name != "sqlite"
        or missing_defaults
        or any(len(r) != len(keys) for r in rows)
        or not all(k in table.c for k in keys)
    ):
        connection.execute(insert(table), rows)
        return
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup or [])
    if sorted(order) != sorted(keys):  # bind names not the column keys: not the plain case this handles
        connection.execute(insert(table), rows)
        return
    # Column by column, then zipped into the driver's tuples: one pass per column in C (list comprehension,
    # zip) rather than a generator per row, and a processor runs once for a run of the very same object
    # (the stamp time shared by every row of a batch, ``None``, ``True``).
    columns = []
    for key in order:
        column = [row[key] for row in rows]
        processor = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(column if processor is None else _processed(processor, column))
    insert_values(connection, compiled.string, list(zip(*columns, strict=True)))


_ROWS_PER_STATEMENT = 50


def insert_values(connection: Any, sql: str, values: list[tuple[Any, ...]]) -> None:
    """``sql`` (an ``INSERT … VALUES (?, …)`` for one row, positional) for every tuple of ``values``,
    ``_ROWS_PER_STATEMENT`` rows to a statement (SQLite).

    A table with a trigger (the village stamps of ``0011_indicator_partials``) makes SQLite keep a statement
    journal: every page a statement changes — the table's and each index's — is copied first. Once per row,
    that doubled the cost of inserting a household (8 µs more a row); once per 50 rows it is a few percent."""
    head, _, row = sql.rpartition(" VALUES ")
    per = min(_ROWS_PER_STATEMENT, max(1, 30_000 // max(1, len(values[0]))))  # under SQLite's 32,766 variables
    full = len(values) - len(values) % per
    if full:
        many = f"{head} VALUES {', '.join([row] * per)}"
        flat = chain.from_iterable
        connection.exec_driver_sql(many, [tuple(flat(values[i : i + per])) for i in range(0, full, per)])
    if full < len(values):
        rest = values[full:]
        connection.exec_driver_sql(f"{head} VALUES {', '.join([row] * len(rest))}", tuple(chain.from_iterable(rest)))


def _processed(processor: Callable[[Any], Any], values: list[Any]) -> list[Any]:
    """``[processor(v) for v in values]``, reusing the result while the value is the same object as the one
    before (identity, not equality: ``1 == True`` and two equal instants in different time zones are not
    interchangeable here)."""
    out: list[Any] = []
    last: Any = _NOTHING
    result: Any = None
    for value in values:
        if value is not last:
            last, result = value, processor(value)
        out.append(result)
    return out


_NOTHING = object()
