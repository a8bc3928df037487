#!/usr/bin/env python3
"""Set up and run Bangfu from a fresh checkout with only Python 3.11+.

    python3 dev.py demo     # create .venv, install, open the program on a throw-away demo database
    python3 dev.py test     # create .venv, install, run ruff, mypy and the whole test suite
    python3 dev.py bench    # the benchmarks (tests/bench), printing tables
    python3 dev.py run …    # main.py with the .venv's Python, e.g.  python3 dev.py run stats --db x.db

The virtual environment lives in .venv; every package comes from uv.lock (hash-pinned, Linux and Windows
resolved; the same lock feeds CI and both bundles) and is reinstalled only when the lock changes. The
project itself is not installed: it runs from this folder.
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
# the age tool that cross-checks sync packages, and makensis that compiles the Windows installer.
# fonts-wqy-microhei: a TrueType CJK font the report's PDF can embed (Noto CJK is CFF, which ReportLab cannot);
# poppler-utils: the report tests read the PDF with pdftotext and draw its pages with pdftoppm.
DEBIAN_PACKAGES = [
    "fonts-noto-cjk",
    "fonts-wqy-microhei",
    "poppler-utils",
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "age",
    "nsis",
]
# What Qt's xcb platform needs on top to open a window on an X11 desktop (Qt 6.5+ refuses to start without
# libxcb-cursor0), for `demo` and `run`.
DEBIAN_DISPLAY_PACKAGES = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
    "libxcb-randr0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0",
]  # fmt: skip


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def lock_requirement(name: str) -> str:
    """``name==version --hash=…`` for every file of ``name`` in uv.lock, to install uv itself hash-checked."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    package = next(p for p in lock["package"] if p["name"] == name)
    files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
    return " ".join([f"{name}=={package['version']}", *(f"--hash={f['hash']}" for f in files)])


def ensure_venv() -> Path:
    py = venv_python()
    if not py.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = (ROOT / "uv.lock").read_bytes()
    stamp = VENV / ".bangfu-deps"
    digest = hashlib.sha256(lock + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        print("installing dependencies from uv.lock …", flush=True)
        pip: list[str | Path] = [
            py,
            "-m",
            "pip",
            "install",
            "-q",
            "--disable-pip-version-check",
            "--require-hashes",
            "--no-deps",
        ]
        uv_req = VENV / "requirements-uv.txt"
        uv_req.write_text(lock_requirement("uv") + "\n")
        subprocess.run([*pip, "-r", uv_req], check=True)
        requirements = VENV / "requirements.txt"
        export = ["export", "--frozen", "--extra", "dev", "--extra", "build", "--no-emit-project", "-q"]
        subprocess.run([py, "-m", "uv", *export, "-o", requirements], cwd=ROOT, check=True)
        subprocess.run([*pip, "-r", requirements], check=True)
        stamp.write_text(digest)
    return py


def ensure_debian_packages(packages: list[str]) -> None:
    """Install missing Debian packages when we may (root with apt-get) and stop with a clear message when that
    fails; otherwise say what is missing (tests needing them skip, the demo cannot open a window)."""
    if not shutil.which("dpkg-query"):
        return
    missing = [
        p
        for p in packages
        if subprocess.run(["dpkg-query", "-W", "-f=${Status}", p], capture_output=True, text=True).stdout
        != "install ok installed"
    ]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing Debian packages: {' '.join(missing)} …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)  # a stale mirror list is not fatal
        done = subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing], check=False, env=env, stdout=subprocess.DEVNULL
        )
        if done.returncode != 0:
            raise SystemExit(
                f"安装 Debian 软件包失败 / apt-get install failed (exit {done.returncode}): {' '.join(missing)}\n"
                f"  run as root: apt-get update && apt-get install {' '.join(missing)}"
            )
    else:
        print(f"note: missing Debian packages (run as root: apt-get install {' '.join(missing)})", file=sys.stderr)


def parallel_options(extra: list[str]) -> list[str]:
    """pytest-xdist options for the whole suite: one worker per CPU core this process may use, unless the
    caller chose (``-n 0`` runs in one process, e.g. to debug; ``-p no:xdist`` turns the plugin off).

    ``loadfile`` hands each test file whole to the next free worker, so a module-scoped fixture (the demo ledgers
    of test_cli_ledger, test_demo, test_atomic_outputs: seconds each) is built once, not once per worker.
    (``loadgroup`` with ``xdist_group`` marks would be finer, but pytest-xdist 3.8 under pytest 9.2 ignores the
    marks silently: pytest-xdist issue 1386.) ``--no-loadscope-reorder`` keeps the files in the order the workers
    collected them, slow files first (tests/conftest.py), instead of the files with most tests first, which
    would leave the one-test minute-long files (the benchmark run, a month of sync) for the very end."""
    if any(a.startswith(("-n", "--numprocesses")) or a.endswith("no:xdist") for a in extra):
        return []
    return ["-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder"]


def run(py: Path, *args: str) -> int:
    print("$", " ".join(["python", *args]), flush=True)
    return subprocess.run([py, *args], cwd=ROOT).returncode


def main() -> int:
    what = sys.argv[1] if len(sys.argv) > 1 else "help"
    extra = sys.argv[2:]
    if what in ("demo", "run"):
        py = ensure_venv()
        ensure_debian_packages(DEBIAN_PACKAGES + DEBIAN_DISPLAY_PACKAGES)
        return run(py, "main.py", *(["--demo"] if what == "demo" else []), *extra)
    if what == "test":
        py = ensure_venv()
        ensure_debian_packages(DEBIAN_PACKAGES)
        for step in (["-m", "ruff", "check", "."], ["-m", "ruff", "format", "--check", "."], ["-m", "mypy"]):
            if run(py, *step) != 0:
                return 1
        return run(py, "-m", "pytest", *parallel_options(extra), *extra)
    if what == "bench":
        py = ensure_venv()
        return run(py, "tests/bench/run.py", *extra)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
