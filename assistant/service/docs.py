"""Document rows and viewer data for the web app (no Gradio): the table of documents and the reader."""

from __future__ import annotations

import bisect
import hashlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.qa.citations import doc_label, vn_date
from indexer.models import CertifiedCopy, Document, Source

log = logging.getLogger("assistant.service")
PAGED = ("pdf", "image")  # source formats whose pages can be shown as images


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
    sources: tuple[str, ...] = ()  # every file of the document, its own first, as a reader would name them


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


def make_row(doc: Document, replaced: Mapping[str, Document], chunks: int, uploads: Path,
             sources: Sequence[Source] = ()) -> DocRow:
    """One row of the documents table; ``replaced`` maps each replaced document to the loaded one replacing it
    (``assistant.qa.inforce.replaced_documents``), ``uploads`` is the resolved upload folder, ``sources`` the
    document's other files (same text, certified copies, the original)."""
    meta, path = doc.meta, Path(doc.path)
    by = (doc_label(replaced[doc.doc_id]),) if doc.doc_id in replaced else ()
    return DocRow(doc.doc_id, doc_label(doc), meta.doc_number or "", meta.doc_type or "", meta.issuer or "",
                  vn_date(meta.date or meta.date_approx), meta.title or "", doc.pages, chunks, by, path.name,
                  path.resolve().is_relative_to(uploads), _sources(doc, sources))


def _sources(doc: Document, others: Sequence[Source]) -> tuple[str, ...]:
    """The document's own file, then its other files, each with what it is to the document."""
    own, label = Path(doc.path).name, doc_label(doc)
    copy = doc.meta.certified_copy
    if copy:
        own += f" — {_copy_note(copy, label)}"
    out = [own]
    for s in others:
        name = Path(s.path).name
        if s.kind == "copy" and s.copy:
            out.append(f"{name} — {_copy_note(s.copy, label)}")
        elif s.kind == "original":
            out.append(f"{name} — bản gốc")
        else:
            out.append(f"{name} — cùng nội dung")
    return tuple(out)


def _copy_note(copy: CertifiedCopy, label: str) -> str:
    """ "Bản sao y của Kết luận số 54-KL/TW do Tỉnh ủy Bắc Kạn sao (số 314-SY/TU, 19/5/2023)"."""
    kind = copy.kind or "SAO Y"
    details = ", ".join(x for x in (f"số {copy.number}" if copy.number else "", vn_date(copy.date)) if x)
    by = f" do {copy.issuer} sao" if copy.issuer else ""
    return f"Bản {kind.lower()} của {label}{by}" + (f" ({details})" if details else "")


def make_view(doc: Document) -> DocView:
    """The viewer's data: text, page starts and an outline of headings and numbered items."""
    from indexer.outline import is_heading, parse_outline

    items = []
    for n in parse_outline(doc):
        numbered = n.kind in ("part", "chapter", "division", "article", "roman", "number", "appendix") and n.level <= 2
        titled = n.kind not in ("paragraph", "meta", "row") and is_heading(n.kind, n.title) and n.level <= 3
        if numbered or titled:
            label = f"{n.marker} {n.title}".strip()
            items.append(OutlineItem(n.start, n.end, n.level, label[:80] + ("…" if len(label) > 80 else "")))
    meta = doc.meta
    return DocView(doc.doc_id, doc_label(doc), meta.title or "", meta.issuer or "",
                   vn_date(meta.date or meta.date_approx), doc.text, tuple(items), doc.page_starts)


@dataclass(frozen=True)
class PageImage:
    """A page of the original file with the quoted lines highlighted."""

    page: int  # 1-based
    png: bytes
    focus: float | None  # top of the highlight as a share of the image height (None: no line was matched)


def page_quote(doc: Document, start: int, end: int) -> tuple[int, str] | None:
    """The page holding ``start`` and the part of ``doc.text[start:end]`` on it; None for unpaged documents."""
    page = doc.page_at(start) if doc.source_format in PAGED and 0 <= start < end <= len(doc.text) else None
    if page is None:
        return None
    page_end = doc.page_starts[page] if page < len(doc.page_starts) else len(doc.text)
    return page, doc.text[start:min(end, page_end)]


def page_image(doc: Document, start: int, end: int, ocr_cache: Path | None) -> PageImage | None:
    """The page of ``doc`` holding ``doc.text[start:end]`` as a PNG with that passage highlighted.

    None when the document is not a PDF or page image, or its file is gone or no longer the indexed one."""
    from indexer.highlight import highlighted_page

    found = page_quote(doc, start, end)
    path = Path(doc.path)
    if found is None or not path.is_file():
        return None
    page, quote = found
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest()[:16] != doc.doc_id:
            return None  # the file changed after indexing: its pages may no longer hold the passage
        shown = highlighted_page(path, page, [quote], ocr_cache)
    except Exception:  # a page that cannot be drawn must not break the text viewer
        log.exception("page %d of %s could not be drawn", page, path)
        return None
    return PageImage(page, shown.png, shown.focus)
