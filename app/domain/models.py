"""The domain of ../shared/DOMAIN.md as SQLAlchemy 2 typed declarative models (the ORM classes are the entities).

Every synced row has a UUIDv7 text key made offline (``app.ids.new_id``), the node that created it, a hybrid
logical clock stamp of its last change (``hlc``) and per-field stamps for fields changed after creation
(``field_hlc``), so sync can merge per field. Nothing is hard-deleted: ``deleted`` is the tombstone. Money is
integer fen (``*_fen``), dates are ``date``, timestamps timezone-aware UTC.

Writes go through ``app.services.uow.UnitOfWork`` only, which stamps, audits and validates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.audit_codec import AuditDocument, AuditHash, AuditId, AuditTime


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python, naive UTC in the database (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


uuid_pk = Annotated[str, mapped_column(String(36), primary_key=True)]
uuid_ref = Annotated[str, mapped_column(String(36))]
code = Annotated[str, mapped_column(String(32))]
name = Annotated[str, mapped_column(String(100))]
fen = Annotated[int, mapped_column(BigInteger)]
text = Annotated[str, mapped_column(Text)]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class Synced:
    """Columns every synced entity has. ``SYNC_EXCLUDE`` lists columns that are not merged field by field."""

    id: Mapped[uuid_pk]
    origin_node: Mapped[str] = mapped_column(String(12))
    hlc: Mapped[str] = mapped_column(String(40))
    field_hlc: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    SYNC_EXCLUDE = frozenset({"id", "origin_node", "hlc", "field_hlc", "created_at", "updated_at"})
    # Set to True on append-only records (visits, benefits, progress entries): they never conflict.
    APPEND_ONLY = False


# ---------------------------------------------------------------- places


class Region(Synced, Base):
    """A place: city (市), county (县), township (乡镇) or village (行政村), keyed by its division code."""

    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[name]
    level: Mapped[str] = mapped_column(String(12))  # RegionLevel
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    is_key_village: Mapped[bool] = mapped_column(Boolean, default=False)  # 扶贫重点村
    note: Mapped[str | None] = mapped_column(Text)

    parent: Mapped[Region | None] = relationship(remote_side="Region.id")
    __table_args__ = (Index("ix_region_parent_level", "parent_id", "level"),)


class VillageIncome(Synced, Base):
    """A village's collective economic income (村集体经济收入) for a year; < 100,000 yuan = weak village."""

    __tablename__ = "village_income"
    village_id: Mapped[str] = mapped_column(ForeignKey("region.id"))
    year: Mapped[int] = mapped_column(Integer)
    income_fen: Mapped[fen]
    operating_income_fen: Mapped[int | None] = mapped_column(BigInteger)  # 经营性收入, optional
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("village_id", "year", name="uq_village_income_village_year"),)


# ---------------------------------------------------------------- households


class Household(Synced, Base):
    """A low-income household (低收入农户), identified by the head's resident ID."""

    __tablename__ = "household"
    village_id: Mapped[str] = mapped_column(ForeignKey("region.id"))
    natural_village: Mapped[str | None] = mapped_column(String(50))  # 自然村
    head_name: Mapped[name]
    head_id_number: Mapped[str] = mapped_column(String(18))
    head_name_pinyin: Mapped[str] = mapped_column(String(200), default="")  # "wangfang", for search
    head_name_initials: Mapped[str] = mapped_column(String(20), default="")  # "wf"
    head_id_reversed: Mapped[str] = mapped_column(String(18), default="")  # for ID-suffix search by prefix
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(16))  # HouseholdCategory
    primary_cause: Mapped[str] = mapped_column(String(16))  # PovertyCause
    other_causes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="active")  # HouseholdStatus
    status_date: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str | None] = mapped_column(Text)
    registered_on: Mapped[date | None] = mapped_column(Date)
    relocation: Mapped[bool] = mapped_column(Boolean, default=False)  # 异地搬迁对象
    relocation_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    village: Mapped[Region] = relationship()
    __table_args__ = (
        Index("ix_household_village_status", "village_id", "status"),
        Index("ix_household_id_number", "head_id_number"),
        Index("ix_household_initials", "head_name_initials"),
        Index("ix_household_pinyin", "head_name_pinyin"),
        Index("ix_household_id_reversed", "head_id_reversed"),
        Index("ix_household_name", "head_name"),
        # Covering index of the indicators: active households by village, read without touching the rows.
        # registered_on and status_date: "on the register on the reference date" is read from the index too.
        Index(
            "ix_household_active", "status", "deleted", "village_id", "category", "id", "registered_on", "status_date"
        ),
        # The same columns led by village: the indicators' per-village sums read a village's households (or all
        # of them, in village order for the grouping) from the index alone (migration 0011_indicator_partials).
        Index(
            "ix_household_village_facts",
            "village_id",
            "deleted",
            "status",
            "category",
            "id",
            "registered_on",
            "status_date",
        ),
        # The same columns led by id: a member or record found first checks its household from the index.
        Index(
            "ix_household_id_active",
            "id",
            "status",
            "deleted",
            "village_id",
            "category",
            "registered_on",
            "status_date",
        ),
    )


class HouseholdSpell(Synced, Base):
    """An earlier period a household was on the register (认定 → 退出/迁出/销户), kept when it re-enters (重新纳入):
    the household row holds the current period, these the closed ones, so any date reads the register as it
    stood (``app.domain.rules.on_register``)."""

    __tablename__ = "household_spell"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    registered_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date] = mapped_column(Date)
    left_status: Mapped[str] = mapped_column(String(12))  # HouseholdStatus it left with
    left_reason: Mapped[str | None] = mapped_column(Text)
    reentered_on: Mapped[date] = mapped_column(Date)
    reentry_reason: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_household_spell_household", "household_id", "deleted", "registered_on", "left_on"),)


class Member(Synced, Base):
    """A member of a household (家庭成员), the head included."""

    __tablename__ = "member"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    name: Mapped[name]
    id_number: Mapped[str | None] = mapped_column(String(18))
    relation: Mapped[str] = mapped_column(String(16))  # Relation
    sex: Mapped[str | None] = mapped_column(String(6))  # derived from the ID
    birth_date: Mapped[date | None] = mapped_column(Date)  # derived from the ID
    # Every fact below may be 未填 (unknown): NULL, never the same as "no".
    health: Mapped[str | None] = mapped_column(String(12))  # Health
    labour: Mapped[str | None] = mapped_column(String(12))  # LabourCapacity
    employment: Mapped[str | None] = mapped_column(String(16))  # Employment
    school_stage: Mapped[str | None] = mapped_column(String(16))  # SchoolStage
    doctor_contract: Mapped[bool | None] = mapped_column(Boolean)  # 责任医生签约
    # Dated membership: joined (迁入/婚入) and left (迁出/死亡…) with the reason; birth is ``birth_date``.
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(16))  # MemberLeftReason
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_member_household", "household_id"),
        Index("ix_member_id_number", "id_number"),
        # Covering index of the member-based indicators (labour, school, family doctor).
        Index(
            "ix_member_household_facts",
            "household_id",
            "deleted",
            "labour",
            "employment",
            "doctor_contract",
            "birth_date",
            "school_stage",
            "joined_on",
            "left_on",
        ),
        # School-age children: a birth-date range scan (a tenth of the members) instead of every household.
        Index("ix_member_birth_facts", "birth_date", "deleted", "household_id", "school_stage", "joined_on", "left_on"),
        # Households with a member whose doctor contract is 未填 (数据不全): only those members are in it.
        Index(
            "ix_member_doctor_unknown",
            "household_id",
            "deleted",
            "doctor_contract",
            "birth_date",
            "joined_on",
            "left_on",
            sqlite_where=sql_text("doctor_contract IS NULL"),
            postgresql_where=sql_text("doctor_contract IS NULL"),
        ),
    )


class IncomeRecord(Synced, Base):
    """A household's disposable income for a year (家庭可支配收入), as the national system records it: the
    household's total and the number of persons it covers, optionally by source. Per-capita = total ÷ persons;
    a group's figure is Σ total ÷ Σ persons (``app.domain.rules``). NULL = 未填 (unknown)."""

    __tablename__ = "income_record"
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    year: Mapped[int] = mapped_column(Integer)
    total_fen: Mapped[int | None] = mapped_column(BigInteger)  # 家庭年可支配收入
    persons: Mapped[int | None] = mapped_column(Integer)  # 享受人口（计算人均的人数）
    wage_fen: Mapped[int | None] = mapped_column(BigInteger)  # 工资性收入
    business_fen: Mapped[int | None] = mapped_column(BigInteger)  # 经营净收入
    property_fen: Mapped[int | None] = mapped_column(BigInteger)  # 财产净收入
    transfer_fen: Mapped[int | None] = mapped_column(BigInteger)  # 转移净收入
    __table_args__ = (
        UniqueConstraint("household_id", "year", name="uq_income_record_household_year"),
        Index("ix_income_record_household", "household_id", "year", "deleted", "total_fen", "persons"),  # covering
    )


# ---------------------------------------------------------------- helpers


class Department(Synced, Base):
    """A department or unit (部门/单位) that pairs with villages and employs cadres."""

    __tablename__ = "department"
    name: Mapped[name]
    level: Mapped[str] = mapped_column(String(12))  # DepartmentLevel
    kind: Mapped[str] = mapped_column(String(20))  # DepartmentKind
    region_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_department_name", "name"),)


class Cadre(Synced, Base):
    """A cadre (干部). Identity is name + department + phone: two 王伟 in two bureaus are two people."""

    __tablename__ = "cadre"
    name: Mapped[name]
    name_initials: Mapped[str] = mapped_column(String(20), default="")
    department_id: Mapped[str | None] = mapped_column(ForeignKey("department.id"))
    post: Mapped[str | None] = mapped_column(String(50))  # 职务
    phone: Mapped[str | None] = mapped_column(String(20))
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False)  # 领导干部
    status: Mapped[str] = mapped_column(String(12), default="serving")  # CadreStatus
    left_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)

    department: Mapped[Department | None] = relationship()
    __table_args__ = (Index("ix_cadre_name", "name"), Index("ix_cadre_department", "department_id"))


class Enterprise(Synced, Base):
    """A private enterprise (民营企业) in village–enterprise pairing."""

    __tablename__ = "enterprise"
    name: Mapped[name]
    credit_code: Mapped[str | None] = mapped_column(String(18))  # GB 32100
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    region_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    note: Mapped[str | None] = mapped_column(Text)


class Sage(Synced, Base):
    """A local elite, capable person, business leader or philanthropist (乡贤/能人/带头人/爱心人士)."""

    __tablename__ = "sage"
    name: Mapped[name]
    kind: Mapped[str] = mapped_column(String(16))  # SageKind
    phone: Mapped[str | None] = mapped_column(String(20))
    home_village_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    note: Mapped[str | None] = mapped_column(Text)


# ---------------------------------------------------------------- pairings


class Pairing(Synced, Base):
    """One pairing (结对) of any of the five kinds; history is kept: ending sets ``end_date``/``end_reason``.

    Exactly one subject column and one helper column is set, as ``app.domain.pairing_rules.PAIRING_SHAPES``
    says for the kind. Rules such as "one active cadre per household" are enforced by the services and
    re-checked after a sync merge, not by a database constraint (a merge must be able to record a violation).
    """

    __tablename__ = "pairing"
    kind: Mapped[str] = mapped_column(String(20))  # PairingKind
    subject_region_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    subject_household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"))
    helper_cadre_id: Mapped[str | None] = mapped_column(ForeignKey("cadre.id"))
    helper_department_id: Mapped[str | None] = mapped_column(ForeignKey("department.id"))
    helper_enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprise.id"))
    helper_sage_id: Mapped[str | None] = mapped_column(ForeignKey("sage.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(20))  # PairingEndReason
    end_note: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_pairing_household", "subject_household_id", "kind", "end_date"),
        Index("ix_pairing_region", "subject_region_id", "kind", "end_date"),
        Index("ix_pairing_cadre", "helper_cadre_id", "end_date"),
        Index("ix_pairing_department", "helper_department_id"),
        # Covering index of "active on the reference date" for household pairings (coverage, visits, caps).
        Index(
            "ix_pairing_household_active",
            "subject_household_id",
            "kind",
            "deleted",
            "start_date",
            "end_date",
            "helper_cadre_id",
        ),
    )


# ---------------------------------------------------------------- over time


class Visit(Synced, Base):
    """A visit (走访记录) by a cadre to a household or a village, with an optional follow-up."""

    __tablename__ = "visit"
    APPEND_ONLY = True
    cadre_id: Mapped[str] = mapped_column(ForeignKey("cadre.id"))
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"))
    village_id: Mapped[str | None] = mapped_column(ForeignKey("region.id"))
    visit_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(12))  # VisitMode
    findings: Mapped[str | None] = mapped_column(Text)  # 存在问题
    measures: Mapped[str | None] = mapped_column(Text)  # 帮扶措施/办实事
    follow_up: Mapped[str | None] = mapped_column(Text)  # 待办事项
    follow_up_due: Mapped[date | None] = mapped_column(Date)
    follow_up_closed_on: Mapped[date | None] = mapped_column(Date)
    follow_up_result: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        Index("ix_visit_household_date", "household_id", "visit_date"),
        Index("ix_visit_cadre_date", "cadre_id", "visit_date"),
        Index("ix_visit_household_live", "household_id", "deleted", "visit_date"),  # covering: visits in cadence
        # Covering, only the follow-ups never closed: today's overdue ones (rules.follow_up_overdue_sql) and the
        # open ones (visits.open_follow_ups, the follow-up list) are a range on the due date here.
        Index(
            "ix_visit_followup_open",
            "follow_up_due",
            "deleted",
            "visit_date",
            "follow_up_closed_on",
            "household_id",
            "village_id",
            sqlite_where=sql_text("follow_up_closed_on IS NULL AND follow_up_due IS NOT NULL"),
            postgresql_where=sql_text("follow_up_closed_on IS NULL AND follow_up_due IS NOT NULL"),
        ),
        # Covering: overdue follow-ups, a range on the due date (visits without a follow-up are not in it).
        Index(
            "ix_visit_followup_due",
            "follow_up_due",
            "deleted",
            "follow_up_closed_on",
            "visit_date",
            "household_id",
            "village_id",
        ),
    )


class Benefit(Synced, Base):
    """A measure a household received (享受政策/帮扶措施), with date and amount."""

    __tablename__ = "benefit"
    APPEND_ONLY = True
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    kind: Mapped[str] = mapped_column(String(24))  # BenefitKind
    benefit_date: Mapped[date] = mapped_column(Date)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    provider: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_benefit_household", "household_id", "benefit_date"),)


class Project(Synced, Base):
    """An assistance project (扶贫项目) with stage, money and filing with the municipal office (备案)."""

    __tablename__ = "project"
    name: Mapped[name]
    category: Mapped[str] = mapped_column(String(20))  # ProjectCategory
    fund_source: Mapped[str] = mapped_column(String(20))  # FundSource
    year: Mapped[int] = mapped_column(Integer)
    place_level: Mapped[str] = mapped_column(String(12))  # ProjectPlaceLevel
    region_id: Mapped[str] = mapped_column(ForeignKey("region.id"))
    responsible_unit: Mapped[str | None] = mapped_column(String(100))
    responsible_department_id: Mapped[str | None] = mapped_column(ForeignKey("department.id"))
    budget_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    allocated_fen: Mapped[int] = mapped_column(BigInteger, default=0)  # 已拨付 (funds allocated)
    stage: Mapped[str] = mapped_column(String(12), default="plan")  # ProjectStage
    start_date: Mapped[date | None] = mapped_column(Date)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date | None] = mapped_column(Date)  # 市扶贫办备案日期
    description: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_project_region_year", "region_id", "year"),)


class ProjectProgress(Synced, Base):
    """A progress entry: date, percent complete, money disbursed (支出) with it, note. Disbursed = their sum."""

    __tablename__ = "project_progress"
    APPEND_ONLY = True
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"))
    entry_date: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_project_progress_project", "project_id", "entry_date"),)


class ProjectBeneficiary(Synced, Base):
    """A household that benefits from a project (受益农户)."""

    __tablename__ = "project_beneficiary"
    project_id: Mapped[str] = mapped_column(ForeignKey("project.id"))
    household_id: Mapped[str] = mapped_column(ForeignKey("household.id"))
    __table_args__ = (
        UniqueConstraint("project_id", "household_id", name="uq_project_beneficiary_project_household"),
        Index("ix_project_beneficiary_household", "household_id"),
    )


# ---------------------------------------------------------------- node, settings, audit


class NodeInfo(Base):
    """This installation's identity (one row): its division code, name and role in the sync tree."""

    __tablename__ = "node_info"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[name]
    role: Mapped[str] = mapped_column(String(12))  # NodeRole
    region_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    clock: Mapped[str] = mapped_column(String(40), default="")  # last HLC stamp issued, survives restarts
    audit_head_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # guards the tail of the audit chain
    audit_head_hash: Mapped[str] = mapped_column(String(64), default="")


class Setting(Base):
    """Key/value settings stored with the data (visit cadence, cadre cap, rural average income growth…)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEntry(Base):
    """One entry of the append-only, hash-chained audit trail; also the change feed that sync exports.

    ``seq`` is this database's arrival order (used for "changes since the peer's last receipt"). Entries made
    here form one chain per ``node``: ``hash = sha256(prev_hash + canonical(entry))``; entries received from
    other nodes are stored with their own hashes so a hub can verify every township's chain.
    """

    __tablename__ = "audit_entry"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(AuditId, unique=True)
    node: Mapped[str] = mapped_column(String(12))
    node_seq: Mapped[int] = mapped_column(BigInteger)  # position in the node's own chain, from 1
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(AuditTime)
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete / end / exit / export_full_ids …
    entity: Mapped[str] = mapped_column(String(40))  # table name
    entity_id: Mapped[str | None] = mapped_column(AuditId)
    hlc: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(AuditDocument)
    after: Mapped[dict[str, Any] | None] = mapped_column(AuditDocument)
    note: Mapped[str | None] = mapped_column(Text)
    # No ``prev_hash`` column: it is the hash of the previous entry of the same chain (``app.audit_codec``).
    hash: Mapped[str] = mapped_column(AuditHash)
    __table_args__ = (
        UniqueConstraint("node", "node_seq", name="uq_audit_entry_node_seq"),
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_at", "at"),
    )


class AuditVerifiedHead(Base):
    """Where one audit chain was last found intact (local state, never synced): ``audit verify --incremental``
    walks only the entries after it. One row per chain (the node whose entries they are). Signed chain heads
    (sync) can attach to these rows: they name exactly what was verified, by position and hash."""

    __tablename__ = "audit_verified_head"
    node: Mapped[str] = mapped_column(String(12), primary_key=True)
    node_seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column()


class VillageStamp(Base):
    """Derived, local, never synced or audited: a random number that changes whenever a write touches what the
    household indicators read of one village (its households, their members, income records, spells, visits,
    pairings). SQLite triggers made by migration ``0011_indicator_partials`` set it; the migration seeds one
    per place (a place without a row reads as 0). ``app.services.indicator_partials`` compares it with the
    stamp a stored partial sum was computed at."""

    __tablename__ = "village_stamps"
    village_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)


class IndicatorPartial(Base):
    """Derived, local, never synced or audited: one household indicator's integer sums over one village, for a
    reference date and a variant (the year and the settings the sums read), valid while the village's stamp
    is still ``stamp`` (``app.services.indicator_partials``). ``s0`` … ``s5``: the indicator's sums in the
    order its declaration names them."""

    __tablename__ = "indicator_partials"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    ref: Mapped[date] = mapped_column(Date, primary_key=True)
    settings_hash: Mapped[str] = mapped_column(String(32), primary_key=True)
    village_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
    s0: Mapped[int] = mapped_column(BigInteger, default=0)
    s1: Mapped[int] = mapped_column(BigInteger, default=0)
    s2: Mapped[int] = mapped_column(BigInteger, default=0)
    s3: Mapped[int] = mapped_column(BigInteger, default=0)
    s4: Mapped[int] = mapped_column(BigInteger, default=0)
    s5: Mapped[int] = mapped_column(BigInteger, default=0)


SYNCED_MODELS: list[type[Synced]] = [
    Region,
    VillageIncome,
    Department,
    Cadre,
    Enterprise,
    Sage,
    Household,
    HouseholdSpell,
    Member,
    IncomeRecord,
    Pairing,
    Visit,
    Benefit,
    Project,
    ProjectProgress,
    ProjectBeneficiary,
]
"""In foreign-key order: a parent table comes before its children (sync applies in this order)."""

MODEL_BY_TABLE: dict[str, type[Synced]] = {m.__tablename__: m for m in SYNCED_MODELS}  # type: ignore[attr-defined]
