"""``import-excel``: import a township's Excel/WPS/CSV sheet (roster, households, members, cadres, visits,
projects, village income). Dry run, per-row errors, error workbook; all-or-nothing unless --skip-invalid."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import add_db_options, open_from_args, print_json
from app.errors import EXIT_OK, EXIT_PROBLEM
from app.io.columns import KINDS
from app.io.error_report import write_error_report
from app.io.errors import RowsRejected
from app.io.importer import TABLE_LABELS, ExcelImport, ImportReport

_ACTIONS = (("create", "新增", "new"), ("update", "更新", "updated"), ("unchanged", "不变", "unchanged"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import-excel", help="导入 Excel/WPS/CSV 表格 / import a spreadsheet")
    add_db_options(p)
    p.add_argument("--kind", required=True, choices=list(KINDS), help="导入类型 / what the sheet holds")
    p.add_argument("file", type=Path, help="表格文件 / .xlsx .xls .ods .csv")
    p.add_argument("--sheet", help="工作表名称 / sheet name (default: the first visible sheet with data)")
    p.add_argument("--dry-run", action="store_true", help="试运行，不写入 / report only, change nothing")
    p.add_argument(
        "--create-places",
        action="store_true",
        help="新建台账中没有的行政村（留痕）/ create villages the ledger does not have (audited)",
    )
    p.add_argument("--skip-invalid", action="store_true", help="仅导入有效行 / import the valid rows, skip bad ones")
    p.add_argument("--errors", type=Path, help="把有误的行保存为 .xlsx / save rejected rows with reasons")
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告 / print the report as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    job = ExcelImport(args.file, args.kind, args.sheet)  # unreadable file: refused before the password
    db = open_from_args(args)
    try:
        report = job.run(db, dry_run=args.dry_run, skip_invalid=args.skip_invalid, create_places=args.create_places)
    finally:
        db.close()
    if args.errors and report.issues:
        write_error_report(job, report, args.errors)
    if args.json:
        print_json(report.to_dict())
    else:
        print_summary(report)
    return EXIT_PROBLEM if report.issues else EXIT_OK


def print_summary(report: ImportReport) -> None:
    rows = "–".join(str(r) for r in report.header_rows)
    print(
        f"工作表“{report.sheet}”：表头第{rows}行，数据{report.data_rows}行，有误{len(report.rejected_rows)}行 / "
        f"sheet '{report.sheet}': header row {rows}, {report.data_rows} data rows, "
        f"{len(report.rejected_rows)} rejected"
    )
    for table, counts in report.counts.items():
        if not any(counts.values()):
            continue
        zh, en = TABLE_LABELS.get(table, (table, table))
        parts_zh = "，".join(f"{z}{counts[a]}" for a, z, _ in _ACTIONS)
        parts_en = ", ".join(f"{counts[a]} {e}" for a, _, e in _ACTIONS)
        print(f"  {zh}：{parts_zh} / {en}: {parts_en}")
    for note in report.notices[:100]:
        where_zh, where_en = (f"第{note.row}行 ", f"row {note.row} ") if note.row else ("", "")
        print(f"  说明：{where_zh}{note.column}：{note.zh} / note: {where_en}{note.column}: {note.en}")
    if len(report.notices) > 100:
        print(f"  ……另有{len(report.notices) - 100}条说明 / … {len(report.notices) - 100} more notes")
    for change in report.changes[:200]:
        print(f"  变更：第{change.row}行 {change.zh} / change: row {change.row} {change.en}")
    if len(report.changes) > 200:
        print(f"  ……另有{len(report.changes) - 200}项变更 / … {len(report.changes) - 200} more changes")
    for issue in report.issues[:200]:
        print(f"  第{issue.row}行 {issue.column}：{issue.zh} / row {issue.row} {issue.column}: {issue.en}")
    if len(report.issues) > 200:
        print(f"  ……另有{len(report.issues) - 200}条 / … {len(report.issues) - 200} more")
    if report.dry_run:
        print("试运行，未写入任何数据 / Dry run: nothing was written")
    elif report.issues and not report.applied:
        print(RowsRejected(len(report.rejected_rows)).bilingual())
    elif report.applied:
        print("已导入 / Imported")
