"""Verifying the audit trail as the CLI and the GUI do it: the chain check, then remembering what was verified.

``app.audit.verify`` only reads; this service also keeps, per chain, the last head found intact
(``AuditVerifiedHead``) so that an incremental run starts there. Worker thread or CLI only.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, select

from app.audit import AuditReport, ChainHead, verify
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
) -> AuditReport:
    """Verify every chain (``incremental``: only what follows the last verified heads) and, when all is
    intact, remember the new heads. A broken chain leaves the remembered heads as they were."""
    since = verified_heads(db) if incremental else None
    with db.session() as session:
        report = verify(session, since=since, progress=progress, cancelled=cancelled)
    if report.ok:
        with db.session() as session, session.begin():
            session.execute(delete(AuditVerifiedHead))
            now = utcnow()
            session.add_all(
                AuditVerifiedHead(node=h.node, node_seq=h.node_seq, hash=h.hash, verified_at=now) for h in report.heads
            )
    return report
