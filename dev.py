#!/usr/bin/env python3
"""Set up and run Bangfu from a fresh checkout with only Python 3.11+.

    python3 dev.py demo     # create .venv, install, open the program on a throw-away demo database
    python3 dev.py test     # create .venv, install, run ruff, mypy and the whole test suite
    python3 dev.py bench    # the benchmarks (tests/bench), printing tables

The virtual environment lives in .venv; dependencies come from pyproject.toml and are reinstalled only
when it changes. The project itself is not installed: it runs from this folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
# Debian packages the tests use: CJK fonts for charts and screenshots, Qt's offscreen platform libraries,
# and the age tool that cross-checks sync packages.
# fonts-wqy-microhei: a TrueType CJK font the report's PDF can embed (Noto CJK is CFF, which ReportLab cannot);
# poppler-utils: the report tests read the PDF with pdftotext and draw its pages with pdftoppm.
DEBIAN_PACKAGES = ["fonts-noto-cjk", "fonts-wqy-microhei", "poppler-utils", "libegl1", "libgl1", "libxkbcommon0",
                   "libfontconfig1", "libdbus-1-3", "age"]  # fmt: skip


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    py = venv_python()
    if not py.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    stamp = VENV / ".bangfu-deps"
    digest = hashlib.sha256(pyproject).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        meta = tomllib.loads(pyproject.decode())["project"]
        deps = meta["dependencies"] + meta["optional-dependencies"]["dev"]
        print("installing dependencies …", flush=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", *deps], check=True)
        stamp.write_text(digest)
    return py


def ensure_debian_packages() -> None:
    """Install missing Debian packages when we may (root with apt-get); otherwise say what is missing."""
    if not shutil.which("dpkg-query"):
        return
    missing = [
        p
        for p in DEBIAN_PACKAGES
        if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True).stdout
        != "install ok installed"
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing Debian packages: {' '.join(missing)} …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, env=env, stdout=subprocess.DEVNULL)
    else:
        print(f"note: some tests skip without these Debian packages: {' '.join(missing)}", file=sys.stderr)


def run(py: Path, *args: str) -> int:
    print("$", " ".join(["python", *args]), flush=True)
    return subprocess.run([py, *args], cwd=ROOT).returncode


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "help"
    extra = sys.argv[2:]
    if what == "demo":
        py = ensure_venv()
        return run(py, "main.py", "--demo", *extra)
    if what == "test":
        py = ensure_venv()
        ensure_debian_packages()
        for step in (["-m", "ruff", "check", "."], ["-m", "ruff", "format", "--check", "."], ["-m", "mypy"]):
            if run(py, *step) != 0:
                return 1
        args = ["-m", "pytest", *extra]
        return run(py, *args)
    if what == "bench":
        py = ensure_venv()
        return run(py, "tests/bench/run.py", *extra)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
