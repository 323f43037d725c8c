"""Stable JSON shapes for `tracuu search`, `tracuu ask` and `tracuu duties`."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.retrieve import Hit


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
