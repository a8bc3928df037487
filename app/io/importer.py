"""One Excel import, end to end: read → find the table → map columns → parse rows → plan → apply.

Safe by default: ``run(dry_run=True)`` reports what would be created, updated, left unchanged or rejected
and writes nothing; an import with any rejected row writes nothing unless ``skip_invalid`` is asked for;
re-importing the same file finds every row unchanged; two rows with the same identity in one file are
both named; everything applied is one transaction, stamped and audited by the ``UnitOfWork``, and the
import itself is an audited event. Progress and cancel hooks serve the GUI's worker (cancel before apply
leaves the ledger as it was; apply is one transaction, so a failure inside it does too).

Call from one thread at a time (the GUI's worker or the CLI).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.domain.enums import UNKNOWN_ZH, PairingEndReason
from app.domain.models import SYNCED_MODELS, Pairing
from app.errors import BangfuError, RuleViolation, ValidationError
from app.gc_pause import paused_gc
from app.io import mappings, values
from app.io.columns import INCOME_KINDS, KINDS, ColumnSpec, ImportKind, income_header, normalize_header
from app.io.errors import Cancelled, MissingColumns
from app.io.layout import HeaderColumn, TableLayout, auto_mapping, locate_table
from app.io.lookups import Ledger
from app.io.planners import PLANNERS, Plan, PlanContext, emit_new_places, over_cap_notices, plan_new_places
from app.io.sheets import Sheet, read_workbook
from app.io.values import cell_text, is_blank
from app.services import records, settings
from app.services.households import change_status
from app.services.pairings import end_pairing_row
from app.services.records import FieldSpec
from app.services.uow import UnitOfWork
from app.storage.database import Database, bulk_write_cache

Progress = Callable[[int, int], None]
_PROGRESS_EVERY = 2000
APPLY_SLICE = 5000  # planned rows written at once: bounds what an import holds, not its speed
IMPORT_CACHE_MB = 64  # SQLite page cache of the import's transaction


@dataclass(frozen=True)
class RowIssue:
    """Why a row is rejected: ``row`` is the row number the officer sees in Excel, ``column`` the header."""

    row: int
    column: str
    zh: str
    en: str


@dataclass
class ParsedRow:
    index: int  # 0-based position in the sheet
    values: dict[str, Any]
    issues: list[RowIssue] = field(default_factory=list)

    @property
    def row_number(self) -> int:
        return self.index + 1


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do."""

    kind: str
    sheet: str
    header_rows: tuple[int, ...]  # Excel row numbers
    mapping: dict[str, str]  # header label → column label (zh) it was read as
    data_rows: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # table → create/update/unchanged
    issues: list[RowIssue] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, totals/footer/…)
    notices: list[RowIssue] = field(default_factory=list)  # what was read in a way worth saying (row 0: a column)
    changes: list[RowIssue] = field(default_factory=list)  # every changed field of every updated row: old → new
    dry_run: bool = True
    applied: bool = False

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({i.row for i in self.issues})

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "header_rows": list(self.header_rows),
            "mapping": self.mapping,
            "data_rows": self.data_rows,
            "rejected": len(self.rejected_rows),
            "counts": self.counts,
            "issues": [{"row": i.row, "column": i.column, "zh": i.zh, "en": i.en} for i in self.issues],
            "skipped": [{"row": r, "why": why} for r, why in self.skipped],
            "notices": [{"row": i.row, "column": i.column, "zh": i.zh, "en": i.en} for i in self.notices],
            "changes": [{"row": i.row, "column": i.column, "zh": i.zh, "en": i.en} for i in self.changes],
            "dry_run": self.dry_run,
            "applied": self.applied,
        }


TABLE_LABELS = {
    "household": ("农户", "households"),
    "member": ("家庭成员", "members"),
    "department": ("单位", "departments"),
    "cadre": ("干部", "cadres"),
    "pairing": ("结对", "pairings"),
    "visit": ("走访记录", "visits"),
    "project": ("项目", "projects"),
    "village_income": ("村集体经济收入", "village incomes"),
    "income_record": ("农户收入", "household incomes"),
}


# The mapping's value for a column read as a household income by its header (``2016年人均可支配收入（元）``).
INCOME = "income-by-header"


class ExcelImport:
    """Read a file for one import kind; the mapping can be confirmed or corrected before ``run``."""

    def __init__(self, path: Path | str, kind: str, sheet: str | None = None) -> None:
        if kind not in KINDS:
            raise BangfuError(f"未知的导入类型：{kind}", f"Unknown import kind: {kind}")
        self.path = Path(path)
        self.kind: ImportKind = KINDS[kind]
        self.workbook = read_workbook(self.path)
        self.sheet: Sheet = self.workbook.sheet(sheet)
        self.layout: TableLayout = locate_table(self.sheet.rows, self.kind)
        self.signature = self.layout.signature(self.kind)
        self.remembered = mappings.remembered(self.signature)
        self.mapping: dict[int, str] = self._valid(self.remembered) or auto_mapping(self.layout.columns, self.kind)
        # Income columns the officer chose not to import (they are read by their header otherwise).
        self.ignored: set[int] = self._ignored_incomes(self.remembered or {})
        self._memo: dict[int, dict[Any, Any]] = {}

    # -- mapping ------------------------------------------------------------------------------------

    def income_columns(self, default_year: int | None = None) -> dict[int, tuple[int | None, str]]:
        """Unmapped columns of a roster or households sheet that hold a household income
        (``2016年人均可支配收入（元）``): column index → (year from the header, else ``default_year``,
        ``total``/``per_capita``)."""
        if self.kind.name not in INCOME_KINDS:
            return {}
        found = {}
        for column in self.layout.columns:
            if column.index not in self.mapping and column.index not in self.ignored:
                read = income_header(column.label)
                if read is not None:
                    found[column.index] = (read[0] or default_year, read[1])
        return found

    def income_label(self, index: int) -> str | None:
        """What the import reads from column ``index`` when it is left to its header: ``2016年人均可支配收入``,
        or ``人均可支配收入（未注明年度）`` when neither the header nor the title gives the year; None when the
        header is not an income header. The wizard offers it as the column's choice, and the report names it."""
        read = income_header(self.column_label(index)) if self.kind.name in INCOME_KINDS else None
        if read is None:
            return None
        year, which = read[0] or self._title_year(), read[1]
        what = "人均可支配收入" if which == "per_capita" else "家庭年可支配收入"
        return f"{year}年{what}" if year is not None else f"{what}（未注明年度）"

    def _ignored_incomes(self, mapping: dict[int, str]) -> set[int]:
        return {i for i, k in mapping.items() if k == "" and self.income_label(i) is not None}

    def _valid(self, mapping: dict[int, str] | None) -> dict[int, str] | None:
        if not mapping:
            return None
        keys = {c.key for c in self.kind.columns}
        indexes = {c.index for c in self.layout.columns}
        return {i: k for i, k in mapping.items() if k in keys and i in indexes} or None

    def set_mapping(self, mapping: dict[int, str], *, remember: bool = True) -> None:
        """The user's confirmed mapping (column index → key; absent or ``""`` = ignore; ``INCOME`` = an income
        column read by its header), kept for next time."""
        self.mapping = {i: k for i, k in mapping.items() if k and k != INCOME}
        self.ignored = self._ignored_incomes(mapping)
        if remember:
            mappings.remember(self.signature, mapping)

    def column_label(self, index: int) -> str:
        for column in self.layout.columns:
            if column.index == index:
                return column.label
        return f"第{index + 1}列"

    @property
    def header_columns(self) -> list[HeaderColumn]:
        return self.layout.columns

    def missing_required(self) -> list[ColumnSpec]:
        mapped = set(self.mapping.values())
        return [c for c in self.kind.required if c.key not in mapped]

    def preview(self, limit: int = 20) -> list[list[str]]:
        """The first data rows as text, for the wizard's preview."""
        return [[cell_text(v) for v in self.sheet.rows[i]] for i in self.layout.data_rows[:limit]]

    # -- parsing ------------------------------------------------------------------------------------

    def parse(self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> list[ParsedRow]:
        """Every data row read and checked (values or issues), duplicates of an earlier row named."""
        return list(self.parsed_rows(progress, cancelled))

    def parsed_rows(
        self, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
    ) -> Iterator[ParsedRow]:
        """The rows of ``parse`` one at a time, so a large import plans each row as it is read instead of
        holding every parsed row; the notices are complete once the iteration ends."""
        missing = self.missing_required()
        if missing:
            raise MissingColumns([c.zh for c in missing], [c.en for c in missing])
        specs = [(i, self.kind.column(k), self._scale(i, self.kind.column(k))) for i, k in self.mapping.items()]
        self._memo = {i: {} for i, spec, _ in specs if spec.parse not in _UNIQUE_PARSERS}
        labels = {i: self.column_label(i) for i in self.mapping}
        required = [c for c in self.kind.required]
        self.notices: list[RowIssue] = []
        self._scaled: set[int] = set()
        self._above: dict[int, Any] = {}
        incomes = self._income_specs(labels)
        total = len(self.layout.data_rows)
        first_seen: dict[tuple[Any, ...], int] = {}
        for n, index in enumerate(self.layout.data_rows):
            if n % _PROGRESS_EVERY == 0:
                _tick(progress, cancelled, n, total)
            row = self._parse_row(index, specs, labels, required)
            if incomes:
                self._parse_incomes(row, incomes)
            self._mark_duplicate(row, first_seen)
            yield row
        for col in sorted(self._scaled):
            self.notices.insert(
                0,
                RowIssue(
                    0,
                    labels[col],
                    "表头单位为万元，未注明单位的数字按万元换算。",
                    "Bare numbers read as 10,000 yuan (the header says 万元).",
                ),
            )

    def _income_specs(self, labels: dict[int, str]) -> dict[int, tuple[int, str, ColumnSpec]]:
        """The income columns to read (a column without a year in its header is named in a notice and left)."""
        out = {}
        title_year = self._title_year()
        for index, (year, which) in self.income_columns().items():
            label = self.column_label(index)
            labels[index] = label
            if year is None and title_year is not None:
                year = title_year
                self.notices.append(
                    RowIssue(
                        0,
                        label,
                        f"表头未注明年度，按表格标题取{year}年。",
                        f"The header gives no year; the sheet's title says {year}.",
                    )
                )
            if year is None:
                self.notices.append(
                    RowIssue(
                        0,
                        label,
                        "表头未注明年度，此列收入未导入（请写成“2016年人均可支配收入（元）”，或用“农户收入”导入）。",
                        "The header gives no year, so this income column was not imported (head it like "
                        "'2016年人均可支配收入（元）' or use the household income import).",
                    )
                )
                continue
            spec = ColumnSpec(f"income_{which}", label, label, values.money_fen, money=True)
            out[index] = (year, which, spec)
        return out

    def _title_year(self) -> int | None:
        """The one year named in the title lines above the table (``壶镇镇2016年度结对帮扶花名册``), if any;
        a 填报日期 line is a date, not the year the figures are for."""
        first = self.layout.header_rows[0] if self.layout.header_rows else 0
        cells = [cell_text(cell) for row in self.sheet.rows[:first] for cell in row]
        years = {int(y) for text in cells if "日期" not in text for y in _YEAR.findall(text)}
        return years.pop() if len(years) == 1 else None

    def _parse_incomes(self, row: ParsedRow, incomes: dict[int, tuple[int, str, ColumnSpec]]) -> None:
        """A year's household income from the columns found by ``income_columns``: row["incomes"] is
        {year: {"total" | "per_capita": fen, "column": header}}; a unit in the cell wins over the header's."""
        cells = self.sheet.rows[row.index]
        for col, (year, which, spec) in incomes.items():
            raw = cells[col] if col < len(cells) else ""
            if is_blank(raw) or cell_text(raw) == UNKNOWN_ZH:
                continue
            text = _unwrap_formula_text(raw) if isinstance(raw, str) else raw
            if isinstance(text, str) and _CONTROL.search(text):
                row.issues.append(RowIssue(row.row_number, spec.zh, *_CONTROL_MESSAGE))
                continue
            if self._scale(col, spec) and not _HAS_UNIT.search(cell_text(text)):
                text = f"{cell_text(text)}万"
                self._scaled.add(col)
            try:
                fen = values.money_fen(text, FieldSpec(spec.key, spec.zh, spec.en))
            except ValidationError as exc:
                row.issues.append(RowIssue(row.row_number, spec.zh, exc.zh, exc.en))
                continue
            row.values.setdefault("incomes", {}).setdefault(year, {"column": spec.zh})[which] = fen

    def _scale(self, index: int, spec: ColumnSpec) -> bool:
        """A money column headed ``（万元）`` holds ten-thousands of yuan."""
        return spec.money and "万元" in self.column_label(index)

    def _parse_row(
        self, index: int, specs: list[tuple[int, ColumnSpec, bool]], labels: dict[int, str], required: list[ColumnSpec]
    ) -> ParsedRow:
        row = self.sheet.rows[index]
        out = ParsedRow(index, {})
        for col, spec, wan in specs:
            raw = row[col] if col < len(row) else ""
            if spec.key in _FILLED_DOWN:
                raw = self._fill_down(index, col, raw, labels)
            if raw is None:
                continue
            if isinstance(raw, str):
                text = raw.strip()
                if not text or text == UNKNOWN_ZH:  # blank, or 未填 (as we export unknowns): nothing to record
                    continue
                if '="' in raw:
                    raw = _unwrap_formula_text(raw)
                if _CONTROL.search(raw):
                    out.issues.append(RowIssue(index + 1, labels[col], *_CONTROL_MESSAGE))
                    continue
            if wan and not _HAS_UNIT.search(cell_text(raw)):  # a unit in the cell wins over the header's
                raw = f"{cell_text(raw)}万"
                self._scaled.add(col)
            memo = self._memo.get(col)
            result = memo.get(raw, _MISSING) if memo is not None else _MISSING
            if result is _MISSING:
                try:
                    result = spec.parse(raw, spec.field)
                except ValidationError as exc:
                    result = exc
                if memo is not None:
                    memo[raw] = result
            if isinstance(result, ValidationError):
                out.issues.append(RowIssue(index + 1, labels[col], result.zh, result.en))
            else:
                out.values[spec.key] = result
        for spec in required:
            if spec.key not in out.values and not any(i.column == self._label_of(spec.key) for i in out.issues):
                out.issues.append(
                    RowIssue(index + 1, self._label_of(spec.key), f"{spec.zh}不能为空。", f"{spec.en} is required.")
                )
        return out

    def _fill_down(self, index: int, col: int, raw: Any, labels: dict[int, str]) -> Any:
        """A place column merged vertically (行政村 spanning its households) reads blank below its first
        cell: take the value above, and say so."""
        if not is_blank(raw):
            self._above[col] = raw
            return raw
        above = self._above.get(col)
        if above is not None:
            self.notices.append(
                RowIssue(
                    index + 1,
                    labels[col],
                    f"合并单元格：取上方的值“{cell_text(above)}”。",
                    f"Merged cell: took the value above, '{cell_text(above)}'.",
                )
            )
            return above
        return raw

    def _label_of(self, key: str) -> str:
        """The header an error belongs to; a services field (``household_id``) to the column that named it."""
        key = _FIELD_COLUMNS.get(key, key)
        for index, mapped in self.mapping.items():
            if mapped == key:
                return self.column_label(index)
        try:
            return self.kind.column(key).zh
        except KeyError:  # an income column's error names its header (``with_incomes``)
            return key if any(c.label == key for c in self.layout.columns) else ""

    def _mark_duplicate(self, row: ParsedRow, first_seen: dict[tuple[Any, ...], int]) -> None:
        """A row with the identity of an earlier valid row is named as its duplicate (``first_seen``:
        identity → the first row's number, filled as the rows come)."""
        if not self.kind.identity or row.issues:
            return
        key = tuple(_identity_value(row.values.get(k)) for k in self.kind.identity)
        if all(v is None for v in key):
            return
        if key in first_seen:
            label = self._label_of(self.kind.identity[0])
            row.issues.append(
                RowIssue(
                    row.row_number,
                    label,
                    f"与第{first_seen[key]}行重复（同一{self.kind.column(self.kind.identity[0]).zh}）。",
                    f"Duplicate of row {first_seen[key]} (same {self.kind.column(self.kind.identity[0]).en}).",
                )
            )
        else:
            first_seen[key] = row.row_number

    # -- plan and apply -----------------------------------------------------------------------------

    def plan(
        self,
        db: Database,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        create_places: bool = False,
        uow: UnitOfWork | None = None,
        skip_invalid: bool = False,
    ) -> tuple[Plan, ImportReport]:
        """Read, check and plan every row. Each row is planned as it is parsed and then dropped, and the
        rows to insert leave the plan a slice at a time: without ``uow`` (a dry run) they are only counted;
        with one they are written into its open transaction, which the caller commits or rolls back. Once a
        row is rejected (without ``skip_invalid``) nothing more is written: the import will be refused."""
        with db.session() as session:
            ledger = Ledger.load(session, self.kind.name)
            ledger.places.create_missing = create_places
            cap = int(settings.get(session, "cadre_household_cap"))
            note = f"Excel导入：{self.kind.name}"
            sink = None if uow is None else (lambda creates: write_creates(uow, creates, note))
            ctx = PlanContext(ledger, Plan(sink=sink), cap, session)
            planner = PLANNERS[self.kind.name]
            update_rows: list[int] = []  # the file row of each planned update, in order
            issues: list[RowIssue] = []
            for row in self.parsed_rows(progress, cancelled):  # ticks progress and polls cancel itself
                if not row.issues:
                    try:
                        planner(ctx, row.values)
                    except (ValidationError, RuleViolation) as exc:
                        row.issues.append(RowIssue(row.row_number, self._label_of(exc.field or ""), exc.zh, exc.en))
                update_rows.extend([row.row_number] * (len(ctx.plan.updates) - len(update_rows)))
                if row.issues:
                    issues.extend(row.issues)
                    if not skip_invalid:
                        ctx.plan.sink = None  # refused whatever follows: stop writing, keep checking
                if ctx.plan.queued >= APPLY_SLICE:
                    emit_new_places(ctx)  # a new village goes in before the households that refer to it
                    ctx.plan.spill()
            report = self._new_report()  # after the rows: the notices of reading them are complete
            report.issues = issues
            report.changes = describe_updates(session, ledger, ctx.plan.updates, update_rows)
            report.notices.extend(RowIssue(0, "行政村", zh, en) for zh, en in plan_new_places(ctx))
            report.notices.extend(RowIssue(0, "结对干部", zh, en) for zh, en in over_cap_notices(ctx))
        report.counts = {t: {a: c[a] for a in ("create", "update", "unchanged")} for t, c in ctx.plan.counts.items()}
        return ctx.plan, report

    def _new_report(self) -> ImportReport:
        return ImportReport(
            kind=self.kind.name,
            sheet=self.sheet.name,
            header_rows=tuple(r + 1 for r in self.layout.header_rows),
            mapping={self.column_label(i): self.kind.column(k).zh for i, k in sorted(self.mapping.items())}
            | {
                self.column_label(i): str(self.income_label(i))
                for i, (year, _which) in self.income_columns(self._title_year()).items()
                if year is not None
            },
            data_rows=len(self.layout.data_rows),
            skipped=[(r + 1, why) for r, why in self.layout.skipped],
            notices=list(getattr(self, "notices", [])),
        )

    def run(
        self,
        db: Database,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        create_places: bool = False,
    ) -> ImportReport:
        """Plan, then apply unless this is a dry run or rows were rejected without ``skip_invalid``.
        ``create_places``: villages named in the file but not in the ledger are created (audited).

        Applying is one transaction from the first row to the last: new rows are written as they are
        planned (a slice at a time, so a 100,000-row roster is never held whole), and a rejected row, a
        cancel or any failure rolls all of it back, leaving the ledger as it was."""
        # The rows, plans and audit entries of a large import are acyclic: reference counting frees them, and
        # the cyclic collector only walks them again and again (see app.gc_pause).
        with paused_gc():
            return self._run(db, dry_run, skip_invalid, progress, cancelled, create_places)

    def _run(
        self,
        db: Database,
        dry_run: bool,
        skip_invalid: bool,
        progress: Progress | None,
        cancelled: Callable[[], bool] | None,
        create_places: bool,
    ) -> ImportReport:
        if dry_run:
            _, report = self.plan(db, progress, cancelled, create_places=create_places)
            return report
        try:
            # A smaller page cache than the usual 256 MiB for this one long transaction: it spills written
            # pages to the WAL sooner (measured: ~1 s more of 34 s CPU at 100,000 rows) and keeps the
            # import's peak memory near 500 MB instead of ~740 MB.
            with UnitOfWork(db) as uow, bulk_write_cache(uow.session.connection(), IMPORT_CACHE_MB):
                plan, report = self.plan(
                    db, progress, cancelled, create_places=create_places, uow=uow, skip_invalid=skip_invalid
                )
                report.dry_run = False
                if report.issues and not skip_invalid:
                    raise _Refused(report)  # rolls back the slices written so far
                _tick(progress, cancelled, report.data_rows, report.data_rows)
                if not plan.empty:  # re-importing the same file writes nothing at all, not even an event
                    apply_plan(uow, plan, self._audit_note(report))
        except _Refused as refused:
            return refused.report
        report.applied = True
        return report

    def _audit_note(self, report: ImportReport) -> dict[str, Any]:
        return {
            "kind": self.kind.name,
            "file": self.path.name,
            "sheet": self.sheet.name,
            "rows": report.data_rows,
            "rejected": len(report.rejected_rows),
            "counts": report.counts,
        }


_MISSING = object()
_FILLED_DOWN = ("village", "township")
_HAS_UNIT = re.compile(r"[元万]")
_YEAR = re.compile(r"((?:19|20)\d\d)年(?!\s*\d{1,2}\s*月)")  # 2016年度…, not a date (2024年3月1日)
_FORMULA_TEXT = re.compile(r'^\s*="(.*)"\s*$', re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_MESSAGE = (
    "含有不可见的控制字符（如 ESC、BEL、NUL），请检查该单元格。",
    "The cell holds invisible control characters (such as ESC, BEL, NUL); check it.",
)


def _unwrap_formula_text(text: str) -> str:
    """``="331122…"`` — how some systems export an ID so Excel keeps it as text."""
    m = _FORMULA_TEXT.match(text)
    return m.group(1) if m else text


# Parsers of values that are nearly always distinct: not worth remembering. Every other column (village,
# category, causes, dates, units …) repeats down the sheet, so each distinct cell is parsed once.
_UNIQUE_PARSERS = (values.resident_id, values.phone)

_FIELD_COLUMNS = {
    "household_id": "household_id_number",
    "subject_id": "head_id_number",
    "cadre_id": "cadre_name",
    "helper_id": "cadre_name",
    "region_id": "place",
    "village_id": "village",
    "budget_fen": "budget",
    "allocated_fen": "allocated",
    "income_fen": "income",
    "total_fen": "total",
}


def _identity_value(value: Any) -> Any:
    return normalize_header(value) if isinstance(value, str) else value


def _tick(progress: Progress | None, cancelled: Callable[[], bool] | None, done: int, total: int) -> None:
    if cancelled is not None and cancelled():
        raise Cancelled()
    if progress is not None:
        progress(done, total)


def describe_updates(
    session: Any, ledger: Ledger, updates: list[tuple[type[Any], str, dict[str, Any]]], rows: list[int]
) -> list[RowIssue]:
    """One line per changed field of every updated row, old → new, read from the database before anything is
    written (nothing is applied yet); a household moving to another village is called out as a move."""
    old: dict[tuple[str, str], Any] = {}
    by_model: dict[type[Any], set[str]] = {}
    for model, row_id, _ in updates:
        by_model.setdefault(model, set()).add(row_id)
    for model, ids in by_model.items():
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            for obj in session.scalars(select(model).where(model.id.in_(id_list[start : start + 500]))):
                old[(model.__tablename__, obj.id)] = obj
    lines: list[RowIssue] = []
    for (model, row_id, changes), row in zip(updates, rows, strict=False):
        table = model.__tablename__
        table_zh, table_en = TABLE_LABELS.get(table, (table, table))
        spec = records.SPECS.get(table)
        labels = {f.name: (f.zh, f.en) for f in spec.fields} if spec is not None else {}
        before = old.get((table, row_id))
        for key, new in changes.items():
            zh, en = labels.get(key, (key, key))
            was, now = _shown(ledger, key, getattr(before, key, None)), _shown(ledger, key, new)
            if key == "village_id":
                lines.append(
                    RowIssue(
                        row, zh, f"{table_zh}跨村迁移：{was} → {now}。", f"{table_en} moves village: {was} → {now}."
                    )
                )
            else:
                lines.append(RowIssue(row, zh, f"{table_zh}{zh}：{was} → {now}", f"{table_en} {en}: {was} → {now}"))
    return lines


def _shown(ledger: Ledger, key: str, value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if key == "village_id":
        return ledger.places.name.get(str(value), str(value))
    if isinstance(value, list):
        return "、".join(map(str, value)) or "（空）"
    return str(value)


class _Refused(Exception):
    """Leaves the import's transaction so it rolls back: a row was rejected and ``skip_invalid`` not asked."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import refused")
        self.report = report


def write_creates(uow: UnitOfWork, creates: dict[type[Any], list[dict[str, Any]]], note: str) -> None:
    """Bulk-insert one slice of planned rows in foreign-key order (rows already through the services'
    checks, see ``planners.service_values``), then send them and their audit entries to the open
    transaction, so neither the prepared rows nor the pending entries pile up."""
    for model in SYNCED_MODELS:
        rows = creates.get(model)
        if rows:
            uow.insert_rows(model, rows, note=note)  # fills column defaults itself
    uow.flush()


def apply_plan(uow: UnitOfWork, plan: Plan, audit: dict[str, Any]) -> None:
    """Finish the import in its transaction: the inserts still queued, then each update through the
    services (``records.update_row``: rules, derived keys, the head member kept in step), reassigned
    pairings ended through ``pairings.end_pairing_row``, and the import itself as an audited event."""
    note = f"Excel导入：{audit['kind']}"
    write_creates(uow, plan.creates, note)
    plan.creates.clear()
    for model, row_id, changes in plan.updates:
        spec = records.SPECS.get(model.__tablename__)  # type: ignore[attr-defined]
        if spec is not None:
            records.update_row(uow, spec, row_id, changes, note=note)
        else:  # visits and projects have no service spec yet
            obj = uow.session.get(model, row_id)
            if obj is not None:
                uow.update(obj, note=note, **changes)
    for household_id, status, on, reason in plan.status_changes:
        change_status(uow, household_id, status, on, reason, note=note)
    for pairing_id, end_date in plan.ended_pairings:
        pairing = records.load(uow.session, Pairing, pairing_id, "结对", "pairing")
        end_pairing_row(uow, pairing, PairingEndReason.REASSIGNED.value, end_date, note=note, clamp=True)
    uow.event("import_excel", "excel", note=note, after=audit)
