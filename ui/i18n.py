"""Translations: Chinese is the source text of every visible string; English comes from
``resources/i18n/bangfu_en.qm`` (compiled from ``bangfu_en.ts`` by ``pyside6-lrelease``), and Qt's own
``qtbase_*.qm`` is loaded so standard dialogs and buttons speak the same language.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import resources_dir

_installed: list[QTranslator] = []
_language = ["zh"]


def i18n_dir() -> str:
    return str(resources_dir() / "i18n")


def install(app: QCoreApplication, language: str = "zh") -> str:
    """Install translators for ``language`` ("zh" or "en"); returns the language in effect."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    lang = "en" if language.startswith("en") else "zh"
    _language[0] = lang
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_base = QTranslator(app)
    if qt_base.load("qtbase_" + ("en" if lang == "en" else "zh_CN"), qt_dir):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    if lang == "en":
        ours = QTranslator(app)
        if ours.load("bangfu_en", i18n_dir()):
            app.installTranslator(ours)
            _installed.append(ours)
    QLocale.setDefault(
        QLocale(
            QLocale.Language.English if lang == "en" else QLocale.Language.Chinese,
            QLocale.Country.UnitedStates if lang == "en" else QLocale.Country.China,
        )
    )
    return lang


def current() -> str:
    """ "zh" or "en": the language of labels that come from ``app`` (vocabularies carry both)."""
    return _language[0]


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for translation in ``context`` and return it unchanged (translated later, on display).
    Qt's own returns the same, but the binding's stub types it ``object``, which hid every label's type."""
    return text
