"""The benchmark harness: each ``tests/bench/bench_*.py`` module defines ``run(ctx) -> list[BenchRow]``.

``python3 dev.py bench`` (or ``python tests/bench/run.py [--households N] [--only NAME] [--repeat K]``)
runs them and prints one table. Times are medians in milliseconds; where a row has a baseline measured in
the same run (plain SQLite, raw executemany …) the ratio is printed beside it. Benchmarks never assert.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_PASSWORD = "bench-password"


@dataclass
class BenchRow:
    group: str
    name: str
    median_ms: float
    baseline_ms: float | None = None
    baseline_name: str = ""
    goal_ms: float | None = None
    note: str = ""
    cpu_ms: float | None = None  # this process's CPU time for the same work, where the goal is CPU time
    baseline_is_cpu: bool = False  # the baseline is CPU time: the ratio is cpu_ms to it, not wall time

    @property
    def ratio(self) -> float | None:
        if not self.baseline_ms:
            return None
        if self.baseline_is_cpu and self.cpu_ms is not None:
            return self.cpu_ms / self.baseline_ms
        return self.median_ms / self.baseline_ms


@dataclass
class BenchContext:
    workdir: Path
    households: int = 200_000
    repeat: int = 7
    cache: dict[str, Any] = field(default_factory=dict)

    def median_ms(self, fn: Callable[[], Any], repeat: int | None = None, warmup: int = 1) -> float:
        for _ in range(warmup):
            fn()
        samples = []
        for _ in range(repeat or self.repeat):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    @staticmethod
    def once_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
        start = time.perf_counter()
        result = fn()
        return (time.perf_counter() - start) * 1000, result

    @staticmethod
    def wall_and_cpu_ms(fn: Callable[[], Any]) -> tuple[float, float, Any]:
        """One run: wall time and this process's CPU time (both threads), in milliseconds."""
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result

    def alternating_ms(
        self, fns: dict[str, Callable[[], Any]], repeat: int | None = None, warmup: int = 1
    ) -> dict[str, float]:
        """Medians of several variants of one operation (encrypted / plain) timed in turn, a b a b …, not in
        blocks: a change of machine load (this machine is shared) then weighs on every variant alike."""
        for _ in range(warmup):
            for fn in fns.values():
                fn()
        samples: dict[str, list[float]] = {name: [] for name in fns}
        for _ in range(repeat or self.repeat):
            for name, fn in fns.items():
                start = time.perf_counter()
                fn()
                samples[name].append((time.perf_counter() - start) * 1000)
        return {name: statistics.median(values) for name, values in samples.items()}


def format_table(rows: list[BenchRow]) -> str:
    header = ["group", "benchmark", "median ms", "cpu ms", "baseline", "baseline ms", "ratio", "goal ms", "note"]
    body = [
        [
            r.group,
            r.name,
            f"{r.median_ms:,.1f}",
            "" if r.cpu_ms is None else f"{r.cpu_ms:,.1f}",
            r.baseline_name,
            "" if r.baseline_ms is None else f"{r.baseline_ms:,.1f}",
            "" if r.ratio is None else f"{r.ratio:.2f}×",
            "" if r.goal_ms is None else f"{r.goal_ms:,.0f}",
            r.note,
        ]
        for r in rows
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body, strict=False)]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in body]
    return "\n".join(lines)
