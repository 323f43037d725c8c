"""Query analysis: clean-up, abbreviation expansion, document references.

"BCH TW", "UBKT", "MTTQ" ... are expanded from ``data/abbreviations.tsv``
(a table users can extend), everyday words ("bộ đội", "thầy cô", "đám ma")
from ``data/everyday.tsv`` with the words directives use ("quân nhân",
"giáo viên", "mai táng"); "Kết luận 54", "KL 54", "ket luan so 54" and
"54-KL/TW" are recognised as references to a document, so retrieval can
favour it. Queries typed without diacritics are flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.references import TYPE_CODES as DOC_CODES
from indexer.vntext import clean, fold, has_diacritics

DATA = Path(__file__).resolve().parents[1] / "data"

# The document types a question names with a number ("Kết luận 54", "Nghị định 23/2012"), by the codes of their
# numbers (``indexer.references.TYPE_CODES``: code -> type); "QĐ" is also a Party Quy định ("294-QĐ/TW"). Codes
# typed as such ("KL 54", "NĐ 102"); not "TT", "CV": ordinary syllables too.
_ASKED_CODES = ("KL", "NQ", "QĐ", "CT", "HD", "TB", "KH", "BC", "CV", "QC", "NĐ", "TT", "TTLT", "PL", "VBHN")
_TYPED_CODES = ("KL", "NQ", "QĐ", "CT", "HD", "TB", "KH", "BC", "NĐ", "TTLT", "VBHN")
CODE_NAMES = {c: (DOC_CODES[c],) for c in _ASKED_CODES} | {"QĐ": (DOC_CODES["QĐ"], DOC_CODES["QĐi"])}
# Folded type names and typed codes -> the code
TYPE_CODES = {fold(n): c for c, names in CODE_NAMES.items() for n in names} | {fold(c): c for c in _TYPED_CODES}
_TYPE_WORDS = "|".join(sorted((re.escape(k) for k in TYPE_CODES), key=len, reverse=True))
_REF = re.compile(rf"\b({_TYPE_WORDS})\s*(?:so\s*)?(\d{{1,5}}(?:\.\d{{1,2}})?)\b(?!\.\d)(?!\s*/\s*\d)")
# "Quyết định 49/2012", "Quy chế 49/2012", "KH 252/2013": a State number typed with its year, without its code
_REF_YEAR = re.compile(rf"\b({_TYPE_WORDS})\s*(?:so\s*)?(\d{{1,5}})\s*/\s*(?:19|20)\d\d\b(?!\s*/)")
_NUMBER = re.compile(r"\b(\d{1,5})\s*-\s*([a-z]{1,8})\s*/\s*([a-z]{1,10})\b")
# State numbers, folded: "62/2011/qd-ttg", "66.3/2025/nq-cp", "537/tb-vpcp", "2638/ldtbxh-khtc" (issuer first)
_STATE_NUMBER = re.compile(r"(?<![\w./])(\d{1,5}(?:\.\d{1,2})?)\s*/\s*(?:(\d{4})\s*/\s*)?([a-z][a-z&]{0,7})\s*-\s*"
                           r"([a-z][a-z0-9]{0,11})\b")
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


@dataclass(frozen=True)
class DocRef:
    number: str  # "54"
    code: str | None  # "KL"; None when only a full number was typed without a type word


@dataclass(frozen=True)
class Query:
    text: str  # cleaned original
    expanded: str  # with abbreviations expanded (original words kept)
    refs: tuple[DocRef, ...]
    numbers: tuple[str, ...]  # full numbers typed, folded ("54-kl/tw")
    dates: tuple[str, ...]  # ISO dates typed
    accented: bool


@lru_cache(maxsize=2)
def _pairs(name: str) -> tuple[tuple[str, str], ...]:
    """(first column, second column) of each line of ``data/<name>``, in file order ("#" lines are comments)."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            first, _, second = line.partition("\t")
            rows.append((first.strip(), second.strip()))
    return tuple(rows)


def abbreviation_table() -> tuple[tuple[str, str], ...]:
    """(abbreviation, long form) of each line of ``data/abbreviations.tsv``, in file order."""
    return _pairs("abbreviations.tsv")


@lru_cache(maxsize=1)
def abbreviations() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = []
    for short, long in abbreviation_table():
        words = r"\s*".join(re.escape(w) for w in short.split())
        rows.append((re.compile(rf"(?<![\w/-]){words}(?![\w/-])", re.IGNORECASE), long))
    rows.sort(key=lambda r: -len(r[0].pattern))
    return tuple(rows)


def replace_abbreviations(text: str) -> str:
    """The text with each abbreviation replaced by its long form (for term matching)."""
    for pattern, long in abbreviations():
        text = pattern.sub(long.split(" Quyết định")[0], text)
    return text


def everyday_table() -> tuple[tuple[str, str], ...]:
    """(everyday words, formal words) of each line of ``data/everyday.tsv``, in file order."""
    return _pairs("everyday.tsv")


def everyday_phrases() -> tuple[str, ...]:
    """The everyday phrases of more than one word, as written ("thầy cô", "rải rác"): how people say things in
    questions, which diacritic restoration reads as whole phrases (``assistant.qa.restore``)."""
    return tuple(words for words, _ in everyday_table() if len(words.split()) > 1)


def typed_phrases() -> tuple[str, ...]:
    """The phrases diacritic restoration reads whole: the everyday phrases and how people phrase questions
    (``data/question_phrases.txt``: "cho tôi hỏi", "con tôi", "vậy có", "ở đâu")."""
    return (*everyday_phrases(), *(words for words, _ in _pairs("question_phrases.txt")))


@lru_cache(maxsize=2)
def everyday(accented: bool) -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, formal words) of each line of ``data/everyday.tsv``, longest first; the pattern matches the
    cleaned lower-case text, or the folded text for a question typed without diacritics ("linh" is also
    "lĩnh", so folded phrases match only there)."""
    rows = []
    for words, formal in everyday_table():
        key = clean(words).lower() if accented else fold(words)
        pattern = r"\s+".join(re.escape(w) for w in key.split())
        rows.append((re.compile(rf"(?<!\w){pattern}(?!\w)"), formal))
    rows.sort(key=lambda r: -len(r[0].pattern))
    return tuple(rows)


def _everyday_in(text: str) -> tuple[str, list[tuple[re.Pattern[str], str]]]:
    """The text as the patterns read it (cleaned lower-case, or folded) and the everyday phrases found in it,
    longest first, each span used once."""
    accented = has_diacritics(text)
    base = rest = clean(text).lower() if accented else fold(text)
    found = []
    for pattern, formal in everyday(accented):
        if pattern.search(rest):
            found.append((pattern, formal))
            rest = pattern.sub(" ", rest)
    return base, found


def formal_words(text: str) -> list[str]:
    """The formal words of each everyday phrase in the text."""
    return [formal for _, formal in _everyday_in(text)[1]]


def formalise(text: str) -> str:
    """The text with each everyday phrase replaced by its formal words, lower-cased (for term matching);
    the text itself when it has none."""
    out, found = _everyday_in(text)
    for pattern, formal in found:
        out = pattern.sub(f" {formal} ", out)
    return out if found else text


def asked_sentences(text: str) -> str:
    """The sentences that ask (end in "?") of a question told with a story first ("Chồng tôi là thương binh … Vậy
    tiền điều dưỡng tính sao?"); the text itself when every sentence or none asks."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
    asking = [p for p in parts if p.endswith("?")]
    return " ".join(asking) if asking and len(asking) < len(parts) else text


def expand(text: str) -> str:
    """Append the long form of each abbreviation found (longest first) and the formal words of everyday ones."""
    extra: list[str] = []
    rest = text
    for pattern, long in abbreviations():
        if pattern.search(rest):
            extra.append(long)
            rest = pattern.sub(" ", rest)
    extra += [w for w in formal_words(rest) if fold(w) not in fold(rest)]
    return f"{text} ({'; '.join(extra)})" if extra else text


def analyze(question: str) -> Query:
    text = clean(question).strip()
    folded = fold(text)
    state = _STATE_NUMBER.findall(folded)
    numbers = tuple(f"{n}-{a}/{b}" for n, a, b in _NUMBER.findall(folded))
    numbers += tuple(f"{n}/{y + '/' if y else ''}{a}-{b}" for n, y, a, b in state)
    refs = [DocRef(n, TYPE_CODES[t].upper()) for t, n in [*_REF.findall(folded), *_REF_YEAR.findall(folded)]]
    refs += [DocRef(n, TYPE_CODES.get(a, a.upper())) for n, a, _ in _NUMBER.findall(folded)]
    refs += [DocRef(n, TYPE_CODES[a].upper() if a in TYPE_CODES else None) for n, _, a, _ in state]
    dates = tuple(f"{y}-{int(m):02d}-{int(d):02d}" for d, m, y in _DATE.findall(text))
    accented = has_diacritics(text)
    expanded = expand(text) if accented else fold(expand(text))
    return Query(text, expanded, tuple(dict.fromkeys(refs)), numbers, dates, accented)


def matches_ref(ref: DocRef, doc_number: str | None) -> bool:
    """Whether a document number ("54-KL/TW") is the one a reference names."""
    if not doc_number:
        return False
    m = _NUMBER.match(fold(doc_number))
    if not m:
        return fold(doc_number).split("/")[0] == ref.number
    number, code = m.group(1), m.group(2)
    return number == ref.number and (ref.code is None or fold(ref.code) == code)
