"""``python3 dev.py test`` spreads pytest over the CPU cores with pytest-xdist, one test file per worker at a time,
and a caller can still ask for one process."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import dev


def test_the_suite_runs_on_every_core_unless_the_caller_chooses() -> None:
    assert dev.parallel_options([]) == ["-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder"]
    assert dev.parallel_options(["tests/unit", "-x", "-v"])[:2] == ["-n", "auto"]
    for own_choice in (["-n", "0"], ["-n0"], ["--numprocesses=3"], ["-p", "no:xdist"], ["-pno:xdist"]):
        assert dev.parallel_options(own_choice) == [], own_choice


def test_the_installed_xdist_keeps_each_file_on_one_worker(tmp_path: Path) -> None:
    """The options as dev.py passes them, run by the installed pytest-xdist on two files of three tests each:
    both workers work, and every test of a file runs on the same one (a module-scoped fixture is built once)."""
    for name in ("a", "b"):
        (tmp_path / f"test_{name}.py").write_text("def test_1(): pass\ndef test_2(): pass\ndef test_3(): pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # not the project's configuration
    options = [o.replace("auto", "2") for o in dev.parallel_options([])]  # two workers on any machine
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *options, "-v", "-p", "no:cacheprovider", "-c", "pytest.ini", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    ran = re.findall(r"\[(gw\d)\] \[\s*\d+%\] PASSED \S*test_(\w)\.py::test_\d", result.stdout)
    assert len(ran) == 6, result.stdout
    workers = {name: {gw for gw, file in ran if file == name} for name in ("a", "b")}
    assert all(len(w) == 1 for w in workers.values()), workers
    assert workers["a"] != workers["b"]  # the second file went to the other, free worker
