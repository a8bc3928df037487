"""Unexpected errors: the traceback goes to a log file under the data dir, the user sees a short reference.

Tracebacks can quote SQL parameters or values; the engine hides parameters (``hide_parameters``) and the
log stays on this machine in the user's own folder, never in a message or a file name.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from datetime import UTC, datetime

from app.paths import logs_dir

log = logging.getLogger("bangfu")


def record_crash(exc: BaseException) -> str:
    ref = secrets.token_hex(4).upper()
    try:
        path = logs_dir() / "errors.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now(UTC).isoformat()} ref {ref}\n")
            fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    return ref
