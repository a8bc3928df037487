"""strftime on Windows encodes its format in the ANSI code page: ``f"{day:%Y年%m月%d日}"`` raises
UnicodeEncodeError on an English Windows (found by the Wine check: the installed self-test's report PDF). Dates
in Chinese go through ``app.io.xlsx.chinese_date``; a date format in ``app/`` or ``ui/`` holds ASCII only."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _non_ascii_date_formats(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        spec = None
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "strftime" and node.args:
            first = node.args[0]
            spec = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
        if spec and "%" in spec and not spec.isascii():
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {spec}")
    return found


def test_no_date_format_with_chinese_characters() -> None:
    found = [
        hit
        for folder in ("app", "ui")
        for path in (ROOT / folder).rglob("*.py")
        for hit in _non_ascii_date_formats(path)
    ]
    assert found == []
