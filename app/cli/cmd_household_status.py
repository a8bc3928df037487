"""``household-status``: exit (退出), move out (迁出), close (销户) or readmit (重新纳入) one household, found by its
head's resident ID, with a date and a reason — through the households service, so its pairings end with it.

python main.py household-status --db x.db 33110219650101101X --status 退出 --date 2024-06-30 --reason 稳定增收
"""

from __future__ import annotations

import argparse

from sqlalchemy import select

from app.cli.common import add_db_options, open_from_args
from app.domain.enums import HouseholdStatus
from app.domain.models import Household
from app.domain.validators import check_resident_id
from app.errors import EXIT_OK, NotFound
from app.services.households import change_status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("household-status", help="农户退出、迁出、销户或重新纳入 / exit, move out, close or readmit")
    add_db_options(p)
    p.add_argument("id_number", help="户主身份证号码 / the head's resident ID")
    p.add_argument("--status", required=True, help="退出 | 迁出 | 销户 | 重新纳入")
    p.add_argument("--date", default=None, help="日期（默认今天）/ date (default today)")
    p.add_argument("--reason", required=True, help="原因 / reason")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    number = check_resident_id(args.id_number, "head_id_number")
    with open_from_args(args) as db:
        with db.session() as session:
            household_id = session.scalars(
                select(Household.id)
                .where(Household.head_id_number == number, Household.deleted.is_(False))
                .order_by(Household.status != HouseholdStatus.ACTIVE.value)
            ).first()
        if household_id is None:
            raise NotFound("找不到该户主身份证号码的农户。", "No household has this head's resident ID.")
        view = change_status(db, household_id, args.status, args.date, args.reason)
    status = HouseholdStatus.from_label(view.status)
    print(f"已办理：{view.head_name} → {status.zh} / Done: household now {status.en.lower()}")
    return EXIT_OK
