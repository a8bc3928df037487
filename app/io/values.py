"""The values people type in ledgers, turned into domain values — or a ``ValidationError`` saying why not.

Each parser takes the raw cell (str, float, int, bool, date, datetime) and the field name for the error.
The general checks (resident ID, phone, money) live in ``app.domain.validators``; what is here is what only
spreadsheets produce: numbers that were IDs, Excel date serials, several causes in one cell, 是/否 marks.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.enums import LabeledEnum, PovertyCause
from app.domain.validators import (
    check_phone,
    check_year,
    normalize_person_name,
    parse_resident_id,
    to_halfwidth,
    yuan_to_fen,
)
from app.errors import ValidationError

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


def text(value: Any, field: str, max_len: int = 200) -> str:
    out = " ".join(to_halfwidth(cell_text(value)).split()) if not isinstance(value, str) else " ".join(value.split())
    if len(out) > max_len:
        raise ValidationError(
            f"内容过长（最多{max_len}字）。", f"Too long (at most {max_len} characters).", field=field
        )
    return out


def person_name(value: Any, field: str) -> str:
    return normalize_person_name(cell_text(value), field)


_LOST_DIGITS = ValidationError(
    "身份证号码被 Excel 存成了数字，末几位已丢失，无法恢复，请把该列设为文本后重新录入。",
    "The resident ID was stored as a number and lost its last digits, which cannot be recovered; "
    "format the column as text and re-enter it.",
)


def resident_id(value: Any, field: str) -> str:
    """An 18-character resident ID; a numeric cell has lost digits (Excel keeps 15 significant ones)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if abs(value) >= 1e15:
            raise ValidationError(_LOST_DIGITS.zh, _LOST_DIGITS.en, field=field)
        value = cell_text(value)
    return parse_resident_id(value, field).number


def phone(value: Any, field: str) -> str:
    return check_phone(cell_text(value), field)


def choice(enum: type[LabeledEnum], value: Any, field: str) -> str:
    raw = to_halfwidth(cell_text(value)).strip()
    try:
        return enum.from_label(raw).value
    except ValueError:
        allowed = "、".join(m.zh for m in enum)
        raise ValidationError(
            f"“{raw}”不是可识别的选项，可填：{allowed}。",
            f"'{raw}' is not a known choice; use one of: {', '.join(m.en for m in enum)}.",
            field=field,
        ) from None


_CAUSE_SPLIT = re.compile(r"[、,，;；/／\\|\s]+|(?<=[病残学灾])和")


def causes(value: Any, field: str) -> tuple[str, list[str]]:
    """``因病、缺劳力`` or ``因学/因病``: the first is the primary cause, the rest others (no repeats)."""
    parts = [p for p in _CAUSE_SPLIT.split(to_halfwidth(cell_text(value))) if p]
    codes: list[str] = []
    for part in parts:
        code = choice(PovertyCause, part, field)
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError("致贫原因不能为空。", "The poverty cause is required.", field=field)
    return codes[0], codes[1:]


def money_fen(value: Any, field: str) -> int:
    if isinstance(value, bool):
        raise ValidationError("金额格式不正确。", "Invalid amount.", field=field)
    return yuan_to_fen(value, field)


_DATE_PATTERNS = (
    re.compile(r"(?P<y>\d{4})\s*[.\-/年]\s*(?P<m>\d{1,2})\s*[.\-/月]\s*(?P<d>\d{1,2})\s*日?"),
    re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y>\d{4})\s*[.\-/年]\s*(?P<m>\d{1,2})\s*月?"),  # a month only: the 1st
)


def excel_serial_to_date(serial: float) -> date:
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_date(value: Any, field: str) -> date:
    """``2017.9.29``, ``2017年9月29日``, ``2017-09-29``, ``20170929``, ``2017/9``, a date cell or an Excel serial."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            value = str(int(value))
        elif 1 <= value < 80000:
            return excel_serial_to_date(value)
    raw = to_halfwidth(cell_text(value)).strip()
    if raw.replace(".", "", 1).isdigit() and "." in raw and len(raw) <= 7:
        return excel_serial_to_date(float(raw))
    if raw.isdigit() and len(raw) <= 5:
        return excel_serial_to_date(int(raw))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            parts = match.groupdict()
            try:
                return date(int(parts["y"]), int(parts["m"]), int(parts.get("d") or 1))
            except ValueError:
                break
    raise ValidationError(
        f"日期“{raw}”无法识别（如 2017-09-29、2017.9.29、2017年9月29日）。",
        f"Unrecognised date '{raw}' (e.g. 2017-09-29, 2017.9.29, 2017年9月29日).",
        field=field,
    )


def year(value: Any, field: str) -> int:
    return check_year(cell_text(value), field)


def integer(value: Any, field: str) -> int:
    try:
        return int(float(to_halfwidth(cell_text(value)).replace(",", "")))
    except ValueError:
        raise ValidationError("应为整数。", "A whole number is expected.", field=field) from None


def percent(value: Any, field: str) -> int:
    if isinstance(value, float) and 0 < value <= 1 and not value.is_integer():
        value = value * 100  # a cell formatted as % holds 0.35
    number = integer(cell_text(value).removesuffix("%"), field)
    if not 0 <= number <= 100:
        raise ValidationError("进度应为0到100。", "Progress must be 0 to 100.", field=field)
    return number


_YES = {"是", "有", "√", "✓", "✔", "y", "yes", "true", "1", "已签约", "签约", "已签", "领导"}
_NO = {"否", "无", "×", "✗", "n", "no", "false", "0", "未签约", "未签", "不是"}


def boolean(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    key = to_halfwidth(cell_text(value)).strip().lower()
    if key in _YES:
        return True
    if key in _NO or key == "":
        return False
    raise ValidationError(f"“{key}”应填“是”或“否”。", f"'{key}' should be 是 (yes) or 否 (no).", field=field)
