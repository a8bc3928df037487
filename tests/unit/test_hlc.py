"""The hybrid logical clock (app/hlc.py): string order is clock order, also past 65,536 stamps in one
millisecond, across wall-clock steps backwards, and between the old (4 hex digit) and the new spelling."""

from __future__ import annotations

from app.hlc import COUNTER_DIGITS, HybridClock, Stamp, normalize


def frozen(ms: int = 1_750_000_000_000):
    now = [ms]
    return now, (lambda: now[0])


def test_more_than_65536_stamps_in_one_millisecond_still_sort_in_clock_order() -> None:
    now, wall = frozen()
    clock = HybridClock("331122101", wall=wall)
    stamps = [clock.now() for _ in range(70_000)]  # one large import: 70,000 > 16**4 = 65,536 stamps
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 70_000
    assert Stamp.parse(stamps[-1]) == Stamp(now[0], 69_999, "331122101")  # first stamp has counter 0


def test_the_clock_never_runs_backwards_when_the_wall_does() -> None:
    now, wall = frozen()
    clock = HybridClock("331100", wall=wall)
    first = clock.now()
    now[0] -= 60_000  # the PC's clock is set back a minute
    second = clock.now()
    assert second > first and Stamp.parse(second).wall_ms == Stamp.parse(first).wall_ms


def test_observe_moves_past_a_remote_stamp() -> None:
    now, wall = frozen()
    clock = HybridClock("331100", wall=wall)
    remote = str(Stamp(now[0] + 5_000, 7, "331122101"))  # a township 5 s ahead
    clock.observe(remote)
    local = clock.now()
    assert local > remote
    assert Stamp.parse(local) == Stamp(now[0] + 5_000, 9, "331100")  # observe: 7 + 1 = 8, now(): 8 + 1 = 9


def test_counter_overflow_carries_into_the_wall_time() -> None:
    now, wall = frozen()
    top = 16**COUNTER_DIGITS - 1
    clock = HybridClock("331100", last=str(Stamp(now[0], top, "331100")), wall=wall)
    after = clock.now()
    assert Stamp.parse(after) == Stamp(now[0] + 1, 0, "331100") and after > str(Stamp(now[0], top, "331100"))


def test_old_stamps_read_and_normalise() -> None:
    old = "1750000000000-ffff-331122101"  # written by earlier versions: 4 hex digits
    assert Stamp.parse(old) == Stamp(1_750_000_000_000, 0xFFFF, "331122101")
    assert normalize(old) == str(Stamp(1_750_000_000_000, 0xFFFF, "331122101"))
    assert normalize(old) < str(Stamp(1_750_000_000_000, 0x10000, "331122101"))
    assert normalize(normalize(old)) == normalize(old)
    clock = HybridClock("331122101", last=old, wall=lambda: 0)
    assert clock.now() > normalize(old)
