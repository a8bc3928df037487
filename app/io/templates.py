"""Blank import templates: the header the import reads, drop-down lists for categories and causes, ID and
phone columns formatted as text (so Excel cannot turn an ID into a number and lose its last digits), and
a sheet of instructions."""

from __future__ import annotations

from pathlib import Path

from app.io import values
from app.io.columns import KINDS, ColumnSpec, ImportKind
from app.io.xlsx import Column, WorkbookWriter

TEMPLATE_ROWS = 1000
_CADRE_GROUP = "结对帮扶干部"


def _column(spec: ColumnSpec) -> Column:
    if spec.group == "cadre":
        title = spec.short[0] if spec.short else spec.zh
        return Column(title, spec.width, group=_CADRE_GROUP)
    return Column(spec.zh + ("*" if spec.required else ""), spec.width)


def _is_text_column(spec: ColumnSpec) -> bool:
    return spec.parse in (values.resident_id, values.phone)


def write_template(kind_name: str, path: Path | str) -> Path:
    kind: ImportKind = KINDS[kind_name]
    path = Path(path)
    columns = [_column(s) for s in kind.columns]
    with WorkbookWriter(path, constant_memory=False) as writer:
        ws = writer.book.add_worksheet(kind.zh[:31])
        first = writer.header(
            ws, f"{kind.zh}导入模板", columns, subtitle="填报单位：　　　　　填报日期：　　年　月　日"
        )
        text_cells = writer.book.add_format({"num_format": "@", "border": 1, "font_name": "宋体", "font_size": 10})
        for c, spec in enumerate(kind.columns):
            if _is_text_column(spec):
                ws.set_column(c, c, spec.width, text_cells)
            if spec.choices is not None:
                labels = [m.zh for m in spec.choices]
                several = spec.key == "causes"
                ws.data_validation(
                    first,
                    c,
                    first + TEMPLATE_ROWS - 1,
                    c,
                    {
                        "validate": "list",
                        "source": labels,
                        "input_title": spec.zh,
                        "input_message": "可填多个，用顿号分隔，第一个为主要原因" if several else "请从下拉列表选择",
                        # several causes in one cell are allowed, so the list only advises there
                        "error_type": "information" if several else "stop",
                        "error_title": spec.zh,
                        "error_message": "请从下拉列表中选择。",
                    },
                )
        writer.print_setup(ws, len(columns), first)
        notes = writer.book.add_worksheet("填写说明")
        notes.set_column(0, 0, 100)
        lines = [
            f"{kind.zh}导入模板填写说明",
            "1. 带 * 的列必须填写；列的顺序可以调整，表头文字请勿修改。",
            "2. 身份证号码须为18位，末位可为X；该列已设为文本格式，请勿改为数字格式。",
            "3. 日期可写作 2017-09-29、2017.9.29 或 2017年9月29日。",
            "4. 金额单位为元，可写 9550、9,550 或 9550元；表头注明“万元”时按万元计。",
            "5. 合计行、注释行会被自动跳过。",
        ]
        for r, line in enumerate(lines):
            writer.write_text(notes, r, 0, line, "title" if r == 0 else "subtitle")
    return path
