"""Read-only series for the dashboard charts (no Qt, no matplotlib).

Each takes an optional ``scope`` (``app.services.scope``: a region id, division code or ``Scope``; None = the
whole database) so the dashboard's charts follow its scope picker, and reads the register as the dashboard's
tiles do (``app.services.indicators``: the same rules on the year's reference date): coverage of households
by village, the group per-capita income of low-income households excluding 低保户 over the recent years (each
point that year's tile) and the target, and project money by category and by stage. Call on a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, func, select
from sqlalchemy.orm import Session

from app.domain.models import Project, ProjectProgress
from app.services import indicators
from app.services import settings as data_settings
from app.services.scope import Scope, region_filter, resolve_scope


@dataclass(frozen=True)
class VillageCoverage:
    village: str
    households: int
    paired: int

    @property
    def percent(self) -> float:
        return 100.0 * self.paired / self.households if self.households else 100.0


@dataclass(frozen=True)
class IncomePoint:
    year: int
    average_yuan: float
    persons: int


@dataclass(frozen=True)
class MoneyBar:
    key: str
    budget_fen: int
    disbursed_fen: int
    projects: int


def coverage_by_village(
    session: Session,
    limit: int = 15,
    scope: str | Scope | None = None,
    *,
    year: int | None = None,
    today: date | None = None,
) -> list[VillageCoverage]:
    """Villages with the lowest household pairing coverage first (the ones to act on), on the reference date
    of ``year`` by the tile's own rule (``indicators.coverage_by_village``)."""
    rows = indicators.coverage_by_village(session, scope, year, limit=limit, today=today)
    return [VillageCoverage(name, households, paired) for name, households, paired in rows]


INCOME_YEARS = 5
"""The income chart shows this many years, up to the dashboard's."""


def income_trend(
    session: Session, scope: str | Scope | None = None, *, up_to: int | None = None, today: date | None = None
) -> tuple[list[IncomePoint], float]:
    """The group per-capita income (yuan) of the ``INCOME_YEARS`` years up to ``up_to`` (default: this year)
    and the target. Each year's point is that year's ``income_average`` tile itself (低保户 excluded, the
    register and the records as they stood on the year's reference date, Σ total ÷ Σ persons), answered from
    the indicators' cache when the dashboard computed it already; years without a figure are left out."""
    today = today or date.today()
    last = min(up_to or today.year, today.year)
    points = []
    for year in range(last - INCOME_YEARS + 1, last + 1):
        tile = indicators.compute(session, "income_average", scope, year, today=today)
        if tile.value is not None and tile.denominator:
            points.append(IncomePoint(year, tile.value, tile.denominator))
    return points, float(data_settings.get(session, "income_target_yuan"))


def project_money(session: Session, by: str, scope: str | Scope | None = None) -> list[MoneyBar]:
    """Budget and disbursed money per project category (``by="category"``) or stage (``by="stage"``)."""
    column = Project.category if by == "category" else Project.stage
    spent = (
        select(ProjectProgress.project_id, func.sum(ProjectProgress.amount_fen).label("spent"))
        .where(ProjectProgress.deleted == false())
        .group_by(ProjectProgress.project_id)
        .subquery()
    )
    rows = session.execute(
        select(column, func.sum(Project.budget_fen), func.sum(func.coalesce(spent.c.spent, 0)), func.count(Project.id))
        .outerjoin(spent, and_(spent.c.project_id == Project.id))
        .where(Project.deleted == false(), region_filter(Project.region_id, resolve_scope(session, scope)))
        .group_by(column)
        .order_by(func.sum(Project.budget_fen).desc())
    ).all()
    return [MoneyBar(str(r[0]), int(r[1] or 0), int(r[2] or 0), int(r[3])) for r in rows]
