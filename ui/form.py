"""Detail/edit forms built in code from the services' own entity specs, with inline validation messages.

``ui_fields(table)`` turns the service ``EntitySpec`` (``app.services.catalog``) into editors: labels,
required marks and vocabularies come from the one place the CLI and the Excel import use too. The dialog
collects plain values and calls ``records.create`` / ``records.update`` on the worker; the service validates.
A ``ValidationError``/``ValidationErrors`` names the field, and its message appears in red beside that
field — nothing is checked here that the CLI would not check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import enums
from app.errors import BangfuError, ValidationErrors
from app.services import listing
from ui import i18n
from ui.context import AppContext
from ui.errors import error_text
from ui.i18n import QT_TRANSLATE_NOOP
from ui.screen_fit import fit_window

N = QT_TRANSLATE_NOOP


def tr(text: str) -> str:
    return QCoreApplication.translate("form", text)


@dataclass(frozen=True)
class Field:
    """One editor of a form, derived from a service ``FieldSpec`` (``ui_fields``).

    ``kind``: text, longtext, enum, multi_enum, bool, date, optional_date, money (yuan text), village,
    place, department, cadre, household, id_number (masked when editing: retype to change)."""

    key: str  # the key handed to the service (``budget`` for ``budget_fen``: the service takes yuan there)
    zh: str
    en: str
    kind: str = "text"
    vocab: type[enums.LabeledEnum] | None = None
    required: bool = False
    editable: bool = True

    @property
    def label(self) -> str:
        return self.en if i18n.current() == "en" else self.zh


def _vocab_of(check: Any) -> type[enums.LabeledEnum] | None:
    """The vocabulary a ``fields.choice(Enum)`` / ``fields.choices(Enum)`` checker closes over."""
    for cell in getattr(check, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, type) and issubclass(value, enums.LabeledEnum):
            return value
        if callable(value):
            found = _vocab_of(value)
            if found is not None:
                return found
    return None


def service_spec(table: str) -> Any:
    """The services' ``EntitySpec`` of a table — labels, required fields and checkers in one place."""
    from app.services import catalog

    return catalog.spec_for(table)


def ui_fields(table: str, skip: tuple[str, ...] = ()) -> list[Field]:
    """The editors of a form, from the service's own ``EntitySpec`` — one source for labels, required
    fields and vocabularies, shared with the CLI and the Excel import."""
    from app.services import fields as checks

    spec = service_spec(table)
    out: list[Field] = []
    for fs in spec.fields:
        if fs.name in skip:
            continue
        key, kind, vocab = fs.name, "text", None
        ref = getattr(fs.ref, "__tablename__", None)  # by table name: ui/ does not import the models
        if ref == "region":
            kind = "village" if tuple(fs.ref_levels) == ("village",) else "place"
        elif ref in ("department", "cadre", "household"):
            kind = ref
        elif fs.ref is not None:
            continue  # a parent handed in by the caller (project of a progress entry)
        elif fs.check is checks.boolean:
            kind = "tristate" if spec.may_be_unknown(fs.name) else "bool"  # 未填 is never the same as 否
        elif fs.check in (checks.parse_date, checks.past_date):
            kind = "date" if fs.required else "optional_date"
        elif fs.check is checks.fen:
            kind, key = "money", fs.name.removesuffix("_fen")
        elif fs.check is checks.long_text:
            kind = "longtext"
        elif fs.check is checks.resident_id:
            kind = "id_number"
        elif (vocab := _vocab_of(fs.check)) is not None:
            direct = any(isinstance(c.cell_contents, type) for c in fs.check.__closure__ or ())
            kind = "enum" if direct else "multi_enum"
        out.append(Field(key, fs.zh, fs.en, kind, vocab, fs.required, fs.editable))
    return out


class FormDialog(QDialog):
    """One dialog for every entity: editors from ``ui_fields(table)``, saved with ``records.create`` /
    ``records.update`` on the worker. ``fixed`` values (the household a member belongs to) are not shown
    and always sent; only changed values are sent when editing."""

    def __init__(
        self,
        ctx: AppContext,
        table: str,
        *,
        record_id: str | None = None,
        fixed: dict[str, Any] | None = None,
        defaults: dict[str, Any] | None = None,
        labels: dict[str, str] | None = None,
        title: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._labels = dict(labels or {})
        self.ctx = ctx
        self.table = table
        self.record_id = record_id
        self.editing = record_id is not None
        self.fixed = dict(fixed or {})
        self.service_spec = service_spec(table)
        self.fields = [f for f in ui_fields(table) if f.key not in self.fixed and (f.editable or not self.editing)]
        self.initial: dict[str, Any] = {}
        self.result_id: Any = None
        noun = self.service_spec.en if i18n.current() == "en" else self.service_spec.zh
        self.setWindowTitle(title or (tr("修改{noun}") if self.editing else tr("新增{noun}")).format(noun=noun))
        self.editors: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        body = QWidget()
        outer = QVBoxLayout(body)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(form)
        outer.addStretch(1)  # rows keep their height; spare room goes below the last one
        defaults = defaults or {}
        for field in self.fields:
            self._add_row(form, field, self._editor(field, defaults.get(field.key)))
        if self.editing and self.service_spec.noted_fields:
            # Money and progress changes are never silent: the service asks for a note, kept in the audit.
            self._add_row(
                form, Field("note", "修改说明（改动金额时必填）", "Reason for the change", "text"), QLineEdit()
            )
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.general_error = QLabel()
        self.general_error.setObjectName("general_error")
        self.general_error.setStyleSheet("color: #c62828;")
        self.general_error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        self.resize(600, min(150 + 56 * len(self.editors), 760))
        if self.editing:
            self.buttons.setEnabled(False)
            db_table, rid = table, record_id
            ctx.tasks.run(lambda _c: _load_view(ctx.db, db_table, rid), self._loaded, owner=self)

    def _add_row(self, form: QFormLayout, field: Field, editor: QWidget) -> None:
        editor.setObjectName(f"edit_{field.key}")
        error = QLabel()
        error.setObjectName(f"error_{field.key}")
        error.setStyleSheet("color: #c62828;")
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        column.addWidget(error)
        form.addRow(field.label + (" *" if field.required else ""), holder)
        self.editors[field.key] = editor
        self.errors[field.key] = error

    # -- editors ------------------------------------------------------------------------------------

    def _editor(self, field: Field, value: Any) -> QWidget:
        kind = field.kind
        if kind == "enum" and field.vocab is not None:
            box = QComboBox()
            # A required choice starts empty too: a pre-selected first item (低保, 因病) reads as an answer
            # the officer never gave, and the service's "不能为空" is the check that makes them choose.
            box.addItem(tr("（请选择）") if field.required else "", None)
            for code, label in field.vocab.choices(i18n.current()):
                box.addItem(label, code)
            if value is not None:
                box.setCurrentIndex(max(box.findData(value), 0))
            return box
        if kind in ("village", "place", "department", "cadre", "household"):
            picker = RefPicker(self.ctx, kind, value)
            if value is not None and self._labels.get(field.key):
                picker.set_value(value, self._labels[field.key])
            return picker
        if kind == "tristate":
            box = QComboBox()
            for label, data in ((tr("未填"), None), (tr("是"), True), (tr("否"), False)):
                box.addItem(label, data)
            box.setCurrentIndex(max(box.findData(value), 0))
            return box
        if kind == "bool":
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if kind in ("date", "optional_date"):
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            if kind == "optional_date":
                edit.setMinimumDate(QDate(2000, 1, 1))
                edit.setSpecialValueText(tr("（不填）"))
            edit.setDate(
                QDate(value)
                if isinstance(value, date)
                else QDate.currentDate()
                if kind == "date"
                else edit.minimumDate()
            )
            return edit
        if kind == "longtext":
            text = QPlainTextEdit("" if value is None else str(value))
            text.setTabChangesFocus(True)
            text.setFixedHeight(60)
            return text
        line = QLineEdit("" if value is None else str(value))
        if kind == "money":
            line.setPlaceholderText(tr("单位：元，如 9550 或 1.2万"))
        if kind == "multi_enum" and field.vocab is not None:
            line.setPlaceholderText("、".join(label for _c, label in field.vocab.choices(i18n.current())))
        return line

    def _loaded(self, view: dict[str, Any]) -> None:
        self.buttons.setEnabled(True)
        for field in self.fields:
            raw = view.get(field.key if field.kind != "money" else field.key + "_fen")
            shown = _shown(field, raw)
            self.initial[field.key] = self._set(field, shown)

    def _set(self, field: Field, value: Any) -> Any:
        editor = self.editors[field.key]
        if isinstance(editor, RefPicker):
            editor.set_value(value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QDateEdit):
            editor.setDate(QDate(value) if isinstance(value, date) else editor.minimumDate())
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value or "")
        elif isinstance(editor, QLineEdit):
            if field.kind == "id_number":
                editor.setPlaceholderText(tr("已登记 {masked}；如需更正请输入完整号码").format(masked=value or ""))
                editor.clear()
            else:
                editor.setText("" if value is None else str(value))
        return self.value(field.key)

    def value(self, key: str) -> Any:
        editor = self.editors[key]
        field = next((f for f in self.fields if f.key == key), None)
        if isinstance(editor, RefPicker):
            return editor.value()
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QDateEdit):
            if field is not None and field.kind == "optional_date" and editor.date() == editor.minimumDate():
                return None
            return editor.date().toPython()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText().strip() or None
        if isinstance(editor, QLineEdit):
            return editor.text().strip() or None
        return None

    def values(self) -> dict[str, Any]:
        out = {
            key: self.value(key) for key in self.editors if key != "note" or any(f.key == "note" for f in self.fields)
        }
        if self.editing:
            out = {k: v for k, v in out.items() if v != self.initial.get(k)}
            for field in self.fields:
                if field.kind == "id_number" and out.get(field.key) is None:
                    out.pop(field.key, None)  # left blank: unchanged
        return out

    def set_value(self, key: str, value: Any) -> None:
        """Fill an editor (tests and callers that pre-fill a form)."""
        field = next((f for f in self.fields if f.key == key), Field(key, key, key))
        self._set(field, value)

    # -- saving -------------------------------------------------------------------------------------

    def save(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()
        self.general_error.clear()
        values = {**self.values(), **self.fixed}
        note = self.value("note") if "note" in self.editors and not any(f.key == "note" for f in self.fields) else None
        self.buttons.setEnabled(False)
        spec, record_id = self.service_spec, self.record_id

        def submit(db: Any) -> Any:
            from app.services import records

            if record_id is None:
                return records.create(db, spec, values).id
            return records.update(db, spec, record_id, values, note=note).id

        self.ctx.write(submit, self._saved, entity=self.table, owner=self, on_error=self._failed)

    def _saved(self, result: Any) -> None:
        self.result_id = result
        self.buttons.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_field_errors(exc, self.errors, self.editors, self.general_error)

    def field_error(self, key: str) -> str:
        return self.errors[key].text()


def show_field_errors(
    exc: BaseException, errors: dict[str, QLabel], editors: dict[str, QWidget], general: QLabel
) -> None:
    """Each ``ValidationError`` beside its field; what names no field on screen goes to ``general``."""
    found = exc.errors if isinstance(exc, ValidationErrors) else [exc] if isinstance(exc, BangfuError) else []
    unplaced: list[BaseException] = []
    focused = False
    for error in found:
        key = _field_key(getattr(error, "field", None), errors)
        if not key:
            unplaced.append(error)
            continue
        errors[key].setText(error.en if i18n.current() == "en" else error.zh)
        errors[key].show()
        if not focused:
            editors[key].setFocus()
            focused = True
    if not found or unplaced:
        zh, en = error_text(unplaced[0] if unplaced else exc)
        general.setText(en if i18n.current() == "en" else zh)


def _field_key(field: str | None, known: dict[str, Any]) -> str:
    """The service names ``budget_fen`` where the form says ``budget``; match those too."""
    if not field:
        return ""
    if field in known:
        return field
    return next((k for k in known if field.removesuffix("_fen") == k), "")


def _shown(field: Field, raw: Any) -> Any:
    """A stored value as its editor shows it: fen as yuan text, resident IDs masked, code lists as labels."""
    from app.domain.validators import fen_to_yuan, mask_id_number

    if field.kind == "money":
        return None if raw is None else str(fen_to_yuan(raw)).removesuffix(".00")
    if field.kind == "id_number":
        return mask_id_number(raw)
    if field.kind == "multi_enum" and field.vocab is not None and isinstance(raw, list):
        return "、".join(field.vocab(code).label(i18n.current()) for code in raw)
    return raw


def _load_view(db: Any, table: str, record_id: str | None) -> dict[str, Any]:
    from dataclasses import asdict

    from app.services import records

    return asdict(records.get(db, service_spec(table), record_id or ""))


class RefPicker(QComboBox):
    """Pick a village, place, department, cadre or household by name. Households are searched as you type
    (name, pinyin initials, ID suffix) — 200,000 rows are never loaded into a combo box."""

    def __init__(self, ctx: AppContext, kind: str, value: Any = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.kind = kind
        self._pending = value
        self.setEditable(kind in ("cadre", "household"))
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.addItem("", None)
        if kind == "household":
            from PySide6.QtCore import QTimer

            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(200)
            self._timer.timeout.connect(self._search)
            self._line_edit().textEdited.connect(lambda _t: self._timer.start())
            self._line_edit().setPlaceholderText(tr("输入姓名、拼音首字母或身份证后几位"))
        else:
            self.ctx.query(self._choices, self._fill, owner=self)

    def _line_edit(self) -> QLineEdit:
        edit = self.lineEdit()  # an editable combo box always has one
        assert edit is not None
        return edit

    def _choices(self, session: Any) -> list[tuple[str, str]]:
        if self.kind == "village":
            return listing.place_choices(session, "village")
        if self.kind == "place":
            return [
                (i, n) for level in ("county", "township", "village") for i, n in listing.place_choices(session, level)
            ]
        if self.kind == "cadre":
            return [(c.id, cadre_label(c)) for c in listing.cadre_caseloads(session)]
        return listing.name_choices(session, self.kind)

    def _fill(self, items: list[tuple[str, str]]) -> None:
        current = self.value() or self._pending
        self.blockSignals(True)
        self.clear()
        self.addItem("", None)
        for item_id, label in items:
            self.addItem(label, item_id)
        self.blockSignals(False)
        if current is not None:
            self.set_value(current)

    def _search(self) -> None:
        text = self._line_edit().text().strip()
        if not text:
            return
        query = listing.ListQuery("household", text, (("status", "active"),))

        def found(page: listing.Page) -> None:
            typed = self._line_edit().text()
            self.blockSignals(True)
            self.clear()
            for hid, row in zip(page.ids, page.rows, strict=True):
                self.addItem(f"{row[0]}  {row[1]}  {row[2]}", hid)
            self.blockSignals(False)
            self._line_edit().setText(typed)
            if page.ids:
                self.showPopup()

        self.ctx.query(lambda s: listing.fetch_page(s, query, 0, 12), found, owner=self)

    def set_value(self, value: Any, label: str = "") -> None:
        self._pending = value
        index = self.findData(value)
        if index < 0 and value is not None and label:
            self.addItem(label, value)
            index = self.count() - 1
        if index >= 0:
            self.setCurrentIndex(index)

    def value(self) -> Any:
        data = self.currentData()
        if data is None and self._pending is not None and self.findData(self._pending) < 0:
            return self._pending
        return data


def cadre_label(c: listing.CadreLoad) -> str:
    """``王伟（县农业农村局）· 结对 5 户``: the caseload is visible wherever a cadre is picked."""
    dept = f"（{c.department}）" if c.department else ""
    return tr("{name}{dept} · 结对 {n} 户").format(name=c.name, dept=dept, n=c.caseload)


def open_form(dialog: QDialog) -> QDialog:
    """The one place forms are shown (window-modal, not blocking: the worker's answers keep arriving)."""
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    fit_window(dialog)
    dialog.open()
    return dialog
