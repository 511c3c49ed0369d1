"""The county's identity and legal texts, set by an admin."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError
from deliberation.organisation import (
    OrganisationForm,
    check_logo,
    do_save_organisation,
    do_set_logo,
    organisation,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
FORM = OrganisationForm(
    texts={("name", "fi"): "Järvimaan hyvinvointialue", ("name", "sv"): "Järvimaa välfärdsområde",
           ("rules", "fi"): "Keskustele asiallisesti."},
    contact_email="osallisuus@jarvimaa.example", website_url="https://jarvimaa.example",
    a11y_assessed_on=date(2026, 11, 1),
)


def test_names_and_texts_fall_back_to_finnish(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        do_save_organisation(db, form=FORM, role="admin")
        db.commit()
        org = organisation(db)
        assert (org.name("sv").text, org.name("sv").lang) == ("Järvimaa välfärdsområde", "sv")
        assert (org.name("en").text, org.name("en").lang) == ("Järvimaan hyvinvointialue", "fi")
        assert org.text("rules", "en").lang == "fi"
        assert org.statement_complete


def test_only_admins_change_the_settings(engine: Engine) -> None:
    with Session(engine) as db, pytest.raises(DomainError) as err:
        do_save_organisation(db, form=FORM, role="facilitator")
    assert err.value.code == "forbidden"


@pytest.mark.parametrize(("changes", "code"), [
    ({"texts": {("name", "fi"): " "}}, "organisation_name_required"),
    ({"website_url": "javascript:alert(1)"}, "url_invalid"),
    ({"contact_email": "ei-osoite"}, "email_invalid"),
    ({"contact_phone": "soita minulle"}, "phone_invalid"),
    ({"a11y_conformance": "maybe"}, "conformance_invalid"),
])
def test_bad_settings_are_refused(engine: Engine, changes: dict[str, object], code: str) -> None:
    form = OrganisationForm(**{**FORM.__dict__, **changes})  # type: ignore[arg-type]
    with Session(engine) as db, pytest.raises(DomainError) as err:
        do_save_organisation(db, form=form, role="admin")
    assert err.value.code == code


@pytest.mark.parametrize(("data", "result"), [
    (PNG, "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
    (b"<svg onload='alert(1)'></svg>", "logo_type_invalid"),
    (b"", "logo_missing"),
    (PNG + b"\x00" * 600_000, "logo_too_large"),
])
def test_logos_are_png_or_jpeg_and_small(data: bytes, result: str) -> None:
    try:
        assert check_logo(data) == result
    except DomainError as err:
        assert err.code == result


def test_an_uploaded_logo_is_kept_and_can_be_removed(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        do_save_organisation(db, form=FORM, role="admin")
        do_set_logo(db, data=PNG, role="admin")
        db.commit()
        assert organisation(db).row.logo_type == "image/png"
        do_set_logo(db, data=None, role="admin")
        db.commit()
        assert not organisation(db).has_logo
