"""Realistic Lishui demo data: places, households, members, incomes, helpers, pairings, visits, projects.

``generate(db, households=N, seed=S, progress=cb, cancel=fn)`` fills a ledger through the audited bulk path
(``UnitOfWork.insert_rows``) in one transaction: cancelling leaves the database exactly as it was. The
scope follows the node: a township node gets its township (and the county and city above it), a county
node its county, a city node all nine counties. The same seed gives the same data (ids and stamps aside).

Some gaps and anomalies are planted on purpose so the dashboard and the anomaly report have something to
show: unpaired households, a weak village without a department, ended pairings kept as history, overdue
follow-ups and projects, a project spent above budget, a cadre over the cap, a resident ID registered
twice, a benefit and a visit after a household's exit, a visit before its pairing began.

No Qt. Call from a worker thread or the CLI; ``progress(done, total)`` counts households.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select

from app.domain import rules
from app.domain.enums import (
    BenefitKind,
    DepartmentKind,
    DepartmentLevel,
    Employment,
    FundSource,
    Health,
    HouseholdCategory,
    HouseholdStatus,
    LabourCapacity,
    NodeRole,
    PairingEndReason,
    PairingKind,
    PovertyCause,
    ProjectCategory,
    ProjectStage,
    RegionLevel,
    Relation,
    SageKind,
    SchoolStage,
    VisitMode,
)
from app.domain.lishui import lishui
from app.domain.lishui import villages as lishui_villages
from app.domain.models import (
    SYNCED_MODELS,
    Benefit,
    Cadre,
    Department,
    Enterprise,
    Household,
    IncomeRecord,
    Member,
    Pairing,
    Project,
    ProjectBeneficiary,
    ProjectProgress,
    Region,
    Sage,
    Synced,
    VillageIncome,
    Visit,
)
from app.domain.name_pinyin import name_initials, name_pinyin, reversed_id
from app.domain.validators import credit_code_check_char, id_check_digit
from app.errors import EXIT_PROBLEM, BangfuError
from app.ids import new_id
from app.services import settings
from app.services.uow import UnitOfWork
from app.storage.database import Database, bulk_write_cache, scan_cache

T = TypeVar("T")
FIRST_INCOME_YEAR = 2016
POLICY_START = date(2017, 10, 1)  # the municipal opinion of 2017-09-29
BATCH_HOUSEHOLDS = 2000
# The page cache of the one demo transaction. 1 GiB held the whole 20,000-household file (851 MB peak); with
# 128 MiB the process stays under 500 MB while the WAL grows no further than the file itself (measured at
# 20,000: WAL 517 MB for a 514 MB file) and CPU time is the same (27.5 s against 27.4 s).
CACHE_MB = 128
# Resident ID order codes: 500 per sex, prefix and birth day, handed out along a stride coprime with 500 from a
# start that varies with the day (born 1900-01-01 … 2099-12-31).
_ORDERS = 500
_ORDER_STEP = 137
_DAY_STEP = 211
_FIRST_BIRTH = date(1900, 1, 1).toordinal()
_BIRTH_DAYS = date(2100, 1, 1).toordinal() - _FIRST_BIRTH


class DemoCancelled(BangfuError):
    exit_code = EXIT_PROBLEM

    def __init__(self) -> None:
        super().__init__("已取消生成演示数据，数据库未改变。", "Demo generation cancelled; the database is unchanged.")


class DemoRefused(BangfuError):
    def __init__(self) -> None:
        super().__init__(
            "数据库中已有农户数据，演示数据只能写入空数据库。",
            "The database already holds households; demo data goes into an empty database only.",
        )


@dataclass(frozen=True)
class DemoResult:
    counts: dict[str, int]
    seconds: float
    scope_code: str

    def to_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "seconds": round(self.seconds, 2), "scope_code": self.scope_code}


# ------------------------------------------------------------------------------------------ vocabularies

# Weighted by how common the surnames are in Lishui (蓝、雷、钟 are the She people's, common in 景宁).
SURNAMES = (
    "陈78 王52 叶36 吴34 李40 张38 刘30 周26 徐25 林24 潘20 朱18 杨18 黄17 蓝14 雷14 胡14 何12 郑12 应10 "
    "钟10 毛10 金10 赵9 杜8 季8 柳7 项7 卢7 程6 丁6 梁6 麻5 范5 魏5 沈5 谢5 包4 邱4 鲍4 兰3 任3 蔡3 夏3"
)
MALE_CHARS = "伟强军平建国明华志勇文斌海林峰春生荣德庆福根土水金良发有忠祥东云龙兴宝新才松高成永立"
FEMALE_CHARS = "芳丽秀英红梅华兰珍玉凤琴美霞燕萍娟娇翠莲香桂彩雪月春菊琳婷敏静莉娥仙爱素"
VILLAGE_FIRST = "上下东西南北大小新前后石岩金溪竹梅黄白马龙高塘山桥坑源湖枫杨柳桃李陈吴叶周徐"
VILLAGE_SECOND = ("洋", "坑", "塘", "山", "口", "头", "源", "岙", "垟", "坪", "溪", "田", "湾", "岭", "坞", "庄", "店", "桥", "边", "背", "川", "宅", "垄", "畈")  # fmt: skip
NATURAL_SUFFIX = ("自然村", "坑", "后山", "外村", "里村")
COUNTY_DEPARTMENTS = [
    ("发展和改革局", DepartmentKind.PARTY_GOV),
    ("财政局", DepartmentKind.PARTY_GOV),
    ("农业农村局", DepartmentKind.PARTY_GOV),
    ("人力资源和社会保障局", DepartmentKind.PARTY_GOV),
    ("民政局", DepartmentKind.PARTY_GOV),
    ("卫生健康局", DepartmentKind.PARTY_GOV),
    ("教育局", DepartmentKind.PARTY_GOV),
    ("住房和城乡建设局", DepartmentKind.PARTY_GOV),
    ("交通运输局", DepartmentKind.PARTY_GOV),
    ("水利局", DepartmentKind.PARTY_GOV),
    ("人民医院", DepartmentKind.INSTITUTION),
    ("中医院", DepartmentKind.INSTITUTION),
    ("职业中等专业学校", DepartmentKind.INSTITUTION),
    ("农商银行", DepartmentKind.STATE_ENTERPRISE),
    ("国有资产投资经营有限公司", DepartmentKind.STATE_ENTERPRISE),
    ("供电公司", DepartmentKind.STATE_ENTERPRISE),
]
CITY_DEPARTMENTS = [
    ("丽水市发展和改革委员会", DepartmentKind.PARTY_GOV),
    ("丽水市财政局", DepartmentKind.PARTY_GOV),
    ("丽水市农业农村局", DepartmentKind.PARTY_GOV),
    ("丽水市民政局", DepartmentKind.PARTY_GOV),
    ("丽水市中心医院", DepartmentKind.INSTITUTION),
    ("丽水学院", DepartmentKind.INSTITUTION),
    ("丽水市城市建设投资有限责任公司", DepartmentKind.STATE_ENTERPRISE),
    ("国网丽水供电公司", DepartmentKind.STATE_ENTERPRISE),
]
TOWNSHIP_DEPARTMENTS = [
    ("党政办公室", DepartmentKind.PARTY_GOV),
    ("农业农村办公室", DepartmentKind.PARTY_GOV),
    ("社会事务办公室", DepartmentKind.PARTY_GOV),
    ("卫生院", DepartmentKind.INSTITUTION),
    ("中心学校", DepartmentKind.INSTITUTION),
]
POSTS = ("科员", "副科长", "科长", "主任科员", "办事员", "副主任", "职员", "干事")
LEADER_POSTS = ("党委书记", "镇长", "党委副书记", "人大主席", "副镇长")
ENTERPRISE_WORDS = ("农业开发", "茶业", "菌业", "竹木制品", "食品", "电子商务", "旅游开发", "生态农业", "五金", "阀门")
FINDINGS = (
    "家中老人患慢性病，需长期服药",
    "子女上学费用压力较大",
    "房屋漏雨，需修缮",
    "缺乏劳动技能，就业不稳定",
    "农产品销售渠道少",
    "生活基本稳定，无明显困难",
    "户主因病住院，家庭收入减少",
)
MEASURES = (
    "送去慰问品并宣传帮扶政策",
    "协助申请医疗救助",
    "对接公益性岗位",
    "联系技能培训",
    "帮助销售农产品",
    "协助办理低保年审材料",
    "帮助申请产业奖补",
)
FOLLOW_UPS = (
    "跟进医疗救助审批结果",
    "落实公益性岗位",
    "协调房屋修缮资金",
    "联系产业奖补申报",
    "帮助子女申请教育资助",
)
PROJECT_NAMES = {
    ProjectCategory.INDUSTRY: "高山蔬菜基地建设",
    ProjectCategory.EMPLOYMENT: "就业帮扶车间",
    ProjectCategory.TECHNOLOGY: "农技推广示范",
    ProjectCategory.RELOCATION: "异地搬迁安置小区配套",
    ProjectCategory.COLLECTIVE: "村集体物业用房",
    ProjectCategory.PIECEWORK: "来料加工点",
    ProjectCategory.ECO_TOURISM: "农家乐民宿提升改造",
    ProjectCategory.ECOMMERCE: "农村电商服务站",
    ProjectCategory.SOLAR: "光伏小康工程",
    ProjectCategory.HEALTH: "村卫生室标准化建设",
    ProjectCategory.EDUCATION: "低收入家庭学生资助",
    ProjectCategory.SOCIAL_SECURITY: "低收入农户参保补助",
    ProjectCategory.INFRASTRUCTURE: "道路硬化及饮水提升工程",
    ProjectCategory.OTHER: "人居环境整治",
}


class _Weighted:
    """Fast weighted choice over a fixed population (cumulative weights + bisect)."""

    def __init__(self, items: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in items]
        self.cumulative = list(itertools.accumulate(w for _, w in items))

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


_SURNAMES = _Weighted([(s[0], float(s[1:])) for s in SURNAMES.split()])
_CATEGORY = _Weighted(
    [
        (HouseholdCategory.DIBAO, 30),
        (HouseholdCategory.DIBAO_EDGE, 25),
        (HouseholdCategory.TEKUN, 8),
        (HouseholdCategory.OTHER, 37),
    ]
)
_CAUSE = _Weighted(
    [
        (PovertyCause.ILLNESS, 35),
        (PovertyCause.DISABILITY, 18),
        (PovertyCause.NO_LABOUR, 12),
        (PovertyCause.NO_SKILLS, 10),
        (PovertyCause.NO_CAPITAL, 7),
        (PovertyCause.SCHOOLING, 5),
        (PovertyCause.NO_DRIVE, 4),
        (PovertyCause.REMOTE, 3),
        (PovertyCause.DISASTER, 2),
        (PovertyCause.NO_LAND, 2),
        (PovertyCause.OTHER, 2),
    ]
)
_STATUS = _Weighted(
    [
        (HouseholdStatus.ACTIVE, 88),
        (HouseholdStatus.EXITED, 8),
        (HouseholdStatus.MOVED_OUT, 2),
        (HouseholdStatus.CLOSED, 2),
    ]
)
_SIZE = _Weighted([(1, 20), (2, 30), (3, 20), (4, 15), (5, 10), (6, 5)])
_JOB = _Weighted(
    [
        (Employment.IN_COUNTY, 42),
        (Employment.OUT_COUNTY, 25),
        (Employment.SELF_EMPLOYED, 10),
        (Employment.PUBLIC_WELFARE, 6),
        (Employment.NONE, 17),
    ]
)
_MODE = _Weighted([(VisitMode.HOME, 70), (VisitMode.PHONE, 22), (VisitMode.MEETING, 5), (VisitMode.OTHER, 3)])
_PROJECT_CATEGORY = _Weighted(
    [(c, 3 if c in (ProjectCategory.INDUSTRY, ProjectCategory.INFRASTRUCTURE) else 1) for c in ProjectCategory]
)
_FUND = _Weighted(
    [
        (FundSource.SPECIAL, 40),
        (FundSource.LIANGSHAN, 25),
        (FundSource.OTHER_FISCAL, 15),
        (FundSource.SOCIAL, 12),
        (FundSource.FINANCE, 8),
    ]
)


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[int(rng.random() * len(items))]


def _day_between(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return date.fromordinal(rng.randint(start.toordinal(), end.toordinal()))


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _years_ago(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# ------------------------------------------------------------------------------------------ places


@dataclass
class _Township:
    region_id: str
    code: str
    name: str
    county_code: str
    village_ids: list[str] = field(default_factory=list)
    village_names: dict[str, str] = field(default_factory=dict)
    departments: list[str] = field(default_factory=list)
    leader_department: str = ""
    quiet_village_ids: list[str] = field(default_factory=list)  # official villages with no demo household


@dataclass
class _Places:
    townships: list[_Township]
    county_departments: dict[str, list[str]]
    city_departments: list[str]
    weak_now: list[str]
    key_villages: list[str]
    village_township: dict[str, _Township]
    region_ids: dict[str, str]  # division code → id


def _scope_counties(db: Database) -> tuple[list[dict[str, Any]], str | None]:
    """The counties in the node's scope, and the one township code for a township node."""
    node = db.node
    counties = lishui()["counties"]
    if node.role == NodeRole.CITY:
        return counties, None
    chosen = [c for c in counties if c["code"] == node.code[:6]]
    if not chosen:
        raise BangfuError(
            f"节点区划代码 {node.code} 不在丽水市范围内。", f"The node code {node.code} is not in Lishui."
        )
    return chosen, (node.code if node.role == NodeRole.TOWNSHIP else None)


class _Generator:
    def __init__(self, db: Database, uow: UnitOfWork, rng: random.Random, households: int, today: date) -> None:
        self.db = db
        self.uow = uow
        self.rng = rng
        self.total = households
        self.today = today
        self.order_buckets: dict[tuple[str, bool], array[int]] = {}  # (prefix, male) → order codes issued a day
        self.counts: dict[str, int] = {}
        self.buffer: dict[type[Synced], list[dict[str, Any]]] = {}
        self.cap = int(settings.get(uow.session, "cadre_household_cap"))
        self.old_prefix = {c["code"]: c["old_id_prefix"] for c in lishui()["counties"]}

    # -- buffering ----------------------------------------------------------------------------------

    def add(self, model: type[Synced], row: dict[str, Any]) -> str:
        row.setdefault("id", new_id())
        self.buffer.setdefault(model, []).append(row)
        return str(row["id"])

    def flush(self) -> None:
        for model in SYNCED_MODELS:  # parents before children
            rows = self.buffer.pop(model, [])
            if rows:
                self.uow.insert_rows(model, rows, note="demo")
                name = model.__tablename__  # type: ignore[attr-defined]
                self.counts[name] = self.counts.get(name, 0) + len(rows)
        self.uow.flush()

    # -- people -------------------------------------------------------------------------------------

    def person_name(self, male: bool, surname: str | None = None) -> str:
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = _pick(self.rng, chars) + (_pick(self.rng, chars) if self.rng.random() < 0.7 else "")
        return (surname or _SURNAMES.pick(self.rng)) + given

    def resident_id(self, county: str, birth: date, male: bool) -> str:
        """A valid, unique 18-digit ID: region (older people often keep the pre-2000 丽水地区 code), birth
        date, an order code whose last digit is odd for men, and the GB 11643 check digit."""
        prefix = self.old_prefix[county] if birth.year < 1995 and self.rng.random() < 0.5 else county
        # The n-th person of a prefix, birth day and sex takes the n-th order code of that day's sequence: unique
        # without keeping every number issued (1.5 M strings at 500k households), two bytes a day instead.
        bucket = self.order_buckets.setdefault((prefix, male), array("H", bytes(2 * _BIRTH_DAYS)))
        day = min(max(birth.toordinal() - _FIRST_BIRTH, 0), _BIRTH_DAYS - 1)
        issued = bucket[day]
        if issued >= _ORDERS:
            raise BangfuError(
                "演示数据的身份证号已用尽。", "The demo ran out of resident ID numbers for one birth day."
            )
        bucket[day] = issued + 1
        order = (day * _DAY_STEP + issued * _ORDER_STEP) % _ORDERS * 2 + (1 if male else 0)
        first17 = f"{prefix}{birth:%Y%m%d}{order:03d}"
        return first17 + id_check_digit(first17)

    def phone(self) -> str:
        return _pick(self.rng, ("139", "138", "137", "158", "159", "187", "188", "135", "150")) + "".join(
            str(int(self.rng.random() * 10)) for _ in range(8)
        )

    # -- places -------------------------------------------------------------------------------------

    def existing_regions(self) -> dict[str, str]:
        session = self.uow.session
        rows = session.execute(select(Region.code, Region.id).where(Region.deleted.is_(False)))
        return {code: rid for code, rid in rows}

    def region(self, known: dict[str, str], code: str, name: str, level: RegionLevel, parent: str | None,
               **extra: Any) -> str:  # fmt: skip
        if code in known:
            return known[code]
        known[code] = self.add(Region, {"code": code, "name": name, "level": level.value, "parent_id": parent, **extra})
        return known[code]

    def places(self) -> _Places:
        counties, only_township = _scope_counties(self.db)
        known = self.existing_regions()
        city = lishui()["city"]
        city_id = self.region(known, city["code"], city["name"], RegionLevel.CITY, None)
        townships_all = [
            (c, t) for c in counties for t in c["townships"] if only_township is None or t["code"] == only_township
        ]
        if not townships_all:  # a township node whose code is not in the shipped list: make it up
            c = counties[0]
            townships_all = [(c, {"code": self.db.node.code, "name": self.db.node.name})]
        per_township = max(2, min(500, round(self.total / (len(townships_all) * 40))))
        townships: list[_Township] = []
        county_departments: dict[str, list[str]] = {}
        city_departments = (
            [self.department(n, DepartmentLevel.CITY, k, city_id) for n, k in CITY_DEPARTMENTS]
            if only_township is None and len(counties) > 1
            else []
        )
        for county in counties:
            county_id = self.region(known, county["code"], county["name"], RegionLevel.COUNTY, city_id)
            short = county["name"][:2]
            county_departments[county["code"]] = [
                self.department(f"{short}县{n}" if k != DepartmentKind.STATE_ENTERPRISE else f"{short}{n}",
                                DepartmentLevel.COUNTY, k, county_id)
                for n, k in COUNTY_DEPARTMENTS
            ]  # fmt: skip
        known_key: list[str] = []
        for county, town in townships_all:
            county_id = known[county["code"]]
            town_id = self.region(known, town["code"], town["name"], RegionLevel.TOWNSHIP, county_id)
            t = _Township(town_id, town["code"], town["name"], county["code"])
            t.departments = [
                self.department(f"{town['name']}{n}", DepartmentLevel.TOWNSHIP, k, town_id)
                for n, k in TOWNSHIP_DEPARTMENTS
            ]
            t.leader_department = t.departments[0]
            # The township's official villages (NBS 2023), as init creates them; made-up ones only for a
            # township the list does not know.
            every_official = [(v.code, v.name) for v in lishui_villages(town["code"])]
            official = every_official[:per_township]
            made_up = [(f"{town['code']}{200 + i:03d}", n) for i, n in enumerate(self.village_names(per_township))]
            for code, name in official or made_up:
                is_key = self.rng.random() < 0.15
                if code in known and is_key:  # made by init: flag it as the policy's key village it is here
                    village = self.uow.session.get(Region, known[code])
                    assert village is not None  # known: read from this ledger a moment ago
                    self.uow.update(village, is_key_village=True)
                    known_key.append(known[code])
                vid = self.region(known, code, name, RegionLevel.VILLAGE, town_id, is_key_village=is_key)
                t.village_ids.append(vid)
                t.village_names[vid] = name
            # init made every official village; those the demo puts no household in still keep accounts
            for code, name in every_official[per_township:]:
                if code in known:
                    t.quiet_village_ids.append(known[code])
                    t.village_names[known[code]] = name
            townships.append(t)
        key = known_key + [r["id"] for r in self.buffer.get(Region, []) if r.get("is_key_village")]
        weak = self.village_incomes([v for t in townships for v in [*t.village_ids, *t.quiet_village_ids]])
        village_township = {v: t for t in townships for v in [*t.village_ids, *t.quiet_village_ids]}
        return _Places(townships, county_departments, city_departments, weak, key, village_township, known)

    def village_names(self, count: int) -> list[str]:
        names: list[str] = []
        seen: set[str] = set()
        while len(names) < count:
            name = _pick(self.rng, VILLAGE_FIRST) + _pick(self.rng, VILLAGE_SECOND)
            if len(seen) >= len(VILLAGE_FIRST) * len(VILLAGE_SECOND):
                name += f"{len(names)}"
            if name in seen:
                continue
            seen.add(name)
            names.append(name + "村")
        return names

    def village_incomes(self, village_ids: list[str]) -> list[str]:
        """Collective income 2016→now: log-uniform start, 5–25% growth; returns the villages weak this year."""
        threshold = int(settings.get(self.uow.session, "weak_village_threshold_yuan"))
        weak_now: list[str] = []
        for vid in village_ids:
            income = math.exp(self.rng.uniform(math.log(20_000), math.log(400_000)))
            for year in range(FIRST_INCOME_YEAR, self.today.year + 1):
                fen = int(round(income, -2)) * 100
                self.add(VillageIncome, {"village_id": vid, "year": year, "income_fen": fen})
                income *= 1 + self.rng.uniform(0.05, 0.25)
            if fen < threshold * 100:
                weak_now.append(vid)
        return weak_now

    def department(self, name: str, level: DepartmentLevel, kind: DepartmentKind, region: str) -> str:
        return self.add(
            Department,
            {"name": name, "level": level.value, "kind": kind.value, "region_id": region, "phone": self.landline()},
        )

    def landline(self) -> str:
        return "0578-" + str(2000000 + int(self.rng.random() * 7999999))

    def cadre(self, department: str, *, leader: bool = False, post: str | None = None) -> str:
        male = self.rng.random() < 0.62
        name = self.person_name(male)
        return self.add(
            Cadre,
            {
                "name": name,
                "name_initials": name_initials(name),
                "department_id": department,
                "post": post or _pick(self.rng, POSTS),
                "phone": self.phone(),
                "is_leader": leader,
                "status": "serving",
            },
        )


# ------------------------------------------------------------------------------------------ households


@dataclass
class _Planted:
    first_head: tuple[str, str, date, bool, str] | None = None  # name, id, birth, male, township code
    duplicate_done: bool = False
    exited_benefit: bool = False
    exited_visit: bool = False
    early_visit: bool = False
    overloaded: bool = False


@dataclass
class _CadrePool:
    """Hands out cadres to a township's households; a new cadre when the current one is full."""

    gen: _Generator
    departments: list[str]
    planted: _Planted
    current: str = ""
    load: int = 0
    limit: int = 0

    def next(self, *, active: bool = True) -> str:
        """The cadre for the next household; ``active=False`` for a pairing that is already over (history),
        which does not count against the cadre's load."""
        if not self.current or self.load >= self.limit:
            self.current = self.gen.cadre(_pick(self.gen.rng, self.departments))
            self.load = 0
            self.limit = self.gen.rng.randint(4, self.gen.cap)
            if not self.planted.overloaded:  # one cadre over the cap
                self.limit = self.gen.cap + 2
                self.planted.overloaded = True
        self.load += active
        return self.current


def _household_rows(gen: _Generator, places: _Places, planted: _Planted, progress: Callable[[int, int], None] | None,
                    cancel: Callable[[], bool] | None) -> None:  # fmt: skip
    """All households with members, incomes, cadre pairings, visits, benefits."""
    rng = gen.rng
    villages = [v for t in places.townships for v in t.village_ids]
    # Uneven village sizes (Dirichlet-like weights), every household placed exactly once.
    weights = [rng.uniform(0.3, 1.7) for _ in villages]
    scale = gen.total / sum(weights)
    sizes = [int(w * scale) for w in weights]
    for i in range(gen.total - sum(sizes)):
        sizes[i % len(sizes)] += 1
    pools: dict[str, _CadrePool] = {}
    done = 0
    pending = 0
    for vid, size in zip(villages, sizes, strict=True):
        town = places.village_township[vid]
        pool = pools.get(town.code)
        if pool is None:
            departments = town.departments + places.county_departments[town.county_code]
            pool = pools[town.code] = _CadrePool(gen, departments, planted)
        for _ in range(size):
            _household(gen, town, vid, pool, planted, done == gen.total - 1)
            done += 1
            pending += 1
            if pending >= BATCH_HOUSEHOLDS:
                gen.flush()
                pending = 0
                if cancel and cancel():
                    raise DemoCancelled()
                if progress:
                    progress(done, gen.total)
    gen.flush()
    if progress:
        progress(done, gen.total)


def _household(gen: _Generator, town: _Township, vid: str, pool: _CadrePool, planted: _Planted,
               last: bool) -> None:  # fmt: skip
    rng, today = gen.rng, gen.today
    status = _STATUS.pick(rng)
    category = _CATEGORY.pick(rng)
    cause = _CAUSE.pick(rng)
    registered = _day_between(rng, date(FIRST_INCOME_YEAR, 1, 1), today - timedelta(days=400))
    status_date = _day_between(rng, registered + timedelta(days=365), today - timedelta(days=20)) if status != HouseholdStatus.ACTIVE else None  # fmt: skip
    head_male = rng.random() < 0.72
    head_birth = _day_between(rng, _years_ago(today, 86), _years_ago(today, 30))
    head_name = gen.person_name(head_male)
    head_id = gen.resident_id(town.county_code, head_birth, head_male)
    if planted.first_head is None:
        planted.first_head = (head_name, head_id, head_birth, head_male, town.code)
    elif last and not planted.duplicate_done:
        # The same person registered twice: in another village (and township, where there is one).
        head_name, head_id, head_birth, head_male, _ = planted.first_head
        planted.duplicate_done = True
    hid = gen.add(
        Household,
        {
            "village_id": vid,
            "natural_village": town.village_names[vid][:2] + _pick(rng, NATURAL_SUFFIX),
            "head_name": head_name,
            "head_id_number": head_id,
            "head_name_pinyin": name_pinyin(head_name),
            "head_name_initials": name_initials(head_name),
            "head_id_reversed": reversed_id(head_id),
            "phone": gen.phone() if rng.random() < 0.85 else None,
            "category": category.value,
            "primary_cause": cause.value,
            "other_causes": [c for c in ([_CAUSE.pick(rng).value] if rng.random() < 0.3 else []) if c != cause.value],
            "status": status.value,
            "status_date": status_date,
            "status_reason": None if status_date is None else "收入稳定超过标准" if status == HouseholdStatus.EXITED else None,
            "registered_on": registered,
            "relocation": rng.random() < 0.05,
        },
    )  # fmt: skip
    births = _members(gen, hid, town.county_code, cause, (head_name, head_id, head_birth, head_male))
    _incomes(gen, hid, registered, category, births)
    is_active = status == HouseholdStatus.ACTIVE
    _cadre_pairing(gen, hid, registered, status_date, pool, planted, is_active)
    _benefits(gen, hid, registered, status_date, planted)


def _health(rng: random.Random, age: int, cause: PovertyCause, head: bool) -> Health:
    x = rng.random()
    sick = 0.05 + age / 200 + (0.35 if head and cause == PovertyCause.ILLNESS else 0)
    disabled = 0.03 + (0.5 if head and cause == PovertyCause.DISABILITY else 0)
    if x < disabled:
        return Health.DISABLED
    if x < disabled + sick * 0.25:
        return Health.SERIOUS
    if x < disabled + sick:
        return Health.CHRONIC
    return Health.HEALTHY


def _labour(rng: random.Random, age: int, health: Health) -> LabourCapacity:
    if age < 16 or (health in (Health.DISABLED, Health.SERIOUS) and rng.random() < 0.8):
        return LabourCapacity.NONE
    if age >= 70:
        return LabourCapacity.NONE if rng.random() < 0.7 else LabourCapacity.WEAK
    if age >= 60 or health == Health.CHRONIC:
        return LabourCapacity.WEAK if rng.random() < 0.6 else LabourCapacity.ABLE
    return LabourCapacity.ABLE if rng.random() < 0.85 else LabourCapacity.WEAK


def _school(rng: random.Random, age: int, birth: date, today: date) -> SchoolStage:
    if age < 3:
        return SchoolStage.NOT_STUDENT
    if today < rules.school_start(birth):  # the 31 August rule: a child born in autumn starts a year later
        return SchoolStage.PRESCHOOL
    if age <= 15 and rng.random() < 0.004:  # rare, and exactly what the indicator must find
        return SchoolStage.DROPPED_OUT
    if age < 12:
        return SchoolStage.PRIMARY
    if age < 15:
        return SchoolStage.JUNIOR
    if age < 18:
        return SchoolStage.SENIOR if rng.random() < 0.6 else SchoolStage.VOCATIONAL
    if age < 22 and rng.random() < 0.35:
        return SchoolStage.TERTIARY
    return SchoolStage.NOT_STUDENT


def _members(gen: _Generator, hid: str, county: str, cause: PovertyCause,
             head: tuple[str, str, date, bool]) -> list[tuple[date, date | None, date | None]]:  # fmt: skip
    """Add the household's members; returns each one's (birth, joined, left) dates for the incomes."""
    rng, today = gen.rng, gen.today
    head_name, head_id, head_birth, head_male = head
    size = _SIZE.pick(rng)
    people: list[tuple[Relation, str, str, date, bool]] = [(Relation.HEAD, head_name, head_id, head_birth, head_male)]
    head_age = _age(head_birth, today)
    plan: list[tuple[Relation, int, bool | None]] = []
    if size >= 2:
        plan.append((Relation.SPOUSE, head_age + rng.randint(-5, 3), not head_male))
    for _ in range(size - len(plan) - 1):
        if head_age < 60 and rng.random() < 0.8:
            plan.append((Relation.CHILD, head_age - rng.randint(22, 36), None))
        elif head_age >= 55 and rng.random() < 0.6:
            plan.append((Relation.GRANDCHILD, head_age - rng.randint(45, 62), None))
        elif head_age < 55:
            plan.append((Relation.PARENT, head_age + rng.randint(22, 32), None))
        else:
            plan.append((Relation.CHILD, head_age - rng.randint(22, 36), None))
    # Children and grandchildren carry the father's surname (all SURNAMES are one character): the head's
    # when the head is a man; for a woman head, her late or absent husband's. Wives keep their own.
    family = head_name[0] if head_male else _SURNAMES.pick(rng)
    for relation, age, male_or_none in plan:
        age = max(0, min(age, 95))
        male = rng.random() < 0.5 if male_or_none is None else male_or_none
        end = _years_ago(today, age)
        birth = _day_between(rng, end - timedelta(days=364), end)
        inherits = relation in (Relation.CHILD, Relation.GRANDCHILD) or (relation is Relation.PARENT and male)
        surname = (family if relation is not Relation.PARENT or head_male else None) if inherits else None
        people.append((relation, gen.person_name(male, surname), gen.resident_id(county, birth, male), birth, male))
    spans: list[tuple[date, date | None, date | None]] = []
    for relation, name, number, birth, male in people:
        age = _age(birth, today)
        health = _health(rng, age, cause, relation == Relation.HEAD)
        labour = _labour(rng, age, health)
        school = _school(rng, age, birth, today)
        job = Employment.NONE
        if labour == LabourCapacity.ABLE and school == SchoolStage.NOT_STUDENT:
            job = _JOB.pick(rng)
        elif labour == LabourCapacity.WEAK and rng.random() < 0.2:
            job = Employment.PUBLIC_WELFARE
        history = _member_history(rng, relation, age, today)
        gen.add(
            Member,
            {
                "household_id": hid,
                "name": name,
                "id_number": number,
                "relation": relation.value,
                "sex": "male" if male else "female",
                "birth_date": birth,
                "health": health.value,
                "labour": labour.value,
                "employment": job.value,
                "school_stage": school.value,
                "doctor_contract": rng.random() < (0.97 if age >= 60 or health != Health.HEALTHY else 0.88),
            }
            | history,
        )
        spans.append((birth, history.get("joined_on"), history.get("left_on")))
    return spans


def _member_history(rng: random.Random, relation: Relation, age: int, today: date) -> dict[str, Any]:
    """Dated membership, plausibly rare: an elderly parent who died, a grown child who moved out, a spouse who
    married in; and a few facts not yet surveyed (未填), as a fresh register has."""
    history: dict[str, Any] = {}
    if relation is Relation.PARENT and age >= 75 and rng.random() < 0.08:
        history |= {"left_on": today - timedelta(days=rng.randint(30, 900)), "left_reason": "died"}
    elif relation is Relation.CHILD and age >= 22 and rng.random() < 0.05:
        history |= {"left_on": today - timedelta(days=rng.randint(30, 700)), "left_reason": "moved_out"}
    elif relation is Relation.SPOUSE and age < 35 and rng.random() < 0.3:
        history["joined_on"] = today - timedelta(days=rng.randint(200, 2500))
    if rng.random() < 0.02:
        history["doctor_contract"] = None
    if age >= 16 and rng.random() < 0.01:
        history["employment"] = None
    return history


def _incomes(gen: _Generator, hid: str, registered: date, category: HouseholdCategory,
             spans: list[tuple[date, date | None, date | None]]) -> None:  # fmt: skip
    """One record a year: the household's total disposable income and the persons it covers that year (the
    members on 31 December), as the national system records them."""
    rng = gen.rng
    income = rng.uniform(4000, 7500) if category == HouseholdCategory.DIBAO else rng.uniform(5500, 10000)
    for year in range(FIRST_INCOME_YEAR, gen.today.year + 1):
        end = date(year, 12, 31)
        persons = sum(1 for birth, joined, left in spans if rules.member_on(birth, joined, left, end))
        if year >= registered.year and persons:
            fen = round(income) * 100 * persons
            wage = int(fen * rng.uniform(0.2, 0.6))
            transfer = int(fen * rng.uniform(0.15, 0.4))
            gen.add(
                IncomeRecord,
                {
                    "household_id": hid,
                    "year": year,
                    "total_fen": fen,
                    "persons": persons,
                    "wage_fen": wage,
                    "transfer_fen": transfer,
                    "business_fen": fen - wage - transfer,
                    "property_fen": 0,
                },
            )
        income *= 1 + rng.gauss(0.10, 0.04)


def _cadre_pairing(gen: _Generator, hid: str, registered: date, status_date: date | None, pool: _CadrePool,
                   planted: _Planted, is_active: bool) -> None:  # fmt: skip
    rng, today = gen.rng, gen.today
    if is_active and rng.random() < 0.035:  # a deliberate gap: not paired (yet)
        return
    start = max(registered, POLICY_START) + timedelta(days=rng.randint(0, 60))
    if start >= today:
        start = today - timedelta(days=1)
    if rng.random() < 0.04:  # history: a first cadre moved on, the household was handed over
        handover = _day_between(rng, start + timedelta(days=90), (status_date or today) - timedelta(days=30))
        reason = PairingEndReason.CADRE_LEFT if rng.random() < 0.5 else PairingEndReason.REASSIGNED
        gen.add(Pairing, _pairing(pool.next(active=False), hid, start, handover, reason))
        start = handover
    cadre = pool.next(active=status_date is None)
    if status_date is not None:
        gen.add(Pairing, _pairing(cadre, hid, start, status_date, PairingEndReason.HOUSEHOLD_EXITED))
        if not planted.exited_visit:  # a visit dated after the household's exit
            planted.exited_visit = True
            _visit(gen, cadre, hid, status_date + timedelta(days=10))
        return
    gen.add(Pairing, _pairing(cadre, hid, start))
    _visits(gen, cadre, hid, start, planted)


def _pairing(cadre: str, hid: str, start: date, end: date | None = None,
             reason: PairingEndReason | None = None) -> dict[str, Any]:  # fmt: skip
    return {
        "kind": PairingKind.HOUSEHOLD_CADRE.value,
        "subject_household_id": hid,
        "helper_cadre_id": cadre,
        "start_date": start,
        "end_date": end,
        "end_reason": reason.value if reason else None,
    }


def _visits(gen: _Generator, cadre: str, hid: str, start: date, planted: _Planted) -> None:
    """Visits over the past year, 20–80 days apart, each with a chance of a follow-up."""
    rng, today = gen.rng, gen.today
    day = max(start, today - timedelta(days=365)) + timedelta(days=rng.randint(0, 40))
    if not planted.early_visit:  # a visit dated before its pairing began
        planted.early_visit = True
        _visit(gen, cadre, hid, start - timedelta(days=12))
    while day <= today:
        _visit(gen, cadre, hid, day)
        day += timedelta(days=rng.randint(20, 80))


def _visit(gen: _Generator, cadre: str, hid: str, day: date) -> None:
    rng, today = gen.rng, gen.today
    row: dict[str, Any] = {
        "cadre_id": cadre,
        "household_id": hid,
        "visit_date": day,
        "mode": _MODE.pick(rng).value,
        "findings": _pick(rng, FINDINGS),
        "measures": _pick(rng, MEASURES),
    }
    if rng.random() < 0.15:
        due = day + timedelta(days=rng.randint(15, 45))
        row["follow_up"] = _pick(rng, FOLLOW_UPS)
        row["follow_up_due"] = due
        if due < today and rng.random() < 0.92:
            row["follow_up_closed_on"] = _day_between(rng, day + timedelta(days=3), due)
            row["follow_up_result"] = "已办结"
    gen.add(Visit, row)


def _benefits(gen: _Generator, hid: str, registered: date, status_date: date | None, planted: _Planted) -> None:
    rng, today = gen.rng, gen.today
    if status_date is not None and not planted.exited_benefit:  # a benefit paid after the exit
        planted.exited_benefit = True
        gen.add(Benefit, {"household_id": hid, "kind": BenefitKind.MEDICAL_AID.value,
                          "benefit_date": status_date + timedelta(days=30), "amount_fen": 150_000})  # fmt: skip
    if rng.random() >= 0.35:
        return
    end = status_date or today
    start = min(end, max(registered, today - timedelta(days=3 * 365)))
    for _ in range(rng.randint(1, 3)):
        kind = _pick(rng, list(BenefitKind))
        amount = {"micro_loan": 5_000_000, "industry_subsidy": 300_000, "training": 0}.get(kind.value, 200_000)
        gen.add(
            Benefit,
            {
                "household_id": hid,
                "kind": kind.value,
                "benefit_date": _day_between(rng, start, end),
                "amount_fen": int(amount * rng.uniform(0.5, 1.5)) // 100 * 100,
                "provider": None,
            },
        )


# ------------------------------------------------------------------------------------------ helpers of places


def _place_pairings(gen: _Generator, places: _Places) -> None:
    """一乡一领导 for every township (one gap where there are many), 一村一部门 for key/weak villages
    (one weak village left out), village–enterprise and sage pairings, with some ended history."""
    rng, today = gen.rng, gen.today
    many = len(places.townships) > 3
    for i, town in enumerate(places.townships):
        if many and i % 15 == 7:
            continue  # a township whose leader left and nobody has been named yet
        start = POLICY_START + timedelta(days=rng.randint(0, 90))
        if rng.random() < 0.3:
            former = gen.cadre(town.leader_department, leader=True, post=_pick(rng, LEADER_POSTS))
            handover = _day_between(rng, start + timedelta(days=200), today - timedelta(days=60))
            gen.add(Pairing, {"kind": PairingKind.TOWNSHIP_LEADER.value, "subject_region_id": town.region_id,
                              "helper_cadre_id": former, "start_date": start, "end_date": handover,
                              "end_reason": PairingEndReason.CADRE_LEFT.value})  # fmt: skip
            start = handover
        leader = gen.cadre(town.leader_department, leader=True, post=_pick(rng, LEADER_POSTS))
        gen.add(Pairing, {"kind": PairingKind.TOWNSHIP_LEADER.value, "subject_region_id": town.region_id,
                          "helper_cadre_id": leader, "start_date": start})  # fmt: skip
    weak = set(places.weak_now)
    targets = [v for v in places.village_township if v in weak or v in set(places.key_villages)]
    left_out = next((v for v in targets if v in weak), None)
    for vid in targets:
        if vid == left_out:
            continue
        town = places.village_township[vid]
        helpers = places.county_departments[town.county_code] + places.city_departments
        gen.add(Pairing, {"kind": PairingKind.VILLAGE_DEPARTMENT.value, "subject_region_id": vid,
                          "helper_department_id": _pick(rng, helpers),
                          "start_date": POLICY_START + timedelta(days=rng.randint(0, 120))})  # fmt: skip
    _enterprises_and_sages(gen, places)


def _enterprises_and_sages(gen: _Generator, places: _Places) -> None:
    rng = gen.rng
    for town in places.townships:
        county_id = places.region_ids[town.county_code]
        enterprises = []
        for _ in range(max(1, len(town.village_ids) // 8)):
            first17 = "91" + town.county_code + "".join(_pick(rng, "0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            enterprises.append(gen.add(Enterprise, {
                "name": f"{town.name[:2]}{_pick(rng, ENTERPRISE_WORDS)}有限公司{'' if rng.random() < 0.5 else '（分公司）'}",
                "credit_code": first17 + credit_code_check_char(first17), "contact": gen.person_name(True),
                "phone": gen.phone(), "region_id": county_id}))  # fmt: skip
        for vid in town.village_ids:
            if rng.random() < 0.12:
                gen.add(Pairing, {"kind": PairingKind.VILLAGE_ENTERPRISE.value, "subject_region_id": vid,
                                  "helper_enterprise_id": _pick(rng, enterprises),
                                  "start_date": _day_between(rng, POLICY_START, gen.today)})  # fmt: skip
            if rng.random() < 0.2:
                for _ in range(rng.randint(1, 10)):
                    sage = gen.add(Sage, {"name": gen.person_name(rng.random() < 0.8),
                                          "kind": _pick(rng, list(SageKind)).value, "phone": gen.phone(),
                                          "home_village_id": vid})  # fmt: skip
                    gen.add(Pairing, {"kind": PairingKind.SAGE.value, "subject_region_id": vid,
                                      "helper_sage_id": sage,
                                      "start_date": _day_between(rng, POLICY_START, gen.today)})  # fmt: skip


# ------------------------------------------------------------------------------------------ projects

_STAGES_BY_AGE = {
    2: _Weighted([(ProjectStage.DONE, 80), (ProjectStage.ACCEPT, 8), (ProjectStage.IMPLEMENT, 10),
                  (ProjectStage.TERMINATED, 2)]),
    1: _Weighted([(ProjectStage.DONE, 50), (ProjectStage.ACCEPT, 20), (ProjectStage.IMPLEMENT, 25),
                  (ProjectStage.APPROVE, 5)]),
    0: _Weighted([(ProjectStage.PLAN, 15), (ProjectStage.APPLY, 15), (ProjectStage.APPROVE, 25),
                  (ProjectStage.IMPLEMENT, 40), (ProjectStage.ACCEPT, 5)]),
}  # fmt: skip
_PERCENT = {ProjectStage.IMPLEMENT: (20, 90), ProjectStage.ACCEPT: (100, 100), ProjectStage.DONE: (100, 100),
            ProjectStage.TERMINATED: (10, 40)}  # fmt: skip


def _projects(gen: _Generator, places: _Places) -> None:
    rng, today = gen.rng, gen.today

    def active_households(village_id: str) -> list[str]:
        """Read back from the open transaction: 500k ids held in memory until now cost ~45 MB."""
        return list(
            gen.uow.session.scalars(
                select(Household.id)
                .where(Household.village_id == village_id, Household.status == HouseholdStatus.ACTIVE.value)
                .order_by(Household.id)
            )
        )

    count = max(8, gen.total // 100)
    villages = list(places.village_township)
    # A township places its projects in its own division: a county project is the county's to record.
    township_node = gen.db.node.role == NodeRole.TOWNSHIP
    levels = _Weighted([("village", 70), ("township", 25)] + ([] if township_node else [("county", 5)]))
    for n in range(count):
        vid = _pick(rng, villages)
        town = places.village_township[vid]
        level = levels.pick(rng)
        region = {"village": vid, "township": town.region_id, "county": places.region_ids[town.county_code]}[level]
        place_name = {"village": town.village_names[vid], "township": town.name, "county": ""}[level]
        age = rng.choice((0, 1, 2))
        year = today.year - age
        stage: ProjectStage = _STAGES_BY_AGE[age].pick(rng)
        category: ProjectCategory = _PROJECT_CATEGORY.pick(rng)
        budget = int(math.exp(rng.uniform(math.log(50_000), math.log(1_500_000))) // 1000) * 1000 * 100
        start = date(year, rng.randint(2, 6), 1)
        planned_end = start + timedelta(days=rng.randint(180, 420))
        started = stage not in (ProjectStage.PLAN, ProjectStage.APPLY)
        allocated = 0 if not started else budget if stage in (ProjectStage.ACCEPT, ProjectStage.DONE) else int(
            budget * rng.uniform(0.3, 1.0)) // 100 * 100  # fmt: skip
        pid = gen.add(Project, {
            "name": f"{place_name}{PROJECT_NAMES[category]}项目", "category": category.value,
            "fund_source": _FUND.pick(rng).value, "year": year, "place_level": level, "region_id": region,
            "responsible_unit": f"{town.name}人民政府" if level != "county" else "县农业农村局",
            "budget_fen": budget, "allocated_fen": allocated, "stage": stage.value,
            "start_date": start if started else None, "planned_end_date": planned_end,
            "completed_on": _day_between(rng, planned_end - timedelta(days=60), min(today, planned_end + timedelta(days=60)))
            if stage == ProjectStage.DONE else None,
            "filed_on": start + timedelta(days=rng.randint(5, 40)) if started and rng.random() < 0.9 else None,
        })  # fmt: skip
        if stage in _PERCENT:
            overspent = n % 60 == 5  # disbursement above budget, now and then
            _progress(gen, pid, budget, start, stage, overspent)
        households = active_households(vid) if level == "village" else []
        if households:
            for hid in rng.sample(households, min(len(households), rng.randint(3, 15))):
                gen.add(ProjectBeneficiary, {"project_id": pid, "household_id": hid})
    gen.flush()


def _progress(gen: _Generator, pid: str, budget: int, start: date, stage: ProjectStage, overspent: bool) -> None:
    rng = gen.rng
    low, high = _PERCENT[stage]
    final = rng.randint(low, high)
    steps = rng.randint(1, 4)
    marks = [*sorted(rng.randint(5, final) for _ in range(steps - 1)), final]
    spent_share = 1.12 if overspent else 1.0
    done = 0
    day = start
    for mark in marks:
        day = min(gen.today, day + timedelta(days=rng.randint(20, 90)))
        amount = int(budget * (mark - done) / 100 * spent_share) // 100 * 100
        gen.add(ProjectProgress, {"project_id": pid, "entry_date": day, "percent": mark, "amount_fen": amount,
                                  "note": "按进度拨付"})  # fmt: skip
        done = mark


# ------------------------------------------------------------------------------------------ entry point


def generate(
    db: Database,
    households: int = 2000,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    today: date | None = None,
) -> DemoResult:
    """Fill ``db`` (with a node identity, no households yet) with demo data for the node's scope.

    One transaction: on ``cancel()`` returning True (checked between batches) or any error nothing is kept.
    """
    if households < 1:
        raise BangfuError("农户数应为正数。", "The number of households must be positive.", field="households")
    started = time.perf_counter()
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(Household)):
            raise DemoRefused()
    rng = random.Random(seed)
    with UnitOfWork(db, actor="demo") as uow, bulk_write_cache(uow.session.connection(), CACHE_MB):
        gen = _Generator(db, uow, rng, households, today or date.today())
        places = gen.places()
        gen.flush()
        planted = _Planted()
        _household_rows(gen, places, planted, progress, cancel)
        _place_pairings(gen, places)
        gen.flush()
        _projects(gen, places)
        if cancel and cancel():
            raise DemoCancelled()
        counts = dict(gen.counts)
    # Fresh statistics let the query planner pick the indexes the indicators were designed for.
    # (ANALYZE is understood by SQLite and PostgreSQL alike.)
    # A small page cache: ANALYZE reads every page once, and the usual 256 MiB cache would keep them (measured:
    # +113 MB peak at 40k households, 774 MB peak at 500k).
    with db.engine.begin() as conn, scan_cache(conn):
        conn.exec_driver_sql("ANALYZE")
    return DemoResult(counts, time.perf_counter() - started, db.node.code)
