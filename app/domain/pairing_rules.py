"""Who pairs with whom (结对): for each ``PairingKind`` the allowed subjects and the one helper column.

Pure data and pure checks, no database: the services (``app.services.pairings``) use it to build rows,
sync and the Excel import use it to read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import PairingKind, RegionLevel


@dataclass(frozen=True)
class PairingShape:
    """``subjects``: the allowed subject kinds, ``"household"`` or a ``RegionLevel``; ``helper``: the helper
    column of ``Pairing`` and the table it refers to."""

    subjects: tuple[str, ...]
    helper_column: str
    helper_table: str
    helper_zh: str
    helper_en: str


PAIRING_SHAPES: dict[PairingKind, PairingShape] = {
    PairingKind.TOWNSHIP_LEADER: PairingShape(
        (RegionLevel.TOWNSHIP.value,), "helper_cadre_id", "cadre", "领导干部", "leader cadre"
    ),
    PairingKind.VILLAGE_DEPARTMENT: PairingShape(
        (RegionLevel.VILLAGE.value,), "helper_department_id", "department", "部门/单位", "department"
    ),
    PairingKind.HOUSEHOLD_CADRE: PairingShape(("household",), "helper_cadre_id", "cadre", "干部", "cadre"),
    PairingKind.VILLAGE_ENTERPRISE: PairingShape(
        (RegionLevel.VILLAGE.value, "household"), "helper_enterprise_id", "enterprise", "民营企业", "enterprise"
    ),
    PairingKind.SAGE: PairingShape((RegionLevel.VILLAGE.value, "household"), "helper_sage_id", "sage", "乡贤", "sage"),
}

HELPER_COLUMNS = ("helper_cadre_id", "helper_department_id", "helper_enterprise_id", "helper_sage_id")


def subject_column(subject_kind: str) -> str:
    return "subject_household_id" if subject_kind == "household" else "subject_region_id"
