"""Nothing a resident (or a moderator's note) writes can run as script on any
page: residents' pages, the author's view, the public statistics, the
moderators' queue, the audit log, the JSON API. The CSV export is served as a
download that spreadsheets read as text."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

from starlette.testclient import TestClient

from tests.server.conftest import csrf_of, login

PHONE = " 040 123 4567"
PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '"><svg onload=alert("xss-3")>',
    "javascript:alert('xss-4')",
    '<a href="javascript:alert(\'xss-5\')">xss-5</a>',
    "'';!--\"<XSS6>=&{()} xss-6",
    '<iframe src="data:text/html,<script>alert(7)</script>">xss-7</iframe>',
    '</textarea><script>alert("xss-8")</script>',
    '</script><script>alert("xss-9")</script>',
    "{{ 7*7 }} {% raw %} xss-10",
    '<mark onclick=alert("xss-11")>xss-11</mark>',
    "<style>body{display:none}</style> xss-12",
    '=HYPERLINK("http://evil.example","xss-13")',
    'https://example.fi/"onmouseover="alert(14)" xss-14',
    '<b onmouseover=alert("xss-15")>' + PHONE,  # held: marked in the queue
    PHONE.strip() + '<script>alert("xss-16")</script>',  # held, the mark right before the tag
    "<scr<script>ipt>alert('xss-17')</script>" + PHONE,
    "&lt;script&gt;alert('xss-18')&lt;/script&gt;",
]
FORBIDDEN_TAGS = {"iframe", "svg", "img", "style", "object", "embed", "xss6", "b", "base"}


class Scan(HTMLParser):
    """Everything in a page that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        ours = tag == "img" and a.get("src") == "/organisation/logo"  # the county's logo
        if tag in FORBIDDEN_TAGS and not ours:
            self.problems.append(f"<{tag}>")
        for name, value in a.items():
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and re.match(
                    r"\s*(javascript|data|vbscript):", value, re.I):
                self.problems.append(f"{tag}[{name}={value}]")
        if tag == "script":
            ours = a.get("src", "").startswith("/static/js/") or a.get("type") == "application/json"
            if not ours:
                self.problems.append(f"<script {a}>")
            self._in_script = a

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None and self._in_script.get("type") == "application/json":
            json.loads(data)  # a JSON island stays JSON: nothing broke out of it


def assert_safe_html(html: str, where: str) -> None:
    scan = Scan()
    scan.feed(html)
    scan.close()
    assert scan.problems == [], f"{where}: {scan.problems}"
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html, f"{where}: raw payload {payload!r}"


def _post(client: TestClient, slug: str, body: str) -> None:
    page = client.get(f"/s/{slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post(f"/s/{slug}/posts", data={"csrf": csrf_of(page.text), "question_id": qid,
                                              "body": body})
    assert r.status_code == 200


def test_no_payload_runs_on_any_page(app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    authors: list[dict[str, str]] = []
    for payload in PAYLOADS:  # one resident each: the posting limit is per participant
        app_client.cookies.clear()
        _post(app_client, d.slug, payload)
        authors.append(dict(app_client.cookies))
    # Report every published post once, so it is in the moderators' queue as well.
    app_client.cookies.clear()
    page = app_client.get(f"/s/{d.slug}")
    # Every idea on one page: follow the question's "show more" link.
    more = re.search(r'href="\?sort-(\d+)=newest&amp;show-\1=', page.text)
    if more:
        page = app_client.get(f"/s/{d.slug}?show-{more.group(1)}=1000")
    assert_safe_html(page.text, "session page")
    for post_id in re.findall(r'action="/s/[^/]+/posts/(\d+)/flag"', page.text):
        app_client.post(f"/s/{d.slug}/posts/{post_id}/flag",
                        data={"csrf": csrf_of(page.text), "reason": "spam"})

    app_client.cookies.clear()
    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}")
    assert_safe_html(queue.text, "moderation queue")
    for n in range(1, len(PAYLOADS) + 1):
        assert f"xss-{n}" in queue.text or f"alert({n})" in queue.text, f"xss-{n} not in the queue"
    assert queue.text.count("<mark") >= 3
    assert "{{ 7*7 }} {% raw %} xss-10" in queue.text  # text, never a template
    # Moderators' notes are user text too: one goes to the author, all to the audit log.
    ids = re.findall(r'id="item-(\d+)"', queue.text)
    for post_id, note in zip(ids, PAYLOADS, strict=False):
        app_client.post(f"/staff/moderation/posts/{post_id}/reject",
                        data={"csrf": csrf_of(queue.text), "reason": "other", "note": note})

    for path in ("/staff/moderation/queue", "/staff/moderation/audit",
                 f"/staff/moderation/audit?session={d.id}", "/", f"/s/{d.slug}",
                 f"/s/{d.slug}/moderation"):
        r = app_client.get(path)
        assert r.status_code == 200, path
        assert_safe_html(r.text, path)
    audit = app_client.get("/staff/moderation/audit").text
    assert "xss-1" in audit

    export = app_client.get(f"/staff/moderation/audit.csv?session={d.id}")
    assert export.headers["content-type"].startswith("text/csv")
    assert export.headers["content-disposition"].startswith("attachment")
    assert export.headers["x-content-type-options"] == "nosniff"
    cells = [c for row in csv.reader(io.StringIO(export.text.lstrip("\ufeff"))) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=HYPERLINK(\"http://evil.example\",\"xss-13\")" in cells

    for cookies in authors:  # each author's own view, with the moderator's note
        app_client.cookies.clear()
        app_client.cookies.update(cookies)
        mine = app_client.get(f"/s/{d.slug}/my-posts")
        assert_safe_html(mine.text, "my posts")
        api = app_client.get(f"/api/s/{d.slug}/posts").json()
        for q in api["questions"]:
            for t in q["threads"]:
                for p in [t["post"], *t["replies"]]:
                    assert_safe_html(p["body_html"], "API body_html")
