"""Reading a package's payload, and doing it for the next package of a round in a helper process.

A city hub takes ~170 township packages a month, one transaction each. What a package needs before its
apply and that depends on no database state — decompress, parse the JSON, parse every entry's values, hash
every entry, and make its audit rows and created rows ready for the driver (``app.sync.prepared``) — is
about half of its cost; ``Prefetcher`` runs it for package k+1 on the second core while package k applies.

Nothing is weakened by the speculation: the main process checks the header, the sender's certificate and
signature and decrypts the next file (milliseconds) before anything of it is parsed; only the already
decrypted bytes go to the helper (never a key). When the package's own turn comes, ``import_file`` runs the
whole order of checks again on the very same bytes, against the database as it is then, and only after they
pass takes the helper's result. If the helper failed or refused, the package is parsed again in-process,
which raises the same refusal. Called from one thread (the one running the round).
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from app.audit import entry_hash, payload_text, text_hash
from app.audit_codec import encode_document_text
from app.sync import package
from app.sync.bulk import DialectKey
from app.sync.errors import PackageRefused
from app.sync.exporter import ENTRY_COLUMNS
from app.sync.prepared import STORED, Prepared, prepare

_HASHED = ("id", "node", "node_seq", "actor", "at", "action", "entity", "entity_id", "hlc", "before", "after", "note")


@dataclass
class Parsed:
    """A payload ready to apply: its entries with values parsed, and which entries carry a hash that matches
    their own ``prev_hash`` and content (their place in a chain is checked at the apply, against the chain
    held then)."""

    payload: dict[str, Any]
    entries: list[dict[str, Any]]
    hashed: set[int] = field(default_factory=set)  # id() of the entries whose hash matches
    rows: Prepared | None = None  # their rows made ready for the driver (app.sync.prepared), in the helper

    def hash_matches(self, e: dict[str, Any]) -> bool:
        return id(e) in self.hashed


def hashed_payload(e: dict[str, Any]) -> dict[str, Any]:
    """What an entry's hash covers."""
    return {k: e[k] for k in _HASHED}


def parse(plain: bytes, header: dict[str, Any]) -> Parsed:
    """Decrypted bytes → a payload ready to apply. Raises ``PackageRefused`` for a damaged payload."""
    payload = package.read_payload(plain, header)
    entries = parse_entries(payload)
    payload["entries"] = None  # parsed above: the raw rows need not stay in memory (nor cross a process)
    hashed = {id(e) for e in entries if e["action"] != "withheld" and _hash_matches(e)}
    for e in entries:  # hashed: the texts are not read again (and need not cross a process: a third of the bytes)
        del e["before_json"], e["after_json"]
    return Parsed(payload, entries, hashed)


def _hash_matches(e: dict[str, Any]) -> bool:
    """The entry's hash covers its content. A sender of this version sends each document as the canonical JSON
    text it stores: hashed as sent, spliced into the payload (no encoding), and when that matches, the text is
    the canonical one, so its stored form is made here too (``STORED``: in a hub round, on the helper's core,
    not the applying one). Older senders' text (escaped characters) is hashed from the parsed values."""
    before, after = _document(e["before_json"]), _document(e["after_json"])
    if text_hash(e["prev_hash"], payload_text(e, before, after)) == e["hash"]:
        e[STORED] = (encode_document_text(before), encode_document_text(after))
        return True
    return entry_hash(e["prev_hash"], hashed_payload(e)) == e["hash"]


def _document(text: Any) -> str | None:
    return None if text is None or text == "null" else str(text)


def parse_entries(payload: dict[str, Any]) -> list[dict[str, Any]]:
    try:
        columns = [str(c) for c in payload["entry_columns"]]
        if set(columns) != set(ENTRY_COLUMNS):
            raise ValueError("unexpected entry columns")
        entries = [dict(zip(columns, row, strict=True)) for row in payload["entries"]]
        for e in entries:
            e["before"] = _json(e["before_json"])
            e["after"] = _json(e["after_json"])
            if not isinstance(e["node_seq"], int) or not all(
                isinstance(e[k], str) for k in ("id", "node", "at", "action", "entity", "hlc", "prev_hash", "hash")
            ):
                raise ValueError("entry field types")
        return entries
    except (KeyError, TypeError, ValueError):
        raise package.damaged() from None


def _json(text: str | None) -> Any:
    """Stored JSON text to a value; "null" (every create's ``before``) without the decoder's per-call cost."""
    if text is None or text == "null":
        return None
    return json.loads(text)


def _parse_in_helper(
    plain: bytes, header: dict[str, Any], dialect: DialectKey | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]], list[int], Prepared | None] | None:
    """Runs in the helper process. Sends back plain data (positions, not ids, name the hashed entries), with
    the rows made ready for ``dialect``'s driver; None for a refusal, which the main process then raises
    itself, in its own words and order."""
    try:
        parsed = parse(plain, header)
    except PackageRefused:
        return None
    try:
        rows = prepare(parsed.entries, dialect) if dialect is not None else None
    except Exception:  # e.g. no such dialect here: the rows are made by the merge, as without a helper
        rows = None
    return parsed.payload, parsed.entries, [n for n, e in enumerate(parsed.entries) if id(e) in parsed.hashed], rows


@dataclass
class Ahead:
    """A file read (and its parse started) before its turn."""

    path: Path
    data: bytes
    plain: bytes
    future: Future[Any]

    def parsed(self, plain: bytes, header: dict[str, Any]) -> Parsed:
        """The helper's parse if it is of these very bytes and succeeded; else parse here (same result, or the
        same refusal)."""
        try:
            result = self.future.result() if plain == self.plain else None
        except Exception:  # the helper died (memory, a killed process): do the work here
            result = None
        if result is None:
            return parse(plain, header)
        payload, entries, hashed, rows = result
        return Parsed(payload, entries, {id(entries[n]) for n in hashed}, rows.bind(entries) if rows else None)


class Prefetcher:
    """One helper process for a round of packages; ``ahead(path, start)`` starts the next file's parse."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._ahead: Ahead | None = None
        self._broken = False

    def __enter__(self) -> Prefetcher:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._ahead = None

    def start(
        self, path: Path, data: bytes, plain: bytes, header: dict[str, Any], dialect: DialectKey | None = None
    ) -> None:
        """Parse ``plain`` (``path``'s decrypted payload) in the helper while the caller goes on; with
        ``dialect``, also make its rows ready for that dialect's driver (``app.sync.prepared``)."""
        if self._broken:
            return
        try:
            if self._pool is None:
                # spawn, not fork: the GUI process has threads (Qt, the task runner) a fork would copy mid-state
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            future = self._pool.submit(_parse_in_helper, plain, header, dialect)
        except (BrokenProcessPool, OSError, RuntimeError):  # no helper to be had: the round goes on without
            self._broken = True
            return
        self._ahead = Ahead(path, data, plain, future)

    def take(self, path: Path) -> Ahead | None:
        """What was started for ``path`` (once), if anything."""
        ahead, self._ahead = self._ahead, None
        return ahead if ahead is not None and ahead.path == path else None
