"""Document rows and viewer data for the web app (no Gradio): the table of documents and the reader."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from assistant.qa.citations import doc_label, vn_date
from indexer.models import Document
from indexer.vntext import fold


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    label: str
    number: str
    doc_type: str
    issuer: str
    date: str  # as Vietnamese documents write it ("09/5/2023")
    title: str
    pages: int | None
    chunks: int
    superseded_by: tuple[str, ...]
    file_name: str
    uploaded: bool


@dataclass(frozen=True)
class OutlineItem:
    start: int
    end: int
    level: int
    label: str


@dataclass(frozen=True)
class DocView:
    doc_id: str
    label: str
    title: str
    issuer: str
    date: str
    text: str
    outline: tuple[OutlineItem, ...]
    page_starts: tuple[int, ...]

    def page_at(self, offset: int) -> int | None:
        return bisect.bisect_right(self.page_starts, offset) or None if self.page_starts else None


def make_row(doc: Document, docs: list[Document], chunks: int, uploads: Path) -> DocRow:
    """One row of the documents table; ``uploads`` is the resolved upload folder."""
    meta, path = doc.meta, Path(doc.path)
    own = fold(meta.doc_number or "")
    by = tuple(doc_label(d) for d in docs if own and own in {fold(n) for n in d.meta.supersedes})
    return DocRow(doc.doc_id, doc_label(doc), meta.doc_number or "", meta.doc_type or "", meta.issuer or "",
                  vn_date(meta.date or meta.date_approx), meta.title or "", doc.pages, chunks, by, path.name,
                  path.resolve().is_relative_to(uploads))


def make_view(doc: Document) -> DocView:
    """The viewer's data: text, page starts and an outline of headings and numbered items."""
    from indexer.outline import is_heading, parse_outline

    items = []
    for n in parse_outline(doc):
        numbered = n.kind in ("part", "chapter", "division", "article", "roman", "number") and n.level <= 2
        titled = n.kind not in ("paragraph", "meta") and is_heading(n.kind, n.title) and n.level <= 3
        if numbered or titled:
            label = f"{n.marker} {n.title}".strip()
            items.append(OutlineItem(n.start, n.end, n.level, label[:80] + ("…" if len(label) > 80 else "")))
    meta = doc.meta
    return DocView(doc.doc_id, doc_label(doc), meta.title or "", meta.issuer or "",
                   vn_date(meta.date or meta.date_approx), doc.text, tuple(items), doc.page_starts)
