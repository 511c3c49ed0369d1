"""Languages: Finnish first, Swedish and English. Catalogs are gettext .po files
under web/locale/<lang>/, one per area (messages.po, moderation.po, themes.po…),
read and merged at start-up (no build step)."""

from __future__ import annotations

import contextvars
import io
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"
LANGUAGE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"

current_language: contextvars.ContextVar[str] = contextvars.ContextVar(
    "current_language", default=DEFAULT_LANGUAGE
)


def _compile(path: Path, lang: str) -> GNUTranslations:
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return GNUTranslations(buf)


def load_catalog(lang: str, locale_dir: Path = LOCALE_DIR) -> NullTranslations:
    """All of a language's .po files, merged (an msgid missing in one is looked up
    in the next)."""
    paths = sorted((locale_dir / lang).glob("*.po"))
    if not paths:
        return NullTranslations()
    first = _compile(paths[0], lang)
    for path in paths[1:]:
        first.add_fallback(_compile(path, lang))
    return first


class Translator:
    """gettext for the language of the request being served."""

    def __init__(self, locale_dir: Path = LOCALE_DIR) -> None:
        self.catalogs = {lang: load_catalog(lang, locale_dir) for lang in LANGUAGES}

    def gettext(self, message: str) -> str:
        return self.catalogs[current_language.get()].gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogs[current_language.get()].ngettext(singular, plural, n)

    def in_language(self, lang: str, message: str) -> str:
        return self.catalogs[lang if lang in LANGUAGES else DEFAULT_LANGUAGE].gettext(message)


def pick_language(query_lang: str | None, cookie_lang: str | None) -> str:
    for candidate in (query_lang, cookie_lang):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE
