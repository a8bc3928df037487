"""The headless command line: ``python main.py COMMAND …``, the same services as the GUI.

Commands live in ``app/cli/cmd_*.py``; each module defines ``register(subparsers)`` that adds its parser
and sets ``func(args) -> int``. They are discovered here, so adding a command touches no shared file.
Exit codes: 0 ok, 1 the check or operation found a problem, 2 bad usage or input. Expected errors print
one line in Chinese and English on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence

from app import __version__
from app.errors import EXIT_PROBLEM, EXIT_USAGE, BangfuError

log = logging.getLogger("bangfu.cli")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"用法错误 / Usage error: {message}", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def command_modules() -> list[str]:
    import app.cli as pkg

    # Frozen builds list packages too (PyInstaller's pyi_rth_pkgutil hook); build/ checks the bundle.
    return sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("cmd_"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bangfu", description="帮扶通 Bangfu — 结对帮扶台账 / paired-assistance ledger")
    parser.add_argument("--version", action="version", version=f"Bangfu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in command_modules():
        module = importlib.import_module(f"app.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return EXIT_USAGE
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the handlers: a closed pipe is reported here, not at exit
        return code
    except BangfuError as exc:
        print(exc.bilingual(), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消 / Cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``… | head``): not an error of ours. Point stdout at devnull so the
        # interpreter's final flush does not complain again.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # unexpected: log the traceback privately, show a reference only
        from app.crash import record_crash

        ref = record_crash(exc)
        print(
            f"程序内部错误，操作未完成（参考号 {ref}，详情见日志）。 / "
            f"Internal error; the operation did not complete (reference {ref}, see the log).",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
