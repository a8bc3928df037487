"""The ``sync`` CLI end to end: two townships and the city onboard, exchange packages with a conflict, a
replayed file and bad input; exit codes 0/1/2 and one bilingual line on stderr, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from tests.integration.sync.support import CITY, PASSWORD, TOWN_A, TOWN_B

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BANGFU_PASSWORD", PASSWORD)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow
def test_walkthrough_township_city_township(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    city, a, b = (str(tmp_path / f"{n}.db") for n in ("city", "a", "b"))
    usb = tmp_path / "usb"
    usb.mkdir()
    assert (
        run(capsys, "sync", "init-identity", "--db", city, "--code", CITY, "--name", "丽水市", "--role", "city")[0] == 0
    )
    for db, code in ((a, TOWN_A), (b, TOWN_B)):
        assert (
            run(capsys, "sync", "init-identity", "--db", db, "--code", code, "--name", "镇", "--role", "township")[0]
            == 0
        )
        request, onboarding = tmp_path / f"{code}-req.json", tmp_path / f"{code}-onb.json"
        assert run(capsys, "sync", "request", "--db", db, str(request))[0] == 0
        assert run(capsys, "sync", "onboard", "--db", city, str(request), str(onboarding))[0] == 0
        code_, out, _ = run(capsys, "sync", "join", "--db", db, str(onboarding))
        assert code_ == 0 and "fingerprint" in out
    # Receipts-only packages both ways (no data yet), then the township's data up.
    assert run(capsys, "sync", "export", "--db", a, "--to", CITY, str(usb))[0] == 0
    code_, out, _ = run(capsys, "sync", "import", "--db", city, str(usb), "--dry-run")
    assert code_ == 0 and "dry run" in out
    code_, out, _ = run(capsys, "sync", "import", "--db", city, str(usb))
    assert code_ == 0 and "applied" in out
    code_, out, _ = run(capsys, "sync", "import", "--db", city, str(usb))  # the same file again
    assert code_ == 0 and "duplicate" in out
    code_, out, _ = run(capsys, "sync", "status", "--db", city)
    assert TOWN_A in out and TOWN_B in out
    down = tmp_path / "down"
    down.mkdir()
    assert run(capsys, "sync", "export", "--db", city, "--to", TOWN_A, str(down))[0] == 0
    code_, out, _ = run(capsys, "sync", "import", "--db", a, str(next(down.iterdir())), "--json")
    assert code_ == 0 and '"receipts": 1' in out
    code_, out, _ = run(capsys, "sync", "conflicts", "list", "--db", city)
    assert code_ == 0 and "0 item" in out
    code_, out, _ = run(capsys, "sync", "peers", "--db", a)
    assert CITY in out and "root" in out
    # Bad input: a package for the city imported by township B.
    package = next(usb.iterdir())
    code_, out, err = run(capsys, "sync", "import", "--db", b, str(package))
    assert code_ == 2 and " / " in err and "Traceback" not in err


def test_bad_inputs_give_one_bilingual_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "t.db")
    assert (
        run(capsys, "sync", "init-identity", "--db", db, "--code", TOWN_A, "--name", "镇", "--role", "township")[0] == 0
    )
    junk = tmp_path / "junk.bfsync"
    junk.write_bytes(b"\x00" * 100)
    cases = [
        ("sync", "import", "--db", db, str(junk)),
        ("sync", "import", "--db", db, str(tmp_path / "missing.bfsync")),
        ("sync", "export", "--db", db, "--to", CITY, str(tmp_path)),  # not onboarded yet
        ("sync", "join", "--db", db, str(junk)),
        ("sync", "init-identity", "--db", db),  # keys exist already
        ("sync", "inspect", str(junk)),
        ("sync", "conflicts", "resolve", "--db", db, "99", "keep"),
    ]
    for argv in cases:
        code, _, err = run(capsys, *argv)
        assert code == 2, argv
        lines = err.strip().splitlines()
        assert len(lines) == 1 and " / " in lines[0] and "Traceback" not in err, (argv, err)


def test_real_process_exit_code_and_no_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bfsync"
    junk.write_bytes(b"BANGFU-SYNC/1\n{broken")
    result = subprocess.run(
        [sys.executable, "main.py", "sync", "inspect", str(junk)], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "同步包" in result.stderr and "package" in result.stderr and "Traceback" not in result.stderr
