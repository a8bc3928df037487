"""低收入农户: the household registry (list + detail with members, pairing history and visits)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.record_page import RecordPage


def create(ctx: AppContext) -> QWidget:
    return RecordPage(ctx, "household")
