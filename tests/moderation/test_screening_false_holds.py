"""False holds: none of the sample feedback (360 realistic Finnish posts about
social and health services, full of dates, times, prices, places and
capitalised words) holds for personal data, with names on."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from moderation.screening import screen

SAMPLE = Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_feedback.csv"


def sample_posts() -> list[str]:
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        return [row["text"] for row in csv.DictReader(f) if row.get("text")]


def test_sample_has_posts() -> None:
    assert len(sample_posts()) >= 300


@pytest.mark.parametrize("text", sample_posts())
def test_sample_post_has_no_personal_data(text: str) -> None:
    assert [(f.reason, text[f.start:f.end]) for f in screen(text).findings
            if f.is_personal_data] == []
