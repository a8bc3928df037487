"""Read spreadsheets into plain rows: .xlsx, .xls (Excel 2003 / WPS), .ods and .csv (UTF-8, GBK, GB18030).

python-calamine (Rust) reads every binary format: on a 200,000-row sheet it is about 10× faster than
openpyxl (see tests/bench/bench_excel.py and its baseline in tests/bench/baselines.py), so it is the reader. Rows keep their sheet position (row 1 = index 0) so errors can name the row
the officer sees in Excel. Merged cells come back as the value in the first cell and blanks elsewhere.
"""

from __future__ import annotations

import contextlib
import csv
import io
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.gc_pause import paused_gc
from app.io import limits
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
    """Every sheet of the file. Raises ``UnreadableFile`` for anything that is not a readable spreadsheet and
    ``FileTooLarge`` above the limits of ``app.io.limits`` — checked before parsing, and the parse itself runs
    in a child process with a memory cap, so no file can exhaust this process's memory or abort it."""
    path = Path(path)
    if file_kind(path) == "csv":
        return Workbook(path, [Sheet(path.stem, read_csv_rows(path))])
    if _is_zip(path):
        limits.check_zip_container(path)
    else:
        limits.check_file_size(path, limits.MAX_FILE)
    return Workbook(path, _parse_in_child(path))


def _is_zip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(4) == _ZIP


def _parse_in_child(path: Path) -> list[Sheet]:
    """calamine in a spawned child with an address-space cap (POSIX): if the parse would need more, the child
    dies, not us. Spawn, not fork: the GUI calls this from a worker thread."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_parse, args=(str(path), sender, limits.PARSE_MEMORY), daemon=True)
    child.start()
    sender.close()
    try:
        with paused_gc():  # unpickling builds every cell at once, all acyclic: the collector would only walk them
            outcome = receiver.recv()
    except EOFError:
        outcome = None
    finally:
        receiver.close()
        child.join()
    if outcome is None:
        raise limits.FileTooLarge(
            f"解析所需内存超过 {limits.PARSE_MEMORY / 2**30:,.0f} GB 上限",
            f"parsing it needs more than the {limits.PARSE_MEMORY / 2**30:,.0f} GB memory limit",
        )
    if outcome[0] == "error":
        error = UnreadableFile()
        error.zh, error.en = outcome[1], outcome[2]  # the child's whole sentences
        raise error
    return list(outcome[1])


def _child_parse(path: str, sender: Any, memory: int) -> None:
    with contextlib.suppress(OSError):  # a library that aborts (Rust's "memory allocation failed") stays quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ImportError, ValueError, OSError):
        pass  # Windows: no rlimit; the checks before parsing are the guard there
    try:
        outcome: tuple[Any, ...] = ("ok", _parse(Path(path)))
    except UnreadableFile as exc:
        outcome = ("error", exc.zh, exc.en)
    except BaseException:  # out of memory (MemoryError, or a library that cannot map itself): say nothing
        return  # the parent sees the closed pipe and refuses the file
    sender.send(outcome)
    sender.close()


def _parse(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart sheets and macro sheets hold no table
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, _shared(rows), hidden=meta.visible != SheetVisibleEnum.Visible))
    except MemoryError:
        raise
    except Exception as exc:  # calamine raises many types (zip, xml, password, cfb…): all mean "cannot read"
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise UnreadableFile("（文件设置了打开密码，请先取消密码）", " (it is password-protected)") from None
        raise UnreadableFile() from None
    if not sheets:
        raise UnreadableFile("（没有工作表）", " (it has no worksheet)")
    return sheets


def _shared(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with each repeated text made one object (a roster repeats its 乡镇, 行政村, 类型, 单位 … on
    every line): pickle then sends it to the parent once, and the parent holds it once."""
    seen: dict[str, str] = {}
    return [[seen.setdefault(v, v) if type(v) is str else v for v in row] for row in rows]


def _looks_binary(head: bytes) -> bool:
    """Control bytes make up more than 5% of the first 4 KB: a binary or UTF-16 file, not a CSV (a stray NUL,
    ESC or BEL in a cell of a real table is a row issue, reported on its row)."""
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls * 20 > len(head)


def read_csv_rows(path: Path) -> list[list[Any]]:
    """Rows of a CSV, streamed: decoded and split as read (UTF-8 with or without BOM, else GB18030, what
    Excel/WPS save in China), refused above ``app.io.limits`` without reading the rest."""
    limits.check_file_size(path, limits.MAX_CSV)
    for encoding in _CSV_ENCODINGS:
        try:
            rows = _csv_rows(path, encoding)
        except UnicodeDecodeError:
            continue
        except OSError:
            raise UnreadableFile() from None
        if not any(any(c.strip() for c in r) for r in rows):
            raise UnreadableFile("（没有数据）", " (it holds no data)")
        return rows
    raise UnreadableFile("（无法识别的文字编码）", " (unknown text encoding)")


def _csv_rows(path: Path, encoding: str) -> list[list[Any]]:
    with path.open("rb") as raw:
        if _looks_binary(raw.read(4096)):
            raise UnreadableFile("（不是文本表格）", " (not a text table)")
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        sample = text.read(4096)
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        text.seek(0)
        rows: list[list[Any]] = []
        width = 0
        try:
            for row in csv.reader(text, dialect):
                rows.append(row)
                width = max(width, len(row))
                if len(rows) > limits.MAX_ROWS or width > limits.MAX_COLUMNS:
                    limits.check_rows(len(rows), width)
        except csv.Error:
            raise UnreadableFile("（CSV 格式错误）", " (malformed CSV)") from None
        return rows
