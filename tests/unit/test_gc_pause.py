"""The collector pause around a package's apply: off inside, back as it was after, however the block ends."""

from __future__ import annotations

import gc
import threading

import pytest

from app.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def _collector_on() -> object:
    """Each test starts with the collector on and leaves it as it found it: in a process whose UI tests
    installed ``ui.gc_guard`` (it is off there) a collector left on would break the guard's tests that run
    later in the same process (the order pytest-xdist gives a worker)."""
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_off_inside_and_back_on_after() -> None:
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost() -> None:
    with paused_gc():
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still runs
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with paused_gc():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads() -> None:
    inside, release = threading.Event(), threading.Event()

    def worker() -> None:
        with paused_gc():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the worker's pause is still open
    release.set()
    thread.join(5)
    assert gc.isenabled()
