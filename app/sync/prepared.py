"""Rows of a package made ready for the driver where no database is needed: in a hub round, in the helper
process (``app.sync.prefetch``) while the previous package applies, so the applying process only checks and
inserts.

Two kinds of row, each the very parameters ``app.sync.bulk.insert_many`` would hand the driver:
- the audit row of every entry whose hash was checked against its canonical document text (its stored
  documents are made then);
- the row a ``create`` entry inserts, for tables where nothing but existence and parents decides it (no
  natural key that could make it an alias, no reference to its own table whose order would matter).

What is prepared decides nothing: the merge still checks each entry's chain, scope, whether the row is held
already and whether its parents are here, and takes a prepared row only for an entry that passed, and only
when it refers to no aliased row (``Merger._create``). Anything that cannot be prepared (an odd value) is
left to the merge, which then does what it always did with it, refusal included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Column, Table, UniqueConstraint

from app.domain.models import MODEL_BY_TABLE, AuditEntry, Synced, UTCDateTime
from app.domain.serialize import business_columns, date_columns
from app.hlc import normalize
from app.sync.bulk import DialectKey, dialect_of, dialect_processor, processed

AUDIT_COPY = ("id", "node", "node_seq", "actor", "action", "entity", "entity_id", "hlc", "note", "hash")
AUDIT_KEYS = (*AUDIT_COPY, "at", "before", "after")  # an audit row as the merge inserts it
STORED = "_stored_documents"  # key of an entry's (before, after) in the stored form, when made at the parse
EMPTY_STAMPS = "{}"  # field_hlc of a created row, as stored (JSON text: passed to the driver as it is)
_ROW_META = ("id", "origin_node", "hlc", "field_hlc", "created_at", "updated_at")
CREATED_RAW = ("field_hlc", "created_at", "updated_at")  # a created row's values passed to the driver as they are
_T = TypeVar("_T")


def _per_model(compute: Callable[[type[Synced]], _T]) -> Callable[[type[Synced]], _T]:
    """``compute`` worked out once per model (a model class is no ``Hashable`` to the type checker's cache)."""
    memo: dict[str, _T] = {}

    def cached(model: type[Synced]) -> _T:
        table = model.__tablename__  # type: ignore[attr-defined]
        if table not in memo:
            memo[table] = compute(model)
        return memo[table]

    return cached


def audit_values(e: dict[str, Any], at: Any, documents: tuple[bytes | None, bytes | None]) -> dict[str, Any]:
    """An entry's audit row: its own fields, ``at`` as given, the documents in the stored form."""
    row = {k: e[k] for k in AUDIT_COPY}
    row["at"], row["before"], row["after"] = at, documents[0], documents[1]
    return row


@_per_model
def scalar_defaults(model: type[Synced]) -> dict[str, Any]:
    """Scalar column defaults (``default=False`` …), which a create audited before the ORM's defaults lacks."""
    out = {}
    for col in model.__table__.columns:  # type: ignore[attr-defined]
        default = col.default
        if default is not None and getattr(default, "is_scalar", False):
            out[col.key] = default.arg
    return out


@dataclass(frozen=True)
class _CreateShape:
    """What building a created row of one table needs, worked out once."""

    columns: frozenset[str]
    template: dict[str, Any]
    fill: list[tuple[str, Any]]
    parse: dict[str, Callable[[str], Any]]
    keys: tuple[str, ...]


@_per_model
def _shape(model: type[Synced]) -> _CreateShape:
    fields = business_columns(model)
    columns = frozenset(fields)
    defaults = scalar_defaults(model)
    dates, datetimes = date_columns(model)
    parse: dict[str, Callable[[str], Any]] = {
        **{k: date.fromisoformat for k in dates if k in columns},
        **{k: datetime.fromisoformat for k in datetimes if k in columns},
    }
    template = {f: defaults.get(f) for f in fields}
    fill = [(k, v) for k, v in defaults.items() if k in columns]
    return _CreateShape(columns, template, fill, parse, (*template, *(k for k in _ROW_META if k not in template)))


def created_values(model: type[Synced], e: dict[str, Any], at: Any) -> dict[str, Any]:
    """The row a create entry inserts: its values over the columns' defaults, with the sync metadata;
    ``created_at``/``updated_at`` = ``at``, already processed for the driver (they are in ``CREATED_RAW``)."""
    shape = _shape(model)
    values = shape.template.copy()
    columns, parse = shape.columns, shape.parse
    for k, v in e["after"].items():
        if k in columns:
            if v is not None and k in parse and isinstance(v, str):
                v = parse[k](v)
            values[k] = v
    for key, value in shape.fill:
        if values[key] is None:
            values[key] = value
    values.update(id=e["entity_id"], origin_node=e["node"], hlc=normalize(e["hlc"]), field_hlc=EMPTY_STAMPS,
                  created_at=at, updated_at=at)  # fmt: skip
    return values


def created_keys(model: type[Synced]) -> tuple[str, ...]:
    """The keys of every ``created_values`` row of ``model``, in order."""
    return _shape(model).keys


def references(model: type[Synced]) -> list[tuple[str, str]]:
    """(column, referenced table) of every foreign key of ``model``."""
    return _references(model)


@_per_model
def _references(model: type[Synced]) -> list[tuple[str, str]]:
    table = model.__table__  # type: ignore[attr-defined]
    return [(col.key, fk.column.table.name) for col in table.columns for fk in col.foreign_keys]


@_per_model
def natural_keys(model: type[Synced]) -> list[tuple[str, ...]]:
    """The unique keys of a table other than its id (e.g. a region's division code)."""
    table = model.__table__  # type: ignore[attr-defined]
    keys = {tuple(c.name for c in uc.columns) for uc in table.constraints if isinstance(uc, UniqueConstraint)}
    keys |= {(c.name,) for c in table.columns if c.unique}
    return sorted(k for k in keys if k and k != ("id",))


@_per_model
def preparable(model: type[Synced]) -> bool:
    """A created row of ``model`` may be prepared ahead: no natural key (an alias is decided against the data
    held) and no reference to its own table (rows then go in package order, which a split would change)."""
    table = model.__tablename__  # type: ignore[attr-defined]
    return not natural_keys(model) and all(target != table for _, target in references(model))


@dataclass
class Prepared:
    """Rows ready for the driver of ``dialect``, by the entry's position in the package (None: not prepared)."""

    dialect: DialectKey
    audit: list[tuple[Any, ...] | None]
    created: list[tuple[Any, ...] | None]
    _position: dict[int, int] = field(default_factory=dict)

    def bind(self, entries: list[dict[str, Any]]) -> Prepared:
        """Name the entries these positions are of (the very objects the merge will be handed)."""
        self._position = {id(e): n for n, e in enumerate(entries)}
        return self

    def audit_row(self, e: dict[str, Any]) -> tuple[Any, ...] | None:
        n = self._position.get(id(e))
        return None if n is None else self.audit[n]

    def created_row(self, e: dict[str, Any]) -> tuple[Any, ...] | None:
        n = self._position.get(id(e))
        return None if n is None else self.created[n]


def prepare(entries: list[dict[str, Any]], key: DialectKey) -> Prepared:
    """The audit and created rows of ``entries`` as ``insert_many`` would process them for dialect ``key``."""
    dialect = dialect_of(key)
    stored_at = dialect_processor(dialect, Column("created_at", UTCDateTime()))  # once for both columns
    out = Prepared(key, [None] * len(entries), [None] * len(entries))
    audit: tuple[list[int], list[dict[str, Any]]] = ([], [])
    created: dict[type[Synced], tuple[list[int], list[dict[str, Any]]]] = {}
    for n, e in enumerate(entries):
        try:
            if e.get(STORED) is not None:
                row = audit_values(e, datetime.fromisoformat(e["at"]), e[STORED])
                audit[0].append(n)
                audit[1].append(row)
            model = MODEL_BY_TABLE.get(e["entity"])
            if (
                model is not None and e["action"] == "create" and e["entity_id"] and isinstance(e["after"], dict)
                and preparable(model)
            ):  # fmt: skip
                row = created_values(model, e, stored_at(datetime.fromisoformat(e["at"])))
                positions, rows = created.setdefault(model, ([], []))
                positions.append(n)
                rows.append(row)
        except Exception:  # an odd value is left to the merge, which handles it as it always did
            continue
    _fill(out.audit, *audit, dialect, AuditEntry.__table__, AUDIT_KEYS, ())  # type: ignore[arg-type]
    for model, (positions, rows) in created.items():
        _fill(out.created, positions, rows, dialect, model.__table__, created_keys(model), CREATED_RAW)  # type: ignore[attr-defined]
    return out


def _fill(
    out: list[tuple[Any, ...] | None],
    positions: list[int],
    rows: list[dict[str, Any]],
    dialect: Any,
    table: Table,
    keys: tuple[str, ...],
    raw: tuple[str, ...],
) -> None:
    """``out[position]`` = the processed ``row``, for each; a row no processor takes stays None (the merge
    meets it)."""
    try:
        done: list[Any] = processed(dialect, table, keys, rows, raw=raw)
    except Exception:  # one odd value: each row alone
        done = []
        for row in rows:
            try:
                done.append(processed(dialect, table, keys, [row], raw=raw)[0])
            except Exception:  # this one: left to the merge
                done.append(None)
    for n, params in zip(positions, done, strict=True):
        out[n] = tuple(params) if params is not None else None
