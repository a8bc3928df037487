"""Field validators and normalisers: resident ID (GB 11643), phone numbers, credit codes (GB 32100), money.

Each ``check_*`` returns the normalised value or raises ``ValidationError`` naming the field, with a
Chinese and an English message that never repeat the full value (IDs are personal data).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from app.errors import ValidationError

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
# Compiled once: these run on every row of a large import, where re's own cache lookup showed.
_ID_SEPARATORS = re.compile(r"[\s\-_'‘’]")
_ID_AS_FLOAT = re.compile(r"\d+(\.\d+)?[Ee]\+?\d+")
_ID_TRUNCATED = re.compile(r"\d{15,17}")
_ID_SHAPE = re.compile(r"\d{17}[\dX]")
_PHONE_NOISE = re.compile(r"[\s()（）]")
_SPACES = re.compile(r"\s+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ID_CHECK = "10X98765432"


def to_halfwidth(text: str) -> str:
    """Full-width digits and letters (common in WPS sheets) to ASCII; NFKC does exactly that."""
    return unicodedata.normalize("NFKC", text)


def normalize_id_number(raw: object) -> str:
    """Strip spaces, turn full-width to half-width and ``x`` to ``X``; no validation."""
    text = str(raw)
    if text.isascii() and text.isalnum():  # the usual cell: NFKC and the strip below would leave it as it is
        return text.upper()
    text = to_halfwidth(text)
    text = _ID_SEPARATORS.sub("", text)
    return text.upper()


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str  # "male" or "female"
    region_code: str


def parse_resident_id(raw: object, field: str = "id_number") -> ResidentId:
    """Validate an 18-digit resident ID (structure, birth date, GB 11643 check digit)."""
    try:
        return _parse_normalized_id(normalize_id_number(raw))
    except ValidationError as exc:
        raise ValidationError(exc.zh, exc.en, field=field) from None


@lru_cache(maxsize=4096)  # an import checks the same number several times (household, head member, derive)
def _parse_normalized_id(number: str, field: str | None = None) -> ResidentId:
    if not number:
        raise ValidationError("身份证号码不能为空。", "The resident ID is required.", field=field)
    if _ID_AS_FLOAT.fullmatch(number) or (_ID_TRUNCATED.fullmatch(number) and len(number) != 15):
        raise ValidationError(
            "身份证号码位数不足，可能被 Excel 存成了数字而丢失末位，无法恢复，请重新录入。",
            "The resident ID is too short; it was probably stored as a number and lost its last digits, "
            "which cannot be recovered. Re-enter it.",
            field=field,
        )
    if not _ID_SHAPE.fullmatch(number):
        raise ValidationError(
            "身份证号码应为18位（最后一位可为X）。",
            "A resident ID has 18 characters (the last may be X).",
            field=field,
        )
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            "身份证号码中的出生日期无效。", "The birth date inside the resident ID is invalid.", field=field
        ) from None
    if birth.year < 1900 or birth > date.today():
        raise ValidationError(
            "身份证号码中的出生日期无效。", "The birth date inside the resident ID is invalid.", field=field
        )
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            "身份证号码校验位错误，请核对。",
            "The resident ID's check digit is wrong; please check the number.",
            field=field,
        )
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return ResidentId(number, birth, sex, number[:6])


def check_resident_id(raw: object, field: str = "id_number") -> str:
    return parse_resident_id(raw, field).number


def mask_id_number(number: str | None) -> str:
    """``331102********1234``: region kept for orientation, birth date hidden, last four kept."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else phone


_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")


def check_phone(raw: object, field: str = "phone") -> str:
    """Mobile (11 digits, 1[3-9]…) or landline with area code (0578-1234567); short local numbers refused."""
    text = to_halfwidth(str(raw)).strip()
    text = _PHONE_NOISE.sub("", text)
    text = text.replace("—", "-").replace("－", "-")
    if text.startswith("+86"):
        text = text[3:]
    digits = text.replace("-", "")
    if _MOBILE.fullmatch(digits):
        return digits
    if _LANDLINE.fullmatch(text) or (digits.startswith("0") and 10 <= len(digits) <= 12 and digits.isdigit()):
        if "-" not in text:
            area = 3 if digits[:3] in {"010", "020", "021", "022", "023", "024", "025", "027", "028", "029"} else 4
            text = digits[:area] + "-" + digits[area:]
        return text
    raise ValidationError(
        "电话号码格式不正确：手机为11位，固话需带区号（如 0578-2123456）。",
        "Invalid phone number: a mobile has 11 digits, a landline needs its area code (e.g. 0578-2123456).",
        field=field,
    )


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def check_credit_code(raw: object, field: str = "credit_code") -> str:
    """Unified social credit code: 18 characters from GB 32100's alphabet with a valid check character."""
    code = re.sub(r"\s", "", to_halfwidth(str(raw))).upper()
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        raise ValidationError(
            "统一社会信用代码应为18位数字或大写字母（不含 I、O、Z、S、V）。",
            "A unified social credit code has 18 digits or capital letters (no I, O, Z, S, V).",
            field=field,
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            "统一社会信用代码校验位错误，请核对。",
            "The credit code's check character is wrong; please check it.",
            field=field,
        )
    return code


def yuan_to_fen(raw: object, field: str = "amount", *, allow_negative: bool = False) -> int:
    """Money typed as ``9,550``, ``9550元``, ``1.2万``, Decimal or int (yuan) to exact integer fen."""
    if raw is None or raw == "":
        raise ValidationError("金额不能为空。", "The amount is required.", field=field)
    if isinstance(raw, float):
        raw = repr(raw)
    text = to_halfwidth(str(raw)).strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    scale = Decimal(1)
    if text.endswith("万元") or text.endswith("万"):
        scale = Decimal(10000)
        text = text.removesuffix("元").removesuffix("万")
    text = text.removesuffix("元").strip()
    try:
        value = Decimal(text) * scale
    except InvalidOperation:
        raise ValidationError(
            "金额格式不正确，请填写数字（单位：元）。", "Invalid amount: enter a number of yuan.", field=field
        ) from None
    if not value.is_finite():
        raise ValidationError("金额格式不正确。", "Invalid amount.", field=field)
    if value < 0 and not allow_negative:
        raise ValidationError("金额不能为负数。", "The amount cannot be negative.", field=field)
    if abs(value) > MAX_YUAN:  # also keeps fen inside a 64-bit column (1e17 yuan = 1e19 fen would overflow)
        raise ValidationError(
            "金额过大（超过 1 万亿元），请检查数值和单位。",
            "The amount is too large (over 1 trillion yuan); check the number and its unit.",
            field=field,
        )
    fen = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if fen == 0 and value != 0:
        raise ValidationError(
            "金额不足 1 分，请检查数值和单位。",
            "The amount is less than one fen; check the number and its unit.",
            field=field,
        )
    return fen


MAX_YUAN = Decimal(10) ** 12


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_yuan(fen: int | None) -> str:
    """``12,345.60`` — for screens and reports."""
    if fen is None:
        return ""
    value = fen_to_yuan(fen)
    return f"{value:,.2f}"


def check_required_text(raw: object, field: str, zh_name: str, en_name: str, max_len: int = 200) -> str:
    text = " ".join(str(raw or "").split())
    if not text:
        raise ValidationError(f"{zh_name}不能为空。", f"{en_name} is required.", field=field)
    if len(text) > max_len:
        raise ValidationError(
            f"{zh_name}过长（最多{max_len}字）。", f"{en_name} is too long (at most {max_len}).", field=field
        )
    return text


def normalize_person_name(raw: object, field: str = "name") -> str:
    """Chinese names: inner spaces removed (王 芳 → 王芳); names in Latin script keep single spaces."""
    text = to_halfwidth(str(raw or "")).strip()
    text = _SPACES.sub("", text) if _HAN.search(text) else " ".join(text.split())
    if not text:
        raise ValidationError("姓名不能为空。", "The name is required.", field=field)
    if len(text) > 50:
        raise ValidationError("姓名过长。", "The name is too long.", field=field)
    return text


def check_year(raw: object, field: str = "year") -> int:
    try:
        year = int(str(raw).strip().removesuffix("年"))
    except ValueError:
        raise ValidationError("年份格式不正确。", "Invalid year.", field=field) from None
    if not 2000 <= year <= date.today().year + 5:
        raise ValidationError("年份超出范围。", "The year is out of range.", field=field)
    return year


def check_percent(raw: object, field: str = "percent") -> int:
    try:
        value = int(Decimal(str(raw).strip().removesuffix("%")))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            "进度应为0到100的数字。", "Progress must be a number from 0 to 100.", field=field
        ) from None
    if not 0 <= value <= 100:
        raise ValidationError("进度应为0到100的数字。", "Progress must be a number from 0 to 100.", field=field)
    return value


def check_not_future(d: date, field: str, zh_name: str, en_name: str) -> date:
    if d > date.today():
        raise ValidationError(f"{zh_name}不能晚于今天。", f"{en_name} cannot be in the future.", field=field)
    return d


def check_division_code(raw: object, length: int, field: str = "code") -> str:
    code = to_halfwidth(str(raw)).strip()
    if not (code.isdigit() and len(code) == length):
        raise ValidationError(
            f"区划代码应为{length}位数字。", f"The division code must have {length} digits.", field=field
        )
    return code
