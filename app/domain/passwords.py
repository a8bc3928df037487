"""The one rule for a new ledger password (at least 8 characters, not all digits).

Called wherever a password is chosen — ``init``, the first-run wizard, ``passwd`` and 设置's change of
password — and never when a password is only typed to open a file: a ledger made before the rule keeps opening.
"""

from __future__ import annotations

from app.errors import ValidationError

MIN_LENGTH = 8


class WeakPassword(ValidationError):
    """The new password breaks the minimum rule; ``zh``/``en`` say which part."""


def password_problem(password: str) -> WeakPassword | None:
    """What is wrong with ``password`` as a new ledger password, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return WeakPassword(
            f"密码太短：至少 {MIN_LENGTH} 位。", f"The password is too short: at least {MIN_LENGTH} characters.",
            field="password",
        )  # fmt: skip
    if password.isdigit():
        return WeakPassword(
            "密码不能全是数字：请混用字母、数字或符号。",
            "The password must not be digits only: mix letters, digits or symbols.",
            field="password",
        )
    return None


def require_strong(password: str) -> None:
    """Raise ``WeakPassword`` unless ``password`` meets the rule."""
    problem = password_problem(password)
    if problem is not None:
        raise problem
