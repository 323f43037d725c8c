"""The answer pipeline in explicit steps: retrieve -> decide -> compose -> cite -> verify.

``Assistant.prepare`` retrieves and decides (a refusal, a register answer, or the evidence to
compose from); ``compose_stream`` composes extractively, or with the optional language model whose
reply passes the same exact-quote verification; whatever the model cannot deliver falls back to
``extractive_answer``, written once here. The CLI (``ask``) and the web app (``ask_stream``) go
through the same steps.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from assistant.qa.citations import Answer, Citation, cite, partial_answer, refusal, renumber, verify
from assistant.qa.extractive import (
    asks_beyond_value,
    best_spans,
    compose,
    named_among,
    overlap,
)
from assistant.qa.gate import ANSWER, PARTIAL, Gate, Signals, gate_for, signals, term_stats, verdict
from assistant.qa.inforce import replacement_notes
from assistant.qa.named import type_names
from assistant.qa.query import CODE_NAMES, DocRef, Query, analyze, matches_ref, replace_abbreviations
from assistant.qa.retrieve import Filters, Hit, Retriever
from assistant.qa.values import value_answer
from indexer.embedders import embedder_name
from indexer.settings import Settings

if TYPE_CHECKING:
    from assistant.llm.compose import Fallback
    from indexer.models import Document
    from indexer.store import Snapshot

log = logging.getLogger(__name__)

HEADING_CHILD_DISCOUNT = 0.99  # a heading's paragraphs rank just below the heading that found them
TOP_K = 8  # passages retrieved for an answer
VALUE_TITLE_OVERLAP = 0.3  # a date/number question without a document number must match the top title this much


@dataclass(frozen=True)
class Evidence:
    """What the decision step hands to composition: the question and the passages that answer it."""

    question: str
    standalone: str
    hits: tuple[Hit, ...]
    notes: tuple[str, ...] = ()  # shown under the answer ("sổ nhiệm vụ không ghi nhận …")
    value: tuple[str, Citation] | None = None  # the value line read off the named document (``_value``)
    replaced: Mapping[str, Document] = field(default_factory=dict)  # replaced doc_id -> the loaded one replacing it


class Composer(Protocol):
    """The optional language model (``assistant.llm.compose.LLMComposer``)."""

    def answer(self, question: str, standalone: str, hits: Sequence[Hit]) -> Answer | Fallback: ...

    def stream(self, question: str, standalone: str, hits: Sequence[Hit]) -> Iterator[str]: ...

    def unavailable(self, exc: BaseException, hits: Sequence[Hit] = ()) -> Fallback: ...


@dataclass
class Assistant:
    settings: Settings
    retriever: Retriever | None = None
    gate: Gate | None = None  # default: the one calibrated for the index's embedder
    llm: Composer | None = None

    def __post_init__(self) -> None:
        self.retriever = self.retriever or Retriever(self.settings)
        self.gate = self.gate or gate_for(embedder_name(self.settings.model))
        if self.llm is None and self.settings.llm_provider:
            from assistant.llm.compose import make_llm

            self.llm = make_llm(self.settings)

    def ask(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        """The verified answer (the language model, when configured, answers in one piece)."""
        step = self.prepare(question, history, filters)
        if isinstance(step, Answer):
            return step
        if self.llm is None:
            return _noted(extractive_answer(step.question, step.standalone, step.hits, step.value), step)
        try:
            result = self.llm.answer(step.question, step.standalone, step.hits)
        except Exception as exc:  # a remote model fails in many ways; never lose the answer
            result = self.llm.unavailable(exc, step.hits)
        return settle(step, result)

    def ask_stream(self, question: str, history: Sequence[Answer] = (),
                   filters: Filters | None = None) -> Iterator[str | Answer]:
        """The model's raw text so far (``str``, not yet verified) while it streams, then the final ``Answer``."""
        step = self.prepare(question, history, filters)
        if isinstance(step, Answer):
            yield step
            return
        yield from self.compose_stream(step)

    def compose_stream(self, step: Evidence) -> Iterator[str | Answer]:
        if self.llm is None:
            yield _noted(extractive_answer(step.question, step.standalone, step.hits, step.value), step)
            return
        raw = ""
        stream = self.llm.stream(step.question, step.standalone, step.hits)
        try:
            for piece in stream:
                raw += piece
                yield raw
            result = stream.answer()  # type: ignore[attr-defined]
        except Exception as exc:  # as in ``ask``
            result = self.llm.unavailable(exc, step.hits)
        yield settle(step, result)

    def prepare(self, question: str, history: Sequence[Answer] = (),
                filters: Filters | None = None) -> Answer | Evidence:
        """Retrieve and decide: a final answer (refusal, register) or the evidence to compose from."""
        from assistant.duties.answers import no_rows_note
        from assistant.qa.followup import rewrite

        standalone = self.retriever.restore(rewrite(question, history))  # typed without diacritics: restored
        query = analyze(standalone)
        snap = self.retriever.snapshot()
        early = _not_in_documents(question, standalone, query, snap)
        if early is not None:
            return early
        duty = self._duty_answer(standalone, filters)
        if duty is not None:
            return duty
        hits = self.retriever.search(standalone, k=TOP_K, filters=filters)
        notes = tuple(n for n in [no_rows_note(standalone, snap)] if n)
        decision = self.decision(standalone, hits)
        value = _value(query, hits)
        if decision != ANSWER and value is None:
            if decision == PARTIAL and hits:
                return replace(partial_answer(question, standalone, _nearest(hits)), notes=notes)
            return refusal(question, standalone, _nearest(hits), notes=notes)
        return Evidence(question, standalone, tuple(with_heading_content(snap, hits)), notes, value,
                        self.retriever.replaced())

    def decision(self, question: str, hits: Sequence[Hit]) -> str:
        """``answer``, ``partial`` (show the passages as possibly relevant) or ``refuse`` (assistant.qa.gate)."""
        return verdict(self.signals(question, hits), self.gate)

    def answerable(self, question: str, hits: Sequence[Hit]) -> bool:
        return self.decision(question, hits) == ANSWER

    def signals(self, question: str, hits: Sequence[Hit]) -> Signals:
        snap = self.retriever.snapshot()
        return signals(replace_abbreviations(question), hits, term_stats(snap.key, snap.catalog.chunk_texts))

    def _duty_answer(self, question: str, filters: Filters | None) -> Answer | None:
        from assistant.duties.answers import answer_duties

        return answer_duties(question, self.retriever.snapshot(), filters)


def settle(step: Evidence, result: Answer | Fallback) -> Answer:
    """The composer's answer, or the extractive answer with the composer's note (the one fallback)."""
    if isinstance(result, Answer):
        return _noted(result, step)
    base = extractive_answer(step.question, step.standalone, result.hits, step.value) if result.hits else None
    if base is None or not (base.citations or base.refused):
        base = refusal(step.question, step.standalone)
    return _noted(replace(base, notes=(*base.notes, result.note)), step)


def _noted(answer: Answer, step: Evidence) -> Answer:
    """The answer with the step's notes and one for each cited document that a loaded document replaces."""
    notes = (*step.notes, *replacement_notes(answer.citations, step.replaced))
    return replace(answer, notes=(*answer.notes, *notes)) if notes else answer


def with_heading_content(snap: Snapshot, hits: Sequence[Hit]) -> list[Hit]:
    """A heading found by the search brings the paragraphs it introduces, at its own score."""
    seen = {h.chunk.chunk_id for h in hits}
    out: list[Hit] = []
    for h in hits:
        out.append(h)
        if h.chunk.role != "heading":
            continue
        for _, child in snap.catalog.following(h.chunk.doc_id, h.chunk.ordinal):
            if child.chunk_id not in seen:
                seen.add(child.chunk_id)
                out.append(replace(h, chunk=child, score=h.score * HEADING_CHILD_DISCOUNT))
    return out


def extractive_answer(question: str, standalone: str, hits: Sequence[Hit],
                      value: tuple[str, Citation] | None = None) -> Answer:
    """Compose from the passages themselves: the value line when there is one (``Evidence.value``), then the
    best quotes."""
    lead = ""
    citations: list[Citation] = []
    if value:
        lead, citation = value
        citations.append(citation)
    asks_more = not lead or asks_beyond_value(standalone, hits)
    spans = [sp for sp in (best_spans(standalone, hits, limit=2 if lead else 4) if asks_more else [])
             if not any(c.doc_id == sp.hit.doc.doc_id and c.start <= sp.start and sp.end <= c.end for c in citations)]
    body, quoted = compose(spans, first_n=len(citations) + 1)
    citations += quoted
    docs = {h.doc.doc_id: h.doc for h in hits}
    verified = verify(citations, docs)
    if len(verified) != len(citations):
        log.warning("dropped %d unverifiable citations", len(citations) - len(verified))
        return _from_verified(question, standalone, verified)
    text = "\n\n".join(x for x in (lead, body) if x)
    return Answer(question, text, False, "extractive", tuple(verified), standalone=standalone)


def _from_verified(question: str, standalone: str, citations: Sequence[Citation]) -> Answer:
    """Rebuild the text from verified citations only (never shows a failed one)."""
    cites = renumber(citations)
    if not cites:
        return refusal(question, standalone)
    lines = [f"- «{c.quote}» [{c.n}]" for c in cites]
    return Answer(question, "\n".join(lines), False, "extractive", cites, standalone=standalone)


def _nearest(hits: Sequence[Hit]) -> tuple[Citation, ...]:
    nearest = [cite(i, h.doc, h.chunk, h.chunk.start, h.chunk.end) for i, h in enumerate(hits[:3], 1)]
    return verify(nearest, {h.doc.doc_id: h.doc for h in hits})


def _value(query: Query, hits: Sequence[Hit]) -> tuple[str, Citation] | None:
    """The one-sentence value answer (date, number, signer, effect, replaced documents, addressees, subject,
    issuer) about the document the question names, else the top hit's when the question repeats its title; None
    when that document has no such value. A value answers without the gate: it is read off the document, not
    matched to it."""
    doc = next((h.doc for h in hits if any(matches_ref(r, h.doc.meta.doc_number) for r in query.refs)), None)
    if doc is None and not query.refs and hits:  # named by its title ("Điều lệ Đảng … thông qua ngày nào?"), or
        named = named_among(query.text, hits)  # the top hit's title repeated
        doc = named[0] if named else hits[0].doc if _repeats_title(query.text, hits[0].doc) else None
    return value_answer(query.text, doc, 1) if doc is not None else None


def _repeats_title(question: str, doc: Document) -> bool:
    """Whether the question repeats enough of a document's title to ask about it; never a charter's, whose title is
    a name ("Đảng Cộng sản Việt Nam ra đời ngày nào?" is not about the Điều lệ)."""
    return not type_names(doc.meta.doc_type) and overlap(question, doc.meta.title or "", "") >= VALUE_TITLE_OVERLAP


def _not_in_documents(question: str, standalone: str, query: Query, snap: Snapshot) -> Answer | None:
    """The refusal when the question names a document or a body that nothing loaded mentions."""
    from assistant.duties.answers import unmentioned_body

    missing = _missing_reference(snap, query)
    if missing:
        return refusal(question, standalone, reason=f"Không có {missing} trong các văn bản đã nạp.")
    body = unmentioned_body(standalone, snap)
    return refusal(question, standalone, reason=f"Không có văn bản đã nạp nào nhắc đến {body}.") if body else None


def _missing_reference(snap: Snapshot, query: Query) -> str | None:
    """A question about "Chỉ thị 35-CT/TW" when that document is neither indexed nor cited anywhere."""
    if not query.refs:
        return None
    numbers = list(snap.catalog.doc_numbers().values())
    for ref in query.refs:
        if any(matches_ref(ref, n) for n in numbers) or snap.catalog.mentions(_mention_patterns(ref)):
            return None
    ref = query.refs[0]
    typed = re.search(rf"(?<![\w.]){re.escape(ref.number)}\s*/[^\s,;?]+", query.text)  # "62/2011/QĐ-TTg"
    return f"văn bản số {typed.group() if typed else ref.number + (f'-{ref.code}' if ref.code else '')}"


def _mention_patterns(ref: DocRef) -> list[str]:
    """LIKE patterns for a reference in running text ("Chỉ thị số 05", "99-QĐ/TW", "số 62/2011/QĐ-TTg")."""
    state = [f"% {ref.number}/%", f"%số {ref.number}/%"]
    if ref.code is None:
        return [f"%số {ref.number}-%", f"%{ref.number}-%/%", *state]
    names = CODE_NAMES.get(ref.code, ())
    return [f"%{ref.number}-{ref.code}/%", *(f"%{name} số {ref.number} %" for name in names),
            *(f"%{name} số {ref.number},%" for name in names), *state]
