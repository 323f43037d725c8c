"""Documents replaced by another loaded document ("Thông tư này thay thế …", "… hết hiệu lực kể từ ngày Thông tư
này có hiệu lực"): their passages rank after the documents in force, and an answer quoting one says so.

A cadre who loads both the old and the new text asks about the rule in force; quoting the old one without a word
would be a citation that misleads. A question that names the old document still ranks it first (the retriever's
naming bonus), and the note still tells what replaced it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from assistant.qa.citations import Citation, doc_label
from indexer.models import Document
from indexer.references import normalize_number
from indexer.vntext import fold

__all__ = ["replaced_documents", "replacement_notes"]

_UNIQUE = re.compile(r"/(?:19|20)\d\d\b|/TW$", re.IGNORECASE)  # "47/2009/TTLT-…": a year; "54-KL/TW": central


def replaced_documents(docs: Iterable[Document]) -> dict[str, Document]:
    """doc_id of each loaded document that another loaded document replaces -> the newest such document.

    A number without a year ("2196/QĐ-UBND", "15-QĐ/TU") names a document only together with its issuer: each
    province numbers its decisions the same way, so the two documents must have the same issuer; a central Party
    number ("54-KL/TW") names one. The replaced document is never dated after the one replacing it."""
    docs = list(docs)
    by_number: dict[str, list[Document]] = {}
    for d in docs:
        if d.meta.doc_number:
            by_number.setdefault(_key(d.meta.doc_number), []).append(d)
    out: dict[str, Document] = {}
    for new in sorted(docs, key=_date):  # newest last: it wins
        for number in new.meta.supersedes:
            for old in by_number.get(_key(number), ()):
                if old.doc_id != new.doc_id and _older(old, new) and (_unique(number) or _same_issuer(old, new)):
                    out[old.doc_id] = new
    return out


def replacement_notes(citations: Sequence[Citation], replaced: Mapping[str, Document]) -> tuple[str, ...]:
    """One note per cited document that a loaded document replaces (citation numbers in brackets)."""
    cited: dict[str, list[int]] = {}
    for c in citations:
        if c.doc_id in replaced:
            cited.setdefault(c.doc_id, []).append(c.n)
    notes = []
    for doc_id, ns in cited.items():
        marks = "".join(f"[{n}]" for n in sorted(set(ns)))
        notes.append(f"Lưu ý: đoạn trích {marks} thuộc văn bản đã được thay thế bởi {doc_label(replaced[doc_id])}; "
                     "nội dung có thể không còn hiệu lực, xin đối chiếu văn bản mới.")
    return tuple(notes)


def _key(number: str) -> str:
    return fold(normalize_number(number))


def _unique(number: str) -> bool:
    return bool(_UNIQUE.search(normalize_number(number)))


def _date(doc: Document) -> str:
    return doc.meta.date or doc.meta.date_approx or ""


def _older(old: Document, new: Document) -> bool:
    a, b = _date(old), _date(new)
    return not (a and b) or a <= b


def _same_issuer(a: Document, b: Document) -> bool:
    return bool(a.meta.issuer and b.meta.issuer and fold(a.meta.issuer) == fold(b.meta.issuer))
