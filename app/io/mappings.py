"""Column mappings a user confirmed, remembered per layout (import kind + header words) for next time.

Kept in a small JSON file in the user's data folder (``excel_mappings.json``): it is a preference of this
desk, not ledger data, so it does not travel with sync. Only header words and keys are stored, no values.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from app.paths import data_dir

log = logging.getLogger(__name__)
_FILE = "excel_mappings.json"


def _path() -> Path:
    return data_dir() / _FILE


def _load_all() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered(signature: str) -> dict[int, str] | None:
    """The mapping confirmed for this layout (column index → key; ``""`` = ignored), or None."""
    entry = _load_all().get(signature)
    if not isinstance(entry, dict):
        return None
    try:
        return {int(k): str(v) for k, v in entry.items()}
    except ValueError:
        return None


def remember(signature: str, mapping: dict[int, str]) -> None:
    data = _load_all()
    data[signature] = {str(k): v for k, v in sorted(mapping.items())}
    path = _path()
    tmp = path.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:  # a read-only profile must not break an import
        log.warning("could not save the column mapping")
