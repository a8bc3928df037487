"""Household status changes (退出/迁出/销户/重新纳入) as an import kind and a CLI command, both through the
households service: an exit ends the household's pairings; a readmission puts it back on the register."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.cli import main
from app.domain.models import AuditEntry, Household, HouseholdSpell, Pairing
from app.io.importer import ExcelImport
from tests.conftest import PASSWORD
from tests.integration.excel import builders as b

HEADER = ["户主姓名", "户主身份证号码", "变更类型", "变更日期", "变更原因"]


@pytest.fixture
def rostered(db, places, tmp_path):
    people = b.roster_people()
    people[0] = {**people[0], "head": "王芳", "typed_id": people[0]["id"]}
    assert ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows(people)), "roster").run(db).applied
    return people


def status_of(db, number: str) -> tuple[str, date | None, str | None, int]:
    with db.session() as s:
        h = s.scalars(select(Household).where(Household.head_id_number == number)).one()
        active = s.scalars(
            select(Pairing).where(Pairing.subject_household_id == h.id, Pairing.end_date.is_(None))
        ).all()
        return h.status, h.status_date, h.status_reason, len(active)


def test_an_import_exits_moves_out_and_refuses_what_cannot_change(db, rostered, tmp_path) -> None:
    p = rostered
    rows = [
        ["王芳", p[0]["id"], "退出", "2024-06-30", "稳定增收"],
        ["李建国", p[1]["id"], "迁出", "2024.7.1", "户籍迁往杭州"],
        ["张小红", p[2]["id"], "注销", "2024-07-02", ""],  # no reason: refused
        ["陈大明", p[3]["id"], "升学", "2024-07-02", "x"],  # not a status word: refused with the list
        ["错名", p[4]["id"], "退出", "2024-07-02", "x"],  # name does not match the ledger
    ]
    path = b.write_csv(tmp_path / "s.csv", [HEADER, *rows])
    dry = ExcelImport(path, "status-changes").run(db, dry_run=True)
    assert sorted(i.row for i in dry.issues) == [4, 5, 6]
    assert "可选" in next(i.zh for i in dry.issues if i.row == 5)
    assert status_of(db, p[0]["id"])[0] == "active"  # a dry run changes nothing
    report = ExcelImport(path, "status-changes").run(db, skip_invalid=True)
    assert report.applied and report.counts["household"]["update"] == 2
    assert status_of(db, p[0]["id"]) == ("exited", date(2024, 6, 30), "稳定增收", 0)  # its pairing ended
    assert status_of(db, p[1]["id"])[:2] == ("moved_out", date(2024, 7, 1))
    again = ExcelImport(path, "status-changes").run(db, skip_invalid=True)
    assert again.counts["household"]["unchanged"] == 2 and again.counts["household"]["update"] == 0


def test_the_cli_exits_and_readmits_one_household(db, rostered, monkeypatch, capsys) -> None:
    from app.services import officers

    number = rostered[0]["id"]
    officers.add(db, "tester")  # the CLI records its changes as an officer on the list (BANGFU_ACTOR=tester)
    db.close()
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    args = ["household-status", "--db", str(db.path), number]
    assert main([*args, "--status", "退出", "--date", "2024-06-30", "--reason", "稳定增收"]) == 0
    assert "退出" in capsys.readouterr().out
    assert main([*args, "--status", "退出", "--reason", "再次"]) == 1  # already exited: a rule, one line
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main([*args, "--status", "重新纳入", "--date", "2024-08-01", "--reason", "因病返贫"]) == 0
    from app.storage.database import open_database

    with open_database(db.path, PASSWORD) as reopened:
        # back on the register from 2024-08-01; the period it was away is kept as a spell (the dated register)
        assert status_of(reopened, number)[:3] == ("active", None, None)
        with reopened.session() as s:
            household = s.scalars(select(Household).where(Household.head_id_number == number)).one()
            assert household.registered_on == date(2024, 8, 1)
            spell = s.scalars(select(HouseholdSpell).where(HouseholdSpell.household_id == household.id)).one()
            assert (spell.left_on, spell.left_reason) == (date(2024, 6, 30), "稳定增收")
            assert (spell.reentered_on, spell.reentry_reason) == (date(2024, 8, 1), "因病返贫")
            actions = [e.action for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "household"))]
        assert "exit" in actions and "reenter" in actions


def test_a_readmission_dated_before_the_exit_is_refused_as_the_service_refuses_it(db, rostered, tmp_path) -> None:
    from app.errors import ValidationError
    from app.services.households import reenter_household

    p = rostered
    exit_file = b.write_csv(tmp_path / "exit.csv", [HEADER, ["王芳", p[0]["id"], "退出", "2024-06-30", "稳定增收"]])
    assert ExcelImport(exit_file, "status-changes").run(db).applied
    # back on 2024-06-30: the day it left, not after it — refused by the import and by the service alike
    back = b.write_csv(tmp_path / "back.csv", [HEADER, ["王芳", p[0]["id"], "重新纳入", "2024-06-30", "因病返贫"]])
    dry = ExcelImport(back, "status-changes").run(db, dry_run=True)
    with db.session() as s:
        household_id = s.scalars(select(Household.id).where(Household.head_id_number == p[0]["id"])).one()
    with pytest.raises(ValidationError) as refused:
        reenter_household(db, household_id, "2024-06-30", "因病返贫")
    assert [i.zh for i in dry.issues] == [refused.value.zh]
    assert status_of(db, p[0]["id"])[:2] == ("exited", date(2024, 6, 30))  # unchanged


def test_a_visit_dated_between_the_exit_and_the_re_entry_is_refused_as_the_service_refuses_it(
    db, rostered, tmp_path
) -> None:
    from app.domain.models import Visit
    from app.errors import RuleViolation
    from app.services import records
    from app.services.visits import VISIT

    p = rostered
    changes = [
        ["王芳", p[0]["id"], "退出", "2024-06-30", "稳定增收"],
        ["王芳", p[0]["id"], "重新纳入", "2024-08-01", "因病返贫"],
    ]
    for n, row in enumerate(changes):
        assert ExcelImport(b.write_csv(tmp_path / f"status{n}.csv", [HEADER, row]), "status-changes").run(db).applied
    visit_header = ["户主身份证号码", "走访干部", "干部电话", "走访日期", "走访方式", "存在问题"]
    visits = [
        [p[0]["id"], "王伟", "13905781111", "2024-07-15", "入户", "离册期间"],  # off the register: refused
        [p[0]["id"], "王伟", "13905781111", "2024-08-01", "入户", "重新纳入当天"],  # back on the register
    ]
    report = ExcelImport(b.write_csv(tmp_path / "visits.csv", [visit_header, *visits]), "visits").run(
        db, skip_invalid=True
    )
    with db.session() as s:
        household = s.scalars(select(Household).where(Household.head_id_number == p[0]["id"])).one()
        assert [v.visit_date for v in s.scalars(select(Visit))] == [date(2024, 8, 1)]
        cadre_id = s.scalars(select(Visit.cadre_id)).one()
    with pytest.raises(RuleViolation) as refused:
        records.create(
            db,
            VISIT,
            {"household_id": household.id, "cadre_id": cadre_id, "visit_date": "2024-07-15", "mode": "入户走访"},
        )
    assert [(i.row, i.zh) for i in report.issues] == [(2, refused.value.zh)]
    assert "2024-06-30" in refused.value.zh and "2024-08-01" in refused.value.zh
