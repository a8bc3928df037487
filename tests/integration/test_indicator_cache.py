"""The indicators' result cache: unchanged data answers from memory, any audited change is seen at once."""

from __future__ import annotations

from app.domain.models import Pairing
from app.services.indicators import compute, compute_all
from app.services.uow import UnitOfWork
from tests.integration.ledger_builder import TODAY, YEAR, build


def test_cache_returns_the_same_result_until_the_data_changes(db, places):
    ledger = build(db, places)
    with db.session() as s:
        first = compute(s, "coverage_households", None, YEAR, today=TODAY)
        assert compute(s, "coverage_households", None, YEAR, today=TODAY) is first  # from memory
        cold = compute(s, "coverage_households", None, YEAR, today=TODAY, cache=False)
        assert cold == first and cold is not first
    assert (first.numerator, first.denominator) == (3, 4)
    with UnitOfWork(db) as uow:
        uow.add(Pairing(kind="household_cadre", subject_household_id=ledger.households["A"],
                        helper_cadre_id=ledger.cadres[1], start_date=TODAY.replace(year=2024)))  # fmt: skip
    with db.session() as s:
        assert compute(s, "coverage_households", None, YEAR, today=TODAY).numerator == 2
        by_key = {i.key: i for i in compute_all(s, None, YEAR, today=TODAY)}
        assert by_key["coverage_households"].numerator == 2
        # another year or reference date is another entry. On 2024-12-31: B, D (exited only in 2025, paired
        # until then) and E covered; A has two cadres, C none → 3.
        assert compute(s, "coverage_households", None, 2024, today=TODAY).numerator == 3
