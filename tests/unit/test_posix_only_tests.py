"""The suite runs on Windows too (.github/workflows/windows.yml): a test module never imports a POSIX-only
module at its top (collection would fail there for every test in it), and the tests that need POSIX say so
with the one ``posix`` marker (tests/conftest.py), which skips them on Windows with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
POSIX_MODULES = {"resource", "fcntl", "termios", "pwd", "grp", "posix"}
POSIX_NAMES = ("RLIMIT_", "SIGXFSZ", "SIGTERM", "setrlimit", "preexec_fn")


def test_no_test_module_imports_a_posix_only_module_at_its_top() -> None:
    found = []
    for path in TESTS.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            found += [f"{path.relative_to(TESTS)}: {n}" for n in names if n.split(".")[0] in POSIX_MODULES]
    assert found == []


def test_every_test_that_uses_posix_only_calls_is_marked_posix() -> None:
    unmarked = []
    for path in TESTS.rglob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            source = ast.get_source_segment(path.read_text(encoding="utf-8"), node) or ""
            marked = any("posix" in ast.unparse(d) for d in node.decorator_list)
            if any(name in source for name in POSIX_NAMES) and not marked:
                unmarked.append(f"{path.relative_to(TESTS)}::{node.name}")
    assert unmarked == []
