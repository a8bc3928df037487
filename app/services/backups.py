"""Backups of the ledger as the officer sees them: make one, know when the last one was made and whether the
reminder is due, and deal with the older backups after a password change (they keep the old password and
hold the sync keys).

Which backups exist is this desk's knowledge, not the ledger's (it must not sync): a small JSON log in the
data folder records, per ledger file, every backup made by the CLI or the window.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.errors import BangfuError, WrongPassword
from app.paths import backups_dir, data_dir, private_file
from app.storage.database import Database

LOG_NAME = "backup-log.json"


@dataclass(frozen=True)
class BackupRecord:
    path: Path
    made_at: datetime  # UTC


def _log_path() -> Path:
    return data_dir() / LOG_NAME


def _key(ledger: Path) -> str:
    return str(ledger.resolve())


def _read_log() -> dict[str, Any]:
    try:
        data = json.loads(_log_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_log(data: dict[str, Any]) -> None:
    path = _log_path()
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    private_file(tmp)
    os.replace(tmp, path)


def record(ledger: Path, backup: Path, made_at: datetime | None = None) -> None:
    data = _read_log()
    entries = [e for e in data.get(_key(ledger), []) if isinstance(e, dict) and e.get("path") != str(backup)]
    entries.append({"path": str(backup), "at": (made_at or datetime.now(UTC)).isoformat()})
    data[_key(ledger)] = entries
    _write_log(data)


def history(ledger: Path) -> list[BackupRecord]:
    """Backups of ``ledger`` this desk made that still exist, oldest first."""
    out = []
    for entry in _read_log().get(_key(ledger), []):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            path = Path(entry["path"])
            if path.is_file():
                out.append(BackupRecord(path, datetime.fromisoformat(entry["at"])))
    return sorted(out, key=lambda r: r.made_at)


def last_backup(ledger: Path) -> BackupRecord | None:
    """The newest backup made of ``ledger`` (even if its file has since been carried away on a USB stick)."""
    entries = []
    for entry in _read_log().get(_key(ledger), []):
        with contextlib.suppress(KeyError, TypeError, ValueError):
            entries.append(BackupRecord(Path(entry["path"]), datetime.fromisoformat(entry["at"])))
    return max(entries, key=lambda r: r.made_at, default=None)


def backup_overdue(last: datetime | None, interval_days: int, now: datetime) -> bool:
    """The reminder rule: due when no backup was ever made or the last is older than the interval (0 = off)."""
    if interval_days <= 0:
        return False
    return last is None or now - last > timedelta(days=interval_days)


def make_backup(
    db: Database,
    dest: Path,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Path:
    """Back up the open ledger into ``dest`` (a folder or a file) and record it for the reminder."""
    made = db.backup(dest, progress, cancel)
    if db.path is not None:
        record(db.path, made)
    return made


def old_backups(ledger: Path) -> list[Path]:
    """The backups that still hold the ledger under an older password: the recorded ones and those in the
    data folder's ``backups/`` (before migration or restore), excluding none — the caller just changed it."""
    found = {r.path for r in history(ledger)}
    folder = backups_dir()
    found |= {p for p in folder.glob(f"{ledger.stem}-*.db") if p.is_file()}
    return sorted(found)


@dataclass(frozen=True)
class OldBackupsResult:
    done: list[Path]
    skipped: list[tuple[Path, str]]  # path, why (zh)


def reencrypt_backups(paths: list[Path], old_password: str, new_password: str) -> OldBackupsResult:
    """Re-encrypt each backup with the new password; one that does not open with the old one is skipped."""
    from app.storage.replace import reencrypt_file

    done, skipped = [], []
    for path in paths:
        try:
            reencrypt_file(path, old_password, new_password)
            done.append(path)
        except WrongPassword:
            skipped.append((path, "该备份用的是另一个密码"))
        except BangfuError as exc:
            skipped.append((path, exc.zh))
    return OldBackupsResult(done, skipped)


def remove_backups(ledger: Path, paths: list[Path]) -> OldBackupsResult:
    """Delete backups (with their WAL) and forget them in the log."""
    done, skipped = [], []
    for path in paths:
        try:
            for suffix in ("", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)
            done.append(path)
        except OSError as exc:
            skipped.append((path, exc.strerror or "无法删除"))
    data = _read_log()
    gone = {str(p) for p in done}
    data[_key(ledger)] = [e for e in data.get(_key(ledger), []) if isinstance(e, dict) and e.get("path") not in gone]
    _write_log(data)
    return OldBackupsResult(done, skipped)


@dataclass(frozen=True)
class Reminder:
    """What 设置 and the status bar say about backups."""

    last: BackupRecord | None
    interval_days: int
    overdue: bool
    days_since: int | None


def reminder(db: Database, now: datetime | None = None) -> Reminder:
    """The last backup of the open ledger and whether the reminder set in 设置 is due (worker thread)."""
    from app.services import settings

    with db.session() as s:
        interval = int(settings.get(s, "backup_reminder_days"))
    last = last_backup(db.path) if db.path is not None else None
    now = now or datetime.now(UTC)
    since = (now - last.made_at).days if last else None
    return Reminder(last, interval, backup_overdue(last.made_at if last else None, interval, now), since)
