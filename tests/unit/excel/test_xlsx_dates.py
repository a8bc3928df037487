"""Dates written into sheets in Chinese are built without strftime (Windows encodes its format in the ANSI
code page; an English Windows refuses 年 — seen in the frozen self-test under Wine)."""

from datetime import date

from app.io.xlsx import chinese_date


def test_chinese_date_pads_month_and_day() -> None:
    assert chinese_date(date(2026, 3, 5)) == "2026年03月05日"
    assert chinese_date(date(2026, 11, 30)) == "2026年11月30日"
