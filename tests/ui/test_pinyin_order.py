"""Names sort by pinyin, as WPS sorts a name column — not by character code, which puts 任 before 何."""

from __future__ import annotations

from typing import Any

from app.domain.name_pinyin import name_pinyin
from app.services import listing, records
from app.services.cadres import CADRE
from tests.ui.conftest import rows, wait_loaded

# Character codes: 丁 U+4E01, 任 U+4EFB, 何 U+4F55, 兰 U+5170, 刘 U+5218, 曾 U+66FE, 安 U+5B89
# Pinyin:          ding,      ren,       he,        lan,       liu,       zeng (surname), an
SURNAMES_BY_CODE = ["丁", "任", "何", "兰", "刘", "安", "曾"]
BY_PINYIN = ["安", "丁", "何", "兰", "刘", "任", "曾"]  # an < ding < he < lan < liu < ren < zeng


def test_cadre_list_sorts_by_pinyin(township: Any, window: Any, qtbot: Any) -> None:
    with records.unit_of_work(township) as uow:
        department = township_department(uow)
        for surname in SURNAMES_BY_CODE:
            records.create_row(uow, CADRE, {"name": f"{surname}测试", "department_id": department})
    window.open_page("helpers")
    panel = cadre_panel(window)
    panel.refresh()
    wait_loaded(qtbot, panel)
    names = [n for n in rows(panel, "name") if n.endswith("测试")]
    assert [n[0] for n in names] == BY_PINYIN
    everyone = rows(panel, "name")
    keys = [name_pinyin(n) for n in everyone]
    assert keys == sorted(keys)  # the whole page, not only the names added here


def test_household_list_sorts_by_stored_pinyin(window: Any, qtbot: Any) -> None:
    window.open_page("households")
    panel = window.page("households").list
    wait_loaded(qtbot, panel)
    names = rows(panel, "head_name")
    assert len(names) == 60
    keys = [name_pinyin(n) for n in names]
    assert keys == sorted(keys)
    assert names != sorted(names)  # character-code order differs for this township: the test can fail


def test_descending_is_reverse_pinyin(township: Any) -> None:
    with township.session() as session:
        page = listing.fetch_page(session, listing.ListQuery("cadre", descending=True), 0, 100)
    keys = [name_pinyin(r[0]) for r in page.rows]
    assert keys == sorted(keys, reverse=True)


def township_department(uow: Any) -> str:
    from sqlalchemy import select

    from app.domain.models import Department

    return str(uow.session.scalars(select(Department.id)).first())


def cadre_panel(window: Any) -> Any:
    from ui.list_panel import ListPanel

    page = window.page("helpers")
    return next(p for p in page.findChildren(ListPanel) if p.entity == "cadre" and p.state_key == "cadre")
