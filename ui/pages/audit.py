"""审计: browse the hash-chained audit trail by object, user and date; run the chain check; anomalies.

The check is ``app.services.audit_check.verify_chain`` on the worker, with progress and cancel; anomalies come from ``app.services.anomalies`` when that
module is present (the indicators engineer's), as a list of findings.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import audit
from app.services.audit_check import verify_chain
from ui import i18n
from ui.context import AppContext
from ui.errors import show_error
from ui.list_panel import ListPanel
from ui.progress import with_progress
from ui.specs import entity_label
from ui.tasks import Task, TaskContext


def tr(text: str) -> str:
    return QCoreApplication.translate("audit", text)


def _utc(day: QDate, end: bool = False) -> datetime:
    d = day.toPython()
    local = datetime.combine(d, time.max if end else time.min).astimezone()
    return local.astimezone(UTC)


class AuditPage(QTabWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        trail = QWidget()
        self.list = ListPanel(ctx, "audit")
        self.use_dates = QCheckBox(tr("按日期"))
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._dates_changed)
        self.use_dates.toggled.connect(self._dates_changed)
        self.verify_button = QPushButton(tr("校验审计链"))
        self.verify_button.setObjectName("verify")
        self.verify_button.clicked.connect(self.verify)
        self.result = QLabel(tr("审计记录逐条哈希链接，任何删改都会被发现。"))
        self.result.setObjectName("verify_result")
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.use_dates)
        bar.addWidget(QLabel(tr("从")))
        bar.addWidget(self.since)
        bar.addWidget(QLabel(tr("到")))
        bar.addWidget(self.until)
        bar.addStretch(1)
        bar.addWidget(self.verify_button)
        layout = QVBoxLayout(trail)
        layout.addLayout(bar)
        layout.addWidget(self.result)
        layout.addWidget(self.list, 1)
        self.addTab(trail, tr("审计记录"))

        anomalies = QWidget()
        self.anomaly_table = QTableWidget(0, 3)
        self.anomaly_table.setObjectName("anomalies")
        self.anomaly_table.setHorizontalHeaderLabels([tr("问题"), tr("对象"), tr("说明")])
        self.anomaly_table.horizontalHeader().setStretchLastSection(True)
        self.anomaly_table.verticalHeader().setVisible(False)
        self.anomaly_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.anomaly_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.anomaly_table.setToolTip(tr("双击打开所涉及的农户、干部或项目"))
        self.anomaly_table.cellDoubleClicked.connect(lambda row, _col: self.open_anomaly(row))
        self.last_dialog: QWidget | None = None
        self.anomaly_note = QLabel()
        a_layout = QVBoxLayout(anomalies)
        a_layout.addWidget(self.anomaly_note)
        a_layout.addWidget(self.anomaly_table, 1)
        self.addTab(anomalies, tr("异常情况"))
        self.load_anomalies()

    def _dates_changed(self, *_args: Any) -> None:
        fixed: dict[str, Any] = {}
        if self.use_dates.isChecked():
            fixed = {"since": _utc(self.since.date()), "until": _utc(self.until.date(), end=True)}
        self.list.set_fixed(fixed)

    def verify(self) -> Task:
        """The whole chain on the worker, with a progress dialog (after 600 ms) whose cancel stops it."""
        self.verify_button.setEnabled(False)
        self.result.setStyleSheet("")
        self.result.setText(tr("正在校验……"))
        db = self.ctx.db

        def work(tctx: TaskContext) -> audit.AuditReport:
            return verify_chain(
                db,
                progress=lambda done, total: tctx.progress(done, total),
                cancelled=lambda: tctx.cancelled,
            )

        task = self.ctx.tasks.run(work, self._verified, self._failed, owner=self)
        task.finished.connect(lambda: self._verify_finished(task))
        return with_progress(task, self, tr("正在校验审计链……"))

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, audit.VerifyCancelled):
            show_error(self.window(), exc)

    def _verify_finished(self, task: Task) -> None:
        self.verify_button.setEnabled(True)
        if task.cancelled:
            self.result.setText(tr("校验已取消。"))

    def _verified(self, report: audit.AuditReport) -> None:
        if report.ok:
            self.result.setStyleSheet("color: #1b7f2a;")
            self.result.setText(
                tr("审计链完整：共 {n} 条记录，{c} 个节点，未发现删改。").format(n=report.entries, c=report.chains)
            )
        else:
            assert report.problem is not None
            self.result.setStyleSheet("color: #c62828; font-weight: bold;")
            self.result.setText(report.problem.zh)

    def load_anomalies(self) -> None:
        def find(session: Any) -> list[Any]:
            from app.services import anomalies

            return anomalies.find_anomalies(session)

        self.ctx.query(find, self._show_anomalies, owner=self)

    def _show_anomalies(self, found: list[Any]) -> None:
        from app.services import anomalies

        self.anomaly_note.setText(
            tr("共发现 {n} 条异常（双击打开所涉及的记录）。").format(n=len(found)) if found else tr("未发现异常。")
        )
        self.anomaly_table.setRowCount(len(found))
        for r, item in enumerate(found):
            for c, text in enumerate(anomaly_row(item, anomalies.KINDS)):
                cell = QTableWidgetItem(text)
                subject = item.subject
                if subject is not None:
                    cell.setData(
                        Qt.ItemDataRole.UserRole, f"{subject.entity}:{subject.id}"
                    )  # plain text in the QVariant
                self.anomaly_table.setItem(r, c, cell)
        self.anomaly_table.resizeColumnsToContents()

    def open_anomaly(self, row: int) -> QWidget | None:
        """The household, cadre or project the anomaly names, read-only (F2 edits it)."""
        cell = self.anomaly_table.item(row, 0)
        target = cell.data(Qt.ItemDataRole.UserRole) if cell is not None else None
        if not target:
            return None
        from ui.record_view import open_record

        entity, record_id = str(target).split(":", 1)
        self.last_dialog = open_record(self.ctx, entity, record_id, self)
        return self.last_dialog

    def reload(self) -> None:
        self.stale = False
        self.list.reload()
        self.load_anomalies()

    def clear_data(self) -> None:
        self.stale = True
        self.list.clear_data()
        self.anomaly_table.setRowCount(0)

    def focus_search(self) -> None:
        self.list.focus_search()

    def save_state(self) -> None:
        self.list.save_state()


def anomaly_row(item: Any, kinds: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """(kind title, who or what it is about, description) in the user's language; IDs come masked."""
    title_zh, title_en = kinds.get(item.kind, (item.kind, item.kind))
    english = i18n.current() == "en"
    named = list(dict.fromkeys(f"{entity_label(ref.entity)} {ref.name}" for ref in item.refs if ref.name))
    about = "、".join(named) or "、".join(sorted({entity_label(ref.entity) for ref in item.refs}))
    return (title_en if english else title_zh, about, item.en if english else item.zh)


def create(ctx: AppContext) -> QWidget:
    return AuditPage(ctx)
