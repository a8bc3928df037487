"""The audit page's chain check with the helper process (``app.audit_helper``) hashing part of the runs, as it
does on a city's trail of millions of entries: progress still reaches every entry, the verdict shows, and the
helper is gone afterwards. The threshold is lowered so the small test ledger takes that path."""

from __future__ import annotations

import multiprocessing
from typing import Any

from sqlalchemy import func, select

import app.audit as audit_module
from app.domain.models import AuditEntry


def test_chain_check_with_the_helper_shows_progress_and_the_verdict(window: Any, qtbot: Any, monkeypatch) -> None:
    monkeypatch.setattr(audit_module, "HELPER_FROM", 0)
    monkeypatch.setattr(audit_module, "VERIFY_CHUNK", 5)  # several runs, some hashed by the helper
    with window.ctx.db.session() as s:
        entries = s.scalar(select(func.count()).select_from(AuditEntry))
    window.open_page("audit")
    page = window.page("audit")
    seen: list[tuple[int, int]] = []
    task = page.verify()
    task.progressed.connect(lambda p: seen.append((p.done, p.total)))
    qtbot.waitUntil(lambda: "完整" in page.result.text(), timeout=30_000)
    assert seen and seen[-1] == (entries, entries)
    assert page.verify_button.isEnabled()
    assert multiprocessing.active_children() == []
