"""``regions`` and the ``--scope`` / ``--region`` options take a division code or a place name in any form."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from app.domain import lishui
from app.services.node import initialize_node
from app.storage.database import create_database
from tests.conftest import PASSWORD


@pytest.fixture
def laozhu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "laozhu.db"
    db = create_database(path, PASSWORD)
    initialize_node(db, "331102103", None, "township")
    db.close()
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    return path


def test_regions_lists_codes_and_names_under_a_place_given_by_name_or_code(
    laozhu: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for place in ("老竹畲族镇", "331102103"):
        assert main(["regions", "--db", str(laozhu), place]) == 0
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "331102103\t老竹畲族镇"
        assert "331102103215\t梁村\t行政村（社区） / Village" in out
        assert out[-1] == f"共 {len(lishui.villages('331102103'))} 个 / 12 places"
    assert main(["regions", "--db", str(laozhu), "--check"]) == 0
    assert "全部地点均在官方名录中" in capsys.readouterr().out


@pytest.mark.parametrize("form", ["梁村", "梁村村委会", "331102103215", "老竹畲族镇/梁村"])
def test_a_village_is_found_by_every_form(laozhu: Path, capsys: pytest.CaptureFixture[str], form: str) -> None:
    assert main(["regions", "--db", str(laozhu), form]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "331102103215\t梁村"


def test_scope_by_name_and_an_unknown_place_is_one_clear_line(laozhu: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["anomalies", "--db", str(laozhu), "--scope", "老竹村委会", "--json"]) in (0, 1)
    assert '"code": "331102103208"' in capsys.readouterr().out
    assert main(["search", "--db", str(laozhu), "王", "--region", "不存在村"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["找不到区域：不存在村 / No such region: 不存在村"]
