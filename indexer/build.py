"""Incremental, crash-safe indexing: files -> catalogue + FAISS + lexical index.

Unchanged files (same path, size and mtime) are skipped without being read,
unless the index was built by other reading code (``indexer.fingerprint``,
``indexer.plan``);
a changed file replaces its old chunks; chunk texts already embedded by the
same model come from the embedding cache. Files are read, inserted, embedded
and added to FAISS batch by batch (``indexer.batches``), so memory is bounded by
a batch, not by the corpus. Nothing is visible to readers until the new
generation is committed (see ``indexer.store``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from pathlib import Path

import numpy as np

from indexer import store
from indexer.batches import BatchEmbedder, Loaded, batched
from indexer.catalog import Catalog
from indexer.chunker import chunk_document
from indexer.embedders import embedder_name
from indexer.errors import IndexError_
from indexer.fingerprint import KEY, reader_fingerprint
from indexer.lexical_stream import write_lexical
from indexer.loaders import iter_files
from indexer.memory import give_back
from indexer.merge import merge_into, merge_note
from indexer.models import Chunk, Document
from indexer.plan import IndexSummary, load_files, plan_files
from indexer.settings import Settings
from indexer.vecspill import VectorSpill
from indexer.vector import VectorIndex

log = logging.getLogger(__name__)


def index_text(chunk: Chunk, doc: Document) -> str:
    """What the embedder and the lexical index see: document label, headings, text."""
    return _index_text(doc.meta.doc_type, doc.meta.doc_number, chunk.context, chunk.text)


def _index_text(doc_type: str | None, doc_number: str | None, context: str, text: str) -> str:
    label = " ".join(x for x in (doc_type, doc_number) if x)
    return "\n".join(x for x in (label, context, text) if x)


def build_index(
    paths: Sequence[str | Path],
    settings: Settings,
    *,
    rebuild: bool = False,
    prune: bool = False,
    progress: bool = False,
) -> IndexSummary:
    """Index ``paths`` (files or folders) into ``settings.index``."""
    started = time.perf_counter()
    root = Path(settings.index)
    model = embedder_name(settings.model)
    summary = IndexSummary()
    with store.writer_lock(root):
        live = None if rebuild else _open_live(root, model)
        known = live.files() if live else {}
        summary.reread = live is not None and live.get_info(KEY) != reader_fingerprint()
        files = [p for path in paths for p in iter_files(path)]
        plan = plan_files(files, known, live.sources() if live else [], prune, summary)
        if live:
            live.close()
        docs = load_files(plan.load, settings, summary, progress)  # lazily, one document at a time
        first = next(docs, None)  # no new generation when no file could be read and nothing is dropped
        if not (first or plan.drop or plan.drop_sources or rebuild):
            summary.documents, summary.chunks = _counts(root)
            summary.seconds = time.perf_counter() - started
            return summary
        stream = docs if first is None else chain([first], docs)
        _write_generation(root, settings, model, stream, plan.drop, rebuild, summary, progress, plan.drop_sources)
    summary.seconds = time.perf_counter() - started
    return summary


def index_documents(docs: Iterable[Document], settings: Settings, progress: bool = False) -> IndexSummary:
    """Build a fresh index from documents (evaluation sets, benchmarks), read lazily batch by batch.

    Each document's ``path`` must be unique; it identifies the document in the catalogue.
    """
    started = time.perf_counter()
    root = Path(settings.index)
    summary = IndexSummary()
    with store.writer_lock(root):
        loaded = ((d, chunk_document(d, settings.chunk_max_chars, settings.chunk_min_chars), 0, 0.0) for d in docs)
        _write_generation(root, settings, embedder_name(settings.model), loaded, {}, True, summary, progress,
                          merge=False)
    summary.seconds = time.perf_counter() - started
    return summary


def _open_live(root: Path, model: str) -> Catalog | None:
    gen = store.current_generation(root)
    if gen is None:
        return None
    store.open_snapshot(root, model).catalog.close()  # refuses another model's index
    return Catalog.read_only(root / gen / "catalog.sqlite")


def _write_generation(
    root: Path, settings: Settings, model: str, docs: Iterable[Loaded], drop: dict[str, str],
    rebuild: bool, s: IndexSummary, progress: bool, drop_sources: Sequence[str] = (), merge: bool = True,
) -> None:
    """A new generation: the drops, then ``docs`` batch by batch (catalogue, embedding, FAISS); readers see
    it only once ``store.commit`` has run."""
    # the model is loaded once per build, before anything is written: a model or engine that cannot load
    # leaves the index folder exactly as it was
    embedder = BatchEmbedder(root, settings, model, progress)
    folder = store.next_generation(root)
    catalog = Catalog(folder / "catalog.sqlite") if rebuild else store.copy_catalog(root, folder)
    live = None if rebuild else _live_vectors(root)
    # a fresh build spills its vectors to disk and makes the FAISS index once, at the end
    vectors: VectorIndex | VectorSpill = live if live is not None else VectorSpill(folder, embedder.dim)
    known = catalog.files()
    try:
        with catalog.transaction():
            _drop(catalog, vectors, drop, drop_sources, s)
            for batch in batched(docs):
                removed_ids, new_ids, texts = _insert(catalog, batch, known, s, merge)
                if removed_ids:  # before the add: a new chunk may reuse a removed row id
                    vectors.remove(np.asarray(removed_ids, dtype=np.int64))
                if new_ids:
                    vectors.add(np.asarray(new_ids, dtype=np.int64), embedder.vectors(texts))
            catalog.set_info("model", model)
            catalog.set_info(KEY, reader_fingerprint())
    finally:
        embedder.close()
    s.embedded = embedder.embedded
    del embedder  # the model is not held through the index writes below
    give_back()  # each stage's freed heap returned before the next: the build's peak is one stage's, not their sum
    dim, described = _save_vectors(vectors, folder)
    del vectors  # on disk now: not held through the lexical build
    give_back()
    _write_lexical(catalog, folder / "lexical")
    s.documents, s.chunks = catalog.counts()
    catalog.close()
    store.commit(root, folder, {"model": model, "dim": dim, "documents": s.documents, "chunks": s.chunks,
                                "vectors": described})


def _save_vectors(vectors: VectorIndex | VectorSpill, folder: Path) -> tuple[int, dict[str, object]]:
    """The vector index, flat or IVF for its size (``indexer.ann``), into the generation: (dim, description)."""
    if isinstance(vectors, VectorSpill):
        vectors = vectors.to_index()
    vectors.fit_to_size()
    vectors.save(folder / "vectors.faiss")
    return vectors.dim, vectors.describe()


def _drop(catalog: Catalog, vectors: VectorIndex | VectorSpill, drop: dict[str, str], drop_sources: Sequence[str],
          s: IndexSummary) -> None:
    """Remove the documents of ``drop`` (doc_id -> path) and the sources gone from disk."""
    removed_ids: list[int] = []
    for doc_id, path in drop.items():
        removed_ids += catalog.remove_document(doc_id)
        s.removed.append(path)
    for path in drop_sources:
        catalog.remove_source(path)
    if removed_ids:
        vectors.remove(np.asarray(removed_ids, dtype=np.int64))


def _insert(catalog: Catalog, batch: list[Loaded], known: dict[str, tuple[str, int, float]], s: IndexSummary,
            merge: bool) -> tuple[list[int], list[int], list[str]]:
    """One batch into the catalogue: (row ids removed, new row ids, their index texts)."""
    removed_ids: list[int] = []
    new_ids: list[int] = []
    texts: list[str] = []
    for doc, chunks, size, mtime in batch:
        old = known.get(doc.path)
        if old:
            removed_ids += catalog.remove_document(old[0])
        catalog.remove_source(doc.path)
        merged = merge and merge_into(catalog, doc, chunks, size, mtime)
        if merged:
            s.merged.append((doc.path, merge_note(merged, catalog.document(merged.doc_id))))
            continue
        (s.updated if old else s.added).append(doc.path)
        new_ids += catalog.add_document(doc, chunks, size, mtime)
        texts += [index_text(c, doc) for c in chunks]
    return removed_ids, new_ids, texts


def _live_vectors(root: Path) -> VectorIndex | None:
    gen = store.current_generation(root)
    if gen is None:
        return None
    import json

    info = json.loads((root / gen / "info.json").read_text(encoding="utf-8"))
    return VectorIndex.load(root / gen / "vectors.faiss", int(info["dim"]))


def index_texts(catalog: Catalog) -> Iterator[tuple[int, str]]:
    """(row id, ``index_text``) of every chunk in the catalogue, streamed in id order."""
    for row_id, *rest in catalog.iter_index_parts():
        yield row_id, _index_text(*rest)


def _write_lexical(catalog: Catalog, directory: Path) -> None:
    """BM25 over the catalogue's chunks, streamed through a spill file (``indexer.lexical_stream``)."""
    write_lexical(index_texts(catalog), directory)


def _counts(root: Path) -> tuple[int, int]:
    gen = store.current_generation(root)
    if gen is None:
        return 0, 0
    catalog = Catalog.read_only(root / gen / "catalog.sqlite")
    try:
        return catalog.counts()
    finally:
        catalog.close()


def remove_documents(refs: Iterable[str], settings: Settings) -> IndexSummary:
    """Drop documents (by id, number or path) from the index."""
    root = Path(settings.index)
    model = embedder_name(settings.model)
    summary = IndexSummary()
    with store.writer_lock(root):
        live = _open_live(root, model)
        if live is None:
            raise IndexError_(f"Chưa có chỉ mục tại {root}. Hãy chạy `tracuu index` trước.")
        drop: dict[str, str] = {}
        for ref in refs:
            found = live.find_documents(ref)
            if not found:
                raise IndexError_(
                    f"Không tìm thấy văn bản '{ref}' trong chỉ mục. Hãy xem danh sách bằng `tracuu docs`."
                )
            drop.update({d: ref for d in found})
        live.close()
        _write_generation(root, settings, model, [], drop, False, summary, False)
    return summary
