"""The 同步 page: status of a node not yet onboarded, and the conflict queue resolved from the page (audited)."""

from __future__ import annotations

from typing import Any


def _idle(qtbot: Any, ctx: Any) -> None:
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10_000)


def test_page_shows_onboarding_hint_and_resolves_a_conflict(ctx: Any, qtbot: Any) -> None:
    from app.domain.models import AuditEntry, Household
    from app.sync.models import SyncConflict
    from ui.pages.sync import create

    with ctx.db.session() as s, s.begin():
        hid = s.query(Household.id).first()[0]
        s.add(SyncConflict(kind="field", entity="household", entity_id=hid, field="phone", winner_value="13900000001",
                           loser_value="13900000002", loser_node="331100", loser_actor="city"))  # fmt: skip
    page = create(ctx)
    qtbot.addWidget(page)
    _idle(qtbot, ctx)
    assert "入网" in page.status.text()
    assert page.conflicts.rowCount() == 1 and page.conflicts.item(0, 5).text() == '"13900000002"'
    page.conflicts.selectRow(0)
    ctx.data_changed.connect(lambda _entity: page.reload())  # what the main window does for the visible page
    page.resolve("take")
    qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0, timeout=10_000)
    _idle(qtbot, ctx)
    with ctx.db.session() as s:
        assert s.get(Household, hid).phone == "13900000002"
        assert s.query(AuditEntry).filter_by(action="conflict_take").count() == 1


def test_export_and_import_with_preview_through_the_page(ctx: Any, qtbot: Any, tmp_path: Any, monkeypatch: Any) -> None:
    from app.sync import importer, onboarding
    from tests.integration.sync.support import CITY, make_node
    from ui.pages import sync as page_module

    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    try:
        onboarding.init_identity(ctx.db)
        onboarding.join(ctx.db, onboarding.onboard(city.db, onboarding.join_request(ctx.db)))
        page = page_module.create(ctx)
        qtbot.addWidget(page)
        _idle(qtbot, ctx)
        assert page.peer.currentData() == CITY
        usb = tmp_path / "usb"
        usb.mkdir()
        monkeypatch.setattr(page_module, "choose_folder", lambda _parent: str(usb))
        page.export()
        qtbot.waitUntil(lambda: any(usb.iterdir()), timeout=20_000)
        _idle(qtbot, ctx)
        report = importer.import_file(city.db, next(usb.iterdir()))
        assert report.tables["household"]["created"] == 60
        back = city.export(ctx.db.node.code)
        previews: list[str] = []
        monkeypatch.setattr(page_module, "choose_package", lambda _parent: str(back))
        monkeypatch.setattr(page_module, "confirm_apply", lambda _parent, text: previews.append(text) or True)
        ctx.data_changed.connect(lambda _entity: page.reload())
        page.import_package()
        qtbot.waitUntil(lambda: "applied" in page.status.text(), timeout=20_000)
        _idle(qtbot, ctx)
        assert previews and "applied" in previews[0]  # the dry-run report was shown before applying
        assert page.peers.item(0, 4).text() == "0"  # the city's receipt came back: nothing left to confirm …
        assert page.peers.item(0, 5).text() == "1"  # … and our receipt for its package waits for the next export
    finally:
        city.db.close()
