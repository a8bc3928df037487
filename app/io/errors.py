"""Typed errors of Excel import/export: each is a ``BangfuError`` with a Chinese and an English sentence."""

from __future__ import annotations

from app.errors import EXIT_PROBLEM, BangfuError


class UnreadableFile(BangfuError):
    """Not a spreadsheet we can read (wrong format, damaged, encrypted, empty). Exit code 2."""

    def __init__(self, zh_detail: str = "", en_detail: str = "") -> None:
        super().__init__(
            "无法读取该文件：不是可识别的 Excel/WPS/CSV 表格，或文件已损坏。" + zh_detail,
            "The file cannot be read: it is not a recognised Excel/WPS/CSV spreadsheet, or it is damaged." + en_detail,
        )


class SheetNotFound(BangfuError):
    def __init__(self, sheet: str, available: list[str]) -> None:
        names = "、".join(available)
        super().__init__(
            f"找不到工作表“{sheet}”。可用的工作表：{names}",
            f"No sheet named '{sheet}'. Sheets in the file: {', '.join(available)}",
        )


class TableNotFound(BangfuError):
    """No header row in the sheet matched the columns the import kind needs."""

    def __init__(self, kind_zh: str, kind_en: str) -> None:
        super().__init__(
            f"在工作表中找不到{kind_zh}的表头（如“户主姓名”“身份证号码”），请检查工作表或选择正确的导入类型。",
            f"No {kind_en} header row found in the sheet (e.g. 户主姓名, 身份证号码); check the sheet or the import kind.",
        )


class MissingColumns(BangfuError):
    """Required columns are not mapped; ``missing`` holds their Chinese labels."""

    def __init__(self, missing_zh: list[str], missing_en: list[str]) -> None:
        self.missing = missing_zh
        super().__init__(
            "缺少必需的列：" + "、".join(missing_zh) + "。请在列对应中指定。",
            "Required columns are missing: " + ", ".join(missing_en) + ". Map them in the column mapping.",
        )


class RowsRejected(BangfuError):
    """An all-or-nothing import found invalid rows, so nothing was written. Exit code 1."""

    exit_code = EXIT_PROBLEM

    def __init__(self, count: int) -> None:
        super().__init__(
            f"有 {count} 行数据有误，未导入任何数据（可修正后重新导入，或选择“仅导入有效行”）。",
            f"{count} rows are invalid, so nothing was imported (fix them and re-import, or import the valid rows only).",
        )


class Cancelled(BangfuError):
    """The user cancelled; nothing was changed (an unfinished export file is removed)."""

    def __init__(self) -> None:
        super().__init__("操作已取消，数据未作任何改动。", "Cancelled; nothing was changed.")


class CannotWrite(BangfuError):
    """An output file could not be written (disk full, no permission, held open by Excel/WPS). Exit code 2;
    nothing is left under the final name."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(
            f"无法写入目标文件（{reason_zh}），可能磁盘已满、没有权限或文件正被 Excel/WPS 打开。",
            f"The target file cannot be written ({reason_en}): the disk may be full, access denied, or Excel/WPS "
            "holds it open.",
        )
