"""The 报表 page's monthly report preview: pages drawn on the worker, shown before saving; saving writes the
very PDF previewed, or the workbook. Real ledger, real worker, offscreen."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2
from PySide6.QtWidgets import QApplication

from ui.report_preview import PAGE_WIDTH

SHOTS = os.environ.get("BANGFU_TEST_SHOTS")  # a folder to keep the rendered dialog in, to look at


def test_preview_shows_every_page_then_saves_what_was_shown(ctx, qtbot, tmp_path, monkeypatch):
    from ui.pages import reports

    target: dict[str, Path] = {}
    saved: list[str] = []
    monkeypatch.setattr(reports, "choose_save_file", lambda _w, suggested, _p: str(target["path"]))
    monkeypatch.setattr("ui.report_preview.show_info", lambda _w, text, *a: saved.append(text))
    page = reports.create(ctx)
    qtbot.addWidget(page)
    if SHOTS:
        page.resize(1366 - 200, 768 - 120)  # the page beside the navigation, under the title and status bars
        page.grab().save(str(Path(SHOTS) / "reports_page_1366x768.png"))

    page.preview_report()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=120_000)
    dialog: Any = page.preview
    qtbot.addWidget(dialog)
    expected_pages = len(pypdfium2.PdfDocument(dialog.preview.pdf))
    assert expected_pages >= 2 and len(dialog.page_labels) == expected_pages
    for label in dialog.page_labels:
        pixmap = label.pixmap()
        assert not pixmap.isNull() and pixmap.width() == PAGE_WIDTH and pixmap.height() > pixmap.width()  # A4 upright
    assert "月报" in dialog.windowTitle() and "全部" not in dialog.windowTitle()

    if SHOTS:
        dialog.resize(930, 708)  # what fits a 1366×768 screen under the taskbar
        dialog.show()
        QApplication.processEvents()  # let the scroll area lay out at the new size before the picture
        dialog.grab().save(str(Path(SHOTS) / "report_preview_1366x768.png"))

    target["path"] = tmp_path / "月报"  # no extension typed: the dialog adds it
    dialog.save("pdf")
    qtbot.waitUntil(lambda: len(saved) == 1, timeout=60_000)
    assert (tmp_path / "月报.pdf").read_bytes() == dialog.preview.pdf

    target["path"] = tmp_path / "月报.xlsx"
    dialog.save("xlsx")
    qtbot.waitUntil(lambda: len(saved) == 2, timeout=60_000)
    assert openpyxl.load_workbook(target["path"]).sheetnames[0] == "指标"
    assert not list(tmp_path.glob(".*.part*"))  # written under a temporary name, then renamed
    dialog.close()
