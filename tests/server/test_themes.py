"""Theme reports for service developers: the page, exports and the API."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deliberation.posts import PostingLimits, do_create_post
from server import db
from server.settings import Settings
from tests.factories import first_question, join
from tests.server.conftest import csrf_of, login

SAMPLE = Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_feedback.csv"
NO_LIMITS = PostingLimits(per_participant_per_minute=10_000, per_session_per_minute=10_000,
                          detect_names=False)


@pytest.fixture
def db_url(sqlite_url: str) -> str:  # one database is enough here
    return sqlite_url


def _fill(settings: Settings, d_id: int, texts: list[str], question: int = 0) -> None:
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        from deliberation.sessions import access_deliberation_by_id, questions_of

        d = access_deliberation_by_id(s, deliberation_id=d_id)
        qid = first_question(s, d) if question == 0 else questions_of(s, deliberation_id=d_id)[
            question].id
        for text in texts:
            do_create_post(s, d=d, participant=join(s, d), question_id=qid, parent_id=None,
                           body=text, limits=NO_LIMITS)
        s.commit()
    engine.dispose()


def _sample(labels: set[str], n: int) -> list[str]:
    with SAMPLE.open(encoding="utf-8") as f:
        rows = [r["text"] for r in csv.DictReader(f) if r["label"] in labels]
    return rows[:n]


def test_report_page_exports_and_api(app_client: TestClient, settings: Settings,
                                     make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _fill(settings, d.id, _sample({"kotihoito", "suun_terveys", "kuljetus"}, 90))
    login(app_client, make_staff("facilitator"))

    page = app_client.get(f"/staff/sessions/{d.id}/themes")
    assert page.status_code == 200
    assert "Teemat" in page.text and 'role="img"' in page.text and "<caption" in page.text

    report = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert report["themes"], "no themes found in 90 posts on three services"
    assert report["posts_total"] == sum(t["size"] for t in report["themes"]) + report["other"]["size"]
    for theme in report["themes"]:
        assert theme["label"] in page.text
        assert 3 <= len(theme["representatives"]) <= 5 or theme["size"] < 3

    exported = json.loads(app_client.get(f"/staff/sessions/{d.id}/themes.json").text)
    assert [t["label"] for t in exported["themes"]] == [t["label"] for t in report["themes"]]
    csv_text = app_client.get(f"/staff/sessions/{d.id}/themes.csv").text
    assert csv_text.splitlines()[0] == "row,post_id,question,theme,theme_label,supports,date,text"
    md = app_client.get(f"/staff/sessions/{d.id}/themes.md")
    assert md.text.startswith("# Teemayhteenveto")
    assert "attachment" in md.headers["content-disposition"]


def test_new_posts_are_placed_and_recompute_takes_them_in(
        app_client: TestClient, settings: Settings, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _fill(settings, d.id, _sample({"kotihoito", "suun_terveys"}, 60))
    login(app_client, make_staff("admin"))
    before = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    _fill(settings, d.id, ["Hammaslääkärin jonot ovat liian pitkät, odotin puoli vuotta."])
    after = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert after["posts_since"] == 1 and after["posts_total"] == before["posts_total"] + 1
    assert sum(t["new_since"] for t in [*after["themes"], after["other"]]) == 1

    page = app_client.get(f"/staff/sessions/{d.id}/themes")
    r = app_client.post(f"/staff/sessions/{d.id}/themes/refresh", data={"csrf": csrf_of(page.text)})
    assert "Teemat laskettiin uudelleen" in r.text
    again = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert again["posts_since"] == 0 and again["posts_total"] == before["posts_total"] + 1


def test_reports_are_for_staff_only(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    assert app_client.get(f"/api/staff/sessions/{d.id}/themes").status_code == 401
    r = app_client.get(f"/staff/sessions/{d.id}/themes", follow_redirects=False)
    assert r.status_code == 303


def test_an_empty_session_has_a_report_too(app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    login(app_client, make_staff("moderator"))
    page = app_client.get(f"/staff/sessions/{d.id}/themes")
    assert page.status_code == 200
    assert app_client.get(f"/staff/sessions/{d.id}/themes.csv").status_code == 200


def test_themes_per_question_with_overviews_and_safe_exports(
        app_client: TestClient, settings: Settings, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    dental = _sample({"suun_terveys"}, 25)
    _fill(settings, d.id, [*dental, dental[0], dental[0], "=HYPERLINK(\"http://x\") hammaslääkäri"])
    _fill(settings, d.id, _sample({"kuljetus"}, 25), question=1)
    login(app_client, make_staff("facilitator"))

    report = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert len(report["questions"]) == 2
    assert all(q["themes"] for q in report["questions"])
    theme = next(t for t in report["themes"] if any(r["text"] == dental[0]
                                                     for r in t["representatives"]))
    quoted = [r for r in theme["representatives"] if r["text"] == dental[0]]
    assert len(quoted) == 1 and quoted[0]["similar"] >= 2
    assert "viestiä" in theme["overview"] and set(theme["overviews"]) == {"fi", "sv", "en"}

    page = app_client.get(f"/staff/sessions/{d.id}/themes")
    assert "Teemat kysymyksittäin" in page.text and "samankaltaista" in page.text
    assert theme["overview"].split("”")[0] in page.text.replace("&#34;", '"')
    swedish = app_client.get(f"/staff/sessions/{d.id}/themes?lang=sv")
    assert "Teman per fråga" in swedish.text and "inlägg" in swedish.text

    rows = list(csv.DictReader(app_client.get(f"/staff/sessions/{d.id}/themes.csv").text
                               .splitlines()))
    assert {r["question"] for r in rows} == {q["question"] for q in report["questions"]}
    assert all(not r["text"].startswith("=") for r in rows)
    markdown = app_client.get(f"/staff/sessions/{d.id}/themes.md").text
    assert markdown.count("## Kysymys: ") == 2


def test_new_posts_are_placed_into_their_questions_themes(
        app_client: TestClient, settings: Settings, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _fill(settings, d.id, _sample({"suun_terveys", "kotihoito"}, 50))
    _fill(settings, d.id, _sample({"kuljetus"}, 25), question=1)
    login(app_client, make_staff("facilitator"))
    before = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert [q["posts_since"] for q in before["questions"]] == [0, 0]

    _fill(settings, d.id, ["Hammaslääkärin jonot ovat liian pitkät, odotin puoli vuotta."])
    _fill(settings, d.id, ["Taksi ei tullut ajoissa ja myöhästyin vastaanotolta.",
                           "Kuljetuspalvelun taksi pitää tilata liian aikaisin."], question=1)
    after = app_client.get(f"/api/staff/sessions/{d.id}/themes").json()
    assert after["posts_since"] == 3
    dental, transport = after["questions"]
    assert (dental["posts_since"], transport["posts_since"]) == (1, 2)
    for part in (dental, transport):
        counted = sum(t["new_since"] for t in [*part["themes"], part["other"]])
        assert counted == part["posts_since"]
    # The dentist's queue fits one of the first question's own themes, not "Muut".
    assert sum(t["new_since"] for t in dental["themes"]) == 1

    page = app_client.get(f"/staff/sessions/{d.id}/themes").text
    questions_part = page.split('id="questions"')[1]
    assert "Sen jälkeen on tullut 2 viestiä" in questions_part
