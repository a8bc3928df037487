"""How an audit entry is stored: the one module that knows the compact form of ``audit_entry`` rows.

What an entry *means* — its fields, its canonical JSON, its hash — is unchanged (``app.audit``); only the
bytes on disk are smaller, so every chain, signed head and package made before stays valid:

- ``before``/``after``: the entry's canonical JSON (UTF-8), behind a leading format byte: ``0`` the JSON as it
  is, ``1`` raw deflate with the preset dictionary ``DICTIONARY_V1``. A later dictionary takes a new byte, so
  entries stored before stay readable. SQL ``NULL`` is "no document" (JSON ``null``).
- ``id``/``entity_id``: a UUID in its canonical spelling as its 16 bytes; any other text as it is.
- ``hash``: 32 bytes instead of 64 hex characters.
- ``at``: microseconds since 1970 (UTC) as an integer.
- ``prev_hash`` is not stored: it is the hash of the chain's previous entry.

The compact forms apply on SQLite (the desk file); other databases (a PostgreSQL hub) keep text and native
timestamps. Callers see ``str``/``dict``/``datetime`` either way, through the column types below; code that
wants the stored document bytes (verify, export: no JSON parse) selects ``stored(column)`` and reads it with
``document_text``.
"""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, DateTime, LargeBinary, String, type_coerce
from sqlalchemy.types import NullType, TypeDecorator, TypeEngine

from app.audit_dictionary import DICTIONARY_V1
from app.errors import BangfuError

PLAIN = 0  # format byte: canonical JSON, UTF-8
DEFLATE_V1 = 1  # format byte: raw deflate (no header) with DICTIONARY_V1 preset
_DICTIONARIES = {DEFLATE_V1: DICTIONARY_V1}
# A compressor primed with the dictionary once; ``copy()`` per document costs a tenth of priming a new one.
_PRIMED = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_V1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


# One encoder for all calls: json.dumps with non-default options builds a new JSONEncoder each time, which
# shows when a sync import re-hashes 100,000 entries or the demo writes a million.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)


def canonical_json(value: Any) -> str:
    """The one JSON spelling that hashes cover: sorted keys, no spaces, UTF-8 characters unescaped. A dict
    nested in another comes out exactly as it does alone, so a stored document can be spliced into a payload."""
    return _CANONICAL.encode(value)


class StoredEntryDamaged(BangfuError):
    """A stored document that no format reads: the audit table was changed behind the program's back."""

    def __init__(self) -> None:
        super().__init__(
            "审计记录的内容已损坏（被改动），无法读取。",
            "An audit entry's content is damaged (altered) and cannot be read.",
        )


# -- documents (before / after) ------------------------------------------------------------------------------


def encode_document_text(text: str | None) -> bytes | None:
    """Canonical JSON text → stored bytes (the shorter of plain and deflated); ``None``/"null" → ``None``."""
    if text is None or text == "null":
        return None
    raw = text.encode("utf-8")
    compressor = _PRIMED.copy()
    packed = compressor.compress(raw) + compressor.flush()
    if len(packed) < len(raw):
        return bytes((DEFLATE_V1,)) + packed
    return bytes((PLAIN,)) + raw


def encode_document(value: Any) -> bytes | None:
    return None if value is None else encode_document_text(canonical_json(value))


def document_text(stored: Any) -> str | None:
    """Stored bytes → the canonical JSON text (``None`` for no document). Raises ``StoredEntryDamaged`` for bytes
    no format reads (also for text written into the column by hand)."""
    if stored is None:
        return None
    if not isinstance(stored, bytes | bytearray | memoryview) or len(stored) == 0:
        raise StoredEntryDamaged()
    data = bytes(stored)
    kind = data[0]
    if len(data) == 1:  # no JSON is empty: never written so
        raise StoredEntryDamaged()
    try:
        if kind == PLAIN:
            return data[1:].decode("utf-8")
        if kind in _DICTIONARIES:
            inflater = zlib.decompressobj(-15, _DICTIONARIES[kind])
            raw = inflater.decompress(data[1:]) + inflater.flush()
            if not inflater.eof or inflater.unused_data:
                raise StoredEntryDamaged()
            return raw.decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        raise StoredEntryDamaged() from None
    raise StoredEntryDamaged()


def decode_document(stored: Any) -> Any:
    text = document_text(stored)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        raise StoredEntryDamaged() from None


def stored(column: Any) -> Any:
    """``column`` (``AuditEntry.before``/``after``) selected as its stored bytes, for ``document_text``."""
    return type_coerce(column, LargeBinary)


def stored_value(column: Any) -> Any:
    """``column`` selected as the driver returns it, with no type processing (labelled with its own name):
    for a read of the whole trail, decoded by the functions here, which accept either form."""
    return type_coerce(column, NullType()).label(column.key)


# -- ids and hashes --------------------------------------------------------------------------------------


def encode_id(value: str | None) -> bytes | str | None:
    """A UUID in canonical spelling (lower-case hex, dashes at 8-13-18-23) → its 16 bytes; anything else as it
    is, so it reads back unchanged. Two writes per entry: string slicing, not ``uuid.UUID`` (a quarter of it)."""
    if value is None or len(value) != 36 or value[8] != "-" or value[13] != "-" or value[18] != "-" or value[23] != "-":
        return value
    digits = value[:8] + value[9:13] + value[14:18] + value[19:23] + value[24:]
    try:
        data = bytes.fromhex(digits)
    except ValueError:
        return value
    return data if len(data) == 16 and data.hex() == digits else value


def decode_id(value: Any) -> str | None:
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        if len(data) != 16:
            return data.hex()
        h = data.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return value


def encode_hash(value: str | None) -> bytes | str | None:
    if value is None or len(value) != 64:
        return value
    try:
        data = bytes.fromhex(value)
    except ValueError:
        return value
    return data if data.hex() == value else value  # upper-case hex would not read back the same


def decode_hash(value: Any) -> str | None:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def encode_time(value: datetime) -> int:
    """A timezone-aware time → microseconds since 1970 UTC (exact: integer arithmetic on timedelta)."""
    return (value - _EPOCH) // _MICROSECOND


def decode_time(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def time_text(value: Any) -> str:
    """A stored ``at`` (microseconds on SQLite, a naive UTC timestamp elsewhere) → its ISO text as hashed.
    Raises ``StoredEntryDamaged`` for anything else (a value written into the column by hand)."""
    if value.__class__ is int:
        try:
            return decode_time(value).isoformat()
        except OverflowError:
            raise StoredEntryDamaged() from None
    if isinstance(value, datetime):
        return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).isoformat()
    raise StoredEntryDamaged()


# -- column types ------------------------------------------------------------------------------------------


class _SqliteOnly(TypeDecorator[Any]):
    """Compact on SQLite, the implementation type as it is elsewhere."""

    cache_ok = True

    def _compact(self, dialect: Any) -> bool:
        return bool(dialect.name == "sqlite")


class AuditId(_SqliteOnly):
    impl = String(36)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return encode_id(value) if self._compact(dialect) else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return decode_id(value)


class AuditHash(_SqliteOnly):
    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return encode_hash(value) if self._compact(dialect) else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return decode_hash(value)


class AuditDocument(TypeDecorator[Any]):
    """A JSON document stored by ``encode_document`` (on every database: the bytes are the same)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if isinstance(value, bytes):  # encoded already (a writer that also hashed the text); no JSON is bytes
            return value
        return encode_document(value)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return decode_document(value)


class AuditTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python; on SQLite an integer of microseconds (8 bytes, not 26 characters of text
    in the table and again in the date index); elsewhere naive UTC, as ``UTCDateTime``."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> TypeEngine[Any]:
        return dialect.type_descriptor(BigInteger() if dialect.name == "sqlite" else DateTime())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use datetime.now(UTC)")
        return encode_time(value) if dialect.name == "sqlite" else value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        return decode_time(int(value)) if dialect.name == "sqlite" else value.replace(tzinfo=UTC)
