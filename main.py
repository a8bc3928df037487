"""Bangfu (帮扶通): the one entry point. No arguments (or GUI flags such as ``--demo``): the GUI.
A subcommand: the CLI, e.g. ``python main.py stats --db x.db``. The frozen build is this same program.
``--version``, ``--self-test`` and ``--startup-timing`` check an installed program (``ui/selftest.py``)."""

from __future__ import annotations

import sys
from pathlib import Path


def outside_environment() -> int | None:
    """Started by a Python without the dependencies (``python3 main.py`` on a fresh checkout): hand over to the
    checkout's .venv when there is one, else say in one line how to set it up. None: carry on here."""
    import importlib.util

    if getattr(sys, "frozen", False) or importlib.util.find_spec("platformdirs") is not None:
        return None
    here = Path(__file__).resolve().parent
    venv_python = here / ".venv" / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    if venv_python.exists() and Path(sys.prefix).resolve() != (here / ".venv").resolve():
        import subprocess

        return subprocess.run([str(venv_python), str(here / "main.py"), *sys.argv[1:]]).returncode
    print(
        "缺少依赖，请先运行 python3 dev.py demo 建立环境 / Dependencies missing: run `python3 dev.py demo` once "
        "(it creates .venv), then python3 main.py …",
        file=sys.stderr,
    )
    return 2


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--version"]:  # answered before the CLI imports every command (seconds in a frozen build)
        from app.selftest import say, version_line

        say(version_line())
        return 0
    if argv and argv[0] in ("--self-test", "--startup-timing"):  # the installed program checks itself (build/)
        from ui import selftest

        return selftest.main(argv[1:]) if argv[0] == "--self-test" else selftest.startup_timing(argv[1:])
    if (argv and not argv[0].startswith("-")) or (argv and argv[0] in ("-h", "--help", "--version")):
        from app.cli import main as cli_main

        return cli_main(argv)
    from ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    import multiprocessing

    # in the frozen build, helper processes (the spreadsheet parser of app/io/sheets.py, sync's prefetch) start here
    multiprocessing.freeze_support()
    handed_over = outside_environment()
    if handed_over is None:  # running here (always, when frozen): a checkout without .venv has no app/ to import
        from app.running_mark import hold_running_mark

        hold_running_mark()  # Windows: the installer refuses to replace files while this process runs
    sys.exit(main() if handed_over is None else handed_over)
