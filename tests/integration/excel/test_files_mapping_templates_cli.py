"""Files that are not spreadsheets are refused and change nothing; a confirmed mapping is remembered;
templates carry drop-downs; the CLI's exit codes and error workbook; LibreOffice reopens an export."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.domain.models import AuditEntry, Household
from app.errors import BangfuError
from app.io.columns import KINDS
from app.io.errors import MissingColumns, TableNotFound, UnreadableFile
from app.io.importer import ExcelImport
from app.io.sheets import read_workbook
from app.io.templates import write_template
from tests.conftest import PASSWORD
from tests.integration.excel import builders as b
from tests.integration.test_cli_foundation import assert_clean_error, cli


def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty.xlsx": b"",
        "random.xlsx": bytes(range(256)) * 40,
        "pdf-named.xls": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + b"\x00\x01\x02" * 50,
        "truncated.xlsx": b"PK\x03\x04" + b"\x00" * 100,
        "ole-garbage.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    }
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    zip_path = tmp_path / "not-a-workbook.xlsx"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    out["not-a-workbook.xlsx"] = zip_path
    return out


def test_non_spreadsheets_are_refused_with_a_typed_error(tmp_path):
    for name, path in bad_files(tmp_path).items():
        with pytest.raises(UnreadableFile) as info:
            read_workbook(path)
        assert info.value.exit_code == 2, name
        assert "无法读取" in info.value.zh


def test_a_sheet_without_the_kinds_header_is_refused(tmp_path):
    path = b.write_xlsx(tmp_path / "other.xlsx", [["会议签到表"], ["时间", "地点"], ["上午", "会议室"]])
    with pytest.raises(TableNotFound):
        ExcelImport(path, "roster")


def test_refused_file_leaves_the_ledger_unchanged(db, places, tmp_path):
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    for path in bad_files(tmp_path).values():
        with pytest.raises(BangfuError):
            ExcelImport(path, "roster").run(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before
        assert s.scalar(select(func.count()).select_from(Household)) == 0


def test_confirmed_mapping_is_remembered_for_the_same_layout(tmp_path):
    rows = [
        ["户主", "证件", "村", "户别", "原因"],
        ["王芳", b.make_id("331122", "19650101", 1), "岩背村", "低保", "因病"],
    ]
    path = b.write_xlsx(tmp_path / "odd.xlsx", rows, hidden_first=False)
    job = ExcelImport(path, "households")
    assert [c.zh for c in job.missing_required()] == ["身份证号码"]  # "证件" is no synonym
    with pytest.raises(MissingColumns):
        job.parse()
    fixed = {**job.mapping, 1: "head_id_number"}
    job.set_mapping(fixed)

    again = ExcelImport(b.write_xlsx(tmp_path / "odd2.xlsx", rows, hidden_first=False), "households")

    assert again.mapping == fixed and not again.missing_required()
    assert again.parse()[0].values["head_id_number"] == rows[1][1]


def test_templates_have_dropdowns_text_id_columns_and_import_cleanly(tmp_path):
    for kind in KINDS:
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        job = ExcelImport(path, kind)
        assert not job.missing_required() and job.layout.data_rows == []
    ws = openpyxl.load_workbook(tmp_path / "roster.xlsx").worksheets[0]
    lists = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1 for dv in ws.data_validations.dataValidation}
    header = {c.value: c.column_letter for c in ws[3] if c.value}
    assert "低保边缘户" in lists[header["低收入农户类型*"]]
    assert "缺劳力" in lists[header["致贫原因*"]]
    assert ws.column_dimensions[header["身份证号码*"]].number_format == "@"


# ------------------------------------------------------------------ the CLI as a script uses it


@pytest.fixture
def ledger_file(tmp_path: Path) -> Path:
    from app.services.uow import UnitOfWork
    from app.storage.database import create_database
    from tests.conftest import Places  # noqa: F401 (the same places as the fixture)

    path = tmp_path / "cli.db"
    db = create_database(path, PASSWORD)
    db.set_node("331122101", "壶镇镇", "township")
    from app.domain.models import Region
    from app.services import officers

    officers.add(db, "tester")  # the officer the CLI runs as (BANGFU_ACTOR in conftest) must be on the list

    with UnitOfWork(db) as uow:
        county = uow.add(Region(code="331122", name="缙云县", level="county"))
        town = uow.add(Region(code="331122101", name="壶镇镇", level="township", parent_id=county.id))
        for n, name in [(1, "岩背村"), (2, "金竹村"), (3, "好溪村")]:
            uow.add(Region(code=f"331122101{n:03d}", name=name, level="village", parent_id=town.id))
    db.close()
    return path


def test_cli_import_export_template_exit_codes(ledger_file, tmp_path):
    roster = b.write_xlsx(tmp_path / "roster.xlsx", b.messy_roster_rows(bad=b.BAD_ROWS))
    db = ["--db", str(ledger_file)]

    dry = cli(
        "import-excel", *db, "--kind", "roster", str(roster), "--dry-run", "--json", password=PASSWORD, tmp=tmp_path
    )
    assert dry.returncode == 1, dry.stderr
    report = json.loads(dry.stdout)
    assert report["rejected"] == 2 and report["counts"]["household"]["create"] == 5 and not report["applied"]

    errors = tmp_path / "errors.xlsx"
    strict = cli(
        "import-excel", *db, "--kind", "roster", str(roster), "--errors", str(errors), password=PASSWORD, tmp=tmp_path
    )
    assert strict.returncode == 1 and "未导入任何数据" in strict.stdout
    ws = openpyxl.load_workbook(errors).active
    header = [c.value for c in ws[3]]
    assert header[-1] == "错误原因" and ws.max_row == 6  # title, subtitle, 2 header rows, 2 bad rows
    assert "无法恢复" in "".join(str(c.value) for c in ws[5] + ws[6])

    ok = cli("import-excel", *db, "--kind", "roster", str(roster), "--skip-invalid", password=PASSWORD, tmp=tmp_path)
    assert ok.returncode == 1 and "已导入" in ok.stdout  # imported, but rows were rejected

    out = tmp_path / "hh.xlsx"
    exported = cli("export-excel", *db, "--ledger", "households", str(out), password=PASSWORD, tmp=tmp_path)
    assert exported.returncode == 0 and "5" in exported.stdout
    again = cli("import-excel", *db, "--kind", "households", str(out), "--json", password=PASSWORD, tmp=tmp_path)
    assert again.returncode == 1  # masked IDs cannot be imported back: every row says why
    assert all("身份证" in i["zh"] for i in json.loads(again.stdout)["issues"])

    template = cli("template", "--kind", "visits", str(tmp_path / "t.xlsx"), password=None, tmp=tmp_path)
    assert template.returncode == 0 and (tmp_path / "t.xlsx").exists()


def test_cli_refuses_unreadable_files_and_bad_usage_cleanly(ledger_file, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a spreadsheet at all \x00\x01")
    result = cli(
        "import-excel", "--db", str(ledger_file), "--kind", "roster", str(junk), password=PASSWORD, tmp=tmp_path
    )
    assert_clean_error(result, 2)
    missing = cli(
        "import-excel", "--db", str(ledger_file), "--kind", "roster", str(tmp_path / "nope.xlsx"), tmp=tmp_path
    )
    assert_clean_error(missing, 2)
    bad_kind = cli("import-excel", "--kind", "nonsense", str(junk), tmp=tmp_path)
    assert bad_kind.returncode == 2 and "Traceback" not in bad_kind.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_exports_reopen_in_libreoffice_headless(db, places, tmp_path):
    from app.io.ledgers import export_ledger

    ExcelImport(b.write_xlsx(tmp_path / "r.xlsx", b.messy_roster_rows()), "roster").run(db)
    out = tmp_path / "hh.xlsx"
    export_ledger(db, "households", out)
    template = write_template("roster", tmp_path / "template.xlsx")
    for source in (out, template):
        result = subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
             "--outdir", str(tmp_path / "lo-out"), str(source)],
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        converted = (tmp_path / "lo-out" / f"{source.stem}.csv").read_text(encoding="utf-8", errors="replace")
        assert "结对帮扶干部" in converted or "花名册" in converted
    assert "王芳" in (tmp_path / "lo-out" / "hh.csv").read_text(encoding="utf-8", errors="replace")
