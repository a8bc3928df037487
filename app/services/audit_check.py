"""Verifying the audit trail as the CLI and the GUI do it: the chain check, then remembering what was verified.

``app.audit.verify`` only reads; this service also keeps, per chain, the last head found intact
(``AuditVerifiedHead``) so that an incremental run starts there. Worker thread or CLI only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import delete, select

from app.audit import AuditReport, ChainHead, RowProblem, VerifyCancelled, verify, verify_rows
from app.domain.models import AuditVerifiedHead, utcnow
from app.storage.database import Database


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
) -> AuditReport:
    """Verify every chain (``incremental``: only what follows the last verified heads) and, when all is
    intact, remember the new heads. A broken chain leaves the remembered heads as they were.
    ``helper``, ``hash_here``: see ``app.audit.verify``."""
    since = verified_heads(db) if incremental else None
    with db.session() as session:
        report = verify(
            session, since=since, progress=progress, cancelled=cancelled, helper=helper, hash_here=hash_here
        )
    if report.ok:
        with db.session() as session, session.begin():
            session.execute(delete(AuditVerifiedHead))
            now = utcnow()
            session.add_all(
                AuditVerifiedHead(node=h.node, node_seq=h.node_seq, hash=h.hash, verified_at=now) for h in report.heads
            )
    return report


@dataclass(frozen=True)
class LedgerCheck:
    """The chain's verdict and, when the chain is intact, the rows that do not match it."""

    chain: AuditReport
    rows: list[RowProblem]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.rows


def verify_ledger(
    db: Database, *, incremental: bool = False, limit: int = 20, helper: bool | None = None
) -> LedgerCheck:
    """``verify_chain`` and ``app.audit.verify_rows`` at the same time: the rows are checked on a second
    connection in a thread of this process while the chain walk reads the trail and a helper process hashes
    it (``app.audit_helper``), so the three share two cores instead of running one after the other. The rows'
    verdict counts only when the chain is intact (a broken chain stops the row check early). ``helper``: as
    ``app.audit.verify`` (None: by the trail's length)."""
    chain_broken = threading.Event()

    def check_rows() -> list[RowProblem]:
        with db.session() as session:
            return verify_rows(session, limit, cancelled=chain_broken.is_set)

    with ThreadPoolExecutor(1, thread_name_prefix="verify-rows") as pool:
        rows = pool.submit(check_rows)
        try:
            report = verify_chain(db, incremental=incremental, helper=helper, hash_here=False)
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
