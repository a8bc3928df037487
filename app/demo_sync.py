"""A sync package from a throw-away city to the demo township, for the 同步 page's import preview in the
``--screenshots`` run (and anyone who wants to see a real package arrive on a demo ledger). Worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def city_package_for(db: Any, folder: Path) -> Path:
    """A package from a new city ledger to the demo township (worker thread): the city onboards the township,
    takes its first package, changes one household's phone and sends its own package back."""
    import secrets

    from sqlalchemy import func, select

    from app.domain.models import Household
    from app.services import records
    from app.services.households import HOUSEHOLD
    from app.services.node import initialize_node
    from app.storage.database import create_database
    from app.sync import exporter, importer, onboarding

    for sub in ("up", "down"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    city = create_database(folder / "city.db", secrets.token_urlsafe(16))
    try:
        initialize_node(city, "331100", "丽水市", "city")
        onboarding.init_identity(city)
        onboarding.init_identity(db)
        onboarding.join(db, onboarding.onboard(city, onboarding.join_request(db)))
        importer.import_file(city, exporter.export_package(db, "331100", folder / "up").path)
        with city.session() as s:
            # one ID per head: the demo's deliberate duplicate IDs would refuse the edit
            single = select(Household.head_id_number).group_by(Household.head_id_number).having(func.count() == 1)
            household_id = s.scalars(
                select(Household.id).where(Household.head_id_number.in_(single)).order_by(Household.id)
            ).first()
        records.update(city, HOUSEHOLD, str(household_id), {"phone": "13700000009"})
        return exporter.export_package(city, db.node.code, folder / "down").path
    finally:
        city.close()
