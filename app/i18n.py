"""The interface's language: English (the source texts) or Simplified Chinese.

Chosen once at start-up, before any widget is built: ``--lang`` (remembered) > the
remembered setting ("lang", shared by the interface and the lessons) > the system
locale (zh* → zh_CN, else en). Chinese installs two QTranslators: ours
(app/translations/rnnscope_zh_CN.qm, compiled from resources/translations/*.ts by
``make translations``) and Qt's own qtbase_zh_CN.qm for standard dialogs and buttons.
Switching later (View › Language) installs the other set; Qt then sends every widget a
LanguageChange event and the window re-translates what it can (app/window/chrome.py).
GUI thread only.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

#: translate("Context", "literal") — the name pyside6-lupdate looks for; translate first, then .format()
translate = QCoreApplication.translate

LANGS = ("en", "zh_CN")
#: the one remembered setting; lessons used "lessons/lang" before, read once as a fallback
KEY, OLD_KEY = "lang", "lessons/lang"
QM_DIR = Path(__file__).resolve().parent / "translations"
NAMES = {"en": "English", "zh_CN": "中文"}

_installed: list[QTranslator] = []
_current = "en"


def system_lang(locale: QLocale | None = None) -> str:
    """zh_CN for any Chinese system locale, else en."""
    name = (locale or QLocale.system()).name()
    return "zh_CN" if name.lower().startswith("zh") else "en"


def choose(settings: QSettings, flag: str | None = None) -> str:
    """``flag`` if given (and remembered), else the remembered language, else the system's."""
    if flag in LANGS:
        settings.setValue(KEY, flag)
        return flag
    for key in (KEY, OLD_KEY):
        saved = settings.value(key, "", type=str)
        if saved in LANGS:
            return saved
    return system_lang()


def remember(settings: QSettings, lang: str) -> None:
    if lang in LANGS:
        settings.setValue(KEY, lang)


def current() -> str:
    """The language installed now (en when none was)."""
    return _current


def install(lang: str, app: QCoreApplication | None = None) -> bool:
    """Make ``lang`` the interface's language (replacing the previous one). → whether our
    translation loaded (always True for English, whose texts are the sources)."""
    global _current
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    if lang not in LANGS or lang == "en":
        _current = "en"
        return True
    ours = QTranslator(app)
    if not ours.load(str(QM_DIR / f"rnnscope_{lang}.qm")):
        _current = "en"
        return False
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    _current = lang
    return True
