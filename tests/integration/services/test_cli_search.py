"""The ``search`` command prints masked IDs and exits 1 when nothing matches."""

from __future__ import annotations

import json

from app.cli import main
from tests.conftest import PASSWORD

from .conftest import resident_id


def test_search_command(ledger, db_path, monkeypatch, capsys):
    number = resident_id()
    hh = ledger.add_household("王芳", head_id_number=number)
    ledger.add_cadre("李明")
    ledger.db.close()
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)
    assert main(["search", "--db", str(db_path), "wf"]) == 0
    out = capsys.readouterr().out
    assert "王芳" in out and hh.id in out and number not in out and number[-4:] in out
    assert main(["search", "--db", str(db_path), "--json", number[-5:]]) == 0
    [hit] = json.loads(capsys.readouterr().out)
    assert hit["id"] == hh.id and hit["matched_by"] == "id_suffix"
    assert main(["search", "--db", str(db_path), "--cadres", "lm"]) == 0
    assert "李明" in capsys.readouterr().out
    assert main(["search", "--db", str(db_path), "zzz"]) == 1
