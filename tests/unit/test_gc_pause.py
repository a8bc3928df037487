"""The collector pause around a package's apply: off inside, back as it was after, however the block ends."""

from __future__ import annotations

import gc
import threading

import pytest

from app.gc_pause import paused_gc


@pytest.fixture(autouse=True)
def _collector_on() -> object:
    gc.enable()
    yield
    gc.enable()


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
