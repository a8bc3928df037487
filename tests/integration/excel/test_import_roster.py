"""Importing a township roster as townships really keep it, in every file format, into a real ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Cadre, Department, Household, Member, Pairing
from app.io.importer import ExcelImport
from tests.integration.excel import builders as b

WRITERS = {
    "xlsx": lambda p, rows: b.write_xlsx(p, rows),
    "xls": lambda p, rows: b.write_xls(p, rows),
    "ods": lambda p, rows: b.write_ods(p, rows),
    "csv-utf8": lambda p, rows: b.write_csv(p, rows, "utf-8-sig"),
    "csv-gbk": lambda p, rows: b.write_csv(p, rows, "gbk"),
}
SUFFIX = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "csv-utf8": ".csv", "csv-gbk": ".csv"}


def roster_file(tmp_path: Path, fmt: str, *, bad: bool = True) -> Path:
    rows = b.messy_roster_rows(bad=b.BAD_ROWS if bad else [])
    return WRITERS[fmt](tmp_path / f"roster{SUFFIX[fmt]}", rows)


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_messy_roster_in_every_format_imports_valid_rows_and_explains_the_rest(db, places, tmp_path, fmt):
    path = roster_file(tmp_path, fmt)
    job = ExcelImport(path, "roster")
    assert job.sheet.name != "下拉选项"  # the hidden sheet of the xlsx is never chosen

    report = job.run(db, skip_invalid=True)

    assert report.applied
    assert report.header_rows == (4, 5)
    assert report.data_rows == 7  # 5 good + 2 bad; title, 填报 line, numbering, blank, 合计, 注 and 填表人 skipped
    assert {why for _, why in report.skipped} >= {"totals", "footer"}
    by_row = {i.row: i for i in report.issues}
    lost = next(i for i in report.issues if "无法恢复" in i.zh)
    assert lost.column == "身份证号码" and "cannot be recovered" in lost.en
    assert any(i.column == "低收入农户类型" and "贫困户" not in i.zh for i in report.issues)
    assert any(i.column == "联系电话" for i in report.issues)
    assert len(report.rejected_rows) == 2 and all(r in by_row for r in report.rejected_rows)
    assert report.counts["household"]["create"] == 5

    with db.session() as s:
        for person in b.roster_people():
            hh = s.scalars(select(Household).where(Household.head_id_number == person["id"])).one()
            assert hh.head_name == person["want_head"]
            assert hh.phone == person["want_phone"]
            assert hh.category == person["want_category"]
            assert (hh.primary_cause, hh.other_causes) == person["want_causes"]
            assert hh.head_name_pinyin  # derived by the services' spec
            pairing = s.scalars(select(Pairing).where(Pairing.subject_household_id == hh.id)).one()
            assert pairing.start_date == person["want_since"] and pairing.end_date is None
            cadre = s.get(Cadre, pairing.helper_cadre_id)
            assert cadre.name == person["cadre"]
            assert s.get(Department, cadre.department_id).name == person["unit"]
            head = s.scalars(select(Member).where(Member.household_id == hh.id)).one()
            assert head.relation == "head" and head.id_number == person["id"]
        # two 王伟 in two bureaus are two people; 赵敏 once
        assert s.scalar(select(func.count()).select_from(Cadre).where(Cadre.name == "王伟")) == 2
        assert s.scalar(select(func.count()).select_from(Cadre)) == 3
        assert s.scalar(select(func.count()).select_from(Department)) == 3
        assert s.scalar(select(func.count()).where(AuditEntry.action == "import_excel")) == 1


def test_default_is_all_or_nothing_and_dry_run_writes_nothing(db, places, tmp_path):
    path = roster_file(tmp_path, "xlsx")
    audit_before = count(db, AuditEntry)

    dry = ExcelImport(path, "roster").run(db, dry_run=True)
    assert dry.counts["household"]["create"] == 5 and len(dry.rejected_rows) == 2 and not dry.applied

    strict = ExcelImport(path, "roster").run(db)
    assert not strict.applied and len(strict.rejected_rows) == 2

    assert count(db, Household) == 0 and count(db, Cadre) == 0 and count(db, AuditEntry) == audit_before


def test_reimporting_the_same_file_changes_nothing(db, places, tmp_path):
    path = roster_file(tmp_path, "xlsx", bad=False)
    first = ExcelImport(path, "roster").run(db)
    assert first.applied and first.counts["pairing"]["create"] == 5
    audit_after_first = count(db, AuditEntry)

    again = ExcelImport(path, "roster").run(db)

    assert again.ok
    assert all(c["create"] == 0 and c["update"] == 0 for c in again.counts.values())
    assert again.counts["household"]["unchanged"] == 5
    assert count(db, AuditEntry) == audit_after_first  # not even an event


def test_changed_roster_updates_the_household_and_reassigns_the_cadre(db, places, tmp_path):
    people = b.roster_people()
    ExcelImport(b.write_xlsx(tmp_path / "v1.xlsx", b.messy_roster_rows(people)), "roster").run(db)
    people[0] = {**people[0], "phone": "13900001111", "cadre": "赵敏", "unit": "壶镇镇人民政府", "cadre_phone": ""}
    people[0]["since"] = "2020-01-01"

    report = ExcelImport(b.write_xlsx(tmp_path / "v2.xlsx", b.messy_roster_rows(people)), "roster").run(db)

    assert report.applied, report.issues
    assert report.counts["household"]["update"] == 1 and report.counts["pairing"]["create"] == 1
    with db.session() as s:
        hh = s.scalars(select(Household).where(Household.head_id_number == people[0]["id"])).one()
        assert hh.phone == "13900001111"
        pairings = s.scalars(select(Pairing).where(Pairing.subject_household_id == hh.id)).all()
        ended = [p for p in pairings if p.end_date is not None]
        active = [p for p in pairings if p.end_date is None]
        assert len(ended) == 1 and ended[0].end_reason == "reassigned"
        assert len(active) == 1 and s.get(Cadre, active[0].helper_cadre_id).name == "赵敏"


def test_duplicate_rows_in_one_file_are_caught(db, places, tmp_path):
    people = b.roster_people()
    twice = [*people, {**people[1], "typed_id": people[1]["id"]}]
    report = ExcelImport(b.write_xlsx(tmp_path / "dup.xlsx", b.messy_roster_rows(twice)), "roster").run(db)

    assert not report.applied
    dup = [i for i in report.issues if "重复" in i.zh]
    assert len(dup) == 1 and dup[0].column == "身份证号码"
    assert count(db, Household) == 0


def test_unknown_village_is_rejected_with_the_column(db, places, tmp_path):
    people = b.roster_people()[:1]
    people[0] = {**people[0], "village": "不存在村"}
    report = ExcelImport(b.write_xlsx(tmp_path / "v.xlsx", b.messy_roster_rows(people)), "roster").run(db)
    assert [i.column for i in report.issues] == ["行政村"]


def test_cancelled_import_and_export_change_nothing(db, places, tmp_path):
    from app.io.errors import Cancelled
    from app.io.ledgers import export_ledger

    path = roster_file(tmp_path, "xlsx", bad=False)
    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        ExcelImport(path, "roster").run(db, progress=lambda d, t: seen.append((d, t)), cancelled=lambda: bool(seen))
    assert seen and count(db, Household) == 0

    ExcelImport(path, "roster").run(db)
    out = tmp_path / "cancelled.xlsx"
    with pytest.raises(Cancelled):
        export_ledger(db, "households", out, cancelled=lambda: True)
    assert not out.exists()
