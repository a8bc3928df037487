"""Typed settings stored with the data (table ``setting``), every key declared here once.

These travel with the ledger (a county can see what cadence a township uses). Window and column state is
not here: that is per machine, in QSettings (``ui/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import Setting
from app.errors import ValidationError


@dataclass(frozen=True)
class SettingSpec:
    key: str
    default: Any
    zh: str
    en: str
    minimum: float | None = None
    maximum: float | None = None


SPECS: dict[str, SettingSpec] = {
    s.key: s
    for s in [
        SettingSpec("visit_cadence_days", 30, "走访周期（天）", "Visit cadence (days)", 1, 366),
        SettingSpec("cadre_household_cap", 10, "每名干部结对户数上限", "Households per cadre (cap)", 1, 500),
        SettingSpec(
            "income_target_yuan", 13000, "低收入农户人均可支配收入目标（元）", "Income target (yuan)", 0, 10**7
        ),
        SettingSpec("income_growth_target_pct", 10, "收入年增幅目标（%）", "Income growth target (%)", 0, 100),
        SettingSpec(
            "rural_income_growth_pct", 9.0, "全市农村居民收入平均增幅（%）", "Rural average income growth (%)", 0, 100
        ),
        SettingSpec(
            "weak_village_threshold_yuan",
            100000,
            "薄弱村集体经济收入线（元）",
            "Weak-village threshold (yuan)",
            0,
            10**9,
        ),
        SettingSpec("sage_village_goal", 10, "每村乡贤结对目标", "Sages per village (goal)", 0, 1000),
        SettingSpec("idle_lock_minutes", 15, "无操作自动锁定（分钟）", "Idle lock (minutes)", 0, 600),
        SettingSpec(
            "backup_reminder_days", 7, "备份提醒间隔（天，0 为不提醒）", "Backup reminder (days, 0 = off)", 0, 365
        ),
        SettingSpec(
            "clock_skew_limit_hours", 48, "同步时钟偏差上限（小时）", "Sync clock-skew limit (hours)", 1, 24 * 365
        ),
    ]
}


def get(session: Session, key: str) -> Any:
    spec = SPECS[key]
    row = session.get(Setting, key)
    return spec.default if row is None else row.value


def get_all(session: Session) -> dict[str, Any]:
    stored = {row.key: row.value for row in session.scalars(select(Setting))}
    return {key: stored.get(key, spec.default) for key, spec in SPECS.items()}


def validate(key: str, value: Any) -> Any:
    spec = SPECS.get(key)
    if spec is None:
        raise ValidationError(f"未知的设置项：{key}", f"Unknown setting: {key}", field=key)
    try:
        number = type(spec.default)(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{spec.zh}应为数字。", f"{spec.en} must be a number.", field=key) from None
    if (spec.minimum is not None and number < spec.minimum) or (spec.maximum is not None and number > spec.maximum):
        raise ValidationError(
            f"{spec.zh}应在 {spec.minimum} 到 {spec.maximum} 之间。",
            f"{spec.en} must be between {spec.minimum} and {spec.maximum}.",
            field=key,
        )
    return number


def put(session: Session, key: str, value: Any) -> Any:
    """Validate and store; the caller's UnitOfWork commits and records ``uow.event('setting', …)``."""
    number = validate(key, value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=number))
    else:
        row.value = number
    return number


def save(db: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Validate every value first (nothing is stored if one is wrong), then store and audit them together.

    Returns the stored values. Raises ``ValidationErrors`` naming each bad field.
    """
    from app.errors import ValidationErrors
    from app.services.uow import UnitOfWork

    clean: dict[str, Any] = {}
    errors: list[ValidationError] = []
    for key, value in values.items():
        try:
            clean[key] = validate(key, value)
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationErrors(errors)
    with UnitOfWork(db) as uow:
        before = get_all(uow.session)
        changed = {k: v for k, v in clean.items() if before.get(k) != v}
        for key, value in changed.items():
            put(uow.session, key, value)
        if changed:
            uow.event("setting", "setting", after=changed, note=",".join(sorted(changed)))
    return clean
