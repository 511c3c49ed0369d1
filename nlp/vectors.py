"""Word vectors and word frequencies from the spaCy Finnish model, without
running its pipeline.

``spacy_fi_experimental_web_md`` ships 300-d floret vectors (hashed subword
n-grams, so every word, even a misspelt one, has a vector) and a
``lexeme_prob`` table of log word probabilities. Both are read straight from
the package's ``vocab/`` folder: the vectors memory-mapped, the
probabilities streamed into two arrays (~6 MB); loading takes well under a
second.

Vectors are looked up in chunks: floret builds an n-gram index matrix per
call, and one call for a whole corpus' vocabulary once used 1.4 GB.
Looked-up vectors are kept per process (up to 50,000 words), so a second run
over the same posts costs nothing.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["WordVectors", "word_vectors"]

_MODEL_PACKAGE = "spacy_fi_experimental_web_md"
_VOCAB_GLOB = "fi_experimental_web_md-*/vocab"
_CHUNK = 512
# Words whose vectors are kept per process (~1.2 KB each): about 60 MB.
_CACHE_LIMIT = 50_000
# Log probability of a word the table does not know (its "oov_prob" setting).
_DEFAULT_OOV_LOG_PROB = -19.9

_FLORET_SETTINGS = ("mode", "minn", "maxn", "hash_count", "hash_seed", "bow", "eow", "attr")

LogProbs = tuple[NDArray[np.uint64], NDArray[np.float32]]


def _vocab_dir() -> Path | None:
    spec = importlib.util.find_spec(_MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        for path in sorted(Path(location).glob(_VOCAB_GLOB)):
            if (path / "vectors").is_file():
                return path
    return None


@dataclass(slots=True)
class WordVectors:
    """Floret vectors and log probabilities of words, with a per-process cache."""

    vectors: Any  # spacy.vectors.Vectors in floret mode
    log_probs: LogProbs
    oov_log_prob: float
    cache: dict[str, NDArray[np.float32]]
    lock: threading.Lock

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    def probabilities(self, words: Sequence[str]) -> NDArray[np.float64]:
        """Each word's unigram probability (the table's value for unknown words)."""
        from spacy.strings import get_string_id

        keys, values = self.log_probs
        hashes = np.fromiter((get_string_id(w) for w in words), dtype=np.uint64, count=len(words))
        at = np.minimum(np.searchsorted(keys, hashes), max(len(keys) - 1, 0))
        found = keys[at] == hashes if len(keys) else np.zeros(len(words), dtype=bool)
        logs = np.where(found, values[at] if len(keys) else 0.0, self.oov_log_prob)
        return np.exp(logs.astype(np.float64))

    def lookup(self, words: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """The vector of each distinct word, computed in bounded chunks."""
        with self.lock:  # floret lookups share scratch state in the Vectors object
            missing = sorted({w for w in words if w not in self.cache})
            if len(self.cache) + len(missing) > _CACHE_LIMIT:
                self.cache.clear()  # a new corpus' words; the old ones may return later
                missing = sorted(set(words))
            for start in range(0, len(missing), _CHUNK):
                chunk = missing[start : start + _CHUNK]
                rows = np.asarray(self.vectors.get_batch(chunk), dtype=np.float32)
                self.cache.update(zip(chunk, rows, strict=True))
            return {w: self.cache[w] for w in words}


def _read_log_probs(vocab: Path) -> tuple[LogProbs, float]:
    """The ``lexeme_prob`` table as sorted key hashes and values.

    Streamed with msgpack straight from ``lookups.bin`` into two arrays
    (~6 MB): spaCy's ``Lookups`` takes seconds to build its tables, and the
    500,000 entries as a dict would hold ~190 MB, even if only for a moment.
    """
    from srsly.msgpack import Unpacker

    keys = np.zeros(0, dtype=np.uint64)
    values = np.zeros(0, dtype=np.float32)
    oov = _DEFAULT_OOV_LOG_PROB
    with (vocab / "lookups.bin").open("rb") as file:
        reader: Any = Unpacker(file, raw=False, strict_map_key=False)
        for _ in range(reader.read_map_header()):
            name = reader.unpack()
            if name != "lexeme_prob":
                table = reader.unpack()
                if name == "lexeme_settings" and isinstance(table, dict) and table:
                    oov = float(next(iter(table.values())))
                continue
            size = reader.read_map_header()
            keys = np.empty(size, dtype=np.uint64)
            values = np.empty(size, dtype=np.float32)
            for i in range(size):
                keys[i] = reader.unpack()
                values[i] = reader.unpack()
    order = np.argsort(keys)
    return (keys[order], values[order]), oov


def _read_vectors(vocab: Path) -> Any:
    """The floret table, memory-mapped: pages are read as words need them and
    shared between processes, instead of a private 60 MB copy (and a second
    one while loading) in every theme worker."""
    import json

    from spacy.vectors import Vectors

    settings: dict[str, Any] = json.loads((vocab / "vectors.cfg").read_text(encoding="utf-8"))
    if settings.get("mode") != "floret":
        vectors = Vectors()
        vectors.from_disk(vocab)
        return vectors
    table = np.load(vocab / "vectors", mmap_mode="r")
    return Vectors(data=table, **{key: settings[key] for key in _FLORET_SETTINGS})


@lru_cache(maxsize=1)
def word_vectors() -> WordVectors | None:
    """The model's vectors, loaded once per process; None if the model is not installed."""
    vocab = _vocab_dir()
    if vocab is None:
        return None
    probs, oov = _read_log_probs(vocab)
    return WordVectors(_read_vectors(vocab), probs, oov, {}, threading.Lock())
