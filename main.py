"""Bangfu (帮扶通): the one entry point. No arguments (or GUI flags such as ``--demo``): the GUI.
A subcommand: the CLI, e.g. ``python main.py stats --db x.db``. The frozen build is this same program.
``--version``, ``--self-test`` and ``--startup-timing`` check an installed program (``ui/selftest.py``)."""

from __future__ import annotations

import sys


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

    multiprocessing.freeze_support()  # in the frozen build, helper processes (sync's prefetch) start through here
    sys.exit(main())
