"""Pure pieces of the services: field checkers, pinyin keys, search query classification, pairing shapes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.domain.enums import HouseholdCategory, PairingKind, PovertyCause
from app.domain.name_pinyin import name_initials, name_pinyin, name_syllables
from app.domain.pairing_rules import PAIRING_SHAPES, subject_column
from app.errors import ValidationError, ValidationErrors
from app.services import fields as f
from app.services.records import FieldSpec, clean, raise_errors
from app.services.search import classify

FIELD = FieldSpec("amount_fen", "金额", "Amount")


def test_choice_accepts_codes_labels_and_synonyms_and_lists_options_on_error():
    check = f.choice(HouseholdCategory)
    assert [check(v, FIELD) for v in ("dibao", "低保户", "低保", " 特困 ")] == ["dibao", "dibao", "dibao", "tekun"]
    with pytest.raises(ValidationError) as info:
        check("富裕户", FIELD)
    assert info.value.field == "amount_fen" and "低保边缘户" in info.value.zh and "Marginal" in info.value.en


def test_choices_split_the_ways_people_write_lists():
    assert f.choices(PovertyCause)("因病、缺技术,因病", FIELD) == ["illness", "no_skills"]
    assert f.choices(PovertyCause)(["disability"], FIELD) == ["disability"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("2024/3/5", date(2024, 3, 5)),
        ("2024年3月5日", date(2024, 3, 5)),
        ("20240305", date(2024, 3, 5)),
    ],
)
def test_dates_in_common_spellings(raw, expected):
    assert f.parse_date(raw, FIELD) == expected


@pytest.mark.parametrize("raw", ["2024-02-30", "yesterday", "2024-13-01"])
def test_bad_dates_name_the_field(raw):
    with pytest.raises(ValidationError) as info:
        f.parse_date(raw, FIELD)
    assert info.value.field == "amount_fen" and "日期" in info.value.zh


def test_past_date_refuses_tomorrow():
    with pytest.raises(ValidationError):
        f.past_date(date.today() + timedelta(days=1), FIELD)


def test_money_fen_is_int_only_and_yuan_parses_forms():
    assert f.fen(125, FIELD) == 125
    for bad in (1.5, "125", True, -1):
        with pytest.raises(ValidationError):
            f.fen(bad, FIELD)
    assert f.yuan(Decimal("12.34"), FIELD) == 1234
    assert f.yuan("1.2万", FIELD) == 1_200_000
    with pytest.raises(ValidationError) as info:
        f.yuan("abc", FIELD)
    assert info.value.zh.startswith("金额")


def test_boolean_words():
    assert [f.boolean(v, FIELD) for v in (True, "是", "否", "1", "no", "")] == [True, True, False, True, False, False]
    with pytest.raises(ValidationError):
        f.boolean("也许", FIELD)


def test_clean_collects_every_error_and_maps_yuan_keys():
    from app.domain.models import Benefit
    from app.services.records import EntitySpec

    spec = EntitySpec(
        Benefit,
        "享受政策",
        "benefit",
        (
            FieldSpec("household_id", "农户", "Household", required=True),
            FieldSpec("amount_fen", "金额", "Amount", f.fen),
            FieldSpec("kind", "类别", "Kind", f.choice(HouseholdCategory), required=True),
        ),
    )
    values, errors = clean(spec, {"amount": "3.5", "kind": "x", "extra": 1}, creating=True)
    assert values == {"amount_fen": 350}
    assert sorted(e.field or "" for e in errors) == ["extra", "household_id", "kind"]
    with pytest.raises(ValidationErrors) as info:
        raise_errors(errors)
    assert len(info.value.errors) == 3 and "；" in info.value.zh
    raise_errors([])  # nothing to raise


@pytest.mark.parametrize(
    ("name", "pinyin", "initials"),
    [
        ("王芳", "wangfang", "wf"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("曾国藩", "zengguofan", "zgf"),
        ("吕梁", "lvliang", "ll"),
        ("尉迟恭", "yuchigong", "ycg"),
    ],
)
def test_name_pinyin_keys(name, pinyin, initials):
    assert (name_pinyin(name), name_initials(name)) == (pinyin, initials)


def test_syllables_ignore_spaces_and_punctuation():
    assert name_syllables("王 芳·") == ["wang", "fang"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("wf", ("letters", "wf")),
        ("Wang Fang", ("letters", "wangfang")),
        ("王芳", ("name", "王芳")),
        ("１２３４", ("id_suffix", "1234")),
        ("123x", ("id_suffix", "123X")),
        ("  ", None),
        ("--", None),
    ],
)
def test_classify(query, expected):
    assert classify(query) == expected


def test_pairing_shapes_cover_every_kind():
    assert set(PAIRING_SHAPES) == set(PairingKind)
    assert PAIRING_SHAPES[PairingKind.HOUSEHOLD_CADRE].subjects == ("household",)
    assert subject_column("household") == "subject_household_id" and subject_column("village") == "subject_region_id"
