"""Import: verify → decrypt → check → apply all or nothing, with a DHIS2-style summary and a receipt.

Order of checks: the framing and header (bounded), then the sender's signature over the whole file with the
key the directory holds for it (unknown or revoked senders are refused here), then the recipient and the
schema, then decryption and the manifest. Nothing of the payload is parsed before the signature checks.
A package applied before (same package id) is a no-op that re-issues its receipt; an older package after a
newer one applies nothing (its entries are held already); one that starts after what we hold is refused
with "resend from N". Package numbers order a folder's files but decide nothing: a node restored from a
backup counts them again from an older value. Everything else happens in one database transaction: directory
updates, receipts for our own packages, the merge, the rule checks, our receipt and the import log. A dry
run does all of it and rolls back. Refusals are logged (a separate, small transaction) and raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.audit import chain_head
from app.domain.models import AuditEntry
from app.gc_pause import paused_gc
from app.services import settings
from app.storage.database import Database
from app.storage.migrate import alembic_config
from app.sync import anchor, fork, keys, package, prefetch, rules, scope
from app.sync.bulk import dialect_key
from app.sync.errors import Diverged, GapRefused, NotTrusted, PackageRefused, SyncError
from app.sync.merge import Merger
from app.sync.models import SyncImportLog, SyncPeerState, SyncReceipt

# Refusals that a real import answers with a receipt for the sender, though nothing is applied: a gap ("resend
# from N"), a schema too new, a diverged chain (its receipt starts the fork that heals a restored node). A
# preview (dry run) writes nothing, so these are imported for real too when the officer applies.
ANSWERED_REFUSALS = frozenset({"gap", "schema", "diverged"})


@dataclass
class ImportReport:
    """What an import did or would do; printed by the CLI, shown by the GUI, stored in the import log."""

    file: str
    status: str
    dry_run: bool = False
    sender: str | None = None
    package_id: str | None = None
    seq: int | None = None
    from_seq: int | None = None
    to_seq: int | None = None
    tables: dict[str, dict[str, int]] = field(default_factory=dict)
    new_entries: int = 0
    held_entries: int = 0
    quarantined: int = 0
    conflicts: int = 0
    rule_violations: int = 0
    receipts: int = 0
    errors: list[dict[str, str]] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    exit_code: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _known_schemas() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def _refused_schema(found: str) -> PackageRefused:
    return PackageRefused(
        "schema",
        f"同步包来自更新版本的帮扶通（结构版本 {found}），请先升级本机程序。",
        f"the package comes from a newer Bangfu (schema {found}); upgrade this program first.",
    )


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > package.MAX_PACKAGE_BYTES:
            raise PackageRefused(
                "too_large",
                f"文件 {size / 2**20:,.0f} MB，超过同步包上限 {package.MAX_PACKAGE_BYTES / 2**20:,.0f} MB，未读取。",
                f"the file is {size / 2**20:,.0f} MB, above the {package.MAX_PACKAGE_BYTES / 2**20:,.0f} MB "
                "package limit; it was not read.",
            )
        return path.read_bytes()
    except IsADirectoryError:
        raise package.not_a_package() from None
    except OSError as exc:
        raise SyncError(
            f"无法读取文件：{exc.strerror or '读取失败'}。", f"Cannot read the file: {exc.strerror or exc}."
        ) from None


def verify(session: Session, data: bytes) -> package.Envelope:
    """Framing, sender and signature, then the recipient: what is checked before anything else is read."""
    envelope = package.split(data)
    header = envelope.header
    public = keys.sender_key(session, header["sender"], header["sender_key"])
    if not keys.signature_ok(public, envelope.signature, envelope.signed):
        raise package.bad_signature()
    me = keys.own_node(session).code
    if header["recipients"] != [me]:
        raise PackageRefused(
            "wrong_recipient",
            f"本包是发给 {'、'.join(map(str, header['recipients']))} 的，不是本机（{me}）。",
            f"the package is for {', '.join(map(str, header['recipients']))}, not for this node ({me}).",
        )
    sender = header["sender"]
    if keys.parent_of(session, me) != sender and keys.parent_of(session, sender) != me:
        raise PackageRefused(
            "not_neighbour",
            f"发送方 {sender} 既不是本机的上级也不是下级，只接受上下级之间的同步包。",
            f"the sender {sender} is neither this node's parent nor a child; packages travel only between them.",
        )
    return envelope


def import_file(
    db: Database,
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    ahead: prefetch.Ahead | None = None,
) -> ImportReport:
    """Import one package. ``progress(done, total)`` is called as the entries' changes are applied (inside
    the transaction: whatever happens to the process then, nothing of the package is kept). ``ahead``: the
    file as read and parsed ahead of its turn (``import_folder``); every check still runs here, now."""
    with paused_gc():  # the payload is a large acyclic batch: the collector only costs (see app.gc_pause)
        return _import_file(db, Path(path), dry_run, progress, ahead)


def _import_file(
    db: Database,
    path: Path,
    dry_run: bool,
    progress: Callable[[int, int], None] | None,
    ahead: prefetch.Ahead | None,
) -> ImportReport:
    report = ImportReport(file=path.name, status="refused", dry_run=dry_run)
    try:
        data = ahead.data if ahead is not None else _read(path)
        with db.session() as s:
            envelope = verify(s, data)
            header = envelope.header
            report.sender, report.package_id, report.seq = header["sender"], header["package_id"], header["seq"]
            report.from_seq, report.to_seq = header["from_seq"], header["to_seq"]
            if header["schema"] not in _known_schemas():
                raise _refused_schema(header["schema"])
            state = s.get(SyncPeerState, header["sender"])
            applied = select(SyncImportLog.id).where(
                SyncImportLog.package_id == header["package_id"],
                SyncImportLog.status == "applied",
                SyncImportLog.dry_run.is_(False),
            )
            if s.scalars(applied).first() is not None:
                return _duplicate(db, s, report, dry_run)
            held = state.in_upto if state is not None else 0
            if header["from_seq"] > held:
                raise GapRefused(held, header["from_seq"], header["sender"], keys.own_node(s).code)
            plain = package.decrypt(envelope, keys.age_identities(s))
        parsed = ahead.parsed(plain, header) if ahead is not None else prefetch.parse(plain, header)
        _apply(db, parsed, report, dry_run, progress, held)
        return report
    except PackageRefused as exc:
        report.status = exc.status
        report.errors.append({"zh": exc.zh, "en": exc.en})
        report.exit_code = exc.exit_code
        if not dry_run:
            _log_refusal(db, report, exc)
        raise


def _duplicate(db: Database, s: Session, report: ImportReport, dry_run: bool) -> ImportReport:
    """Already applied: change nothing, send the same receipt again."""
    report.status = "duplicate"
    receipt = s.scalars(
        select(SyncReceipt).where(SyncReceipt.direction == "out", SyncReceipt.package_id == report.package_id)
    ).first()
    if receipt is None:  # an older package superseded by a later cumulative one: the newest receipt answers
        receipt = s.scalars(
            select(SyncReceipt)
            .where(SyncReceipt.direction == "out", SyncReceipt.peer == report.sender)
            .order_by(SyncReceipt.number.desc())
        ).first()
    if receipt is not None:
        report.tables = dict(receipt.counts.get("tables", {}))
    if dry_run:
        s.rollback()
    else:
        if receipt is not None:
            receipt.sent_in = None
        s.add(_log_row(db, report))
        s.commit()
    return report


def _apply(
    db: Database,
    parsed: prefetch.Parsed,
    report: ImportReport,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
    held_before: int = 0,
) -> None:
    payload, entries = parsed.payload, parsed.entries
    sender = str(report.sender)
    with db.session() as s:
        s.begin()
        try:
            me = keys.own_node(s)
            try:
                keys.merge_directory(s, payload.get("directory") or {})
            except NotTrusted as exc:
                raise PackageRefused("directory", exc.zh, exc.en) from None
            state = keys.ensure_peer(s, sender)
            report.receipts = _take_receipts(s, state, payload.get("receipts") or [], report)
            limit_ms = int(float(settings.get(s, "clock_skew_limit_hours")) * 3_600_000)
            merger = Merger(s, rank=keys.authority_rank(s), skew_limit_ms=limit_ms, package_id=str(report.package_id))
            merger.progress = progress
            merger.hashed = parsed.hash_matches
            merger.prepared = parsed.rows
            scope.check_authors(s, entries)
            merger.sender, merger.me = sender, me.code
            merger.accept_stubs = keys.parent_of(s, me.code) == sender
            merger.screen = lambda fresh: scope.out_of_scope(s, fresh, merger.alias)
            # Our own chain comes only from our parent, returned after a restore: no cost up the tree (the hub).
            returned = merger.accept_stubs and any(e["node"] == me.code for e in entries)
            heads = payload.get("heads") or []
            heads = heads if isinstance(heads, list) else [None]
            branch = fork.prepare(s, me.code, sender, entries, heads) if returned else None
            try:
                result = merger.apply(entries)
            except IntegrityError:  # a row this database cannot take (a constraint no merge rule covers)
                raise PackageRefused(
                    "integrity",
                    "包中的数据与本机数据冲突，无法合并（已全部撤销），请把该包交给技术支持。",
                    "the package's data clashes with this database and cannot be merged (nothing was applied); "
                    "hand the package to support.",
                ) from None
            if returned:
                healed = fork.append(db, s, sender, branch)
                if healed is not None:  # the rewind warning of the receipt no longer applies
                    report.warnings = [w for w in report.warnings if w.get("kind") != "rewound"] + [healed]
            anchor.take_heads(s, heads)
            report.tables = {t: c.as_dict() for t, c in sorted(result.tables.items())}
            report.new_entries, report.held_entries = result.new_entries, result.held_entries
            report.quarantined = result.quarantined
            report.warnings += result.warnings
            report.conflicts = sum(c.conflicts for c in result.tables.values())
            if result.touched:
                violations = rules.rule_violations(s, result.households, result.touched_rules)
                if me.role != "township":
                    violations += rules.duplicate_violations(s, result.households)
                report.rule_violations = rules.queue(s, violations, report.package_id)
            # An older package after a newer one: everything in it is here already. Say so, not "applied".
            nothing_new = (
                report.new_entries == 0 and report.receipts == 0 and int(report.to_seq or 0) <= held_before
                and report.held_entries > 0
            )  # fmt: skip
            report.status = "duplicate" if nothing_new else "applied"
            if nothing_new:
                report.warnings.append(
                    {
                        "zh": "已包含在之前的同步包中，没有新内容。",
                        "en": "Already contained in an earlier package: nothing new.",
                    }
                )
            own_head = next((h for h in heads if isinstance(h, dict) and h.get("node") == sender), None)
            ack = anchor.acknowledge(s, own_head) if own_head else None
            _issue_receipt(s, state, report, ack, returns_from=fork.lost_from(s, own_head) if own_head else None)
            state.in_seq = max(state.in_seq, int(report.seq or 0))
            state.in_upto = max(state.in_upto, int(report.to_seq or 0))
            state.last_import_at = datetime.now(UTC)
            s.add(_log_row(db, report))
            if dry_run:
                s.rollback()
                return
            s.commit()
        except BaseException:
            s.rollback()
            raise
    if result.max_stamp and db.clock is not None:
        db.clock.observe(result.max_stamp)
        db.save_clock()


def _take_receipts(s: Session, state: SyncPeerState, receipts: list[dict[str, Any]], report: ImportReport) -> int:
    """Receipts the peer issued for our packages: the newest one tells what it holds (a gap resets us).

    A receipt ahead of our own trail (the peer confirms more than we hold, or acknowledges a head that is not
    ours) means this database was restored from a backup: the officer is told, and what the peer confirmed is
    not taken as sent, so edits made since the restore are not skipped on the next export."""
    taken = 0
    ours = s.scalar(select(func.max(AuditEntry.seq))) or 0
    for r in sorted(receipts, key=lambda r: int(r["number"])):
        if int(r["number"]) <= state.ack_receipt_no:
            continue
        state.ack_receipt_no = int(r["number"])
        applied = int(r["applied_upto"])
        behind = r.get("ack") is not None and not anchor.take_ack(s, state.code, r["ack"])
        if applied > ours or behind:
            if not any(w.get("kind") == "rewound" for w in report.warnings):
                report.warnings.append(fork.rewound_message(state.code))
        else:
            state.acked_upto = applied
        s.add(
            SyncReceipt(
                direction="in", peer=state.code, number=int(r["number"]), package_id=str(r["package_id"]),
                package_seq=int(r["package_seq"]), status=str(r["status"]), applied_upto=applied,
                counts=r.get("counts") or {}, issued_at=datetime.fromisoformat(r["issued_at"]), ack=r.get("ack"),
            )
        )  # fmt: skip
        taken += 1
    return taken


def _issue_receipt(
    s: Session,
    state: SyncPeerState,
    report: ImportReport,
    ack: dict[str, Any] | None = None,
    returns_from: int | None = None,
) -> None:
    state.receipts_issued = max(state.receipts_issued + 1, int(datetime.now(UTC).timestamp() * 1000))
    upto = report.to_seq if report.status == "applied" else state.in_upto
    s.add(
        SyncReceipt(
            direction="out", peer=state.code, number=state.receipts_issued, package_id=str(report.package_id),
            package_seq=int(report.seq or 0), status=report.status, applied_upto=int(upto or 0),
            counts={"tables": report.tables, "conflicts": report.conflicts,
                    **({"returns_from": returns_from} if returns_from else {})}, ack=ack,
        )
    )  # fmt: skip


def _log_row(db: Database, report: ImportReport) -> SyncImportLog:
    return SyncImportLog(
        actor=db.actor, file_name=report.file, sender=report.sender, package_id=report.package_id,
        package_seq=report.seq, status=report.status, dry_run=report.dry_run, summary=report.as_dict(),
    )  # fmt: skip


def _log_refusal(db: Database, report: ImportReport, exc: PackageRefused) -> None:
    """Refusals leave the data untouched; the log line (and for a known sender a receipt) is all we write."""
    with db.session() as s, s.begin():
        s.add(_log_row(db, report))
        if isinstance(exc, GapRefused) or exc.status == "schema":
            state = keys.ensure_peer(s, str(report.sender))
            _issue_receipt(s, state, report)
        elif isinstance(exc, Diverged) and exc.node == report.sender:
            # The sender was restored from a backup: our signed word on the head we hold for its chain, and
            # from where our next package returns its lost entries, let it continue on a fork (app.sync.fork).
            seq, hash_ = chain_head(s, exc.node)
            ack = anchor.acknowledge(s, {"node": exc.node, "seq": seq, "hash": hash_})
            _issue_receipt(s, keys.ensure_peer(s, exc.node), report, ack, returns_from=exc.first)


def package_files(folder: Path) -> list[Path]:
    """The ``*.bfsync`` files of a folder in the order to import them: per sender, by sequence number."""
    found = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or not path.name.lower().endswith(package.SUFFIX):
            continue
        try:
            with path.open("rb") as fh:
                head = fh.read(package.MAX_HEADER_BYTES + len(package.MAGIC))
            header: dict[str, Any] | None = package.split_header(head)
        except (OSError, PackageRefused):
            header = None
        key = (str(header["sender"]), int(header["seq"])) if header else ("~", 0)
        found.append((key, path))
    return [p for _, p in sorted(found, key=lambda kp: (kp[0], _copy_number(kp[1].name), kp[1].name))]


def _copy_number(name: str) -> int:
    """``…-000007-2.bfsync`` is the second file the exporter wrote under the name ``…-000007.bfsync`` (it never
    overwrites): after a restore the older one holds what the restore lost, so it goes first."""
    copy = _COPY.search(name[: -len(package.SUFFIX)])
    return int(copy.group(1)) if copy else 1


_COPY = re.compile(r"-to-\d+-\d+-(\d+)$")  # package.file_name plus the exporter's "-N"


def import_folder(
    db: Database, folder: Path | str, *, dry_run: bool = False, each: Callable[[ImportReport], None] | None = None
) -> list[ImportReport]:
    """Import every package of a folder in sequence order per sender; a refusal does not stop the others.
    While one package applies, the next is parsed in a helper process (``app.sync.prefetch``). ``each`` is
    called with every package's report as it is done."""
    reports: list[ImportReport] = []
    files = package_files(Path(folder))
    with prefetch.Prefetcher() as pre:
        for n, path in enumerate(files):
            ahead = pre.take(path)
            if n + 1 < len(files):
                _start_ahead(db, files[n + 1], pre)
            try:
                reports.append(import_file(db, path, dry_run=dry_run, ahead=ahead))
            except SyncError as exc:
                status = getattr(exc, "status", "refused")
                reports.append(ImportReport(file=path.name, status=status, dry_run=dry_run, exit_code=exc.exit_code,
                                            errors=[{"zh": exc.zh, "en": exc.en}]))  # fmt: skip
            if each is not None:
                each(reports[-1])
    return reports


def _start_ahead(db: Database, path: Path, pre: prefetch.Prefetcher) -> None:
    """Read, check and decrypt the next file now and hand its parse to the helper. Speculative: a refusal is
    left for the file's own turn, when every check runs again against the database as it is then."""
    try:
        data = _read(path)
        with db.session() as s:
            envelope = verify(s, data)
            plain = package.decrypt(envelope, keys.age_identities(s))
    except SyncError:
        return
    pre.start(path, data, plain, envelope.header, dialect_key(db.engine.dialect))
