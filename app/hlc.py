"""Hybrid logical clock stamps for per-field merge during sync.

A stamp is a fixed-width string ``"{wall_ms:013d}-{counter:08x}-{node}"`` so that string order is the
clock order, in SQL and in Python alike. ``node`` (the division code of the node) breaks ties
deterministically. The counter counts stamps issued within one wall-clock millisecond (or while the wall
clock lags behind the last stamp); if it ever reached 16**8 it carries into the wall time, so the width is
never exceeded and the order never breaks.

Earlier versions wrote the counter with 4 hex digits, which overflowed after 65,536 stamps ("…-10000-"
sorted before "…-ffff-"). Revision 0006_sync_trust rewrote the stamps stored on rows; audit entries keep
the text their hash covers, so every comparison of a stored or received stamp goes through ``normalize``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

COUNTER_DIGITS = 8
_COUNTER_LIMIT = 16**COUNTER_DIGITS
_WALL_DIGITS = 13
_LEGACY_DIGITS = 4


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:08x}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        """Any counter width (old stamps have 4 hex digits). Raises ``ValueError`` for a malformed stamp."""
        wall, counter, node = text.split("-", 2)
        return cls(int(wall), int(counter, 16), node)


def normalize(text: str) -> str:
    """A stamp in today's spelling (old 4-digit counters widened), so string comparison is clock order."""
    if len(text) > _WALL_DIGITS + 1 + _LEGACY_DIGITS and text[_WALL_DIGITS + 1 + _LEGACY_DIGITS] == "-":
        pad = "0" * (COUNTER_DIGITS - _LEGACY_DIGITS)
        return text[: _WALL_DIGITS + 1] + pad + text[_WALL_DIGITS + 1 :]
    return text


def spellings(text: str) -> list[str]:
    """The ways ``text`` may be written in the audit trail (today's and, where it fits, the old one)."""
    stamp = Stamp.parse(text)
    out = [str(stamp)]
    if stamp.counter < 16**_LEGACY_DIGITS:
        out.append(f"{stamp.wall_ms:013d}-{stamp.counter:04x}-{stamp.node}")
    return out


def _next(wall: int, counter: int, node: str) -> Stamp:
    if counter >= _COUNTER_LIMIT:  # carry: one millisecond ahead, still after every stamp issued so far
        return Stamp(wall + 1, 0, node)
    return Stamp(wall, counter, node)


class HybridClock:
    """One clock per open database. ``now()`` for a local change, ``observe()`` when a remote stamp arrives."""

    def __init__(
        self, node: str, last: str | None = None, wall: Callable[[], int] = lambda: time.time_ns() // 1_000_000
    ) -> None:
        self.node = node
        self._wall = wall
        self._lock = threading.Lock()
        self._last = Stamp.parse(last) if last else Stamp(0, 0, node)

    def now(self) -> str:
        with self._lock:
            wall = self._wall()
            if wall > self._last.wall_ms:
                self._last = Stamp(wall, 0, self.node)
            else:
                self._last = _next(self._last.wall_ms, self._last.counter + 1, self.node)
            return str(self._last)

    def observe(self, remote: str) -> None:
        """Move past a remote stamp so later local changes order after it (callers bound the skew first)."""
        other = Stamp.parse(remote)
        with self._lock:
            wall = max(self._wall(), self._last.wall_ms, other.wall_ms)
            if wall == self._last.wall_ms == other.wall_ms:
                counter = max(self._last.counter, other.counter) + 1
            elif wall == self._last.wall_ms:
                counter = self._last.counter + 1
            elif wall == other.wall_ms:
                counter = other.counter + 1
            else:
                counter = 0
            self._last = _next(wall, counter, self.node)

    @property
    def last(self) -> str:
        return str(self._last)
