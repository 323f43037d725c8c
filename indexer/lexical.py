"""Vietnamese-aware BM25 (bm25s scoring over our own term lists).

Term scheme (``terms``), applied to every text after ``vntext.clean``:

* syllables: lower-cased runs of letters/digits ("tổ", "chức", "2023");
* bigrams of adjacent syllables within one phrase (no punctuation between):
  "tổ_chức", "chức_đảng" — Vietnamese words are mostly 2 syllables;
* folded copies of both, marked "~" ("~to", "~to_chuc"), so that the folded
  "tổ" and the genuine word "to" stay distinct for accented queries;
* document numbers as one term each, folded and without spaces or leading
  zeros: "54-KL/TW" -> "54-kl/tw", "38 - HD/BTCTW" -> "38-hd/btctw",
  "294-QĐ/TW" -> "294-qd/tw", "15/2023/NĐ-CP" -> "15/2023/nd-cp".

Documents get all of the above. A query typed WITHOUT any diacritic gets only
the "~" folded terms, which every document also carries, so "to chuc dang
vien" matches "tổ chức đảng viên" (and also "tờ", "tô"... — the price of
folding). A query typed WITH diacritics gets the exact terms plus the folded
ones: exact matches score twice, and a syllable typed with a wrong or missing
mark ("to chức") still matches through its folded form. Document numbers are
folded on both sides.

Measured on ALQAC 2023 (210 questions, 2,249 articles; MRR@10, BM25 k1=1.5,
b=0.75, see benchmarks/lexical_alqac.py): syllables 0.781; + bigrams 0.844;
+ folded (accented queries) 0.848; the same questions typed without
diacritics 0.849. Bigrams across punctuation (0.839), folded forms without the
"~" mark (0.846 / 0.844), exact-only accented queries (0.844) and a
function-word stop list (0.845) all measured no better, so none is used.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import re
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import IndexError_
from indexer.vntext import clean, fold, has_diacritics

logger = logging.getLogger(__name__)

FOLD_MARK = "~"
FORMAT = "tracuu-lexical-1"
_META = "lexical.json"
_IDS = "ids.npy"
_REBUILD = "Hãy xây dựng lại chỉ mục (chạy lại lệnh lập chỉ mục)."

_WORD = re.compile(r"[^\W_]+")
_GAP = re.compile(r"\s*")
_SYLLABLES = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)?")  # a syllable or a pair, no digits, not folded
_L = r"[A-Za-zĐđ]"
# Party numbers: "54-KL/TW", "38-HD/BTCTW", "110-BC/UBKTTW", "294-QĐ/TW".
_PARTY_NO = re.compile(rf"(?<![\w/-])(\d{{1,5}})\s*-\s*({_L}{{1,8}})\s*/\s*({_L}{{1,10}})(?![\w/])")
# State numbers: "15/2023/NĐ-CP", "45/2019/QH14", "01/2021/TT-BNV", "123/QĐ-TTg".
_STATE_NO = re.compile(
    rf"(?<![\w/-])(\d{{1,5}})\s*/\s*(?:(\d{{4}})\s*/\s*)?"
    rf"({_L}{{1,8}}\d{{0,3}}(?:\s*-\s*{_L}{{1,10}}\d{{0,3}})*)(?![\w/-])"
)


@dataclass(frozen=True)
class TermScheme:
    """Which term families ``terms`` emits (all on by default)."""

    bigrams: bool = True
    folded: bool = True
    doc_numbers: bool = True


DEFAULT_SCHEME = TermScheme()


def doc_numbers(text: str) -> list[str]:
    """Normalised document numbers found in ``text``, in order of appearance."""
    found: list[tuple[int, str]] = []
    for m in _PARTY_NO.finditer(text):
        found.append((m.start(), f"{int(m[1])}-{m[2]}/{m[3]}"))
    for m in _STATE_NO.finditer(text):
        year = f"{m[2]}/" if m[2] else ""
        found.append((m.start(), f"{int(m[1])}/{year}{m[3]}"))
    found.sort()
    return [fold(re.sub(r"\s+", "", number)) for _, number in found]


def terms(text: str, *, query: bool = False, scheme: TermScheme = DEFAULT_SCHEME) -> list[str]:
    """BM25 terms of ``text`` (see the module docstring for the scheme)."""
    text = clean(text)
    phrases = _phrases(text.lower())
    out: list[str] = []
    exact = not query or not scheme.folded or has_diacritics(text)
    folded = scheme.folded
    for words in phrases:
        if exact:
            out.extend(_grams(words, scheme.bigrams, ""))
        if folded:
            out.extend(_grams([_fold_word(w) for w in words], scheme.bigrams, FOLD_MARK))
    if scheme.doc_numbers:
        out.extend(doc_numbers(text))
    return out


@functools.lru_cache(maxsize=1 << 18)
def _fold_word(word: str) -> str:
    """``fold`` of one syllable, cached: a corpus repeats a few tens of thousands of syllables."""
    return fold(word)


def _phrases(text: str) -> list[list[str]]:
    """Syllables grouped into runs separated only by whitespace."""
    phrases: list[list[str]] = []
    end = -1
    for m in _WORD.finditer(text):
        if end < 0 or _GAP.fullmatch(text, end, m.start()) is None:
            phrases.append([])
        phrases[-1].append(m.group())
        end = m.end()
    return phrases


def _grams(words: list[str], bigrams: bool, mark: str) -> Iterable[str]:
    for word in words:
        yield mark + word
    if bigrams:
        for left, right in pairwise(words):
            yield f"{mark}{left}_{right}"


class LexicalIndex:
    """BM25 over chunk texts keyed by int ids; a folder of plain files on disk."""

    def __init__(
        self,
        ids: Sequence[int],
        texts: Sequence[str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        scheme: TermScheme = DEFAULT_SCHEME,
    ) -> None:
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        self.ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        self.k1, self.b, self.scheme = float(k1), float(b), scheme
        self._bm25: Any = None
        if len(texts):
            self._bm25 = _build(*_term_ids(texts, scheme), k1=self.k1, b=self.b)

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, k: int, allowed: set[int] | None = None) -> tuple[list[int], list[float]]:
        """Top ``k`` (ids, BM25 scores), best first; documents sharing no term are left out."""
        if self._bm25 is None or k <= 0:
            return [], []
        token_ids = self._bm25.get_tokens_ids(terms(query, query=True, scheme=self.scheme))
        if not token_ids:
            return [], []
        scores = np.asarray(self._bm25.get_scores_from_ids(token_ids), dtype=np.float32)
        if allowed is not None:
            mask = np.isin(self.ids, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
            scores = np.where(mask, scores, 0.0)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        order = hits[np.lexsort((self.ids[hits], -scores[hits]))]
        return self.ids[order].tolist(), scores[order].astype(float).tolist()

    def score_ids(self, query: str, ids: Sequence[int]) -> np.ndarray:
        """Exact BM25 scores of ``query`` for the given ids (0 for unknown ids or no shared term)."""
        out = np.zeros(len(ids), dtype=np.float64)
        if self._bm25 is None or not len(ids):
            return out
        token_ids = self._bm25.get_tokens_ids(terms(query, query=True, scheme=self.scheme))
        if not token_ids:
            return out
        scores = np.asarray(self._bm25.get_scores_from_ids(token_ids), dtype=np.float64)
        if getattr(self, "_position", None) is None:
            self._position = {int(i): p for p, i in enumerate(self.ids)}
        for k, i in enumerate(ids):
            p = self._position.get(int(i))
            if p is not None:
                out[k] = scores[p]
        return out

    def frequencies(self) -> dict[str, int]:
        """Document frequency of every exact (not folded) syllable and "left_right" pair: the corpus's own
        spelling, from which a question typed without diacritics gets them back (``assistant.qa.restore``)."""
        if self._bm25 is None:
            return {}
        df = np.diff(np.asarray(self._bm25.scores["indptr"]))
        return {t: int(df[i]) for t, i in self._bm25.vocab_dict.items() if _SYLLABLES.fullmatch(t)}

    def save(self, directory: Path) -> None:
        """Write the index into ``directory``, replacing it only once fully written."""

        def write(folder: Path) -> None:
            if self._bm25 is not None:
                self._bm25.save(str(folder / "bm25s"), show_progress=False)
            write_meta(folder, self.ids, self.k1, self.b, self.scheme)

        swap_in(Path(directory), write)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        """Read an index written by ``save``."""
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META).read_text("utf-8"))
            if meta.get("format") != FORMAT:
                raise ValueError(f"format {meta.get('format')!r}")
            index = cls([], [], k1=meta["k1"], b=meta["b"], scheme=TermScheme(**meta["scheme"]))
            index.ids = np.load(directory / _IDS, allow_pickle=False).astype(np.int64)
            if len(index.ids):
                index._bm25 = _load_bm25(directory / "bm25s")
        except FileNotFoundError as exc:
            raise IndexError_(f"Không tìm thấy chỉ mục từ khoá '{directory}'. {_REBUILD}") from exc
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexError_(f"Chỉ mục từ khoá '{directory}' bị hỏng hoặc thuộc phiên bản khác. {_REBUILD}") from exc
        return index


def swap_in(directory: Path, write: Callable[[Path], None]) -> None:
    """``write`` a fresh folder beside ``directory``, fsync its files, then put it in ``directory``'s place."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it owner-only
        write(tmp)
        for path in tmp.rglob("*"):
            if path.is_file():
                with open(path, "rb") as handle:
                    os.fsync(handle.fileno())
        _swap_dirs(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_meta(folder: Path, ids: np.ndarray, k1: float, b: float, scheme: TermScheme) -> None:
    """The ids and the parameters of a saved index (beside bm25s's own folder)."""
    np.save(folder / _IDS, ids, allow_pickle=False)
    meta = {"format": FORMAT, "k1": k1, "b": b, "scheme": asdict(scheme), "count": len(ids)}
    (folder / _META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")


def _bm25s() -> Any:
    import bm25s

    # bm25s sets its own logger to DEBUG on import, which bypasses the
    # application's level; bring it back to warnings only.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _term_ids(texts: Iterable[str], scheme: TermScheme) -> tuple[list[array], dict[str, int]]:
    """Each text's terms as compact term ids, and the vocabulary (term -> id, in order of first use)."""
    vocab: dict[str, int] = {}
    corpus = [array("i", [vocab.setdefault(t, len(vocab)) for t in terms(text, scheme=scheme)]) for text in texts]
    return corpus, vocab


def _build(corpus: list[array], vocab: dict[str, int], *, k1: float, b: float) -> Any:
    # scipy's CSC conversion: the same matrix as bm25s's default argsort with half its peak memory
    retriever = _bm25s().BM25(k1=k1, b=b, method="lucene", csc_backend="scipy")
    retriever.index((corpus, vocab), show_progress=False)
    retriever.scores["indptr"] = retriever.scores["indptr"].astype(np.int64)  # as saved before
    return retriever


def _load_bm25(folder: Path) -> Any:
    return _bm25s().BM25.load(str(folder), show_progress=False)


def _swap_dirs(new: Path, target: Path) -> None:
    """Move ``new`` to ``target``; an existing ``target`` is removed only afterwards."""
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        os.replace(target, old / target.name)
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:
            os.replace(old / target.name, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
