"""Every entity spec in one place, by table name: the GUI's generic forms and the Excel import look
specs up here (labels, required fields, checkers) instead of importing each service module."""

from __future__ import annotations

from app.services import cadres, households, pairings, projects, regions, supporters, visits
from app.services.records import SPECS, EntitySpec

MODULES = (regions, households, cadres, supporters, pairings, visits, projects)


def spec_for(table: str) -> EntitySpec:
    """The spec of a table (``household``, ``cadre`` …); KeyError for an unknown one."""
    return SPECS[table]


def all_specs() -> dict[str, EntitySpec]:
    return dict(SPECS)
