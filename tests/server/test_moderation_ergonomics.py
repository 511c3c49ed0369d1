"""The moderation queue for a long shift: the reject reason starts from what was
found, a ban asks first, a reply shows its parent, the audit log reads in words."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.server.conftest import csrf_of, login


def _post(client: TestClient, slug: str, body: str, parent_id: str = "") -> None:
    page = client.get(f"/s/{slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    client.post(f"/s/{slug}/posts", data={"csrf": csrf_of(page.text), "question_id": qid,
                                          "body": body, "parent_id": parent_id})


def test_queue_suggests_the_reason_asks_before_a_ban_and_shows_the_parent(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _post(app_client, d.slug, "Iltakäynnit ovat liian lyhyitä.")
    parent = re.search(r'id="post-(\d+)"', app_client.get(f"/s/{d.slug}").text).group(1)  # type: ignore[union-attr]
    app_client.cookies.clear()
    _post(app_client, d.slug, "Samaa mieltä, soita 040 123 4567", parent_id=parent)
    app_client.cookies.clear()
    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}").text
    assert re.search(r'<select id="reject-reason-\d+" name="reason" required>\s*'
                     r'<option value="personal_data" selected>', queue)
    assert "Vastaus viestiin:" in queue and "Iltakäynnit ovat liian lyhyitä." in queue
    # Banning is behind a question; the button says what it does.
    assert re.search(r'<details class="confirm-ban">\s*<summary>Estä ', queue)
    assert "Kyllä, estä" in queue and 'class="destructive"' in queue


def test_audit_log_names_the_session_and_says_codes_in_words(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation(title="Kotihoidon ilta")
    _post(app_client, d.slug, "Soita minulle 040 123 4567 kiitos")
    app_client.cookies.clear()
    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}")
    post_id = re.search(r'id="item-(\d+)"', queue.text).group(1)  # type: ignore[union-attr]
    app_client.post(f"/staff/moderation/posts/{post_id}/redact",
                    data={"csrf": csrf_of(queue.text)})
    audit = app_client.get(f"/staff/moderation/audit?session={d.id}").text
    assert f'<a href="/s/{d.slug}">Kotihoidon ilta</a>' in audit
    assert "Poistettu: Puhelinnumero" in audit
    assert ">phone<" not in audit
