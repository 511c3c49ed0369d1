"""Theme analysis in a worker process, so a long analysis never delays live
delivery. Functions here run in the pool; their arguments and results are
picklable. Each worker process keeps its own analysis cache, so recomputing a
session reanalyses only the posts it has not seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the NLP stack loads in the worker process only (seconds of imports)
    from nlp.analysis import AnalysisCache
    from nlp.themes import ThemeModel

# One per worker process (never shared between processes); bounded by clearing.
_cache: AnalysisCache = {}
_CACHE_LIMIT = 200_000


@dataclass(frozen=True)
class PostRow:
    post_id: int
    text: str
    participant: str
    support: int
    created_at: datetime
    question: str = ""


@dataclass(frozen=True)
class Computed:
    report: dict[str, Any]
    csv: str
    markdown: str
    model: ThemeModel
    post_ids: tuple[int, ...]
    # Each question's own themes, by the question's text.
    question_models: dict[str, ThemeModel] = field(default_factory=dict)


def compute(rows: list[PostRow], k: int | None = None) -> Computed:
    """Themes of the whole session and of each question, with their exports."""
    from nlp.exports import session_to_dict, session_to_markdown, to_csv
    from nlp.themes import PostMeta, compute_session_themes

    if len(_cache) > _CACHE_LIMIT:
        _cache.clear()
    texts = [r.text for r in rows]
    meta = [PostMeta(post_id=r.post_id, participant_id=r.participant, support=r.support,
                     created_at=r.created_at, question=r.question or None) for r in rows]
    session = compute_session_themes(texts, meta, k=k, cache=_cache)
    result = session.overall
    return Computed(session_to_dict(session, texts), to_csv(result, texts, meta),
                    session_to_markdown(session, texts), result.model,
                    tuple(r.post_id for r in rows),
                    {part.question: part.result.model for part in session.questions})


Placement = tuple[int | None, int | None]


def place(model: ThemeModel, question_models: dict[str, ThemeModel],
          posts: list[tuple[str, str]]) -> list[Placement]:
    """For posts (text, question) that arrived after the last computation: the
    session theme and the question's own theme each fits (None = "Muut")."""
    from nlp.analysis import analyze_text
    from nlp.themes import assign

    placed: list[Placement] = []
    for text, question in posts:
        analysis = analyze_text(text)
        own = question_models.get(question)
        placed.append((assign(model, text, analysis),
                       assign(own, text, analysis) if own is not None else None))
    return placed
