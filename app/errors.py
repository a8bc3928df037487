"""Typed errors raised by ``app``: each carries a Chinese and an English message and a CLI exit code.

The UI turns them into dialogs, the CLI into one line on stderr. They never carry a password, and messages
about people name fields, not personal data.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEM = 1  # the check or operation found a problem
EXIT_USAGE = 2  # bad usage or input: wrong password, unreadable file, invalid value


class BangfuError(Exception):
    """Base of every expected error. ``zh`` and ``en`` are whole sentences for the user."""

    exit_code = EXIT_USAGE

    def __init__(self, zh: str, en: str, *, field: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.field = field

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.startswith("en") else self.zh

    def bilingual(self) -> str:
        return f"{self.zh} / {self.en}"


class ValidationError(BangfuError):
    """A value a user typed or imported is invalid; ``field`` names the field (the model attribute)."""


class ValidationErrors(BangfuError):
    """Several field errors at once, so a form can show each next to its field."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        zh = "；".join(e.zh for e in errors)
        en = "; ".join(e.en for e in errors)
        super().__init__(zh, en, field=errors[0].field if errors else None)


class NotFound(BangfuError):
    """The row asked for does not exist (or is tombstoned)."""


class RuleViolation(BangfuError):
    """A business rule of the policy forbids the change (e.g. a second active cadre for a household)."""

    exit_code = EXIT_PROBLEM


class StorageError(BangfuError):
    """Base of errors about the database file itself."""


class WrongPassword(StorageError):
    def __init__(self) -> None:
        super().__init__("密码错误，无法打开数据库。", "Wrong password: the database could not be opened.")


class NotADatabase(StorageError):
    def __init__(self, detail_zh: str = "", detail_en: str = "") -> None:
        super().__init__(
            "该文件不是帮扶通数据库，或文件已损坏/不完整。" + detail_zh,
            "The file is not a Bangfu database, or it is damaged or truncated." + detail_en,
        )


class DatabaseInUse(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "该数据库正被另一个帮扶通程序使用，请先关闭它。",
            "The database is already open in another Bangfu window or process; close it first.",
        )


class DatabaseTooNew(StorageError):
    def __init__(self, found: str, known: str) -> None:
        super().__init__(
            f"该数据库由更新版本的帮扶通创建（结构版本 {found}），请升级程序后再打开。",
            f"The database was made by a newer Bangfu (schema {found}; this program knows up to {known}); "
            "upgrade the program to open it.",
        )


class DatabaseExists(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "数据库文件已存在，不会覆盖。", "The database file already exists; it will not be overwritten."
        )


class DatabaseMissing(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "找不到数据库文件，请先用 init 创建。", "The database file does not exist; create it with init first."
        )


class BackupFailed(StorageError):
    exit_code = EXIT_PROBLEM

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        super().__init__(
            f"备份失败，原数据库未受影响：{reason_zh}", f"Backup failed; the database is unchanged: {reason_en}"
        )
