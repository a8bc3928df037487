"""The hash-chained audit trail: canonical form, hashing and verification.

Each node's own entries form a chain ``hash = sha256(prev_hash || canonical(entry))`` starting from
``GENESIS``. The node's newest seq and hash are also kept in ``node_info`` so that cutting off the tail is
caught too. ``verify`` walks every chain in the database (a hub holds copies of its townships' chains).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from json.encoder import encode_basestring as _encode_str
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.audit_codec import (
    StoredEntryDamaged,
    canonical_json,
    decode_document,
    decode_hash,
    decode_id,
    document_text,
    stored,
    stored_value,
    time_text,
)
from app.audit_helper import ChainHasher, Pending
from app.domain.models import AuditEntry, NodeInfo
from app.errors import BangfuError
from app.hlc import normalize
from app.storage.database import scan_cache

GENESIS = "0" * 64
# The action of a hash stub: an entry of another node's chain that sync withheld from this node (data
# minimisation). It keeps node, sequence number and hash, so the chain stays continuous, but none of the
# content its hash covers, so its own hash is taken as received; the next entry's ``prev_hash`` binds it.
WITHHELD = "withheld"


def entry_payload(entry: Any) -> dict[str, Any]:
    """The hashed fields of an entry: an ``AuditEntry`` or a row with the same column names."""
    return {
        "id": entry.id,
        "node": entry.node,
        "node_seq": entry.node_seq,
        "actor": entry.actor,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "hlc": entry.hlc,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
    }


def entry_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


def payload_text(entry: Mapping[str, Any], before: str | None, after: str | None) -> str:
    """``canonical_json(entry_payload(entry))`` with ``before``/``after`` given as their canonical JSON text (as
    stored): spliced in, not parsed and encoded again. ``entry`` maps the payload's other keys (``at`` as a
    datetime, or its ISO text as a package carries it); in sorted order they are action, actor, after, at,
    before, entity, entity_id, hlc, id, node, node_seq, note.

    Each value is spelled by ``_json`` (what ``canonical_json`` writes for it) into one f-string: verify builds
    ~10 million of these at a city hub, and three encoder calls and a dict per entry were half its time."""
    when = entry["at"]
    return (
        f'{{"action":{_json(entry["action"])},"actor":{_json(entry["actor"])},"after":{after or "null"},'
        f'"at":{_json(when if isinstance(when, str) else when.isoformat())},"before":{before or "null"},'
        f'"entity":{_json(entry["entity"])},"entity_id":{_json(entry["entity_id"])},"hlc":{_json(entry["hlc"])},'
        f'"id":{_json(entry["id"])},"node":{_json(entry["node"])},"node_seq":{_json(entry["node_seq"])},'
        f'"note":{_json(entry["note"])}}}'
    )


def _json(value: Any) -> str:
    """``canonical_json(value)``, with the shortcuts its encoder takes for the types an entry holds: a ``str``
    through the same C function (``ensure_ascii=False`` uses ``encode_basestring``), an ``int`` as its repr."""
    kind = value.__class__
    if kind is str:
        return _encode_str(value)
    if value is None:
        return "null"
    if kind is int:
        return int.__repr__(value)
    return canonical_json(value)


def text_hash(prev_hash: str, payload: str) -> str:
    """``entry_hash`` of a payload already in canonical JSON text."""
    return hashlib.sha256((prev_hash + payload).encode("utf-8")).hexdigest()


def chain_head(session: Session, node: str) -> tuple[int, str]:
    """The last entry held of ``node``'s chain: its number and hash; ``(0, GENESIS)`` when none is held."""
    head = session.execute(
        select(AuditEntry.node_seq, AuditEntry.hash)
        .where(AuditEntry.node == node)
        .order_by(AuditEntry.node_seq.desc())
        .limit(1)
    ).first()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


@dataclass(frozen=True)
class AuditProblem:
    node: str
    node_seq: int
    seq: int | None
    zh: str
    en: str
    entity: str | None = None  # the row the bad entry is about (table and id), when the entry is still there
    entity_id: str | None = None


@dataclass(frozen=True)
class ChainHead:
    """The last entry of one node's chain that a verification found intact: its position and hash."""

    node: str
    node_seq: int
    hash: str


@dataclass(frozen=True)
class AuditReport:
    entries: int  # entries hashed by this run (only those after the verified heads when incremental)
    chains: int
    problem: AuditProblem | None
    heads: tuple[ChainHead, ...] = ()  # where every chain ends, when it was found intact
    incremental: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


VERIFY_CHUNK = 2000  # entries fetched at a time: memory stays flat at any trail length

# The stored values as they are (no per-value type processing: ~10 million entries at a city hub); the walk
# reads them with ``audit_codec``'s decoders, which take the compact form and the plain one alike.
_ENTRY_COLUMNS = (
    AuditEntry.seq,
    stored_value(AuditEntry.id),
    AuditEntry.node,
    AuditEntry.node_seq,
    AuditEntry.actor,
    stored_value(AuditEntry.at),
    AuditEntry.action,
    AuditEntry.entity,
    stored_value(AuditEntry.entity_id),
    AuditEntry.hlc,
    stored_value(AuditEntry.before),
    stored_value(AuditEntry.after),
    AuditEntry.note,
    stored_value(AuditEntry.hash),
)


class VerifyCancelled(BangfuError):
    """The user stopped a verification; it changes nothing, so nothing needs undoing."""

    def __init__(self) -> None:
        super().__init__("校验已取消。", "Verification cancelled.")


def verify(
    session: Session,
    *,
    since: Mapping[str, ChainHead] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    helper: bool | None = None,
    hash_here: bool = True,
) -> AuditReport:
    """Check every chain; report the first bad entry (edited, removed, reordered, or the tail cut off).

    Streams the trail chain by chain, ``VERIFY_CHUNK`` entries at a time, as plain column rows (no ORM
    objects kept in the session), so memory does not grow with the trail. ``since``: heads found intact
    before (``ChainHead`` by node); each chain then starts after its head, once the head entry is checked to
    be unchanged. That proves the new entries extend what was verified; an old entry edited without touching
    its stored hash is only caught by a full run. ``progress(done, total)`` after every chunk; when
    ``cancelled()`` turns true, ``VerifyCancelled`` is raised.

    ``helper``: hash part of the runs in a helper process on the second core (``app.audit_helper``); None
    decides by the trail's length (from ``HELPER_FROM`` entries: below, starting a process costs more than it
    saves) on a machine with more than one core. ``hash_here=False``: the helper hashes every run, this
    thread only reads (the caller's core has other work, e.g. the row check).
    """
    with scan_cache(session.connection()):
        return _verify(session, since or {}, progress, cancelled, helper, hash_here)


HELPER_FROM = 100_000  # entries to hash, from which verify starts a helper process


def _verify(
    session: Session,
    since: Mapping[str, ChainHead],
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    helper: bool | None,
    hash_here: bool,
) -> AuditReport:
    own = session.scalars(select(NodeInfo)).first()
    nodes = sorted(session.scalars(select(AuditEntry.node).distinct()))
    for node in since:
        if node not in nodes:
            nodes.append(node)  # a verified chain whose every entry is gone: caught at its head below
    starts = {node: since[node].node_seq if node in since else 0 for node in nodes}
    total = sum(
        session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.node == node, AuditEntry.node_seq > start)
        )
        or 0
        for node, start in starts.items()
    )
    use_helper = total >= HELPER_FROM and (os.cpu_count() or 1) > 1 if helper is None else helper
    with ChainHasher(first_altered, helper=use_helper, local=hash_here or not use_helper) as hasher:
        return _walk(session, own, nodes, since, total, hasher, progress, cancelled)


def _walk(
    session: Session,
    own: NodeInfo | None,
    nodes: list[str],
    since: Mapping[str, ChainHead],
    total: int,
    hasher: ChainHasher,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> AuditReport:
    count = 0
    heads: list[ChainHead] = []
    for node in nodes:
        head = since.get(node)
        expected_seq, prev_hash = (head.node_seq, head.hash) if head is not None else (0, GENESIS)
        if head is not None:
            stored = session.execute(
                select(AuditEntry.seq, AuditEntry.hash, AuditEntry.entity, AuditEntry.entity_id).where(
                    AuditEntry.node == node, AuditEntry.node_seq == head.node_seq
                )
            ).first()
            if stored is None or stored.hash != head.hash:
                problem = _changed_since_verified(head, stored)
                return AuditReport(count, len(heads), problem, incremental=True)
        rows = session.execute(
            select(*_ENTRY_COLUMNS)
            .where(AuditEntry.node == node, AuditEntry.node_seq > expected_seq)
            .order_by(AuditEntry.node_seq)
            .execution_options(yield_per=VERIFY_CHUNK)
        )
        # Runs of entries are hashed out of order (here or in the helper) and settled in chain order, so the
        # first bad entry named is the lowest, as in a walk of one entry after the other. The sequence numbers
        # are checked here as the runs are read: a run ends before a missing entry.
        runs: deque[_Run] = deque()
        missing: int | None = None
        for chunk in chain(rows.partitions(), (None,)):  # None: the chain's end, where every run is settled
            if chunk is not None:
                if cancelled is not None and cancelled():
                    raise VerifyCancelled()
                entries = [tuple(entry) for entry in chunk]
                for index, entry in enumerate(entries):
                    if entry[_NODE_SEQ] != expected_seq + index + 1:
                        missing = expected_seq + index + 1
                        del entries[index:]
                        break
                if entries:
                    runs.append(_Run(entries, hasher.submit(prev_hash, entries)))
                    expected_seq += len(entries)
                    prev_hash = _hash_text(entries[-1][_HASH])
            settle_all = chunk is None or missing is not None
            while runs and (settle_all or runs[0].pending.done() or len(runs) > _RUNS_AHEAD):
                run = runs.popleft()
                bad = run.pending.result()
                if bad is not None:
                    count += bad + 1
                    problem = _altered(node, run.entries[bad])
                    return AuditReport(count, len(heads) + 1, problem, incremental=bool(since))
                count += len(run.entries)
                if progress is not None:
                    progress(count, total)
            if missing is not None:
                count += 1
                problem = AuditProblem(
                    node,
                    missing,
                    None,
                    f"审计记录缺失：节点 {node} 的第 {missing} 条记录不存在（被删除）。",
                    f"Audit entry missing: entry {missing} of node {node} is gone (removed).",
                )
                return AuditReport(count, len(heads) + 1, problem, incremental=bool(since))
        heads.append(ChainHead(node, expected_seq, prev_hash))
    if own is not None:
        last = next((h for h in heads if h.node == own.code), ChainHead(own.code, 0, GENESIS))
        head_problem = _check_head(own, last.node_seq, last.hash)
        if head_problem:
            return AuditReport(count, len(heads), head_problem, incremental=bool(since))
    return AuditReport(count, len(heads), None, tuple(heads), incremental=bool(since))


def first_altered(prev_hash: str, entries: Sequence[tuple[Any, ...]]) -> int | None:
    """The index of the first of ``entries`` (consecutive entries of one chain, as ``_ENTRY_COLUMNS``) whose
    stored hash is not ``sha256(previous hash + canonical JSON of the entry)``; None when all match.
    ``prev_hash``: the stored hash of the entry before the first. Runs in the helper process too."""
    for index, (
        _s,
        id_,
        node,
        node_seq,
        actor,
        at,
        action,
        entity,
        entity_id,
        hlc,
        before,
        after,
        note,
        hashed,
    ) in enumerate(entries):
        stored_hash = _hash_text(hashed)
        # A hash stub's own hash is taken as received (its content was withheld); the next entry's hash covers
        # it as that entry's previous hash, so a stub cannot be changed unseen either.
        if action != WITHHELD:
            try:
                payload = payload_text(
                    {
                        "action": action,
                        "actor": actor,
                        "at": time_text(at),
                        "entity": entity,
                        "entity_id": decode_id(entity_id),
                        "hlc": hlc,
                        "id": decode_id(id_),
                        "node": node,
                        "node_seq": node_seq,
                        "note": note,
                    },
                    document_text(before),
                    document_text(after),
                )
            except StoredEntryDamaged:
                return index
            if text_hash(prev_hash, payload) != stored_hash:
                return index
        prev_hash = stored_hash
    return None


_NODE_SEQ = 3  # positions in a row of _ENTRY_COLUMNS
_HASH = 13
_RUNS_AHEAD = 4  # runs read and not yet settled, at most (memory: a few VERIFY_CHUNKs of entries)


@dataclass(frozen=True, slots=True)
class _Run:
    entries: list[tuple[Any, ...]]
    pending: Pending


def _altered(node: str, entry: tuple[Any, ...]) -> AuditProblem:
    seq, node_seq, entity, entity_id = entry[0], entry[_NODE_SEQ], entry[7], decode_id(entry[8])
    return AuditProblem(
        node,
        node_seq,
        seq,
        f"审计记录被篡改：节点 {node} 的第 {node_seq} 条记录（序号 {seq}）与哈希链不符。",
        f"Audit entry altered: entry {node_seq} of node {node} (seq {seq}) does not match the hash chain.",
        entity,
        entity_id,
    )


def _hash_text(stored: Any) -> str:
    """A stored hash as the hex text the next entry's hash covers; "" for a value no writer stores (NULL, a
    number written by hand), which then matches no hash, so the walk names the entry instead of failing."""
    value = decode_hash(stored)
    return value if isinstance(value, str) else ""


def _changed_since_verified(head: ChainHead, stored: Any) -> AuditProblem:
    if stored is None:
        return AuditProblem(
            head.node,
            head.node_seq,
            None,
            f"审计记录缺失：节点 {head.node} 的第 {head.node_seq} 条记录在上次校验后被删除。",
            f"Audit entry missing: entry {head.node_seq} of node {head.node} was removed after it was verified.",
        )
    return AuditProblem(
        head.node,
        head.node_seq,
        stored.seq,
        f"审计记录被篡改：节点 {head.node} 的第 {head.node_seq} 条记录（序号 {stored.seq}）在上次校验后被改动。",
        f"Audit entry altered: entry {head.node_seq} of node {head.node} (seq {stored.seq}) changed after it was "
        "verified.",
        stored.entity,
        stored.entity_id,
    )


def _check_head(own: NodeInfo, last_seq: int, last_hash: str) -> AuditProblem | None:
    if own.audit_head_seq == last_seq and (own.audit_head_hash or GENESIS) == last_hash:
        return None
    missing = own.audit_head_seq if own.audit_head_seq > last_seq else last_seq
    return AuditProblem(
        own.code,
        missing,
        None,
        f"审计记录链尾不符：应有 {own.audit_head_seq} 条本节点记录，实有 {last_seq} 条（第 {missing} 条被删除或篡改）。",
        f"The end of the audit chain does not match: {own.audit_head_seq} entries of this node expected, "
        f"{last_seq} found (entry {missing} removed or altered).",
    )


@dataclass(frozen=True)
class RowProblem:
    entity: str
    entity_id: str
    field: str | None
    zh: str
    en: str


def verify_rows(
    session: Session,
    limit: int = 20,
    *,
    cancelled: Callable[[], bool] | None = None,
    touched: Mapping[str, Collection[str]] | None = None,
) -> list[RowProblem]:
    """Check that every synced row is what the audit trail says it is.

    For each field the row names the stamp of its last change (``field_hlc``, else the creation stamp); the
    audit entry with that stamp must carry exactly the row's value. A row edited or removed behind the
    program's back (e.g. with a SQLCipher shell) therefore shows up even though the chain itself is intact.
    Streams table by table, merge-joining rows and entries ordered by id, so memory stays flat. When
    ``cancelled()`` turns true (checked every ``VERIFY_CHUNK`` rows), ``VerifyCancelled`` is raised.
    ``touched``: check only these rows (table → ids, e.g. ``touched_since``), each against all of its entries.
    """
    with scan_cache(session.connection()):
        return _verify_rows(session, limit, cancelled, touched)


def touched_since(session: Session, since: Mapping[str, ChainHead], heads: Sequence[ChainHead]) -> dict[str, set[str]]:
    """The rows (table → ids) the entries after the verified heads ``since`` are about, in the chains whose
    current ``heads`` an incremental walk just found (a chain with no verified head: all of its entries):
    what an incremental row check reads. One index range per chain."""
    touched: dict[str, set[str]] = {}
    about = select(AuditEntry.entity, AuditEntry.entity_id)
    for head in heads:
        after = since[head.node].node_seq if head.node in since else 0
        query = about.where(AuditEntry.node == head.node, AuditEntry.node_seq > after)
        for entity, entity_id in session.execute(query):
            if entity_id is not None:  # events about no row (an export, a setting)
                touched.setdefault(entity, set()).add(entity_id)
    return touched


_TOUCHED_CHUNK = 500  # ids per statement of a touched-rows check (well under SQLite's bound-variable limit)


def _verify_rows(
    session: Session,
    limit: int,
    cancelled: Callable[[], bool] | None,
    touched: Mapping[str, Collection[str]] | None,
) -> list[RowProblem]:
    from app.domain.models import SYNCED_MODELS
    from app.domain.serialize import business_columns, date_columns

    check = _RowCheck(session, limit, cancelled)
    for model in SYNCED_MODELS:
        table = model.__tablename__  # type: ignore[attr-defined]
        fields = business_columns(model)
        dates, datetimes = date_columns(model)
        timed = [name for name in fields if name in dates or name in datetimes]  # JSON spells them isoformat()
        # Plain column rows, not ORM objects: at a city hub this reads ~10 million rows. ``field_hlc`` as
        # stored: it is "{}" (no field changed since the row was created) for almost every row.
        rows = select(model.id, stored_value(model.field_hlc), *(getattr(model, name) for name in fields))
        entries = select(*_ROW_ENTRY_COLUMNS).where(AuditEntry.entity == table)
        if touched is None:
            parts = [(rows, entries)]
        else:  # the same merge-join over sorted runs of the touched ids
            ids = sorted(touched.get(table, ()))
            runs = [ids[i : i + _TOUCHED_CHUNK] for i in range(0, len(ids), _TOUCHED_CHUNK)]
            parts = [(rows.where(model.id.in_(run)), entries.where(AuditEntry.entity_id.in_(run))) for run in runs]
        for rows_part, entries_part in parts:
            if check.table(table, fields, timed, rows_part.order_by(model.id), entries_part):
                return check.problems
    return check.problems


class _RowCheck:
    """The row check's state across tables: the problems found so far and sync's row identities."""

    def __init__(self, session: Session, limit: int, cancelled: Callable[[], bool] | None) -> None:
        from app.sync.models import row_identities

        self.connection = session.connection()
        self.problems: list[RowProblem] = []
        self.limit, self.cancelled = limit, cancelled
        # Sync: entries about rows this node does not hold on purpose are not missing rows, and a row another
        # node created under its own id (same natural key, e.g. a region's code) is ours under an alias.
        self.aliases, self.absent = row_identities(session)
        self.aliased: dict[str, list[Any]] = {}
        if self.aliases:
            query = select(*_ROW_ENTRY_COLUMNS).where(AuditEntry.entity_id.in_(list(self.aliases)))
            for entry in session.execute(query):
                self.aliased.setdefault(self.aliases[entry.entity_id], []).append(entry)

    def _gone(self, table: str, entity_id: str | None) -> None:
        if entity_id not in self.absent and entity_id not in self.aliases:
            self.problems.append(_missing_row(table, entity_id))

    def table(self, table: str, fields: tuple[str, ...], timed: list[str], rows_query: Any, entries_query: Any) -> bool:
        """Merge-join rows (ordered by id) with their entries; True once ``limit`` problems are found."""
        rows = self.connection.execute(rows_query.execution_options(yield_per=VERIFY_CHUNK))
        entries = self.connection.execute(
            entries_query.order_by(AuditEntry.entity_id, AuditEntry.seq).execution_options(yield_per=VERIFY_CHUNK)
        )
        problems, cancelled = self.problems, self.cancelled
        # fetched VERIFY_CHUNK rows at a time and walked in C (a result's own iterator fetches row by row)
        entry_iter = chain.from_iterable(entries.partitions())
        pending = next(entry_iter, None)
        for number, (row_id, stored_stamps, *row_values) in enumerate(chain.from_iterable(rows.partitions())):
            if number % VERIFY_CHUNK == 0 and cancelled is not None and cancelled():
                raise VerifyCancelled()
            while pending is not None and pending.entity_id < row_id:
                self._gone(table, pending.entity_id)
                pending = _skip_entity(entry_iter, pending.entity_id)
            own: list[Any] = []  # rows of _ROW_ENTRY_COLUMNS
            while pending is not None and pending.entity_id == row_id:
                own.append(pending)
                pending = next(entry_iter, None)
            values = dict(zip(fields, row_values, strict=True))
            for name in timed:
                if values[name] is not None:
                    values[name] = values[name].isoformat()
            stamps = _stamps(stored_stamps)
            if stamps is None:
                problems.append(_damaged_stamps(table, row_id))
            elif stamps or not _created_as_is(own, values):
                problem = _row_problem(
                    table, row_id, fields, values, stamps, own, self.aliased.get(row_id, ()), self.aliases
                )
                if problem is not None:
                    problems.append(problem)
            if len(problems) >= self.limit:
                return True
        while pending is not None:
            self._gone(table, pending.entity_id)
            pending = _skip_entity(entry_iter, pending.entity_id)
            if len(problems) >= self.limit:
                return True
        return False


# entity_id decoded (rows are matched by id), the document as stored (decoded only when needed)
_ROW_ENTRY_COLUMNS = (AuditEntry.entity_id, AuditEntry.action, AuditEntry.hlc, stored(AuditEntry.after).label("after"))


def _stamps(stored_stamps: Any) -> dict[str, str] | None:
    """A row's ``field_hlc`` as stored → the stamps by field (``{}`` for none); ``None`` when it is not a JSON
    object (written behind the program's back)."""
    if stored_stamps is None or stored_stamps == "{}":
        return {}
    if isinstance(stored_stamps, str):  # SQLite: JSON text; another database's driver hands out the dict
        try:
            stored_stamps = json.loads(stored_stamps)
        except ValueError:
            return None
    return stored_stamps if isinstance(stored_stamps, dict) else None


def _damaged_stamps(table: str, row_id: str) -> RowProblem:
    return RowProblem(
        table,
        row_id,
        "field_hlc",
        f"{table} 的一行字段修改记录（field_hlc）已损坏（被改动）。",
        f"The field stamps (field_hlc) of a {table} row are damaged (altered).",
    )


def _created_as_is(entries: list[Any], values: dict[str, Any]) -> bool:
    """The common case, decided without parsing any JSON: no field changed since the row was created (no
    stamps), and the row's first creation document is, character for character, the canonical JSON of the
    row's values — then every field equals what the entry recorded. Anything else: ``_row_problem`` decides."""
    for entry in entries:
        if entry.action == "create" and entry.after is not None:
            try:
                return document_text(entry.after) == canonical_json(values)
            except StoredEntryDamaged:
                return False
    return False


def _row_problem(
    table: str,
    row_id: str,
    fields: tuple[str, ...],
    values: dict[str, Any],
    stamps: dict[str, str],
    entries: list[Any],
    aliased: Any,
    aliases: dict[str, str],
) -> RowProblem | None:
    """The full check of one row: for each field the entry that last changed it (by the field's stamp, else
    the creation) must carry exactly the row's value."""

    def same(recorded: Any, value: Any) -> bool:
        return recorded == value or (isinstance(recorded, str) and aliases.get(recorded) == value)

    by_stamp: dict[str, dict[str, Any]] = {}
    created: dict[str, Any] | None = None
    for entry in aliased:
        after = _document(entry.after)
        if after:
            by_stamp.setdefault(normalize(entry.hlc), {}).update(after)
    for entry in entries:
        after = _document(entry.after)
        if after:
            by_stamp.setdefault(normalize(entry.hlc), {}).update(after)
            if entry.action == "create" and created is None:
                created = after
    if created is None:
        return RowProblem(
            table,
            row_id,
            None,
            f"{table} 中有一行没有审计记录（绕过程序写入）。",
            f"A row of {table} has no audit entry (written behind the program's back).",
        )
    for name in fields:
        source = by_stamp.get(stamps[name], {}) if name in stamps else created
        if name not in source or not same(source[name], values[name]):
            return RowProblem(
                table,
                row_id,
                name,
                f"{table} 的一行字段 {name} 与审计记录不符（被改动）。",
                f"Field {name} of a {table} row does not match the audit trail (altered).",
            )
    return None


def _document(stored_after: bytes | None) -> Any:
    """A stored document parsed; one no format reads counts as none (the chain check names that entry)."""
    try:
        return decode_document(stored_after)
    except StoredEntryDamaged:
        return None


def _missing_row(table: str, entity_id: str | None) -> RowProblem:
    return RowProblem(
        table,
        entity_id or "",
        None,
        f"{table} 的一行已被删除，但审计记录仍在（绕过程序删除）。",
        f"A {table} row is gone although the audit trail has it (removed behind the program's back).",
    )


def _skip_entity(entries: Any, entity_id: str | None) -> Any:
    for entry in entries:
        if entry.entity_id != entity_id:
            return entry
    return None
