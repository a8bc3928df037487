"""The 同步 page: status of a node not yet onboarded, the conflict queue resolved from the page (audited), and
export / import with a preview before applying, by file dialog and by drag-and-drop."""

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
    assert page.conflicts.rowCount() == 1 and page.conflicts.item(0, 5).text() == "13900000002"
    page.conflicts.selectRow(0)
    # the two values side by side
    assert (page.compare.current.text(), page.compare.other.text()) == ("13900000001", "13900000002")
    ctx.data_changed.connect(lambda _entity: page.reload())  # what the main window does for the visible page
    page.resolve("take")
    qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0, timeout=10_000)
    _idle(qtbot, ctx)
    with ctx.db.session() as s:
        assert s.get(Household, hid).phone == "13900000002"
        assert s.query(AuditEntry).filter_by(action="conflict_take").count() == 1


def _drop(page: Any, paths: list[Any]) -> None:
    """What the window system delivers when files are dropped on the page."""
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(page.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)  # fmt: skip
    page.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(page.rect().center()), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)  # fmt: skip
    page.dropEvent(drop)


def test_export_then_preview_and_apply_a_package_from_another_node(
    ctx: Any, qtbot: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from app.domain.models import Household
    from app.sync import importer, onboarding
    from tests.integration.sync.support import CITY, make_node
    from ui.pages import sync as page_module

    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    try:
        onboarding.init_identity(ctx.db)
        onboarding.join(ctx.db, onboarding.onboard(city.db, onboarding.join_request(ctx.db)))
        page = page_module.create(ctx)
        qtbot.addWidget(page)
        page.show()
        ctx.data_changed.connect(lambda _entity: page.reload())  # what the main window does for the visible page
        _idle(qtbot, ctx)
        assert page.peer.currentData() == CITY
        usb = tmp_path / "usb"
        usb.mkdir()
        monkeypatch.setattr(page_module, "choose_folder", lambda _parent: str(usb))
        page.export()
        qtbot.waitUntil(lambda: any(usb.iterdir()), timeout=20_000)
        _idle(qtbot, ctx)
        assert "已导出" in page.status.text()
        report = importer.import_file(city.db, next(usb.iterdir()))
        assert report.tables["household"]["created"] == 60
        # the city edits a household and sends its package back
        from app.services import households, records

        with city.db.session() as s:
            hid = s.query(Household.id).order_by(Household.id).first()[0]
        records.update(city.db, households.HOUSEHOLD, hid, {"phone": "13700000009"})
        back = city.export(ctx.db.node.code)
        monkeypatch.setattr(page_module, "choose_packages", lambda _parent: [str(back)])
        page.import_package()
        qtbot.waitUntil(lambda: page.preview.isVisible(), timeout=20_000)
        # the preview is a dry run: per table counts shown, nothing changed yet
        assert page.preview.apply_button.isEnabled()
        cells = [page.preview.table.item(r, c).text() for r in range(page.preview.table.rowCount()) for c in (1, 3)]
        assert "低收入农户" in cells
        with ctx.db.session() as s:
            assert s.get(Household, hid).phone != "13700000009"
        page.preview.apply_button.click()
        qtbot.waitUntil(lambda: "已导入" in page.status.text() and not ctx.tasks.busy, timeout=20_000)
        assert not page.preview.isVisible()
        with ctx.db.session() as s:
            assert s.get(Household, hid).phone == "13700000009"
        qtbot.waitUntil(lambda: page.peers.item(0, 4).text() == "0", timeout=10_000)  # our changes confirmed …
        assert page.peers.item(0, 5).text() == "1"  # … and our receipt for its package waits for the next export
        # the same file dropped again: previewed as a duplicate, a readable refusal for a non-package
        _drop(page, [back])
        qtbot.waitUntil(lambda: page.preview.isVisible(), timeout=20_000)
        assert "重复" in page.preview.table.item(0, 0).text()
        page.discard_preview()
        junk = tmp_path / "junk.bfsync"
        junk.write_bytes(b"not a package")
        _drop(page, [junk])
        qtbot.waitUntil(lambda: page.preview.isVisible(), timeout=20_000)
        assert not page.preview.apply_button.isEnabled()
        assert "junk.bfsync" in page.preview.errors.text() and page.preview.errors.isVisible()
    finally:
        city.db.close()


def test_a_refusal_that_answers_the_sender_is_applied_as_its_receipt(
    ctx: Any, qtbot: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    """A gap or a diverged chain (a restored node) is refused, but its receipt is what heals it; the preview
    writes nothing, so 应用导入 imports it for real: the receipt is written, the data unchanged."""
    from app.sync import onboarding
    from app.sync.models import SyncReceipt
    from tests.integration.sync.support import CITY, data_dump, make_node
    from ui.pages import sync as page_module

    city = make_node(tmp_path / "city", CITY, "丽水市", "city")
    try:
        onboarding.init_identity(ctx.db)
        onboarding.join(ctx.db, onboarding.onboard(city.db, onboarding.join_request(ctx.db)))
        package = city.export(ctx.db.node.code, since=5)  # starts after what this township holds: a gap
        page = page_module.create(ctx)
        qtbot.addWidget(page)
        page.show()
        _idle(qtbot, ctx)
        monkeypatch.setattr(page_module, "choose_packages", lambda _parent: [str(package)])
        page.import_package()
        qtbot.waitUntil(lambda: page.preview.isVisible(), timeout=20_000)
        assert "回执" in page.preview.table.item(0, 0).text() and page.preview.apply_button.isEnabled()
        before = data_dump(ctx, receipts_written=True)  # type: ignore[arg-type]
        page.preview.apply_button.click()
        qtbot.waitUntil(lambda: not page.preview.isVisible() and not ctx.tasks.busy, timeout=20_000)
        with ctx.db.session() as s:
            receipt = s.query(SyncReceipt).filter_by(direction="out", peer=CITY).one()
            assert receipt.status == "gap"
        assert data_dump(ctx, receipts_written=True) == before  # type: ignore[arg-type]
    finally:
        city.db.close()
