"""Counts are always rendered through plural forms ("1 viesti", "2 viestiä"),
never as one fixed sentence ("1 julkaistua viestiä")."""

from __future__ import annotations

import re

from babel.messages.extract import extract_from_dir

from tests.server.test_i18n import KEYWORDS, METHODS, ROOT, translations

# Placeholders that hold a count of things. Limits ("at most %(limit)s
# characters") and lengths are never 1, so a fixed plural reads right.
COUNT_PLACEHOLDERS = {"num", "n", "count", "posts", "themes", "ideas", "messages", "total"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)")


def _messages() -> list[tuple[str, int, str | tuple[str, ...]]]:
    return [(f, line, msg) for f, line, msg, _c, _x in extract_from_dir(
        str(ROOT), method_map=METHODS, keywords=KEYWORDS,
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n"}})]


def test_no_count_is_rendered_without_its_plural_form() -> None:
    fixed = [f"{f}:{line}: {msg}" for f, line, msg in _messages()
             if isinstance(msg, str) and COUNT_PLACEHOLDERS & set(_PLACEHOLDER.findall(msg))]
    assert not fixed, "use ngettext for these counts:\n" + "\n".join(fixed)


def test_every_plural_has_both_forms_in_finnish_and_swedish() -> None:
    for lang in ("fi", "sv"):
        have = translations(lang)
        plurals = {msg[0] for _f, _l, msg in _messages() if isinstance(msg, tuple)}
        broken = sorted(m for m in plurals
                        if not isinstance(have.get(m), tuple) or not all(have[m]))  # type: ignore[arg-type]
        assert not broken, f"{lang}: {broken}"
