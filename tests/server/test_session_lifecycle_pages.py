"""Facilitators' drafts, preview and publishing; language versions; warnings
before questions with posts change; long sessions; confirmations by the post."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from deliberation.models import Deliberation
from tests.server.conftest import csrf_of, login


def _form(client: TestClient, url: str, **fields: str) -> object:
    page = client.get(url)
    data = {"csrf": csrf_of(page.text), "title": "Omaishoidon tuki keväällä", "slug": "",
            "introduction": "Kerro kokemuksesi.", "questions": "Mikä auttaa?\nMikä puuttuu?",
            "opens_at": "2026-01-01T09:00", "closes_at": "2030-01-01T16:00",
            "moderation_mode": "post", "kind": "brainstorm", "action": "save"}
    data.update(fields)
    return client.post(url, data=data)


def _slug(html: str) -> str:
    match = re.search(r'<input id="slug" name="slug" maxlength="80" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_a_new_session_is_a_draft_until_published(app_client: TestClient, make_staff) -> None:
    facilitator = make_staff("facilitator")
    login(app_client, facilitator)
    r = _form(app_client, "/staff/sessions/new", slug="luonnos-testi")
    assert "Luonnos" in r.text and "Esikatsele niin kuin asukkaat sen näkevät" in r.text  # type: ignore[attr-defined]
    preview = app_client.get("/s/luonnos-testi")
    assert "Luonnoksen esikatselu" in preview.text
    app_client.cookies.clear()
    assert app_client.get("/s/luonnos-testi").status_code == 404
    assert "Omaishoidon tuki keväällä" not in app_client.get("/").text
    assert app_client.get("/api/s/luonnos-testi").status_code == 404
    login(app_client, facilitator)
    edit_url = str(r.url)  # type: ignore[attr-defined]
    r2 = _form(app_client, edit_url, slug="luonnos-testi", action="publish")
    assert "Keskustelu julkaistiin." in r2.text  # type: ignore[attr-defined]
    app_client.cookies.clear()
    assert "Omaishoidon tuki keväällä" in app_client.get("/").text


def test_publishing_without_an_opening_time_is_refused(app_client: TestClient,
                                                       make_staff) -> None:
    login(app_client, make_staff("facilitator"))
    r = _form(app_client, "/staff/sessions/new", opens_at="", action="publish",
              introduction="Tätä ei saa hukata")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "Anna avautumisaika ennen kuin julkaiset keskustelun." in r.text  # type: ignore[attr-defined]
    assert "Tätä ei saa hukata" in r.text  # type: ignore[attr-defined]


def test_swedish_content_and_finnish_fallback_marked(app_client: TestClient,
                                                     make_staff) -> None:
    login(app_client, make_staff("facilitator"))
    r = _form(app_client, "/staff/sessions/new", slug="kielet", action="publish",
              title_sv="Stöd för närståendevård", questions_sv="Vad hjälper?")
    assert "Keskustelu julkaistiin." in r.text  # type: ignore[attr-defined]
    app_client.cookies.clear()
    page = app_client.get("/s/kielet?lang=sv").text
    assert '<h1 id="session-title">Stöd för närståendevård</h1>' in page
    assert re.search(r'<h2 id="q-\d+-heading">Vad hjälper\?</h2>', page)
    assert re.search(r'<h2 id="q-\d+-heading" lang="fi">Mikä puuttuu\?</h2>', page)
    assert '<div lang="fi"><p>Kerro kokemuksesi.</p></div>' in page


def test_removing_a_question_with_posts_warns_and_can_move_them(
        app_client: TestClient, make_staff, make_deliberation) -> None:
    d: Deliberation = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qids = re.findall(r'name="question_id" value="(\d+)"', page.text)
    for body in ("Ensimmäinen idea.", "Toinen idea."):
        app_client.post(f"/s/{d.slug}/posts", data={"csrf": csrf_of(page.text),
                                                    "question_id": qids[1], "body": body})
    login(app_client, make_staff("facilitator"))
    edit = app_client.get(f"/staff/sessions/{d.id}")
    first_question = re.search(r'id="questions"[^>]*>([^\n<]+)', edit.text)
    assert first_question
    r = _form(app_client, f"/staff/sessions/{d.id}", slug=d.slug,
              questions=first_question.group(1))
    assert r.status_code == 409  # type: ignore[attr-defined]
    assert "Tähän kysymykseen on kirjoitettu 2 viestiä." in r.text  # type: ignore[attr-defined]
    assert "Pidä kysymys viesteineen piilossa" in r.text  # type: ignore[attr-defined]
    r2 = _form(app_client, f"/staff/sessions/{d.id}", slug=d.slug,
               questions=first_question.group(1), confirmed="1", **{f"move-{qids[1]}": "0"})
    assert "Keskustelu tallennettiin." in r2.text  # type: ignore[attr-defined]
    public = app_client.get(f"/s/{d.slug}").text
    assert "Ensimmäinen idea." in public and "Toinen idea." in public


def test_closed_session_shows_its_closing_message_and_gives_no_pseudonym(
        app_client: TestClient, make_deliberation) -> None:
    d: Deliberation = make_deliberation(closed=True)
    page = app_client.get(f"/s/{d.slug}")
    assert "Päättynyt – voit yhä lukea keskustelun." in page.text
    assert "Osallistut nimimerkillä" not in page.text
    assert "Ole ensimmäinen" not in page.text
    assert "Tähän kysymykseen ei lähetetty ideoita." in page.text


def test_long_questions_show_five_ideas_and_a_show_more_link(
        app_client: TestClient, make_deliberation) -> None:
    d: Deliberation = make_deliberation()
    for i in range(7):
        app_client.cookies.clear()
        page = app_client.get(f"/s/{d.slug}")
        qid = re.findall(r'name="question_id" value="(\d+)"', page.text)[0]
        app_client.post(f"/s/{d.slug}/posts", data={
            "csrf": csrf_of(page.text), "question_id": qid, "body": f"Idea numero {i + 1}."})
    page = app_client.get(f"/s/{d.slug}").text
    assert page.count('<li class="thread" id=') == 5
    assert "7 ideaa" in page and "Näytä lisää (vielä 2 ideaa)" in page
    more = re.search(r'href="(\?sort-\d+=newest&amp;show-\d+=10)#', page)
    assert more
    everything = app_client.get(f"/s/{d.slug}" + more.group(1).replace("&amp;", "&")).text
    assert everything.count('<li class="thread" id=') == 7 and "Näytä lisää" not in everything
    assert 'aria-current="true">Uusimmat ensin' in page


def test_without_javascript_the_confirmation_is_next_to_the_post(
        app_client: TestClient, make_deliberation) -> None:
    d: Deliberation = make_deliberation()
    page = app_client.get(f"/s/{d.slug}")
    qid = re.findall(r'name="question_id" value="(\d+)"', page.text)[0]
    r = app_client.post(f"/s/{d.slug}/posts", follow_redirects=False, data={
        "csrf": csrf_of(page.text), "question_id": qid, "body": "Lisää iltakäyntejä."})
    anchor = r.headers["location"].split("#")[1]
    assert anchor.startswith("confirm-")
    shown = app_client.get(f"/s/{d.slug}").text
    confirmation = re.search(rf'<p class="confirmation[^"]*" id="{anchor}" tabindex="-1"'
                             rf'[^>]*role="status">([^<]+)</p>', shown)
    assert confirmation and "julkaistiin" in confirmation.group(1)
    # Not repeated at the top of the page.
    assert 'class="flash flash-success"' not in shown


def test_dates_read_with_klo_in_finnish(app_client: TestClient, make_deliberation) -> None:
    d: Deliberation = make_deliberation()
    assert re.search(r"päättyy \d+\.\d+\.\d{4} klo \d+\.\d\d", app_client.get(f"/s/{d.slug}").text)
    assert re.search(r"closes \w{3} \d+, \d{4} at \d+:\d\d", app_client.get(f"/s/{d.slug}?lang=en").text)
