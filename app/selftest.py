"""The installed program checks itself: ``bangfu --self-test`` (and ``bangfu --version``).

Meant for the frozen build above all — the installer's CI runs it on the installed program, and support can ask
an officer to run it — but it runs unfrozen the same way (``python main.py --self-test``). Every check runs in a
throw-away folder with ``BANGFU_DATA_DIR`` pointed there, so the user's ledger, settings and backups are never
touched. The result goes to stdout when there is one and always to a JSON file (a windowed Windows executable
has no stdout): by default ``self-test.json`` in the user's data folder, or ``--result FILE``.

The sync and Excel round trips look for their package and report "skipped: not built yet" while it is not in
the build; the libraries those parts rely on (age, Ed25519, openpyxl, calamine) are checked regardless.

This module imports no Qt; the window checks live in ``ui/selftest.py`` and are handed in as extra checks.
Thread use: the main thread, once, at start-up.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import pkgutil
import platform
import shutil
import sys
import tempfile
import time
import traceback
import types
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app import APP_NAME, APP_NAME_ZH, __version__
from app.fonts import configure_matplotlib

OK, SKIPPED, FAILED = "ok", "skipped", "failed"
PASSWORD = "自检-Self-Test-密码"  # a throw-away database; the password exercises non-ASCII keys
NOT_BUILT_ZH, NOT_BUILT_EN = "尚未构建", "not built yet"
RESULT_NAME = "self-test.json"


class SkipCheck(Exception):
    """Raised by a check that cannot run here; the message says why (Chinese / English)."""


@dataclass
class CheckResult:
    name: str
    status: str
    detail: str
    seconds: float


@dataclass
class Report:
    program: str
    version: str
    frozen: bool
    platform: str
    python: str
    started_utc: str
    checks: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return all(c.status != FAILED for c in self.checks)

    def to_json(self) -> str:
        data = asdict(self)
        data["ok"] = self.ok
        return json.dumps(data, ensure_ascii=False, indent=2)

    def summary_lines(self) -> list[str]:
        lines = [f"{APP_NAME_ZH} {APP_NAME} {self.version} 自检 / self-test ({'frozen' if self.frozen else 'source'})"]
        labels = {OK: "通过 ok", SKIPPED: "跳过 skipped", FAILED: "失败 FAILED"}
        for c in self.checks:
            lines.append(f"  {labels[c.status]:<12} {c.name:<16} {c.seconds:6.2f}s  {c.detail}")
        verdict = "全部通过 / all passed" if self.ok else "有检查失败 / some checks failed"
        lines.append(f"{verdict} ({self.seconds:.1f}s)")
        return lines


Check = tuple[str, Callable[[Path], str]]  # (name, function(work folder) -> detail); raise SkipCheck to skip


# -- the checks -------------------------------------------------------------------------------------------


def _import_package(package: str) -> int:
    """Import every module of ``package`` (Alembic's revision scripts excepted: Alembic loads those from disk)."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, package + "."):
        if ".migrations" in info.name:
            continue
        importlib.import_module(info.name)
        names.append(info.name)
    return len(names)


def check_imports(work: Path) -> str:
    count = _import_package("app")
    from app.cli import command_modules

    commands = command_modules()
    return f"{count} app modules, {len(commands)} CLI commands"


# What a decrypting export needs: SQLCipher's export into an attached database with an empty key (both).
DECRYPTING_SQL = ("sqlcipher_export", "KEY ''")


def _code_strings(code: types.CodeType) -> Iterator[str]:
    for const in code.co_consts:
        if isinstance(const, str):
            yield const
        elif isinstance(const, types.CodeType):
            yield from _code_strings(const)


def check_no_plain_export(work: Path) -> str:
    """No code in the program can write a decrypted copy of a ledger (benchmarks keep theirs in tests/):
    every loaded app/ui module's compiled code is searched for the SQL that would do it."""
    searched, found = 0, []
    for name, module in sorted(sys.modules.items()):
        if not name.startswith(("app.", "ui.")) or module is None:
            continue
        for value in vars(module).values():
            code = getattr(value, "__code__", None)
            functions = [code] if isinstance(code, types.CodeType) else []
            if isinstance(value, type) and value.__module__ == name:
                functions += [f.__code__ for f in vars(value).values() if isinstance(f, types.FunctionType)]
            for function in functions:
                searched += 1
                strings = list(_code_strings(function))
                # both pieces: a re-encrypting copy under a new, non-empty key (a password change) is fine
                if all(any(s in text for text in strings) for s in DECRYPTING_SQL):
                    found.append(f"{name}.{function.co_name}")
    if found:
        raise AssertionError(f"a decrypting export is in the program: {sorted(set(found))}")
    return f"{searched} functions searched, none exports a decrypted copy"


def check_resources(work: Path) -> str:
    from app.domain.lishui import lishui

    data = lishui()
    counties = data["counties"]
    if len(counties) != 9:
        raise AssertionError(f"expected the 9 counties of Lishui, found {len(counties)}")
    return f"regions: {len(counties)} counties"


def check_database(work: Path) -> str:
    """Create an encrypted ledger, write through the unit of work, reopen, verify the audit chain."""
    from sqlalchemy import func, select

    from app.audit import verify
    from app.domain.models import Region
    from app.errors import WrongPassword
    from app.services.uow import UnitOfWork
    from app.storage.database import SQLITE_PLAIN_HEADER, create_database, open_database
    from app.storage.migrate import head_revision

    path = work / "selftest.db"
    db = create_database(path, PASSWORD)
    try:
        db.set_node("331122101", "壶镇镇", "township")
        with UnitOfWork(db) as uow:
            uow.add(Region(code="331122", name="缙云县", level="county"))
    finally:
        db.close()
    if path.read_bytes()[:16] == SQLITE_PLAIN_HEADER:
        raise AssertionError("the database file is not encrypted")
    try:
        open_database(path, PASSWORD + "x").close()
    except WrongPassword:
        pass
    else:
        raise AssertionError("a wrong password opened the database")
    db = open_database(path, PASSWORD)
    try:
        with db.session() as session:
            regions = session.scalar(select(func.count()).select_from(Region))
            audit = verify(session)
    finally:
        db.close()
    if regions != 1 or not audit.ok:
        raise AssertionError(f"read back {regions} regions, audit ok={audit.ok}")
    return f"SQLCipher file, schema {head_revision()}, {audit.entries} audit entries verified"


def check_crypto(work: Path) -> str:
    """The native libraries sync relies on: age encryption (pyrage) and Ed25519 signatures (cryptography)."""
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    identity = pyrage.x25519.Identity.generate()
    plain = "帮扶通 自检".encode()
    sealed = pyrage.encrypt(plain, [identity.to_public()])
    if pyrage.decrypt(sealed, [identity]) != plain:
        raise AssertionError("age round trip changed the data")
    key = Ed25519PrivateKey.generate()
    key.public_key().verify(key.sign(sealed), sealed)  # raises InvalidSignature
    return "age x25519 + Ed25519"


def _require(module: str) -> None:
    """Skip while the part of the program that ``module`` belongs to is not in this build yet."""
    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its parent package is missing
        found = False
    if not found:
        raise SkipCheck(f"{NOT_BUILT_ZH} / {NOT_BUILT_EN}")


def check_sync(work: Path) -> str:
    """A city and a township onboarded by file exchange; reference data goes down, the receipt comes back."""
    _require("app.sync.exporter")
    from sqlalchemy import select

    from app.domain.models import Region
    from app.services.uow import UnitOfWork
    from app.storage.database import create_database
    from app.sync import exporter, importer, onboarding

    city = create_database(work / "city.db", PASSWORD)
    town = create_database(work / "town.db", PASSWORD)
    try:
        city.set_node("3311", "丽水市", "city")
        town.set_node("331122101", "壶镇镇", "township")
        for db in (city, town):
            onboarding.init_identity(db)
        onboarding.join(town, onboarding.onboard(city, onboarding.join_request(town)))
        with UnitOfWork(city) as uow:
            county = uow.add(Region(code="331122", name="缙云县", level="county"))
            uow.add(Region(code="331122101", name="壶镇镇", level="township", parent_id=county.id))
        (work / "down").mkdir()
        (work / "up").mkdir()
        down = importer.import_file(town, exporter.export_package(city, "331122101", work / "down").path)
        up = importer.import_file(city, exporter.export_package(town, "3311", work / "up").path)
        with town.session() as session:
            regions = len(session.scalars(select(Region)).all())
    finally:
        town.close()
        city.close()
    if (down.status, up.status, up.receipts, regions) != ("applied", "applied", 1, 2):
        raise AssertionError(f"down {down.status}, up {up.status}, receipts {up.receipts}, regions {regions}")
    return "city → township applied, receipt back"


def check_excel_libraries(work: Path) -> str:
    """openpyxl writes, python-calamine and pandas read back: the Excel stack works in this build."""
    import openpyxl
    import pandas as pd
    from python_calamine import CalamineWorkbook

    path = work / "自检.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["户主", "人数", "年收入（元）"])
    sheet.append(["张三", 3, 12345.5])
    book.save(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    frame = pd.read_excel(path, engine="calamine")
    if rows[1][0] != "张三" or float(frame.iloc[0]["年收入（元）"]) != 12345.5:
        raise AssertionError(f"read back {rows!r}")
    return "openpyxl → calamine, pandas"


def check_excel(work: Path) -> str:
    """Import a cadre sheet, export the cadre ledger, import the export again: one cadre, nothing doubled."""
    _require("app.io.ledgers")
    import openpyxl
    from sqlalchemy import func, select

    from app.domain.models import Cadre
    from app.io.importer import ExcelImport
    from app.io.ledgers import export_ledger
    from app.storage.database import create_database

    sheet = work / "干部名单.xlsx"
    book = openpyxl.Workbook()
    rows = [
        ["干部名单"],
        ["姓名", "工作单位", "职务", "联系电话", "是否领导"],
        ["孙立", "缙云县民政局", "局长", "13905783333", "是"],
    ]
    for row in rows:
        book.active.append(row)
    book.save(sheet)
    db = create_database(work / "excel.db", PASSWORD)
    try:
        db.set_node("331122101", "壶镇镇", "township")
        first = ExcelImport(sheet, "cadres").run(db)
        exported = export_ledger(db, "cadres", work / "导出.xlsx")
        again = ExcelImport(work / "导出.xlsx", "cadres").run(db)
        with db.session() as session:
            cadres = session.scalar(select(func.count()).select_from(Cadre))
    finally:
        db.close()
    if not (first.ok and again.ok and exported == 1 and cadres == 1):
        raise AssertionError(f"import ok={first.ok}, exported {exported}, re-import ok={again.ok}, cadres {cadres}")
    return "xlsx import → ledger export → re-import"


def check_pinyin(work: Path) -> str:
    from pypinyin import lazy_pinyin

    got = lazy_pinyin("帮扶通")
    if got != ["bang", "fu", "tong"]:
        raise AssertionError(f"pinyin of 帮扶通 is {got}")
    return "帮扶通 → " + " ".join(got)


def check_chart(work: Path) -> str:
    """Render a chart with Chinese text to PNG; a missing glyph (a box) is a failure, not a warning."""
    import matplotlib

    # No matplotlib.use(): a Figure saves through Agg whatever the backend, and the workbench picks QtAgg later.
    configure_matplotlib()  # the chain every chart uses (app/fonts.py)
    from matplotlib import font_manager
    from matplotlib.figure import Figure

    font = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=True)
    if "DejaVu" in Path(font).name:
        raise AssertionError("no CJK font found (install Microsoft YaHei or Noto Sans CJK SC)")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        fig = Figure(figsize=(4, 3), dpi=80)
        ax = fig.subplots()
        ax.bar(["岩背村", "金竹村", "好溪村"], [12, 7, 9])
        ax.set_title("结对帮扶户数")
        fig.savefig(work / "chart.png")
    size = (work / "chart.png").stat().st_size
    return f"{Path(font).name}, {size // 1024} KiB PNG, config {matplotlib.get_configdir()}"


def check_report_pdf(work: Path) -> str:
    """Lay out a one-indicator monthly report (ReportLab, CJK font, an SVG chart via svglib) and draw its
    pages with PDFium, as the 报表 page's preview does: the PDF stack is complete in this build."""
    _require("app.io.report_pdf")
    from datetime import date

    from app.fonts import reportlab_font
    from app.io.report import ReportData, list_table
    from app.io.report_pdf import page_images, pdf_bytes
    from app.services.indicators import Indicator

    coverage = Indicator("coverage_households", "低收入农户结对覆盖率", "coverage", 75.0, 100.0, "%", False, 3, 4)
    data = ReportData("壶镇镇自检月报", "壶镇镇", "壶镇镇", date(2026, 11, 30), [coverage])
    data.lists[coverage.key] = list_table(coverage, [])
    pages = page_images(pdf_bytes(data), 300)
    if not pages or not pages[0].startswith(b"\x89PNG"):
        raise AssertionError("the report's PDF could not be drawn")
    return f"font {reportlab_font()}, {len(pages)} page(s) drawn"


DATA_CHECKS: list[Check] = [
    ("imports", check_imports),
    ("no-plain-export", check_no_plain_export),  # after imports: it searches the loaded modules
    ("resources", check_resources),
    ("database", check_database),
    ("crypto", check_crypto),
    ("sync", check_sync),
    ("excel-libraries", check_excel_libraries),
    ("excel", check_excel),
    ("pinyin", check_pinyin),
    ("chart", check_chart),
    ("report-pdf", check_report_pdf),
]


# -- running ------------------------------------------------------------------------------------------------


def run_check(name: str, func: Callable[[Path], str], work: Path) -> CheckResult:
    started = time.perf_counter()
    folder = work / name
    folder.mkdir()
    try:
        status, detail = OK, func(folder)
    except SkipCheck as exc:
        status, detail = SKIPPED, str(exc)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        last = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" ({Path(last[0].filename).name}:{last[0].lineno})" if last else ""
        status, detail = FAILED, f"{type(exc).__name__}: {exc}{where}"
    return CheckResult(name, status, detail, round(time.perf_counter() - started, 3))


@contextlib.contextmanager
def isolated_data_dir() -> Iterator[Path]:
    """A temporary folder that stands in for the user's data folder while the checks run."""
    from app import paths

    previous = os.environ.get("BANGFU_DATA_DIR")
    # Not TemporaryDirectory: on Windows a file still open (SQLite's -shm while a pool lets go) makes its
    # cleanup raise even with ignore_cleanup_errors (Python 3.11), and the whole self-test died with it.
    work = Path(tempfile.mkdtemp(prefix="bangfu-selftest-"))
    (work / "data").mkdir()
    os.environ["BANGFU_DATA_DIR"] = str(work / "data")
    paths.set_data_dir(None)
    try:
        yield work
    finally:
        if previous is None:
            os.environ.pop("BANGFU_DATA_DIR", None)
        else:
            os.environ["BANGFU_DATA_DIR"] = previous
        shutil.rmtree(work, ignore_errors=True)


def run(checks: Sequence[Check], pictures_to: Path | None = None) -> Report:
    """Run ``checks`` in a throw-away data folder; the pictures they drew (chart, main window) are copied to
    ``pictures_to`` as ``self-test-*.png``, so a person can look at what the program rendered."""
    report = Report(
        program=f"{APP_NAME_ZH} {APP_NAME}",
        version=__version__,
        frozen=bool(getattr(sys, "frozen", False)),
        platform=platform.platform(),
        python=platform.python_version(),
        started_utc=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    )
    started = time.perf_counter()
    with isolated_data_dir() as work:
        for name, func in checks:
            report.checks.append(run_check(name, func, work))
        if pictures_to is not None:
            pictures_to.mkdir(parents=True, exist_ok=True)
            for picture in work.rglob("*.png"):
                shutil.copyfile(picture, pictures_to / f"self-test-{picture.name}")
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def default_result_file() -> Path:
    from app.paths import data_dir

    return data_dir() / RESULT_NAME


def write_result(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def say(line: str) -> None:
    """Print when there is a console (a windowed Windows executable has ``sys.stdout = None``)."""
    if sys.stdout is not None:
        try:
            print(line, flush=True)
        except UnicodeEncodeError:  # a legacy code page console: keep the ASCII part readable
            print(line.encode("ascii", "replace").decode("ascii"), flush=True)


def result_path(argv: Sequence[str]) -> Path:
    """``--result FILE`` from the arguments, else the default; the only option the self-test takes."""
    args = list(argv)
    if "--result" in args:
        index = args.index("--result")
        if index + 1 < len(args):
            return Path(args[index + 1])
    return default_result_file()


def main(
    argv: Sequence[str] = (), extra_checks: Sequence[Check] = (), base_checks: Sequence[Check] | None = None
) -> int:
    """Run the data checks (``base_checks``, by default all) and ``extra_checks`` (the window checks), write the
    report, return the exit code: 0 when nothing failed, 1 otherwise."""
    target = result_path(argv)  # resolved before the checks redirect the data folder
    report = run([*(DATA_CHECKS if base_checks is None else base_checks), *extra_checks], target.parent)
    write_result(report.to_json(), target)
    for line in report.summary_lines():
        say(line)
    say(f"结果文件 / result file: {target}")
    return 0 if report.ok else 1


def version_line() -> str:
    return f"{APP_NAME_ZH} {APP_NAME} {__version__}"


# -- start-up timing ------------------------------------------------------------------------------------------


def seconds_since_process_start() -> float | None:
    """Wall time since the operating system created this process (the frozen bootloader included).

    Linux: ``/proc`` (10 ms resolution). Windows: ``GetProcessTimes``. Elsewhere ``None``.
    """
    if sys.platform.startswith("linux"):
        try:
            stat = Path("/proc/self/stat").read_text()
            start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            return max(uptime - start_ticks / os.sysconf("SC_CLK_TCK"), 0.0)
        except (OSError, ValueError, IndexError):
            return None
    if sys.platform == "win32":
        return _windows_process_age()
    return None


def _windows_process_age() -> float | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    # Typed, or ctypes passes the pseudo-handle -1 as a 32-bit int and GetProcessTimes answers "invalid
    # handle" (seen under Wine: every start-up time came back empty).
    kernel32.GetCurrentProcess.restype = wintypes.HANDLE
    kernel32.GetProcessTimes.argtypes = [wintypes.HANDLE, *([ctypes.POINTER(wintypes.FILETIME)] * 4)]
    creation, exited, kernel, user = (wintypes.FILETIME() for _ in range(4))
    if not kernel32.GetProcessTimes(
        kernel32.GetCurrentProcess(),
        ctypes.byref(creation),
        ctypes.byref(exited),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        return None
    now = wintypes.FILETIME()
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(ft: wintypes.FILETIME) -> int:
        return (ft.dwHighDateTime << 32) | ft.dwLowDateTime

    return (ticks(now) - ticks(creation)) / 1e7
