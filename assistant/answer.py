"""The answer pipeline: retrieve -> decide -> compose -> cite -> verify.

Extractive by default; an optional LLM (``assistant.llm``) may compose, but
its reply passes the same exact-quote verification. Duty questions are
answered from the responsibility register when it has rows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.citations import Answer, Citation, cite, renumber, verify
from assistant.extractive import best_spans, compose, overlap, value_answer
from assistant.gate import Gate, Signals, decide, signals, term_stats
from assistant.query import DocRef, Query, analyze, matches_ref, replace_abbreviations
from assistant.retrieve import Filters, Hit, Retriever
from indexer.models import Document
from indexer.settings import Settings

if TYPE_CHECKING:
    import sqlite3

    from indexer.store import Snapshot

log = logging.getLogger(__name__)

REFUSAL = "Không tìm thấy nội dung này trong các văn bản đã nạp."


@dataclass
class Assistant:
    settings: Settings
    retriever: Retriever | None = None
    gate: Gate = field(default_factory=Gate)
    llm: object | None = None  # assistant.llm.LLMComposer when configured

    def __post_init__(self) -> None:
        self.retriever = self.retriever or Retriever(self.settings)
        if self.llm is None and self.settings.llm_provider:
            from assistant.llm import make_llm

            self.llm = make_llm(self.settings)

    def ask(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        from assistant.followup import rewrite

        standalone = rewrite(question, history)
        query = analyze(standalone)
        snap = self.retriever.snapshot()
        missing = _missing_reference(snap, query)
        if missing:
            return Answer(question, f"{REFUSAL} (Không có {missing} trong các văn bản đã nạp.)", True,
                          "extractive", standalone=standalone)
        duty = self._duty_answer(standalone, filters)
        if duty is not None:
            return duty
        hits = self.retriever.search(standalone, k=8, filters=filters)
        if not self.answerable(standalone, hits) and not _value_doc(query, hits):
            return _refusal(question, standalone, hits)
        hits = with_heading_content(snap, hits)
        if self.llm is not None:
            return self.llm.answer(question, standalone, hits)  # type: ignore[attr-defined]
        return extractive_answer(question, standalone, hits)

    def answerable(self, question: str, hits: Sequence[Hit]) -> bool:
        return decide(self.signals(question, hits), self.gate)

    def signals(self, question: str, hits: Sequence[Hit]) -> Signals:
        snap = self.retriever.snapshot()
        def texts() -> list[str]:
            return [r[0] for r in snap.catalog.db.execute("SELECT text FROM chunks")]

        return signals(replace_abbreviations(question), hits, term_stats(snap.generation, texts))

    def _duty_answer(self, question: str, filters: Filters | None) -> Answer | None:
        try:
            from assistant.register import answer_duties
        except ImportError:  # the register is optional while it is being built
            return None
        return answer_duties(question, self.retriever.snapshot(), filters)


def with_heading_content(snap: Snapshot, hits: Sequence[Hit]) -> list[Hit]:
    """A heading found by the search brings the paragraphs it introduces, at its own score."""
    from dataclasses import replace

    seen = {h.chunk.chunk_id for h in hits}
    out: list[Hit] = []
    for h in hits:
        out.append(h)
        if h.chunk.role != "heading":
            continue
        for _, child in snap.catalog.following(h.chunk.doc_id, h.chunk.ordinal):
            if child.chunk_id not in seen:
                seen.add(child.chunk_id)
                out.append(replace(h, chunk=child, score=h.score * 0.99))
    return out


def extractive_answer(question: str, standalone: str, hits: Sequence[Hit]) -> Answer:
    query = analyze(standalone)
    lead = ""
    citations: list[Citation] = []
    doc = _value_doc(query, hits)
    if doc is not None:
        value = value_answer(standalone, doc, 1)
        if value:
            lead, citation = value
            citations.append(citation)
    spans = best_spans(standalone, hits, limit=2 if lead else 4)
    body, quoted = compose(spans, first_n=len(citations) + 1)
    citations += quoted
    docs = {h.doc.doc_id: h.doc for h in hits}
    verified = verify(citations, docs)
    if len(verified) != len(citations):
        log.warning("dropped %d unverifiable citations", len(citations) - len(verified))
        return extractive_answer_from(question, standalone, verified, lead)
    text = "\n\n".join(x for x in (lead, body) if x)
    return Answer(question, text, False, "extractive", tuple(verified), standalone=standalone)


def extractive_answer_from(question: str, standalone: str, citations: Sequence[Citation], lead: str) -> Answer:
    """Rebuild the text from verified citations only (never shows a failed one)."""
    cites = renumber(citations)
    lines = [f"- «{c.quote}» [{c.n}]" for c in cites]
    if not cites:
        return Answer(question, REFUSAL, True, "extractive", standalone=standalone)
    return Answer(question, "\n".join(lines), False, "extractive", cites, standalone=standalone)


def _value_doc(query: Query, hits: Sequence[Hit]) -> Document | None:
    """The document a date/number/signer question is about: named in it, else the top hit's."""
    from assistant.extractive import ASKS_DATE, ASKS_NUMBER, ASKS_SIGNER
    from indexer.vntext import fold

    q = fold(query.text)
    if not (ASKS_DATE.search(q) or ASKS_NUMBER.search(q) or ASKS_SIGNER.search(q)):
        return None
    for h in hits:
        if any(matches_ref(r, h.doc.meta.doc_number) for r in query.refs):
            return h.doc
    if query.refs:
        return None
    return hits[0].doc if hits and overlap(query.text, hits[0].doc.meta.title or "", "") >= 0.3 else None


def _missing_reference(snap: Snapshot, query: Query) -> str | None:
    """A question about "Chỉ thị 35-CT/TW" when that document is neither indexed nor cited anywhere."""
    if not query.refs:
        return None
    db = snap.catalog.db
    numbers = [r[0] for r in db.execute("SELECT doc_number FROM documents WHERE doc_number IS NOT NULL")]
    for ref in query.refs:
        if any(matches_ref(ref, n) for n in numbers):
            return None
        if _cited_in_corpus(db, ref):
            return None
    ref = query.refs[0]
    return f"văn bản số {ref.number}" + (f"-{ref.code}" if ref.code else "")


def _cited_in_corpus(db: sqlite3.Connection, ref: DocRef) -> bool:
    """Whether any indexed text mentions the referenced document ("Chỉ thị số 05", "99-QĐ/TW")."""
    from assistant.query import CODE_NAMES

    if ref.code is None:
        patterns = [f"%số {ref.number}-%", f"%{ref.number}-%/%"]
    else:
        names = CODE_NAMES.get(ref.code, ())
        patterns = [f"%{ref.number}-{ref.code}/%", *(f"%{name} số {ref.number} %" for name in names),
                    *(f"%{name} số {ref.number},%" for name in names)]
    return any(db.execute("SELECT 1 FROM chunks WHERE text LIKE ? LIMIT 1", (p,)).fetchone() for p in patterns)


def _refusal(question: str, standalone: str, hits: Sequence[Hit]) -> Answer:
    nearest = tuple(cite(i, h.doc, h.chunk, h.chunk.start, h.chunk.end) for i, h in enumerate(hits[:3], 1))
    verified = verify(nearest, {h.doc.doc_id: h.doc for h in hits})
    text = REFUSAL
    if verified:
        text += "\nCác đoạn gần nhất (chỉ để tham khảo, không phải câu trả lời) được liệt kê bên dưới."
    return Answer(question, text, True, "extractive", nearest=verified, standalone=standalone)
