"""``template``: a blank import template (.xlsx) for a kind, with drop-downs for categories and causes."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.errors import BangfuError
from app.io.columns import KINDS
from app.io.templates import write_template


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("template", help="生成空白导入模板 / write a blank import template")
    p.add_argument("--kind", required=True, choices=list(KINDS), help="导入类型 / import kind")
    p.add_argument("out", type=Path, help="输出文件 / output .xlsx")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".xlsx":
        raise BangfuError("输出文件应为 .xlsx。", "The output file must be .xlsx.")
    write_template(args.kind, args.out)
    print(f"已生成模板 / Template written: {args.out}")
    return 0
