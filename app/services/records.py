"""The one generic create / update / tombstone machinery, driven by an ``EntitySpec`` per entity.

An ``EntitySpec`` lists the fields a user may set (labels zh/en, checker, required, reference), how to
derive computed columns (pinyin keys, birth date from the ID) and entity rules that need the database
(the same resident ID in two households). ``create`` / ``update`` / ``tombstone`` validate every field
first and raise one ``ValidationErrors`` naming each bad field, then write through the ``UnitOfWork``
(stamps + audit). They take a ``Database`` (one transaction of their own) or a ``UnitOfWork`` (to compose
several changes in one transaction) and return frozen views, never live ORM objects.

Call from one thread at a time (the GUI's worker or the CLI).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, make_dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import Region, Synced
from app.domain.serialize import business_columns
from app.errors import BangfuError, NotFound, ValidationError, ValidationErrors
from app.services.fields import Check
from app.services.uow import UnitOfWork
from app.storage.database import Database

Target = Database | UnitOfWork


@dataclass(frozen=True)
class EntityView:
    """A frozen snapshot of one row: ``id`` plus every business column (see ``EntitySpec.view``)."""

    id: str

    if TYPE_CHECKING:  # columns are added per entity by make_dataclass; typed loosely for callers

        def __getattr__(self, name: str) -> Any: ...


@dataclass(frozen=True)
class FieldSpec:
    """One user-settable column. ``ref``: the entity it points to (checked to exist and not be deleted);
    ``ref_levels``: for a ``Region`` reference, the levels allowed; ``editable``: may ``update`` change it;
    ``default``: a factory used on create when the field is missing (a visit's date defaults to today)."""

    name: str
    zh: str
    en: str
    check: Check | None = None
    required: bool = False
    ref: type[Synced] | None = None
    ref_levels: tuple[str, ...] = ()
    editable: bool = True
    default: Callable[[], Any] | None = None  # filled in on create when the input leaves it out


# A rule sees the session, the values the row will have (stored merged with the changes) and the row as
# stored (None on create); it raises ValidationError (collected with the field errors) or RuleViolation.
Rule = Callable[[Session, dict[str, Any], Synced | None], None]
Derive = Callable[[dict[str, Any]], dict[str, Any]]
Hook = Callable[[UnitOfWork, Any], None]


@dataclass(frozen=True)
class EntitySpec:
    model: type[Synced]
    zh: str
    en: str
    fields: tuple[FieldSpec, ...]
    derive: Derive | None = None
    rules: tuple[Rule, ...] = ()
    after_create: Hook | None = None
    after_update: Hook | None = None
    before_tombstone: Hook | None = None
    deletable: bool = True
    noted_fields: frozenset[str] = frozenset()  # changing these (money) needs a note, kept in the audit
    view: type[EntityView] = field(init=False)
    by_name: dict[str, FieldSpec] = field(init=False, compare=False)  # ``fields`` by name: ``clean`` runs per row

    def __post_init__(self) -> None:
        columns = [(c, Any) for c in business_columns(self.model)]
        view = make_dataclass(f"{self.model.__name__}View", columns, bases=(EntityView,), frozen=True)
        object.__setattr__(self, "view", view)
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def table(self) -> str:
        return str(self.model.__tablename__)  # type: ignore[attr-defined]

    def may_be_unknown(self, name: str) -> bool:
        """The column keeps 未填 (NULL) apart from a value: a yes/no fact of this kind has three answers."""
        return bool(self.model.__table__.c[name].nullable)  # type: ignore[attr-defined]

    def field(self, name: str) -> FieldSpec:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def snapshot(self, obj: Synced) -> EntityView:
        return self.view(id=obj.id, **{c: getattr(obj, c) for c in business_columns(self.model)})


SPECS: dict[str, EntitySpec] = {}
"""Every entity spec by table name, filled by the service modules as they are imported (``register``)."""


def register(spec: EntitySpec) -> EntitySpec:
    SPECS[spec.table] = spec
    return spec


# ---------------------------------------------------------------- transactions and loading


@contextmanager
def unit_of_work(target: Target, actor: str | None = None) -> Iterator[UnitOfWork]:
    """The caller's unit of work (composing), or a new one committed on leaving the block."""
    if isinstance(target, UnitOfWork):
        yield target
    else:
        with UnitOfWork(target, actor) as uow:
            yield uow


def load(session: Session, model: type[Synced], row_id: str, zh: str = "记录", en: str = "record") -> Any:
    """The live row or ``NotFound`` (a tombstoned row counts as missing)."""
    obj = session.get(model, row_id)
    if obj is None or obj.deleted:
        raise NotFound(f"找不到该{zh}（可能已删除）。", f"The {en} does not exist (or was deleted).")
    return obj


def get(db: Database, spec: EntitySpec, row_id: str) -> EntityView:
    with db.session() as session:
        return spec.snapshot(load(session, spec.model, row_id, spec.zh, spec.en))


def list_views(db: Database, spec: EntitySpec, **equal: Any) -> list[EntityView]:
    """Rows of one entity with columns equal to the given values, oldest first (UUIDv7 ids sort by time)."""
    model: Any = spec.model
    with db.session() as session:
        query = select(model).where(model.deleted.is_(False)).order_by(model.id)
        for key, value in equal.items():
            query = query.where(getattr(model, key) == value)
        return [spec.snapshot(o) for o in session.scalars(query)]


# ---------------------------------------------------------------- validation


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def clean(spec: EntitySpec, data: Mapping[str, Any], *, creating: bool) -> tuple[dict[str, Any], list[ValidationError]]:
    """Check each given field; returns the stored values and the errors (all of them, not the first)."""
    from app.services import fields as checks

    values: dict[str, Any] = {}
    errors: list[ValidationError] = []
    known = spec.by_name
    for key, raw in data.items():
        check: Check | None
        f = known.get(key)
        if f is None and f"{key}_fen" in known:  # yuan under the plain name: ``budget`` → ``budget_fen``
            f, key, check = known[f"{key}_fen"], f"{key}_fen", checks.yuan
        elif f is None:
            errors.append(ValidationError(f"未知字段：{key}", f"Unknown field: {key}", field=key))
            continue
        else:
            check = f.check
        if not creating and not f.editable:
            errors.append(ValidationError(f"{f.zh}不能在此修改。", f"{f.en} cannot be changed here.", field=f.name))
            continue
        if _is_empty(raw):
            if f.required:
                errors.append(ValidationError(f"{f.zh}不能为空。", f"{f.en} is required.", field=f.name))
            else:
                values[key] = [] if raw == [] else None
            continue
        try:
            values[key] = raw if check is None else check(raw, f)
        except ValidationError as exc:
            errors.append(exc)
    if creating:
        for f in spec.fields:
            if f.default is not None and f.name not in values and not any(e.field == f.name for e in errors):
                values[f.name] = f.default()
            if f.required and f.name not in values and not any(e.field == f.name for e in errors):
                errors.append(ValidationError(f"{f.zh}不能为空。", f"{f.en} is required.", field=f.name))
    return values, errors


def _check_refs(session: Session, spec: EntitySpec, values: dict[str, Any]) -> list[ValidationError]:
    errors: list[ValidationError] = []
    for f in spec.fields:
        if f.ref is None or values.get(f.name) is None:
            continue
        target = session.get(f.ref, values[f.name])
        if target is None or target.deleted:
            errors.append(ValidationError(f"{f.zh}不存在。", f"{f.en} does not exist.", field=f.name))
        elif f.ref_levels and isinstance(target, Region) and target.level not in f.ref_levels:
            errors.append(
                ValidationError(f"{f.zh}的区划级别不对。", f"{f.en} is not a place of the right level.", field=f.name)
            )
    return errors


def _validate(session: Session, spec: EntitySpec, data: Mapping[str, Any], existing: Synced | None) -> dict[str, Any]:
    values, errors = clean(spec, data, creating=existing is None)
    stored = {c: getattr(existing, c) for c in business_columns(spec.model)} if existing is not None else {}
    merged = {**stored, **values, "__model__": spec.model}
    errors += _check_refs(session, spec, values)
    if not errors:
        if spec.derive:
            derived = spec.derive(merged)
            values.update(derived)
            merged.update(derived)
        for rule in spec.rules:
            try:
                rule(session, merged, existing)
            except ValidationError as exc:
                errors.append(exc)
    raise_errors(errors)
    return values


def raise_errors(errors: list[ValidationError]) -> None:
    """Nothing, one ``ValidationError`` or a ``ValidationErrors`` holding each (a form marks every field)."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationErrors(errors)


# ---------------------------------------------------------------- writes


def create_row(uow: UnitOfWork, spec: EntitySpec, data: Mapping[str, Any], *, note: str | None = None) -> Any:
    """Validate and add inside ``uow``; returns the live row (for service code composing a transaction)."""
    values = _validate(uow.session, spec, data, None)
    obj = uow.add(spec.model(**values), note=note)
    uow.session.flush()
    if spec.after_create:
        spec.after_create(uow, obj)
    return obj


def update_row(
    uow: UnitOfWork, spec: EntitySpec, row_id: str, changes: Mapping[str, Any], *, note: str | None = None
) -> Any:
    obj = load(uow.session, spec.model, row_id, spec.zh, spec.en)
    values = _validate(uow.session, spec, changes, obj)
    noted = [spec.field(k) for k in values if k in spec.noted_fields and values[k] != getattr(obj, k)]
    if noted and not (note or "").strip():
        zh = "、".join(f.zh for f in noted)
        en = ", ".join(f.en for f in noted)
        raise ValidationError(f"修改{zh}须填写说明。", f"Changing {en} needs a note explaining why.", field="note")
    uow.update(obj, note=note, **values)
    uow.session.flush()
    if spec.after_update:
        spec.after_update(uow, obj)
    return obj


def create(target: Target, spec: EntitySpec, data: Mapping[str, Any], *, note: str | None = None) -> EntityView:
    """Create one row from user input; ``ValidationError(s)`` name each bad field, nothing is written."""
    with unit_of_work(target) as uow:
        view = spec.snapshot(create_row(uow, spec, data, note=note))
    return view


def update(
    target: Target, spec: EntitySpec, row_id: str, changes: Mapping[str, Any], *, note: str | None = None
) -> EntityView:
    """Change some fields; only real changes are stamped and audited."""
    with unit_of_work(target) as uow:
        view = spec.snapshot(update_row(uow, spec, row_id, changes, note=note))
    return view


def tombstone(target: Target, spec: EntitySpec, row_id: str, *, note: str | None = None) -> None:
    """Mark the row deleted (never a hard delete); some entities refuse (households are exited instead)."""
    if not spec.deletable:
        raise BangfuError(
            f"{spec.zh}不能删除，请办理退出、迁出或销户。",
            f"A {spec.en} cannot be deleted; exit, move out or close it instead.",
        )
    with unit_of_work(target) as uow:
        obj = load(uow.session, spec.model, row_id, spec.zh, spec.en)
        if spec.before_tombstone:
            spec.before_tombstone(uow, obj)
        uow.tombstone(obj, note=note)


def unique_rule(columns: tuple[str, ...], zh: str, en: str) -> Rule:
    """A rule: no other live row of the model has the same values in ``columns`` (the last one is named)."""

    def rule(session: Session, values: dict[str, Any], existing: Synced | None) -> None:
        model: Any = type(existing) if existing is not None else values["__model__"]
        query = select(model.id).where(model.deleted.is_(False))
        for column in columns:
            query = query.where(getattr(model, column) == values[column])
        if existing is not None:
            query = query.where(model.id != existing.id)
        if session.scalars(query).first() is not None:
            raise ValidationError(zh, en, field=columns[-1])

    return rule
