"""``report``: the monthly report (indicators against targets, the lists behind the red ones, charts) for a
village, township, county or the city, as .xlsx or .pdf by the output file's extension."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from app.cli.common import add_db_options, open_from_args
from app.errors import BangfuError
from app.io.report import check_target, write_report


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="生成月报（.xlsx 或 .pdf）/ monthly report as .xlsx or .pdf")
    add_db_options(p)
    p.add_argument("out", type=Path, help="输出文件 / output .xlsx or .pdf")
    p.add_argument(
        "--region",
        help="区划代码或名称（村、乡镇、县、市），默认本单位辖区 / division code or place name; default: this installation's own region",
    )
    p.add_argument("--month", help="月份 YYYY-MM，默认本月 / month, default this month")
    p.set_defaults(func=run)


def parse_month(text: str | None) -> tuple[int, int]:
    if not text:
        today = date.today()
        return today.year, today.month
    match = re.fullmatch(r"(\d{4})[-./年]?(\d{1,2})月?", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise BangfuError("月份格式应为 YYYY-MM，如 2024-03。", "The month must look like YYYY-MM, e.g. 2024-03.")
    return int(match.group(1)), int(match.group(2))


def run(args: argparse.Namespace) -> int:
    year, month = parse_month(args.month)
    check_target(args.out)
    db = open_from_args(args, choose_actor=False)
    try:
        write_report(db, args.out, scope=args.region, year=year, month=month)
    finally:
        db.close()
    print(f"已生成月报 / Report written: {args.out}")
    return 0
