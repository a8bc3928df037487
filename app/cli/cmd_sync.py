"""``sync``: keys and onboarding, export and import of packages, status, conflicts (see app/sync/).

Walkthrough (city 331100, county 331122, township 331122101; databases made by ``init``)::

    sync init-identity --db city.db                      # the city makes the municipal root
    sync init-identity --db town.db                      # every other node makes its keys
    sync request --db town.db town-request.json          # → carried to the parent
    sync onboard --db county.db town-request.json town-onboarding.json
    sync join --db town.db town-onboarding.json          # compare the root fingerprint by phone
    sync export --db town.db --to 331122 E:/             # a package file on the USB stick
    sync import --db county.db E:/ [--dry-run]           # a file or a whole folder
    sync status / sync conflicts list / sync conflicts resolve ID keep|take|dismiss
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.common import add_db_options, open_from_args, print_json
from app.errors import EXIT_OK, EXIT_PROBLEM, BangfuError
from app.services import sync_setup
from app.storage.database import Database
from app.sync import exporter, importer, onboarding, package, queue
from app.sync.errors import PackageRefused, SyncError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sync", help="同步包：导出、导入、密钥与入网 / sync by package")
    sub = parser.add_subparsers(dest="sync_command", metavar="SUBCOMMAND", parser_class=type(parser))
    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])

    def command(name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        add_db_options(p)
        p.set_defaults(func=func)
        return p

    command("init-identity", "生成本机同步密钥（市级同时生成根证书）/ make this node's keys", _init_identity)
    p = command("request", "生成入网（或换钥）申请文件 / write the join request", _request)
    p.add_argument("out", type=Path)
    p = command("onboard", "上级：为下级签发证书，生成入网文件 / parent: issue the onboarding file", _onboard)
    p.add_argument("request", type=Path)
    p.add_argument("out", type=Path)
    p = command("join", "导入上级发来的入网文件 / take in the onboarding file", _join)
    p.add_argument("file", type=Path)
    p = command("rotate-key", "更换本机密钥并生成申请 / new keys and a request for the parent", _rotate)
    p.add_argument("out", type=Path)
    p = command("revoke", "吊销下级节点的密钥 / revoke a node's key", _revoke)
    p.add_argument("code")
    p.add_argument("--key-no", type=int, default=None)
    command("peers", "信任目录 / the trusted directory", _peers).add_argument("--json", action="store_true")
    p = command("export", "导出同步包 / export a package", _export)
    p.add_argument("--to", required=True, dest="peer", help="接收方区划代码 / recipient's division code")
    p.add_argument("--since", type=int, default=None, help="从此序号起重发 / resend from this number")
    p.add_argument("out", type=Path, help="文件夹或文件 / folder or file")
    p = command("import", "导入同步包（文件或文件夹）/ import a package file or folder", _import)
    p.add_argument("path", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只预览，不修改 / preview, change nothing")
    p.add_argument("--json", action="store_true")
    command("status", "各对端同步状态 / per-peer status", _status).add_argument("--json", action="store_true")
    p = sub.add_parser("conflicts", help="冲突队列 / the conflict queue (list, resolve)")
    p.set_defaults(func=_conflicts)
    actions = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    listing = actions.add_parser("list", help="列出 / list")
    add_db_options(listing)
    listing.add_argument("--all", action="store_true", help="包括已处理 / include resolved")
    listing.add_argument("--json", action="store_true")
    resolving = actions.add_parser("resolve", help="处理一条冲突（记入审计）/ resolve one (audited)")
    add_db_options(resolving)
    resolving.add_argument("conflict_id", type=int)
    resolving.add_argument("choice", choices=["keep", "take", "dismiss"],
                           help="keep 保留现值 / take 采用落选值 / dismiss 已核实")  # fmt: skip
    p = command("quarantine", "被隔离的变更（时钟超前）/ quarantined changes (clock far ahead)", _quarantine)
    p.add_argument("--release", type=int, metavar="ID", help="按当前时间应用该变更 / apply it as made now")
    p = sub.add_parser("inspect", help="显示包头（不需密码）/ show a package header (no password)")
    p.add_argument("file", type=Path)
    p.add_argument("--payload", type=Path, help="把加密载荷另存，供 age -d 使用 / save the age payload")
    p.set_defaults(func=_inspect)


# ---------------------------------------------------------------- helpers


def _read_json(path: Path) -> Any:
    return sync_setup.read_json(path)


def _write_json(path: Path, data: Any) -> None:
    sync_setup.write_json(path, data)


def _with_db(args: argparse.Namespace, work: Any) -> int:
    db = open_from_args(args)
    try:
        return int(work(db) or 0)
    finally:
        db.close()


# ---------------------------------------------------------------- commands


def _init_identity(args: argparse.Namespace) -> int:
    db = open_from_args(args)
    if not db.has_node:
        db.close()
        raise SyncError("数据库尚无节点信息：请先运行 init。", "The database has no node identity; run init first.")
    try:
        info = onboarding.init_identity(db)
    finally:
        db.close()
    print(f"已生成节点 {info.code} 的同步密钥，指纹 / keys made, fingerprint: {info.fingerprint}")
    if info.is_root:
        print("这是市级根密钥：请把指纹告知各县和乡镇 / this is the municipal root key: give its fingerprint out")
    return EXIT_OK


def _request(args: argparse.Namespace) -> int:
    def work(db: Database) -> None:
        _write_json(args.out, onboarding.join_request(db))
        print(f"入网申请已写入 / request written: {args.out}")

    return _with_db(args, work)


def _onboard(args: argparse.Namespace) -> int:
    request = _read_json(args.request)

    def work(db: Database) -> None:
        data = onboarding.onboard(db, request)
        _write_json(args.out, data)
        print(f"已为 {data['for']} 签发证书，入网文件 / certificate issued, onboarding file: {args.out}")

    return _with_db(args, work)


def _join(args: argparse.Namespace) -> int:
    data = _read_json(args.file)

    def work(db: Database) -> None:
        info = onboarding.join(db, data)
        print(f"已加入信任目录。市级根密钥指纹 / joined; municipal root fingerprint: {info.fingerprint}")
        print("请与市扶贫办电话核对该指纹 / check this fingerprint with the municipal office by phone")

    return _with_db(args, work)


def _rotate(args: argparse.Namespace) -> int:
    def work(db: Database) -> None:
        _write_json(args.out, onboarding.rotate_keys(db))
        print(f"已生成新密钥；请把申请交上级签发 / new keys made; take the request to the parent: {args.out}")

    return _with_db(args, work)


def _revoke(args: argparse.Namespace) -> int:
    def work(db: Database) -> None:
        key_no = onboarding.revoke(db, args.code, args.key_no)
        print(f"已吊销 {args.code} 的第 {key_no} 代密钥 / revoked key {key_no} of {args.code}")

    return _with_db(args, work)


def _peers(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.sync.keys import Cert, fingerprint
    from app.sync.models import SyncCert

    def work(db: Database) -> None:
        with db.session() as s:
            rows = list(s.scalars(select(SyncCert).order_by(SyncCert.code, SyncCert.key_no)))
            items = [
                {"code": r.code, "name": Cert.from_body(r.body).name, "role": r.role, "parent": r.parent,
                 "key_no": r.key_no, "fingerprint": fingerprint(Cert.from_body(r.body).sign_public),
                 "revoked": r.revoked, "root": r.is_root}
                for r in rows
            ]  # fmt: skip
        if args.json:
            print_json(items)
            return
        for i in items:
            flag = " 根/root" if i["root"] else (" 已吊销/REVOKED" if i["revoked"] else "")
            print(f"{i['code']:<12} {i['role']:<9} 上级/parent {i['parent'] or '-':<10} key {i['key_no']} "
                  f"{i['fingerprint']}{flag}  {i['name']}")  # fmt: skip

    return _with_db(args, work)


def _export(args: argparse.Namespace) -> int:
    def work(db: Database) -> None:
        r = exporter.export_package(db, args.peer, args.out, since=args.since)
        print(f"已导出 / exported: {r.path}")
        print(f"  接收方 to {r.peer}  包序号 seq {r.seq}  变更 changes {r.from_seq}→{r.to_seq}  "
              f"审计记录 entries {r.entries}  回执 receipts {r.receipts}  大小 size {r.bytes:,} B")  # fmt: skip
        for w in r.warnings:
            print(f"  警告 / warning: {w['zh']} / {w['en']}")

    return _with_db(args, work)


def _import(args: argparse.Namespace) -> int:
    def work(db: Database) -> int:
        if args.path.is_dir():
            reports = importer.import_folder(db, args.path, dry_run=args.dry_run)
        else:
            try:
                reports = [importer.import_file(db, args.path, dry_run=args.dry_run)]
            except PackageRefused as exc:
                if args.json:
                    print_json({"status": exc.status, "zh": exc.zh, "en": exc.en})
                raise
        if args.json:
            print_json([r.as_dict() for r in reports])
        else:
            for r in reports:
                print_report(r)
        codes = [r.exit_code for r in reports]
        return max(codes) if codes else EXIT_OK

    return _with_db(args, work)


def print_report(r: importer.ImportReport, out: Any = None) -> None:
    out = out or sys.stdout
    mode = "预览 / dry run" if r.dry_run else "导入 / import"
    print(f"{mode}: {r.file} — {r.status}", file=out)
    if r.sender:
        print(f"  发送方 sender {r.sender}  包序号 seq {r.seq}  变更 changes {r.from_seq}→{r.to_seq}", file=out)
    if r.tables:
        print(f"  {'表 table':<22}{'新建 created':>14}{'更新 updated':>14}{'未变 unchanged':>16}"
              f"{'冲突 conflicts':>16}{'跳过 skipped':>14}", file=out)  # fmt: skip
        for table, c in r.tables.items():
            print(f"  {table:<22}{c['created']:>14}{c['updated']:>14}{c['unchanged']:>16}{c['conflicts']:>16}"
                  f"{c['skipped']:>14}", file=out)  # fmt: skip
    if r.status in ("applied", "duplicate"):
        print(f"  审计记录 audit entries: 新 new {r.new_entries}, 已有 held {r.held_entries}; 隔离 quarantined "
              f"{r.quarantined}; 冲突 conflicts {r.conflicts}; 规则问题 rule violations {r.rule_violations}; "
              f"收到回执 receipts {r.receipts}", file=out)  # fmt: skip
    for w in r.warnings:
        print(f"  警告 / warning: {w['zh']} / {w['en']}", file=out)
    for e in r.errors:
        print(f"  错误 / error: {e['zh']} / {e['en']}", file=out)


def _status(args: argparse.Namespace) -> int:
    def work(db: Database) -> int:
        st = queue.status(db)
        if args.json:
            from dataclasses import asdict

            print_json(asdict(st))
            return EXIT_OK
        print(f"本机 / this node: {st.node} ({st.role})  指纹 / fingerprint: {st.fingerprint or '-'}")
        for p in st.peers:
            last_in = p.last_import_at.strftime("%Y-%m-%d %H:%M") if p.last_import_at else "从未 never"
            last_out = p.last_export_at.strftime("%Y-%m-%d %H:%M") if p.last_export_at else "从未 never"
            revoked = " 已吊销/REVOKED" if p.revoked else ""
            print(f"  {p.code:<12} {p.relation:<6} 最近导入 last in {last_in}  最近导出 last out {last_out}  "
                  f"收包 in #{p.packages_in}  发包 out #{p.packages_out}  未确认变更 unconfirmed {p.unconfirmed_changes}  "
                  f"待回执 receipts to send {p.receipts_to_send}{revoked}  {p.name}")  # fmt: skip
        print(f"待处理冲突 / open conflicts: {st.open_conflicts}   隔离中 / quarantined: {st.held_quarantine}")
        return EXIT_PROBLEM if st.open_conflicts else EXIT_OK

    return _with_db(args, work)


def _conflicts(args: argparse.Namespace) -> int:
    if args.action is None:
        raise BangfuError("用法：sync conflicts list | resolve 编号 keep|take|dismiss",
                          "Usage: sync conflicts list | resolve ID keep|take|dismiss")  # fmt: skip

    def work(db: Database) -> int:
        if args.action == "resolve":
            if args.conflict_id is None or args.choice is None:
                raise BangfuError(
                    "用法：sync conflicts resolve 编号 keep|take|dismiss",
                    "Usage: sync conflicts resolve ID keep|take|dismiss",
                )
            queue.resolve(db, args.conflict_id, args.choice)
            print(
                f"冲突 {args.conflict_id} 已处理（{args.choice}）/ conflict {args.conflict_id} resolved ({args.choice})"
            )
            return EXIT_OK
        items = queue.conflicts(db, include_resolved=args.all)
        if args.json:
            print_json(items)
            return EXIT_OK
        for c in items:
            what = f"{c['entity']}:{c['entity_id']}" + (f".{c['field']}" if c["field"] else "")
            print(f"#{c['id']} [{c['kind']}] {what} {c['status']}")
            if c["kind"] == "field":
                print(f"    采用 applied: {json.dumps(c['winner_value'], ensure_ascii=False)} ({c['winner_hlc']})")
                print(f"    落选 lost:    {json.dumps(c['loser_value'], ensure_ascii=False)} ({c['loser_hlc']}, "
                      f"{c['loser_node']}, {c['loser_actor']}, {c['loser_at']})")  # fmt: skip
            elif c["detail"]:
                print(f"    {c['detail']}")
        print(f"共 {len(items)} 条 / {len(items)} item(s)")
        return EXIT_OK

    return _with_db(args, work)


def _quarantine(args: argparse.Namespace) -> int:
    def work(db: Database) -> int:
        if args.release is not None:
            queue.release(db, args.release)
            print(f"已按当前时间应用隔离的变更 {args.release} / quarantined change {args.release} applied as of now")
            return EXIT_OK
        items = queue.quarantine(db)
        for q in items:
            print(
                f"#{q['id']} {q['status']} 节点 node {q['node']} {q['entity']}:{q['entity_id']} 时间戳 stamp {q['hlc']}"
            )
        print(f"共 {len(items)} 条 / {len(items)} item(s)")
        return EXIT_OK

    return _with_db(args, work)


def _inspect(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError:
        raise SyncError("无法读取该文件。", "The file cannot be read.") from None
    envelope = package.split(data)
    print_json(envelope.header)
    if args.payload:
        args.payload.write_bytes(envelope.payload)
        print(f"载荷已保存（age 加密，内为 gzip 压缩的 JSON）/ payload saved (age, gzip'd JSON inside): {args.payload}")
    return EXIT_OK
