"""Residents' pages: Finnish by default, other languages on request, posting
without JavaScript, clear errors and nothing typed lost."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.server.conftest import csrf_of


def test_front_page_lists_sessions_in_finnish(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation(title="Tulevaisuuden kotihoito")
    r = app_client.get("/")
    assert r.status_code == 200
    assert '<html lang="fi">' in r.text
    assert "Osallistu" in r.text
    assert f'href="/s/{d.slug}"' in r.text


def test_session_page_gives_a_pseudonym_that_stays(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    first = app_client.get(f"/s/{d.slug}")
    assert 'class="pseudonym"' not in first.text and 'id="take-part"' in first.text
    app_client.post(f"/s/{d.slug}/join", data={"csrf": csrf_of(first.text)})
    joined = app_client.get(f"/s/{d.slug}")
    name = re.search(r'class="pseudonym">([^<]+)<', joined.text)
    assert name and re.fullmatch(r"\w+ \w+ \d{1,2}", name.group(1))
    assert 'id="take-part"' not in joined.text
    again = app_client.get(f"/s/{d.slug}")
    assert f'class="pseudonym">{name.group(1)}<' in again.text
    cookie = first.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_other_languages_and_the_choice_is_remembered(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    sv = app_client.get(f"/s/{d.slug}?lang=sv")
    assert '<html lang="sv">' in sv.text and "Din idé" in sv.text
    assert '<html lang="sv">' in app_client.get("/").text
    en = app_client.get("/?lang=en")
    assert "Take part" in en.text


def test_posting_without_javascript(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = app_client.post(f"/s/{d.slug}/posts", data={
        "csrf": csrf_of(page.text), "question_id": qid,
        "body": "Iltaisin enemmän hoitajia.\nJa sama hoitaja joka kerta."})
    assert r.status_code == 200
    assert "Viestisi julkaistiin." in r.text
    assert "Iltaisin enemmän hoitajia.<br>\nJa sama hoitaja joka kerta." in r.text


def test_empty_post_gets_a_finnish_error(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = app_client.post(f"/s/{d.slug}/posts",
                        data={"csrf": csrf_of(page.text), "question_id": qid, "body": "   "})
    assert "Viestisi on tyhjä." in r.text


def test_too_long_post_is_refused_and_the_text_kept(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    text = "Kotihoidon kehittäminen " * 100
    r = app_client.post(f"/s/{d.slug}/posts",
                        data={"csrf": csrf_of(page.text), "question_id": qid, "body": text})
    assert "Viestisi on liian pitkä" in r.text
    assert text.strip() in r.text  # back in the textarea


def test_form_without_csrf_token_is_refused(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = app_client.post(f"/s/{d.slug}/posts", data={"question_id": qid, "body": "Hei"})
    assert "Lomake ehti vanhentua" in r.text
    assert "Hei</div>" not in r.text


def test_closed_session_is_read_only(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation(closed=True)
    r = app_client.get(f"/s/{d.slug}")
    assert r.status_code == 200
    assert "Päättynyt – voit yhä lukea keskustelun." in r.text
    assert 'class="post-form"' not in r.text


def test_unknown_pages_get_a_finnish_404(app_client: TestClient) -> None:
    r = app_client.get("/s/ei-ole-olemassa")
    assert r.status_code == 404
    assert "Keskustelua ei löytynyt." in r.text
    assert app_client.get("/ei/mitaan").status_code == 404


def test_support_without_javascript(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    author = app_client
    page = author.get(f"/s/{d.slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    author.post(f"/s/{d.slug}/posts", data={"csrf": csrf_of(page.text), "question_id": qid,
                                            "body": "Omaishoitajille lomia"})
    other = TestClient(author.app)
    page2 = other.get(f"/s/{d.slug}")
    post_id = re.search(r'id="post-(\d+)"', page2.text).group(1)  # type: ignore[union-attr]
    r = other.post(f"/s/{d.slug}/posts/{post_id}/support", data={"csrf": csrf_of(page2.text)})
    assert "1 kannatus" in r.text
    assert 'aria-pressed="true"' in r.text
