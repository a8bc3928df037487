"""The installer and package sources say what the brief requires (they are compiled on Windows / by dpkg-deb)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "build" / "installer" / "bangfu.iss"
FALLBACK_ISL = ROOT / "build" / "installer" / "ChineseSimplified-fallback.isl"


def _section(name: str) -> list[str]:
    """The lines of one [Section] of bangfu.iss, comments left out."""
    text = ISS.read_text(encoding="utf-8-sig")
    section = text.split(f"[{name}]", 1)[1].split("\n[", 1)[0]
    return [line for line in section.splitlines() if line.strip() and not line.lstrip().startswith(";")]


def _setup_section() -> dict[str, str]:
    pairs = (line.split("=", 1) for line in _section("Setup") if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def test_inno_sources_are_utf8_with_bom() -> None:
    # Without the BOM Inno Setup reads the file in the ANSI code page and the Chinese text turns to garbage.
    for path in (ISS, FALLBACK_ISL):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf"), path.name


def test_per_user_install_with_all_users_option() -> None:
    setup = _setup_section()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "dialog" in setup["PrivilegesRequiredOverridesAllowed"]
    assert setup["DefaultDirName"].startswith("{autopf}")
    assert setup["MinVersion"] == "10.0.17763"  # Windows 10 1809
    assert re.fullmatch(r"\{\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}", setup["AppId"])


def test_upgrade_clears_old_libraries_and_uninstall_keeps_data() -> None:
    assert _section("InstallDelete") == ['Type: filesandordirs; Name: "{app}\\_internal"']
    uninstall_delete = "\n".join(_section("UninstallDelete"))
    assert "localappdata" not in uninstall_delete.lower() and "{userappdata}" not in uninstall_delete.lower()
    assert all("{app}" in line for line in _section("UninstallDelete"))


def test_chinese_is_the_first_installer_language() -> None:
    names = re.findall(r'^Name: "(\w+)"', "\n".join(_section("Languages")), re.MULTILINE)
    assert names[0] == "zh_CN" and "en" in names


def test_fallback_translation_keeps_placeholders() -> None:
    # A translated message must keep the %1 / [name] placeholders Inno fills in; losing one hides information.
    text = FALLBACK_ISL.read_text(encoding="utf-8-sig")
    messages = dict(line.split("=", 1) for line in text.split("[Messages]", 1)[1].splitlines() if "=" in line)
    for key in ("WelcomeLabel2", "SelectDirLabel3", "FinishedHeadingLabel", "InstallingLabel"):
        assert "[name" in messages[key], key
    for key in ("SetupWindowTitle", "ConfirmUninstall", "UninstalledAll", "WinVersionTooLowError"):
        assert "%1" in messages[key], key


def test_desktop_entry_matches_the_package_layout() -> None:
    entry = (ROOT / "build" / "linux" / "bangfu.desktop").read_text(encoding="utf-8")
    assert "\nExec=/opt/bangfu/bangfu" in entry
    assert "\nIcon=bangfu\n" in entry
    assert "\nName[zh_CN]=帮扶通\n" in entry
    assert (ROOT / "resources" / "icons" / "bangfu.png").is_file()
