"""Size limits for files from outside, checked before any parser sees them (docs/EXCEL.md, "Limits").

A 1.7 KB .xlsx whose one cell sits at XFD1048576 makes a dense reader allocate 16,384 × 1,048,576 cells; an
8 MB zip bomb inflates to gigabytes. So a container is judged by what it declares and what it really holds:
total and per-part uncompressed size (read, not trusted: a lying header fails the CRC or hits the cap while
streaming), the compression ratio, and for .xlsx the farthest cell each worksheet declares or uses (the XML is
scanned in 1 MB chunks, never held whole). A CSV is limited by file size, then counted row by row while read.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from app.io.errors import UnreadableFile

MAX_ROWS = 1_000_000
MAX_COLUMNS = 200
MAX_CELLS = 10_000_000  # rows × columns up to the farthest cell: a dense reader allocates every one
MAX_UNCOMPRESSED = 500 * 1024 * 1024  # all parts of a .xlsx/.ods together
MAX_FILE = 500 * 1024 * 1024  # an .xls on disk
MAX_CSV = 100 * 1024 * 1024  # every cell of a CSV becomes a Python string (~10× its bytes): 100 MB ≈ 1 GB
MAX_RATIO = 200  # uncompressed ÷ compressed for a part over 10 MB: spreadsheets compress 5–30×
PARSE_MEMORY = 3 * 1024**3  # address space of the child process that parses a .xlsx/.xls/.ods
_RATIO_FLOOR = 10 * 1024 * 1024
_CHUNK = 1024 * 1024

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,4})?(\d{1,8})?(?::([A-Z]{1,4})(\d{1,8}))?\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,4})(\d{1,8})\"")


class FileTooLarge(UnreadableFile):
    """Above a documented limit: refused before parsing (exit code 2)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__()
        self.zh = f"文件超出可处理的上限，未读取：{zh}。"
        self.en = f"The file is beyond the limits this program reads, so it was not read: {en}."
        self.args = (self.en,)


def column_number(letters: bytes | str) -> int:
    """``A`` → 1, ``Z`` → 26, ``XFD`` → 16384."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def check_file_size(path: Path, limit: int = MAX_FILE) -> int:
    """The file's size, refused above ``limit`` (a CSV, an .xls, a sync package)."""
    try:
        size = path.stat().st_size
    except OSError:
        raise UnreadableFile("（文件无法打开）", " (the file cannot be opened)") from None
    if size > limit:
        raise FileTooLarge(
            f"文件 {size / 2**20:,.0f} MB，超过上限 {limit / 2**20:,.0f} MB",
            f"the file is {size / 2**20:,.0f} MB, above the {limit / 2**20:,.0f} MB limit",
        )
    return size


def check_zip_container(path: Path) -> None:
    """Refuse a .xlsx/.ods whose parts inflate beyond the limits or whose sheets reach beyond the grid
    limits; raises ``FileTooLarge`` (or ``UnreadableFile`` for a damaged zip)."""
    try:
        with zipfile.ZipFile(path) as zf:
            parts = zf.infolist()
            declared = sum(p.file_size for p in parts)
            if declared > MAX_UNCOMPRESSED:
                raise _too_big(declared)
            for part in parts:
                if part.file_size > _RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
                    raise FileTooLarge(
                        f"压缩比异常（{part.file_size // max(part.compress_size, 1):,} 倍），疑为压缩炸弹",
                        f"an abnormal compression ratio ({part.file_size // max(part.compress_size, 1):,}×), "
                        "a likely zip bomb",
                    )
            total = 0
            for part in parts:
                is_sheet = part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")
                total += _scan_part(zf, part, total, is_sheet)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise UnreadableFile() from None


def _scan_part(zf: zipfile.ZipFile, part: zipfile.ZipInfo, before: int, is_sheet: bool) -> int:
    """Stream one part (the CRC is checked at its end); for a worksheet, find the farthest cell."""
    size = 0
    tail = b""
    far = [0, 0]  # farthest row, column
    with zf.open(part) as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            if before + size > MAX_UNCOMPRESSED:
                raise _too_big(before + size)
            if is_sheet:
                _check_grid(tail + chunk, far)
                tail = chunk[-256:]
    return size


def _check_grid(data: bytes, far: list[int]) -> None:
    for m in _DIMENSION.finditer(data):
        col, row = m.group(3) or m.group(1), m.group(4) or m.group(2)
        _within_grid(col, row, far)
    # The farthest row and column of the chunk's cells, then one check: ``far`` only grows, so it passes a
    # limit after the chunk exactly when it passed it at some cell of the chunk (a megabyte holds ~30,000
    # cells; a check per cell was most of the time spent here).
    refs = _CELL_REF.findall(data)
    if refs:
        row = max(map(int, [r for _, r in refs]))
        letters = {c for c, _ in refs}
        col = max(letters, key=lambda c: (len(c), c))  # A < Z < AA: longer is farther, then alphabetical
        _within_grid(col, str(row).encode(), far)


def _within_grid(col: bytes | None, row: bytes | None, far: list[int]) -> None:
    far[0] = max(far[0], int(row) if row else 0)
    far[1] = max(far[1], column_number(col) if col else 0)
    rows, columns = far
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise FileTooLarge(
            f"表格范围达到第 {rows:,} 行、第 {columns:,} 列，超过上限 {MAX_ROWS:,} 行、{MAX_COLUMNS} 列、"
            f"{MAX_CELLS:,} 个单元格",
            f"the sheet reaches row {rows:,}, column {columns:,}; the limits are {MAX_ROWS:,} rows, "
            f"{MAX_COLUMNS} columns and {MAX_CELLS:,} cells",
        )


def check_rows(count: int, width: int) -> None:
    """A CSV read so far: refuse once it passes the row or column limit."""
    if count > MAX_ROWS or width > MAX_COLUMNS:
        raise FileTooLarge(
            f"表格超过上限 {MAX_ROWS:,} 行、{MAX_COLUMNS} 列",
            f"the table is above the limits of {MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
        )


def _too_big(size: int) -> FileTooLarge:
    return FileTooLarge(
        f"解压后至少 {size / 2**20:,.0f} MB，超过 {MAX_UNCOMPRESSED / 2**20:,.0f} MB 上限",
        f"it inflates to at least {size / 2**20:,.0f} MB, over the {MAX_UNCOMPRESSED / 2**20:,.0f} MB limit",
    )
