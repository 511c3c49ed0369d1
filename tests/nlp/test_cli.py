"""``raati themes`` / ``python -m nlp.cli`` and ``python -m nlp.evaluate`` as a
user runs them: in a subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.cli import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "nlp" / "data" / "sample_feedback.csv"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_json_output_shape() -> None:
    done = _run("nlp.cli", str(SAMPLE), "--text-column", "text", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    data = json.loads(done.stdout)
    with SAMPLE.open(encoding="utf-8", newline="") as f:
        n_rows = sum(1 for _ in csv.DictReader(f))
    assert [a["row"] for a in data["assignments"]] == list(range(n_rows))
    ids = {t["id"] for t in data["themes"]}
    assert {a["theme"] for a in data["assignments"]} <= ids | {None}
    for theme in data["themes"]:
        assert {"id", "label", "keywords", "size", "representatives", "summary"} <= set(theme)
        assert all(0 <= r["row"] < n_rows for r in theme["representatives"])


def test_forced_k_and_markdown(tmp_path: Path) -> None:
    csv_file = tmp_path / "palaute.csv"
    lines = ["id;viesti;tuki;aika"]
    lines += [
        f"{i};Hammaslääkärille pääsy kestää kuukausia, hammas särkee {i}.;{i};2026-03-0{1 + i % 9}"
        for i in range(10)
    ]
    lines += [
        f"{10 + i};Kotihoidon hoitajat vaihtuvat joka käynnillä, äiti hämmentyy {i}.;1;2026-03-05"
        for i in range(10)
    ]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = _run(
        "nlp.cli",
        str(csv_file),
        "--text-column",
        "viesti",
        "--format",
        "md",
        "--themes",
        "2",
        "--id-column",
        "id",
        "--support-column",
        "tuki",
        "--time-column",
        "aika",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# Teemayhteenveto")
    assert "## 2." in done.stdout and "### Kehitys ajassa" in done.stdout


def _bad_inputs(tmp_path: Path) -> list[tuple[list[str], str]]:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    header_only = tmp_path / "header.csv"
    header_only.write_text("text,label\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("text\nHyvää päivää\n".encode("latin-1"))
    return [
        ([str(tmp_path / "missing.csv"), "--text-column", "text"], "not found"),
        ([str(SAMPLE), "--text-column", "viesti"], "column 'viesti' not found"),
        ([str(empty), "--text-column", "text"], "empty"),
        ([str(header_only), "--text-column", "text"], "no data rows"),
        ([str(latin1), "--text-column", "text"], "not UTF-8"),
        ([str(SAMPLE)], "--text-column"),
        ([str(SAMPLE), "--text-column", "text", "--format", "xml"], "invalid choice"),
        ([str(SAMPLE), "--text-column", "text", "--themes", "0"], "at least 1"),
    ]


def test_bad_input_exits_2_with_one_line(tmp_path: Path) -> None:
    for args, message in _bad_inputs(tmp_path):
        done = _run("nlp.cli", *args)
        assert done.returncode == 2, args
        assert message in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert done.stdout == ""


@pytest.mark.parametrize("prefix", [[], ["themes"]])
def test_main_in_process(prefix: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*prefix, "/nonexistent.csv", "--text-column", "text"]) == 2
    assert "file not found" in capsys.readouterr().err


def test_evaluation_beats_baseline_on_sample() -> None:
    done = _run("nlp.evaluate", str(SAMPLE), "--text-column", "text", "--label-column", "label")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["raati_nmi"] > figures["baseline_nmi"]
    assert figures["raati_ari"] > figures["baseline_ari"]
