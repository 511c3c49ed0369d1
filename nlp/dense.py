"""The word-vector half of the theme space: smooth-inverse-frequency (SIF)
weighted means of a post's content lemmas, with the corpus' first principal
component removed (Arora et al., 2017).

Short posts on one topic often share no word ("hammaslääkäri" / "hampaat
särkee"), so TF-IDF alone groups them by incidental words; word vectors put
related words near each other. The weight a/(a + p(w)) mutes frequent words;
the common component removed is what every post's mean shares (mostly
frequency and style), and it is kept in ``DenseSpace`` so a new post is
placed exactly as the corpus was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix
from sklearn.preprocessing import normalize

from nlp.vectors import word_vectors

__all__ = ["SIF_A", "DenseSpace", "fit_dense"]

Matrix = NDArray[np.float64]

SIF_A = 1e-5


@dataclass(frozen=True, slots=True)
class DenseSpace:
    """A fitted SIF embedding: the smoothing constant and the removed component.

    Holds no vectors itself (they are loaded once per process), so it pickles
    small to and from a worker.
    """

    a: float
    component: NDArray[np.float64] | None

    def embed(self, docs: Sequence[Sequence[str]]) -> Matrix:
        """Unit SIF vectors of ``docs`` (bags of lemmas); zero rows for empty docs."""
        raw = _sif_means(docs, self.a)
        if raw is None:
            return np.zeros((len(docs), 0))
        if self.component is not None:
            raw -= np.outer(raw @ self.component, self.component)
        result: Matrix = normalize(raw)
        return result


def _sif_means(docs: Sequence[Sequence[str]], a: float) -> Matrix | None:
    model = word_vectors()
    if model is None:
        return None
    vocabulary = sorted({w for doc in docs for w in doc})
    if not vocabulary:
        return np.zeros((len(docs), model.dims))
    index = {w: i for i, w in enumerate(vocabulary)}
    found = model.lookup(vocabulary)
    vectors = np.vstack([found[w] for w in vocabulary]).astype(np.float64)
    weights = a / (a + model.probabilities(vocabulary))
    # A (docs x words) matrix of counts / doc length turns every mean into one product.
    rows = [r for r, doc in enumerate(docs) for _ in doc]
    cols = [index[w] for doc in docs for w in doc]
    lengths = np.array([max(len(doc), 1) for doc in docs], dtype=np.float64)
    counts = csr_matrix((1.0 / lengths[rows], (rows, cols)), shape=(len(docs), len(vocabulary)))
    means: Matrix = np.asarray(counts @ (vectors * weights[:, None]))
    return means


def _first_component(points: Matrix) -> NDArray[np.float64] | None:
    used = points[np.linalg.norm(points, axis=1) > 0]
    if len(used) < 2:
        return None
    # The top right singular vector of the (uncentred) matrix, as in SIF: the
    # top eigenvector of the small (dims x dims) Gram matrix, far cheaper than
    # an SVD of (posts x dims).
    _, vectors = np.linalg.eigh(used.T @ used)
    component: NDArray[np.float64] = vectors[:, -1]
    return component


def fit_dense(docs: Sequence[Sequence[str]], a: float = SIF_A) -> tuple[DenseSpace, Matrix] | None:
    """Fit on ``docs`` (bags of content lemmas); None without the vectors."""
    raw = _sif_means(docs, a)
    if raw is None:
        return None
    component = _first_component(raw)
    if component is not None:
        raw -= np.outer(raw @ component, component)
    return DenseSpace(a, component), normalize(raw)
