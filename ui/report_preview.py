"""The monthly report's preview (报表 page → 预览月报): the PDF's pages as pictures before anything is saved,
then 保存 PDF (the very bytes previewed) or 保存 Excel (the same figures as a workbook).

The pages are drawn on the worker by PDFium (``app.io.report_pdf.page_images``): it shows exactly the
document that will be saved, needs no display (offscreen tests, a locked-down desk) and PyInstaller bundles
it with its own hook — Qt's QPdfDocument is not in PySide6-Essentials, and an HTML imitation would drift
from the real layout. The GUI thread only turns the finished PNGs into pixmaps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.io.report import ReportData, collect
from app.io.report_pdf import page_images, pdf_bytes, save_bytes
from app.io.report_xlsx import write_xlsx
from app.storage.database import Database
from ui.errors import show_error, show_info
from ui.progress import with_progress
from ui.tasks import TaskContext

PAGE_WIDTH = 800  # pixels of a previewed page: A4 readable on a 1366×768 screen without zooming


def tr(text: str) -> str:
    return QCoreApplication.translate("report_preview", text)


@dataclass(frozen=True)
class Preview:
    """A made report: its figures, the PDF bytes and each page as PNG."""

    data: ReportData
    pdf: bytes
    pages: list[bytes]


def make_preview(db: Database, scope: str | None, year: int, month: int, tctx: TaskContext) -> Preview:
    """Worker side: compute, lay out, draw the pages; cancel is honoured between the steps."""
    tctx.progress(0, 3, tr("正在统计指标……"))
    data = collect(db, scope, year, month)
    tctx.check()
    tctx.progress(1, 3, tr("正在排版……"))
    pdf = pdf_bytes(data)
    tctx.check()
    tctx.progress(2, 3, tr("正在生成预览……"))
    pages = page_images(pdf, PAGE_WIDTH)
    return Preview(data, pdf, pages)


class ReportPreview(QDialog):
    """Shows the pages; saving runs on the worker. ``choose_save`` asks where (a factory tests replace)."""

    def __init__(
        self, preview: Preview, ctx: Any, choose_save: Callable[[QWidget, str, str], str], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.preview, self.ctx, self.choose_save = preview, ctx, choose_save
        self.setObjectName("report_preview")
        self.setWindowTitle(tr("月报预览：{title}").format(title=preview.data.title))
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setSpacing(12)
        column.setContentsMargins(8, 8, 8, 8)
        self.page_labels: list[QLabel] = []
        for number, png in enumerate(preview.pages, 1):
            label = QLabel(objectName=f"report_page_{number}")
            pixmap = QPixmap()
            pixmap.loadFromData(png, "PNG")
            label.setPixmap(pixmap)
            label.setStyleSheet("background: white; border: 1px solid #9E9E9E;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea(objectName="report_pages")
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #E0E0E0; }")
        self.summary = QLabel(
            tr("共 {pages} 页。先看一遍，再保存为 PDF（报送用）或 Excel（可汇总的数字）。").format(
                pages=len(preview.pages)
            ),
            objectName="report_preview_summary",
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        save_pdf = QPushButton(tr("保存 PDF…"), objectName="report_save_pdf")
        save_xlsx = QPushButton(tr("保存 Excel…"), objectName="report_save_xlsx")
        buttons.addButton(save_pdf, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(save_xlsx, QDialogButtonBox.ButtonRole.ActionRole)
        save_pdf.clicked.connect(lambda: self.save("pdf"))
        save_xlsx.clicked.connect(lambda: self.save("xlsx"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width, height = PAGE_WIDTH + 110, 1000  # the page, its frame, the scroll bar and the dialog's margins
        if available is not None:
            width, height = min(width, available.width() - 40), min(height, available.height() - 60)
        self.resize(width, height)

    def save(self, suffix: str) -> None:
        data = self.preview.data
        suggested = f"{data.title}.{suffix}"
        pattern = tr("PDF 文件 (*.pdf)") if suffix == "pdf" else tr("Excel 文件 (*.xlsx)")
        path = self.choose_save(self, suggested, pattern)
        if not path:
            return
        target = Path(path)
        if target.suffix.lower() != f".{suffix}":
            target = target.with_name(f"{target.name}.{suffix}")
        pdf = self.preview.pdf

        def work(_t: TaskContext) -> Path:
            return save_bytes(pdf, target) if suffix == "pdf" else write_xlsx(data, target)

        task = self.ctx.tasks.run(
            work,
            lambda saved: show_info(self, tr("月报已保存：{path}").format(path=saved)),
            lambda e: show_error(self, e),
            owner=self,
        )
        with_progress(task, self, tr("正在保存……"))
