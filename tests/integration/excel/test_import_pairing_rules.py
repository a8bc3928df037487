"""The roster import and the pairing service accept and refuse the same pairings (``rules.pairing_refusal``),
and a fresh roster import leaves what it does not say as 未填, never "jobless" or "no doctor contract"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.domain.models import Cadre, Household, Member, Pairing
from app.errors import RuleViolation, ValidationError
from app.io.importer import ExcelImport
from app.services import pairings, records
from app.services.households import HOUSEHOLD, exit_household
from app.services.indicators import compute, indicator_rows
from app.services.uow import UnitOfWork
from tests.integration.excel import builders as b


def _import(db, tmp_path, people, name):
    return ExcelImport(b.write_xlsx(tmp_path / name, b.messy_roster_rows(people)), "roster").run(db)


def _household(db, number: str) -> Household:
    with db.session() as s:
        return s.scalars(select(Household).where(Household.head_id_number == number)).one()


def _cadre(db, name: str) -> str:
    with db.session() as s:
        return s.scalars(select(Cadre.id).where(Cadre.name == name)).first()


def _pairings(db, household_id: str) -> list[tuple[str, date, date | None]]:
    with db.session() as s:
        rows = s.execute(
            select(Pairing.helper_cadre_id, Pairing.start_date, Pairing.end_date)
            .where(Pairing.subject_household_id == household_id)
            .order_by(Pairing.start_date, Pairing.id)
        ).all()
    return [tuple(r) for r in rows]


def test_fresh_roster_import_keeps_unknowns_unknown(db, places, tmp_path):
    report = _import(db, tmp_path, b.roster_people(), "roster.xlsx")
    assert report.applied, report.issues
    with db.session() as s:
        heads = s.execute(select(Member.labour, Member.employment, Member.doctor_contract, Member.health)).all()
    assert [tuple(h) for h in heads] == [(None, None, None, None)] * 5
    with db.session() as s:
        labour = compute(s, "labour_without_job", cache=False)
        doctor = compute(s, "doctor_contract", cache=False)
        unknown = indicator_rows(s, "labour_without_job", missing=True)
    # Nothing is known about work or doctors: no household is "jobless", no coverage is claimed, and all
    # five households are listed as 数据不全.
    assert (labour.numerator, labour.denominator, labour.missing) == (0, 0, 5)
    assert (doctor.numerator, doctor.denominator, doctor.value, doctor.missing) == (0, 0, None, 5)
    assert len(unknown) == 5


def _service_refusal(db, household_id: str, cadre_id: str, start: date) -> Exception | None:
    try:
        pairings.pair(db, "household_cadre", household_id, cadre_id, start, allow_over_cap=True)
    except (RuleViolation, ValidationError) as exc:
        return exc
    return None


@pytest.mark.parametrize("case", ["exited_household", "departed_cadre", "before_registration"])
def test_import_and_service_refuse_the_same_pairings(db, places, tmp_path, case):
    people = b.roster_people()
    assert _import(db, tmp_path, people, "v1.xlsx").applied
    # 陈大明 (people[3]) is paired with 赵敏 since 2017-09-21; the second file moves him to 王伟 (农业农村局).
    target = _household(db, people[3]["id"])
    wang = _cadre(db, "王伟")
    moved = {**people[3], "cadre": "王伟", "unit": "缙云县农业农村局", "post": "科员", "cadre_phone": "13905781111",
             "since": "2024-05-01"}  # fmt: skip
    start = date(2024, 5, 1)
    if case == "exited_household":
        exit_household(db, target.id, "exited", "2024-01-10", "收入稳定超过标准")
    elif case == "departed_cadre":
        pairings.cadre_leaves(db, wang, "2024-01-10")
    else:
        records.update(db, HOUSEHOLD, target.id, {"registered_on": date(2024, 6, 1)}, note="认定时间更正")
    before = _pairings(db, target.id)

    report = _import(db, tmp_path, [*people[:3], moved, people[4]], "v2.xlsx")

    assert not report.applied
    # 陈大明 is on sheet row 11 (header to row 6, a blank line after the second household). When the cadre
    # left, the other households 王伟 had are refused too: re-pairing them with him is the same refusal.
    issue = next(i for i in report.issues if i.row == 11)
    assert _pairings(db, target.id) == before  # nothing written
    refused = _service_refusal(db, target.id, wang, start)
    assert refused is not None and refused.zh == issue.zh
    assert _pairings(db, target.id) == before


_SEQ = iter(range(200, 999))


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    status=st.sampled_from(["active", "exited", "moved_out"]),
    registered_days_ago=st.none() | st.integers(0, 900),
    cadre_left=st.booleans(),
    start_days_ago=st.integers(-3, 1000),
)
def test_property_import_and_service_agree(
    db, places, tmp_path, status, registered_days_ago, cadre_left, start_days_ago
):
    """Random household status, 认定 date, cadre status and start date: the roster import refuses exactly when
    the pairing service refuses, with the same words, and writes nothing when it does."""
    from app.domain.models import Department

    today = date.today()
    n = next(_SEQ)
    registered = None if registered_days_ago is None else today - timedelta(days=registered_days_ago)
    start = today - timedelta(days=start_days_ago)
    numbers = [b.make_id("331122", "19700101", n), b.make_id("331122", "19710101", n)]
    with UnitOfWork(db) as uow:
        dept = uow.add(Department(name=f"测试局{n}", level="county", kind="party_gov"))
        uow.session.flush()
        cadre = uow.add(Cadre(name=f"干部{n}", department_id=dept.id, phone=f"1390578{n:04d}",
                              status="left" if cadre_left else "serving"))  # fmt: skip
        held = []
        for number in numbers:
            held.append(uow.add(Household(village_id=places.village_ids[0], head_name=f"户主{n}", head_id_number=number,
                                          category="other", primary_cause="illness", registered_on=registered,
                                          status=status, status_date=None if status == "active" else today)))  # fmt: skip
    row = {"head": f"户主{n}", "typed_id": numbers[0], "phone": "", "village": "岩背村", "category": "其他",
           "causes": "因病", "cadre": f"干部{n}", "unit": f"测试局{n}", "post": "", "cadre_phone": f"1390578{n:04d}",
           "since": start.isoformat()}  # fmt: skip
    path = b.write_xlsx(tmp_path / f"r{n}.xlsx", b.messy_roster_rows([row]))
    report = ExcelImport(path, "roster").run(db)
    service = _service_refusal(db, held[1].id, cadre.id, start)
    import_issue = next((i for i in report.issues if i.row is not None), None)
    assert report.applied == (service is None), (report.issues, service)
    if service is not None:
        assert import_issue is not None and import_issue.zh == service.zh
        assert _pairings(db, held[0].id) == []
    else:
        assert len(_pairings(db, held[0].id)) == 1
