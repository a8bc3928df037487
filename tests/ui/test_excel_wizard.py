"""The Excel wizard as an officer uses it: file → sheet and header → mapping → dry run → import; and the
page's export, template and report actions. Real files, the real worker, offscreen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Household
from tests.integration.excel import builders as b


def page(ctx: Any, qtbot: Any) -> Any:
    from ui.pages.reports import create

    widget = create(ctx)
    qtbot.addWidget(widget)
    return widget


def households(db: Any) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Household))


def test_wizard_imports_a_messy_roster_after_a_dry_run(ctx, qtbot, tmp_path, monkeypatch):
    from ui.pages import reports

    roster = b.write_xlsx(tmp_path / "roster.xlsx", b.messy_roster_rows(bad=b.BAD_ROWS))
    monkeypatch.setattr(reports, "choose_open_file", lambda _p: str(roster))
    widget = page(ctx, qtbot)
    wizard = widget.open_wizard()
    before = households(ctx.db)

    files = wizard.file_page
    files.kind.setCurrentIndex(files.kind.findData("roster"))
    files.browse()
    qtbot.waitUntil(files.isComplete, timeout=20_000)
    assert files.sheet.currentData() == "花名册" and "4–5" in files.status.text()

    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.isComplete() and mapping.table.rowCount() == 12
    assert mapping.preview.rowCount() == 7

    wizard.next()
    dry = wizard.dry_run_page
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=30_000)
    assert "新增 5" in dry.summary.text() and dry.issues.rowCount() == 3
    assert not dry.isComplete()  # rows are rejected: the user must choose to skip them
    assert households(ctx.db) == before
    dry.skip.setChecked(True)
    assert dry.isComplete()

    wizard.next()
    qtbot.waitUntil(wizard.apply_page.isComplete, timeout=30_000)
    assert "导入完成" in wizard.apply_page.result.text()
    assert households(ctx.db) == before + 5
    wizard.close()


def test_wizard_refuses_a_file_that_is_not_a_spreadsheet(ctx, qtbot, tmp_path, monkeypatch):
    from ui.pages import reports

    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01not a workbook")
    monkeypatch.setattr(reports, "choose_open_file", lambda _p: str(junk))
    wizard = page(ctx, qtbot).open_wizard()
    wizard.file_page.browse()
    qtbot.waitUntil(lambda: "无法读取" in wizard.file_page.status.text(), timeout=20_000)
    assert not wizard.file_page.isComplete()
    wizard.close()


def test_page_exports_templates_and_reports(ctx, qtbot, tmp_path, monkeypatch):
    from ui.pages import reports

    shown: list[str] = []
    monkeypatch.setattr(reports, "show_info", lambda _w, text, *a: shown.append(text))
    monkeypatch.setattr(reports, "confirm_full_ids", lambda _w: True)
    target: dict[str, Path] = {}
    monkeypatch.setattr(reports, "choose_save_file", lambda _w, suggested, _p: str(target["path"]))
    widget = page(ctx, qtbot)

    target["path"] = tmp_path / "hh.xlsx"
    widget.full_ids.setChecked(True)
    widget.export()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=60_000)
    assert openpyxl.load_workbook(target["path"]).active["A1"].value == "低收入农户结对帮扶花名册"
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).where(AuditEntry.action == "export_full_ids")) == 1

    target["path"] = tmp_path / "template.xlsx"
    widget.save_template()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30_000)
    assert target["path"].exists()

    target["path"] = tmp_path / "report.pdf"
    widget.report("pdf")
    qtbot.waitUntil(lambda: len(shown) == 3, timeout=120_000)
    assert target["path"].read_bytes()[:5] == b"%PDF-"


def test_wizard_creates_an_unknown_village_only_when_ticked(ctx, qtbot, tmp_path, monkeypatch):
    from app.domain.models import Region

    people = b.roster_people()
    people[4] = {**people[4], "village": "新建村"}
    roster = b.write_xlsx(tmp_path / "roster.xlsx", b.messy_roster_rows(people))
    wizard = _to_mapping(ctx, qtbot, monkeypatch, roster)
    wizard.next()
    dry = wizard.dry_run_page
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=30_000)
    assert len(wizard.report.rejected_rows) == 1 and dry.create_places.isEnabled()
    wizard.resize(1366, 768)
    wizard.grab().save(str(Path(__file__).parent.parent.parent / "docs" / "screenshots" / "import_create_places.png"))
    dry.create_places.setChecked(True)  # the dry run runs again, creating the village this time
    qtbot.waitUntil(lambda: wizard.report is not None and wizard.report.ok, timeout=30_000)
    assert any("新建地点" in n.zh for n in wizard.report.notices)
    wizard.next()
    qtbot.waitUntil(wizard.apply_page.isComplete, timeout=30_000)
    with ctx.db.session() as s:
        assert s.scalars(select(Region).where(Region.name == "新建村")).one().level == "village"
    wizard.close()


def _income_roster(tmp_path: Path) -> Path:
    header = [
        "行政村",
        "户主姓名",
        "身份证号码",
        "低收入农户类型",
        "致贫原因",
        "家庭人口",
        "2016年人均可支配收入（元）",
    ]
    ids = [b.make_id("331122", "19650101", n) for n in (401, 402)]
    rows = [["岩背村", "甲一", ids[0], "低保", "因病", 3, 5000], ["金竹村", "乙二", ids[1], "特困", "因残", 2, 6000]]
    return b.write_xlsx(tmp_path / "income-roster.xlsx", [header, *rows])


def _to_mapping(ctx: Any, qtbot: Any, monkeypatch: Any, roster: Path) -> Any:
    from ui.pages import reports

    monkeypatch.setattr(reports, "choose_open_file", lambda _p: str(roster))
    wizard = page(ctx, qtbot).open_wizard()
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("roster"))
    wizard.file_page.browse()
    qtbot.waitUntil(wizard.file_page.isComplete, timeout=20_000)
    wizard.next()
    return wizard


def _income_combo(wizard: Any) -> Any:
    table = wizard.mapping_page.table
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "2016年人均可支配收入（元）")
    return table.cellWidget(row, 1)


def test_wizard_shows_a_roster_income_column_and_can_leave_it_out(ctx, qtbot, tmp_path, monkeypatch):
    """The mapping page says what the importer will do with ``2016年人均可支配收入（元）`` (read it as the 2016
    per-capita income), not "（不导入）"; choosing "（不导入）" really leaves it out."""
    roster = _income_roster(tmp_path)
    wizard = _to_mapping(ctx, qtbot, monkeypatch, roster)
    assert _income_combo(wizard).currentText() == "2016年人均可支配收入"
    wizard.resize(1366, 768)
    wizard.grab().save(str(tmp_path / "mapping.png"))  # looked at by hand (--basetemp keeps it)
    wizard.next()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=30_000)
    assert wizard.report.counts["income_record"]["create"] == 2  # 5,000 × 3 and 6,000 × 2
    wizard.close()

    wizard = _to_mapping(ctx, qtbot, monkeypatch, roster)
    combo = _income_combo(wizard)
    combo.setCurrentIndex(combo.findData(""))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=30_000)
    assert wizard.report.counts.get("income_record", {}).get("create", 0) == 0
    assert wizard.report.counts["household"]["create"] == 2
    wizard.close()
