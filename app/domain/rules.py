"""The policy's predicates, one definition each, every one read on a reference date (``ref``).

Each rule is written once as its boundary (a date or a set of values) and used two ways: as a plain Python
predicate on one record (services, importers, tests) and compiled to a SQLAlchemy clause for bulk work
(indicators, lists, anomalies). The clause is built from the same boundary function as the predicate, so a
tile and the list it opens cannot disagree on a boundary day.

Rules (DOMAIN.md "How the targets are counted", docs/INDICATORS.md):

- on the register (在册) on ``ref``: registered (认定) on or before ``ref`` and not left by then, in the current
  period or an earlier one of a household that re-entered;
- a member of the household on ``ref``: born, joined and not left (moved out, died) by then;
- paired: a pairing started on or before ``ref`` and not ended by then;
- visited within the cadence: a visit in the ``cadence`` days up to ``ref`` (visited exactly ``cadence`` days
  before ``ref`` is still on time; one more day is overdue);
- overdue follow-up: due before ``ref``, recorded by ``ref`` and not closed by then;
- overdue project: planned end before ``ref`` and not finished or terminated;
- disbursed: the sum of a project's progress amounts dated on or before ``ref``;
- school age (义务教育): from 1 September after the sixth birthday (born on or before 31 August; born later,
  a year after) until the sixteenth birthday; younger children may be 学前教育;
- labour capacity: able (有劳动能力) counts as labour; unknown (未填, NULL) is neither able nor unable;
- weak village: a collective income record of the year below the threshold; no record = unknown;
- pairing eligibility: the household is on the register and the pairing does not start before its 认定
  date, the cadre is serving, the start is not in the future.

Unknown (未填) is NULL in every column these rules read and is never taken for "no".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select

from app.domain.enums import (
    IN_SCHOOL_STAGES,
    CadreStatus,
    Employment,
    HouseholdStatus,
    LabourCapacity,
    ProjectStage,
    SchoolStage,
)
from app.errors import RuleViolation, ValidationError

# ---------------------------------------------------------------- dates


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def reference_date(year: int, today: date) -> date:
    """The day a yearly figure is read on: today for the current year, 31 December for a past one."""
    return today if year >= today.year else date(year, 12, 31)


# ---------------------------------------------------------------- the register on a date


@dataclass(frozen=True)
class Spell:
    """A closed period on the register (``HouseholdSpell``): registered (None: unknown) until ``left_on``, when
    it left with ``status`` (退出/迁出/销户), back on ``back_on`` (重新纳入)."""

    registered_on: date | None
    left_on: date
    status: str = ""
    back_on: date | None = None


def on_register(
    registered_on: date | None, status: str, status_date: date | None, ref: date, spells: tuple[Spell, ...] = ()
) -> bool:
    """In the register (在册) on ``ref``: in the current period — registered by then (an unknown 认定 date counts
    as always) and still active or left only after ``ref`` — or in an earlier period of a household that
    re-entered."""
    current = (registered_on is None or registered_on <= ref) and (
        status == HouseholdStatus.ACTIVE.value or (status_date is not None and status_date > ref)
    )
    return current or any((s.registered_on is None or s.registered_on <= ref) and s.left_on > ref for s in spells)


def on_register_sql(household: Any, ref: date) -> ColumnElement[bool]:
    """``on_register`` for rows of ``household`` (the model or an alias), tombstones excluded."""
    from app.domain.models import HouseholdSpell  # the models import nothing from here; keep it that way

    # coalesce, not "IS NULL OR …": one comparison keeps the planner on the covering index. The earlier
    # periods are probed only for a household whose current period does not cover ``ref`` (OR short-circuits).
    earlier = (
        select(HouseholdSpell.household_id)
        .where(
            HouseholdSpell.household_id == household.id,
            HouseholdSpell.deleted == false(),
            func.coalesce(HouseholdSpell.registered_on, date.min) <= ref,
            HouseholdSpell.left_on > ref,
        )
        .exists()
    )
    return and_(
        household.deleted == false(),
        or_(
            and_(
                func.coalesce(household.registered_on, date.min) <= ref,
                or_(household.status == HouseholdStatus.ACTIVE.value, household.status_date > ref),
            ),
            earlier,
        ),
    )


def member_on(birth_date: date | None, joined_on: date | None, left_on: date | None, ref: date) -> bool:
    """A member of the household on ``ref``: born and joined by then, not left (moved out, died) by then."""
    if birth_date is not None and birth_date > ref:
        return False
    if joined_on is not None and joined_on > ref:
        return False
    return left_on is None or left_on > ref


def member_on_sql(member: Any, ref: date) -> ColumnElement[bool]:
    # coalesce, not "IS NULL OR …": an OR on birth_date made SQLite probe the birth-date index and read every
    # member row (4× slower than scanning the covering index).
    return and_(
        member.deleted == false(),
        func.coalesce(member.birth_date, date.min) <= ref,
        func.coalesce(member.joined_on, date.min) <= ref,
        func.coalesce(member.left_on, date.max) > ref,
    )


# ---------------------------------------------------------------- pairings


def pairing_active(start_date: date, end_date: date | None, ref: date) -> bool:
    """A pairing is in force on ``ref``: started on or before it and not ended by then."""
    return start_date <= ref and (end_date is None or end_date > ref)


def pairing_active_sql(pairing: Any, kind: str, ref: date) -> list[ColumnElement[bool]]:
    return [
        pairing.kind == kind,
        pairing.deleted == false(),
        pairing.start_date <= ref,
        or_(pairing.end_date.is_(None), pairing.end_date > ref),
    ]


def pairing_refusal(
    *,
    start: date,
    today: date,
    household_status: str | None = None,
    household_registered_on: date | None = None,
    cadre_status: str | None = None,
) -> RuleViolation | ValidationError | None:
    """Why a new pairing may not be made (None: it may). The services and the Excel planners both ask this.

    An exited, moved-out or closed household gets no new pairing; nor does a cadre who has left; a pairing
    cannot start before the household's 认定 date nor in the future."""
    if start > today:
        return ValidationError(
            "结对时间不能晚于今天。", "The pairing date cannot be in the future.", field="start_date"
        )
    if household_status is not None and household_status != HouseholdStatus.ACTIVE.value:
        return RuleViolation(
            "该农户已不在册（退出/迁出/销户），不能结对。",
            "The household is no longer active (exited, moved out or closed) and cannot be paired.",
            field="subject_id",
        )
    if household_registered_on is not None and start < household_registered_on:
        return ValidationError(
            "结对开始日期早于农户认定时间。",
            "The start date is before the household was registered (认定).",
            field="start_date",
        )
    if cadre_status is not None and cadre_status != CadreStatus.SERVING.value:
        return RuleViolation(
            "该干部已调离，不能新建结对。", "The cadre has left and cannot be paired.", field="helper_id"
        )
    return None


# ---------------------------------------------------------------- visits and follow-ups


def reentry_refusal(left_on: date | None, on: date) -> tuple[str, str] | None:
    """重新纳入: a household comes back on the register only after the day it left (its exit date)."""
    if left_on is not None and on <= left_on:
        return "重新纳入日期须晚于退出日期。", "The re-entry must be after the exit."
    return None


def record_date_refusal(
    registered_on: date | None,
    status: str,
    status_date: date | None,
    spells: tuple[Spell, ...],
    on: date,
    zh: str,
    en: str,
) -> tuple[str, str] | None:
    """Why a record about a household (a ``zh``/``en`` visit, benefit) may not be dated ``on``.

    It reads the register through ``on_register`` and nothing else. A record may carry a day the household was
    on the register; the day it left (the exit visit: it was on the register the day before); or a day before
    its first 认定 (what was done before the recognition is history, not an error). Every other day is off the
    register — after an exit, or from the day after an exit until the day before the re-entry (``reentry_refusal``
    keeps the re-entry after the exit) — and is refused. So a day the indicators count the household is always
    a day a record may carry."""

    def on_the_register(day: date) -> bool:
        return on_register(registered_on, status, status_date, day, spells)

    if on_the_register(on) or (on > date.min and on_the_register(on - timedelta(days=1))):
        return None
    starts = [s.registered_on for s in spells] + [registered_on]
    if all(s is not None for s in starts) and on < min(s for s in starts if s is not None):
        return None
    # the words only: which exit the day falls after (the decision is above)
    exits = [(s.left_on, s.status, s.back_on) for s in spells]
    if status != HouseholdStatus.ACTIVE.value:
        exits.append((status_date or date.min, status, None))  # an exit of unknown date (old ledgers): any day
    left_on, left_status, back_on = max((e for e in exits if e[0] < on), default=(date.min, status, None))
    left_zh = HouseholdStatus.from_label(left_status).zh if left_status else "退出"
    if back_on is None:
        left = "" if left_on == date.min else str(left_on)
        return (
            f"该农户已于{left}{left_zh}，不能登记此后的{zh}。",
            f"The household left the register ({left_status}) on {left or 'an unknown date'}; "
            f"no {en} can be recorded after that.",
        )
    return (
        f"该农户于{left_on}{left_zh}、{back_on}重新纳入，其间不在册，不能登记这段时间的{zh}。",
        f"The household was off the register from {left_on} ({left_status}) until its re-entry on "
        f"{back_on}; no {en} can be dated in between.",
    )


def visit_window_start(ref: date, cadence_days: int) -> date:
    """The earliest visit date that is still within the cadence on ``ref`` (``ref − cadence``)."""
    return ref - timedelta(days=cadence_days)


def visited_within_cadence(last_visit: date | None, ref: date, cadence_days: int) -> bool:
    return last_visit is not None and visit_window_start(ref, cadence_days) <= last_visit <= ref


def visited_within_cadence_sql(visit: Any, household_id: Any, ref: date, cadence_days: int) -> ColumnElement[bool]:
    """EXISTS a live visit of ``household_id`` inside the cadence window on ``ref``."""
    return (
        select(visit.household_id)
        .where(
            visit.household_id == household_id,
            visit.deleted == false(),
            visit.visit_date >= visit_window_start(ref, cadence_days),
            visit.visit_date <= ref,
        )
        .exists()
    )


def follow_up_overdue(visit_date: date, due: date | None, closed_on: date | None, ref: date) -> bool:
    """An open follow-up past its due date on ``ref``: due before it, recorded by then, not closed by then."""
    return due is not None and due < ref and visit_date <= ref and (closed_on is None or closed_on > ref)


def follow_up_overdue_sql(visit: Any, ref: date) -> list[ColumnElement[bool]]:
    """``follow_up_overdue`` for rows of ``visit``: due before ``ref``, recorded by then, and still open on
    ``ref`` — never closed, or closed only after ``ref``. The two ways of being open are two index ranges: the
    follow-ups never closed from the partial index that holds them alone (``ix_visit_followup_open``, a few
    percent of all follow-ups), those closed after ``ref`` from the closing-date index (none for today). One
    COALESCE comparison read every follow-up ever due (~470 ms on the first call at 500,000 households)."""
    recorded = [visit.deleted == false(), visit.visit_date <= ref]
    return [
        or_(
            and_(visit.follow_up_closed_on.is_(None), visit.follow_up_due.is_not(None), visit.follow_up_due < ref,
                 *recorded),
            and_(visit.follow_up_closed_on > ref, visit.follow_up_due < ref, *recorded),
        )
    ]  # fmt: skip


# ---------------------------------------------------------------- projects

FINISHED_STAGES = frozenset({ProjectStage.DONE.value, ProjectStage.TERMINATED.value})
OPEN_STAGES = tuple(s.value for s in ProjectStage if s.value not in FINISHED_STAGES)


def project_overdue(planned_end: date | None, stage: str, ref: date) -> bool:
    return planned_end is not None and planned_end < ref and stage not in FINISHED_STAGES


def project_overdue_sql(project: Any, ref: date) -> ColumnElement[bool]:
    return and_(project.planned_end_date < ref, project.stage.in_(OPEN_STAGES))


def disbursed(entries: list[tuple[date, int]], ref: date) -> int:
    """Money disbursed by ``ref`` (fen): the progress entries dated on or before it."""
    return sum(amount for day, amount in entries if day <= ref)


def disbursed_sql(progress: Any, project_id: Any, ref: date) -> Any:
    return (
        select(func.coalesce(func.sum(progress.amount_fen), 0))
        .where(progress.project_id == project_id, progress.deleted == false(), progress.entry_date <= ref)
        .scalar_subquery()
    )


# ---------------------------------------------------------------- school age


@dataclass(frozen=True)
class BirthRange:
    """Birth dates of a school-age child on a day: after ``born_after``, on or before ``born_by``."""

    born_after: date
    born_by: date


def school_start(birth: date) -> date:
    """1 September of the year the child turns six if born on or before 31 August, else the year after."""
    year = birth.year + 6 if (birth.month, birth.day) <= (8, 31) else birth.year + 7
    return date(year, 9, 1)


def school_age_births(ref: date) -> BirthRange:
    """Who is of compulsory school age on ``ref``: started school (the last 1 September on or before ``ref``
    is on or after their start) and not yet sixteen."""
    last_september = date(ref.year if (ref.month, ref.day) >= (9, 1) else ref.year - 1, 9, 1)
    return BirthRange(born_after=years_before(ref, 16), born_by=date(last_september.year - 6, 8, 31))


def school_age(birth: date | None, ref: date) -> bool:
    if birth is None:
        return False
    births = school_age_births(ref)
    return births.born_after < birth <= births.born_by


def school_age_sql(birth_column: Any, ref: date) -> list[ColumnElement[bool]]:
    births = school_age_births(ref)
    return [birth_column > births.born_after, birth_column <= births.born_by]


IN_SCHOOL = frozenset(s.value for s in IN_SCHOOL_STAGES)
"""Stages that count as in school for a school-age child. 学前教育 is valid only before school age."""


def out_of_school(stage: str | None) -> bool | None:
    """A school-age child not in school; None when the stage is 未填."""
    return None if stage is None else stage not in IN_SCHOOL


def out_of_school_sql(stage_column: Any) -> ColumnElement[bool]:
    return and_(stage_column.is_not(None), stage_column.not_in(sorted(IN_SCHOOL)))


PRESCHOOL = SchoolStage.PRESCHOOL.value

# ---------------------------------------------------------------- labour and employment

ABLE = LabourCapacity.ABLE.value
EMPLOYED = tuple(e.value for e in Employment if e is not Employment.NONE)
NOT_EMPLOYED = Employment.NONE.value


def household_jobless(members: list[tuple[str | None, str | None]]) -> bool | None:
    """A household with labour (a member able to work) and nobody employed; None when that is not known.

    ``members`` are (labour, employment) of the members on the date. Known jobless: an able member, and every
    member's employment known and none employed. Known not jobless: someone employed, or every member's labour
    known and none able. Anything else (and a household with no members) is unknown."""
    if any(e in EMPLOYED for _, e in members):
        return False
    if not members:
        return None
    if any(labour == ABLE for labour, _ in members):
        return None if any(e is None for _, e in members) else True
    return None if any(labour is None for labour, _ in members) else False


# ---------------------------------------------------------------- villages


def weak_village(income_fen: int | None, threshold_yuan: int) -> bool | None:
    """集体经济薄弱村: collective income of the year below the threshold; None without a record (未填)."""
    return None if income_fen is None else income_fen < threshold_yuan * 100


def weak_income_sql(income_column: Any, threshold_yuan: int) -> ColumnElement[bool]:
    return income_column < threshold_yuan * 100


# ---------------------------------------------------------------- income


def per_capita_fen(total_fen: int | None, persons: int | None) -> int | None:
    """A household's per-capita disposable income (fen, rounded half up); None when either part is unknown."""
    if total_fen is None or not persons:
        return None
    return (2 * total_fen + persons) // (2 * persons)


def group_per_capita_fen(records: list[tuple[int, int]]) -> int | None:
    """The group figure the policy measures: Σ income ÷ Σ persons (households weighted by their persons)."""
    persons = sum(p for _, p in records)
    return per_capita_fen(sum(t for t, _ in records), persons) if persons else None
