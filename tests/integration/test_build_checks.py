"""The checks build/build.py runs on a bundle, on small stand-ins (the real bundle: tests/packaging)."""

from __future__ import annotations

import importlib.util
import platform
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: the name "build" is also the repository folder (a namespace package) and a PyPI project.
_spec = importlib.util.spec_from_file_location("bangfu_build_script", ROOT / "build" / "build.py")
assert _spec is not None and _spec.loader is not None
builder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(builder)

linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not shutil.which("objdump"), reason="ELF checks need Linux and objdump"
)


def _bundle(tmp_path: Path) -> Path:
    """A bundle with everything check_bundle looks for."""
    bundle = tmp_path / "bangfu"
    inside = bundle / "_internal"
    for name in (builder.rules.EXE_NAME, builder.rules.CLI_NAME):
        (bundle / f"{name}{builder.EXE_SUFFIX}").parent.mkdir(parents=True, exist_ok=True)
        (bundle / f"{name}{builder.EXE_SUFFIX}").write_bytes(b"exe")
    shutil.copytree(ROOT / "app" / "storage" / "migrations", inside / "app" / "storage" / "migrations")
    shutil.copytree(ROOT / "resources", inside / "resources")
    return bundle


def test_a_complete_bundle_passes(tmp_path: Path) -> None:
    assert builder.check_bundle(_bundle(tmp_path)) == []


def test_missing_migrations_and_dropped_qt_files_are_problems(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path)
    inside = bundle / "_internal"
    versions = sorted((inside / "app" / "storage" / "migrations" / "versions").glob("*.py"))
    versions[-1].unlink()
    (inside / "app" / "storage" / "migrations" / "env.py").unlink()
    plugin = inside / "PySide6" / "Qt" / "plugins" / "imageformats" / "libqtiff.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"")
    problems = builder.check_bundle(bundle)
    assert any("env.py" in p for p in problems)
    assert any(versions[-1].name in p for p in problems)
    assert any("libqtiff.so" in p for p in problems)


@linux_only
def test_glibc_floor_and_needed_libraries_of_a_real_program(tmp_path: Path) -> None:
    shutil.copy2("/bin/ls", tmp_path / "ls")
    version, needed_by = builder.glibc_floor(tmp_path)
    major, minor = map(int, version.split("."))
    system = tuple(map(int, platform.libc_ver()[1].split(".")[:2]))
    assert major == 2 and minor >= 2 and (major, minor) <= system and needed_by == "ls"
    assert "libc.so.6" in builder.needed_libraries(tmp_path / "ls")
