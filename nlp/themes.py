"""Theme summaries of what residents said: the public entry points.

``compute_themes(texts, meta)`` clusters posts into themes (K chosen
automatically or forced), names and summarises each, and puts posts that fit
no theme into "Muut". ``assign(model, text)`` places a new post into the
themes of an earlier run. The result is deterministic for the same input.

Pass an ``AnalysisCache`` (a dict) to reuse per-text analyses between runs;
rows are 0-based positions in ``texts``, and every representative and summary
sentence names its row (and post id, if given) so it links to the original.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from nlp.analysis import AnalysisCache, TextAnalysis, analyze_text, analyze_texts
from nlp.clustering import FIT_THRESHOLD, Clustering, Matrix, VectorSpace, cluster, fit_space
from nlp.growth import bucket_labels, growth
from nlp.labels import Naming, frequent_nouns, name_theme
from nlp.summaries import (
    Quote,
    Stance,
    SummarySentence,
    keywords,
    overview,
    quotable,
    quotes,
    stance,
    summarise,
)
from nlp.summary_language import LANGUAGES

__all__ = [
    "OTHER_LABEL",
    "PostMeta",
    "QuestionThemes",
    "Quote",
    "SessionThemes",
    "Stance",
    "SummarySentence",
    "Theme",
    "ThemeModel",
    "ThemeResult",
    "assign",
    "compute_session_themes",
    "compute_themes",
]

OTHER_LABEL = "Muut"
# Agreement is told for nouns at least this many of a theme's posts use.
_ASPECT_POSTS = 3
_ASPECTS = 8
_NO_STANCE = Stance(0, 0, 0)
PostId = str | int


@dataclass(frozen=True, slots=True)
class PostMeta:
    """Optional facts about one post; all may be left out."""

    post_id: PostId | None = None
    participant_id: str | None = None
    support: int = 0
    created_at: datetime | None = None
    # The session question the post answers; themes are also computed per question.
    question: str | None = None
    # Held for moderation (or hidden): clustered, counted, never quoted.
    held: bool = False


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme (or "Muut", id 0). ``rows`` index the input texts.

    ``quotes`` are representative posts, each with the count of
    near-duplicates it stands for; ``overviews`` are short paragraphs (what,
    how many, agreement) in fi, sv and en, ``stance`` their counts.
    """

    id: int
    label: str
    keywords: tuple[str, ...]
    rows: tuple[int, ...]
    participants: int | None
    support: int
    quotes: tuple[Quote, ...]
    summary: tuple[SummarySentence, ...]
    growth: tuple[tuple[str, int], ...]
    overviews: tuple[tuple[str, str], ...] = ()
    stance: Stance = _NO_STANCE

    @property
    def overview(self) -> str:
        """The overview in Finnish."""
        return self.overview_in("fi")

    def overview_in(self, lang: str) -> str:
        """The overview in ``lang`` (fi, sv, en), Finnish if there is none."""
        texts = dict(self.overviews)
        return texts.get(lang) or texts.get("fi", "")

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def representatives(self) -> tuple[int, ...]:
        """The rows of the quotes."""
        return tuple(q.row for q in self.quotes)


@dataclass(frozen=True, slots=True)
class ThemeModel:
    """What ``assign`` needs to place a new post: the space and the centroids.

    Picklable, so it can be computed in a worker process and sent back.
    """

    space: VectorSpace | None
    centroids: Matrix
    theme_ids: tuple[int, ...]
    threshold: float = FIT_THRESHOLD


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """Themes (largest first), the "Muut" bucket, and each row's theme id
    (None for "Muut")."""

    themes: tuple[Theme, ...]
    other: Theme
    assignments: tuple[int | None, ...]
    post_ids: tuple[PostId | None, ...]
    k: int
    silhouette: float | None
    buckets: tuple[str, ...]
    model: ThemeModel = field(repr=False)

    @property
    def coverage(self) -> float:
        """Share of posts that landed in a real theme (not "Muut")."""
        total = len(self.assignments)
        return sum(a is not None for a in self.assignments) / total if total else 0.0


def _min_theme_size(n_posts: int) -> int:
    """Clusters smaller than this go to "Muut": about 1% of posts, at least 3."""
    return max(3, n_posts // 100) if n_posts >= 30 else 2


def _participants(rows: Sequence[int], meta: Sequence[PostMeta]) -> int | None:
    people = {meta[r].participant_id for r in rows if meta[r].participant_id is not None}
    return len(people) if people else None


@dataclass(frozen=True, slots=True)
class _Inputs:
    texts: Sequence[str]
    meta: Sequence[PostMeta]
    analyses: Sequence[TextAnalysis]
    buckets: Sequence[str | None]
    ordered_buckets: Sequence[str]
    allowed: Sequence[bool]


def _build_theme(
    theme_id: int,
    members: NDArray[np.int64],
    terms: list[str],
    similarity: NDArray[np.float64],
    centroid: Matrix | None,
    space: VectorSpace | None,
    data: _Inputs,
) -> Theme:
    people: list[str | None] = [m.participant_id for m in data.meta]
    picked = quotes(members, similarity, data.analyses, people, data.allowed)
    summary: list[SummarySentence] = []
    if centroid is not None and space is not None:
        summary = summarise(
            members,
            similarity,
            centroid,
            data.texts,
            data.analyses,
            space,
            data.allowed,
            quoted=[q.row for q in picked],
        )
    rows = tuple(sorted(members.tolist()))
    members_analyses = [data.analyses[r] for r in rows]
    naming = (
        name_theme(terms, members_analyses) if theme_id else Naming(OTHER_LABEL, ())
    )
    participants = _participants(rows, data.meta)
    nouns = frequent_nouns(members_analyses, _ASPECT_POSTS, _ASPECTS) if theme_id else []
    view = stance(rows, data.analyses, nouns)
    return Theme(
        id=theme_id,
        label=naming.label,
        keywords=naming.keywords,
        rows=rows,
        participants=participants,
        support=sum(data.meta[r].support for r in rows),
        quotes=tuple(picked),
        summary=tuple(summary),
        growth=tuple(growth(rows, data.buckets, data.ordered_buckets)),
        overviews=tuple(
            (lang, overview(naming, len(rows), participants, view, lang)) for lang in LANGUAGES
        )
        if theme_id
        else (),
        stance=view,
    )


def _empty_result(data: _Inputs) -> ThemeResult:
    everyone = np.arange(len(data.texts), dtype=np.int64)
    other = _build_theme(0, everyone, [], np.zeros(len(data.texts)), None, None, data)
    model = ThemeModel(None, np.zeros((0, 0)), ())
    return ThemeResult(
        (),
        other,
        (None,) * len(data.texts),
        tuple(m.post_id for m in data.meta),
        0,
        None,
        tuple(data.ordered_buckets),
        model,
    )


def compute_themes(
    texts: Sequence[str],
    meta: Sequence[PostMeta] | None = None,
    *,
    k: int | None = None,
    cache: AnalysisCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> ThemeResult:
    """Cluster ``texts`` into themes; ``k`` forces the number of clusters.

    ``meta`` (same length as ``texts``) adds post ids, participants, support
    and timestamps. ``progress`` is called with counts of texts analysed.
    """
    if meta is not None and len(meta) != len(texts):
        raise ValueError("meta must have one entry per text")
    metas = list(meta) if meta is not None else [PostMeta() for _ in texts]
    analyses = analyze_texts(texts, cache, progress)
    buckets, ordered = bucket_labels([m.created_at for m in metas])
    allowed = quotable(texts, [m.held for m in metas])
    data = _Inputs(texts, metas, analyses, buckets, ordered, allowed)
    # One BLAS/OpenMP thread: on a busy 2-core machine k-means with a thread
    # pool spin-waits and runs ~25x slower, and one thread is reproducible.
    with threadpool_limits(limits=1):
        fitted = fit_space(analyses)
        if fitted is None:
            return _empty_result(data)
        space, tfidf, points = fitted
        clustering = cluster(points, k, _min_theme_size(len(texts)))
        if not (clustering.labels >= 0).any():
            return _empty_result(data)
        return _assemble(data, space, tfidf, points, clustering)


def _assemble(
    data: _Inputs, space: VectorSpace, tfidf: object, points: Matrix, clustering: Clustering
) -> ThemeResult:
    from scipy.sparse import csr_matrix

    assert isinstance(tfidf, csr_matrix)
    labels = clustering.labels
    # Number themes by size, largest first; ties by the first row in them.
    kept = sorted(
        {int(c) for c in labels if c >= 0},
        key=lambda c: (-int((labels == c).sum()), int(np.argmax(labels == c))),
    )
    terms = space.terms
    themes: list[Theme] = []
    centroids: list[Matrix] = []
    assignments: list[int | None] = [None] * len(labels)
    for theme_id, c in enumerate(kept, start=1):
        members = np.flatnonzero(labels == c).astype(np.int64)
        centroid = clustering.centroids[c]
        similarity: NDArray[np.float64] = points @ centroid
        words = keywords(tfidf, members, terms)
        themes.append(_build_theme(theme_id, members, words, similarity, centroid, space, data))
        centroids.append(centroid)
        for row in members.tolist():
            assignments[row] = theme_id
    rest = np.flatnonzero(labels < 0).astype(np.int64)
    other = _build_theme(0, rest, [], np.zeros(len(labels)), None, None, data)
    model = ThemeModel(space, np.vstack(centroids), tuple(t.id for t in themes))
    return ThemeResult(
        tuple(themes),
        other,
        tuple(assignments),
        tuple(m.post_id for m in data.meta),
        clustering.k,
        clustering.silhouette,
        tuple(data.ordered_buckets),
        model,
    )


def assign(model: ThemeModel, text: str, analysis: TextAnalysis | None = None) -> int | None:
    """The id of the existing theme a new post belongs to, or None ("Muut")."""
    if model.space is None or not model.theme_ids:
        return None
    vector = model.space.project([analysis or analyze_text(text)])[0]
    if not vector.any():
        return None
    similarity = model.centroids @ vector
    best = int(np.argmax(similarity))
    return model.theme_ids[best] if similarity[best] >= model.threshold else None


@dataclass(frozen=True, slots=True)
class QuestionThemes:
    """Themes of the posts answering one question; ``rows`` map the result's
    rows (0..n-1) back to rows of the whole session's input."""

    question: str
    rows: tuple[int, ...]
    result: ThemeResult


@dataclass(frozen=True, slots=True)
class SessionThemes:
    """Themes of a whole session and of each of its questions (in the order
    questions first appear; posts without a question are only in ``overall``)."""

    overall: ThemeResult
    questions: tuple[QuestionThemes, ...]


def compute_session_themes(
    texts: Sequence[str],
    meta: Sequence[PostMeta],
    *,
    k: int | None = None,
    cache: AnalysisCache | None = None,
) -> SessionThemes:
    """Themes for the whole session and per question (``PostMeta.question``).

    ``k`` applies to the whole session only; each question chooses its own.
    """
    store: AnalysisCache = cache if cache is not None else {}
    overall = compute_themes(texts, meta, k=k, cache=store)
    by_question: dict[str, list[int]] = {}
    for row, m in enumerate(meta):
        if m.question is not None:
            by_question.setdefault(m.question, []).append(row)
    parts = tuple(
        QuestionThemes(
            question,
            tuple(rows),
            compute_themes([texts[r] for r in rows], [meta[r] for r in rows], cache=store),
        )
        for question, rows in by_question.items()
    )
    return SessionThemes(overall, parts)
