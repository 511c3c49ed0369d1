"""The county's identity on every page, its legal pages and the admin settings."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.server.conftest import csrf_of, login

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _settings(client: TestClient, **changes: str) -> object:
    page = client.get("/staff/organisation")
    data = {"csrf": csrf_of(page.text), "name-fi": "Järvimaan hyvinvointialue",
            "name-sv": "Järvimaa välfärdsområde", "contact-fi": "Rantakatu 1, Järvimaa",
            "rules-fi": "Keskustele asiallisesti.", "privacy_notice-fi": "Emme tallenna nimiä.",
            "a11y_known_issues-fi": "Kaaviot ovat kuvia.", "contact_email": "osallisuus@jarvimaa.example",
            "contact_phone": "+358 99 123 4567", "a11y_conformance": "partial",
            "a11y_assessed_on": "2026-11-30", "a11y_feedback_email": ""}
    data.update(changes)
    return client.post("/staff/organisation", data=data)


def test_an_admin_sets_the_county_and_every_page_shows_it(app_client: TestClient,
                                                          make_staff) -> None:
    login(app_client, make_staff("admin"))
    r = _settings(app_client)
    assert r.status_code == 200 and "Asetukset tallennettiin." in r.text  # type: ignore[attr-defined]
    app_client.cookies.clear()
    front = app_client.get("/")
    assert "Järvimaan hyvinvointialue" in front.text
    assert "mailto:osallisuus@jarvimaa.example" in front.text
    assert 'href="/accessibility"' in front.text and 'href="/privacy"' in front.text
    swedish = app_client.get("/?lang=sv")
    assert "Järvimaa välfärdsområde" in swedish.text
    # No English name: the Finnish one, marked as Finnish.
    english = app_client.get("/?lang=en")
    assert '<span lang="fi">Järvimaan hyvinvointialue</span>' in english.text


def test_the_accessibility_statement_is_made_from_the_template(app_client: TestClient,
                                                               make_staff) -> None:
    login(app_client, make_staff("admin"))
    _settings(app_client)
    page = app_client.get("/accessibility")
    assert "Saavutettavuusseloste" in page.text
    assert "täyttää digipalvelulain saavutettavuusvaatimukset (WCAG 2.1, tasot A ja AA) osittain" in page.text
    assert "Kaaviot ovat kuvia." in page.text
    assert "30. marraskuuta 2026" in page.text
    # No separate feedback address: the contact address is used.
    assert "mailto:osallisuus@jarvimaa.example" in page.text
    assert "saavutettavuusvaatimukset.fi" in page.text
    rules = app_client.get("/rules?lang=sv")
    assert "Regler för diskussionen" in rules.text and '<div lang="fi">' in rules.text


def test_bad_settings_are_refused_and_nothing_typed_is_lost(app_client: TestClient,
                                                            make_staff) -> None:
    login(app_client, make_staff("admin"))
    r = _settings(app_client, website_url="javascript:alert(1)")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "Osoitteen on alettava https:// tai http://." in r.text  # type: ignore[attr-defined]
    assert "Kaaviot ovat kuvia." in r.text  # type: ignore[attr-defined]
    r = _settings(app_client, **{"name-fi": ""})
    assert "Anna organisaation nimi suomeksi." in r.text  # type: ignore[attr-defined]


def test_only_admins_reach_the_settings(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("facilitator"))
    assert app_client.get("/staff/organisation").status_code == 403


def test_a_logo_is_uploaded_served_and_refused_when_not_an_image(app_client: TestClient,
                                                                 make_staff) -> None:
    login(app_client, make_staff("admin"))
    _settings(app_client)
    page = app_client.get("/staff/organisation")
    r = app_client.post("/staff/organisation/logo", data={"csrf": csrf_of(page.text)},
                        files={"logo": ("logo.png", PNG, "image/png")})
    assert "Logo tallennettiin." in r.text
    logo = app_client.get("/organisation/logo")
    assert logo.status_code == 200 and logo.headers["content-type"] == "image/png"
    assert re.search(r'<img src="/organisation/logo" alt="">', app_client.get("/").text)
    r = app_client.post("/staff/organisation/logo", data={"csrf": csrf_of(page.text)},
                        files={"logo": ("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")})
    assert r.status_code == 422 and "PNG- tai JPEG-kuva" in r.text
    # The databases are shared by the tests: leave no logo behind.
    r = app_client.post("/staff/organisation/logo", data={"csrf": csrf_of(page.text),
                                                          "remove": "1"})
    assert "Logo poistettiin." in r.text
    assert app_client.get("/organisation/logo").status_code == 404


def test_pages_have_a_favicon(app_client: TestClient) -> None:
    assert 'rel="icon" href="/static/favicon.svg"' in app_client.get("/").text
    assert app_client.get("/static/favicon.svg").status_code == 200
