"""Documents a question names by their title words, and the words that only name them.

"Quy định 294 ... thẻ đảng viên" names its document by number (``query.refs``); "Điều lệ Đảng khóa XI ...
tuổi kết nạp" or "đại hội đại biểu Đảng bộ tỉnh lần thứ I ... bao nhiêu đại biểu" name it by title. The
naming words pick the document; within it they rank nothing, since the lexical index sees the document's
label and headings in every passage (``indexer.build.index_text``). ``specific`` drops the syllables found
in nearly every passage of a named document from the lexical query, so the rest of the question ranks the
passages inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from assistant.qa.query import Query, matches_ref
from indexer.vntext import fold

# Calibrated on the tuning questions (tests/data/questions.jsonl, ../shared/eval/dev.jsonl) over the seeds
# and the five Party PDFs: no question there names a title with fewer than three of its words.
TITLE_SHARE = 0.5  # share of a title's content syllables the question must repeat as one phrase
TITLE_MIN_TERMS = 3  # and at least this many of them
UBIQUITOUS = 0.7  # a syllable in this share of a named document's passages names it, it ranks nothing in it
MIN_PASSAGES = 5  # shorter documents have no document-level vocabulary to speak of
_WORD = re.compile(r"[^\W_]+")
# On folded text: "Ai ký …?", "… do đồng chí nào ký?", "ai đã ký …" (also the value answer's signer test).
SIGNER_QUESTION = re.compile(r"\b(ai ky|nguoi ky|ky boi|ai la nguoi ky|ai da ky|do ai ky|nao (?:da )?ky|ky ten)\b")
# Function words of titles ("Về việc thi hành ...", "Một số vấn đề ...") and "Đảng", in every Party title.
_TITLE_STOP_WORDS = (
    "về việc của và các những một số với trong cho đối theo tại từ đến là được có thi hành vấn đề "
    "đảng ban hành quy định hướng dẫn kết luận thông báo nghị quyết chỉ thị quyết định"
)
_TITLE_STOP = frozenset(fold(w) for w in _TITLE_STOP_WORDS.split())


def terms(text: str) -> set[str]:
    """Folded syllables of a text (one-letter words left out)."""
    return {w for w in (fold(m) for m in _WORD.findall(text)) if len(w) > 1}


def asks_signer(question: str) -> bool:
    """ "Ai ký Quy định 294?": the answer is the signature block, which holds none of the question's words."""
    return bool(SIGNER_QUESTION.search(fold(question)))


def _words(text: str) -> list[str]:
    return [fold(m) for m in _WORD.findall(text)]


# "Điều lệ Đảng Cộng sản Việt Nam" is asked for as "Điều lệ Đảng": in a title the Party's full name is one word
# that a question's "Đảng" matches (and that counts as a content word: "Đảng" alone does not).
PARTY = "dang-csvn"
_PARTY_NAME = ("dang", "cong", "san", "viet", "nam")
# Types that are part of a document's name: "Điều lệ" + "Đảng Cộng sản Việt Nam" (the title the reader finds).
# Directive types ("Quyết định về …", "Thông báo kết luận …") are named by number or by subject instead.
_NAMING_TYPES = frozenset(fold(w) for w in ("Điều lệ", "Cương lĩnh", "Sổ tay"))


def type_names(doc_type: str | None) -> bool:
    """Whether a document type is part of the document's name ("Điều lệ" of "Điều lệ Đảng Cộng sản Việt Nam")
    rather than a directive type named with a number or a subject ("Quyết định về …")."""
    return bool(doc_type) and fold(doc_type or "") in _NAMING_TYPES


def title_words(title: str | None, doc_type: str | None = None) -> tuple[str, ...]:
    """A title's folded syllables in order (what ``titled`` matches phrases against), the Party's full name as
    one word ``PARTY``, a naming type's words ("Điều lệ") in front."""
    words = _words(title or "")
    kind = _words(doc_type or "")
    if type_names(doc_type) and words[:len(kind)] != kind:
        words = kind + words
    out: list[str] = []
    for w in words:
        out.append(w)
        if tuple(out[-len(_PARTY_NAME):]) == _PARTY_NAME:
            out[-len(_PARTY_NAME):] = [PARTY]
    return tuple(out)


@dataclass(frozen=True)
class Titles:
    """Document titles ready for matching: each title's folded words, its content syllables, and an inverted
    index from content syllable to documents, so a question is checked only against the titles it shares
    enough syllables with (a question costs the same with 50 or 50,000 documents)."""

    words: Mapping[str, tuple[str, ...]]  # only titles with at least TITLE_MIN_TERMS content syllables
    content: Mapping[str, frozenset[str]]
    by_term: Mapping[str, tuple[str, ...]]


def title_index(titles: Mapping[str, tuple[str, ...]]) -> Titles:
    """Index ``doc_id -> title_words(title)``; titles with fewer than ``TITLE_MIN_TERMS`` content syllables
    cannot be named by words and are left out."""
    contents = {d: frozenset(w for w in t if w not in _TITLE_STOP and len(w) > 1) for d, t in titles.items()}
    contents = {d: c for d, c in contents.items() if len(c) >= TITLE_MIN_TERMS}
    by_term: dict[str, list[str]] = {}
    for doc_id, content in contents.items():
        for term in content:
            by_term.setdefault(term, []).append(doc_id)
    words = {d: titles[d] for d in contents}
    return Titles(words, contents, {t: tuple(d) for t, d in by_term.items()})


def _need(content: frozenset[str]) -> float:
    return max(TITLE_MIN_TERMS, TITLE_SHARE * len(content))


def _same(asked: str, title: str) -> bool:
    return asked == title or (title == PARTY and asked == "dang")


def _named_by(asked: list[str], title: tuple[str, ...], content: frozenset[str]) -> bool:
    """Whether the question repeats a phrase of the title holding enough of its content syllables."""
    need = _need(content)
    for i in range(len(asked)):
        for j in range(len(title)):
            n = 0
            while i + n < len(asked) and j + n < len(title) and _same(asked[i + n], title[j + n]):
                n += 1
            if n and len(content & set(title[j:j + n])) >= need:
                return True
    return False


def titled(question: str, titles: Titles) -> list[str]:
    """Ids of the documents whose title the question names (a phrase of it with most of its content words)."""
    asked = _words(question)
    shared: Counter[str] = Counter()
    for term in set(asked) | ({PARTY} if "dang" in asked else set()):
        shared.update(titles.by_term.get(term, ()))
    return [d for d, n in shared.items() if n >= _need(titles.content[d])
            and _named_by(asked, titles.words[d], titles.content[d])]


def named_documents(query: Query, numbers: Mapping[str, str], titles: Titles) -> list[str]:
    """The documents (of ``numbers``: id -> number, ``titles``: their title index) a question names: by number
    ("Kết luận 54", "294-QĐ/TW", "62/2011/QĐ-TTg") or by the words of its title."""
    numbered = [d for d, n in numbers.items() if any(matches_ref(r, n) for r in query.refs)] if query.refs else []
    return sorted({*numbered, *titled(query.text, titles)})


def common_terms(passages: Iterable[str]) -> frozenset[str]:
    """Syllables found in nearly every passage of one document (its label, title and top headings)."""
    counts: Counter[str] = Counter()
    n = 0
    for text in passages:
        counts.update(terms(text))
        n += 1
    if n < MIN_PASSAGES:
        return frozenset()
    return frozenset(t for t, c in counts.items() if c >= UBIQUITOUS * n)


def specific(question: str, common: frozenset[str], numbers: bool = False) -> str:
    """The question without the phrases that only name its document (two or more words in a row found in
    nearly every passage of it: "Quy định 294", "Điều lệ Đảng"; with ``numbers``, its number alone too); a
    lone such word ("đảng" in "thẻ đảng viên") stays. Unchanged when nothing would remain."""
    words = question.split()
    content = [i for i, w in enumerate(words) if terms(w)]  # one-letter words ("ở", "á") neither break nor join
    flags = {i: terms(words[i]) <= common for i in content}
    runs = {i for k, i in enumerate(content) if flags[i] and (
        (k > 0 and flags[content[k - 1]]) or (k + 1 < len(content) and flags[content[k + 1]])
        or (numbers and any(c.isdigit() for c in words[i])))}  # ``numbers``: its number ("2638/…") alone too
    rest = " ".join(w for i, w in enumerate(words) if i not in runs)
    return rest if terms(rest) else question
