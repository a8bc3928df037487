"""The headless command line: ``python main.py COMMAND …``, the same services as the GUI.

Commands live in ``app/cli/cmd_*.py``; each module defines ``register(subparsers)`` that adds its parser
and sets ``func(args) -> int``. They are discovered here, so adding a command touches no shared file.
Command ``import-excel`` lives in ``cmd_import_excel.py``: running one command imports only its module
(``--help`` imports them all), so ``audit verify`` never pays for matplotlib, pandas or the pinyin tables.
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


def module_for(command: str) -> str:
    return "cmd_" + command.replace("-", "_")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or with just ``only`` (a command name) when it names one."""
    parser = _Parser(prog="bangfu", description="帮扶通 Bangfu — 结对帮扶台账 / paired-assistance ledger")
    parser.add_argument("--version", action="version", version=f"Bangfu {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = command_modules()
    if only is not None and module_for(only) in modules:
        modules = [module_for(only)]
    for name in modules:
        module = importlib.import_module(f"app.cli.{name}")
        module.register(sub)
    return parser


def chinese_capable_streams() -> None:
    """Output redirected on an English Windows is cp1252, which cannot hold the Chinese of every message
    (``init`` died with an internal error when piped, seen under Wine): such streams switch to UTF-8. A
    console (Unicode on Windows) or a Chinese code page (cp936) is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if encoding is None or not hasattr(stream, "reconfigure"):
            continue
        try:
            "帮扶通".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    chinese_capable_streams()
    try:
        argv = list(argv) if argv is not None else sys.argv[1:]
        parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
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
