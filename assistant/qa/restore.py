"""Diacritics for a question typed without them, from the indexed documents' own spelling.

"thoi han xet cong nhan dang vien chinh thuc" folds to many readings ("thời hạn", "thôi hàn" ...). Each
syllable's readings are the accented syllables that fold to it; the reading of the whole phrase is the most likely
path under a bigram model (Viterbi) whose counts are the user's own index (document frequencies of the lexical
index's syllables and adjacent pairs, weighted ``CORPUS_WEIGHT``) added to two tables shipped with tracuu:
administrative Vietnamese (``indexer/data/ocr_bigrams.tsv.gz``) and public legal questions as people type them
(``data/question_bigrams.tsv.gz``). ``CORPUS_WEIGHT`` and ``MU`` were chosen on tuning questions only (the seeds and
the five Party PDFs; benchmarks/README.md); no held-out document or question was used. A syllable with no reading,
a number, and a word typed in capitals (an abbreviation: "UBKT", "BCH TW") stay as typed.

``restore`` is a text-level function over ``Restorer``, which is built once per index generation from
``LexicalIndex.frequencies``.
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.vntext import clean, fold, has_diacritics

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "question_bigrams.tsv.gz"
READINGS = 8  # most frequent readings of one folded syllable considered
CORPUS_WEIGHT = 100  # a document frequency of the user's corpus counts as this many occurrences
MU = 200.0  # weight of the syllable's own frequency in a pair's probability (Dirichlet smoothing)
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"\s*")

Pairs = Mapping[tuple[str, str], int]


@dataclass(frozen=True)
class Counts:
    """Syllable and adjacent-pair counts of one source of text."""

    unigram: Mapping[str, int]
    pairs: Pairs
    total: int

    def pair(self, left: str, right: str) -> float:
        """P(right | left), smoothed towards P(right)."""
        prior = (self.unigram.get(right, 0) + 1) / (self.total + 1)
        return (self.pairs.get((left, right), 0) + MU * prior) / (self.unigram.get(left, 0) + MU)

    def prior(self, word: str) -> float:
        return (self.unigram.get(word, 0) + 1) / (self.total + 1)


@dataclass(frozen=True)
class Restorer:
    """Readings per folded syllable and one bigram model: the user's corpus (its own names and terms, each
    document frequency counted ``CORPUS_WEIGHT`` times) added to administrative Vietnamese at large and to
    questions as people type them ("bao nhiêu", "thế nào")."""

    readings: Mapping[str, tuple[str, ...]]  # folded syllable -> accented readings, most frequent first
    counts: Counts

    def best(self, words: list[str]) -> list[str]:
        """The most likely accented reading of one phrase of folded, lower-case syllables (Viterbi)."""
        c = self.counts
        options = [self.readings.get(w) or (w,) for w in words]
        paths = {w: (math.log(c.prior(w)), [w]) for w in options[0]}
        for choices in options[1:]:
            paths = {w: max(((s + math.log(c.pair(p, w)), [*seq, w]) for p, (s, seq) in paths.items()),
                            key=lambda x: x[0]) for w in choices}
        return max(paths.values(), key=lambda x: x[0])[1]


def restorer(frequencies: Mapping[str, int], general: tuple[Pairs, Mapping[str, int]] | None = None) -> Restorer:
    """A ``Restorer`` from the corpus's exact-term document frequencies (syllables and "left_right" pairs) and
    general (pair counts, left-side syllable counts; default ``_general``)."""
    pairs, unigram = (dict(x) for x in (general or _general()))
    for term, df in frequencies.items():
        left, _, right = term.partition("_")
        if right:
            pairs[(left, right)] = pairs.get((left, right), 0) + CORPUS_WEIGHT * df
        elif _WORD.fullmatch(term):
            unigram[term] = unigram.get(term, 0) + CORPUS_WEIGHT * df
    found: defaultdict[str, list[str]] = defaultdict(list)
    for word in unigram:
        found[fold(word)].append(word)
    readings = {f: tuple(sorted(seen, key=lambda w: (-unigram[w], w))[:READINGS]) for f, seen in found.items()}
    return Restorer(readings, Counts(unigram, pairs, sum(unigram.values())))


@lru_cache(maxsize=1)
def _general() -> tuple[Pairs, Mapping[str, int]]:
    """Administrative Vietnamese (``indexer.readers.ocr_words``'s table) plus questions as people type them
    (``data/question_bigrams.tsv.gz``, ``benchmarks/question_lexicon.py``): pair counts and left-side counts."""
    from indexer.readers.ocr_words import syllable_counts

    pairs, unigram = (dict(x) for x in syllable_counts())
    with gzip.open(QUESTIONS, "rt", encoding="utf-8") as fh:
        for line in fh:
            pair, count = line.rstrip("\n").split("\t")
            left, right = pair.split(" ")
            pairs[(left, right)] = pairs.get((left, right), 0) + int(count)
            unigram[left] = unigram.get(left, 0) + int(count)
    return pairs, unigram


def restore(text: str, model: Restorer) -> str:
    """``text`` with diacritics where it has none at all; a text with any diacritic is returned as is."""
    text = clean(text)
    if has_diacritics(text):
        return text
    out: list[str] = []
    at = 0
    for start, end, words in _phrases(text):
        lowered = [w.lower() for w in words]
        free = [w for w, low in zip(words, lowered, strict=True) if not _kept(w, low)]
        best = iter(model.best([w.lower() for w in free])) if free else iter(())
        pieces = [w if _kept(w, low) else _case_like(w, next(best)) for w, low in zip(words, lowered, strict=True)]
        out.append(text[at:start])
        out.append(_rejoin(text[start:end], words, pieces))
        at = end
    out.append(text[at:])
    return "".join(out)


def _kept(word: str, lowered: str) -> bool:
    """Typed in capitals (an abbreviation) or not a plain syllable: left as typed."""
    return (len(word) > 1 and word.isupper()) or lowered != fold(lowered)


def _case_like(typed: str, reading: str) -> str:
    return reading[:1].upper() + reading[1:] if typed[:1].isupper() else reading


def _phrases(text: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, syllables) of each run of letter-only syllables separated by whitespace."""
    runs: list[tuple[int, int, list[str]]] = []
    for m in _WORD.finditer(text):
        if runs and _GAP.fullmatch(text, runs[-1][1], m.start()) is not None:
            start, _, words = runs[-1]
            runs[-1] = (start, m.end(), [*words, m.group()])
        else:
            runs.append((m.start(), m.end(), [m.group()]))
    return runs


def _rejoin(span: str, words: list[str], pieces: list[str]) -> str:
    """``span`` with each of its ``words`` replaced by the matching piece, the spacing kept."""
    out, at = [], 0
    for word, piece in zip(words, pieces, strict=True):
        found = span.index(word, at)
        out += [span[at:found], piece]
        at = found + len(word)
    return "".join([*out, span[at:]])
