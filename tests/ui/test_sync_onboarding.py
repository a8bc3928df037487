"""同步 → 入网与密钥, driven through the real dialogs on two real encrypted ledgers (city 331100 and township
331122101): request → fingerprint check → issue → root fingerprint check → join; key rotation; revocation;
and hostile or misaddressed files refused with a message, nothing trusted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.services import sync_setup
from tests.conftest import PASSWORD


@pytest.fixture
def city_ctx(tasks: Any, store: Any, tmp_path: Path) -> Iterator[Any]:
    from app.services.node import create_ledger
    from ui.context import AppContext

    city = create_ledger(tmp_path / "city.db", PASSWORD, "331100", None, "city")
    yield AppContext(city, tasks, store)
    tasks.wait_idle()
    city.close()


def dialog_for(ctx: Any, qtbot: Any) -> Any:
    from ui.pages.sync_onboarding import OnboardingDialog

    dialog = OnboardingDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=10_000)
    return dialog


class Files:
    """Stands in for the file dialogs: the next path each will return."""

    def __init__(self, monkeypatch: Any) -> None:
        from ui.pages import sync_onboarding

        self.save = ""
        self.open = ""
        monkeypatch.setattr(sync_onboarding, "choose_save_file", lambda _p, _t, _n: self.save)
        monkeypatch.setattr(sync_onboarding, "choose_open_file", lambda _p, _t: self.open)
        monkeypatch.setattr(sync_onboarding, "confirm", lambda _p, _t, _x: True)


def test_township_joins_the_city_step_by_step(
    ctx: Any, city_ctx: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    files = Files(monkeypatch)
    town = dialog_for(ctx, qtbot)
    assert "尚未入网" in town.header.text()
    assert town.request_box.isVisibleTo(town) and not town.issue_box.isVisibleTo(town)

    # 1. The township writes its request (its keys are made on the way) and shows its fingerprint.
    files.save = str(tmp_path / "331122101-入网申请.json")
    town.request_button.click()
    qtbot.waitUntil(lambda: "已保存" in town.request_done.text(), timeout=10_000)
    assert "交给上级" in town.request_done.text()
    town_print = town.own_print.text()
    assert len(town_print) == 24 and town_print == sync_setup.state(ctx.db).fingerprint

    # 2. The city makes its root, opens the request, sees the same fingerprint the township reads aloud.
    city = dialog_for(city_ctx, qtbot)
    assert city.root_box.isVisibleTo(city) and not city.request_box.isVisibleTo(city)
    city.root_button.click()
    qtbot.waitUntil(lambda: city.root_print.text() != "", timeout=10_000)
    root_print = city.root_print.text()
    qtbot.waitUntil(lambda: city.issue_box.isVisibleTo(city), timeout=10_000)
    files.open = files.save
    city.open_request_button.click()
    qtbot.waitUntil(lambda: city.request_print.text() != "", timeout=10_000)
    assert city.request_print.text() == town_print
    assert "331122101" in city.request_text.text() and "入网申请" in city.request_text.text()
    assert not city.issue_button.isEnabled()  # not before the phone check is ticked
    city.checked.setChecked(True)
    files.save = str(tmp_path / "331122101-入网文件.json")
    city.issue_button.click()
    qtbot.waitUntil(lambda: "已签发" in city.issue_done.text(), timeout=10_000)
    assert root_print in city.issue_done.text() and "331122101" in city.issue_done.text()
    qtbot.waitUntil(lambda: city.issued.rowCount() == 1, timeout=10_000)
    assert city.issued.item(0, 0).text().startswith("331122101")

    # 3. The township opens the onboarding file, compares the root fingerprint, joins.
    files.open = files.save
    town.open_onboarding_button.click()
    qtbot.waitUntil(lambda: town.join_print.text() != "", timeout=10_000)
    assert town.join_print.text() == root_print
    assert not sync_setup.state(ctx.db).joined  # nothing trusted before the button
    town.join_button.click()
    qtbot.waitUntil(lambda: "已入网" in town.header.text(), timeout=10_000)
    state = sync_setup.state(ctx.db)
    assert state.joined and state.parent == "331100" and state.root_fingerprint == root_print
    assert town.rotate_box.isVisibleTo(town)

    # 4. Rotation: new key, a request the city issues without a new trust decision, joined again.
    files.save = str(tmp_path / "331122101-换钥申请.json")
    town.rotate_button.click()
    qtbot.waitUntil(lambda: "已保存" in town.rotate_done.text(), timeout=10_000)
    new_print = town.own_print.text()
    assert new_print != town_print
    files.open = files.save
    city.open_request_button.click()
    qtbot.waitUntil(lambda: city.request_print.text() == new_print, timeout=10_000)
    assert "换钥申请" in city.request_text.text() and "第 2 代" in city.request_text.text()
    city.checked.setChecked(True)
    files.save = str(tmp_path / "331122101-入网文件-2.json")
    city.issue_button.click()
    qtbot.waitUntil(lambda: "已签发" in city.issue_done.text(), timeout=10_000)
    files.open = files.save
    town.open_onboarding_button.click()
    qtbot.waitUntil(lambda: town.join_button.isVisibleTo(town), timeout=10_000)
    town.join_button.click()
    qtbot.waitUntil(lambda: "已加入" in town.join_text.text(), timeout=10_000)
    assert sync_setup.state(ctx.db).joined and sync_setup.state(ctx.db).fingerprint == new_print

    # 5. Revocation at the city: the newest key of 331122101.
    qtbot.waitUntil(lambda: city.issued.rowCount() == 2, timeout=10_000)
    city.issued.selectRow(1)
    city.revoke_button.click()
    qtbot.waitUntil(lambda: "已吊销" in city.revoke_done.text(), timeout=10_000)
    qtbot.waitUntil(lambda: city.issued.item(1, 4).text() == "已吊销", timeout=10_000)
    assert [c.revoked for c in sync_setup.state(city_ctx.db).issued] == [False, True]


def test_hostile_and_misaddressed_files_are_refused(
    ctx: Any, city_ctx: Any, qtbot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    files = Files(monkeypatch)
    town = dialog_for(ctx, qtbot)
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"{" * (9 * 1024 * 1024))  # larger than any directory: refused before it is parsed
    files.open = str(junk)
    town.open_onboarding_button.click()
    qtbot.waitUntil(lambda: "过大" in town.error.text(), timeout=10_000)
    assert not town.join_button.isVisibleTo(town)

    # An onboarding file issued for another township is not this node's.
    from app.services.node import create_ledger

    other = create_ledger(tmp_path / "other.db", PASSWORD, "331122102", None, "township")
    try:
        sync_setup.make_request(other, tmp_path / "other-req.json")
    finally:
        other.close()
    city = dialog_for(city_ctx, qtbot)
    city.root_button.click()
    qtbot.waitUntil(lambda: city.issue_box.isVisibleTo(city), timeout=10_000)
    files.open = str(tmp_path / "other-req.json")
    city.open_request_button.click()
    qtbot.waitUntil(lambda: "331122102" in city.request_text.text(), timeout=10_000)
    city.checked.setChecked(True)
    files.save = str(tmp_path / "other-onb.json")
    city.issue_button.click()
    qtbot.waitUntil(lambda: (tmp_path / "other-onb.json").exists(), timeout=10_000)
    files.open = files.save
    town.open_onboarding_button.click()
    qtbot.waitUntil(lambda: "不是本机" in town.error.text(), timeout=10_000)
    assert not town.join_button.isVisibleTo(town)
    assert not sync_setup.state(ctx.db).joined

    # A damaged request: the city says so and issues nothing.
    bad = tmp_path / "bad-req.json"
    bad.write_text('{"type": "bangfu-join-request", "body": "{}", "signature": "00"}', encoding="utf-8")
    files.open = str(bad)
    city.open_request_button.click()
    qtbot.waitUntil(lambda: "损坏" in city.error.text(), timeout=10_000)
    assert not city.issue_button.isVisibleTo(city)


def test_sync_page_points_to_the_guided_steps(window: Any, qtbot: Any) -> None:
    window.open_page("sync")
    page = window.page("sync")
    qtbot.waitUntil(lambda: "入网与密钥" in page.status.text(), timeout=10_000)
    assert "命令" not in page.status.text()
    dialog = page.open_onboarding()
    qtbot.waitUntil(lambda: dialog.state is not None, timeout=10_000)
    assert dialog.request_box.isVisibleTo(dialog)
    dialog.close()
