"""Stable JSON shapes for `tracuu search`, `tracuu ask` and `tracuu duties`."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.qa.citations import NEAREST_NOTE, Answer, Citation, citation_label
from assistant.qa.retrieve import Hit
from indexer.vntext import has_diacritics


def hit_json(hit: Hit) -> dict[str, object]:
    meta = hit.doc.meta
    return {
        "rank": hit.rank,
        "score": round(float(hit.score), 6),
        "chunk_id": hit.chunk.chunk_id,
        "doc_id": hit.chunk.doc_id,
        "doc_number": meta.doc_number,
        "doc_type": meta.doc_type,
        "doc_title": meta.title,
        "section": hit.chunk.section,
        "page": hit.chunk.page,
        "text": hit.chunk.text,
        "start": hit.chunk.start,
        "end": hit.chunk.end,
    }


def search_json(query: str, hits: Sequence[Hit]) -> dict[str, object]:
    return {"query": query, "hits": [hit_json(h) for h in hits]}


def citation_json(c: Citation) -> dict[str, object]:
    return {
        "n": c.n,
        "chunk_id": c.chunk_id,
        "doc_id": c.doc_id,
        "doc_number": c.doc_number,
        "doc_type": c.doc_type,
        "section": c.section,
        "page": c.page,
        "quote": c.quote,
        "start": c.start,
        "end": c.end,
    }


def answer_json(a: Answer) -> dict[str, object]:
    return {
        "question": a.question,
        "answer": a.text,
        "refused": a.refused,
        "mode": a.mode,
        "citations": [citation_json(c) for c in a.citations],
    }


def understood_as(a: Answer) -> str | None:
    """The question with the diacritics ``assistant.qa.restore`` gave it, when it was typed without any."""
    if a.standalone and not has_diacritics(a.question) and has_diacritics(a.standalone):
        return a.standalone
    return None


def render_answer(a: Answer) -> str:
    """Plain-text rendering for the terminal (Vietnamese)."""
    restored = understood_as(a)
    lines = [f"(Câu hỏi được hiểu là: «{restored}»)", ""] if restored else []
    lines += [a.text, ""]
    if a.citations:
        lines.append("Nguồn trích dẫn:")
    for c in a.citations:
        where = ", ".join(x for x in (c.section, f"trang {c.page}" if c.page else "") if x)
        lines.append(f"[{c.n}] {citation_label(c)} — {where}")
    if a.nearest:  # the answer's text already says what they are when it carries NEAREST_NOTE
        lines.append("Các đoạn gần nhất:" if NEAREST_NOTE in a.text else "Đoạn gần nhất (không phải câu trả lời):")
        for c in a.nearest:
            quote = " ".join(c.quote.split())
            quote = quote if len(quote) <= 200 else quote[:200].rsplit(" ", 1)[0] + " …"
            lines.append(f"  • {citation_label(c)} — {c.section}: {quote}")
    lines += list(a.notes)
    return "\n".join(lines).rstrip()
