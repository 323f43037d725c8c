"""Diacritics for a question typed without them, from the indexed documents' own spelling.

"thoi han xet cong nhan dang vien chinh thuc" folds to many readings ("thời hạn", "thôi hàn" ...). Each syllable's
readings are the accented syllables that fold to it; the reading of the whole phrase is the most likely path under a
bigram model (Viterbi) whose counts are the user's own index (document frequencies of the lexical index's syllables
and adjacent pairs, weighted ``CORPUS_WEIGHT``) added to two tables shipped with tracuu: administrative Vietnamese
(``indexer/data/ocr_bigrams.tsv.gz``) and public legal questions as people type them
(``data/question_bigrams.tsv.gz``), and the phrases people type (``query.typed_phrases``: the multi-word everyday
phrases of ``data/everyday.tsv``, "đóng tiền đảng", "già cả", and ``data/question_phrases.txt``, "cho tôi hỏi", "ở
đâu vậy"; each counted as if ``PHRASE_DF`` passages held it), smoothed towards the syllable's
frequency by ``MU`` plus ``WB`` per syllable seen after the left one (Witten-Bell: after a name such as "Tuyên
Quang" any word may come, so an unseen pair there is less unlikely), and mixed (``CACHE``, ``near``) with how often
each syllable stands in the passages a search of the folded question finds and (``CACHE_PAIR``) how often it follows
its left neighbour there. ``CORPUS_WEIGHT``, ``MU``, ``WB``, ``CACHE`` and ``CACHE_PAIR`` were chosen on tuning
questions only (the seeds and the five Party PDFs, checked on sets A and E and the
CongBot probe; benchmarks/restore.py, benchmarks/congbot_probe.py); no held-out document or question was used.
A syllable with no reading, a number, and a word typed in capitals (an abbreviation: "UBKT", "BCH TW") stay as
typed.

``restore`` is a text-level function over ``Restorer``, which is built once per index generation from
``LexicalIndex.frequencies``.
"""

from __future__ import annotations

import math
import re
from collections import ChainMap, Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from indexer.vntext import clean, fold, has_diacritics

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "question_bigrams.tsv.gz"
READINGS = 8  # most frequent readings of one folded syllable considered
PHRASE_DF = 20  # an everyday phrase counts as if this many passages of the corpus held it
CORPUS_WEIGHT = 100  # a document frequency of the user's corpus counts as this many occurrences
MU = 20.0  # weight of the syllable's own frequency in a pair's probability (Dirichlet smoothing)
WB = 2.0  # and, per left syllable, this many times the number of different syllables seen after it (Witten-Bell)
CACHE = 0.02  # share of a syllable's probability given by its frequency in the passages found for the question
CACHE_PAIR = 0.1  # and by how often it follows its left neighbour there (a pair the passages write, "tặng quà")
PASSAGES = 10  # how many passages a search of the folded question finds for ``near``
_WORD = re.compile(r"[^\W\d_]+")
# Question words the bigram tables under-count (people ask, directives do not): "may" before a counting noun is
# "mấy", "dau" closing a question after a word of place or direction is "đâu".
_COUNTING_NOUNS = ("tháng", "năm", "ngày", "tuần", "quý", "lần", "suất", "người", "đảng viên", "thành viên", "đại biểu",
                  "loại", "bước", "nhóm", "khoản")
_ASKED = (
    (re.compile(rf"\bmáy(?=\s+(?:{'|'.join(_COUNTING_NOUNS)})\b)", re.IGNORECASE), "mấy"),
    (re.compile(r"\b(ở|về|đi|nơi|gửi|nộp)\s+đầu(?=\s*[?.!]*\s*$)", re.IGNORECASE), r"\1 đâu"),
)
_GAP = re.compile(r"\s*")


@dataclass(frozen=True)
class Table:
    """Syllable-pair counts and each syllable's count as a pair's left side."""

    pairs: Mapping[tuple[str, str], int]
    unigram: Mapping[str, int]


@dataclass(frozen=True)
class Restorer:
    """Readings per folded syllable and one bigram model whose counts are the user's corpus (its own names and
    terms, each document frequency counted ``CORPUS_WEIGHT`` times) plus the shipped ``general`` table."""

    readings: Mapping[str, tuple[str, ...]]  # folded syllable -> accented readings, most frequent first
    corpus: Table
    general: Table
    total: int
    followers: Mapping[str, int] = field(default_factory=dict)  # left syllable -> different syllables after it
    local: Mapping[str, float] = field(default_factory=dict)  # syllable -> share in the passages found (``near``)
    local_pairs: Mapping[tuple[str, str], float] = field(default_factory=dict)  # P(right | left) in those passages

    def best(self, words: list[str]) -> list[str]:
        """The most likely accented reading of one phrase of folded, lower-case syllables (Viterbi)."""
        options = [self.readings.get(w) or (w,) for w in words]
        paths = {w: (math.log(self._prior(w)), [w]) for w in options[0]}
        for choices in options[1:]:
            paths = {w: max(((s + math.log(self._pair(p, w)), [*seq, w]) for p, (s, seq) in paths.items()),
                            key=lambda x: x[0]) for w in choices}
        return max(paths.values(), key=lambda x: x[0])[1]

    def count(self, word: str) -> int:
        return self.general.unigram.get(word, 0) + CORPUS_WEIGHT * self.corpus.unigram.get(word, 0)

    def _prior(self, word: str) -> float:
        return (self.count(word) + 1) / (self.total + 1)

    def _pair(self, left: str, right: str) -> float:
        """P(right | left), smoothed towards P(right)."""
        seen = self.general.pairs.get((left, right), 0) + CORPUS_WEIGHT * self.corpus.pairs.get((left, right), 0)
        mass = MU + WB * self.followers.get(left, 0)
        bigram = (seen + mass * self._prior(right)) / (self.count(left) + mass)
        if not self.local:
            return bigram
        return ((1 - CACHE - CACHE_PAIR) * bigram + CACHE * self.local.get(right, 0.0)
                + CACHE_PAIR * self.local_pairs.get((left, right), 0.0))


def restorer(frequencies: Mapping[str, int], general: Table | None = None, phrases: Iterable[str] = ()) -> Restorer:
    """A ``Restorer`` from the corpus's exact-term document frequencies (syllables and "left_right" pairs,
    ``LexicalIndex.frequencies``), a general table (default ``general_table``, shared, never copied) and phrases
    people type in questions (``query.typed_phrases``: "thầy cô", "cho tôi hỏi"), each counted as if ``PHRASE_DF``
    passages held it."""
    general = general or general_table()
    pairs: dict[tuple[str, str], int] = {}
    unigram: dict[str, int] = {}
    for term, df in frequencies.items():
        left, _, right = term.partition("_")
        if right:
            pairs[(left, right)] = df
        else:
            unigram[term] = df
    for phrase in phrases:
        words = clean(phrase).lower().split()
        for word in words:
            unigram[word] = unigram.get(word, 0) + PHRASE_DF
        for pair in pairwise(words):
            pairs[pair] = pairs.get(pair, 0) + PHRASE_DF
    model = Restorer({}, Table(pairs, unigram), general, 0)  # its counts rank the readings below
    found: defaultdict[str, set[str]] = defaultdict(set)
    for word in (*general.unigram, *unigram):
        found[fold(word)].add(word)
    readings = {f: tuple(sorted(seen, key=lambda w: (-model.count(w), w))[:READINGS]) for f, seen in found.items()}
    total = sum(general.unigram.values()) + CORPUS_WEIGHT * sum(unigram.values())
    followers: Counter[str] = Counter(left for left, _ in {*general.pairs, *pairs})
    return replace(model, readings=readings, total=total, followers=followers)


def near(model: Restorer, passages: Iterable[str]) -> Restorer:
    """``model`` leaning on the words of the passages a search of the folded question finds (its folded syllables
    find them whatever the marks), a cache model: each syllable's probability after its left neighbour is mixed
    with its share of those passages' syllables (``CACHE``) and with how often it follows that neighbour in them
    (``CACHE_PAIR``: "Học viện Chính trị", not "học viên"); the first syllable keeps its prior. "tang qua ngay
    27/7" is read as the decision on gifts for 27/7 writes it, "tặng quà", not as the corpus and public questions
    would ("tăng quá": "quá ngày" is common, "quà ngày" unseen)."""
    words: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in passages:
        for _, _, run in _phrases(clean(text).lower()):
            words.update(run)
            pairs.update(pairwise(run))
    if not words:
        return model
    found: defaultdict[str, list[str]] = defaultdict(list)
    for word, _ in words.most_common():
        found[fold(word)].append(word)
    local = {f: tuple(dict.fromkeys([*seen, *model.readings.get(f, ())])) for f, seen in found.items()}
    total = sum(words.values())
    share = {w: n / total for w, n in words.items()}
    follows = {pair: n / words[pair[0]] for pair, n in pairs.items()}
    return replace(model, readings=ChainMap(local, model.readings), local=share, local_pairs=follows)


@lru_cache(maxsize=1)
def general_table() -> Table:
    """Administrative Vietnamese (the OCR repair's table, ``indexer/data/ocr_bigrams.tsv.gz``) plus questions as
    people type them (``data/question_bigrams.tsv.gz``, ``benchmarks/question_lexicon.py``), read once."""
    from indexer.readers.ocr_words import LEXICON, read_pairs

    pairs = read_pairs(LEXICON)
    for pair, n in read_pairs(QUESTIONS).items():
        pairs[pair] = pairs.get(pair, 0) + n
    unigram: dict[str, int] = {}
    for (left, _), n in pairs.items():
        unigram[left] = unigram.get(left, 0) + n
    return Table(pairs, unigram)


def restore(text: str, model: Restorer) -> str:
    """``text`` with diacritics where it has none at all; a text with any diacritic is returned as is."""
    text = clean(text)
    if has_diacritics(text):
        return text
    out: list[str] = []
    at = 0
    for start, end, words in _phrases(text):
        kept = [len(w) > 1 and w.isupper() for w in words]  # typed in capitals: an abbreviation ("UBKT")
        free = [w.lower() for w, keep in zip(words, kept, strict=True) if not keep]
        best = iter(model.best(free) if free else ())
        pieces = [w if keep else _case_like(w, next(best)) for w, keep in zip(words, kept, strict=True)]
        out += [text[at:start], _rejoin(text[start:end], words, pieces)]
        at = end
    restored = "".join([*out, text[at:]])
    for pattern, reading in _ASKED:
        restored = pattern.sub(reading, restored)
    return restored


def restore_near(text: str, model: Restorer, find: Callable[[str, int], Iterable[str]]) -> str:
    """``restore`` leaning on the passages ``find(text, PASSAGES)`` returns for the folded question (``near``); a text
    with any diacritic is returned as is, without a search."""
    if has_diacritics(clean(text)):
        return restore(text, model)
    return restore(text, near(model, find(text, PASSAGES)))


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
