"""Benchmark of the Finnish pipeline and theme computation (not a test).

    python -m bench.nlp

Measures the fast path (cold word cache) and the full spaCy pipeline in words
per second, their lemma agreement (see ``nlp.agreement``), and theme
computation for 10,000 posts synthesised by recombining the sample's
sentences: cold (empty caches, word vectors not yet loaded) and with the
per-text analyses cached; placing one new post into the existing themes
(median of 50 posts, model loaded); and the process' peak resident memory.
The last stdout line is one JSON object.
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import time
from pathlib import Path

from nlp.agreement import measure_agreement
from nlp.analysis import AnalysisCache, sentence_spans
from nlp.csv_input import read_table
from nlp.finnish import full_pipeline, lemmas, tokenize
from nlp.themes import assign, compute_themes
from nlp.voikko import analyze_word

DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"
N_POSTS = 10_000


def _corpus() -> list[str]:
    sample = read_table(str(DATA / "sample_feedback.csv")).column("text")
    extra = (DATA / "agreement_texts.txt").read_text(encoding="utf-8").splitlines()
    return sample + [line for line in extra if line.strip()]


def _words(texts: list[str]) -> int:
    return sum(1 for text in texts for tok in tokenize(text) if tok.is_word)


def _synthetic_posts(texts: list[str], n: int) -> list[str]:
    rng = random.Random(0)
    sentences = [t[s:e].strip() for t in texts for s, e in sentence_spans(t)]
    return [" ".join(rng.sample(sentences, rng.randint(1, 3))) for _ in range(n)]


def main() -> None:
    texts = _corpus()
    words = _words(texts)

    analyze_word.cache_clear()
    start = time.perf_counter()
    for text in texts:
        lemmas(text)
    fast_rate = words / (time.perf_counter() - start)

    nlp = full_pipeline()
    list(nlp.pipe(texts[:20]))  # warm-up
    start = time.perf_counter()
    list(nlp.pipe(texts))
    full_rate = words / (time.perf_counter() - start)

    agreement = measure_agreement(texts)

    posts = _synthetic_posts(texts, N_POSTS)
    analyze_word.cache_clear()
    cache: AnalysisCache = {}
    # CPU time besides wall time: on a shared machine the wall clock also
    # counts other processes' turns.
    start, cpu = time.perf_counter(), time.process_time()
    cold = compute_themes(posts, cache=cache)
    cold_s, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    compute_themes(posts, cache=cache)
    cached_s, cached_cpu = time.perf_counter() - start, time.process_time() - cpu

    new_posts = _synthetic_posts(texts[::-1], 50)
    placement_ms: list[float] = []
    for post in new_posts:
        start = time.perf_counter()
        assign(cold.model, post)
        placement_ms.append((time.perf_counter() - start) * 1000)
    place_ms = statistics.median(placement_ms)
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {len(texts)} texts, {words} words")
    print(f"fast path (cold cache): {fast_rate:,.0f} words/s; full spaCy: {full_rate:,.0f} words/s")
    print(f"lemma agreement: {agreement.rate:.2%} of {agreement.tokens} word tokens")
    print(
        f"themes for {N_POSTS} posts: {cold_s:.1f} s cold, {cached_s:.1f} s cached "
        f"(CPU {cold_cpu:.1f} s / {cached_cpu:.1f} s) "
        f"({cold.k} themes, coverage {cold.coverage:.0%})"
    )
    print(f"placing a new post: {place_ms:.1f} ms (median), max {max(placement_ms):.1f} ms")
    print(f"peak memory: {peak_mb:.0f} MB")
    print(
        json.dumps(
            {
                "fast_words_per_s": round(fast_rate),
                "full_words_per_s": round(full_rate),
                "speedup": round(fast_rate / full_rate, 1),
                "lemma_agreement": round(agreement.rate, 4),
                "agreement_tokens": agreement.tokens,
                "themes_seconds_10k": round(cold_s, 2),
                "themes_seconds_10k_cold": round(cold_s, 2),
                "themes_seconds_10k_cached": round(cached_s, 2),
                "themes_cpu_seconds_10k_cold": round(cold_cpu, 2),
                "themes_cpu_seconds_10k_cached": round(cached_cpu, 2),
                "themes_k_10k": cold.k,
                "place_post_ms": round(place_ms, 2),
                "place_post_ms_max": round(max(placement_ms), 2),
                "peak_rss_mb": round(peak_mb),
            }
        )
    )


if __name__ == "__main__":
    main()
