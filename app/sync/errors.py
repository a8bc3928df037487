"""Typed refusals of sync: every bad package, file or request ends in one of these, never in a traceback."""

from __future__ import annotations

from app.errors import EXIT_PROBLEM, BangfuError


class SyncError(BangfuError):
    """Base of sync errors (bad usage or input: exit code 2)."""


class PackageRefused(SyncError):
    """A package that is not applied. ``status`` is the word stored in the import log and the receipt."""

    def __init__(self, status: str, zh: str, en: str) -> None:
        super().__init__(f"同步包被拒绝：{zh}", f"Package refused: {en}")
        self.status = status


class GapRefused(PackageRefused):
    """Changes are missing between what we hold and what the package starts from: ask for a resend."""

    exit_code = EXIT_PROBLEM

    def __init__(self, resend_from: int, starts_at: int) -> None:
        super().__init__(
            "gap",
            f"缺少之前的变更（本包从 {starts_at} 起，本机只收到 {resend_from}），请对方从 {resend_from} 起重新导出。",
            f"changes are missing (the package starts after {starts_at}, this database holds up to "
            f"{resend_from}); ask the sender to resend from {resend_from}.",
        )
        self.resend_from = resend_from


class IdentityMissing(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "本机尚无同步密钥，请先运行 sync init-identity。",
            "This database has no sync keys yet; run sync init-identity first.",
        )


class NotTrusted(SyncError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
