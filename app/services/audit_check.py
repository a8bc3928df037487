"""Verifying the audit trail as the CLI and the GUI do it: the chain check, then remembering what was verified.

``app.audit.verify`` only reads; this service also keeps, per chain, the last head found intact
(``AuditVerifiedHead``) so that an incremental run starts there. Worker thread or CLI only.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from app.audit import (
    HELPER_FROM,
    AuditReport,
    ChainHead,
    RowProblem,
    VerifyCancelled,
    touched_since,
    verify,
    verify_rows,
)
from app.audit_helper import RowsHelper
from app.domain.models import AuditEntry, AuditVerifiedHead, utcnow
from app.storage.database import Database
from app.storage.replace import forget_derived_in


def verified_heads(db: Database) -> dict[str, ChainHead]:
    """The heads the last successful verification found intact, by node."""
    with db.session() as session:
        return {
            row.node: ChainHead(row.node, row.node_seq, row.hash) for row in session.scalars(select(AuditVerifiedHead))
        }


def verify_chain(
    db: Database,
    *,
    incremental: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    helper: bool | None = None,
    hash_here: bool = True,
    remember: bool = True,
) -> AuditReport:
    """Verify every chain (``incremental``: only what follows the last verified heads) and, when all is
    intact and ``remember``, remember the new heads. A broken chain leaves the remembered heads as they were.
    ``helper``, ``hash_here``: see ``app.audit.verify``."""
    since = verified_heads(db) if incremental else None
    with db.session() as session:
        report = verify(
            session, since=since, progress=progress, cancelled=cancelled, helper=helper, hash_here=hash_here
        )
    if report.ok and remember:
        _remember(db, report)
    return report


def _remember(db: Database, report: AuditReport) -> None:
    with db.session() as session, session.begin():
        session.execute(delete(AuditVerifiedHead))
        now = utcnow()
        session.add_all(
            AuditVerifiedHead(node=h.node, node_seq=h.node_seq, hash=h.hash, verified_at=now) for h in report.heads
        )


@dataclass(frozen=True)
class LedgerCheck:
    """The chain's verdict and, when the chain is intact, the rows that do not match it."""

    chain: AuditReport
    rows: list[RowProblem]
    rows_checked: int | None = None  # rows read by an incremental check; None: every row

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.rows


def verify_ledger(
    db: Database,
    *,
    incremental: bool = False,
    limit: int = 20,
    helper: bool | None = None,
    password: str | None = None,
) -> LedgerCheck:
    """``verify_chain`` and ``app.audit.verify_rows`` at the same time, on two cores. The rows' verdict counts
    only when the chain is intact (a broken chain stops the row check early).

    With the ledger's ``password`` (a ledger file): the rows are checked by a helper process on its own
    query-only connection (``RowsHelper``) while this process walks and hashes the chain — the two halves
    cost about the same. Without (a PostgreSQL hub, or a caller that has no password at hand): the rows are
    checked on a second connection in a thread here while the chain is read here and hashed by the chain
    helper (``ChainHasher``). ``helper``: use a helper process (None: from ``HELPER_FROM`` entries, on a
    machine with more than one core).

    ``incremental`` (after a verified head): the chain after the heads, then only the rows its new entries are
    about, each against all of its entries — seconds instead of minutes at a city hub. A row edited in the
    file with no entry is found only by a full check, which also drops the stored per-village sums."""
    since = verified_heads(db) if incremental else {}
    if since:
        check = _touched_rows(db, since, limit)
        if check.ok:  # heads move only when chain and rows are intact: a row found wrong is found again
            _remember(db, check.chain)
        return check
    if helper is None:
        helper = (os.cpu_count() or 1) > 1 and _trail_length(db) >= HELPER_FROM
    if not helper:
        chain = verify_chain(db, incremental=incremental, helper=False, remember=False)
        if not chain.ok:
            check = LedgerCheck(chain, [])
        else:
            with db.session() as session:
                check = LedgerCheck(chain, verify_rows(session, limit))
    elif password is not None and db.path is not None:
        check = _rows_in_helper_process(db, incremental, limit, password)
    else:
        check = _rows_in_thread(db, incremental, limit)
    if check.ok:
        _remember(db, check.chain)
    if not incremental:
        # After a full check every figure is computed again from the data just checked: the indicators' stored
        # per-village sums are derived data neither the chain nor the rows cover, so an edit of them in the file
        # would otherwise outlive the check (a restore drops them alike).
        forget_derived_in(db)
    return check


TOUCHED_MAX = 200_000  # new entries up to which an incremental check gathers the rows they touch (~20 MB)


def _touched_rows(db: Database, since: dict[str, ChainHead], limit: int) -> LedgerCheck:
    chain = verify_chain(db, incremental=True, remember=False)
    if not chain.ok:
        return LedgerCheck(chain, [])
    with db.session() as session:
        if chain.entries > TOUCHED_MAX:  # e.g. a hub round since: every row, streamed, in bounded memory
            return LedgerCheck(chain, verify_rows(session, limit))
        touched = touched_since(session, since, chain.heads)
        return LedgerCheck(chain, verify_rows(session, limit, touched=touched), sum(map(len, touched.values())))


def _trail_length(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.max(AuditEntry.seq))) or 0


def _rows_in_helper_process(db: Database, incremental: bool, limit: int, password: str) -> LedgerCheck:
    rows = RowsHelper(str(db.path), password, limit)
    try:
        chain = verify_chain(db, incremental=incremental, helper=False, remember=False)  # rows: the other core
    except BaseException:
        rows.stop()
        raise
    if not chain.ok:
        rows.stop()
        return LedgerCheck(chain, [])
    problems = rows.result()
    if problems is None:  # no helper to be had, or it failed: check here (the same answer, or the same error)
        with db.session() as session:
            problems = verify_rows(session, limit)
    return LedgerCheck(chain, problems)


def _rows_in_thread(db: Database, incremental: bool, limit: int) -> LedgerCheck:
    chain_broken = threading.Event()

    def check_rows() -> list[RowProblem]:
        with db.session() as session:
            return verify_rows(session, limit, cancelled=chain_broken.is_set)

    with ThreadPoolExecutor(1, thread_name_prefix="verify-rows") as pool:
        rows = pool.submit(check_rows)
        try:
            report = verify_chain(db, incremental=incremental, helper=True, hash_here=False, remember=False)
        except BaseException:
            chain_broken.set()
            raise
        if not report.ok:
            chain_broken.set()
            try:
                rows.result()
            except VerifyCancelled:
                pass
            return LedgerCheck(report, [])
        return LedgerCheck(report, rows.result())
