"""Which files a build reads, and the reading (internals of ``indexer.build``).

A file whose path, size and mtime the catalogue already holds is skipped without being read, unless the index was
built by other reading code (``IndexSummary.reread``); with ``prune``, indexed files gone from the folders named are
dropped; documents that were merged into one whose file changed are read again (``indexer.merge.orphaned``). Files
are read one at a time; an unreadable one is skipped with its Vietnamese reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.batches import Loaded
from indexer.chunker import chunk_document
from indexer.errors import LoadError
from indexer.loaders import load_document
from indexer.merge import orphaned
from indexer.models import Document, Source
from indexer.settings import Settings

__all__ = ["IndexSummary", "Plan", "load_files", "plan_files"]


@dataclass
class IndexSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, Vietnamese reason)
    merged: list[tuple[str, str]] = field(default_factory=list)  # (path, Vietnamese note): another source of a document
    notes: list[tuple[str, str]] = field(default_factory=list)  # (path, Vietnamese note): OCR quality, encodings
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    reread: bool = False  # every file read again: the index was built by other reading code

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class Plan:
    load: list[Path] = field(default_factory=list)
    drop: dict[str, str] = field(default_factory=dict)  # doc_id -> path
    drop_sources: list[str] = field(default_factory=list)  # other sources of documents, gone from disk


def plan_files(files: list[Path], known: dict[str, tuple[str, int, float]], sources: list[Source], prune: bool,
               s: IndexSummary) -> Plan:
    """The files to read and the documents and sources to drop; counts the unchanged files in ``s``."""
    plan = Plan()
    seen = set()
    others = {src.path: (src.doc_id, src.size, src.mtime) for src in sources}
    for path in files:
        key = str(path.resolve())
        seen.add(key)
        st = path.stat()
        old = known.get(key) or others.get(key)
        if old and old[1] == st.st_size and old[2] == st.st_mtime and not s.reread:
            s.unchanged += 1
            continue
        plan.load.append(path)
    if s.reread:  # other reading code built the index: every indexed file still on disk is read again, not only
        plan.load += [Path(p) for p in known if p not in seen and Path(p).is_file()]  # those named this time
    if prune:
        plan.drop = {doc_id: p for p, (doc_id, _, _) in known.items() if p not in seen}
        plan.drop_sources = [p for p in others if p not in seen]
    gone = set(plan.drop) | {known[str(p.resolve())][0] for p in plan.load if str(p.resolve()) in known}
    plan.load += orphaned(sources, gone, {str(p.resolve()) for p in plan.load} | set(plan.drop_sources))
    return plan


def load_files(files: list[Path], settings: Settings, s: IndexSummary, progress: bool = False) -> Iterator[Loaded]:
    """Each readable file's document and chunks, one at a time; unreadable files go to ``s.skipped``."""
    from indexer.readers.ocr import config_for

    ocr = config_for(settings, progress)
    for path in files:
        try:
            doc = load_document(path, settings.max_file_mb, ocr)
        except LoadError as err:
            s.skipped.append((str(path), str(err)))
            continue
        key = str(path.resolve())
        doc = _with_path(doc, key)
        s.notes += [(str(path), note) for note in doc.notes]
        chunks = chunk_document(doc, settings.chunk_max_chars, settings.chunk_min_chars)
        st = path.stat()
        yield doc, chunks, st.st_size, st.st_mtime


def _with_path(doc: Document, path: str) -> Document:
    from dataclasses import replace

    return replace(doc, path=path)
