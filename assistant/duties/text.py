"""The text the register reads (internals of ``assistant.duties``): the document, its folded copy and its body
mentions by position; the roles; sentences and clause ends."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.duties.bodies import Mention, find_mentions, fold_same
from indexer.loaders import addressee_spans
from indexer.models import Document

LEAD, PARTNER, DO, REPORT = "chủ trì", "phối hợp", "thực hiện", "báo cáo/theo dõi"
ROLES = (LEAD, PARTNER, DO, REPORT)
_SENT_END = re.compile(r"(?<=[.!?…])[\"”')]*\s+(?=[-+]?\s*[\"“(]?[A-ZĐÀ-Ỹ0-9])")


@dataclass(frozen=True)
class Hit:
    body: str
    role: str
    task: tuple[int, int]
    recipient: str | None = None
    via: str | None = None


class Text:
    """The document text, its folded copy and its body mentions indexed by position."""

    def __init__(self, doc: Document) -> None:
        self.raw = doc.text
        self.low = fold_same(doc.text)
        self.addressed = addressee_spans(doc.text, doc.body[0])  # a letter's "Kính gửi: …" block
        self.mentions = find_mentions(doc.text, self.low)
        self.starts = [m.start for m in self.mentions]

    def mention_at(self, pos: int) -> Mention | None:
        k = bisect.bisect_left(self.starts, pos)
        return self.mentions[k] if k < len(self.starts) and self.starts[k] == pos else None

    def within(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return self.mentions[lo:hi]

    def skip_space(self, pos: int, end: int) -> int:
        while pos < end and self.raw[pos].isspace():
            pos += 1
        return pos


def sentences(t: Text, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [m for m in _SENT_END.finditer(t.raw, start, end)]
    bounds = [start, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), end]
    return [(s, e) for s, e in zip(bounds, ends, strict=True) if e > s]


def clause_end(t: Text, pos: int, end: int) -> int:
    stop = t.raw.find(";", pos, end)
    return trim(t, pos, end if stop < 0 else stop)


def trim(t: Text, start: int, end: int) -> int:
    while end > start:
        last = t.raw[end - 1]
        unbalanced = last == ")" and t.raw.count("(", start, end) < t.raw.count(")", start, end)
        if not (last.isspace() or last in ".;:," or unbalanced):
            break
        end -= 1
    return end
