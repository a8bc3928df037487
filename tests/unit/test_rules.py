"""The policy's predicates (app.domain.rules) on their boundary days, worked by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import rules
from app.errors import RuleViolation, ValidationError


@pytest.mark.parametrize(
    ("birth", "ref", "expected"),
    [
        # Born 2020-10-15 (after 31 August): starts school on 2027-09-01, not at six (the reported defect).
        (date(2020, 10, 15), date(2026, 12, 31), False),
        (date(2020, 10, 15), date(2027, 8, 31), False),
        (date(2020, 10, 15), date(2027, 9, 1), True),
        # Born on 31 August 2020: turns six on 2026-08-31, starts 2026-09-01.
        (date(2020, 8, 31), date(2026, 8, 31), False),
        (date(2020, 8, 31), date(2026, 9, 1), True),
        # Born 1 September 2020: one day later, one school year later (2027-09-01).
        (date(2020, 9, 1), date(2026, 9, 1), False),
        (date(2020, 9, 1), date(2027, 9, 1), True),
        # Through age 15: school age the day before the 16th birthday, not on it.
        (date(2010, 5, 20), date(2026, 5, 19), True),
        (date(2010, 5, 20), date(2026, 5, 20), False),
        (None, date(2026, 5, 20), False),
    ],
)
def test_school_age_by_the_31_august_rule(birth, ref, expected) -> None:
    assert rules.school_age(birth, ref) is expected


def test_school_start_and_leap_day() -> None:
    assert rules.school_start(date(2020, 8, 31)) == date(2026, 9, 1)
    assert rules.school_start(date(2020, 9, 1)) == date(2027, 9, 1)
    # Born 29 Feb 2012: 2028 is a leap year, so the 16th birthday is 29 Feb 2028 (school age on the 28th).
    assert rules.school_age(date(2012, 2, 29), date(2028, 2, 28)) is True
    assert rules.school_age(date(2012, 2, 29), date(2028, 2, 29)) is False


def test_preschool_is_not_out_of_school_before_school_age() -> None:
    # 学前教育 for a child not yet of school age: not counted at all; unknown stage: unknown, not "out".
    assert rules.school_age(date(2021, 3, 1), date(2026, 12, 31)) is False
    assert rules.out_of_school(rules.PRESCHOOL) is True  # only matters once the child is of school age
    assert rules.out_of_school("primary") is False
    assert rules.out_of_school(None) is None


def test_visit_cadence_boundary_is_one_rule() -> None:
    # Cadence 30 days, reference 2026-06-30: a visit on 2026-05-31 (exactly 30 days before) is on time;
    # 2026-05-30 (31 days) is overdue; a visit after the reference date does not count for it.
    ref = date(2026, 6, 30)
    assert rules.visit_window_start(ref, 30) == date(2026, 5, 31)
    assert rules.visited_within_cadence(date(2026, 5, 31), ref, 30) is True
    assert rules.visited_within_cadence(date(2026, 5, 30), ref, 30) is False
    assert rules.visited_within_cadence(date(2026, 7, 1), ref, 30) is False
    assert rules.visited_within_cadence(None, ref, 30) is False


def test_follow_up_and_project_overdue_on_a_date() -> None:
    ref = date(2026, 6, 30)
    assert rules.follow_up_overdue(date(2026, 6, 1), date(2026, 6, 29), None, ref) is True
    assert rules.follow_up_overdue(date(2026, 6, 1), date(2026, 6, 30), None, ref) is False  # due today
    assert rules.follow_up_overdue(date(2026, 6, 1), date(2026, 6, 29), date(2026, 6, 30), ref) is False
    assert rules.follow_up_overdue(date(2026, 6, 1), date(2026, 6, 29), date(2026, 7, 2), ref) is True
    assert rules.project_overdue(date(2026, 6, 29), "implement", ref) is True
    assert rules.project_overdue(date(2026, 6, 29), "done", ref) is False
    assert rules.disbursed([(date(2026, 6, 30), 100), (date(2026, 7, 1), 50)], ref) == 100


def test_register_and_membership_on_a_date() -> None:
    # Left on 2026-03-15: on the register on 2025-12-31, not on 2026-12-31; registered 2026-05-10: not in 2025.
    assert rules.on_register(date(2020, 1, 1), "exited", date(2026, 3, 15), date(2025, 12, 31)) is True
    assert rules.on_register(date(2020, 1, 1), "exited", date(2026, 3, 15), date(2026, 12, 31)) is False
    assert rules.on_register(date(2026, 5, 10), "active", None, date(2025, 12, 31)) is False
    assert rules.member_on(date(2026, 2, 1), None, None, date(2025, 12, 31)) is False  # born later
    assert rules.member_on(date(1950, 1, 1), None, date(2026, 4, 1), date(2025, 12, 31)) is True  # died later
    assert rules.member_on(date(1990, 1, 1), date(2026, 1, 5), None, date(2025, 12, 31)) is False  # joined later


def test_labour_unknown_is_not_no() -> None:
    assert rules.household_jobless([("able", "none")]) is True
    assert rules.household_jobless([("able", None)]) is None  # employment 未填
    assert rules.household_jobless([(None, None)]) is None  # a fresh roster import: nothing known
    assert rules.household_jobless([("able", None), ("weak", "in_county")]) is False  # someone works
    assert rules.household_jobless([("none", "none")]) is False  # no labour
    assert rules.household_jobless([]) is None  # no members


def test_weak_village_and_income_per_person() -> None:
    assert rules.weak_village(None, 100_000) is None
    assert rules.weak_village(9_999_999, 100_000) is True
    assert rules.weak_village(10_000_000, 100_000) is False
    # One person with 20,000 and six persons with 60,000 in all: (20,000 + 60,000) ÷ 7 = 11,428.57 元,
    # not the mean of 20,000 and 10,000 (15,000).
    assert rules.group_per_capita_fen([(2_000_000, 1), (6_000_000, 6)]) == 1_142_857
    assert rules.per_capita_fen(None, 3) is None
    assert rules.per_capita_fen(100, 0) is None


def test_pairing_refusals() -> None:
    today = date(2026, 6, 1)
    ok = {"start": date(2026, 5, 1), "today": today, "household_status": "active"}
    assert rules.pairing_refusal(**ok) is None
    assert isinstance(rules.pairing_refusal(**ok | {"household_status": "exited"}), RuleViolation)
    assert isinstance(rules.pairing_refusal(**ok, cadre_status="left"), RuleViolation)
    before = rules.pairing_refusal(**ok, household_registered_on=date(2026, 5, 2))
    assert isinstance(before, ValidationError) and "认定" in before.zh
    assert isinstance(rules.pairing_refusal(**ok | {"start": date(2026, 6, 2)}), ValidationError)


# A household recognised (认定) 2020-01-01, exited (退出) 2024-03-15, re-entered (重新纳入) 2024-06-01 and moved
# out (迁出) 2025-08-31 for good: its register and the days its records may carry, worked by hand.
_HISTORY = (
    date(2024, 6, 1),  # registered_on of the current period (the re-entry)
    "moved_out",
    date(2025, 8, 31),
    (rules.Spell(date(2020, 1, 1), date(2024, 3, 15), "exited", date(2024, 6, 1)),),
)


@pytest.mark.parametrize(
    ("day", "on_register", "record_accepted"),
    [
        (date(2019, 12, 31), False, True),  # before the first 认定: history, accepted
        (date(2020, 1, 1), True, True),  # the 认定 day
        (date(2024, 3, 14), True, True),
        (date(2024, 3, 15), False, True),  # the exit day: no longer counted, the exit visit accepted
        (date(2024, 3, 16), False, False),  # the day after the exit: off the register
        (date(2024, 5, 31), False, False),  # the day before the re-entry
        (date(2024, 6, 1), True, True),  # the re-entry day
        (date(2025, 8, 30), True, True),
        (date(2025, 8, 31), False, True),  # the day it moved out
        (date(2025, 9, 1), False, False),  # after it left for good
        (date(2026, 11, 30), False, False),
    ],
)
def test_the_days_a_record_may_carry_are_read_from_the_register(day, on_register, record_accepted) -> None:
    registered_on, status, status_date, spells = _HISTORY
    assert rules.on_register(registered_on, status, status_date, day, spells) is on_register
    refusal = rules.record_date_refusal(registered_on, status, status_date, spells, day, "走访", "visit")
    assert (refusal is None) is record_accepted
    if refusal is not None and day < date(2024, 6, 1):  # the gap: both dates named
        assert "2024-03-15" in refusal[0] and "2024-06-01" in refusal[0]
    elif refusal is not None:
        assert "2025-08-31" in refusal[0] and "迁出" in refusal[0]


def test_an_exit_of_unknown_date_refuses_every_day_after_the_recognition() -> None:
    """Old ledgers hold exits without a date: nothing says when the household was still on the register, so no
    day after its 认定 can be shown to be on it."""
    refusal = rules.record_date_refusal(date(2020, 1, 1), "exited", None, (), date(2020, 1, 2), "走访", "visit")
    assert refusal is not None and "unknown date" in refusal[1]
    assert rules.record_date_refusal(date(2020, 1, 1), "exited", None, (), date(2019, 12, 31), "走访", "visit") is None


_days = st.dates(date(2018, 1, 1), date(2027, 12, 31))


@given(
    first=_days,
    gaps=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 400)), max_size=3),
    still_out=st.booleans(),
    day=_days,
)
def test_every_day_counted_on_the_register_is_a_day_a_record_may_carry(first, gaps, still_out, day) -> None:
    """One rule, two readers: the indicators' register and the records' dates never disagree, except that the
    exit day is accepted for a record while it is no longer counted."""
    spells, start = [], first
    for stay, away in gaps:
        left = start + timedelta(days=stay)
        spells.append(rules.Spell(start, left, "exited", left + timedelta(days=away)))
        start = left + timedelta(days=away)
    status, status_date = ("exited", start + timedelta(days=30)) if still_out else ("active", None)
    args = (start, status, status_date, tuple(spells))
    counted = rules.on_register(*args[:3], day, args[3])
    refusal = rules.record_date_refusal(*args, day, "走访", "visit")
    if counted:
        assert refusal is None
    exit_days = {s.left_on for s in spells} | ({status_date} if status_date else set())
    if refusal is None and not counted:
        assert day < first or day in exit_days
