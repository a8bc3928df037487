"""What each import kind expects: its columns, the header words that name them, and how to parse them.

A ``ColumnSpec`` lists synonyms as officers write them (户主姓名/户主/姓名 …). Columns with ``group`` are
the paired cadre's: under a merged group header such as ``结对帮扶干部`` the short words (姓名, 工作单位,
职务, 联系电话) mean the cadre's, while the same words elsewhere mean the household's.
The same specs drive the blank templates (``templates``) and the ledgers' column order where they match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any

from app.domain import enums
from app.domain.enums import LabeledEnum
from app.io import values
from app.io.values import Parser
from app.services import fields
from app.services.records import FieldSpec


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    zh: str
    en: str
    parse: Parser
    synonyms: tuple[str, ...] = ()
    required: bool = False
    group: str | None = None  # "cadre": the paired cadre's column
    short: tuple[str, ...] = ()  # words that mean this column under a header of its group
    choices: type[LabeledEnum] | None = None  # for template drop-downs
    money: bool = False  # a header saying 万元 scales the values
    width: int = 12  # template / error-report column width

    def names(self) -> set[str]:
        return {normalize_header(s) for s in (self.zh, *self.synonyms)}

    @cached_property
    def field(self) -> FieldSpec:
        """The services' field (name and labels) the parser reports errors against."""
        return FieldSpec(self.key, self.zh, self.en)


@dataclass(frozen=True)
class ImportKind:
    name: str
    zh: str
    en: str
    columns: tuple[ColumnSpec, ...]
    identity: tuple[str, ...] = ()  # keys that identify a row: two rows with the same values are duplicates
    notes: tuple[str, ...] = field(default=())

    def column(self, key: str) -> ColumnSpec:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @property
    def required(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.required]


GROUP_WORDS: dict[str, tuple[str, ...]] = {"cadre": ("干部", "帮扶人", "责任人", "结对", "帮扶责任")}

_PARENS = re.compile(r"[（(][^）)]*[）)]")
_HEADER_NOISE = re.compile(r"[\s*:：※#]")


@lru_cache(maxsize=65536)  # also keys units and place names on every row of a large import
def normalize_header(label: Any) -> str:
    """``户主 姓名*``, ``身份证号码\n(18位)``, ``金额（元）`` → ``户主姓名``, ``身份证号码``, ``金额``."""
    text = values.to_halfwidth(values.cell_text(label)) if not isinstance(label, str) else label
    text = _PARENS.sub("", values.to_halfwidth(text))
    return _HEADER_NOISE.sub("", text).lower()


def group_of(label: str) -> str | None:
    norm = normalize_header(label)
    for group, words in GROUP_WORDS.items():
        if any(w in norm for w in words):
            return group
    return None


def _choice(enum: type[LabeledEnum]) -> Parser:
    return values.choice(enum)


def _text(max_len: int) -> Parser:
    return values.as_typed_text(fields.text(max_len))


# ------------------------------------------------------------------ reusable column blocks

VILLAGE = ColumnSpec(
    "village",
    "行政村",
    "Village",
    _text(50),
    ("村", "所在村", "村名", "村别", "行政村名称", "村社区", "所在行政村"),
    True,
)
TOWNSHIP = ColumnSpec("township", "乡镇", "Township", _text(50), ("乡镇街道", "所在乡镇", "乡镇名称", "乡（镇）"))
HEAD_ID = ColumnSpec(
    "head_id_number",
    "身份证号码",
    "Resident ID",
    values.resident_id,
    ("身份证号", "公民身份号码", "户主身份证号码", "户主身份证号", "身份证", "户主身份证", "证件号码"),
    True,
    width=22,
)
PERSONS = ColumnSpec(
    "persons",
    "计算人口",
    "Persons covered",
    values.person_count,
    ("享受人口", "家庭人口", "家庭人口数", "人口", "人口数", "计算人数"),
)

# On a roster: only read to turn a per-capita income column into the household's total.
HOUSEHOLD_SIZE = replace(
    PERSONS, zh="家庭人口", en="Household size", synonyms=("家庭人口数", "人口", "人口数", "计算人口", "享受人口")
)
HOUSEHOLD_COLUMNS = (
    TOWNSHIP,
    VILLAGE,
    ColumnSpec("natural_village", "自然村", "Natural village", _text(50), ("组", "村民小组", "自然村组")),
    ColumnSpec("head_name", "户主姓名", "Head's name", values.person_name, ("户主", "姓名", "户主名"), True),
    HEAD_ID,
    ColumnSpec(
        "phone", "联系电话", "Phone", values.phone, ("电话", "手机", "手机号码", "联系方式", "户主电话"), width=15
    ),
    ColumnSpec("address", "家庭住址", "Address", _text(200), ("住址", "地址", "家庭地址"), width=24),
    ColumnSpec(
        "category",
        "低收入农户类型",
        "Category",
        _choice(enums.HouseholdCategory),
        ("类别", "户类型", "农户类别", "类型", "低收入农户类别", "户别", "低收入农户类型"),
        True,
        choices=enums.HouseholdCategory,
        width=14,
    ),
    ColumnSpec(
        "causes",
        "致贫原因",
        "Poverty causes",
        values.causes,
        ("主要致贫原因", "致贫返贫原因", "贫困原因", "原因"),
        True,
        choices=enums.PovertyCause,
        width=16,
    ),
    ColumnSpec(
        "status",
        "状态",
        "Status",
        _choice(enums.HouseholdStatus),
        ("农户状态", "帮扶状态"),
        choices=enums.HouseholdStatus,
    ),
    ColumnSpec("status_date", "状态变更日期", "Status date", values.parse_date, ("退出日期", "状态日期")),
    ColumnSpec("status_reason", "状态变更原因", "Status reason", _text(200), ("退出原因", "状态原因")),
    ColumnSpec(
        "registered_on",
        "认定时间",
        "Registered on",
        values.parse_date,
        ("认定日期", "纳入时间", "登记日期", "建档时间"),
    ),
    ColumnSpec(
        "relocation", "异地搬迁", "Relocation", values.boolean, ("是否异地搬迁", "搬迁对象", "是否搬迁", "异地搬迁对象")
    ),
    ColumnSpec("note", "备注", "Note", _text(500), ("说明",), width=20),
)


def cadre_columns(grouped: bool, unit_required: bool = True) -> tuple[ColumnSpec, ...]:
    """The cadre's columns: grouped on a roster line (under ``结对帮扶干部``), plain on a cadres sheet."""
    group = "cadre" if grouped else None
    plain_name = () if grouped else ("姓名", "干部")
    plain_phone = () if grouped else ("联系电话", "电话", "手机", "手机号码", "联系方式")
    return (
        ColumnSpec(
            "cadre_name",
            "结对干部姓名" if grouped else "姓名",
            "Cadre",
            values.person_name,
            (
                "帮扶干部",
                "结对干部",
                "帮扶干部姓名",
                "结对干部姓名",
                "干部姓名",
                "帮扶人",
                "帮扶责任人",
                "结对帮扶干部",
                "帮扶人姓名",
                "结对帮扶干部姓名",
                "走访干部",
                "走访人",
                *plain_name,
            ),
            True,
            group,
            ("姓名", "干部姓名"),
        ),
        ColumnSpec(
            "cadre_unit",
            "工作单位",
            "Work unit",
            _text(100),
            (
                "帮扶干部单位",
                "干部单位",
                "帮扶单位",
                "干部工作单位",
                "所在单位",
                "单位",
                "单位名称",
                "结对帮扶干部工作单位",
            ),
            unit_required,
            group,
            ("工作单位", "单位", "所在单位", "单位名称"),
            width=22,
        ),
        ColumnSpec(
            "cadre_post",
            "职务",
            "Post",
            _text(50),
            ("干部职务", "帮扶干部职务", "职位"),
            False,
            group,
            ("职务", "职位"),
        ),
        ColumnSpec(
            "cadre_phone",
            "干部联系电话",
            "Cadre's phone",
            values.phone,
            ("干部电话", "帮扶干部电话", "干部联系电话", "帮扶人电话", "结对帮扶干部联系电话", *plain_phone),
            False,
            group,
            ("联系电话", "电话", "手机", "手机号码", "联系方式"),
            width=15,
        ),
    )


ROSTER = ImportKind(
    "roster",
    "结对帮扶花名册",
    "pairing roster",
    (
        *HOUSEHOLD_COLUMNS,
        # Optional on a roster line: an unpaired (or exited) household is a household row without a cadre;
        # a half-filled cadre is refused by the roster planner.
        *(replace(c, required=False) for c in cadre_columns(grouped=True)),
        ColumnSpec(
            "pairing_start", "结对时间", "Paired since", values.parse_date, ("结对日期", "结对开始时间", "帮扶开始时间")
        ),
        HOUSEHOLD_SIZE,
    ),
    identity=("head_id_number",),
)

INCOME = ImportKind(
    "income",
    "农户收入",
    "household income",
    (
        ColumnSpec("head_name", "户主姓名", "Head's name", values.person_name, ("户主", "姓名")),
        HEAD_ID,
        ColumnSpec("year", "年度", "Year", values.year, ("年份", "收入年度"), True),
        ColumnSpec(
            "total",
            "家庭年可支配收入",
            "Household disposable income (year)",
            values.money_fen,
            ("家庭年纯收入", "家庭可支配收入", "家庭纯收入", "家庭年收入", "年可支配收入", "可支配收入"),
            money=True,
            width=18,
        ),
        ColumnSpec(
            "per_capita",
            "人均可支配收入",
            "Per-capita disposable income",
            values.money_fen,
            ("人均纯收入", "人均年纯收入", "人均年可支配收入", "人均收入"),
            money=True,
            width=16,
        ),
        PERSONS,
    ),
    identity=("head_id_number", "year"),
    notes=(
        "家庭年可支配收入与人均可支配收入填一项即可；只填人均时按计算人口折算，未填人口则取该户当年12月31日的在册成员数。",
    ),
)

HOUSEHOLDS = ImportKind(
    "households", "低收入农户", "households", (*HOUSEHOLD_COLUMNS, HOUSEHOLD_SIZE), identity=("head_id_number",)
)

CADRES = ImportKind(
    "cadres",
    "帮扶干部",
    "cadres",
    (
        *cadre_columns(grouped=False),
        ColumnSpec("is_leader", "是否领导", "Leader", values.boolean, ("领导干部", "是否领导干部", "是否县级领导")),
        ColumnSpec(
            "department_level",
            "单位层级",
            "Unit level",
            _choice(enums.DepartmentLevel),
            ("层级", "单位级别"),
            choices=enums.DepartmentLevel,
        ),
        ColumnSpec(
            "department_kind",
            "单位性质",
            "Unit kind",
            _choice(enums.DepartmentKind),
            ("单位类型", "单位类别"),
            choices=enums.DepartmentKind,
        ),
    ),
    identity=("cadre_name", "cadre_unit", "cadre_phone"),
)

MEMBERS = ImportKind(
    "members",
    "家庭成员",
    "household members",
    (
        ColumnSpec(
            "household_id_number",
            "户主身份证号码",
            "Head's resident ID",
            values.resident_id,
            ("户主身份证号", "户主身份证", "户主证件号码"),
            True,
            width=22,
        ),
        ColumnSpec("name", "姓名", "Name", values.person_name, ("成员姓名", "家庭成员姓名", "家庭成员"), True),
        ColumnSpec(
            "id_number",
            "身份证号码",
            "Resident ID",
            values.resident_id,
            ("身份证号", "公民身份号码", "成员身份证号码", "成员身份证号", "身份证"),
            True,
            width=22,
        ),
        ColumnSpec(
            "relation",
            "与户主关系",
            "Relation",
            _choice(enums.Relation),
            ("关系", "家庭关系"),
            True,
            choices=enums.Relation,
        ),
        ColumnSpec(
            "health", "健康状况", "Health", _choice(enums.Health), ("健康状态", "身体状况"), choices=enums.Health
        ),
        ColumnSpec(
            "labour",
            "劳动能力",
            "Labour capacity",
            _choice(enums.LabourCapacity),
            ("劳动力状况", "劳动技能"),
            choices=enums.LabourCapacity,
        ),
        ColumnSpec(
            "employment",
            "务工状况",
            "Employment",
            _choice(enums.Employment),
            ("就业情况", "就业状态", "务工情况", "务工状态", "就业状况"),
            choices=enums.Employment,
        ),
        ColumnSpec(
            "school_stage",
            "在校情况",
            "School stage",
            _choice(enums.SchoolStage),
            ("在校生状况", "就学情况", "学段", "在校状况"),
            choices=enums.SchoolStage,
        ),
        ColumnSpec(
            "doctor_contract",
            "责任医生签约",
            "Family-doctor contract",
            values.boolean,
            ("家庭医生签约", "是否签约家庭医生", "是否签约", "签约情况"),
        ),
    ),
    identity=("household_id_number", "id_number"),  # one person may stand in two households' history
)

VISITS = ImportKind(
    "visits",
    "走访记录",
    "visits",
    (
        ColumnSpec(
            "household_id_number",
            "户主身份证号码",
            "Head's resident ID",
            values.resident_id,
            ("户主身份证号", "身份证号码", "身份证号", "农户身份证号码"),
            True,
            width=22,
        ),
        ColumnSpec("head_name", "户主姓名", "Head's name", values.person_name, ("户主", "走访对象", "农户姓名")),
        *cadre_columns(grouped=True, unit_required=False),
        ColumnSpec("visit_date", "走访日期", "Visit date", values.parse_date, ("走访时间", "日期"), True),
        ColumnSpec("mode", "走访方式", "Mode", _choice(enums.VisitMode), ("方式", "走访形式"), choices=enums.VisitMode),
        ColumnSpec("findings", "存在问题", "Findings", _text(1000), ("发现问题", "问题", "走访情况"), width=24),
        ColumnSpec(
            "measures",
            "帮扶措施",
            "Measures",
            _text(1000),
            ("办实事", "帮扶举措", "解决措施", "帮扶措施及成效"),
            width=24,
        ),
        ColumnSpec("follow_up", "待办事项", "Follow-up", _text(1000), ("后续跟进", "跟进事项"), width=20),
        ColumnSpec("follow_up_due", "办结期限", "Follow-up due", values.parse_date, ("跟进期限", "期限")),
        ColumnSpec("follow_up_closed_on", "办结日期", "Closed on", values.parse_date, ("办结时间", "完成日期")),
    ),
    identity=("household_id_number", "visit_date", "cadre_name"),
)

PROJECTS = ImportKind(
    "projects",
    "扶贫项目",
    "projects",
    (
        ColumnSpec("name", "项目名称", "Project", _text(100), ("项目",), True, width=24),
        ColumnSpec(
            "category",
            "项目类别",
            "Category",
            _choice(enums.ProjectCategory),
            ("类别", "项目类型"),
            True,
            choices=enums.ProjectCategory,
        ),
        ColumnSpec(
            "fund_source",
            "资金来源",
            "Fund source",
            _choice(enums.FundSource),
            ("资金性质", "资金类别"),
            True,
            choices=enums.FundSource,
            width=20,
        ),
        ColumnSpec("year", "年度", "Year", values.year, ("项目年度", "年份"), True),
        ColumnSpec("place", "实施地点", "Place", _text(50), ("项目地点", "所在地", "实施村", "地点", "实施乡镇"), True),
        ColumnSpec(
            "responsible_unit", "责任单位", "Responsible unit", _text(100), ("实施单位", "项目责任单位"), width=20
        ),
        ColumnSpec(
            "budget", "项目预算", "Budget", values.money_fen, ("预算", "总投资", "计划投资", "预算金额"), money=True
        ),
        ColumnSpec(
            "allocated", "已拨付资金", "Allocated", values.money_fen, ("已拨付", "拨付资金", "到位资金"), money=True
        ),
        ColumnSpec(
            "stage",
            "项目阶段",
            "Stage",
            _choice(enums.ProjectStage),
            ("阶段", "项目进度", "项目状态"),
            choices=enums.ProjectStage,
        ),
        ColumnSpec("start_date", "开工日期", "Start date", values.parse_date, ("开始日期", "开工时间")),
        ColumnSpec(
            "planned_end_date", "计划完成日期", "Planned end", values.parse_date, ("计划竣工日期", "计划完成时间")
        ),
        ColumnSpec("filed_on", "备案日期", "Filed on", values.parse_date, ("备案时间",)),
        ColumnSpec("description", "建设内容", "Description", _text(1000), ("项目内容", "备注"), width=24),
    ),
    identity=("name", "year", "place"),
)

VILLAGE_INCOME = ImportKind(
    "village-income",
    "村集体经济收入",
    "village collective income",
    (
        TOWNSHIP,
        VILLAGE,
        ColumnSpec("year", "年度", "Year", values.year, ("年份",), True),
        ColumnSpec(
            "income",
            "村集体经济收入",
            "Collective income",
            values.money_fen,
            ("集体经济收入", "总收入", "收入", "村级集体经济收入"),
            True,
            money=True,
            width=16,
        ),
        ColumnSpec(
            "operating_income", "经营性收入", "Operating income", values.money_fen, ("其中经营性收入",), money=True
        ),
        ColumnSpec("note", "备注", "Note", _text(500), ("说明",)),
    ),
    identity=("township", "village", "year"),
)

STATUS_CHANGES = ImportKind(
    "status-changes",
    "农户状态变更",
    "household status changes",
    (
        ColumnSpec("head_name", "户主姓名", "Head's name", values.person_name, ("户主", "姓名")),
        HEAD_ID,
        ColumnSpec(
            "status",
            "变更类型",
            "Change",
            _choice(enums.HouseholdStatus),
            ("状态变更", "变动类型", "退出类型", "农户状态", "户状态", "状态", "变更后状态"),
            True,
            choices=enums.HouseholdStatus,
        ),
        ColumnSpec(
            "status_date", "变更日期", "Date", values.parse_date, ("退出日期", "变动日期", "退出时间", "日期"), True
        ),
        ColumnSpec(
            "status_reason", "变更原因", "Reason", _text(200), ("退出原因", "变动原因", "原因", "说明"), True, width=24
        ),
    ),
    identity=("head_id_number",),
    notes=("退出、迁出、销户时结束该户的结对；重新纳入不恢复原结对。",),
)

KINDS: dict[str, ImportKind] = {
    k.name: k for k in (ROSTER, HOUSEHOLDS, MEMBERS, CADRES, VISITS, PROJECTS, VILLAGE_INCOME, STATUS_CHANGES, INCOME)
}

# "2016年人均可支配收入（元）", "2016年度家庭年纯收入", "家庭年可支配收入" (normalized: units in brackets dropped)
_INCOME_HEADER = re.compile(r"^(?:(?P<year>(?:19|20)\d\d)年度?)?(?P<who>家庭年?|全家|人均年?|年)?(?:可支配|纯)收入$")
INCOME_KINDS = ("roster", "households")  # kinds whose sheets may carry a year's household income


def income_header(label: str) -> tuple[int | None, str] | None:
    """(year or None, ``total`` | ``per_capita``) if the header names a household income column."""
    m = _INCOME_HEADER.match(normalize_header(label))
    if m is None:
        return None
    year = int(m.group("year")) if m.group("year") else None
    return year, "per_capita" if (m.group("who") or "").startswith("人均") else "total"


# ------------------------------------------------------------------ pairings other than a household's cadre


def _pairing_columns(
    subject: tuple[str, str, tuple[str, ...]],
    helper: tuple[str, str, tuple[str, ...]],
    extra: tuple[ColumnSpec, ...],
    *,
    household: bool,
    township: bool = True,
) -> tuple[ColumnSpec, ...]:
    """The columns of one pairing kind: who is helped (a place by name or code, or a household by its head's
    ID), who helps, since when."""
    subject_zh, subject_en, subject_words = subject
    helper_zh, helper_en, helper_words = helper
    return (
        *((replace(TOWNSHIP, synonyms=(*TOWNSHIP.synonyms, "所属乡镇")),) if township else ()),
        ColumnSpec("subject", subject_zh, subject_en, _text(50), subject_words, not household, width=14),
        *(
            (
                ColumnSpec(
                    "subject_id_number",
                    "户主身份证号码",
                    "Head's resident ID",
                    values.resident_id,
                    ("对象身份证号码", "身份证号码", "户主身份证号", "身份证号"),
                    width=22,
                ),
            )
            if household
            else ()
        ),
        ColumnSpec("helper_name", helper_zh, helper_en, _text(100), helper_words, True, width=18),
        *extra,
        ColumnSpec(
            "start",
            "结对时间",
            "Paired since",
            values.parse_date,
            ("开始日期", "结对日期", "结对开始日期", "结对开始时间"),
        ),
    )


_HELPER_UNIT = ColumnSpec(
    "helper_unit", "工作单位", "Work unit", _text(100), ("帮扶方单位", "单位", "所在单位"), width=18
)
_HELPER_PHONE = ColumnSpec("helper_phone", "联系电话", "Phone", values.phone, ("手机号码", "电话"))
_PLACE_OR_HOUSEHOLD = ("结对村/农户", "Village or household", ("行政村", "结对村", "帮扶对象", "结对对象", "户主姓名"))

TOWNSHIP_LEADER = ImportKind(
    "township-leader",
    "一乡一领导",
    "township–leader pairings",
    _pairing_columns(
        ("乡镇（街道）", "Township", ("乡镇", "乡镇街道", "结对乡镇", "帮扶对象", "结对对象")),
        ("领导姓名", "Leader", ("帮扶领导", "联系领导", "结对领导", "帮扶方", "姓名")),
        (_HELPER_UNIT, _HELPER_PHONE),
        household=False,
        township=False,  # the subject is the township
    ),
    identity=("subject",),
    notes=("找不到的领导干部按姓名、工作单位新建为领导干部；已有干部须已标为领导干部。",),
)
VILLAGE_DEPARTMENT = ImportKind(
    "village-department",
    "一村一部门",
    "village–department pairings",
    _pairing_columns(
        ("行政村", "Village", ("结对村", "帮扶对象", "结对对象", "村")),
        ("结对部门", "Department", ("帮扶部门", "帮扶单位", "结对单位", "部门", "单位", "帮扶方")),
        (),
        household=False,
    ),
    identity=("township", "subject", "helper_name"),
)
VILLAGE_ENTERPRISE = ImportKind(
    "village-enterprise",
    "村企结对",
    "village–enterprise pairings",
    _pairing_columns(
        _PLACE_OR_HOUSEHOLD,
        ("企业名称", "Enterprise", ("结对企业", "帮扶企业", "民营企业", "企业", "帮扶方")),
        (
            ColumnSpec(
                "credit_code",
                "统一社会信用代码",
                "Credit code",
                values.as_text(fields.credit_code),
                ("信用代码",),
                width=20,
            ),
        ),
        household=True,
    ),
    identity=("township", "subject", "subject_id_number", "helper_name"),
    notes=("结对农户填户主身份证号码；结对村只填行政村。",),
)
SAGE_PAIRING = ImportKind(
    "sage-pairing",
    "乡贤结对",
    "sage pairings",
    _pairing_columns(
        _PLACE_OR_HOUSEHOLD,
        ("乡贤姓名", "Sage", ("乡贤", "结对乡贤", "帮扶乡贤", "帮扶方", "姓名")),
        (
            ColumnSpec(
                "sage_kind", "乡贤类别", "Kind", _choice(enums.SageKind), ("类别", "类型"), choices=enums.SageKind
            ),
            _HELPER_PHONE,
        ),
        household=True,
    ),
    identity=("township", "subject", "subject_id_number", "helper_name"),
    notes=("乡贤按姓名和家乡村（结对村或结对农户所在村）查找；找不到时填了乡贤类别则新建。",),
)
PAIRINGS = ImportKind(
    "pairings",
    "结对关系（导出台账）",
    "pairings (the exported ledger)",
    (
        ColumnSpec(
            "pairing_kind", "结对类型", "Pairing kind", _choice(enums.PairingKind), (), True, choices=enums.PairingKind
        ),
        *_pairing_columns(
            _PLACE_OR_HOUSEHOLD,
            ("帮扶方", "Helper", ("帮扶人", "结对方")),
            (
                replace(_HELPER_UNIT, synonyms=("帮扶方单位",)),
                ColumnSpec("end", "结束日期", "Ended on", values.parse_date, ("结束时间",)),
                ColumnSpec("end_reason", "结束原因", "Why it ended", _choice(enums.PairingEndReason), ()),
                ColumnSpec("note", "备注", "Note", values.as_typed_text(fields.long_text), ()),
            ),
            household=True,
        ),
    ),
    notes=("导出的结对台账原样导入时不作任何改动；新的一户一干部结对请用花名册导入。",),
)
PAIRING_KINDS: dict[str, enums.PairingKind | None] = {
    "township-leader": enums.PairingKind.TOWNSHIP_LEADER,
    "village-department": enums.PairingKind.VILLAGE_DEPARTMENT,
    "village-enterprise": enums.PairingKind.VILLAGE_ENTERPRISE,
    "sage-pairing": enums.PairingKind.SAGE,
    "pairings": None,  # the kind is in each row
}
KINDS.update({k.name: k for k in (TOWNSHIP_LEADER, VILLAGE_DEPARTMENT, VILLAGE_ENTERPRISE, SAGE_PAIRING, PAIRINGS)})
