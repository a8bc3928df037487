#!/usr/bin/env python3
"""Build the frozen program and its Linux package, check them, and print the figures.

    .venv/bin/python build/build.py              # Linux: bundle, self-test, start-up time, .deb (+ its self-test)
    .venv/bin/python build/build.py --no-deb     # bundle and checks only (what the Windows workflow runs)

Steps: PyInstaller (build/bangfu.spec; work files in build-work/, output in dist/ — both git-ignored, so build/
keeps only sources) → structural checks of the bundle → the frozen program's ``--self-test`` (offscreen) →
``--startup-timing`` (process start → main window shown; median of several runs) → the bundle's size → on
Linux the oldest glibc the bundle runs on → the .deb (dpkg-deb, xz: its size is the compressed size of the
bundle, about what the Windows installer's LZMA2 reaches), whose unpacked copy runs the self-test again →
with ``--tar`` a portable .tar.xz as well. Figures go to stdout and to ``dist/build-report.json``. Exit code 0
only when every check passed. On this 2-core machine a whole run takes about 10 minutes, most of it xz.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
DIST = ROOT / "dist"
WORK = ROOT / "build-work"
sys.path[:0] = [str(ROOT), str(BUILD)]

import bundle_rules as rules  # noqa: E402

from app import __version__  # noqa: E402

IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
# Libraries the bundle expects from the system, by soname, when this build machine lacks them (dpkg -S cannot
# name their package). The Qt xcb platform plugin needs them; Debian, UOS and Kylin use these package names.
KNOWN_SYSTEM_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# Loaded with dlopen, so no ELF file names it: Qt 6.5+ refuses the xcb (X11) platform without libxcb-cursor.
DLOPENED_PACKAGES = ["libxcb-cursor0"]


class BuildFailed(Exception):
    pass


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(cmd: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    log("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], text=True, check=True, **kwargs)  # type: ignore[call-overload]


def program_env(data_dir: Path) -> dict[str, str]:
    """The frozen program runs offscreen, with its data folder (and matplotlib cache) inside build-work/."""
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "PYTHONPATH")}
    env.update(QT_QPA_PLATFORM="offscreen", BANGFU_DATA_DIR=str(data_dir))
    return env


# -- the bundle -------------------------------------------------------------------------------------------------


def build_bundle(clean: bool) -> Path:
    cmd: list[str | Path] = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    if clean:
        cmd.append("--clean")
    cmd += ["--workpath", WORK / "pyinstaller", "--distpath", DIST, BUILD / "bangfu.spec"]
    started = time.perf_counter()
    run(cmd, cwd=ROOT)
    log(f"PyInstaller took {time.perf_counter() - started:.0f}s")
    return DIST / rules.BUNDLE_NAME


def internal(bundle: Path) -> Path:
    return bundle / "_internal"


def check_bundle(bundle: Path) -> list[str]:
    """Structural checks: both programs, data files Alembic and the program read from disk, Qt trimmed right."""
    problems = []
    for name in (rules.EXE_NAME, rules.CLI_NAME):
        if not (bundle / f"{name}{EXE_SUFFIX}").is_file():
            problems.append(f"missing executable {name}")
    inside = internal(bundle)
    migrations = inside / "app" / "storage" / "migrations"
    needed = [migrations / "env.py", migrations / "script.py.mako", inside / "resources" / "regions" / "lishui.json"]
    needed += [inside / "resources" / "icons" / name for name in ("bangfu.png", "bangfu.ico")]
    problems += [f"missing data file {p.relative_to(inside)}" for p in needed if not p.is_file()]
    source_versions = {p.name for p in (ROOT / "app" / "storage" / "migrations" / "versions").glob("*.py")}
    bundled_versions = {p.name for p in (migrations / "versions").glob("*.py")}
    if source_versions != bundled_versions:
        problems.append(f"migrations differ: {sorted(source_versions ^ bundled_versions)}")
    for path in inside.rglob("*"):
        relative = path.relative_to(inside).as_posix()
        if not rules.keep_qt_file(relative):
            problems.append(f"a dropped Qt file is in the bundle: {relative}")
    return problems + missing_qt_libraries(bundle)


def elf_files(bundle: Path) -> list[Path]:
    result = []
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    result.append(path)
    return result


def needed_libraries(path: Path) -> list[str]:
    out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"^\s*NEEDED\s+(\S+)", out, re.MULTILINE)


def missing_qt_libraries(bundle: Path) -> list[str]:
    """No kept file links to a library the rules dropped (a Qt library, or the GTK stack of the GTK theme)."""
    if IS_WINDOWS or not shutil.which("objdump"):
        return []
    present = {p.name for p in bundle.rglob("*")}
    problems = []
    for path in elf_files(bundle):
        for lib in needed_libraries(path):
            if lib not in present and not rules.keep_qt_file(lib):
                problems.append(f"{path.name} needs {lib}, which the bundle rules drop")
    return problems


def run_self_test(exe: Path, label: str) -> dict[str, object]:
    result = WORK / f"self-test-{label}.json"
    result.unlink(missing_ok=True)
    data_dir = WORK / f"data-{label}"
    started = time.perf_counter()
    proc = subprocess.run(
        [str(exe), "--self-test", "--result", str(result)],
        env=program_env(data_dir),
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    print(proc.stdout, end="", flush=True)
    if not result.exists():
        raise BuildFailed(f"self-test of {label} wrote no result (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(result.read_text(encoding="utf-8"))
    report["exit_code"] = proc.returncode
    report["wall_seconds"] = round(seconds, 2)
    if proc.returncode != 0 or not report["ok"]:
        raise BuildFailed(f"self-test of {label} failed (exit {proc.returncode}); see {result}")
    return report


def source_modules(package: str) -> int:
    """Modules of ``package`` in the source tree, counted as files: importing ``ui`` here would need a
    QApplication (its charts switch matplotlib to QtAgg)."""
    files = (ROOT / package).rglob("*.py")
    return sum(1 for f in files if "migrations" not in f.parts and "__pycache__" not in f.parts)


def check_imports_match(report: dict[str, object]) -> list[str]:
    """The frozen program imports as many app/ui modules as the source tree has (hidden imports complete)."""
    checks = {c["name"]: c["detail"] for c in report["checks"]}  # type: ignore[attr-defined]
    problems = []
    for check, package in (("imports", "app"), ("ui-imports", "ui")):
        expected = f"{source_modules(package)} {package} modules"
        if not str(checks.get(check, "")).startswith(expected):
            problems.append(f"frozen {check}: {checks.get(check)!r}, the source tree has {expected}")
    return problems


TIMING_PASSWORD = "计时-Timing-123"


def timing_ledger(bundle: Path) -> Path:
    """A fresh encrypted ledger made by the frozen CLI, for the unlock the start-up timing goes through."""
    ledger = WORK / "timing" / "ledger.db"
    shutil.rmtree(ledger.parent, ignore_errors=True)
    ledger.parent.mkdir(parents=True)
    env = {**program_env(WORK / "data-timing"), "BANGFU_PASSWORD": TIMING_PASSWORD}
    cli = bundle / f"{rules.CLI_NAME}{EXE_SUFFIX}"
    run([cli, "init", "--db", ledger, "--code", "331122101", "--name", "壶镇镇"], env=env, capture_output=True)
    return ledger


def startup_timing(exe: Path, runs: int, gui_args: list[str]) -> dict[str, object]:
    """Process start → unlocked main window shown, several runs: the first warms caches (fonts), the median of
    the others is the figure. The password is typed into the unlock dialog by ``--startup-timing``."""
    env = {**program_env(WORK / "data-timing"), "BANGFU_PASSWORD": TIMING_PASSWORD}
    samples, walls = [], []
    for index in range(runs):
        result = WORK / f"startup-{index}.json"
        result.unlink(missing_ok=True)
        started = time.perf_counter()
        proc = subprocess.run(
            [str(exe), "--startup-timing", "--result", str(result), *gui_args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        walls.append(time.perf_counter() - started)
        if proc.returncode != 0 or not result.exists():
            raise BuildFailed(f"start-up timing run failed (exit {proc.returncode}): {proc.stderr[-2000:]}")
        data = json.loads(result.read_text(encoding="utf-8"))
        if data.get("process_to_window_s") is not None:
            samples.append(float(data["process_to_window_s"]))
    warm = samples[1:] or samples
    return {
        "gui_args": gui_args,
        "runs": runs,
        "first_run_s": round(samples[0], 2) if samples else None,
        "median_warm_s": round(statistics.median(warm), 2) if warm else None,
        "median_wall_to_exit_s": round(statistics.median(walls[1:] or walls), 2),
    }


# -- sizes and glibc ---------------------------------------------------------------------------------------------


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def compressed_archive(bundle: Path) -> Path | None:
    """The bundle as .tar.xz (a portable Linux download, and the compression an installer reaches)."""
    if IS_WINDOWS or not (shutil.which("tar") and shutil.which("xz")):
        return None
    target = DIST / f"bangfu-{__version__}-linux-{os.uname().machine}.tar.xz"
    env = {**os.environ, "XZ_OPT": "-6 -T0"}
    run(["tar", "-C", bundle.parent, "-cJf", target, bundle.name], env=env)
    return target


def glibc_floor(bundle: Path) -> tuple[str, str]:
    """The highest GLIBC_x.y symbol version any bundled ELF file needs, and one file that needs it."""
    best, best_file = (0, 0), ""
    for path in elf_files(bundle):
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            version = (int(major), int(minor))
            if version > best:
                best, best_file = version, path.relative_to(bundle).as_posix()
    return f"{best[0]}.{best[1]}", best_file


# -- the .deb ---------------------------------------------------------------------------------------------------


def system_packages(bundle: Path) -> tuple[list[str], list[str]]:
    """Debian packages of the libraries the bundle takes from the system (like dpkg-shlibdeps), and the
    sonames nobody could name a package for."""
    present = {p.name for p in bundle.rglob("*")}
    wanted = sorted({lib for path in elf_files(bundle) for lib in needed_libraries(path)} - present)
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    packages, unknown = set(), []
    for soname in wanted:
        if soname.startswith(("libc.so", "libm.so", "libpthread", "libdl.so", "librt.so", "ld-linux", "libutil")):
            continue  # libc6, versioned separately from the glibc floor
        match = re.search(rf"^\s*{re.escape(soname)} \(libc6,x86-64\) => (\S+)", cache, re.MULTILINE)
        package = None
        if match:
            for candidate in {match.group(1), os.path.realpath(match.group(1))}:
                for path in (candidate, candidate.replace("/usr/lib/", "/lib/", 1)):
                    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
                    if out.returncode == 0:
                        package = out.stdout.split(":")[0]
                        break
                if package:
                    break
        package = package or KNOWN_SYSTEM_PACKAGES.get(soname)
        if package:
            packages.add(package)
        else:
            unknown.append(soname)
    return sorted(packages), unknown


def deb_architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def build_deb(bundle: Path, glibc: str) -> tuple[Path, list[str]]:
    root = WORK / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    opt = root / "opt" / "bangfu"
    # Not the console twin: on Linux the one program has a console already, and each executable carries its
    # own copy of the compiled modules (~19 MB).
    shutil.copytree(bundle, opt, symlinks=True, ignore=lambda folder, names: [n for n in names if n == rules.CLI_NAME])
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "bangfu").symlink_to("/opt/bangfu/bangfu")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(BUILD / "linux" / "bangfu.desktop", apps / "bangfu.desktop")
    for size, source in ((256, "bangfu.png"), (512, "bangfu-512.png")):
        icons = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        icons.mkdir(parents=True)
        shutil.copy2(ROOT / "resources" / "icons" / source, icons / "bangfu.png")
    packages, unknown = system_packages(bundle)
    control = (
        (BUILD / "linux" / "control.in")
        .read_text(encoding="utf-8")
        .format(
            version=__version__,
            architecture=deb_architecture(),
            installed_kib=tree_size(root) // 1024,
            depends=", ".join([f"libc6 (>= {glibc})", *sorted(set(packages + DLOPENED_PACKAGES) - {"libc6"})]),
        )
    )
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control, encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    target = DIST / f"bangfu_{__version__}_{deb_architecture()}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, target])
    return target, unknown


def check_deb(deb: Path) -> dict[str, object]:
    """Unpack the package as dpkg would and run the self-test of the unpacked program."""
    with tempfile.TemporaryDirectory(prefix="bangfu-deb-") as tmp:
        run(["dpkg-deb", "-x", deb, tmp])
        for needed in ("opt/bangfu/bangfu", "usr/share/applications/bangfu.desktop", "usr/bin/bangfu"):
            if not os.path.lexists(Path(tmp) / needed):
                raise BuildFailed(f"the .deb lacks {needed}")
        if shutil.which("desktop-file-validate"):
            run(["desktop-file-validate", Path(tmp) / "usr/share/applications/bangfu.desktop"])
        return run_self_test(Path(tmp) / "opt" / "bangfu" / "bangfu", "deb")


# -- main -------------------------------------------------------------------------------------------------------


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-deb", action="store_true", help="skip the Linux package")
    parser.add_argument("--tar", action="store_true", help="also pack the bundle as .tar.xz (Linux, slow)")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--runs", type=int, default=4, help="start-up timing runs (first one warms caches)")
    parser.add_argument("--gui-args", default=None, help="GUI flags for the start-up timing (default: --db LEDGER)")
    args = parser.parse_args(argv)

    WORK.mkdir(exist_ok=True)
    report: dict[str, object] = {"version": __version__, "platform": sys.platform}
    try:
        bundle = build_bundle(args.clean)
        problems = check_bundle(bundle)
        exe = bundle / f"{rules.EXE_NAME}{EXE_SUFFIX}"
        version_out = subprocess.run(
            [str(bundle / f"{rules.CLI_NAME}{EXE_SUFFIX}"), "--version"], capture_output=True, text=True
        )
        report["version_output"] = (version_out.stdout + version_out.stderr).strip()
        if __version__ not in str(report["version_output"]):
            problems.append(f"--version printed {report['version_output']!r}")
        self_test = run_self_test(exe, "bundle")
        problems += check_imports_match(self_test)
        report["self_test"] = {c["name"]: f"{c['status']}: {c['detail']}" for c in self_test["checks"]}  # type: ignore[attr-defined]
        gui_args = args.gui_args.split() if args.gui_args else ["--db", str(timing_ledger(bundle))]
        report["startup"] = startup_timing(exe, args.runs, gui_args)
        report["bundle_bytes"] = tree_size(bundle)
        report["bundle_files"] = sum(1 for p in bundle.rglob("*") if p.is_file())
        archive = compressed_archive(bundle) if args.tar else None
        if archive:
            report["tar_xz_bytes"] = archive.stat().st_size
        if not IS_WINDOWS:
            if not shutil.which("objdump"):
                raise BuildFailed("objdump is missing (Debian: apt-get install binutils)")
            glibc, needs_it = glibc_floor(bundle)
            report["glibc_floor"] = {"version": glibc, "needed_by": needs_it}
            if not args.no_deb and shutil.which("dpkg-deb"):
                deb, unknown = build_deb(bundle, glibc)
                report["deb"] = {"file": deb.name, "bytes": deb.stat().st_size, "unmapped_libraries": unknown}
                report["deb_self_test_ok"] = check_deb(deb)["ok"]
        report["problems"] = problems
    except (BuildFailed, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        report["problems"] = [*report.get("problems", []), f"{type(exc).__name__}: {exc}"]  # type: ignore[misc]
    DIST.mkdir(exist_ok=True)
    (DIST / "build-report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print_summary(report)
    return 1 if report["problems"] else 0


def print_summary(report: dict[str, object]) -> None:
    print("\n==== 帮扶通 Bangfu build report ====")
    print(f"version            {report['version']}  ({report.get('version_output', '')})")
    if "bundle_bytes" in report:
        print(f"onedir bundle      {mib(report['bundle_bytes'])} in {report['bundle_files']} files")  # type: ignore[arg-type]
    if "tar_xz_bytes" in report:
        print(f"compressed .tar.xz {mib(report['tar_xz_bytes'])}")  # type: ignore[arg-type]
    startup = report.get("startup")
    if isinstance(startup, dict):
        print(
            f"start → window     {startup['median_warm_s']}s median of warm runs (first run {startup['first_run_s']}s, "
            f"wall to exit {startup['median_wall_to_exit_s']}s; GUI args {' '.join(startup['gui_args'])})"
        )
    for name, line in dict(report.get("self_test", {})).items():  # type: ignore[call-overload]
        print(f"self-test          {name:<16} {line}")
    if "glibc_floor" in report:
        floor = report["glibc_floor"]
        print(f"oldest glibc       {floor['version']} (needed by {floor['needed_by']})")  # type: ignore[index]
    if "deb" in report:
        deb = report["deb"]
        print(f".deb               {deb['file']} {mib(deb['bytes'])}, self-test ok={report.get('deb_self_test_ok')}")  # type: ignore[index]
        if deb["unmapped_libraries"]:  # type: ignore[index]
            print(f"                   system libraries with no known package: {deb['unmapped_libraries']}")  # type: ignore[index]
    problems = report.get("problems") or []
    for problem in problems:  # type: ignore[attr-defined]
        print(f"PROBLEM            {problem}")
    print("RESULT             " + ("失败 / FAILED" if problems else "通过 / all checks passed"))


if __name__ == "__main__":
    sys.exit(main())
