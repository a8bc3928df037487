"""Hybrid logical clock stamps for per-field merge during sync.

A stamp is a fixed-width string ``"{wall_ms:013d}-{counter:04x}-{node}"`` so that string order is the
clock order, in SQL and in Python alike. ``node`` (the division code of the node) breaks ties deterministically.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return f"{self.wall_ms:013d}-{self.counter:04x}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        wall, counter, node = text.split("-", 2)
        return cls(int(wall), int(counter, 16), node)


class HybridClock:
    """One clock per open database. ``now()`` for a local change, ``observe()`` when a remote stamp arrives."""

    def __init__(self, node: str, last: str | None = None, wall=lambda: time.time_ns() // 1_000_000) -> None:
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
                self._last = Stamp(self._last.wall_ms, self._last.counter + 1, self.node)
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
            self._last = Stamp(wall, counter, self.node)

    @property
    def last(self) -> str:
        return str(self._last)
