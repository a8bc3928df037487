"""The values people type in ledgers, turned into domain values — or a ``ValidationError`` saying why not.

Each parser is a services field checker, ``parse(cell, field) -> value`` with ``field`` the services'
``FieldSpec`` (name and labels), so an imported cell passes the same checks as a form field. What is here
is only what spreadsheets add on top: cells that are numbers (``13800000000.0``, an ID that lost its last
digits), Excel date serials, several causes in one cell, 签约/已签约 marks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.enums import LabeledEnum, PovertyCause
from app.domain.validators import to_halfwidth
from app.errors import ValidationError
from app.services import fields
from app.services.records import FieldSpec

Parser = Callable[[Any, FieldSpec], Any]

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 with Excel's 1900 leap-year bug folded in


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell as text: integral floats without ``.0`` (Excel stores every number as a float)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def as_text(check: Parser) -> Parser:
    """A services checker fed the cell's text (a phone typed as a number arrives as ``13800000000.0``)."""

    def parse(value: Any, field: FieldSpec) -> Any:
        return check(to_halfwidth(cell_text(value)), field)

    return parse


def as_typed_text(check: Parser) -> Parser:
    """A services checker fed the cell's text as typed: free text keeps its full-width punctuation
    (``房屋漏雨，需修缮``), so an export imports back unchanged; names and codes go through ``as_text``."""

    def parse(value: Any, field: FieldSpec) -> Any:
        return check(cell_text(value), field)

    return parse


text = fields.text
person_name = as_text(fields.person_name)
phone = as_text(fields.phone)
year = as_text(fields.year)
money_fen = fields.yuan


def person_count(value: Any, field: FieldSpec) -> int:
    """A number of persons as a sheet holds it: ``3``, ``3.0`` (a number cell) or ``3人``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, str):
        value = to_halfwidth(value).strip().removesuffix("人").strip()
    return fields.persons(value, field)


def choice(enum: type[LabeledEnum]) -> Parser:
    return as_text(fields.choice(enum))


def resident_id(value: Any, field: FieldSpec) -> str:
    """An 18-character resident ID; a numeric cell has lost digits (Excel keeps 15 significant ones)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e15:
        raise ValidationError(
            "身份证号码被 Excel 存成了数字，末几位已丢失，无法恢复，请把该列设为文本后重新录入。",
            "The resident ID was stored as a number and lost its last digits, which cannot be recovered; "
            "format the column as text and re-enter it.",
            field=field.name,
        )
    return str(fields.resident_id(cell_text(value), field))


_CAUSE_SPLIT = re.compile(r"[、,，;；/／\\|\s]+")
_cause = choice(PovertyCause)


def causes(value: Any, field: FieldSpec) -> tuple[str, list[str]]:
    """``因病、缺劳力`` or ``因学/因病``: the first is the primary cause, the rest others (no repeats)."""
    codes: list[str] = []
    for part in _CAUSE_SPLIT.split(to_halfwidth(cell_text(value))):
        if part:
            code = _cause(part, field)
            if code not in codes:
                codes.append(code)
    if not codes:
        raise ValidationError(f"{field.zh}不能为空。", f"{field.en} is required.", field=field.name)
    return codes[0], codes[1:]


def excel_serial_to_date(serial: float) -> date:
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: Any, field: FieldSpec) -> date:
    """What ``fields.parse_date`` reads (``2017.9.29``, ``2017年9月29日``, ``20170929``…) plus what sheets
    hold: date cells, Excel serial numbers (``42999``), ``20170929`` stored as a number, stray spaces."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        elif 1 <= value < 80000:
            return excel_serial_to_date(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 5:
        return excel_serial_to_date(int(value))
    if isinstance(value, str):
        value = re.sub(r"\s+", "", to_halfwidth(value))
    return fields.parse_date(value, field)


_YES_EXTRA = {"✔", "已签约", "签约", "已签", "领导"}
_NO_EXTRA = {"✗", "未签约", "未签"}


def boolean(value: Any, field: FieldSpec) -> bool:
    key = to_halfwidth(cell_text(value)).strip().lower()
    if key in _YES_EXTRA:
        return True
    if key in _NO_EXTRA:
        return False
    return fields.boolean(key, field)
