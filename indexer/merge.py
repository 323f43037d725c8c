"""One copy of each directive: a file that repeats an indexed document becomes another source of it.

A file whose normalised text equals a document's is the same document (another encoding or format of the
same text, a file forwarded by another office). A certified copy (sao y) whose body chunks equal an indexed
document's body is linked to that document rather than indexed a second time, so a passage is found once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from indexer.catalog import Catalog, body_digest, text_digest
from indexer.models import Chunk, Document, Source


def merge_into(catalog: Catalog, doc: Document, chunks: Sequence[Chunk], size: int, mtime: float) -> Source | None:
    """Record ``doc`` as another source of the indexed document it repeats; None when it is new."""
    copy = doc.meta.certified_copy
    found = catalog.match(text_digest(doc.text), body_digest(c.text for c in chunks if c.role == "body"),
                          copy is not None)
    if found is None:
        return None
    doc_id, kind = found
    source = Source(doc.path, doc_id, kind, size, mtime, copy if kind == "copy" else None)
    catalog.add_source(source)
    return source


def orphaned(sources: Sequence[Source], gone: set[str], loading: set[str]) -> list[Path]:
    """Source files to read again because the document they belong to is removed or replaced."""
    return [Path(s.path) for s in sources
            if s.doc_id in gone and s.path not in loading and Path(s.path).is_file()]


def merge_note(source: Source, doc: Document | None) -> str:
    """What ``tracuu index`` reports for a merged file (Vietnamese)."""
    label = _label(doc) if doc else source.doc_id
    if source.kind == "copy":
        return f"Bản sao y của {label}; ghi nhận là một nguồn của văn bản đã nạp, không lập chỉ mục lần hai."
    if source.kind == "original":
        return f"Bản gốc của {label} (văn bản đã nạp là bản sao y); ghi nhận là một nguồn của văn bản đó."
    return f"Trùng nội dung với {label}; ghi nhận là một nguồn khác của văn bản đó."


def _label(doc: Document) -> str:
    meta = doc.meta
    if meta.doc_number:
        return f"{meta.doc_type or 'văn bản'} số {meta.doc_number}"
    return meta.title or Path(doc.path).name
