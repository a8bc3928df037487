"""Run the benchmarks in tests/bench and print one table (see harness.py). Not part of the test suite."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from tests.bench.harness import BenchContext, BenchRow, format_table  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", action="append", default=[], help="module name part, e.g. storage")
    parser.add_argument("--workdir", type=Path, default=None, help="keep generated databases here between runs")
    args = parser.parse_args()
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if any(o in m for o in args.only)]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bangfu-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BANGFU_DATA_DIR", str(workdir / "data"))
    ctx = BenchContext(workdir=workdir, households=args.households, repeat=args.repeat)
    rows: list[BenchRow] = []
    for name in modules:
        started = time.perf_counter()
        print(f"running {name} …", file=sys.stderr, flush=True)
        module = importlib.import_module(f"tests.bench.{name}")
        rows += module.run(ctx)
        print(f"  {name} done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    print(f"\nBangfu benchmarks — {args.households:,} households, medians of {args.repeat}, {os.cpu_count()} cores\n")
    print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
