"""同步: export a package to a folder (USB stick), import one with a preview (the dry-run report) before
applying, per-peer status and receipts, and the conflict queue with keep / take / dismiss (audited).

All work runs on the one worker through ``AppContext``; file dialogs are opened through the small
``choose_*`` functions so tests can replace them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.sync import exporter, importer, queue
from ui.context import AppContext


def tr(text: str) -> str:
    return QCoreApplication.translate("sync", text)


def choose_folder(parent: QWidget) -> str:
    return QFileDialog.getExistingDirectory(parent, tr("选择导出文件夹（如U盘）"))


def choose_package(parent: QWidget) -> str:
    return QFileDialog.getOpenFileName(parent, tr("选择同步包"), "", tr("同步包 (*.bfsync)"))[0]


def confirm_apply(parent: QWidget, summary: str) -> bool:
    answer = QMessageBox.question(parent, tr("导入预览"), summary + "\n\n" + tr("确认导入？"))
    return answer == QMessageBox.StandardButton.Yes


def summary_text(report: importer.ImportReport) -> str:
    lines = [tr("发送方 {s}，包序号 {n}，状态：{st}").format(s=report.sender, n=report.seq, st=report.status)]
    for table, c in report.tables.items():
        lines.append(
            tr("{t}：新建 {a}，更新 {u}，未变 {n}，冲突 {c}，跳过 {k}").format(
                t=table, a=c["created"], u=c["updated"], n=c["unchanged"], c=c["conflicts"], k=c["skipped"]
            )
        )
    lines.append(tr("隔离 {q}，规则问题 {r}").format(q=report.quarantined, r=report.rule_violations))
    lines += [w["zh"] for w in report.warnings]
    return "\n".join(lines)


class SyncPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        self.last_message = ""  # the last export/import summary, shown above the status
        self.status = QLabel()
        self.status.setObjectName("sync_status")
        self.status.setWordWrap(True)
        self.peer = QComboBox()
        self.peer.setObjectName("peer")
        export_button = QPushButton(tr("导出同步包…"))
        export_button.clicked.connect(self.export)
        import_button = QPushButton(tr("导入同步包…"))
        import_button.clicked.connect(self.import_package)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("发给")))
        bar.addWidget(self.peer)
        bar.addWidget(export_button)
        bar.addStretch(1)
        bar.addWidget(import_button)
        self.peers = self._table(
            "peers", [tr("节点"), tr("关系"), tr("最近导入"), tr("最近导出"), tr("未确认变更"), tr("待回执")]
        )
        self.conflicts = self._table(
            "conflicts", [tr("编号"), tr("类型"), tr("记录"), tr("字段"), tr("采用值"), tr("落选值"), tr("来自")]
        )
        actions = QHBoxLayout()
        for label, choice in ((tr("保留现值"), "keep"), (tr("采用落选值"), "take"), (tr("已核实"), "dismiss")):
            button = QPushButton(label)
            button.setObjectName(f"resolve_{choice}")
            button.clicked.connect(lambda _=False, c=choice: self.resolve(c))
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        layout.addWidget(QLabel(tr("各对端状态")))
        layout.addWidget(self.peers, 1)
        layout.addWidget(QLabel(tr("冲突与规则问题（需人工处理）")))
        layout.addWidget(self.conflicts, 2)
        layout.addLayout(actions)
        self.reload()

    @staticmethod
    def _table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
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
        self.peers.setRowCount(0)
        self.conflicts.setRowCount(0)

    def _show(self, result: tuple[Any, list[dict[str, Any]]]) -> None:
        status, conflicts = result
        if status.fingerprint is None:
            text = tr("本机尚未加入同步目录：请先用命令 sync init-identity / request / join 完成入网。")
        else:
            text = tr("本机 {code}，密钥指纹 {fp}。待处理冲突 {c} 条，隔离中 {q} 条。").format(
                code=status.node, fp=status.fingerprint, c=status.open_conflicts, q=status.held_quarantine
            )
        self.status.setText("\n".join(t for t in (self.last_message, text) if t))
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
        self.conflicts.setRowCount(len(conflicts))
        for row, c in enumerate(conflicts):
            values = [
                c["id"], c["kind"], f"{c['entity']} {str(c['entity_id'] or '')[-8:]}", c["field"] or "",
                json.dumps(c["winner_value"], ensure_ascii=False) if c["kind"] == "field" else (c["detail"] or ""),
                json.dumps(c["loser_value"], ensure_ascii=False) if c["kind"] == "field" else "",
                f"{c['loser_node'] or ''} {c['loser_actor'] or ''}",
            ]  # fmt: skip
            for col, value in enumerate(values):
                self.conflicts.setItem(row, col, QTableWidgetItem(str(value)))

    # -- actions ---------------------------------------------------------------------------------------

    def export(self) -> None:
        peer = self.peer.currentData()
        folder = choose_folder(self) if peer else ""
        if not folder:
            return
        self.ctx.write(
            lambda db: exporter.export_package(db, peer, Path(folder)), self._exported, entity="", owner=self
        )

    def _exported(self, result: exporter.ExportResult) -> None:
        self.last_message = tr("已导出：{name}（{n} 条变更）").format(name=result.path.name, n=result.entries)

    def import_package(self) -> None:
        path = choose_package(self)
        if path:
            # The preview is a dry run: nothing changes, so it is run as a read (no data_changed).
            self.ctx.tasks.run(lambda _t: importer.import_file(self.ctx.db, path, dry_run=True),
                               lambda r: self._preview(path, r), self.ctx._error_for(self), owner=self)  # fmt: skip

    def _preview(self, path: str, report: importer.ImportReport) -> None:
        if report.status == "duplicate" or confirm_apply(self, summary_text(report)):
            self.ctx.write(lambda db: importer.import_file(db, path), self._imported, owner=self)

    def _imported(self, report: importer.ImportReport) -> None:
        self.last_message = summary_text(report)

    def resolve(self, choice: str) -> None:
        row = self.conflicts.currentRow()
        item = self.conflicts.item(row, 0) if row >= 0 else None
        if item is None:
            return
        conflict_id = int(item.text())
        self.ctx.write(lambda db: queue.resolve(db, conflict_id, choice), owner=self)  # data_changed reloads


def create(ctx: AppContext) -> QWidget:
    return SyncPage(ctx)
