"""``export-excel``: write a ledger (households roster, members, cadres, pairings, visits, projects, village
income) to .xlsx in the officers' layout. IDs are masked unless --full-ids (audited)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import add_db_options, open_from_args, region_id_for
from app.errors import BangfuError
from app.io.ledgers import LEDGERS, export_ledger


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-excel", help="导出台账为 Excel / export a ledger to .xlsx")
    add_db_options(p)
    p.add_argument("--ledger", required=True, choices=list(LEDGERS), help="台账 / which ledger")
    p.add_argument("out", type=Path, help="输出文件 / output .xlsx")
    p.add_argument("--region", help="区划代码或名称，只导出该地区 / division code or place name to limit the export to")
    p.add_argument(
        "--full-ids", action="store_true", help="导出完整身份证号码（记入审计）/ full resident IDs (audited)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise BangfuError("输出文件应为 .xlsx。", "The output file must be .xlsx.")
    db = open_from_args(args)
    try:
        count = export_ledger(
            db, args.ledger, args.out, region_id=region_id_for(db, args.region), full_ids=args.full_ids
        )
    finally:
        db.close()
    print(f"已导出{count}行 / Exported {count} rows: {args.out}")
    return 0
