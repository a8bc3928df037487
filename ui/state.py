"""Per-machine window state in QSettings (INI file beside the data), every key declared here once.

Data settings that travel with the ledger (visit cadence, idle lock …) are ``app.services.settings``; this is
only what belongs to this desk: geometry, splitters, column layout, the last database and the language.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.paths import data_dir

WINDOW_GEOMETRY = "window/geometry"
WINDOW_STATE = "window/state"
LAST_PAGE = "window/last_page"
LANGUAGE = "ui/language"
LAST_DATABASE = "ui/last_database"
DASHBOARD_SCOPE = "dashboard/scope"  # division code of the region the 工作台 shows ("" = whole ledger)
DASHBOARD_YEAR = "dashboard/year"  # the year its indicators are taken for (0 = the current year)


def splitter_key(page: str) -> str:
    return f"splitter/{page}"


def columns_key(entity: str) -> str:
    # "layout", not the former "header": widths saved before columns were fitted to content are not reused
    return f"columns/{entity}/layout"


def hidden_columns_key(entity: str) -> str:
    return f"columns/{entity}/hidden"


def settings() -> QSettings:
    """The INI file in the (injectable) data folder, so ``--data-dir`` and tests move it too."""
    return QSettings(str(data_dir() / "bangfu-ui.ini"), QSettings.Format.IniFormat)


def get_bytes(store: QSettings, key: str) -> QByteArray | None:
    value: Any = store.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def get_list(store: QSettings, key: str) -> list[str]:
    value: Any = store.value(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return [str(v) for v in value]
