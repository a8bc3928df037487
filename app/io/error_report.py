"""The rows an import rejected, saved as .xlsx to fix and re-import: the original header, the bad rows as
they were typed, and a reason column (错误原因) naming each column and what is wrong with it."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from app.io.importer import ExcelImport, ImportReport
from app.io.values import cell_text
from app.io.xlsx import Column, WorkbookWriter

REASON_TITLE = "错误原因"


def write_error_report(job: ExcelImport, report: ImportReport, path: Path | str) -> int:
    """Write the rejected rows; returns how many. Cells are written as text, exactly as read."""
    reasons: dict[int, list[str]] = defaultdict(list)
    for issue in report.issues:
        reasons[issue.row].append(f"{issue.column}：{issue.zh}" if issue.column else issue.zh)
    width = max((c.index for c in job.header_columns), default=0) + 1
    labels = {c.index: c for c in job.header_columns}
    columns = [
        Column(labels[i].sub or labels[i].group, 14, group=labels[i].group if labels[i].sub else "")
        if i in labels
        else Column("", 8)
        for i in range(width)
    ]
    columns.append(Column(REASON_TITLE, 60))
    columns.insert(0, Column("原行号", 7, "int"))
    rows = []
    for row_number in sorted(reasons):
        raw = job.sheet.rows[row_number - 1]
        cells = [cell_text(raw[i]) if i < len(raw) else "" for i in range(width)]
        rows.append([row_number, *cells, "；".join(reasons[row_number])])
    title = f"{job.kind.zh}导入错误清单（修改后可重新导入）"
    with WorkbookWriter(path, constant_memory=False) as writer:
        writer.table_sheet("错误清单", title, columns, rows, subtitle=f"工作表：{job.sheet.name}")
    return len(rows)
