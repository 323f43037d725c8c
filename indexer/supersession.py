"""Which documents a document replaces, repeals or ends ("Thông tư này thay thế Thông tư số …").

Only sentences about the document itself count, and only whole documents: "bãi bỏ khoản 3 Điều 5 của Thông tư
số X" or "Bãi bỏ quy định tại Điều 2 của Quyết định số X" leave X in force, and a consolidated text's footnote
"Mẫu này được bãi bỏ theo quy định tại khoản 2 Điều 2 của Thông tư số X" names the amending document, not a
replaced one. Plain rules, no model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.references import NUMBER_RE, normalize_number

__all__ = ["extract_supersedes", "supersession_sentence"]

_UPPER = "".join(chr(c) for c in (*range(0x41, 0x250), *range(0x1EA0, 0x1EFA)) if chr(c).isupper())
_SENTENCE_END = re.compile(rf"(?:[.!?](?:/\.)?[\"”)]?(?=\s+[\"“(]?[{_UPPER}]|\s*$)|\n\s*\n|;\s*\n)")
_REPLACES = re.compile(r"\b(?:thay\s+thế|bãi\s+bỏ|hủy\s+bỏ)\b", re.IGNORECASE)
_EXPIRES = re.compile(r"\bhết\s+hiệu\s+lực\b", re.IGNORECASE)
# What separates the documents of a list: "thay thế các Quyết định: số 25/2005/QĐ-UB; số 32/2005/QĐ-UB, …"
_SEPARATOR = re.compile(r"[;,:]|\svà\s", re.IGNORECASE)
_CLAUSE = re.compile(r"[;:]")
# A part of the document, not the document: "khoản 3 Điều 5 của", "quy định tại"
_PART = re.compile(r"\b(?:(?:khoản|điểm|điều|chương|mục|phần|phụ\s+lục)\s+(?:\d+|[a-zđ]\b|[IVXLC]+\b)"
                   r"|quy\s+định\s+tại)", re.IGNORECASE)
# The documents that amended or repealed it, for the rest of the clause: "Luật số 55/2014/QH13 đã được sửa đổi,
# bổ sung một số điều theo Luật số 35/2018/QH14, Luật số 39/2019/QH14 …", "Mẫu này được bãi bỏ theo …"
_AMENDING = re.compile(r"\b(?:theo|sửa\s+đổi)\b", re.IGNORECASE)


def extract_supersedes(text: str) -> tuple[str, ...]:
    """Numbers of the whole documents that ``text`` replaces, repeals or ends.

    Numbers after "thay thế"/"bãi bỏ"/"hủy bỏ" in a sentence that says "này", and numbers before "hết hiệu lực";
    a number governed by a part ("khoản", "Điều", "Phụ lục", "quy định tại") is a partial repeal and is left out.
    """
    numbers: list[str] = []
    for verb, _, right in _replacing(text):
        numbers += _whole(text, verb.end(), right)
    for verb in _EXPIRES.finditer(text):
        left, _ = _sentence_bounds(text, verb.start())
        numbers += _whole(text, left, verb.start())
    return tuple(dict.fromkeys(numbers))


def supersession_sentence(text: str, start: int = 0) -> tuple[int, int] | None:
    """Bounds of the first sentence after ``start`` in which the document replaces or repeals a whole document (one
    that ``extract_supersedes`` reads numbers from), from its line's start, or None."""
    for verb, left, right in _replacing(text, start):
        if _whole(text, verb.end(), right):
            left = max(left, text.rfind("\n", 0, verb.start()) + 1)
            while left < right and text[left].isspace():
                left += 1
            return left, right + (text[right:right + 1] == ".")
    return None


def _whole(text: str, start: int, end: int) -> list[str]:
    """The numbers in ``text[start:end]`` that stand for whole documents: no part named between the number and
    the separator before it, no amendment earlier in its clause."""
    out = []
    for m in NUMBER_RE.finditer(text, start, end):
        cut = max((s.end() for s in _SEPARATOR.finditer(text, start, m.start())), default=start)
        clause = max((s.end() for s in _CLAUSE.finditer(text, start, m.start())), default=start)
        if not (_PART.search(text, cut, m.start()) or _AMENDING.search(text, clause, m.start())):
            out.append(normalize_number(m.group()))
    return out


def _replacing(text: str, start: int = 0) -> Iterator[tuple[re.Match[str], int, int]]:
    """Each "thay thế"/"bãi bỏ" in a sentence about the document itself (one that says "này"), with the
    sentence's bounds."""
    for verb in _REPLACES.finditer(text, start):
        left, right = _sentence_bounds(text, verb.start())
        if re.search(r"\bnày\b", text[left:right]):
            yield verb, left, right


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    left = max(0, pos - 1500)
    for m in _SENTENCE_END.finditer(text, left, pos):
        left = m.end()
    nxt = _SENTENCE_END.search(text, pos)
    return left, nxt.start() if nxt else len(text)
