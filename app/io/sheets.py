"""Read spreadsheets into plain rows: .xlsx, .xls (Excel 2003 / WPS), .ods and .csv (UTF-8, GBK, GB18030).

python-calamine (Rust) reads every binary format: on a 200,000-row sheet it is about 10× faster than
openpyxl (see tests/bench/bench_excel.py and its baseline in tests/bench/baselines.py), so it is the reader. Rows keep their sheet position (row 1 = index 0) so errors can name the row
the officer sees in Excel. Merged cells come back as the value in the first cell and blanks elsewhere.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.io.errors import SheetNotFound, UnreadableFile

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # GB18030 is a superset of GBK and GB2312


@dataclass
class Sheet:
    """One worksheet as rows of cell values (str, float, int, bool, date, datetime or ``""``)."""

    name: str
    rows: list[list[Any]]
    hidden: bool = False


@dataclass
class Workbook:
    """The sheets of a file, in order; ``hidden`` sheets are listed but never chosen by default."""

    path: Path
    sheets: list[Sheet] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str | None = None) -> Sheet:
        """The named sheet, or the first visible one that has any data."""
        if name is not None:
            for sheet in self.sheets:
                if sheet.name == name:
                    return sheet
            raise SheetNotFound(name, self.names)
        visible = [s for s in self.sheets if not s.hidden] or self.sheets
        for sheet in visible:
            if any(any(_filled(v) for v in row) for row in sheet.rows):
                return sheet
        return visible[0]


def _filled(value: Any) -> bool:
    return value is not None and value != ""


def file_kind(path: Path) -> str:
    """``spreadsheet`` (zip or OLE2 container) or ``csv``, by the file's first bytes, not its name."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        raise UnreadableFile("（文件无法打开）", " (the file cannot be opened)") from None
    if not head:
        raise UnreadableFile("（文件为空）", " (the file is empty)")
    if head.startswith(_ZIP) or head == _OLE2:
        return "spreadsheet"
    return "csv"


def read_workbook(path: Path | str) -> Workbook:
    """Every sheet of the file. Raises ``UnreadableFile`` for anything that is not a readable spreadsheet."""
    path = Path(path)
    if file_kind(path) == "csv":
        return Workbook(path, [Sheet(path.stem, read_csv_rows(path))])
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no table
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, [list(r) for r in rows], hidden=meta.visible != SheetVisibleEnum.Visible))
    except Exception as exc:  # calamine raises many types (zip, xml, password, cfb…): all mean "cannot read"
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise UnreadableFile("（文件设置了打开密码，请先取消密码）", " (it is password-protected)") from None
        raise UnreadableFile() from None
    if not sheets:
        raise UnreadableFile("（没有工作表）", " (it has no worksheet)")
    return Workbook(path, sheets)


def decode_text(data: bytes) -> str:
    """CSV bytes to text: UTF-8 (with or without BOM) first, else GB18030 (what Excel/WPS save in China)."""
    if b"\x00" in data[:4096]:
        raise UnreadableFile("（不是文本表格）", " (not a text table)")
    for encoding in _CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("（无法识别的文字编码）", " (unknown text encoding)")


def read_csv_rows(path: Path) -> list[list[Any]]:
    try:
        text = decode_text(path.read_bytes())
    except OSError:
        raise UnreadableFile() from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    if not any(any(c.strip() for c in r) for r in rows):
        raise UnreadableFile("（没有数据）", " (it holds no data)")
    return rows
