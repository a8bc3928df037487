"""The node's officers: who the actor of an audit entry is, on a real encrypted ledger and through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.domain.models import AuditEntry, Region
from app.errors import EXIT_USAGE, NotFound, ValidationError
from app.services import officers
from app.services.node import create_ledger
from app.services.uow import UnitOfWork
from app.storage.database import Database, open_database
from tests.conftest import PASSWORD


def entries(db: Database, entity: str | None = None) -> list[AuditEntry]:
    with db.session() as s:
        query = select(AuditEntry).order_by(AuditEntry.seq)
        if entity is not None:
            query = query.where(AuditEntry.entity == entity)
        return list(s.scalars(query))


def test_the_first_officer_adds_themself_and_later_changes_name_the_officer_at_work(db) -> None:
    first = officers.add(db, " 李娟 ", post="驻村干部", phone="13800000001")
    assert first.name == "李娟"  # trimmed
    officers.choose(db, "李娟")
    officers.add(db, "王强")
    officers.rename(db, "王强", "王志强")
    officers.retire(db, "王志强")

    log = entries(db, "officer")
    assert [(e.action, e.actor) for e in log] == [
        ("officer_add", "李娟"),  # an empty list: the newcomer is the actor of their own entry
        ("officer_add", "李娟"),
        ("officer_rename", "李娟"),
        ("officer_retire", "李娟"),
    ]
    assert log[0].after == {"name": "李娟", "post": "驻村干部", "phone": "13800000001"}
    assert (log[2].before, log[2].after) == ({"name": "王强"}, {"name": "王志强"})
    assert log[1].entity_id == log[2].entity_id == log[3].entity_id  # a rename keeps the officer's id
    with db.session() as s:
        assert [o.name for o in officers.list_officers(s)] == ["李娟"]
        assert [(o.name, o.active) for o in officers.list_officers(s, include_retired=True)] == [
            ("李娟", True),
            ("王志强", False),
        ]
    with pytest.raises(officers.UnknownOfficer):
        officers.choose(db, "王志强")  # retired: kept for the record, no longer choosable
    db.actor = "冒名者"  # a session whose actor was never chosen from the list
    with pytest.raises(officers.UnknownOfficer):
        officers.add(db, "赵敏")
    assert len(entries(db, "officer")) == 4  # nothing written


def test_the_chosen_officer_is_the_actor_of_every_change(db) -> None:
    officers.add(db, "李娟")
    officers.choose(db, "李娟")
    with UnitOfWork(db) as uow:
        uow.add(Region(code="331122", name="缙云县", level="county"))
    assert [e.actor for e in entries(db, "region")] == ["李娟"]


def test_bad_names_are_refused_and_nothing_is_written(db) -> None:
    officers.add(db, "李娟")
    officers.choose(db, "李娟")
    before = len(entries(db))
    for bad in ("", "   ", "李\x00娟", "长" * 51, "李娟"):  # empty, blank, control char, too long, a duplicate
        with pytest.raises(ValidationError):
            officers.add(db, bad)
    with pytest.raises(NotFound):
        officers.retire(db, "无此人")
    assert len(entries(db)) == before


def test_a_ledger_from_before_officers_offers_the_names_in_its_audit_trail(db) -> None:
    for actor in ("张三", "李四", "张三"):
        db.actor = actor  # as the old code recorded them: whatever BANGFU_ACTOR or the OS user said
        with UnitOfWork(db) as uow:
            uow.event("setting", "setting", after={"n": 1})
    with db.session() as s:
        # each name once, in code-point order (张 U+5F20 < 李 U+674E)
        assert officers.names_in_audit(s, db.node.code) == ["张三", "李四"]
    officers.add(db, "张三")
    with db.session() as s:
        assert officers.names_in_audit(s, db.node.code) == ["李四"]  # 张三 is on the list now
    assert {e.actor for e in entries(db, "setting")} == {"张三", "李四"}  # the old trail keeps its names


@pytest.fixture
def ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real ledger made as ``init`` makes it, with 李娟 as its first officer; closed, for the CLI to open."""
    path = tmp_path / "x.db"
    create_ledger(path, PASSWORD, "331122101", "壶镇镇", "township", first_officer="李娟").close()
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    monkeypatch.delenv("BANGFU_ACTOR")
    return path


def audit_count(path: Path) -> int:
    with open_database(path, PASSWORD) as db, db.session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def test_cli_refuses_an_actor_not_on_the_list_and_changes_nothing(
    ledger: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = audit_count(ledger)
    assert main(["officers", "add", "王强", "--db", str(ledger), "--actor", "冒名者"]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "officers add 冒名者" in err and " / " in err  # names the command
    monkeypatch.setenv("BANGFU_ACTOR", "冒名者")  # the environment variable is checked the same way
    assert main(["officers", "retire", "李娟", "--db", str(ledger)]) == EXIT_USAGE
    assert "Traceback" not in capsys.readouterr().err
    assert audit_count(ledger) == before
    with open_database(ledger, PASSWORD) as db, db.session() as s:
        assert [o.name for o in officers.list_officers(s)] == ["李娟"]


def test_cli_records_the_named_officer(ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["officers", "add", "王强", "--post", "村书记", "--db", str(ledger), "--actor", "李娟"]) == 0
    assert main(["officers", "retire", "王强", "--db", str(ledger), "--actor", "李娟"]) == 0
    assert main(["officers", "list", "--db", str(ledger)]) == 0
    out = capsys.readouterr().out
    assert "王强\t村书记\t—\t离任 retired" in out and "李娟\t—\t—\t在任 active" in out
    with open_database(ledger, PASSWORD) as db:
        log = entries(db, "officer")
    assert [(e.action, e.actor, (e.after or {}).get("name")) for e in log] == [
        ("officer_add", "李娟", "李娟"),  # made by create_ledger: the first officer
        ("officer_add", "李娟", "王强"),
        ("officer_retire", "李娟", None),
    ]


def test_cli_without_an_actor_takes_the_only_officer_or_asks(ledger: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["officers", "add", "王强", "--db", str(ledger)]) == 0  # one active officer: 李娟 is at work
    assert main(["officers", "retire", "王强", "--db", str(ledger)]) == EXIT_USAGE  # two now: say which
    assert "--actor" in capsys.readouterr().err


def test_a_ledger_without_officers_must_add_one_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    create_ledger(path, PASSWORD, "331122101", "壶镇镇", "township").close()  # as before officers were kept
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    assert main(["officers", "retire", "x", "--db", str(path), "--actor", "tester"]) == EXIT_USAGE
    assert "officers add tester" in capsys.readouterr().err
    assert main(["officers", "add", "tester", "--db", str(path)]) == 0  # the first one adds themself
    assert main(["officers", "add", "李娟", "--db", str(path), "--actor", "tester"]) == 0
    with open_database(path, PASSWORD) as db:
        assert [(e.actor, (e.after or {})["name"]) for e in entries(db, "officer")] == [
            ("tester", "tester"),
            ("tester", "李娟"),
        ]


def test_the_environment_no_longer_names_the_actor_of_an_opened_ledger(
    ledger: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANGFU_ACTOR", "冒名者")
    with open_database(ledger, PASSWORD) as db:
        assert db.actor == Database.default_actor != "冒名者"  # only a choice from the list replaces it
        with pytest.raises(officers.UnknownOfficer):
            officers.choose(db, "冒名者")


def test_demo_mode_names_its_officer_freely(db) -> None:
    assert officers.staff_demo(db, "随便谁") == "随便谁"  # the demo ledger: any name, put on its list
    assert db.actor == "随便谁"
    with db.session() as s:
        assert [o.name for o in officers.list_officers(s)] == ["随便谁"]
    assert officers.staff_demo(db, "另一个") == "随便谁"  # once staffed, the list holds as everywhere


def test_init_entries_are_the_first_officers(ledger: Path) -> None:
    with open_database(ledger, PASSWORD) as db:
        # city, county and township rows, the township's official villages, the init event and the officer
        # itself: 3 + villages + 1 + 1 (壶镇镇: 3 + 50 + 1 + 1 = 55), all by 李娟
        from app.domain.lishui import villages

        assert [e.actor for e in entries(db)] == ["李娟"] * (3 + len(villages("331122101")) + 1 + 1)
