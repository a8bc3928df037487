"""村/集体经济: villages and townships with key/weak flags, paired departments and collective income by year."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.context import AppContext
from ui.record_page import RecordPage


def create(ctx: AppContext) -> QWidget:
    return RecordPage(ctx, "region")
