"""Cell values and sheet layouts, without disk: each variant the issue lists, and the table finder."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.errors import ValidationError
from app.io import values
from app.io.columns import HOUSEHOLDS, KINDS, ROSTER
from app.io.layout import locate_table
from app.services.records import FieldSpec

F = FieldSpec("x", "字段", "Field")


@pytest.mark.parametrize(
    "raw",
    ["2017.9.29", "2017年9月29日", "2017 年 9 月 29 日", "20170929", 20170929, "2017-09-29", "2017/9/29",
     43007, "43007", 43007.0, date(2017, 9, 29), datetime(2017, 9, 29, 0, 0)],
)  # fmt: skip
def test_dates_typed_every_which_way(raw):
    assert values.parse_date(raw, F) == date(2017, 9, 29)


def test_bad_date_names_the_field():
    with pytest.raises(ValidationError) as info:
        values.parse_date("九月底", F)
    assert info.value.field == "x"


def test_resident_ids():
    number = "33112219650101101X"
    first17 = number[:17]
    from app.domain.validators import id_check_digit

    number = first17 + id_check_digit(first17)
    assert values.resident_id(number.lower(), F) == number
    assert values.resident_id(" ".join([number[:6], number[6:14], number[14:]]), F) == number
    full_width = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert values.resident_id(full_width, F) == number
    for lost in (float(number[:17] + "0"), 3.31122196501011e17, "3.31122196501011E+17"):
        with pytest.raises(ValidationError) as info:
            values.resident_id(lost, F)
        assert "无法恢复" in info.value.zh and "cannot be recovered" in info.value.en


def test_names_phones_causes_booleans_money():
    assert values.person_name("王 芳", F) == "王芳"
    assert values.phone(13805781234.0, F) == "13805781234"
    assert values.phone("138-0578-1234", F) == "13805781234"
    assert values.phone("0578 3123456", F) == "0578-3123456"
    assert values.causes("因病、缺劳力", F) == ("illness", ["no_labour"])
    assert values.causes("因学/因病/因学", F) == ("schooling", ["illness"])
    assert values.causes("缺技术，缺资金; 交通落后", F) == ("no_skills", ["no_capital", "remote"])
    with pytest.raises(ValidationError):
        values.causes("因懒", F)
    assert values.boolean("已签约", F) is True and values.boolean("否", F) is False
    assert values.money_fen("9,550", F) == 955_000
    assert values.money_fen("9550元", F) == 955_000
    assert values.money_fen(9550.5, F) == 955_050
    assert values.money_fen("1.2万", F) == 1_200_000
    for typed, code in [("低保", "dibao"), ("低边", "dibao_edge"), ("特困", "tekun"), ("低保边缘户", "dibao_edge")]:
        assert values.choice(KINDS["households"].column("category").choices)(typed, F) == code  # type: ignore[arg-type]


def grid_with_title_and_merged_header() -> list[list]:
    return [
        ["XX镇低收入农户结对帮扶花名册", "", "", "", "", "", ""],
        ["填报单位：XX镇", "", "", "", "填报日期：2024年3月", "", ""],
        ["户主姓名", "身份证号码", "行政村", "类别", "致贫原因", "结对帮扶干部", ""],
        ["", "", "", "", "", "姓名", "工作单位"],
        ["王芳", "x", "岩背村", "低保", "因病", "王伟", "县农业局"],
        ["", "", "", "", "", "", ""],
        ["李四", "y", "岩背村", "低保", "因病", "王伟", "县农业局"],
        ["合计", "2户", "", "", "", "", ""],
        ["注：身份证号码请设为文本。", "", "", "", "", "", ""],
    ]


def test_table_found_through_titles_merged_header_totals_and_notes():
    layout = locate_table(grid_with_title_and_merged_header(), ROSTER)
    assert layout.header_rows == (2, 3)
    assert [c.label for c in layout.columns][-2:] == ["结对帮扶干部/姓名", "结对帮扶干部/工作单位"]
    assert layout.data_rows == [4, 6]
    assert (7, "totals") in layout.skipped and (8, "footer") in layout.skipped


def test_cadre_words_under_the_group_never_become_the_households():
    from app.io.layout import auto_mapping

    layout = locate_table(grid_with_title_and_merged_header(), HOUSEHOLDS)
    mapping = auto_mapping(layout.columns, HOUSEHOLDS)
    assert mapping[0] == "head_name" and 5 not in mapping and 6 not in mapping
