"""Follow-up questions rewritten into standalone queries (extractive mode).

"Văn bản đó ban hành ngày nào?" after a question about Kết luận 54 becomes
"Văn bản đó ban hành ngày nào? (Kết luận số 54-KL/TW)". The previous turn's
document and the central bodies it named are carried over only when the new
question names none of its own. The LLM mode asks the model instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.qa.citations import Answer
from assistant.qa.query import analyze
from indexer.vntext import fold

_ANAPHORA = re.compile(
    r"\b(do|nay|tren|ay|van ban (do|nay|tren)|ket luan (do|nay)|thong bao (do|nay)|con\b.*\bthi sao|"
    r"co quan (do|nay)|ban (do|nay)|no)\b"
)
_BODY = re.compile(
    r"((?:Ban|Ủy ban|Văn phòng|Học viện|Đảng đoàn|Ban cán sự đảng|Mặt trận)[^,.;:()?\n]{2,50}?"
    r"(?:Trung ương(?: Đảng)?|Việt Nam|Chính phủ|Hồ Chí Minh))"
)


def rewrite(question: str, history: Sequence[Answer]) -> str:
    """The question made standalone from the last answered turn, if it needs it."""
    if not history:
        return question
    last = next((a for a in reversed(history) if not a.refused), None)
    if last is None:
        return question
    folded = fold(question)
    if not _ANAPHORA.search(folded) and len(folded.split()) > 6:
        return question
    extra: list[str] = []
    if not analyze(question).refs:
        extra += _doc_labels(last)
    if not _BODY.search(question):
        extra += list(dict.fromkeys(_BODY.findall(last.standalone or last.question)))[:2]
    return f"{question} ({'; '.join(extra)})" if extra else question


def _doc_labels(answer: Answer) -> list[str]:
    labels = []
    for c in answer.citations:
        if c.doc_number:
            labels.append(f"{c.doc_type or 'văn bản'} số {c.doc_number}")
    return list(dict.fromkeys(labels))[:1]
