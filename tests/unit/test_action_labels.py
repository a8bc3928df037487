"""Every audit action and entity the program writes has a Chinese label on the 审计 page (no raw code words)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r"""(?:action=|\.event\()\s*"([a-z_]+)"(?! \+)""")  # "conflict_" + choice: listed below


def test_every_audit_action_written_in_app_has_a_label() -> None:
    from app.audit import WITHHELD
    from app.domain.models import MODEL_BY_TABLE
    from app.sync.fork import FORK
    from ui.specs import ACTION_LABELS, ENTITY_LABELS

    sources = [p for p in (ROOT / "app").rglob("*.py") if "cli" not in p.parts]  # argparse has action= too
    written = {m for path in sources for m in WRITTEN.findall(path.read_text(encoding="utf-8"))}
    written |= {"create", "update", WITHHELD, FORK} | {f"conflict_{c}" for c in ("keep", "take", "dismiss")}
    assert written - set(ACTION_LABELS) == set()
    assert set(MODEL_BY_TABLE) | {"officer", "setting"} <= set(ENTITY_LABELS)
