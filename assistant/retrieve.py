"""Hybrid retrieval: FAISS (dense) + BM25 (lexical), fused, with document filters.

Fusion (``fuse``) is a pure function over the two ranked lists so it can be
measured on its own (``tracuu eval``, ``benchmarks/``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.query import Query, analyze, matches_ref
from indexer import store
from indexer.build import embedder_name
from indexer.models import Chunk, Document
from indexer.settings import Settings

if TYPE_CHECKING:
    from indexer.embedders import Embedder

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Filters:
    doc_ids: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    issuers: tuple[str, ...] = ()
    date_from: str | None = None  # ISO
    date_to: str | None = None

    def empty(self) -> bool:
        return not (self.doc_ids or self.doc_types or self.issuers or self.date_from or self.date_to)


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    chunk: Chunk
    doc: Document
    dense: float | None = None
    lexical: float | None = None


@dataclass(frozen=True)
class Fusion:
    """How the two legs are combined. ``method``: "rrf" or "cc" (convex combination
    of max-normalised scores). ``weight`` is the lexical share."""

    method: str = "cc"
    weight: float = 0.5
    rrf_k: int = 60
    depth: int = 100
    ref_bonus: float = 0.25


def fuse(
    dense: tuple[Sequence[int], Sequence[float]],
    lexical: tuple[Sequence[int], Sequence[float]],
    fusion: Fusion,
) -> dict[int, float]:
    """Fused scores of every candidate id found by either leg."""
    d_ids, d_scores = dense
    l_ids, l_scores = lexical
    if fusion.method == "rrf":
        out: dict[int, float] = {}
        for weight, ids in ((1 - fusion.weight, d_ids), (fusion.weight, l_ids)):
            for rank, i in enumerate(ids):
                out[int(i)] = out.get(int(i), 0.0) + weight / (fusion.rrf_k + rank + 1)
        return out
    d_norm = _normalise(d_ids, d_scores)
    l_norm = _normalise(l_ids, l_scores)
    return {
        i: (1 - fusion.weight) * d_norm.get(i, 0.0) + fusion.weight * l_norm.get(i, 0.0)
        for i in set(d_norm) | set(l_norm)
    }


def _normalise(ids: Sequence[int], scores: Sequence[float]) -> dict[int, float]:
    """Min-max over the leg's candidate list (the lowest candidate maps to 0)."""
    if not len(ids):
        return {}
    arr = np.asarray(scores, dtype=np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    span = hi - lo if hi > lo else 1.0
    return {int(i): (float(s) - lo) / span for i, s in zip(ids, arr, strict=True)}


@dataclass
class Retriever:
    """Searches the live index generation; reopens it when a writer commits a new one."""

    settings: Settings
    fusion: Fusion = field(default_factory=Fusion)
    _snapshot: store.Snapshot | None = None
    _embedder: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def snapshot(self) -> store.Snapshot:
        root = Path(self.settings.index)
        with self._lock:
            gen = store.current_generation(root)
            if self._snapshot is None or self._snapshot.generation != gen:
                self._snapshot = store.open_snapshot(root, embedder_name(self.settings.model))
            return self._snapshot

    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from indexer.embedders import load_embedder

                settings = self.settings
                self._embedder = load_embedder(settings.model, settings.threads, offline=settings.hub_offline)
            return self._embedder

    def search(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        query = analyze(question)
        snap = self.snapshot()
        allowed = _allowed(snap, filters)
        if allowed is not None and not allowed:
            return []
        dense = self._dense(snap, query, allowed)
        lexical = snap.lexical.search(query.expanded, self.fusion.depth, allowed)
        scores = fuse(dense, lexical, self.fusion)
        scores = self._favour_referenced(snap, query, scores, allowed)
        return _hits(snap, scores, dict(zip(*dense, strict=True)), dict(zip(*lexical, strict=True)), k)

    def _dense(self, snap: store.Snapshot, query: Query, allowed: set[int] | None) -> tuple[list[int], list[float]]:
        vec = self.embedder().embed_query(query.expanded)
        arr = None if allowed is None else np.fromiter(allowed, dtype=np.int64)
        ids, scores = snap.vectors.search(vec, self.fusion.depth, arr)
        return ids.tolist(), scores.tolist()

    def _favour_referenced(
        self, snap: store.Snapshot, query: Query, scores: dict[int, float], allowed: set[int] | None
    ) -> dict[int, float]:
        """A question naming "Kết luận 54" favours that document's chunks."""
        if not query.refs:
            return scores
        docs = [d for d in _doc_numbers(snap) if any(matches_ref(r, d[1]) for r in query.refs)]
        if not docs:
            return scores
        ids = snap.catalog.chunk_ids_where(
            f"d.doc_id IN ({','.join('?' * len(docs))})", tuple(d[0] for d in docs)
        )
        if allowed is not None:
            ids &= allowed
        if not ids:
            return scores
        inside = self._dense(snap, query, ids), snap.lexical.search(query.expanded, self.fusion.depth, ids)
        boosted = fuse(inside[0], inside[1], self.fusion)
        out = dict(scores)
        for i, s in boosted.items():
            out[i] = max(out.get(i, 0.0), s) + self.fusion.ref_bonus
        return out


def _doc_numbers(snap: store.Snapshot) -> list[tuple[str, str]]:
    rows = snap.catalog.db.execute("SELECT doc_id, doc_number FROM documents WHERE doc_number IS NOT NULL")
    return [(r[0], r[1]) for r in rows]


def _allowed(snap: store.Snapshot, filters: Filters | None) -> set[int] | None:
    if filters is None or filters.empty():
        return None
    clauses, params = [], []
    for column, values in (("d.doc_id", filters.doc_ids), ("d.doc_type", filters.doc_types),
                           ("d.issuer", filters.issuers)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params += list(values)
    if filters.date_from:
        clauses.append("d.date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append("d.date <= ?")
        params.append(filters.date_to + "\uffff")
    return snap.catalog.chunk_ids_where(" AND ".join(clauses), tuple(params))


def _hits(
    snap: store.Snapshot, scores: dict[int, float], dense: dict[int, float], lexical: dict[int, float], k: int
) -> list[Hit]:
    top = sorted(scores, key=lambda i: (-scores[i], i))[:k]
    chunks = snap.catalog.chunks(top)
    docs: dict[str, Document] = {}
    hits = []
    for rank, i in enumerate(top, 1):
        chunk = chunks[i]
        if chunk.doc_id not in docs:
            docs[chunk.doc_id] = snap.catalog.document(chunk.doc_id)  # type: ignore[assignment]
        hits.append(Hit(rank, scores[i], chunk, docs[chunk.doc_id], dense.get(i), lexical.get(i)))
    return hits
