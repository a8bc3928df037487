"""``audit verify``: check the hash chain, that every data row matches the audit trail, and that the synced
history is what the signed chain heads and the peers' acknowledgements say it was (``app.sync.anchor``)."""

from __future__ import annotations

import argparse

from app.audit import AuditProblem
from app.cli.common import add_db_options, db_path, print_json, read_password
from app.errors import EXIT_OK, EXIT_PROBLEM
from app.services.audit_check import verify_chain, verify_ledger
from app.storage.database import open_database
from app.sync.anchor import problems as anchor_problems


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="审计 / audit trail")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    v = actions.add_parser("verify", help="校验审计链 / verify the audit chain and the data rows")
    add_db_options(v)
    v.add_argument("--chain-only", action="store_true", help="只校验哈希链 / check the chain only")
    v.add_argument(
        "--incremental",
        action="store_true",
        help="只校验上次校验以来新增的记录及其涉及的数据行 / only the entries after the last verified head and the rows they touch",
    )
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    password = read_password(args)  # kept: the row check's helper process opens the ledger with it too
    with open_database(db_path(args), password) as db:
        rows_checked: int | None = None
        if args.chain_only:
            report, rows = verify_chain(db, incremental=args.incremental), []
        else:
            check = verify_ledger(db, incremental=args.incremental, password=password)
            report, rows, rows_checked = check.chain, check.rows, check.rows_checked
        with db.session() as session:
            anchors = anchor_problems(session)
    if args.json:
        print_json(
            {
                "ok": report.ok and not rows and not anchors,
                "entries": report.entries,
                "chains": report.chains,
                "incremental": report.incremental,
                "rows_checked": rows_checked,  # null: every data row
                "chain_problem": None if report.ok else report.problem.__dict__,
                "row_problems": [r.__dict__ for r in rows],
                "anchor_problems": [a.__dict__ for a in anchors],
            }
        )
    elif report.problem is not None:
        print(
            f"审计链校验失败 / Audit chain broken: {report.problem.zh} / {report.problem.en}{_touches(report.problem)}"
        )
    elif anchors:
        for a in anchors:
            print(f"审计记录与已签名确认不符 / History differs from a signed acknowledgement: {a.zh} / {a.en}")
    elif rows:
        first = rows[0]
        print(
            f"数据与审计记录不符 / Data does not match the audit trail: {first.zh} / {first.en} (id {first.entity_id})"
        )
        if len(rows) > 1:
            print(f"另有 {len(rows) - 1} 处 / {len(rows) - 1} more")
    else:
        new_zh, new_en = ("新增 ", "new ") if report.incremental else ("", "")
        if args.chain_only:
            rows_zh, rows_en = "哈希链完整", ""
        elif rows_checked is None:
            rows_zh, rows_en = "哈希链与数据行完整", "; every data row matches"
        else:
            rows_zh = f"哈希链完整，新增记录涉及的 {rows_checked} 行数据相符（其余数据行需完整校验）"
            rows_en = f"; the {rows_checked} data rows they touch match (a full check reads every row)"
        print(
            f"审计校验通过：{new_zh}{report.entries} 条记录，{report.chains} 条链，{rows_zh}。 / "
            f"Audit verified: {report.entries} {new_en}entries in {report.chains} chain(s) intact{rows_en}."
        )
    return EXIT_OK if report.ok and not rows and not anchors else EXIT_PROBLEM


def _touches(problem: AuditProblem) -> str:
    """The row a bad entry is about (table and id; ids are UUIDs, never personal data)."""
    if problem.entity is None:
        return ""
    return f" ({problem.entity} {problem.entity_id})" if problem.entity_id else f" ({problem.entity})"
