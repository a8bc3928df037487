"""Order Chinese text by pinyin in SQL, as WPS and Excel sort a name column (丁, 何, 兰, 刘, 任 …), not by
character code (丁, 任, 何, 兰, 刘 …).

``pinyin_key(expr)`` is a SQL expression. On SQLite/SQLCipher it calls ``bangfu_pinyin()``, a function each
connection registers (``register``) from ``app.domain.name_pinyin`` — the same reading (surnames as surnames)
that search uses and that households store in ``head_name_pinyin``. On PostgreSQL (a shared hub) the ICU
Chinese collation does the same job. Callers order by ``pinyin_key(expr), expr`` so homophones stay grouped.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_FUNCTION = "bangfu_pinyin"


class pinyin_key(FunctionElement[str]):  # lower-case: it reads as a SQL function, like func.lower
    """The pinyin sort key of a text expression."""

    type = String()
    inherit_cache = True
    name = "pinyin_key"


@compiles(pinyin_key)
def _plain(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(pinyin_key, "sqlite")
def _sqlite(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(pinyin_key, "postgresql")
def _postgresql(element: pinyin_key, compiler: Any, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)}) COLLATE "zh-x-icu"'


def sort_key(text: str | None) -> str | None:
    """What ``bangfu_pinyin()`` returns: toneless pinyin of the text (Latin letters and digits kept)."""
    if text is None:
        return None
    # Imported here: opening a ledger must not load pypinyin for commands that never sort (audit verify).
    from app.domain.name_pinyin import name_pinyin

    return name_pinyin(text) or text


def register(dbapi_connection: Any) -> None:
    """Make ``bangfu_pinyin()`` known to a new SQLite connection (deterministic: SQLite may cache it)."""
    dbapi_connection.create_function(SQLITE_FUNCTION, 1, sort_key, deterministic=True)
