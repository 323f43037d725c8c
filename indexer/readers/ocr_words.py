"""Tone repair of recognised words: Tesseract often misreads one diacritic ("chi bộ" -> "chỉ bộ", "hướng dẫn"
-> "hưởng dẫn", "xây dựng" -> "xầy dựng") with high confidence. Among the readings of a word that differ only in
diacritics, the one its neighbours make far more common in administrative Vietnamese wins.

The counts (syllable pairs, ``indexer/data/ocr_bigrams.tsv.gz``) come from public official texts
(``benchmarks/ocr_lexicon.py``); only OCR text is repaired, never a digital text layer.
"""

from __future__ import annotations

import gzip
import re
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from indexer.readers.textlayer import is_syllable
from indexer.vntext import fold, normalize_tones

LEXICON = Path(__file__).resolve().parents[1] / "data" / "ocr_bigrams.tsv.gz"
ODDS = 100.0  # prior odds that a real syllable's diacritics were read right
SMOOTH = 0.5
BESIDE = 5  # a proposed reading is seen at least this often beside each neighbour
SEEN = 3  # the word as read is seen this often beside each neighbour: left alone
COMMON = 20  # readings seen fewer times are typos and unaccented text in the sources, never proposed
_WORD = re.compile(r"^([^\w]*)([^\W\d_]+)([^\w]*)$")


class _Lexicon:
    def __init__(self, pairs: dict[tuple[str, str], int]) -> None:
        self.pairs = pairs
        readings: dict[str, set[str]] = defaultdict(set)
        for a, b in pairs:
            readings[fold(a)].add(a)
            readings[fold(b)].add(b)
        self.readings = {k: tuple(sorted(v)) for k, v in readings.items()}
        self.unigram: dict[str, int] = defaultdict(int)
        for (a, _), n in pairs.items():
            self.unigram[a] += n

    def count(self, a: str | None, b: str | None) -> int:
        return self.pairs.get((a, b), 0) if a and b else 0


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    return _Lexicon(read_pairs(LEXICON))


def read_pairs(path: Path) -> dict[tuple[str, str], int]:
    """A syllable-pair table (gzip, lines "left right<TAB>count"): this module's, or the question table of
    ``assistant.qa.restore``."""
    pairs: dict[tuple[str, str], int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            pair, count = line.rstrip("\n").split("\t")
            a, b = pair.split(" ")
            pairs[(a, b)] = int(count)
    return pairs


def repair_tones(words: Sequence[str]) -> list[str]:
    """The words of one line, each replaced by a reading with other diacritics where its neighbours demand it."""
    lex = _lexicon()
    out = list(words)
    parts = [_WORD.match(normalize_tones(w)) for w in words]
    for i, m in enumerate(parts):
        if not m:
            continue
        prev = parts[i - 1] if i else None
        left = _core(out, i - 1) if prev and not m.group(1) and not prev.group(3) else None
        nxt = parts[i + 1] if i + 1 < len(parts) else None
        right = nxt.group(2).lower() if nxt and not m.group(3) and not nxt.group(1) else None
        if left is None and right is None:
            continue
        best = _best(lex, m.group(2).lower(), left, right)
        if best:
            out[i] = f"{m.group(1)}{_same_case(best, m.group(2))}{m.group(3)}"
    return out


def _core(out: list[str], i: int) -> str | None:
    m = _WORD.match(normalize_tones(out[i]))
    return m.group(2).lower() if m else None


def _best(lex: _Lexicon, word: str, left: str | None, right: str | None) -> str | None:
    """The noisy-channel choice: the reading likeliest next to its neighbours, where it beats the word as read
    (trusted ``ODDS`` to one on its diacritics) and is itself seen often beside each neighbour."""

    def chance(reading: str) -> float:
        if not left:
            return lex.count(reading, right) + SMOOTH
        p = lex.count(left, reading) + SMOOTH
        if right:
            p *= (lex.count(reading, right) + SMOOTH) / (lex.unigram.get(reading, 0) + SMOOTH * 50)
        return p

    def attested(reading: str) -> bool:
        if left and right:
            return min(lex.count(left, reading), lex.count(reading, right)) >= BESIDE
        return lex.count(left, reading) + lex.count(reading, right) >= BESIDE * 4

    real = is_syllable(word) and lex.unigram.get(word, 0) >= COMMON  # a reading in use, not "luât", "qưả"
    if (real and not (left and right)) or _seen(lex, word, left, right):
        return None  # one neighbour cannot overturn a real syllable (line starts, "huyện, quận và")
    odds = ODDS if real else 1.0
    best, best_chance = None, chance(word) * odds
    for reading in lex.readings.get(fold(word), ()):
        if reading == word or lex.unigram.get(reading, 0) < COMMON or not attested(reading):
            continue
        p = chance(reading)
        if p > best_chance:
            best, best_chance = reading, p
    return best


def _seen(lex: _Lexicon, word: str, left: str | None, right: str | None) -> bool:
    """The word as read already stands beside each of its neighbours in the sources: a real reading, kept."""
    return all(lex.count(*pair) >= SEEN for pair in ((left, word), (word, right)) if None not in pair)


def _same_case(reading: str, like: str) -> str:
    if len(like) > 1 and like.isupper():
        return reading.upper()
    return reading[:1].upper() + reading[1:] if like[:1].isupper() else reading
