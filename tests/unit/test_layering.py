"""app/ must stay Qt-free: importing every app module loads no PySide6 module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_app_imports_no_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if '.migrations' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith('PySide6'))\n"
        "print(len([n for n in sys.modules if n.startswith('app.')]))\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout
    assert int(result.stdout.strip().splitlines()[-1]) >= 10


def test_each_command_module_registers_the_command_it_is_named_after() -> None:
    """The dispatcher imports only ``cmd_<command>`` for a command; a module adding another command
    would make that command unreachable."""
    import argparse
    import importlib

    from app.cli import command_modules, module_for

    for name in command_modules():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(f"app.cli.{name}").register(sub)
        assert [module_for(c) for c in sub.choices] == [name]


def test_light_commands_load_no_heavy_library() -> None:
    code = (
        "import sys\n"
        "from app.cli import build_parser\n"
        "build_parser('audit').parse_args(['audit', 'verify', '--db', 'x.db'])\n"
        "heavy = sorted({n.split('.')[0] for n in sys.modules} & {'matplotlib', 'pandas', 'pypinyin', 'openpyxl', 'PySide6'})\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _ruff_layering(path: str, source: str) -> subprocess.CompletedProcess[str]:
    """ruff's TID251 as CI runs it, on ``source`` as if it were the file ``path`` (app/ruff.toml, ui/ruff.toml)."""
    cmd = [sys.executable, "-m", "ruff", "check", "--select", "TID251", "--stdin-filename", path, "-"]
    return subprocess.run(cmd, cwd=ROOT, input=source, capture_output=True, text=True)


def test_layering_contract_refuses_qt_in_app_and_storage_in_ui() -> None:
    assert _ruff_layering("app/services/x.py", "from PySide6.QtCore import QObject\n").returncode == 1
    for breach in (
        "from app.domain.models import Household\n",
        "import sqlalchemy\n",
        "from sqlalchemy.orm import Session\n",
        "from app.storage.migrate import upgrade\n",
    ):
        result = _ruff_layering("ui/pages/x.py", breach)
        assert result.returncode == 1 and "TID251" in result.stdout, breach
    # What each side may use.
    assert _ruff_layering("ui/pages/x.py", "from PySide6.QtCore import QObject\n").returncode == 0
    assert _ruff_layering("ui/pages/x.py", "from app.services import listing\n").returncode == 0
    assert _ruff_layering("app/services/x.py", "from app.domain.models import Household\n").returncode == 0


def test_the_tree_keeps_the_layering_contract() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", "app", "ui"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
