"""Field checkers for entity specs: each turns raw input (a form, a CLI argument, an Excel cell) into the
stored value or raises ``ValidationError`` naming the field, in Chinese and English.

A checker is ``check(value, field) -> stored value``; ``field`` is the ``FieldSpec`` (its name and labels
go into the message). Empty input never reaches a checker: the spec machinery handles required/optional.
Money: columns ending ``_fen`` take an ``int`` of fen; the same key without ``_fen`` (``budget``) takes
yuan as Decimal, str ("1.2万", "9,550元") or int — see ``app.services.records.clean``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from app.domain import validators
from app.domain.enums import LabeledEnum
from app.errors import ValidationError

if TYPE_CHECKING:
    from app.services.records import FieldSpec

Check = Callable[[Any, "FieldSpec"], Any]


def text(max_len: int = 200) -> Check:
    def check(value: Any, field: FieldSpec) -> str:
        return validators.check_required_text(value, field.name, field.zh, field.en, max_len)

    return check


def long_text(value: Any, field: FieldSpec) -> str:
    return str(value).strip()


def person_name(value: Any, field: FieldSpec) -> str:
    return validators.normalize_person_name(value, field.name)


def resident_id(value: Any, field: FieldSpec) -> str:
    return validators.check_resident_id(value, field.name)


def phone(value: Any, field: FieldSpec) -> str:
    return validators.check_phone(value, field.name)


def credit_code(value: Any, field: FieldSpec) -> str:
    return validators.check_credit_code(value, field.name)


def year(value: Any, field: FieldSpec) -> int:
    return validators.check_year(value, field.name)


def percent(value: Any, field: FieldSpec) -> int:
    return validators.check_percent(value, field.name)


def fen(value: Any, field: FieldSpec) -> int:
    """Integer fen, never negative (a yuan value comes in under the key without ``_fen``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(
            f"{field.zh}应为整数（单位：分）。", f"{field.en} must be a whole number of fen.", field=field.name
        )
    if value < 0:
        raise ValidationError(f"{field.zh}不能为负数。", f"{field.en} cannot be negative.", field=field.name)
    return value


def persons(value: Any, field: FieldSpec) -> int:
    """A number of persons: a whole number from 1 to 99 (a household's members)."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 99:
        raise ValidationError(
            f"{field.zh}应为1至99的整数。", f"{field.en} must be a whole number from 1 to 99.", field=field.name
        )
    return value


def yuan(value: Any, field: FieldSpec) -> int:
    """Yuan in any usual form → fen, with the field's own labels in the message."""
    try:
        return validators.yuan_to_fen(value, field.name)
    except ValidationError as exc:
        raise ValidationError(f"{field.zh}：{exc.zh}", f"{field.en}: {exc.en}", field=field.name) from None


_TRUE = {"1", "true", "yes", "y", "是", "有", "√", "✓", "对"}
_FALSE = {"0", "false", "no", "n", "否", "无", "×", "不是", ""}


def boolean(value: Any, field: FieldSpec) -> bool:
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(f"{field.zh}应为“是”或“否”。", f"{field.en} must be yes or no.", field=field.name)


def choice(enum: type[LabeledEnum]) -> Check:
    """A code or label of ``enum`` (``低保户`` or ``dibao``) → its stored code."""

    def check(value: Any, field: FieldSpec) -> str:
        try:
            return enum.from_label(str(value)).value
        except ValueError:
            zh = "、".join(m.zh for m in enum)
            en = ", ".join(m.en for m in enum)
            raise ValidationError(
                f"{field.zh}的取值无效，可选：{zh}。",
                f"{field.en} is not valid; choose one of: {en}.",
                field=field.name,
            ) from None

    return check


def choices(enum: type[LabeledEnum]) -> Check:
    """A list (or a string separated by 、,;，；) of codes or labels → list of codes, order kept, no repeats."""
    one = choice(enum)

    def check(value: Any, field: FieldSpec) -> list[str]:
        items = re.split(r"[、,;，；/\s]+", value) if isinstance(value, str) else list(value)
        out: list[str] = []
        for item in items:
            if str(item).strip():
                code = one(item, field)
                if code not in out:
                    out.append(code)
        return out

    return check


_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


def parse_date(value: Any, field: FieldSpec) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = validators.to_halfwidth(str(value)).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(raw)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                break
    raise ValidationError(
        f"{field.zh}不是有效日期（如 2024-03-05）。",
        f"{field.en} is not a valid date (e.g. 2024-03-05).",
        field=field.name,
    )


def past_date(value: Any, field: FieldSpec) -> date:
    """A date that is not in the future (a visit, a benefit, an exit)."""
    return validators.check_not_future(parse_date(value, field), field.name, field.zh, field.en)
