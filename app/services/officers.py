"""The node's officers (经办人): who may be named as the actor of a change, kept with the ledger's settings.

The list lives in the ``setting`` row ``officers`` (node-local: settings do not travel by sync). Adding,
renaming and retiring an officer are changes like any other: made through a ``UnitOfWork`` and audited
(entity ``officer``). The GUI asks which officer is working at unlock and the CLI takes ``--actor`` (or
``BANGFU_ACTOR``); both go through ``choose`` so an actor is always a name on the list. Retired officers stay
on the list (their names are in the audit trail) but cannot be chosen.

Callable from any thread that owns the ``Database`` (the GUI's worker, or the CLI).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import AuditEntry, Setting
from app.errors import BangfuError, NotFound, ValidationError
from app.ids import new_id
from app.storage.database import Database

SETTING_KEY = "officers"
ACTOR_ENV = "BANGFU_ACTOR"
NAME_MAX = 50
POST_MAX = 50
PHONE_MAX = 30
DEMO_ACTOR = "演示用户"


@dataclass(frozen=True)
class Officer:
    """One officer of this node: a stable id (renames keep it), the name recorded as actor, post and phone."""

    id: str
    name: str
    post: str = ""
    phone: str = ""
    active: bool = True


class UnknownOfficer(BangfuError):
    """The named actor is not an active officer of this node (exit 2: bad input)."""


def _stored(session: Session) -> list[Officer]:
    row = session.get(Setting, SETTING_KEY)
    if row is None or not isinstance(row.value, list):
        return []
    return [Officer(**{k: v for k, v in item.items() if k in Officer.__dataclass_fields__}) for item in row.value]


def _store(session: Session, officers: list[Officer]) -> None:
    value = [asdict(o) for o in officers]
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=value))
    else:
        row.value = value  # a new list object, so the JSON column sees the change


def list_officers(session: Session, *, include_retired: bool = False) -> list[Officer]:
    """The officers in the order they were added; active ones only unless ``include_retired``."""
    return [o for o in _stored(session) if include_retired or o.active]


def clean_text(value: str | None, limit: int, zh: str, en: str, field: str, *, required: bool = False) -> str:
    """Trimmed, NFC text without control characters and within ``limit``; one bilingual line if not."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise ValidationError(f"{zh}不能为空。", f"The {en} must not be empty.", field=field)
    if any(unicodedata.category(ch).startswith("C") for ch in text):
        raise ValidationError(f"{zh}含有无效字符。", f"The {en} contains an invalid character.", field=field)
    if len(text) > limit:
        raise ValidationError(f"{zh}最多 {limit} 个字。", f"The {en} may have at most {limit} characters.", field=field)
    return text


def _name(value: str | None) -> str:
    return clean_text(value, NAME_MAX, "经办人姓名", "officer's name", "name", required=True)


def _find(officers: list[Officer], name_or_id: str) -> Officer:
    key = unicodedata.normalize("NFC", name_or_id.strip())
    for officer in officers:
        if key in (officer.id, officer.name):
            return officer
    raise NotFound(f"没有名为“{key}”的经办人。", f"There is no officer named '{key}'.")


def _require_unique(officers: list[Officer], name: str, *, besides: str | None = None) -> None:
    if any(o.name == name and o.id != besides for o in officers):
        raise ValidationError(
            f"经办人“{name}”已在名单中（含已离任）。",
            f"The officer '{name}' is already on the list (retired ones included).",
            field="name",
        )


def add(
    db: Database, name: str, post: str | None = None, phone: str | None = None, *, self_enrol: bool = False
) -> Officer:
    """Add an active officer (audited). The first officer of a ledger is the actor of their own entry, and so
    is one who enrols at unlock (``self_enrol``: the password was right, nobody else is at work yet)."""
    from app.services.uow import UnitOfWork

    officer = Officer(
        new_id(),
        _name(name),
        clean_text(post, POST_MAX, "职务", "post", "post"),
        clean_text(phone, PHONE_MAX, "电话", "phone", "phone"),
    )
    actor = officer.name if self_enrol else _actor_for_change(db, officer.name)
    with UnitOfWork(db, actor=actor) as uow:
        officers = _stored(uow.session)
        _require_unique(officers, officer.name)
        _store(uow.session, [*officers, officer])
        uow.event("officer_add", "officer", officer.id, after=_audited(officer))
    return officer


def rename(db: Database, name_or_id: str, new_name: str) -> Officer:
    """Give an officer a new name; entries already made keep the name they were made under."""
    from app.services.uow import UnitOfWork

    clean = _name(new_name)
    with UnitOfWork(db, actor=_actor_for_change(db, None)) as uow:
        officers = _stored(uow.session)
        old = _find(officers, name_or_id)
        _require_unique(officers, clean, besides=old.id)
        new = Officer(old.id, clean, old.post, old.phone, old.active)
        _store(uow.session, [new if o.id == old.id else o for o in officers])
        uow.event("officer_rename", "officer", old.id, before={"name": old.name}, after={"name": clean})
    if db.actor == old.name:
        db.actor = clean  # the officer at work keeps working under the new name
    return new


def retire(db: Database, name_or_id: str) -> Officer:
    """Mark an officer as retired (离任): kept on the list for the record, no longer choosable."""
    from app.services.uow import UnitOfWork

    with UnitOfWork(db, actor=_actor_for_change(db, None)) as uow:
        officers = _stored(uow.session)
        old = _find(officers, name_or_id)
        if not old.active:
            raise ValidationError(f"经办人“{old.name}”已离任。", f"The officer '{old.name}' is already retired.")
        new = Officer(old.id, old.name, old.post, old.phone, False)
        _store(uow.session, [new if o.id == old.id else o for o in officers])
        uow.event("officer_retire", "officer", old.id, before={"active": True}, after={"active": False})
    return new


def _audited(officer: Officer) -> dict[str, Any]:
    return {"name": officer.name, "post": officer.post, "phone": officer.phone}


def _actor_for_change(db: Database, newcomer: str | None) -> str | None:
    """Who changes the list: the officer at work; on an empty list the first officer names themself."""
    with db.session() as s:
        if newcomer is not None and not list_officers(s, include_retired=True):
            return newcomer
        if db.actor not in {o.name for o in list_officers(s)}:  # only an officer changes the list of officers
            raise UnknownOfficer(
                f"“{db.actor}”不是本节点的在任经办人，不能修改经办人名单。",
                f"'{db.actor}' is not an active officer of this node and cannot change the list of officers.",
            )
    return None  # the UnitOfWork takes db.actor


def names_in_audit(session: Session, node: str) -> list[str]:
    """Actors named in this node's own audit entries that are not on the list yet: the initial list offered
    to a ledger made before officers were kept (nothing of the old trail is lost or renamed)."""
    known = {o.name for o in _stored(session)}
    rows = session.scalars(
        select(AuditEntry.actor).where(AuditEntry.node == node).distinct().order_by(AuditEntry.actor)
    ).all()
    return [name for name in rows if name and name not in known and len(name) <= NAME_MAX]


def choose(db: Database, name: str | None) -> Officer:
    """Make ``name`` the actor of everything ``db`` records from now on; it must be an active officer.

    ``name`` None: the only active officer, if there is exactly one. Raises ``UnknownOfficer`` (exit 2)
    naming the command that adds one.
    """
    with db.session() as s:
        active = list_officers(s)
    if name is None or not name.strip():
        if len(active) == 1:
            db.actor = active[0].name
            return active[0]
        raise UnknownOfficer(
            "请用 --actor 姓名（或环境变量 BANGFU_ACTOR）指明经办人；名单见 officers list，新增用 officers add 姓名。",
            "Name the officer with --actor NAME (or BANGFU_ACTOR); "
            "see `officers list`, add one with `officers add NAME`.",
        )
    key = unicodedata.normalize("NFC", name.strip())
    for officer in active:
        if officer.name == key:
            db.actor = officer.name
            return officer
    raise UnknownOfficer(
        f"“{key}”不是本节点的在任经办人；请先运行 officers add {key} 添加。",
        f"'{key}' is not an active officer of this node; add one first with `officers add {key}`.",
    )


def choose_for_demo(db: Database, name: str | None) -> str:
    """Demo mode (a throw-away demo ledger): the actor is whatever name is given, or a fixed demo name."""
    db.actor = (name or "").strip()[:NAME_MAX] or DEMO_ACTOR
    return db.actor


@dataclass(frozen=True)
class Roster:
    """What the unlock screen offers: the active officers, and (for a ledger from before the list was kept)
    the names its own audit trail already holds."""

    active: list[Officer]
    from_audit: list[str]


def roster(session: Session, node: str) -> Roster:
    """The audit trail's names are offered only as the initial list (no officer yet), not beside a kept list."""
    staffed = bool(_stored(session))
    return Roster(list_officers(session), [] if staffed else names_in_audit(session, node))


def start_session(db: Database, name: str, *, new: bool = False) -> Officer:
    """At unlock: make ``name`` the officer at work. ``new``: enrol them first (a name not yet on the list,
    typed or taken from the audit trail); the enrolment is their own first audited act."""
    if new:
        add(db, name, self_enrol=True)
    return choose(db, name)


def staff_demo(db: Database, name: str | None) -> str:
    """Demo mode: give a demo ledger its one officer (any name, else the demo name) and make them the actor."""
    with db.session() as s:
        active = list_officers(s)
    if active:
        return choose(db, name if name in {o.name for o in active} else active[0].name).name
    officer = add(db, choose_for_demo(db, name))
    return choose(db, officer.name).name
