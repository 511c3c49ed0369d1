"""Every user-facing string in the code and templates has a Finnish and a
Swedish translation in the catalogs (web/locale/<lang>/*.po)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None,
            "raw_gettext": None, "raw_ngettext": (1, 2)}
METHODS = [("server/**.py", "python"), ("moderation/**.py", "python"),
           ("web/templates/**.html", "jinja2")]


def used_msgids() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS,
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def translations(lang: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted((ROOT / "web" / "locale" / lang).glob("*.po")):
        with path.open("rb") as f:
            for m in read_po(f, locale=lang):
                if m.id:
                    out[m.id[0] if isinstance(m.id, tuple) else m.id] = m.string
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_is_translated(lang: str) -> None:
    have = translations(lang)
    missing = sorted(m for m in used_msgids()
                     if not have.get(m) or (isinstance(have[m], tuple) and not all(have[m])))
    assert not missing, f"{lang}: no translation for {missing}"
