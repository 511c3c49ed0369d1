"""Evaluation of theme clustering against human labels.

    python -m nlp.evaluate FILE.csv --text-column COL --label-column COL [--themes K]

Prints NMI and ARI of Raati's themes (automatic K, "Muut" counted as one more
cluster) and of a baseline: TF-IDF on lowercased raw tokens and k-means with
k = the number of labels. The last line is a JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
from threadpoolctl import threadpool_limits

from nlp.clustering import SEED
from nlp.csv_input import InputError, read_table
from nlp.themes import compute_themes

__all__ = ["Scores", "baseline_clusters", "evaluate", "main", "score"]


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


def evaluate(
    texts: Sequence[str], labels: Sequence[str], k: int | None = None
) -> dict[str, object]:
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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InputError(message)


def main(argv: list[str]) -> int:
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
