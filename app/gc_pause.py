"""Pausing Python's cyclic garbage collector around one large, acyclic batch (a sync package's apply).

Applying a package builds hundreds of thousands of small dicts and lists at once (the entries, their values,
the rows to insert). Each allocation burst triggers the cyclic collector, and every full collection walks
every live object — the whole package again, several times per package. Measured at a city hub: 15–25 % of
the CPU of an import, and the part that grew with every package taken (+30 ms per package of 17k entries).
These objects hold no reference cycles, so reference counting frees them anyway; the collector only costs.

Process-wide (the collector has no per-thread switch): the GUI thread runs without it only while a worker
applies a package. Nested and concurrent pauses are counted, so the collector comes back on only when the
last one ends, and only if it was on before the first.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off; restore it as it was when the outermost pause began."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
