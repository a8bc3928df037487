#!/usr/bin/env python3
"""Estimate the Windows installer's size on a machine without Windows — an ESTIMATE, not a measurement.

    .venv/bin/python build/estimate_windows_installer.py [--wheels DIR]

Downloads (pip, the ordinary client) the win_amd64 wheels of the runtime dependencies in pyproject.toml, lays
out what PyInstaller would take from them — the Qt modules the Linux bundle links (Core, Gui, Widgets, Svg,
Network, OpenGL), filtered by the same bundle_rules.py, without tests, headers, type stubs and Qt's tools —
adds a typical Windows Python runtime, and applies the compression ratio the Linux bundle reached in its .deb
(xz, the algorithm of Inno Setup's lzma2/max; dist/build-report.json) — or, with ``--compress``, compresses
the payload itself (slow: minutes). The real figure comes from the Windows workflow (its log prints it).
"""

from __future__ import annotations

import argparse
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
sys.path.insert(0, str(BUILD))

import bundle_rules as rules  # noqa: E402

# Qt libraries the Linux bundle links, and the PySide6 modules it imports.
QT_MODULES = ("Core", "Gui", "Widgets", "Svg", "Network", "OpenGL", "DBus")
PYSIDE_MODULES = ("Core", "Gui", "Widgets", "Network", "DBus")
# Parts of the PySide6 wheel for developers and for QML, never collected for a widgets program.
PYSIDE_DEV_FOLDERS = ("qml", "resources", "metatypes", "typesystems", "glue", "scripts", "doc", "include")
SKIPPED_PARTS = ("/tests/", "/testing/", "/include/", ".dist-info/", "/__pycache__/")
SKIPPED_SUFFIXES = (".pyi", ".h", ".hpp", ".exe", ".lib", ".c", ".pxd", ".pyx")
# Python itself on Windows (python311.dll, the standard library's .pyd files and base_library.zip): the Linux
# bundle's libpython carries debug symbols, so a typical Windows figure is used instead.
PYTHON_RUNTIME_BYTES = 14 * 2**20


def runtime_requirements() -> list[str]:
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    # odfpy is published as source only (pure Python, ~0.2 MB): left out of the binary download.
    return [req for req in meta["dependencies"] if not req.lower().startswith("odfpy")]


def download(folder: Path) -> None:
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--only-binary=:all:"]
    cmd += ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp", "-d", str(folder)]
    subprocess.run([*cmd, *runtime_requirements()], check=True)


def wanted(name: str) -> bool:
    slashed = "/" + name
    if name.endswith("/") or any(part in slashed for part in SKIPPED_PARTS) or name.endswith(SKIPPED_SUFFIXES):
        return False
    parts = name.split("/")
    base = parts[-1]
    if parts[0] == "PySide6":
        if len(parts) > 2 and parts[1] in PYSIDE_DEV_FOLDERS:
            return False
        if base.startswith("Qt6") and base.endswith(".dll"):
            return base.split(".")[0].removeprefix("Qt6") in QT_MODULES
        if base.startswith("Qt") and base.endswith(".pyd"):
            return base.split(".")[0].removeprefix("Qt") in PYSIDE_MODULES
    return rules.keep_qt_file(name)


def payload(wheels: Path) -> tuple[int, bytes]:
    """The files PyInstaller would collect, as an uncompressed tar (and their total size)."""
    buffer = io.BytesIO()
    total = 0
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for wheel in sorted(wheels.glob("*.whl")):
            with zipfile.ZipFile(wheel) as zf:
                for info in zf.infolist():
                    if not wanted(info.filename):
                        continue
                    data = zf.read(info)
                    total += len(data)
                    entry = tarfile.TarInfo(info.filename)
                    entry.size = len(data)
                    tar.addfile(entry, io.BytesIO(data))
    return total, buffer.getvalue()


def linux_ratio() -> float:
    """Compressed / unpacked size of the Linux bundle, from the last build's report."""
    report_file = ROOT / "dist" / "build-report.json"
    if report_file.exists():
        report = json.loads(report_file.read_text(encoding="utf-8"))
        packed = report.get("deb", {}).get("bytes") or report.get("tar_xz_bytes")
        if packed and report.get("bundle_bytes"):
            return float(packed) / float(report["bundle_bytes"])
    return 0.33


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheels", type=Path, help="a folder that already holds the win_amd64 wheels")
    parser.add_argument("--compress", action="store_true", help="compress the payload instead of using the ratio")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels or Path(tmp)
        if not args.wheels:
            download(wheels)
        total, tar = payload(wheels)
    ratio = len(lzma.compress(tar, preset=9)) / len(tar) if args.compress else linux_ratio()
    total += PYTHON_RUNTIME_BYTES
    packed = int(total * ratio)
    setup_overhead = 2 * 2**20  # Inno Setup's setup loader and uninstaller
    print(f"ESTIMATE  Windows onedir bundle ≈ {total / 2**20:.0f} MiB unpacked, compression ratio {ratio:.2f}")
    print(f"ESTIMATE  Windows installer     ≈ {(packed + setup_overhead) / 2**20:.0f} MiB (LZMA2, like lzma2/max)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
