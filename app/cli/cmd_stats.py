"""``stats``: the policy targets for a scope and year, as a Chinese/English table or JSON (exit 0).

python main.py stats --db x.db [--scope CODE] [--year Y] [--as-of YYYY-MM-DD] [--json]
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal

from app.cli.common import add_db_options, open_from_args, print_json
from app.domain.validators import format_yuan
from app.services.indicators import Indicator, compute_all, declaration, reader_fraction
from app.services.scope import resolve_scope


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("stats", help="帮扶指标 / the indicators of the policy targets")
    add_db_options(parser)
    parser.add_argument("--scope", help="区划代码或名称（默认全部）/ division code or place name (default: all)")
    parser.add_argument("--year", type=int, default=None, help="年份（默认今年）/ year (default: this year)")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="以该日为“今天”（默认今天）/ take this day as today (default: today)",
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON / print JSON")
    parser.set_defaults(func=run)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    text = f"{value:,.1f}" if unit in ("%", "元") else f"{value:,.0f}"
    return text + ("%" if unit == "%" else f" {unit}")


def _status(ind: Indicator) -> str:
    return "—" if ind.ok is None else "✔ 达标" if ind.ok else "✘ 未达标"


def _fraction(ind: Indicator) -> str:
    num, den = reader_fraction(ind)
    if num is None:
        return ""
    text = _amount(num)
    if den is None:
        return text
    spec = declaration(ind.key)
    unit = "" if spec.denominator_is_money or not spec.is_money else f" {spec.denominator_unit}"
    return f"{text} / {_amount(den)}{unit}"


def _amount(value: Decimal | int) -> str:
    return f"{value:,.2f} 元" if isinstance(value, Decimal) else f"{value:,}"


def format_table(indicators: list[Indicator]) -> str:
    rows = [["指标 / Indicator", "数值 Value", "目标 Target", "状态 OK", "分子/分母 Num/Den", "数据不全 Incomplete"]]
    for ind in indicators:
        fraction = _fraction(ind)
        rows.append(
            [
                f"{ind.zh} / {ind.en}",
                _number(ind.value, ind.unit),
                _number(ind.target, ind.unit),
                _status(ind),
                fraction,
                f"{ind.missing:,}" if ind.missing else "",
            ]
        )
        for b in ind.breakdown:
            rows.append(
                [
                    f"    {b.zh} / {b.en}",
                    f"{b.projects} 个",
                    "",
                    "",
                    f"{format_yuan(b.disbursed_fen)} / {format_yuan(b.budget_fen)} 元",
                    "",
                ]
            )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def run(args: argparse.Namespace) -> int:
    db = open_from_args(args, choose_actor=False)
    try:
        with db.session() as session:
            scope = resolve_scope(session, args.scope)
            today = args.as_of or date.today()
            year = args.year or today.year
            indicators = compute_all(session, scope, year, today=today)
    finally:
        db.close()
    if args.json:
        print_json({"scope": scope.to_dict(), "year": year, "indicators": [i.to_dict() for i in indicators]})
    else:
        print(f"范围 Scope: {scope.code or '全部 all'} {scope.name}    年份 Year: {year}\n")
        print(format_table(indicators))
    return 0
