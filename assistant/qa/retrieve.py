"""Hybrid retrieval: FAISS (dense) + BM25 (lexical), fused (``assistant.qa.fusion``), with document filters."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.qa.asked import asked_kind, holds_value, with_units
from assistant.qa.fusion import Fusion, fuse, fuse_exact, zscores
from assistant.qa.inforce import replaced_documents
from assistant.qa.named import asks_signer, common_terms, named_documents, specific, terms, title_index, title_words
from assistant.qa.query import Query, analyze, typed_phrases
from assistant.qa.restore import restore_near, restorer
from assistant.qa.values import asks_about_document, wants_header
from indexer import store
from indexer.embedders import embedder_name
from indexer.models import Chunk, Document
from indexer.settings import Settings
from indexer.vntext import has_diacritics

if TYPE_CHECKING:
    from indexer.embedders import Embedder

log = logging.getLogger(__name__)
__all__ = ["Filters", "Fusion", "Hit", "Retriever", "fuse"]


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
class NamedDoc:
    """A named document's words that rank nothing inside it (``common``: its title and the words of nearly every
    passage; ``kind``: its type's words)."""

    common: frozenset[str]
    kind: frozenset[str]


@dataclass
class Retriever:
    """Searches the live index generation; reopens it when a writer commits a new one."""

    settings: Settings
    fusion: Fusion = field(default_factory=Fusion)
    _snapshot: store.Snapshot | None = None
    _embedder: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _named: dict[str, object] = field(default_factory=dict)  # per generation: titles, common terms per document

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

    def replaced(self) -> dict[str, Document]:
        """doc_id of each loaded document another loaded document replaces -> that document (``qa.inforce``)."""
        return self._cache(self.snapshot())["replaced"]

    def restore(self, question: str) -> str:
        """The question with diacritics when it was typed without any (``assistant.qa.restore``, leaning on the
        passages its folded syllables find), else as is."""
        if has_diacritics(question) or not self.settings.restore_diacritics:
            return question
        snap = self.snapshot()
        cache = self._cache(snap)
        with self._lock:
            if "restorer" not in cache:
                cache["restorer"] = restorer(snap.lexical.frequencies(), phrases=typed_phrases())
        return restore_near(question, cache["restorer"], lambda text, k: (
            c.text for c in snap.catalog.chunks(snap.lexical.search(text, k)[0]).values()))

    def search(self, question: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        query = analyze(self.restore(question))
        snap = self.snapshot()
        allowed = _allowed(snap, filters)
        if allowed is not None and not allowed:
            return []
        vec = self.embedder().embed_query(query.expanded)
        named_docs = self._named_docs(snap, query)
        about_itself = asks_about_document(query.text)  # its header answers: its number stays a ranking word
        lex_text = self._specific(snap, query.expanded, named_docs, numbers=not about_itself)
        dense, lexical = self._legs(snap, query.expanded, vec, allowed)
        named = self._chunk_ids(snap, named_docs, allowed)
        if named:  # make sure the named document's best chunks are candidates
            more = self._legs(snap, lex_text, vec, named)
            dense = (dense[0] + more[0][0], dense[1] + more[0][1])
            lexical = (lexical[0] + more[1][0], lexical[1] + more[1][1])
        fusion = self.fusion if query.accented else replace(self.fusion, weight=self.fusion.weight_unaccented)
        if fusion.method == "z":
            ids = sorted(set(dense[0]) | set(lexical[0]))
            d_exact = snap.vectors.scores(vec, np.asarray(ids, dtype=np.int64))
            l_exact = snap.lexical.score_ids(query.expanded, ids)
            scores = fuse_exact(ids, d_exact, l_exact, fusion)
            d_map, l_map = dict(zip(ids, d_exact.tolist(), strict=True)), dict(zip(ids, l_exact.tolist(), strict=True))
        else:
            scores = fuse(dense, lexical, fusion)
            d_map, l_map = dict(zip(*dense, strict=True)), dict(zip(*lexical, strict=True))
        if named:
            self._rank_named(snap, named, lex_text if lex_text != query.expanded else None, scores)
        asked = asked_kind(query.text)
        if asked and self.fusion.typed_bonus:
            self._typed_first(snap, asked, scores)
        self._replaced_after(snap, scores, set(named_docs))
        if named and asks_signer(query.text):
            self._signature_first(snap, named, scores)
        if not wants_header(query.text):
            self._headers_last(snap, scores, k)
        return _hits(snap, scores, d_map, l_map, k)

    def _rank_named(self, snap: store.Snapshot, named: set[int], rest: str | None, scores: dict[int, float]) -> None:
        """The named documents' passages first, ranked by the ``rest`` of the question (without its naming words)."""
        for i in named & scores.keys():
            scores[i] += self.fusion.ref_bonus
        if rest is not None:
            self._within_named(snap, rest, sorted(named & scores.keys()), scores)

    def _within_named(self, snap: store.Snapshot, rest: str, inside: list[int], scores: dict[int, float]) -> None:
        """Passages of the named documents ranked by the question without its naming words: BM25, and the
        cosine of that rest of the question (the title's words would rank the title-heavy passages first)."""
        for i, z in zip(inside, zscores(snap.lexical.score_ids(rest, inside)), strict=True):
            scores[i] += self.fusion.specific_weight * float(z)
        if self.fusion.specific_dense and inside:
            vec = self.embedder().embed_query(rest)
            cos = snap.vectors.scores(vec, np.asarray(inside, dtype=np.int64))
            for i, z in zip(inside, zscores(np.asarray(cos)), strict=True):
                scores[i] += self.fusion.specific_dense * float(z)

    def _typed_first(self, snap: store.Snapshot, asked: tuple[str, str | None], scores: dict[int, float]) -> None:
        """Among the best candidates, those holding a value of the asked kind (assistant.qa.asked) move up."""
        best = sorted(scores, key=scores.__getitem__, reverse=True)[: self.fusion.typed_depth]
        for i, chunk in snap.catalog.chunks(set(best)).items():
            if holds_value(*asked, with_units(chunk.text, chunk.context), references=False):
                scores[i] += self.fusion.typed_bonus

    def _replaced_after(self, snap: store.Snapshot, scores: dict[int, float], named: set[str]) -> None:
        """Passages of a document that another loaded document replaces (``assistant.qa.inforce``) rank lower,
        unless the question names that document."""
        cache = self._cache(snap)
        if not cache["replaced"] or not self.fusion.replaced_penalty:
            return
        with self._lock:
            if "replaced_ids" not in cache:  # read once per index generation
                cache["replaced_ids"] = {d: snap.catalog.chunk_ids_of(doc_ids=[d]) for d in cache["replaced"]}
        for doc_id, ids in cache["replaced_ids"].items():
            if doc_id not in named:
                for i in ids & scores.keys():
                    scores[i] -= self.fusion.replaced_penalty

    def _signature_first(self, snap: store.Snapshot, ids: set[int], scores: dict[int, float]) -> None:
        """The passages of a named document holding its signer's name rank first ("Ai ký Quy định 294?")."""
        top = max(scores.values(), default=0.0)
        chunks = snap.catalog.chunks(ids)
        signers: dict[str, str | None] = {}
        for i, chunk in chunks.items():
            if chunk.doc_id not in signers:
                doc = snap.catalog.document(chunk.doc_id)
                signers[chunk.doc_id] = doc.meta.signer if doc else None
            signer = signers[chunk.doc_id]
            if signer and signer in chunk.text:
                scores[i] = top + self.fusion.signer_bonus

    def _legs(
        self, snap: store.Snapshot, text: str, vec: np.ndarray, allowed: set[int] | None
    ) -> tuple[tuple[list[int], list[float]], tuple[list[int], list[float]]]:
        arr = None if allowed is None else np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        ids, scores = snap.vectors.search(vec, self.fusion.depth, arr)
        lexical = snap.lexical.search(text, self.fusion.depth, allowed)
        return (ids.tolist(), scores.tolist()), lexical

    def _named_docs(self, snap: store.Snapshot, query: Query) -> list[str]:
        """The documents a question names: by number ("Kết luận 54", "294-QĐ/TW") or by title words."""
        cache = self._cache(snap)
        return named_documents(query, cache["numbers"], cache["titles"])

    def _chunk_ids(self, snap: store.Snapshot, docs: list[str], allowed: set[int] | None) -> set[int]:
        if not docs:
            return set()
        ids = snap.catalog.chunk_ids_of(doc_ids=docs)
        return ids & allowed if allowed is not None else ids

    def _specific(self, snap: store.Snapshot, text: str, docs: list[str], numbers: bool = False) -> str:
        """The lexical query without the words that name the named documents: their titles' words and the words
        found in nearly every passage of them; with ``numbers`` (a question not about the document itself), their
        numbers and types too ("CV 2638/LĐTBXH-KHTC: … phản ánh qua đơn vị nào?")."""
        found = [self._named_doc(snap, d) for d in docs]
        return specific(text, frozenset().union(*(n.common | (n.kind if numbers else frozenset()) for n in found)),
                        numbers)

    def _headers_last(self, snap: store.Snapshot, scores: dict[int, float], k: int) -> None:
        """A document's header (the passages wholly before its body: letterhead, number, title, "Kính gửi") answers
        only a question about the document itself or one asking which document (``values.wants_header``); among
        the ``2k`` best candidates, headers rank after the rest."""
        top = sorted(scores, key=lambda i: (-scores[i], i))[: 2 * k]
        if not top:
            return
        floor, body = scores[top[-1]], self._cache(snap)["body"]
        for i, chunk in snap.catalog.chunks(top).items():
            if chunk.end <= body.get(chunk.doc_id, 0):
                scores[i] = floor - 1.0 + scores[i] * 1e-6

    def _named_doc(self, snap: store.Snapshot, doc_id: str) -> NamedDoc:
        """What ranking inside a named document needs of it, read once per index generation."""
        cache = self._cache(snap)
        if doc_id not in cache["named"]:
            chunks = snap.catalog.chunks(snap.catalog.chunk_ids_of(doc_ids=[doc_id]))
            label = cache["numbers"].get(doc_id, "")
            doc = snap.catalog.document(doc_id)
            title, kind = (doc.meta.title or "", doc.meta.doc_type or "") if doc else ("", "")
            cache["named"][doc_id] = NamedDoc(
                common_terms(f"{label} {c.context} {c.text}" for c in chunks.values()) | terms(title),
                frozenset(terms(kind)))
        return cache["named"][doc_id]

    def _cache(self, snap: store.Snapshot) -> dict:
        with self._lock:
            if self._named.get("generation") != snap.generation:
                docs = snap.catalog.documents()
                titles = title_index({d.doc_id: title_words(d.meta.title, d.meta.doc_type) for d in docs})
                numbers = snap.catalog.doc_numbers()
                body = {d.doc_id: d.body[0] for d in docs}  # where each document's header ends
                self._named = {"generation": snap.generation, "titles": titles, "numbers": numbers, "named": {},
                               "body": body, "replaced": replaced_documents(docs)}
            return self._named


def _allowed(snap: store.Snapshot, filters: Filters | None) -> set[int] | None:
    if filters is None or filters.empty():
        return None
    return snap.catalog.chunk_ids_of(filters.doc_ids, filters.doc_types, filters.issuers,
                                     filters.date_from, filters.date_to)


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
