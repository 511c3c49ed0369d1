"""Drawing a panel with sortition-algorithms: quotas, errors, reproducibility."""

from __future__ import annotations

import pytest

from deliberation.digiraati.lottery import solve
from deliberation.digiraati.selection import (
    Quota,
    composition,
    draw,
    largest_deviation,
    parse_quotas,
    parse_volunteers,
)
from deliberation.errors import DomainError
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV


def rows_and_quotas() -> tuple[list, dict]:  # type: ignore[type-arg]
    quotas = parse_quotas(QUOTAS, panel_size=6)
    return parse_volunteers(VOLUNTEERS_CSV, quotas), quotas


def test_quota_lines_take_min_max_or_a_share() -> None:
    quotas = parse_quotas("ikä, nuori, 1, 3\nsukupuoli;nainen;50 %\n# comment\n", panel_size=7)
    assert quotas == {"ikä": {"nuori": Quota(1, 3)}, "sukupuoli": {"nainen": Quota(3, 4)}}


@pytest.mark.parametrize(("text", "code"), [
    ("", "quotas_required"),
    ("ikä,nuori", "quota_line_invalid"),
    ("ikä,nuori,3,1", "quota_min_above_max"),
    ("ikä,nuori,1,2\nikä,nuori,1,2", "quota_duplicate"),
])
def test_bad_quota_lines_are_refused(text: str, code: str) -> None:
    with pytest.raises(DomainError) as err:
        parse_quotas(text, panel_size=6)
    assert err.value.code == code


def test_csv_categories_and_contacts_are_kept_apart() -> None:
    rows, _ = rows_and_quotas()
    assert len(rows) == 12
    assert rows[0].categories == {"ikäryhmä": "18-39", "sukupuoli": "nainen", "kunta": "Keskus"}
    assert rows[0].contact == {"nimi": "Henkilö 0", "sähköposti": "h0@example.fi"}


def test_semicolon_csv_with_bom_is_read() -> None:
    quotas = parse_quotas("ikä,nuori,1,1", panel_size=1)
    rows = parse_volunteers("\ufeffikä;puhelin\nnuori;040\n", quotas)
    assert rows[0].categories == {"ikä": "nuori"} and rows[0].contact == {"puhelin": "040"}


def test_missing_category_column_names_the_category() -> None:
    quotas = parse_quotas("äidinkieli,suomi,1,6", panel_size=6)
    with pytest.raises(DomainError) as err:
        parse_volunteers(VOLUNTEERS_CSV, quotas)
    assert (err.value.code, err.value.params) == (
        "panel_csv_missing_column", {"category": "äidinkieli"})


def test_unknown_value_names_category_value_and_row() -> None:
    quotas = parse_quotas("kunta,Keskus,1,6", panel_size=6)
    with pytest.raises(DomainError) as err:
        parse_volunteers(VOLUNTEERS_CSV, quotas)
    assert err.value.code == "panel_csv_unknown_value"
    assert err.value.params == {"category": "kunta", "value": "Reuna", "row": 7}


def test_same_seed_draws_same_panel_meeting_every_quota() -> None:
    rows, quotas = rows_and_quotas()
    first = draw(rows, quotas, 6, seed=12345, solve=solve)
    again = draw(rows, quotas, 6, seed=12345, solve=solve)
    assert first.selected == again.selected and len(first.selected) == 6
    assert first.algorithm in ("maximin", "leximin")
    chosen = [r.categories for r in rows if r.row_number in first.selected]
    table = composition(chosen, quotas)
    assert all(row.within for row in table) and largest_deviation(table) == 0
    # The distribution's chances: each volunteer has one, and they add up to the seats.
    assert set(first.probabilities) == {r.row_number for r in rows}
    assert sum(first.probabilities.values()) == pytest.approx(6, abs=1e-3)
    assert all(p > 0 for p in first.probabilities.values())


def test_more_seats_than_volunteers_is_refused() -> None:
    rows, quotas = rows_and_quotas()
    with pytest.raises(DomainError) as err:
        draw(rows[:4], quotas, 6, seed=1, solve=solve)
    assert err.value.code == "panel_too_few_volunteers"
    assert err.value.params == {"seats": 6, "volunteers": 4}


def test_quotas_that_do_not_add_up_name_the_category() -> None:
    rows, _ = rows_and_quotas()
    quotas = parse_quotas(QUOTAS.replace("kunta,Reuna,2,4", "kunta,Reuna,0,1"), panel_size=6)
    with pytest.raises(DomainError) as err:
        draw(rows, quotas, 6, seed=1, solve=solve)
    assert err.value.code == "panel_quota_sum"
    assert err.value.params == {"category": "kunta", "low": 2, "high": 5, "seats": 6}


def test_too_few_volunteers_of_a_value_names_it() -> None:
    rows, _ = rows_and_quotas()
    quotas = parse_quotas(QUOTAS.replace("ikäryhmä,65+,2,2", "ikäryhmä,65+,2,2")
                          .replace("kunta,Keskus,2,4", "kunta,Keskus,0,6")
                          .replace("kunta,Reuna,2,4", "kunta,Reuna,0,6"), panel_size=6)
    few = [r for r in rows if not (r.categories["ikäryhmä"] == "65+" and r.row_number > 3)]
    with pytest.raises(DomainError) as err:
        draw(few, quotas, 6, seed=1, solve=solve)
    assert err.value.code == "panel_quota_too_few"
    assert err.value.params == {"category": "ikäryhmä", "value": "65+", "min": 2, "available": 1}


def test_quotas_that_cannot_be_met_together_are_explained() -> None:
    # An all-women panel with four from Keskus: only three women live there.
    rows, _ = rows_and_quotas()
    quotas = parse_quotas("sukupuoli,nainen,6,6\nsukupuoli,mies,0,0\n"
                          "kunta,Keskus,4,6\nkunta,Reuna,0,2", panel_size=6)
    with pytest.raises(DomainError) as err:
        draw(rows, quotas, 6, seed=1, solve=solve)
    assert err.value.code == "panel_quotas_infeasible"
    # The library's suggestion says which category to loosen, and how.
    assert err.value.params["category"] == "sukupuoli"
    assert {"category": "sukupuoli", "value": "mies", "bound": "max", "from": 0, "to": 1} in (
        err.value.params["changes"])
