"""Row identities: UUID version 7 (time-ordered, made offline on any node) as canonical text."""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()
_last_ms = 0
_counter = 0

# Random bits are drawn from the OS a block at a time: one ``os.urandom`` (a system call) per id was a third of
# the cost of an id, and a 100,000-row import makes 600,000 of them (rows and audit entries). Same source,
# same quality; a forked child drops what it inherited so it never repeats its parent's bits.
_BLOCK = 8 * 512
_pool = b""
_taken = 0


def _forget_pool() -> None:
    global _pool, _taken
    _pool, _taken = b"", 0


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forget_pool)


def new_id() -> str:
    """A new UUIDv7 (RFC 9562) string. Monotonic within this process even when the clock stalls."""
    global _last_ms, _counter, _pool, _taken
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            _counter += 1
            if _counter > 0xFFF:
                _last_ms += 1
                _counter = 0
            ms = _last_ms
        else:
            _last_ms = ms
            _counter = int.from_bytes(os.urandom(2), "big") & 0x3FF
        rand_a = _counter
        if _taken >= len(_pool):
            _pool, _taken = os.urandom(_BLOCK), 0
        rand_b = int.from_bytes(_pool[_taken : _taken + 8], "big") & ((1 << 62) - 1)
        _taken += 8
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    text = f"{value:032x}"  # str(uuid.UUID(int=value)) without building the object: same text, faster
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
