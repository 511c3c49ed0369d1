"""Screening beyond one text: personal data split over the same author's posts, and
the re-screening a moderator's cut relies on."""

from __future__ import annotations

import pytest

from moderation.screening import redact, remaining_personal_data, screen


def personal(text: str, recent: list[str]) -> list[tuple[str, str]]:
    return [(f.reason, text[f.start:f.end])
            for f in screen(text, names=False, recent_texts=recent).findings
            if f.is_personal_data]


# recent posts are given newest first, as the server reads them
SPLIT = [
    (["Äidin hetu on 131052-"], "308T", ("personal_id", "308T")),
    (["Äidin hetu on 131052"], "-308T kiitos", ("personal_id", "-308T")),
    (["hetu 1310"], "52-308T", ("personal_id", "52-308T")),
    (["tunnus 131052 -"], " 308T", ("personal_id", " 308T")),
    (["-308", "hetu 131052"], "T", ("personal_id", "T")),
    (["1 3 1 0 5 2"], "- 3 0 8 T", ("personal_id", "- 3 0 8 T")),
    (["soita 040 123"], "4567 niin kerron", ("phone", "4567")),
    (["soita 040"], "1234567", ("phone", "1234567")),
    (["numero ０４０"], "１２３ ４５６７", ("phone", "１２３ ４５６７")),
    (["matti.virtanen@"], "example.fi", ("email", "example.fi")),
    (["matti [at]"], "example [.] fi", ("email", "example [.] fi")),
    (["Kirjoita matti"], "@example.fi", ("email", "@example.fi")),
]


@pytest.mark.parametrize(("recent", "text", "expected"), SPLIT)
def test_personal_data_split_over_posts(recent: list[str], text: str,
                                        expected: tuple[str, str]) -> None:
    assert personal(text, recent) == [expected]


NOT_SPLIT = [
    (["Vuonna 2019"], "2020 oli parempi."),
    (["Kävin 12.3."], "2024 lääkärissä."),
    (["Jonossa 120"], "ihmistä."),
    (["Soita 040 123 4567"], "kiitos"),  # complete in the earlier post: held there
    (["Soita 040 123 4567"], "8 kertaa yritin."),
    (["hetu 131052-308T"], "1 kerran vielä"),
    (["hetu 131052-308T"], "Onko tämä oikein?"),
    (["Kiitos"], "040"),
    ([], "308T"),
    (["Hinta 0"], ",50 €"),
    (["Tilaus 1203"], "24-001 saapui."),
]


@pytest.mark.parametrize(("recent", "text"), NOT_SPLIT)
def test_not_split_personal_data(recent: list[str], text: str) -> None:
    assert personal(text, recent) == []


def test_complete_data_in_the_new_post_is_reported_once() -> None:
    text = "soita 040 123 4567"
    assert personal(text, ["Hei, ", "minun"]) == [("phone", "040 123 4567")]


def test_split_post_is_held() -> None:
    assert screen("308T", names=False, recent_texts=["hetu 131052-"]).decision == "hold"


# --- what a moderator's cut leaves behind ---------------------------------------------

def test_a_second_disguised_copy_remains_after_cutting_the_first() -> None:
    text = "Hetu 131052-308T, siis 1 3 1 0 5 2 3 0 8 T."
    first = next(f for f in screen(text, names=False).findings if f.is_personal_data)
    cut = redact(text, [first.span])
    assert [f.reason for f in remaining_personal_data(cut, names=False)] == ["personal_id"]


def test_nothing_remains_after_cutting_everything() -> None:
    text = "Hetu 131052-308T, puh ０４０ １２３ ４５６７, matti[at]example[.]fi"
    spans = [f.span for f in screen(text, names=False).findings if f.is_personal_data]
    assert len(spans) == 3
    assert remaining_personal_data(redact(text, spans), names=False) == []


@pytest.mark.parametrize("text", [
    "[poistettu]",
    "Soita [poistettu] tai [poistettu].",
    "Hetu [poistettu] ja osoite [poistettu] 5.",
    "Kotihoito on tärkeää.",
])
def test_placeholder_is_not_personal_data(text: str) -> None:
    assert remaining_personal_data(text, names=False) == []


def test_remaining_names() -> None:
    assert [f.reason for f in remaining_personal_data("Hoitaja Liisa Virtanen oli ihana.")] == [
        "person_name"]
