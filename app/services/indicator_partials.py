"""Stored per-village sums of the household indicators, recomputed only for the villages written since.

Every household indicator is a sum over villages (``app.services.indicators``: a grouped query gives each
village's integer sums, ``finish`` turns their total into the figure). Here those sums are kept in
``indicator_partials``, one row per (indicator, reference date, variant, village), each with the stamp its
village had when it was computed. SQLite triggers (migration ``0011_indicator_partials``) give a village a new
random stamp on every write that touches what the sums read, whatever path made the write (services, Excel
import, sync, restore). Every read compares the stored stamps with the villages' current ones and recomputes
the villages that differ or are missing — in one grouped query — so a figure is never stale.

Derived data only: never synced, never audited. Storing is best effort: a read-only database, a writer holding
the lock or any other failed write leaves the figure computed and the tables as they were. Without the
triggers (PostgreSQL, a ledger not migrated) nothing is stored and every read computes.

Call from the database worker thread (or the CLI), like the indicators.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, delete, event, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, SessionTransaction

from app.domain.models import Household, IndicatorPartial, VillageStamp

Sums = tuple[int, ...]
VillageSums = dict[str, Sums]
GroupedQuery = Callable[[ColumnElement[bool]], VillageSums]
"""The grouped computation of one indicator: given a filter on ``Household.village_id``, each village's sums."""

WIDTH = 6  # sums a row holds (s0 … s5)
TRIGGER_PREFIX = "stamp_village_"
_FEW = 400  # at most this many stale villages (and at most half the scope's) are named in an IN list
_RECENT_MAX = 200_000  # villages' sums remembered per database (a few MB at most)
_COLUMNS = [IndicatorPartial.s0, IndicatorPartial.s1, IndicatorPartial.s2, IndicatorPartial.s3, IndicatorPartial.s4,
            IndicatorPartial.s5]  # fmt: skip


def _has_triggers(session: Session) -> bool:
    name = f"{TRIGGER_PREFIX}household_village_id_insert"
    row = session.connection().exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    )
    return row.first() is not None


def village_sums(
    session: Session,
    key: str,
    ref: date,
    variant: str,
    villages: Select[Any],
    scope_filter: ColumnElement[bool],
    compute: GroupedQuery,
    width: int,
) -> VillageSums:
    """The sums of indicator ``key`` for every village of ``villages`` (a select of region ids), from the stored
    partials where their stamp is current, the rest computed by ``compute`` (restricted to the stale villages,
    or ``scope_filter`` — the same villages as a filter on ``Household.village_id`` — when most are stale) and
    stored. A village without households sums to zeros."""
    zeros = (0,) * width
    if not _has_stamps(session):
        computed = compute(scope_filter)
        return {str(v): computed.get(str(v), zeros) for (v,) in session.execute(villages)}
    listed = villages.subquery()
    village_id = listed.c[0]
    rows = session.execute(
        select(village_id, VillageStamp.stamp, IndicatorPartial.stamp, *_COLUMNS[:width])
        .select_from(listed)
        .outerjoin(VillageStamp, VillageStamp.village_id == village_id)
        .outerjoin(
            IndicatorPartial,
            (IndicatorPartial.key == key)
            & (IndicatorPartial.ref == ref)
            & (IndicatorPartial.settings_hash == variant)
            & (IndicatorPartial.village_id == village_id),
        )
    ).all()
    found: VillageSums = {}
    stale: dict[str, int | None] = {}
    recent = _recent(session)
    for vid, current, stored, *sums in rows:
        remembered = recent.get((key, ref, variant, vid))
        if current is None:  # a place without a stamp (not made by the triggers): never taken as current
            stale[vid] = None
        elif stored is not None and stored == current:
            found[vid] = tuple(int(s) for s in sums)
        elif remembered is not None and remembered[0] == current:
            found[vid] = remembered[1]
        else:
            stale[vid] = int(current)
    if stale:
        whole = len(stale) > min(_FEW, len(rows) // 2)  # most of the scope (a new day): one pass over it
        computed = compute(scope_filter if whole else Household.village_id.in_(sorted(stale)))
        fresh = {v: computed.get(v, zeros) for v in stale}
        found.update(fresh)
        stamps = {v: stamp for v, stamp in stale.items() if stamp is not None}
        fresh = {v: fresh[v] for v in stamps}
        _store(session, key, ref, variant, fresh, stamps, prune=whole)
        _remember(session, key, ref, variant, fresh, stamps)
    return found


# What this process stored lately, per database (engine). A session reads one snapshot: sums stored on another
# connection after its first read stay invisible to it, so a long session (a benchmark, a report of many
# figures) would recompute the same villages on every call. Keyed like the stored rows and checked against the
# village's current stamp in the same way, so it can never answer for data that changed.
_RECENT: weakref.WeakKeyDictionary[Any, dict[tuple[str, date, str, str], tuple[int, Sums]]] = (
    weakref.WeakKeyDictionary()
)
_RECENT_LOCK = threading.Lock()


def _recent(session: Session) -> dict[tuple[str, date, str, str], tuple[int, Sums]]:
    with _RECENT_LOCK:  # read without copying: single dict lookups are atomic in CPython
        return _RECENT.setdefault(session.get_bind().engine, {})


def forget_recent() -> None:
    """Forget the sums remembered in this process (the stored ones stay): benchmarks of the cold path; tests."""
    with _RECENT_LOCK:
        _RECENT.clear()


def _remember(
    session: Session, key: str, ref: date, variant: str, sums: Mapping[str, Sums], stamps: Mapping[str, int]
) -> None:
    with _RECENT_LOCK:
        memo = _RECENT.setdefault(session.get_bind().engine, {})
        if len(memo) + len(sums) > _RECENT_MAX:
            memo.clear()
        memo.update({(key, ref, variant, v): (stamps[v], s) for v, s in sums.items()})


def _has_stamps(session: Session) -> bool:
    """Whether this database keeps village stamps (SQLite with the triggers of ``0011_indicator_partials``)."""
    return session.get_bind().dialect.name == "sqlite" and _has_triggers(session)


def total(sums: Iterable[Sums], width: int) -> Sums:
    """Component-wise sum of villages' sums."""
    totals = [0] * width
    for row in sums:
        for i, value in enumerate(row):
            totals[i] += value
    return tuple(totals)


def _store(
    session: Session,
    key: str,
    ref: date,
    variant: str,
    sums: Mapping[str, Sums],
    stamps: Mapping[str, int],
    *,
    prune: bool,
) -> None:
    """Queue the villages' sums, with the stamps they were computed at, to be stored when the session's
    transaction ends. Not on the session's own connection (its transaction may hold work that is not ours to
    commit) and not at once on another one: a commit from elsewhere would leave the session's read snapshot
    behind, and SQLite refuses a write from a transaction whose snapshot is stale ("database is locked")."""
    if not sums and not prune:
        return
    rows = [
        {"key": key, "ref": ref, "settings_hash": variant, "village_id": v, "stamp": stamps[v],
         **{f"s{i}": (s[i] if i < len(s) else 0) for i in range(WIDTH)}}
        for v, s in sums.items()
    ]  # fmt: skip
    if not session.info.get(_LISTENING):
        event.listen(session, "after_transaction_end", _write_pending)  # stays for the session's life
        session.info[_LISTENING] = True
    session.info.setdefault(_PENDING, []).append((key, ref, rows, prune))


_PENDING, _LISTENING = "indicator_partials.pending", "indicator_partials.listening"


def _write_pending(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:  # a nested transaction (savepoint): wait for the outermost
        return
    pending = session.info.pop(_PENDING, [])
    if pending:
        _write(session.get_bind().engine, pending)


def _write(engine: Engine, pending: list[tuple[str, date, list[dict[str, Any]], bool]]) -> None:
    """Upsert the queued sums in one transaction. Never waits for the write lock and never raises: whoever
    holds the lock is writing, so these sums would be stale anyway; a read-only database stores nothing."""
    statement = sqlite_insert(IndicatorPartial)
    statement = statement.on_conflict_do_update(
        index_elements=["key", "ref", "settings_hash", "village_id"],
        set_={c: statement.excluded[c] for c in ["stamp", *(f"s{i}" for i in range(WIDTH))]},
    )
    waited: Any = None
    with contextlib.suppress(SQLAlchemyError), engine.connect() as conn:
        try:
            with conn.begin():
                waited = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
                conn.exec_driver_sql("PRAGMA busy_timeout = 0")
                for key, ref, rows, prune in pending:
                    if rows:
                        conn.execute(statement, rows)
                    if prune:
                        conn.execute(_outdated(key, ref))
        finally:
            if waited is not None:  # the pooled connection goes back waiting as long as before
                conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(waited)}")


def _outdated(key: str, ref: date) -> Any:
    """Sums of earlier days that are not a year's end: "today" has moved on and they will not be read again.
    Past years' figures (31 December) stay."""
    return delete(IndicatorPartial).where(
        IndicatorPartial.key == key,
        IndicatorPartial.ref < ref,
        func.strftime("%m-%d", IndicatorPartial.ref) != "12-31",
    )
