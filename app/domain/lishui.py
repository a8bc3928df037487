"""The Lishui division codes shipped in ``resources/regions/lishui.json`` (city, its nine counties, townships)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from app.paths import resources_dir


@cache
def lishui() -> dict[str, Any]:
    return json.loads((resources_dir() / "regions" / "lishui.json").read_text(encoding="utf-8"))
