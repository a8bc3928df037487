"""Rows to JSON-able dicts and back, by the column types of the model: used by the audit trail and sync."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, inspect
from sqlalchemy.orm import Mapper

from app.domain.models import Synced, UTCDateTime

_business: dict[type[Synced], tuple[str, ...]] = {}
_dates: dict[type[Synced], tuple[frozenset[str], frozenset[str]]] = {}


def business_columns(model: type[Synced]) -> tuple[str, ...]:
    """Columns merged field by field during sync: all but the sync metadata (``deleted`` included)."""
    if model not in _business:
        mapper: Mapper[Any] = inspect(model)
        _business[model] = tuple(c.key for c in mapper.column_attrs if c.key not in model.SYNC_EXCLUDE)
    return _business[model]


def date_columns(model: type[Synced]) -> tuple[frozenset[str], frozenset[str]]:
    """The model's date columns and its datetime columns."""
    if model in _dates:
        return _dates[model]
    mapper: Mapper[Any] = inspect(model)
    dates, datetimes = set(), set()
    for attr in mapper.column_attrs:
        col_type = attr.columns[0].type
        if isinstance(col_type, UTCDateTime):
            datetimes.add(attr.key)
        elif isinstance(col_type, Date):
            dates.add(attr.key)
    _dates[model] = (frozenset(dates), frozenset(datetimes))
    return _dates[model]


_defaults: dict[type[Synced], dict[str, Callable[[], Any]]] = {}


def column_defaults(model: type[Synced]) -> dict[str, Callable[[], Any]]:
    """Python-side column defaults of the business columns (``default=False``, ``default=list`` …).

    SQLAlchemy applies them only at flush; the audit entry is written from the object before that, so the
    unit of work applies them first and the trail records what the row really holds.
    """
    if model not in _defaults:
        mapper: Mapper[Any] = inspect(model)
        found: dict[str, Callable[[], Any]] = {}
        for attr in mapper.column_attrs:
            default = attr.columns[0].default
            if attr.key in model.SYNC_EXCLUDE or default is None:
                continue
            if default.is_callable:
                found[attr.key] = _call_default(default.arg)
            elif default.is_scalar:
                found[attr.key] = _constant(default.arg)
        _defaults[model] = found
    return _defaults[model]


def _call_default(fn: Callable[[Any], Any]) -> Callable[[], Any]:
    return lambda: fn(None)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def apply_column_defaults(obj: Synced) -> None:
    for key, make in column_defaults(type(obj)).items():
        if getattr(obj, key) is None:
            setattr(obj, key, make())


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row_to_dict(obj: Synced, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    model = type(obj)
    return {f: to_json_value(getattr(obj, f)) for f in (fields or business_columns(model))}


def dict_to_values(model: type[Synced], data: dict[str, Any]) -> dict[str, Any]:
    """JSON values (ISO date strings …) back to the Python types of ``model``'s columns."""
    dates, datetimes = date_columns(model)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is not None and key in dates and isinstance(value, str):
            value = date.fromisoformat(value)
        elif value is not None and key in datetimes and isinstance(value, str):
            value = datetime.fromisoformat(value)
        out[key] = value
    return out
