"""Closing the loop: responses per theme written by staff, published after
closing, readable by anyone; the returning-resident notice; feedback; metrics."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

from sqlmodel import select
from starlette.testclient import TestClient

from deliberation.models import Deliberation, Feedback, utcnow
from server import db
from server.settings import Settings
from tests.server.conftest import csrf_of, login


def _post_idea(client: TestClient, slug: str, body: str) -> None:
    page = client.get(f"/s/{slug}")
    qid = re.findall(r'name="question_id" value="(\d+)"', page.text)[0]
    client.post(f"/s/{slug}/posts", data={"csrf": csrf_of(page.text), "question_id": qid,
                                          "body": body})


def _close(settings: Settings, d: Deliberation) -> None:
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        fresh = s.get(Deliberation, d.id)
        assert fresh is not None
        fresh.closes_at = utcnow() - timedelta(seconds=1)
        s.add(fresh)
        s.commit()
    engine.dispose()


def _responses(client: TestClient, d: Deliberation, action: str, **fields: str) -> object:
    page = client.get(f"/staff/sessions/{d.id}/responses")
    data = {"csrf": csrf_of(page.text), "count": "1", "id-0": "", "post_count-0": "3",
            "label-0": "Hoitajien aika", "status-0": "planned",
            "response-0": "Lisäämme käyntiaikaa ensi vuonna.", "label-sv-0": "Vårdarnas tid",
            "response-sv-0": "", "label-en-0": "", "response-en-0": "", "action": action}
    data.update(fields)
    return client.post(f"/staff/sessions/{d.id}/responses", data=data)


def test_responses_are_published_and_returning_residents_are_told(
        app_client: TestClient, make_deliberation, make_staff, settings: Settings) -> None:
    d: Deliberation = make_deliberation()
    _post_idea(app_client, d.slug, "Hoitajille enemmän aikaa.")
    _close(settings, d)
    staff = TestClient(app_client.app)  # a second browser, same app
    login(staff, make_staff("facilitator"))
    r = _responses(staff, d, "publish")
    assert "Vastaukset julkaistiin." in r.text  # type: ignore[attr-defined]

    results = TestClient(app_client.app).get(f"/s/{d.slug}/results")
    assert "Mitä ideoillenne tehtiin" in results.text
    assert "Hoitajien aika" in results.text and "Suunnitteilla" in results.text
    assert "3 viestiä tässä teemassa" in results.text
    swedish = TestClient(app_client.app).get(f"/s/{d.slug}/results?lang=sv").text
    assert "Vårdarnas tid" in swedish and '<div lang="fi"><p>Lisäämme' in swedish

    page = app_client.get(f"/s/{d.slug}").text
    assert 'id="results-notice"' in page
    assert 'id="results-notice"' not in app_client.get(f"/s/{d.slug}").text  # told once


def test_responses_need_a_closed_session(app_client: TestClient, make_deliberation,
                                         make_staff) -> None:
    d: Deliberation = make_deliberation()
    login(app_client, make_staff("facilitator"))
    r = _responses(app_client, d, "publish", **{"response-0": "Tärkeä vastaus"})
    assert r.status_code == 409  # type: ignore[attr-defined]
    assert "vasta, kun keskustelu on päättynyt" in r.text  # type: ignore[attr-defined]
    assert "Tärkeä vastaus" in r.text  # type: ignore[attr-defined]


def test_feedback_is_asked_after_a_first_post_and_stored_anonymously(
        app_client: TestClient, make_deliberation, settings: Settings) -> None:
    d: Deliberation = make_deliberation()
    assert "Koitko, että sinua kuultiin?" not in app_client.get(f"/s/{d.slug}").text
    _post_idea(app_client, d.slug, "Iltakäyntejä lisää.")
    page = app_client.get(f"/s/{d.slug}")
    assert "Koitko, että sinua kuultiin?" in page.text
    r = app_client.post(f"/s/{d.slug}/feedback", data={
        "csrf": csrf_of(page.text), "context": "first_post", "score": "4",
        "text": "Hyvä, mutta soittakaa 040 123 4567"})
    assert "Kiitos palautteestasi!" in r.text
    assert "Koitko, että sinua kuultiin?" not in r.text
    again = app_client.post(f"/s/{d.slug}/feedback", data={
        "csrf": csrf_of(page.text), "context": "first_post", "score": "9"})
    assert "Olet jo vastannut. Kiitos!" in again.text
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        rows = s.exec(select(Feedback).where(Feedback.deliberation_id == d.id)).all()
    engine.dispose()
    assert [(f.score, "040" in f.text) for f in rows] == [(4, False)]


def test_metrics_page_and_exports(app_client: TestClient, make_deliberation,
                                  make_staff) -> None:
    d: Deliberation = make_deliberation(title="=Kotihoito")
    _post_idea(app_client, d.slug, "Idea.")
    app_client.cookies.clear()
    login(app_client, make_staff("facilitator"))
    year = (d.opens_at or utcnow()).year
    page = app_client.get(f"/staff/metrics?year={year}")
    assert "Osallistumisen mittarit" in page.text and "=Kotihoito" in page.text
    rows = list(csv.reader(io.StringIO(app_client.get(f"/staff/metrics.csv?year={year}").text)))
    assert rows[0][:3] == ["title", "slug", "stage"]
    assert ["'=Kotihoito"] in [r[:1] for r in rows]
    data = json.loads(app_client.get(f"/staff/metrics.json?year={year}").text)
    assert data["year"] == year and data["total"]["ideas"] >= 1
    assert app_client.get("/staff/metrics.xml").status_code == 404
    assert app_client.get("/staff/metrics?year=abc").status_code == 200


def test_moderators_do_not_see_metrics(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("moderator"))
    assert app_client.get("/staff/metrics").status_code == 403


def test_when_the_session_closes_those_who_took_part_are_asked_for_feedback(
        app_client: TestClient, make_deliberation, settings: Settings) -> None:
    d: Deliberation = make_deliberation()
    _post_idea(app_client, d.slug, "Idea ennen sulkemista.")
    _close(settings, d)
    page = app_client.get(f"/s/{d.slug}").text
    assert "Koitko, että sinua kuultiin?" in page
    assert 'name="context" value="closed"' in page
    # A reader who never took part is not asked, and gets no pseudonym.
    reader = TestClient(app_client.app).get(f"/s/{d.slug}").text
    assert "Koitko, että sinua kuultiin?" not in reader
    assert "Osallistut nimimerkillä" not in reader


def test_metrics_page_counts_what_moderation_did(app_client: TestClient, settings: Settings,
                                                 make_staff) -> None:
    from datetime import datetime

    from deliberation.posts import PostingLimits, do_create_post
    from moderation.audit import Actor
    from moderation.decisions import do_approve, do_reject
    from moderation.flags import do_flag_post
    from tests.factories import first_question, join, make_session

    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        d = make_session(s, title="Moderoitu 2011")
        author, reporter = join(s, d), join(s, d)

        def post(body: str):  # type: ignore[no-untyped-def]
            return do_create_post(s, d=d, participant=author, question_id=first_question(s, d),
                                  parent_id=None, body=body,
                                  limits=PostingLimits(detect_names=False)).post

        held, rejected, idea = post("Soita 040 123 4567"), post("Soita 040 765 4321"), post("Idea.")
        mod = Actor(None, "moderaattori")
        do_approve(s, post_id=held.id, actor=mod)
        do_reject(s, post_id=rejected.id, actor=mod, reason="personal_data")
        do_flag_post(s, d=d, participant=reporter, post_id=idea.id, reason="spam")
        # A year of its own, so that only this session is counted.
        d.opens_at = datetime(2011, 3, 1, 12, tzinfo=d.opens_at.tzinfo if d.opens_at else None)
        s.add(d)
        s.commit()
    engine.dispose()
    login(app_client, make_staff("facilitator"))
    page = app_client.get("/staff/metrics?year=2011")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "Automaattinen tarkistus pidätti 2 viestiä" in text
    assert "Hyväksytty 1 päätös" in text and "Moderaattori hylkäsi 1 päätös" in text
    assert "Osallistujien ilmoitukset 1 ilmoitus" in text
    assert "Ilmoitetuista viesteistä poistettu näkyvistä 0 viestiä" in text
    assert "Odotusaika pidätyksestä päätökseen (mediaani) alle minuutin" in text
    data = json.loads(app_client.get("/staff/metrics.json?year=2011").text)
    assert (data["total"]["held_by_screening"], data["total"]["reports"]) == (2, 1)
    assert data["total"]["rejected"] == 1  # post statuses are counted as before
