"""What goes into the frozen bundle: version resource, hidden imports, and which Qt files are kept.

Pure functions used by ``bangfu.spec`` (and unit-tested without running PyInstaller). The rules name what is
dropped, so a Qt module or plugin nobody thought about still arrives in the bundle — a bundle a little too big
is a smaller problem than a program that cannot show a picture on an officer's PC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

EXE_NAME = "bangfu"  # the windowed program (on Linux it also has a console)
CLI_NAME = "bangfu-cli"  # the console twin for scripts on Windows, same _internal folder
BUNDLE_NAME = "bangfu"
COMPANY = "丽水市帮扶通项目组 Lishui Bangfu project"
DESCRIPTION = "帮扶通 Bangfu — 结对帮扶台账 paired-assistance ledger"

# Python packages never needed at run time (dev tools, other Qt bindings, GUI toolkits we do not use).
# Not excluded: unittest and PySide6.QtSvg (matplotlib's Qt backend and SVG icons need them).
EXCLUDES = [
    "tkinter",
    "_tkinter",
    "PyQt5",
    "PyQt6",
    "PySide2",
    "IPython",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "mypy",
    "ruff",
    "PyInstaller",
    "pip",
    "numpy.f2py",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.Qt3DCore",
    "PySide6.QtMultimedia",
    "PySide6.QtPdf",
    "PySide6.QtDesigner",
]

# Qt plugin folders whose plugins serve features the program does not use.
DROPPED_PLUGIN_DIRS = {
    "egldeviceintegrations",  # the eglfs platform (embedded boards)
    "generic",  # TUIO touch input
    "qmltooling",
    "designer",
    "multimedia",
    "position",
    "sceneparsers",
    "renderers",
    "geometryloaders",
    "renderplugins",
    "webview",
    "virtualkeyboard",
}
# Kept plugins of folders that are only partly useful (names without "lib"/"q" prefix and suffix).
KEPT_PLUGINS = {
    "imageformats": {"svg", "ico", "jpeg", "gif"},  # PNG is built into QtGui
    "platforms": {"xcb", "wayland", "wayland-egl", "offscreen", "minimal", "windows", "cocoa"},
}
# Dropped wherever they sit: the virtual keyboard input context pulls in QtQuick and QML (the compose and ibus
# input contexts stay: Chinese input methods on Linux); the GTK3 platform theme would bring the build machine's
# whole GTK stack into the bundle, where it clashes with the target's (the xdg portal theme stays for dialogs).
DROPPED_PLUGIN_NAME_PARTS = ("virtualkeyboard", "qgtk3")
# Windows: Mesa's software OpenGL (20 MB), a fallback for Qt Quick and OpenGL widgets; widgets and matplotlib's
# Agg canvas paint without OpenGL.
DROPPED_FILES = {"opengl32sw.dll"}
# Qt libraries that only the dropped plugins above link to (checked by build.py: no kept file needs them).
DROPPED_QT_LIBRARIES = ("Qt6Quick", "Qt6Qml", "Qt6VirtualKeyboard", "Qt6Pdf", "Qt6EglFs", "Qt6EglFSDeviceIntegration")
# The GTK stack that only the dropped GTK3 theme links to (checked by build.py: no kept file needs them); these
# sit at the top of _internal, where PyInstaller puts libraries it copies from the build machine.
GTK_STACK_PREFIXES = (
    "libgtk-3.",
    "libgdk-3.",
    "libgdk_pixbuf-2.0.",
    "libatk-1.0.",
    "libatk-bridge-2.0.",
    "libatspi.",
    "libcairo.",
    "libcairo-gobject.",
    "libpango-1.0.",
    "libpangocairo-1.0.",
    "libpangoft2-1.0.",
    "libharfbuzz.so",
    "libthai.",
    "libdatrie.",
    "libfribidi.",
    "libpixman-1.",
    "libepoxy.",
    "libXcomposite.",
    "libXcursor.",
    "libXdamage.",
    "libXfixes.",
    "libXi.",
    "libXinerama.",
    "libXrandr.",
)
KEPT_TRANSLATION_SUFFIXES = ("_zh_CN.qm", "_en.qm")


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """``"1.2.3"`` or ``"1.2.3rc1"`` → ``(1, 2, 3, 0)``: the four numbers Windows wants."""
    numbers = [int(m.group()) for m in (re.match(r"\d+", part) for part in version.split(".")[:4]) if m]
    padded = [*numbers, 0, 0, 0, 0]
    return padded[0], padded[1], padded[2], padded[3]


def _plugin_stem(name: str) -> str:
    stem = name.split(".")[0]
    stem = stem.removeprefix("lib")
    return stem.removeprefix("q")


def keep_qt_file(dest: str) -> bool:
    """False for a Qt plugin or translation the program does not need, or a library only such a plugin needs;
    ``dest`` is the path inside the bundle."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if parts[-1] in DROPPED_FILES or any(lib in parts[-1] for lib in DROPPED_QT_LIBRARIES):
        return False
    if len(parts) == 1 and parts[0].startswith(GTK_STACK_PREFIXES):
        return False
    if "translations" in parts and dest.endswith(".qm") and ("PySide6" in parts or "Qt" in parts):
        return dest.endswith(KEPT_TRANSLATION_SUFFIXES)
    if "plugins" not in parts or "PySide6" not in parts:
        return True
    index = parts.index("plugins")
    if len(parts) < index + 3:
        return True
    folder, name = parts[index + 1], parts[-1]
    if folder in DROPPED_PLUGIN_DIRS:
        return False
    stem = _plugin_stem(name)
    if folder in KEPT_PLUGINS:
        return stem in KEPT_PLUGINS[folder]
    return not any(part in name for part in DROPPED_PLUGIN_NAME_PARTS)


def filter_toc(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [entry for entry in toc if keep_qt_file(entry[0])]


def drop_vendored_duplicates(toc: Iterable[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Drop a top-level copy of a library that a wheel already vendors in its ``<package>.libs`` folder.

    delvewheel (Windows wheels: numpy's 20 MB OpenBLAS) gives vendored DLLs a hashed name and makes the package
    add its own ``.libs`` folder to the DLL search path at import. PyInstaller's dependency scan finds the same
    DLL again and also puts it beside the Python DLL, so the bundle carried OpenBLAS twice. The ``.libs`` copy
    is the one the package loads; the top-level one is dropped."""
    entries = list(toc)
    vendored = {
        parts[-1].lower()
        for dest, _, _ in entries
        if len(parts := PurePosixPath(dest.replace("\\", "/")).parts) == 2 and parts[0].endswith(".libs")
    }
    return [entry for entry in entries if "/" in entry[0].replace("\\", "/") or entry[0].lower() not in vendored]


def is_app_module(name: str) -> bool:
    """Hidden imports from ``app`` and ``ui``: all but Alembic's revision scripts (data files, read from disk)."""
    return ".migrations" not in name


def version_strings(version: str) -> dict[str, str]:
    """The string table of the Windows version resource (what Explorer shows under Properties → Details)."""
    dotted = ".".join(map(str, version_tuple(version)))
    return {
        "CompanyName": COMPANY,
        "FileDescription": DESCRIPTION,
        "FileVersion": dotted,
        "InternalName": EXE_NAME,
        "LegalCopyright": "© 丽水市帮扶通项目组",
        "OriginalFilename": f"{EXE_NAME}.exe",
        "ProductName": "帮扶通 Bangfu",
        "ProductVersion": version,
    }


def version_resource(version: str) -> Any:
    """The Windows VERSIONINFO of both executables, filled from ``app.__version__`` (Windows builds only:
    PyInstaller's version-info module needs ``pefile``, which it installs on Windows alone)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = version_tuple(version)
    strings = [vi.StringStruct(key, value) for key, value in version_strings(version).items()]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            # 0804 = Simplified Chinese, 04B0 = UTF-16: the language Windows shows in file properties.
            vi.StringFileInfo([vi.StringTable("080404B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0804, 1200])]),
        ],
    )
