"""Evaluation of theme clustering against human labels.

    python -m nlp.evaluate
    python -m nlp.evaluate FILE.csv --text-column COL --label-column COL [--themes K]

Without a file, evaluates the shipped sample (``nlp/data/sample_feedback.csv``)
and, when found beside the repository (``../shared/data``), the public
ministers' answers corpus ``eduskunta_vkk_dev.csv`` (CC BY 4.0), each with K
given (= number of labels) and automatic, plus how automatic K does on
subsets of 2, 3, 5, 9 and 12 labels. No network is needed.

Prints NMI and ARI of Raati's themes ("Muut" counted as one more cluster) and
of a baseline: TF-IDF on lowercased raw tokens and k-means with k = the
number of labels. The last line is a JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from threadpoolctl import threadpool_limits

from nlp.clustering import SEED
from nlp.csv_input import InputError, read_table
from nlp.themes import compute_themes

__all__ = [
    "Scores",
    "baseline_clusters",
    "evaluate",
    "k_choices",
    "label_subsets",
    "main",
    "public_corpora",
    "score",
]

_REPO = Path(__file__).resolve().parent.parent
SAMPLE = _REPO / "nlp" / "data" / "sample_feedback.csv"
_SHARED_CANDIDATES = (_REPO.parent / "shared" / "data", _REPO.parent.parent / "shared" / "data")
PUBLIC_CORPUS = "eduskunta_vkk_dev.csv"
# Automatic K is shown on inputs made of this many of the human labels.
_SUBSET_SIZES = (2, 3, 5, 9, 12)


@dataclass(frozen=True, slots=True)
class Scores:
    nmi: float
    ari: float


def score(labels: Sequence[str], clusters: Sequence[int]) -> Scores:
    return Scores(
        round(float(normalized_mutual_info_score(labels, clusters)), 4),
        round(float(adjusted_rand_score(labels, clusters)), 4),
    )


def baseline_clusters(texts: Sequence[str], k: int) -> list[int]:
    """TF-IDF on lowercased raw tokens + k-means: what a non-Finnish tool does."""
    tfidf = TfidfVectorizer(lowercase=True).fit_transform(texts)
    model = KMeans(n_clusters=max(1, min(k, len(texts))), n_init=10, random_state=SEED)
    with threadpool_limits(limits=1):  # see nlp.themes.compute_themes
        return [int(c) for c in model.fit(tfidf).labels_]


def evaluate(texts: Sequence[str], labels: Sequence[str], k: int | None = None) -> dict[str, float]:
    """Raati's and the baseline's scores against ``labels``, as a dict."""
    result = compute_themes(texts, k=k)
    ours = [0 if theme is None else theme for theme in result.assignments]
    raati = score(labels, ours)
    base = score(labels, baseline_clusters(texts, len(set(labels))))
    return {
        "posts": len(texts),
        "labels": len(set(labels)),
        "raati_themes": result.k,
        "raati_coverage": round(result.coverage, 4),
        "raati_nmi": raati.nmi,
        "raati_ari": raati.ari,
        "baseline_nmi": base.nmi,
        "baseline_ari": base.ari,
    }


def label_subsets(labels: Sequence[str], size: int, count: int) -> list[tuple[str, ...]]:
    """Up to ``count`` disjoint sets of ``size`` labels (sorted, consecutive),
    wrapping around when there are too few labels for disjoint sets."""
    distinct = sorted(set(labels))
    if size > len(distinct):
        return []
    subsets: list[tuple[str, ...]] = []
    for i in range(count):
        start = (i * size) % len(distinct)
        chosen = tuple((distinct * 2)[start : start + size])
        if chosen not in subsets:
            subsets.append(chosen)
    return subsets


def k_choices(texts: Sequence[str], labels: Sequence[str], size: int, count: int = 2) -> list[int]:
    """Automatic K on inputs made of ``size`` of the human labels."""
    chosen: list[int] = []
    for subset in label_subsets(labels, size, count):
        rows = [i for i, label in enumerate(labels) if label in subset]
        chosen.append(compute_themes([texts[i] for i in rows]).k)
    return chosen


def public_corpora() -> list[tuple[str, Path]]:
    """The shipped sample and, if found beside the repository, the public corpus."""
    corpora = [("sample", SAMPLE)]
    for folder in _SHARED_CANDIDATES:
        if (folder / PUBLIC_CORPUS).is_file():
            corpora.append(("eduskunta_vkk", folder / PUBLIC_CORPUS))
            break
    return corpora


def _line(name: str, mode: str, figures: dict[str, float]) -> str:
    return (
        f"{name:14} {mode:5} themes {figures['raati_themes']!s:>3}  "
        f"NMI {figures['raati_nmi']:.3f}  ARI {figures['raati_ari']:.3f}  |  "
        f"baseline NMI {figures['baseline_nmi']:.3f}  ARI {figures['baseline_ari']:.3f}"
    )


def _evaluate_all() -> int:
    report: dict[str, object] = {}
    for name, path in public_corpora():
        table = read_table(str(path))
        texts, labels = table.column("text"), table.column("label")
        given = evaluate(texts, labels, len(set(labels)))
        auto = evaluate(texts, labels)
        print(f"{name}: {len(texts)} posts, {len(set(labels))} human labels")
        print(_line(name, "given", given))
        print(_line(name, "auto", auto))
        choices = {size: k_choices(texts, labels, size) for size in _SUBSET_SIZES}
        for size, ks in choices.items():
            if ks:
                print(f"{name:14} automatic K on {size}-label inputs: {ks}")
        report[name] = {
            "given": given,
            "auto": auto,
            **{f"k_on_{size}": ks for size, ks in choices.items()},
        }
    print(json.dumps(report))
    return 0


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def main(argv: list[str]) -> int:
    if not argv:
        return _evaluate_all()
    parser = _Parser(prog="python -m nlp.evaluate", description=__doc__)
    parser.add_argument("file")
    parser.add_argument("--text-column", required=True)
    parser.add_argument("--label-column", required=True)
    parser.add_argument("--themes", type=int, metavar="K")
    try:
        args = parser.parse_args(argv)
        table = read_table(args.file)
        texts, labels = table.column(args.text_column), table.column(args.label_column)
    except InputError as exc:
        print(f"nlp.evaluate: error: {exc}", file=sys.stderr)
        return 2
    figures = evaluate(texts, labels, args.themes)
    print(f"posts: {figures['posts']}, human labels: {figures['labels']}")
    print(
        f"Raati ({figures['raati_themes']} themes, coverage {figures['raati_coverage']:.0%}): "
        f"NMI {figures['raati_nmi']:.3f}  ARI {figures['raati_ari']:.3f}"
    )
    print(
        f"baseline (raw-token TF-IDF + k-means, k={figures['labels']}): "
        f"NMI {figures['baseline_nmi']:.3f}  ARI {figures['baseline_ari']:.3f}"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
