"""Fixtures for the service tests: valid resident IDs, and a township with households, cadres, a leader."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from app.domain.validators import id_check_digit
from app.services import records
from app.services.cadres import CADRE, DEPARTMENT
from app.services.households import HOUSEHOLD

_serial = itertools.count(100)


def resident_id(birth: str = "19800101", region: str = "331122", serial: int | None = None, sex: str = "male") -> str:
    """A valid 18-digit ID; odd 17th digit = male."""
    n = next(_serial) if serial is None else serial
    n = n * 10 % 1000 + (1 if sex == "male" else 0)
    first17 = f"{region}{birth}{n:03d}"
    return first17 + id_check_digit(first17)


@dataclass
class Ledger:
    db: Any
    places: Any
    department_id: str
    add_household: Callable[..., Any]
    add_cadre: Callable[..., Any]


@pytest.fixture
def ledger(db, places) -> Ledger:
    dept = records.create(db, DEPARTMENT, {"name": "缙云县农业农村局", "level": "县级", "kind": "党政机关"})

    def add_household(name: str = "王芳", village: int = 0, **extra: Any) -> Any:
        data = {
            "village_id": places.village_ids[village],
            "head_name": name,
            "head_id_number": resident_id(),
            "category": "低保户",
            "primary_cause": "因病",
            **extra,
        }
        return records.create(db, HOUSEHOLD, data)

    def add_cadre(name: str = "李明", **extra: Any) -> Any:
        return records.create(db, CADRE, {"name": name, "department_id": dept.id, **extra})

    return Ledger(db, places, dept.id, add_household, add_cadre)
