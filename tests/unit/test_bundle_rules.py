"""The rules of what goes into the frozen bundle (build/bundle_rules.py), without running PyInstaller."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))

import bundle_rules as rules  # noqa: E402

from app import __version__  # noqa: E402


@pytest.mark.parametrize(
    ("version", "expected"),
    [("0.1.0", (0, 1, 0, 0)), ("1.2.3rc1", (1, 2, 3, 0)), ("2", (2, 0, 0, 0)), ("1.2.3.4.5", (1, 2, 3, 4))],
)
def test_version_tuple_gives_windows_four_numbers(version: str, expected: tuple[int, ...]) -> None:
    assert rules.version_tuple(version) == expected


def test_version_strings_come_from_the_package_version() -> None:
    strings = rules.version_strings(__version__)
    assert strings["ProductVersion"] == __version__
    assert strings["FileVersion"] == ".".join(map(str, rules.version_tuple(__version__)))
    assert strings["ProductName"].startswith("帮扶通")


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6\\plugins\\platforms\\qwindows.dll",
        "PySide6/plugins/platforms/qoffscreen.dll",
        "PySide6/plugins/imageformats/qsvg.dll",
        "PySide6/Qt/plugins/imageformats/libqico.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "PySide6/translations/qtbase_en.qm",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt6Widgets.dll",
        "numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so",
        "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
        "pillow.libs/libharfbuzz-fb49c9fc.so.0.61450.0",
        "libfreetype.so.6",
        "libglib-2.0.so.0",
        "libX11.so.6",
    ],
)
def test_kept_files(dest: str) -> None:
    assert rules.keep_qt_file(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/plugins/platforms/qdirect2d.dll",
        "PySide6/plugins/imageformats/qtiff.dll",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms-integration.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6/translations/qt_help_ja.qm",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt6Qml.dll",
        "libQt6Pdf.so.6",
        "PySide6/opengl32sw.dll",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "libgtk-3.so.0",
        "libharfbuzz.so.0",
        "libXi.so.6",
    ],
)
def test_dropped_files(dest: str) -> None:
    assert not rules.keep_qt_file(dest)


def test_filter_toc_keeps_entries_whole() -> None:
    toc = [("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY"), ("libQt6Quick.so.6", "/y", "SYMLINK")]
    assert rules.filter_toc(toc) == toc[:1]


def test_what_matplotlib_needs_is_not_excluded() -> None:
    assert "unittest" not in rules.EXCLUDES
    assert not any("QtSvg" in name for name in rules.EXCLUDES)


def test_migrations_are_data_not_hidden_imports() -> None:
    assert rules.is_app_module("app.storage.database")
    assert not rules.is_app_module("app.storage.migrations.versions.0001_initial_schema")


def test_a_library_a_wheel_vendors_in_its_libs_folder_is_bundled_once() -> None:
    # What PyInstaller collected from numpy and pandas' Windows wheels (build-work/windows/dist, 2026-11-30):
    # OpenBLAS in numpy.libs and again at the top level (20 MB twice); msvcp140 in both .libs folders and at the top.
    openblas = "libscipy_openblas64_-63c857e738469261263c764a36be9436.dll"
    msvcp = "msvcp140-a4c2229bdc2a2a630acdc095b4d86008.dll"
    toc = [
        (openblas, f"C:\\site\\numpy.libs\\{openblas}", "BINARY"),
        (f"numpy.libs\\{openblas}", f"C:\\site\\numpy.libs\\{openblas}", "BINARY"),
        (msvcp, f"C:\\site\\numpy.libs\\{msvcp}", "BINARY"),
        (f"numpy.libs\\{msvcp}", f"C:\\site\\numpy.libs\\{msvcp}", "BINARY"),
        (f"pandas.libs/{msvcp}", f"C:\\site\\pandas.libs\\{msvcp}", "BINARY"),
        ("python311.dll", "C:\\py\\python311.dll", "BINARY"),
        ("Qt6Core.dll", "C:\\site\\PySide6\\Qt6Core.dll", "BINARY"),
    ]
    kept = [dest for dest, _, _ in rules.drop_vendored_duplicates(toc)]
    # Each package keeps its own .libs folder (it adds that folder to the DLL search path itself).
    assert kept == [
        f"numpy.libs\\{openblas}",
        f"numpy.libs\\{msvcp}",
        f"pandas.libs/{msvcp}",
        "python311.dll",
        "Qt6Core.dll",
    ]
