"""报表: Excel import (a wizard: file → sheet and header → column mapping → dry run → import), ledger
exports, blank templates and the monthly report. Everything runs on the one worker with a delayed progress
dialog and cancel; the rules live in ``app.io`` (see docs/EXCEL.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.io.columns import KINDS
from app.io.error_report import write_error_report
from app.io.importer import INCOME, TABLE_LABELS, ExcelImport, ImportReport
from app.io.ledgers import LEDGERS, export_ledger
from app.io.report import write_report
from app.io.templates import write_template
from ui.context import AppContext
from ui.errors import error_text, show_error, show_info
from ui.progress import with_progress
from ui.region_picker import RegionPicker
from ui.report_preview import Preview, ReportPreview, make_preview
from ui.tasks import TaskContext

PREVIEW_ROWS = 10
ISSUES_SHOWN = 500


def tr(text: str) -> str:
    return QCoreApplication.translate("reports", text)


# Dialog factories: tests patch these (no native dialog in an offscreen test).
def choose_open_file(parent: QWidget) -> str:
    return QFileDialog.getOpenFileName(parent, tr("选择表格文件"), "", tr("表格文件 (*.xlsx *.xls *.ods *.csv)"))[0]


def choose_save_file(parent: QWidget, suggested: str, pattern: str) -> str:
    return QFileDialog.getSaveFileName(parent, tr("保存为"), suggested, pattern)[0]


def confirm_full_ids(parent: QWidget) -> bool:
    answer = QMessageBox.question(
        parent, tr("导出完整身份证号码"), tr("完整身份证号码属于敏感个人信息，本次导出将记入审计。确定导出吗？")
    )
    return answer == QMessageBox.StandardButton.Yes


def _progress_hook(tctx: TaskContext) -> tuple[Any, Any]:
    return (lambda done, total: tctx.progress(done, total)), (lambda: tctx.cancelled)


# ------------------------------------------------------------------ the import wizard


class FilePage(QWizardPage):
    """Which kind of sheet, which file, which worksheet; the file is read on the worker."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("第一步：选择表格"))
        self.kind = QComboBox(objectName="import_kind")
        for name, kind in KINDS.items():
            self.kind.addItem(kind.zh, name)
        self.path = QLineEdit(objectName="import_path", readOnly=True)
        browse = QPushButton(tr("选择文件…"), objectName="import_browse")
        browse.clicked.connect(self.browse)
        self.sheet = QComboBox(objectName="import_sheet")
        self.status = QLabel(objectName="import_status", wordWrap=True)
        form = QFormLayout(self)
        form.addRow(tr("导入内容"), self.kind)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(tr("文件"), row)
        form.addRow(tr("工作表"), self.sheet)
        form.addRow(self.status)
        self.kind.currentIndexChanged.connect(lambda _i: self.load())
        self.sheet.activated.connect(lambda _i: self.load(self.sheet.currentData()))

    def browse(self) -> None:
        path = choose_open_file(self)
        if path:
            self.path.setText(path)
            self.load()

    def load(self, sheet: str | None = None) -> None:
        path, kind = self.path.text(), self.kind.currentData()
        if not path:
            return
        self.wiz.job = None
        self.status.setText(tr("正在读取……"))
        self.completeChanged.emit()

        def done(job: ExcelImport) -> None:
            self.wiz.job = job
            self.sheet.blockSignals(True)
            self.sheet.clear()
            for s in job.workbook.sheets:
                self.sheet.addItem(s.name + (tr("（隐藏）") if s.hidden else ""), s.name)
            self.sheet.setCurrentIndex(max(0, self.sheet.findData(job.sheet.name)))
            self.sheet.blockSignals(False)
            rows = "–".join(str(r + 1) for r in job.layout.header_rows)
            self.status.setText(tr("表头在第 {rows} 行，数据 {n} 行。").format(rows=rows, n=len(job.layout.data_rows)))
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            self.status.setText(error_text(exc)[0])
            self.completeChanged.emit()

        task = self.wiz.ctx.tasks.run(lambda _t: ExcelImport(path, kind, sheet), done, failed, owner=self)
        with_progress(task, self, tr("正在读取表格……"))

    def isComplete(self) -> bool:
        return self.wiz.job is not None


class MappingPage(QWizardPage):
    """The detected header, a preview, and one drop-down per column to confirm or fix what it holds."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("第二步：核对列的对应关系"))
        self.setSubTitle(tr("程序已按表头识别各列，请核对；确认后下次导入同样格式的表格会自动记住。"))
        self.table = QTableWidget(0, 2, objectName="import_mapping")
        self.table.setHorizontalHeaderLabels([tr("表格中的列"), tr("对应的内容")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.preview = QTableWidget(0, 0, objectName="import_preview")
        self.missing = QLabel(objectName="import_missing", wordWrap=True)
        self.missing.setStyleSheet("color: #c62828;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel(tr("数据预览（前10行）")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.missing)
        self.combos: dict[int, QComboBox] = {}

    def initializePage(self) -> None:
        job = self.wiz.job
        assert job is not None
        self.combos.clear()
        self.table.setRowCount(len(job.header_columns))
        for r, column in enumerate(job.header_columns):
            self.table.setItem(r, 0, QTableWidgetItem(column.label))
            combo = QComboBox()
            combo.addItem(tr("（不导入）"), "")
            income = job.income_label(column.index)
            if income is not None:  # read as a household income by its header unless the officer says no
                combo.addItem(income, INCOME)
            for spec in job.kind.columns:
                combo.addItem(spec.zh + ("*" if spec.required else ""), spec.key)
            by_header = INCOME if income is not None and column.index not in job.ignored else ""
            combo.setCurrentIndex(max(0, combo.findData(job.mapping.get(column.index, by_header))))
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
            self.table.setCellWidget(r, 1, combo)
            self.combos[column.index] = combo
        self.table.resizeColumnToContents(0)  # the sheet's own header, whole (2016年人均可支配收入（元）)
        rows = job.preview(PREVIEW_ROWS)
        width = max((len(r) for r in rows), default=0)
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                self.preview.setItem(r, c, QTableWidgetItem(value))
        self.refresh()

    def mapping(self) -> dict[int, str]:
        return {index: combo.currentData() for index, combo in self.combos.items()}

    def refresh(self) -> None:
        job = self.wiz.job
        assert job is not None
        job.set_mapping(self.mapping(), remember=False)
        missing = [c.zh for c in job.missing_required()]
        self.missing.setText(tr("还缺少必需的列：{names}").format(names="、".join(missing)) if missing else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.wiz.job is not None and not self.wiz.job.missing_required()

    def validatePage(self) -> bool:
        assert self.wiz.job is not None
        self.wiz.job.set_mapping(self.mapping())
        return True


def summary_text(report: ImportReport) -> str:
    lines = []
    for table, counts in report.counts.items():
        if any(counts.values()):
            name = TABLE_LABELS.get(table, (table, table))[0]
            lines.append(tr("{name}：新增 {create}，更新 {update}，不变 {unchanged}").format(name=name, **counts))
    lines.append(tr("数据 {rows} 行，有误 {bad} 行。").format(rows=report.data_rows, bad=len(report.rejected_rows)))
    if report.changes or report.notices:
        lines.append(
            tr("变更 {changes} 项，说明 {notices} 条（见下表）。").format(
                changes=len(report.changes), notices=len(report.notices)
            )
        )
    return "\n".join(lines)


class DryRunPage(QWizardPage):
    """What the import would do, row errors with their reasons, and the choice to skip the bad rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("第三步：试导入结果（尚未写入）"))
        self.summary = QLabel(objectName="import_summary", wordWrap=True)
        self.issues = QTableWidget(0, 3, objectName="import_issues")
        self.issues.setHorizontalHeaderLabels([tr("行号"), tr("列"), tr("原因")])
        self.issues.horizontalHeader().setStretchLastSection(True)
        self.skip = QCheckBox(tr("仅导入有效的行（有误的行不导入）"), objectName="import_skip_invalid")
        self.skip.toggled.connect(lambda _on: self.completeChanged.emit())
        self.create_places = QCheckBox(
            tr("新建地点（台账中没有的行政村，记入审计）"), objectName="import_create_places", enabled=False
        )
        self.create_places.toggled.connect(lambda _on: self.initializePage())  # the dry run again, with them
        save = QPushButton(tr("保存错误清单…"), objectName="import_save_errors")
        save.clicked.connect(self.save_errors)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.issues, 1)
        row = QHBoxLayout()
        row.addWidget(self.skip, 1)
        row.addWidget(self.create_places, 1)
        row.addWidget(save)
        layout.addLayout(row)

    def initializePage(self) -> None:
        self.wiz.report = None
        self.summary.setText(tr("正在试导入……"))
        job, db = self.wiz.job, self.wiz.ctx.db
        assert job is not None

        with_places = self.create_places.isChecked()

        def work(tctx: TaskContext) -> ImportReport:
            progress, cancelled = _progress_hook(tctx)
            return job.run(db, dry_run=True, progress=progress, cancelled=cancelled, create_places=with_places)

        task = self.wiz.ctx.tasks.run(work, self.show_report, lambda e: show_error(self, e), owner=self)
        with_progress(task, self, tr("正在试导入……"))

    def show_report(self, report: ImportReport) -> None:
        self.wiz.report = report
        self.summary.setText(summary_text(report))
        # Errors first, then every changed field (old → new) and how cells were read: nothing changes unseen.
        shown = [*report.issues, *report.changes, *report.notices][:ISSUES_SHOWN]
        self.issues.setRowCount(len(shown))
        for r, issue in enumerate(shown):
            for c, value in enumerate((str(issue.row) if issue.row else "", issue.column, issue.zh)):
                self.issues.setItem(r, c, QTableWidgetItem(value))
        self.skip.setEnabled(bool(report.issues))
        wants_places = any("--create-places" in n.zh or "新建地点：" in n.zh for n in report.notices)
        self.create_places.setEnabled(wants_places or self.create_places.isChecked())
        self.completeChanged.emit()

    def save_errors(self) -> None:
        job, report = self.wiz.job, self.wiz.report
        if job is None or report is None or not report.issues:
            return
        path = choose_save_file(self, tr("导入错误清单.xlsx"), tr("Excel 文件 (*.xlsx)"))
        if path:
            task = self.wiz.ctx.tasks.run(lambda _t: write_error_report(job, report, path), None, owner=self)
            with_progress(task, self, tr("正在保存……"))

    def isComplete(self) -> bool:
        report = self.wiz.report
        return (
            report is not None and (report.ok or self.skip.isChecked()) and report.data_rows > len(report.rejected_rows)
        )


class ApplyPage(QWizardPage):
    """Imports for real (one transaction) and says what was done."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(tr("第四步：导入"))
        self.result = QLabel(objectName="import_result", wordWrap=True)
        QVBoxLayout(self).addWidget(self.result)
        self.finished = False

    def initializePage(self) -> None:
        self.finished = False
        self.result.setText(tr("正在导入……"))
        job, ctx = self.wiz.job, self.wiz.ctx
        skip = self.wiz.dry_run_page.skip.isChecked()
        create = self.wiz.dry_run_page.create_places.isChecked()
        assert job is not None

        def work(tctx: TaskContext) -> ImportReport:
            progress, cancelled = _progress_hook(tctx)
            return job.run(ctx.db, skip_invalid=skip, progress=progress, cancelled=cancelled, create_places=create)

        def done(report: ImportReport) -> None:
            self.finished = True
            self.result.setText(tr("导入完成。") + "\n" + summary_text(report))
            ctx.data_changed.emit("*")
            self.completeChanged.emit()

        def failed(exc: BaseException) -> None:
            self.result.setText(error_text(exc)[0])

        task = ctx.tasks.run(work, done, failed, owner=self)
        with_progress(task, self, tr("正在导入……"))

    def isComplete(self) -> bool:
        return self.finished


class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: ExcelImport | None = None
        self.report: ImportReport | None = None
        self.setWindowTitle(tr("导入 Excel 表格"))
        self.setObjectName("import_wizard")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.dry_run_page = DryRunPage(self)
        self.apply_page = ApplyPage(self)
        for page in (self.file_page, self.mapping_page, self.dry_run_page, self.apply_page):
            self.addPage(page)
        self.resize(820, 600)


# ------------------------------------------------------------------ the page


class ReportsPage(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.stale = False
        self.preview: ReportPreview | None = None
        layout = QVBoxLayout(self)

        imports = QGroupBox(tr("Excel 导入"))
        row = QHBoxLayout(imports)
        start = QPushButton(tr("导入 Excel 表格…"), objectName="open_import_wizard")
        start.clicked.connect(self.open_wizard)
        self.template_kind = QComboBox(objectName="template_kind")
        for name, kind in KINDS.items():
            self.template_kind.addItem(kind.zh, name)
        template = QPushButton(tr("下载空白模板…"), objectName="save_template")
        template.clicked.connect(self.save_template)
        row.addWidget(start)
        row.addStretch(1)
        row.addWidget(self.template_kind)
        row.addWidget(template)
        layout.addWidget(imports)

        exports = QGroupBox(tr("导出台账"))
        form = QFormLayout(exports)
        self.ledger = QComboBox(objectName="export_ledger")
        for name, ledger in LEDGERS.items():
            self.ledger.addItem(ledger.zh, name)
        self.full_ids = QCheckBox(tr("导出完整身份证号码（记入审计）"), objectName="export_full_ids")
        export = QPushButton(tr("导出…"), objectName="export_button")
        export.clicked.connect(self.export)
        form.addRow(tr("台账"), self.ledger)
        form.addRow(self.full_ids)
        form.addRow(export)
        layout.addWidget(exports)

        reports = QGroupBox(tr("月报"))
        form = QFormLayout(reports)
        self.month = QDateEdit(QDate.currentDate(), objectName="report_month")
        self.month.setDisplayFormat("yyyy-MM")
        self.region = RegionPicker(self.ctx)  # picked from the tree, never a typed 区划代码
        self.region.setObjectName("report_region")
        buttons = QHBoxLayout()
        preview = QPushButton(tr("预览月报…"), objectName="report_preview_button")
        preview.setDefault(True)
        preview.clicked.connect(self.preview_report)
        buttons.addWidget(preview)
        for suffix in ("xlsx", "pdf"):
            button = QPushButton(tr("生成 Excel 月报…") if suffix == "xlsx" else tr("生成 PDF 月报…"))
            button.setObjectName(f"report_{suffix}")
            button.clicked.connect(lambda _c=False, s=suffix: self.report(s))
            buttons.addWidget(button)
        form.addRow(tr("月份"), self.month)
        form.addRow(tr("地区"), self.region)
        form.addRow(buttons)
        layout.addWidget(reports)
        layout.addStretch(1)

    def reload(self) -> None:
        self.stale = False

    def clear_data(self) -> None:
        self.stale = True

    def open_wizard(self) -> ImportWizard:
        wizard = ImportWizard(self.ctx, self.window())
        wizard.open()
        return wizard

    def save_template(self) -> None:
        kind = self.template_kind.currentData()
        path = choose_save_file(self, f"{KINDS[kind].zh}导入模板.xlsx", tr("Excel 文件 (*.xlsx)"))
        if path:
            task = self.ctx.tasks.run(
                lambda _t: write_template(kind, path), lambda _r: show_info(self, tr("模板已保存。"))
            )
            with_progress(task, self, tr("正在保存……"))

    def export(self) -> None:
        name, full = self.ledger.currentData(), self.full_ids.isChecked()
        if full and not confirm_full_ids(self):
            return
        path = choose_save_file(self, f"{LEDGERS[name].zh}.xlsx", tr("Excel 文件 (*.xlsx)"))
        if not path:
            return
        db = self.ctx.db

        def work(tctx: TaskContext) -> int:
            return export_ledger(db, name, path, full_ids=full, progress=lambda n: tctx.progress(n, 0),
                                 cancelled=lambda: tctx.cancelled)  # fmt: skip

        task = self.ctx.tasks.run(
            work,
            lambda n: show_info(self, tr("已导出 {n} 行。").format(n=n)),
            lambda e: show_error(self, e),
            owner=self,
        )
        with_progress(task, self, tr("正在导出……"))

    def report(self, suffix: str) -> None:
        when: date = self.month.date().toPython()  # type: ignore[assignment]
        path = choose_save_file(self, f"月报{when:%Y%m}.{suffix}", tr("报表 (*.{suffix})").format(suffix=suffix))
        if not path:
            return
        db, code = self.ctx.db, self.region.code() or None

        def work(_t: TaskContext) -> Any:
            return write_report(db, path, scope=code, year=when.year, month=when.month)

        task = self.ctx.tasks.run(
            work, lambda _r: show_info(self, tr("月报已生成。")), lambda e: show_error(self, e), owner=self
        )
        with_progress(task, self, tr("正在生成月报……"))

    def preview_report(self) -> None:
        """Make the report on the worker and show its pages; saving is offered from the preview."""
        when: date = self.month.date().toPython()  # type: ignore[assignment]
        db, code = self.ctx.db, self.region.code() or None

        def shown(result: Preview) -> None:
            self.preview = ReportPreview(result, self.ctx, choose_save_file, self.window())
            self.preview.open()

        task = self.ctx.tasks.run(
            lambda tctx: make_preview(db, code, when.year, when.month, tctx),
            shown,
            lambda e: show_error(self, e),
            owner=self,
        )
        with_progress(task, self, tr("正在生成月报……"))


def create(ctx: AppContext) -> QWidget:
    return ReportsPage(ctx)
