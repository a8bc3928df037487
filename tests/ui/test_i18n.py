"""Chinese is the source; English comes from the compiled .qm; Qt's own dialogs are translated too."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from ui import i18n


def test_english_and_qt_base_translations_load(qapp: Any) -> None:
    try:
        assert i18n.install(qapp, "en") == "en"
        assert QCoreApplication.translate("pages", "工作台") == "Dashboard"
        assert QCoreApplication.translate("columns", "户主姓名") == "Head of household"
        assert i18n.install(qapp, "zh") == "zh"
        assert QCoreApplication.translate("pages", "工作台") == "工作台"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        i18n.install(qapp, "zh")


def test_every_visible_string_has_an_english_translation() -> None:
    from xml.etree import ElementTree as ET

    from app.paths import resources_dir

    root = ET.parse(resources_dir() / "i18n" / "bangfu_en.ts").getroot()
    unfinished = [m.findtext("source") for m in root.iter("message") if m.find("translation").get("type")]
    assert unfinished == []
