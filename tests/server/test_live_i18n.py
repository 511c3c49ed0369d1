"""The words the live scripts read from their page (one shared partial,
web/templates/_live_i18n.html, with each page's own words): every word a
script asks for is on its page, in the page's language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from server import db
from server.settings import Settings
from tests.deliberation.digiraati.factories import make_digiraati

JS = Path(__file__).resolve().parents[2] / "web" / "static" / "js"


def words_on(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="raati-i18n">(.*?)</script>', html, re.S)
    assert found, "the page has no words for its script"
    return json.loads(found[1])  # type: ignore[no-any-return]


def asked_by(script: str) -> set[str]:
    return set(re.findall(r"\bi18n\.(\w+)", (JS / script).read_text()))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_session_page_has_every_word_live_js_asks_for(
        app_client: TestClient, make_deliberation: Any, lang: str) -> None:
    d = make_deliberation()
    words = words_on(app_client.get(f"/s/{d.slug}?lang={lang}").text)
    assert asked_by("live.js") <= words.keys()
    assert words["new_idea"] == {"fi": "Uusi idea: %(author)s",
                                 "sv": "Ny idé från %(author)s",
                                 "en": "New idea from %(author)s"}[lang]


def test_a_digiraati_page_has_every_word_digiraati_js_asks_for(
        app_client: TestClient, settings: Settings) -> None:
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        d = make_digiraati(s, public_read=True)
        s.commit()
        slug = d.slug
    engine.dispose()
    words = words_on(app_client.get(f"/d/{slug}").text)
    assert asked_by("digiraati.js") <= words.keys()
    # Its own words win over the shared ones: in a digiraati, ideas are messages.
    assert words["new_idea"] == "Uusi viesti: %(author)s"
    assert words["phases"]["voting"] == "Äänestys"
