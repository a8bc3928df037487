"""Closed vocabularies of the domain (../shared/DOMAIN.md), stored as short English codes.

Each member carries its Chinese label (the source of truth for users) and an English one. ``from_label``
accepts the code, either label or a known synonym, so imports and the CLI can use the words people write.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self

_LABEL_INDEX: dict[type, dict[str, object]] = {}


UNKNOWN_ZH = "未填"
"""What a user sees for a fact nobody has recorded (NULL): its own value, never the same as "no"."""
UNKNOWN_EN = "Not recorded"


class LabeledEnum(StrEnum):
    """A StrEnum whose members are declared as ``CODE = ("code", "中文", "English", "synonym", ...)``."""

    zh: str
    en: str
    synonyms: tuple[str, ...]

    def __new__(cls, code: str, zh: str, en: str, *synonyms: str) -> Self:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.zh = zh
        obj.en = en
        obj.synonyms = synonyms
        return obj

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    @classmethod
    def from_label(cls, text: str) -> Self:
        """The member for a code, label or synonym (whitespace and case ignored); ValueError if none.
        The words are indexed once per enum: an Excel import looks up hundreds of thousands of cells."""
        index = _LABEL_INDEX.get(cls)
        if index is None:
            index = {}
            for member in cls:  # the first member naming a word wins, as in declaration order
                for name in (member.value, member.zh, member.en, *member.synonyms):
                    index.setdefault("".join(name.split()).lower(), member)
            _LABEL_INDEX[cls] = index
        try:
            return index["".join(str(text).split()).lower()]  # type: ignore[return-value]
        except KeyError:
            raise ValueError(text) from None

    @classmethod
    def label_of(cls, code: str | None, lang: str = "zh", missing: str = "未填") -> str:
        """The label of a stored code, for reports and lists; an empty code reads ``missing``, and a code this
        version does not know (from a newer peer) is shown as it is rather than dropped."""
        if not code:
            return missing
        member = cls._value2member_map_.get(code)
        return member.label(lang) if isinstance(member, LabeledEnum) else str(code)

    @classmethod
    def choices(cls, lang: str = "zh") -> list[tuple[str, str]]:
        return [(m.value, m.label(lang)) for m in cls]


class RegionLevel(LabeledEnum):
    CITY = ("city", "市", "City")
    COUNTY = ("county", "县（市、区）", "County", "县", "区", "县级市")
    TOWNSHIP = ("township", "乡镇（街道）", "Township", "乡镇", "乡", "镇", "街道")
    VILLAGE = ("village", "行政村（社区）", "Village", "村", "行政村", "社区")


class NodeRole(LabeledEnum):
    TOWNSHIP = ("township", "乡镇", "Township")
    COUNTY = ("county", "县（市、区）扶贫办", "County office", "县", "县扶贫办")
    CITY = ("city", "市扶贫办", "Municipal office", "市")


class HouseholdCategory(LabeledEnum):
    DIBAO = ("dibao", "低保户", "Minimum living allowance", "低保", "低保对象")
    DIBAO_EDGE = ("dibao_edge", "低保边缘户", "Marginal to allowance", "低边", "低保边缘", "边缘户")
    TEKUN = ("tekun", "特困供养", "Extreme-poverty support", "特困", "特困户", "特困供养人员", "五保", "五保户")
    OTHER = ("other", "其他低收入农户", "Other low-income", "其他", "一般低收入农户", "低收入农户")


class PovertyCause(LabeledEnum):
    ILLNESS = ("illness", "因病", "Illness", "病", "因病致贫")
    DISABILITY = ("disability", "因残", "Disability", "残", "因残致贫")
    SCHOOLING = ("schooling", "因学", "Schooling costs", "学", "因学致贫")
    DISASTER = ("disaster", "因灾", "Disaster", "灾", "因灾致贫")
    NO_LABOUR = ("no_labour", "缺劳力", "Lack of labour", "缺劳动力")
    NO_SKILLS = ("no_skills", "缺技术", "Lack of skills")
    NO_CAPITAL = ("no_capital", "缺资金", "Lack of capital")
    NO_LAND = ("no_land", "缺土地", "Lack of land")
    REMOTE = ("remote", "交通落后", "Poor transport", "交通条件落后")
    NO_DRIVE = ("no_drive", "发展动力不足", "Lack of drive", "自身发展动力不足")
    OTHER = ("other", "其他", "Other")


class HouseholdStatus(LabeledEnum):
    ACTIVE = ("active", "在册", "Active", "重新纳入", "纳入", "恢复")
    EXITED = ("exited", "退出", "Exited", "已退出", "脱贫")
    MOVED_OUT = ("moved_out", "迁出", "Moved out")
    CLOSED = ("closed", "销户", "Closed", "注销")


class Relation(LabeledEnum):
    HEAD = ("head", "户主", "Head")
    SPOUSE = ("spouse", "配偶", "Spouse", "妻", "夫", "妻子", "丈夫")
    CHILD = ("child", "子女", "Child", "子", "女", "儿子", "女儿", "长子", "长女", "次子", "次女")
    PARENT = ("parent", "父母", "Parent", "父亲", "母亲", "父", "母")
    GRANDCHILD = ("grandchild", "孙子女", "Grandchild", "孙子", "孙女", "外孙", "外孙女")
    CHILD_IN_LAW = ("child_in_law", "儿媳/女婿", "Child-in-law", "儿媳", "女婿")
    SIBLING = ("sibling", "兄弟姐妹", "Sibling", "兄", "弟", "姐", "妹")
    OTHER = ("other", "其他", "Other")


class Health(LabeledEnum):
    HEALTHY = ("healthy", "健康", "Healthy")
    CHRONIC = ("chronic", "慢性病", "Chronic illness", "长期慢性病")
    SERIOUS = ("serious", "大病", "Serious illness", "患有大病")
    DISABLED = ("disabled", "残疾", "Disabled")


class LabourCapacity(LabeledEnum):
    # The 全国扶贫开发信息系统 words: 技能劳动力, 普通劳动力, 弱劳动力或半劳动力, 丧失劳动力, 无劳动力.
    ABLE = ("able", "有劳动能力", "Able to work", "普通劳动力", "劳动力", "技能劳动力")
    WEAK = ("weak", "弱劳力", "Partly able", "弱劳动力", "半劳力", "弱劳动力或半劳动力", "半劳动力")
    NONE = ("none", "无劳动能力", "Unable to work", "丧失劳动力", "无劳力", "无劳动力")


class Employment(LabeledEnum):
    # National system words: 省外务工, 省内县外务工 (both outside the county), 县内务工, 务农.
    IN_COUNTY = ("in_county", "县内务工", "Working in county")
    OUT_COUNTY = ("out_county", "县外务工", "Working outside county", "外出务工", "省外务工", "省内县外务工")
    FARMING = ("farming", "务农", "Farming", "在家务农")
    PUBLIC_WELFARE = ("public_welfare", "公益性岗位", "Public-welfare job", "公益岗位")
    SELF_EMPLOYED = ("self_employed", "自主经营", "Self-employed", "自主创业", "个体经营")
    NONE = ("none", "无", "Not employed", "未就业", "无业")

    @property
    def employed(self) -> bool:
        return self is not Employment.NONE


class SchoolStage(LabeledEnum):
    # National system words: 学前教育, 小学在读, 初中在读, 高中在读, 中职, 高职, 本科及以上, 辍学, 非在校生.
    PRESCHOOL = ("preschool", "学龄前", "Pre-school", "学前", "幼儿园", "学前教育")
    PRIMARY = ("primary", "小学", "Primary school", "小学在读")
    JUNIOR = ("junior", "初中", "Junior secondary", "初中在读")
    SENIOR = ("senior", "高中", "Senior secondary", "普高", "高中在读")
    VOCATIONAL = ("vocational", "中职", "Vocational", "职高", "中专", "中职在读")
    TERTIARY = ("tertiary", "大专及以上", "College or higher", "大学", "大专", "本科", "高职", "本科及以上", "高职在读")
    DROPPED_OUT = ("dropped_out", "失学辍学", "Out of school", "辍学", "失学")
    NOT_STUDENT = ("not_student", "非在校生", "Not a student", "非学生", "无")


IN_SCHOOL_STAGES = frozenset(
    {SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.SENIOR, SchoolStage.VOCATIONAL, SchoolStage.TERTIARY}
)


class DepartmentLevel(LabeledEnum):
    CITY = ("city", "市级", "City", "市")
    COUNTY = ("county", "县级", "County", "县")
    TOWNSHIP = ("township", "乡镇级", "Township", "乡镇")


class DepartmentKind(LabeledEnum):
    PARTY_GOV = ("party_gov", "党政机关", "Party or government organ", "机关", "行政机关")
    INSTITUTION = ("institution", "事业单位", "Public institution", "事业")
    STATE_ENTERPRISE = ("state_enterprise", "国有企业", "State-owned enterprise", "国企")


class MemberLeftReason(LabeledEnum):
    """Why a member left the household (dated by ``Member.left_on``)."""

    MOVED_OUT = ("moved_out", "迁出", "Moved out", "户口迁出")
    MARRIED_OUT = ("married_out", "婚出", "Married out", "出嫁")
    DIED = ("died", "死亡", "Died", "去世", "身故")
    OTHER = ("other", "其他", "Other")


class CadreStatus(LabeledEnum):
    SERVING = ("serving", "在岗", "Serving", "在职")
    LEFT = ("left", "已调离", "Left", "调离", "离任", "退休")


class SageKind(LabeledEnum):
    SAGE = ("sage", "乡贤", "Local elite")
    CAPABLE = ("capable", "能人", "Capable person")
    LEADER = ("leader", "带头人", "Business leader", "致富带头人", "创业致富带头人")
    PHILANTHROPIST = ("philanthropist", "爱心人士", "Philanthropist")


class PairingKind(LabeledEnum):
    """The five pairings of the policy; see ``app.domain.pairing_rules`` for who pairs with whom."""

    TOWNSHIP_LEADER = ("township_leader", "一乡一领导", "Township–leader")
    VILLAGE_DEPARTMENT = ("village_department", "一村一部门", "Village–department")
    HOUSEHOLD_CADRE = ("household_cadre", "一户一干部", "Household–cadre")
    VILLAGE_ENTERPRISE = ("village_enterprise", "村企结对", "Village–enterprise")
    SAGE = ("sage", "乡贤结对", "Sage pairing", "一名乡贤帮一户", "十名乡贤帮一村")


class PairingEndReason(LabeledEnum):
    CADRE_LEFT = ("cadre_left", "干部调离", "Cadre left")
    HOUSEHOLD_EXITED = ("household_exited", "农户退出", "Household exited")
    REASSIGNED = ("reassigned", "调整结对", "Reassigned")
    GOAL_MET = ("goal_met", "帮扶目标完成", "Goal met")
    HELPER_WITHDREW = ("helper_withdrew", "帮扶方退出", "Helper withdrew")
    ERROR = ("error", "录入错误", "Entered in error")
    OTHER = ("other", "其他", "Other")


class VisitMode(LabeledEnum):
    HOME = ("home", "入户走访", "Home visit", "走访", "入户")
    PHONE = ("phone", "电话", "Phone", "电话联系", "电话回访")
    MEETING = ("meeting", "座谈", "Meeting", "座谈会")
    OTHER = ("other", "其他", "Other")


class BenefitKind(LabeledEnum):
    MICRO_LOAN = ("micro_loan", "扶贫小额信贷", "Small poverty loan", "小额信贷", "小额贷款")
    INDUSTRY_SUBSIDY = ("industry_subsidy", "产业奖补", "Industry subsidy", "产业补助", "产业奖励")
    TRAINING = ("training", "技能培训", "Skills training", "培训")
    PUBLIC_WELFARE_JOB = ("public_welfare_job", "公益性岗位", "Public-welfare job", "公益岗位")
    EDUCATION_AID = ("education_aid", "教育资助", "Education aid", "助学", "教育救助")
    MEDICAL_AID = ("medical_aid", "医疗救助", "Medical aid", "医疗补助")
    INSURANCE = ("insurance", "保险", "Insurance", "扶贫保险")
    OTHER = ("other", "其他", "Other")


class ProjectCategory(LabeledEnum):
    INDUSTRY = ("industry", "产业", "Industry", "产业扶贫")
    EMPLOYMENT = ("employment", "就业", "Employment", "就业扶贫")
    TECHNOLOGY = ("technology", "科技", "Technology")
    RELOCATION = ("relocation", "异地搬迁", "Relocation", "搬迁")
    COLLECTIVE = ("collective", "集体经济", "Collective economy")
    PIECEWORK = ("piecework", "来料加工", "Outsourced piecework")
    ECO_TOURISM = ("eco_tourism", "生态旅游/农家乐民宿", "Eco-tourism / homestays", "生态旅游", "农家乐", "民宿")
    ECOMMERCE = ("ecommerce", "电子商务", "E-commerce", "电商")
    SOLAR = ("solar", "光伏小康", "Solar", "光伏")
    HEALTH = ("health", "健康", "Health")
    EDUCATION = ("education", "教育", "Education")
    SOCIAL_SECURITY = ("social_security", "社保", "Social security")
    INFRASTRUCTURE = ("infrastructure", "设施建设", "Infrastructure", "基础设施")
    OTHER = ("other", "其他", "Other")


class FundSource(LabeledEnum):
    LIANGSHAN = ("liangshan", "两山建设财政专项激励资金", "Two Mountains incentive fund", "两山资金")
    SPECIAL = ("special", "财政专项扶贫资金", "Special poverty fund", "专项扶贫资金")
    OTHER_FISCAL = ("other_fiscal", "其他财政", "Other fiscal", "其他财政资金")
    SOCIAL = ("social", "社会资金", "Social funds", "社会捐助")
    FINANCE = ("finance", "金融", "Financial (loans)", "金融资金", "信贷")


class ProjectStage(LabeledEnum):
    PLAN = ("plan", "计划", "Planned")
    APPLY = ("apply", "申报", "Applied")
    APPROVE = ("approve", "审批", "Approved", "已审批")
    IMPLEMENT = ("implement", "实施", "Under way", "实施中", "在建")
    ACCEPT = ("accept", "验收", "Acceptance", "待验收")
    DONE = ("done", "完成", "Completed", "已完成")
    TERMINATED = ("terminated", "终止", "Terminated", "中止")


PROJECT_STAGE_ORDER = [
    ProjectStage.PLAN,
    ProjectStage.APPLY,
    ProjectStage.APPROVE,
    ProjectStage.IMPLEMENT,
    ProjectStage.ACCEPT,
    ProjectStage.DONE,
]


class ProjectPlaceLevel(LabeledEnum):
    COUNTY = ("county", "县", "County")
    TOWNSHIP = ("township", "乡镇", "Township")
    VILLAGE = ("village", "村", "Village")
