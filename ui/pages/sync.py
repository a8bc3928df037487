"""同步: export a package to a folder (USB stick); import packages chosen by file dialog, by folder, or dropped
onto the page, with a preview (the dry-run report per table) and an explicit 应用导入 button; per-peer status
and receipts; and the conflict queue with the two values side by side and keep / take / dismiss (audited by
``app.sync.queue.resolve``).

All work runs on the one worker. Import and export show ``ui.progress`` after 600 ms; an import of several
packages can be cancelled between packages (each package is applied all or nothing in one transaction, so
there is nothing to cancel inside one). File dialogs are opened through the small ``choose_*`` functions so
tests can replace them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sync import exporter, importer, package, queue
from app.sync.errors import SyncError
from ui.context import AppContext
from ui.errors import message_box
from ui.i18n import QT_TRANSLATE_NOOP
from ui.progress import with_progress
from ui.qtfix import emit
from ui.specs import column_label, entity_label
from ui.tasks import TaskContext

N = QT_TRANSLATE_NOOP

# What an import report's status means to the officer (dry run / applied).
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "applied": (N("sync", "可以导入"), N("sync", "已导入")),
    "duplicate": (N("sync", "此包已导入过（重复），应用只会再发一次回执"), N("sync", "重复包：未改动数据，已再发回执")),
}
REFUSED = (N("sync", "被拒绝，不能导入"), N("sync", "被拒绝，未导入"))
# A refusal that answers the sender (gap, diverged chain): applying writes that receipt and changes no data.
ANSWERED = (
    N("sync", "被拒绝：应用只会向发送方发回回执，不改动数据"),
    N("sync", "被拒绝，未导入数据；回执随下次导出发回"),
)
COUNT_KEYS = ("created", "updated", "unchanged", "conflicts", "skipped")


def tr(text: str) -> str:
    return QCoreApplication.translate("sync", text)


def choose_folder(parent: QWidget) -> str:
    return QFileDialog.getExistingDirectory(parent, tr("选择导出文件夹（如U盘）"))


def choose_packages(parent: QWidget) -> list[str]:
    return QFileDialog.getOpenFileNames(parent, tr("选择同步包"), "", tr("同步包 (*.bfsync)"))[0]


def choose_import_folder(parent: QWidget) -> str:
    return QFileDialog.getExistingDirectory(parent, tr("选择存放同步包的文件夹"))


def status_label(report: importer.ImportReport) -> str:
    pair = STATUS_LABELS.get(report.status, ANSWERED if report.status in importer.ANSWERED_REFUSALS else REFUSED)
    return tr(pair[0] if report.dry_run else pair[1])


def can_apply(report: importer.ImportReport) -> bool:
    return report.status in STATUS_LABELS and not report.errors


def summary_text(report: importer.ImportReport) -> str:
    lines = [
        tr("{f}：发送方 {s}，包序号 {n} — {st}").format(
            f=report.file, s=report.sender or "?", n=report.seq if report.seq is not None else "?",
            st=status_label(report),
        )
    ]  # fmt: skip
    for table, c in report.tables.items():
        lines.append(
            tr("{t}：新建 {a}，更新 {u}，未变 {n}，冲突 {c}，跳过 {k}").format(
                t=entity_label(table), a=c["created"], u=c["updated"], n=c["unchanged"], c=c["conflicts"],
                k=c["skipped"],
            )
        )  # fmt: skip
    if report.quarantined or report.rule_violations:
        lines.append(tr("隔离 {q}，规则问题 {r}").format(q=report.quarantined, r=report.rule_violations))
    lines += [w["zh"] for w in report.warnings]
    lines += [e["zh"] for e in report.errors]
    return "\n".join(lines)


def package_paths(paths: list[str]) -> list[Path]:
    """The ``.bfsync`` files among dropped or chosen paths; a folder stands for its packages in import order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += importer.package_files(path)
        elif path.name.lower().endswith(package.SUFFIX):
            found.append(path)
    return found


def _try_import(db: Any, path: Path, dry_run: bool) -> importer.ImportReport:
    """One package; a refusal becomes a report (as ``import_folder`` does) so the others still run."""
    try:
        return importer.import_file(db, path, dry_run=dry_run)
    except SyncError as exc:
        return importer.ImportReport(
            file=path.name, status=getattr(exc, "status", "refused"), dry_run=dry_run, exit_code=exc.exit_code,
            errors=[{"zh": exc.zh, "en": exc.en}],
        )  # fmt: skip


def conflict_value(conflict: dict[str, Any], key: str) -> str:
    if conflict["kind"] != "field":
        return str(conflict["detail"] or "") if key == "winner_value" else ""
    value = conflict[key]
    if value is None or value == "":
        return tr("（空）")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def field_label(conflict: dict[str, Any]) -> str:
    """The field as the forms name it (电话, not phone)."""
    return column_label(str(conflict["entity"]), str(conflict["field"])) if conflict["field"] else "—"


@dataclass
class Preview:
    paths: list[Path]
    reports: list[importer.ImportReport]

    @property
    def applicable(self) -> list[Path]:
        return [p for p, r in zip(self.paths, self.reports, strict=True) if can_apply(r)]

    @property
    def to_import(self) -> list[Path]:
        """What 应用导入 imports for real: the applicable packages and the refusals that answer the sender."""
        return [
            p for p, r in zip(self.paths, self.reports, strict=True)
            if can_apply(r) or r.status in importer.ANSWERED_REFUSALS
        ]  # fmt: skip


class PreviewBox(QGroupBox):
    """The dry-run report of the packages about to be imported: per file and table, errors in red."""

    def __init__(self) -> None:
        super().__init__(tr("导入预览（尚未改动任何数据）"))
        self.setObjectName("preview")
        self.summary = QLabel()
        self.summary.setObjectName("preview_summary")
        self.summary.setWordWrap(True)
        self.errors = QLabel()
        self.errors.setObjectName("preview_errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #c62828;")
        headers = [tr("文件"), tr("数据表"), tr("新建"), tr("更新"), tr("未变"), tr("冲突"), tr("跳过")]
        self.table = SyncPage.make_table("preview_table", headers)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.apply_button = QPushButton(tr("应用导入"))
        self.apply_button.setObjectName("apply_import")
        self.apply_button.setStyleSheet("font-weight: bold;")
        self.discard_button = QPushButton(tr("放弃"))
        self.discard_button.setObjectName("discard_import")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors)
        layout.addLayout(buttons)

    def show_preview(self, preview: Preview) -> None:
        reports = preview.reports
        ok = len(preview.applicable)
        self.summary.setText(
            tr("共 {n} 个同步包，{ok} 个可以导入。核对下表后按“应用导入”；每个包整体导入或整体不导入。").format(
                n=len(reports), ok=ok
            )
        )
        rows: list[list[str]] = []
        for report in reports:
            head = f"{report.file}\n{tr('来自')} {report.sender or '?'} · {status_label(report)}"
            if not report.tables:
                rows.append([head, "—", "", "", "", "", ""])
            for n, (table, counts) in enumerate(report.tables.items()):
                rows.append([head if n == 0 else "", entity_label(table), *(str(counts.get(k, 0)) for k in COUNT_KEYS)])
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, self.table.horizontalHeader().ResizeMode.Stretch)
        problems = [f"{r.file}：{e['zh']}" for r in reports for e in r.errors]
        problems += [f"{r.file}：{w['zh']}" for r in reports for w in r.warnings]
        self.errors.setText("\n".join(problems))
        self.errors.setVisible(bool(problems))
        self.apply_button.setEnabled(bool(preview.to_import))


class ConflictView(QFrame):
    """The selected conflict's two values side by side, large enough to compare."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(tr("选择一条冲突以比较两个值"))
        self.caption.setWordWrap(True)
        self.current = QLabel()
        self.current.setObjectName("conflict_current")
        self.other = QLabel()
        self.other.setObjectName("conflict_other")
        grid = QGridLayout(self)
        grid.addWidget(self.caption, 0, 0, 1, 2)
        for col, (title, label, colour) in enumerate(
            ((tr("本机现值（已采用）"), self.current, "#2e7d32"), (tr("对方的值（落选）"), self.other, "#c62828"))
        ):
            heading = QLabel(title)
            heading.setStyleSheet(f"color: {colour}; font-weight: bold;")
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setStyleSheet(f"font-size: 12pt; border-left: 4px solid {colour}; padding-left: 6px;")
            grid.addWidget(heading, 1, col)
            grid.addWidget(label, 2, col)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

    def show_conflict(self, conflict: dict[str, Any] | None) -> None:
        if conflict is None:
            self.caption.setText(tr("选择一条冲突以比较两个值"))
            self.current.clear()
            self.other.clear()
            return
        who = " ".join(str(x) for x in (conflict["loser_node"], conflict["loser_actor"]) if x)
        self.caption.setText(
            tr("{entity}（{id}）的“{field}”：对方 {who} 改成了另一个值").format(
                entity=entity_label(str(conflict["entity"])), id=str(conflict["entity_id"] or "")[-8:],
                field=field_label(conflict), who=who or "?",
            )
            if conflict["kind"] == "field"
            else tr("{entity}：合并后业务规则不满足，需人工核实").format(entity=entity_label(str(conflict["entity"])))
        )  # fmt: skip
        self.current.setText(conflict_value(conflict, "winner_value"))
        self.other.setText(conflict_value(conflict, "loser_value"))


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        self.last_message = ""  # the last export/import summary, shown above the status
        self.pending: Preview | None = None
        self.last_reports: list[importer.ImportReport] = []
        self.conflict_rows: list[dict[str, Any]] = []
        self.setAcceptDrops(True)
        self.status = QLabel()
        self.status.setObjectName("sync_status")
        self.status.setWordWrap(True)
        self.peer = QComboBox()
        self.peer.setObjectName("peer")
        self.peer.setMinimumContentsLength(12)
        export_button = QPushButton(tr("导出同步包…"))
        export_button.setObjectName("export")
        export_button.clicked.connect(self.export)
        import_button = QPushButton(tr("导入同步包…"))
        import_button.setObjectName("import")
        import_button.clicked.connect(self.import_package)
        folder_button = QPushButton(tr("导入文件夹…"))
        folder_button.setObjectName("import_folder")
        folder_button.clicked.connect(self.import_folder)
        self.onboarding_button = QPushButton(tr("入网与密钥…"))
        self.onboarding_button.setObjectName("onboarding")
        self.onboarding_button.clicked.connect(self.open_onboarding)
        bar = QHBoxLayout()
        bar.addWidget(self.onboarding_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel(tr("发给")))
        bar.addWidget(self.peer)
        bar.addWidget(export_button)
        bar.addStretch(1)
        hint = QLabel(tr("也可把 .bfsync 文件拖到本页"))
        hint.setStyleSheet("color: #555;")
        bar.addWidget(hint)
        bar.addWidget(import_button)
        bar.addWidget(folder_button)
        self.preview = PreviewBox()
        self.preview.apply_button.clicked.connect(self.apply_import)
        self.preview.discard_button.clicked.connect(self.discard_preview)
        self.preview.hide()
        self.peers = self.make_table(
            "peers", [tr("节点"), tr("关系"), tr("最近导入"), tr("最近导出"), tr("未确认变更"), tr("待回执")]
        )
        self.conflicts = self.make_table(
            "conflicts",
            [tr("编号"), tr("类型"), tr("记录"), tr("字段"), tr("本机现值"), tr("对方的值"), tr("来自")],
        )
        self.conflicts.itemSelectionChanged.connect(self._conflict_selected)
        self.compare = ConflictView()
        actions = QHBoxLayout()
        for label, choice in ((tr("保留本机值"), "keep"), (tr("改用对方的值"), "take"), (tr("已核实"), "dismiss")):
            button = QPushButton(label)
            button.setObjectName(f"resolve_{choice}")
            button.clicked.connect(lambda _=False, c=choice: self.resolve(c))
            actions.addWidget(button)
        actions.addStretch(1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel(tr("各对端状态")))
        lower_layout.addWidget(self.peers, 1)
        lower_layout.addWidget(QLabel(tr("冲突与规则问题（需人工处理，处理结果记入审计）")))
        lower_layout.addWidget(self.conflicts, 2)
        lower_layout.addWidget(self.compare)
        lower_layout.addLayout(actions)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.reload()

    @staticmethod
    def make_table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        return table

    # -- data ------------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.stale = False

        db = self.ctx.db

        def load(_task: Any) -> tuple[Any, list[dict[str, Any]]]:
            return queue.status(db), queue.conflicts(db)

        # A read: not ``ctx.write``, whose data_changed would reload this page again.
        self.ctx.tasks.run(load, self._show, self.ctx._error_for(self), owner=self)

    def clear_data(self) -> None:
        self.stale = True
        self.peers.setRowCount(0)
        self.conflicts.setRowCount(0)
        self.conflict_rows = []
        self.compare.show_conflict(None)
        self.discard_preview()

    def _show(self, result: tuple[Any, list[dict[str, Any]]]) -> None:
        status, conflicts = result
        if status.fingerprint is None:
            text = tr("本机尚未加入同步目录：请点“入网与密钥…”，按步骤完成入网（每一步都会说明把哪个文件交给谁）。")
        else:
            text = tr("本机 {code}，密钥指纹 {fp}。待处理冲突 {c} 条，隔离中 {q} 条。").format(
                code=status.node, fp=status.fingerprint, c=status.open_conflicts, q=status.held_quarantine
            )
        self.status.setText("\n".join(t for t in (self.last_message, text) if t))
        chosen = self.peer.currentData()
        self.peer.clear()
        self.peers.setRowCount(len(status.peers))
        for row, p in enumerate(status.peers):
            self.peer.addItem(f"{p.code} {p.name}", p.code)
            when = [
                t.astimezone().strftime("%Y-%m-%d %H:%M") if t else "—" for t in (p.last_import_at, p.last_export_at)
            ]
            relation = tr("上级") if p.relation == "parent" else tr("下级")
            for col, value in enumerate(
                [f"{p.code} {p.name}", relation, *when, p.unconfirmed_changes, p.receipts_to_send]
            ):
                self.peers.setItem(row, col, QTableWidgetItem(str(value)))
        if chosen is not None and self.peer.findData(chosen) >= 0:
            self.peer.setCurrentIndex(self.peer.findData(chosen))
        self.peers.resizeColumnsToContents()
        self.conflict_rows = list(conflicts)
        self.conflicts.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            kind = tr("字段冲突") if c["kind"] == "field" else tr("规则问题")
            values = [
                c["id"], kind, f"{entity_label(str(c['entity']))} {str(c['entity_id'] or '')[-8:]}", field_label(c) if c["field"] else "",
                conflict_value(c, "winner_value"), conflict_value(c, "loser_value"),
                f"{c['loser_node'] or ''} {c['loser_actor'] or ''}",
            ]  # fmt: skip
            for col, value in enumerate(values):
                self.conflicts.setItem(row, col, QTableWidgetItem(str(value)))
        self.conflicts.resizeColumnsToContents()
        self.compare.show_conflict(None)

    def _conflict_selected(self) -> None:
        row = self.conflicts.currentRow()
        self.compare.show_conflict(self.conflict_rows[row] if 0 <= row < len(self.conflict_rows) else None)

    # -- onboarding ------------------------------------------------------------------------------------

    def open_onboarding(self) -> QDialog:
        from ui.pages.sync_onboarding import OnboardingDialog

        dialog = OnboardingDialog(self.ctx, self.window())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- export ----------------------------------------------------------------------------------------

    def export(self) -> None:
        peer = self.peer.currentData()
        if not peer:
            message_box(
                self.window(), QMessageBox.Icon.Information, tr("提示"), tr("还没有可发送的对端：请先完成入网。")
            )
            return
        folder = choose_folder(self)
        if not folder:
            return
        db = self.ctx.db

        def work(_task: TaskContext) -> exporter.ExportResult:
            return exporter.export_package(db, peer, Path(folder))

        task = self.ctx.tasks.run(work, self._exported, self.ctx._error_for(self), owner=self, label="export")
        # One package is written in one go (atomically): nothing to cancel half-way.
        with_progress(task, self, tr("正在导出同步包……"), cancellable=False)

    def _exported(self, result: exporter.ExportResult) -> None:
        self.last_message = tr("已导出：{name}（{n} 条变更）").format(name=result.path.name, n=result.entries)
        self.last_message += "".join(f"\n{w['zh']}" for w in result.warnings)
        emit(self.ctx.data_changed, "")  # status bar and per-peer counts

    # -- import ----------------------------------------------------------------------------------------

    def import_package(self) -> None:
        self.preview_files(choose_packages(self))

    def import_folder(self) -> None:
        folder = choose_import_folder(self)
        if folder:
            self.preview_files([folder])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if package_paths(self._dropped(event)):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped(event)
        if package_paths(paths):
            event.acceptProposedAction()
            self.preview_files(paths)
        else:
            event.ignore()

    @staticmethod
    def _dropped(event: QDropEvent | QDragEnterEvent) -> list[str]:
        mime = event.mimeData()
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []

    def preview_files(self, chosen: list[str]) -> None:
        """Dry-run every package (nothing changes) and show the report with an explicit 应用导入."""
        if not chosen:
            return
        paths = package_paths(chosen)
        if not paths:
            message_box(
                self.window(), QMessageBox.Icon.Warning, tr("出错了"),
                tr("没有找到同步包：请选择扩展名为 .bfsync 的文件。"),
            )  # fmt: skip
            return
        db = self.ctx.db

        def work(task: TaskContext) -> Preview:
            reports = []
            for n, path in enumerate(paths):
                task.check()
                task.progress(n, len(paths), path.name)
                reports.append(_try_import(db, path, True))
            return Preview(paths, reports)

        # A dry run changes nothing, so it is a read (no data_changed).
        task = self.ctx.tasks.run(work, self._previewed, self.ctx._error_for(self), owner=self, label="preview")
        with_progress(task, self, tr("正在检查同步包……"))

    def _previewed(self, preview: Preview) -> None:
        self.pending = preview
        self.preview.show_preview(preview)
        self.preview.show()

    def discard_preview(self) -> None:
        self.pending = None
        self.preview.hide()

    def apply_import(self) -> None:
        if self.pending is None or not self.pending.to_import:
            return
        paths = self.pending.to_import
        self.discard_preview()
        db = self.ctx.db

        def work(task: TaskContext) -> list[importer.ImportReport]:
            reports = []
            for n, path in enumerate(paths):
                task.check()  # cancel takes effect between packages; each one is all or nothing
                task.progress(n, len(paths), path.name)
                reports.append(_try_import(db, path, False))
            return reports

        task = self.ctx.tasks.run(work, self._imported, self.ctx._error_for(self), owner=self, label="import")
        with_progress(task, self, tr("正在导入同步包……"))

    def _imported(self, reports: list[importer.ImportReport]) -> None:
        self.last_reports = reports
        self.last_message = "\n".join(summary_text(r) for r in reports)
        refused = [r for r in reports if not can_apply(r)]
        if refused:
            message_box(
                self.window(), QMessageBox.Icon.Warning, tr("部分同步包未导入"),
                "\n".join(f"{r.file}：{e['zh']}" for r in refused for e in r.errors),
            )  # fmt: skip
        emit(self.ctx.data_changed, "*")  # every list and the dashboard may have changed

    # -- conflicts -------------------------------------------------------------------------------------

    def resolve(self, choice: str) -> None:
        row = self.conflicts.currentRow()
        item = self.conflicts.item(row, 0) if row >= 0 else None
        if item is None:
            return
        conflict_id = int(item.text())
        self.ctx.write(lambda db: queue.resolve(db, conflict_id, choice), owner=self)  # data_changed reloads


def create(ctx: AppContext) -> QWidget:
    return SyncPage(ctx)
