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

    def __init__(self, resend_from: int, starts_at: int, sender: str = "发送方", me: str = "本机") -> None:
        super().__init__(
            "gap",
            f"缺少之前的变更（本包从 {starts_at} 之后起，本机只收到 {resend_from}），需从 {resend_from} 起重发："
            f"在 {sender} 上运行 sync export --to {me} --since {resend_from}；或者先把本机下一个发给 {sender} "
            f"的同步包（带着本次回执）交 {sender} 导入，之后 {sender} 正常导出即可。",
            f"changes are missing (the package starts after {starts_at}, this database holds up to "
            f"{resend_from}): resend from {resend_from}. On {sender}, run: sync export --to {me} --since "
            f"{resend_from}; or first take this node's next package for {sender} (it carries this receipt) to "
            f"{sender} and import it there, then a normal export from {sender} heals it.",
        )
        self.resend_from = resend_from


class Diverged(PackageRefused):
    """A chain differs from the one held here at numbers both hold (its node was restored from a backup and
    edited again). When that node is the sender, our refusal's receipt starts the fork that heals it
    (``app.sync.fork``); ``first`` is the first entry that differs."""

    def __init__(self, node: str, first: int, sender: str | None, me: str | None) -> None:
        zh = (
            f"节点 {node} 的审计链从第 {first} 条起与本机已保存的不同：{node} 很可能从备份恢复后又做了修改。"
            f"本包未导入；这些修改仍完整保存在 {node} 本机，没有丢失。"
        )
        en = (
            f"the audit chain of node {node} differs from the one held here from entry {first} on: {node} was "
            f"probably restored from a backup and then edited. Nothing was applied; those edits are still safe "
            f"on {node}."
        )
        if node == sender and me:
            zh += (
                f"请在本机（{me}）运行 sync export --to {node}，把同步包交 {node} 导入（取回丢失的记录并接续），"
                f"然后 {node} 再导出一次即可。"
            )
            en += (
                f" On this node ({me}) run sync export --to {node} and import that package on {node} (it brings "
                f"back the lost records and continues the chain), then export from {node} once more."
            )
        else:
            zh += f"重新导出不能解决，请 {node} 暂停同步并联系上级或技术支持。"
            en += (
                f" Exporting again does not heal this: {node} should pause sync and contact the level above or support."
            )
        super().__init__("diverged", zh, en)
        self.node, self.first = node, first


class IdentityMissing(SyncError):
    def __init__(self) -> None:
        super().__init__(
            "本机尚无同步密钥，请先运行 sync init-identity。",
            "This database has no sync keys yet; run sync init-identity first.",
        )


class NotTrusted(SyncError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh, en)
