"""Files that could hurt are refused before parsing, in one line (exit 2), with memory bounded: a cell at
XFD1048576, zip bombs, huge or over-wide CSV files (limits in ``app.io.limits``, docs/EXCEL.md)."""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from app.io import limits
from app.io.limits import FileTooLarge
from app.io.sheets import read_workbook
from tests.integration.test_cli_foundation import cli


def far_cell_xlsx(path: Path) -> Path:
    """The 1.7 KB workbook whose only cell sits at XFD1048576 (16,384 × 1,048,576 cells if read densely)."""
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_string(1048575, 16383, "x")
    book.close()
    return path


def zeros_part(path: Path, megabytes: int, *, sheet: bool = True) -> Path:
    """A .xlsx-shaped zip whose one part inflates from ~``megabytes``/1000 MB to ``megabytes`` MB."""
    name = "xl/worksheets/sheet1.xml" if sheet else "xl/media/padding.bin"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open(name, "w", force_zip64=True) as part:
        block = b" " * 2**20
        for _ in range(megabytes):
            part.write(block)
    return path


def test_a_cell_at_xfd1048576_is_refused_before_parsing(tmp_path: Path) -> None:
    path = far_cell_xlsx(tmp_path / "far.xlsx")
    assert path.stat().st_size < 8000
    with pytest.raises(FileTooLarge) as info:
        read_workbook(path)
    assert "1,048,576" in info.value.zh and "16,384" in info.value.zh


def test_zip_bombs_are_refused_by_ratio_and_by_total_size(tmp_path: Path) -> None:
    with pytest.raises(FileTooLarge) as ratio:  # 60 MB of spaces deflate ~1000×: above the 200× a sheet needs
        read_workbook(zeros_part(tmp_path / "ratio.xlsx", 60, sheet=False))
    assert "压缩炸弹" in ratio.value.zh
    bomb = tmp_path / "bomb.xlsx"  # 510 parts of 1 MB each: every ratio normal-looking, the sum over 500 MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(510):
            zf.writestr(f"xl/media/p{n}.bin", bytes(range(256)) * 4096)
    with pytest.raises(FileTooLarge) as total:
        read_workbook(bomb)
    assert "500 MB" in total.value.zh


def test_csv_limits_file_size_rows_and_columns(tmp_path: Path) -> None:
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:  # sparse: the size is checked before a byte is read
        fh.write("户主姓名,身份证号码\n".encode())
        fh.truncate(limits.MAX_CSV + 1)
    with pytest.raises(FileTooLarge) as too_big:
        read_workbook(huge)
    assert "100 MB" in too_big.value.zh
    tall = tmp_path / "tall.csv"
    tall.write_text("a\n" * (limits.MAX_ROWS + 1), encoding="utf-8")  # 1,000,001 rows
    with pytest.raises(FileTooLarge):
        read_workbook(tall)
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["x"] * (limits.MAX_COLUMNS + 1)) + "\n", encoding="utf-8")  # 201 columns
    with pytest.raises(FileTooLarge):
        read_workbook(wide)


def children_peak_kb() -> int:
    """The largest resident size any finished child reached (KB on Linux); 0 where there is no getrusage
    (Windows: the refusal is checked all the same, the memory figure only on Linux)."""
    if not sys.platform.startswith("linux"):
        return 0
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def test_the_cli_refuses_in_one_line_with_bounded_memory(tmp_path: Path) -> None:
    assert cli("init", "--db", "x.db", "--code", "331102103", tmp=tmp_path).returncode == 0
    far = far_cell_xlsx(tmp_path / "far.xlsx")
    before = children_peak_kb()
    result = cli("import-excel", "--db", "x.db", "--kind", "roster", "--dry-run", str(far), tmp=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and " / " in lines[0] and "Traceback" not in result.stderr
    peak_kb = children_peak_kb()
    if peak_kb > before:
        assert peak_kb < 400_000  # KB: the dense read would need hundreds of GB


@pytest.mark.posix("RLIMIT_AS caps the parsing child's memory; Windows has no rlimit (the checks before parsing guard)")
def test_a_file_that_passes_the_checks_but_not_the_memory_cap_kills_only_the_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cell at row 50,000, column 200: 10,000,000 cells, within the limits; the dense read needs 10M × 32
    bytes = 320 MB, so under a 160 MB cap the child dies and this process refuses the file in one line."""
    path = tmp_path / "edge.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet().write_string(limits.MAX_CELLS // limits.MAX_COLUMNS - 1, limits.MAX_COLUMNS - 1, "x")
    book.close()
    limits.check_zip_container(path)  # passes the checks before parsing
    monkeypatch.setattr(limits, "PARSE_MEMORY", 160 * 2**20)
    with pytest.raises(FileTooLarge) as info:
        read_workbook(path)
    assert "内存" in info.value.zh
