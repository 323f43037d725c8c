"""Frozen dataclasses passed between the indexing stages.

Offsets are always character offsets into ``Document.text``, the normalised
text of the whole document; ``doc.text[chunk.start:chunk.end] == chunk.text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reference:
    """A document cited in the text, e.g. "Quyết định số 99-QĐ/TW, ngày 03/10/2017"."""

    number: str
    doc_type: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class CertifiedCopy:
    """A SAO Y / SAO LỤC block: the copying body's own number and date."""

    number: str | None
    issuer: str | None
    date: str | None
    kind: str = "SAO Y"
    signer: str | None = None
    place: str | None = None


@dataclass(frozen=True)
class Metadata:
    """Header metadata of a Vietnamese official document."""

    doc_number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd, only when day, month and year are all given
    date_approx: str | None = None  # ISO reduced precision ("2025-11") when the day is blank
    title: str | None = None
    signer: str | None = None
    signer_capacity: str | None = None
    recipients: tuple[str, ...] = ()
    certified_copy: CertifiedCopy | None = None
    references: tuple[Reference, ...] = ()
    supersedes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A loaded, normalised document.

    ``page_starts[i]`` is the offset in ``text`` where page ``i + 1`` begins
    (empty for formats without pages). ``body`` is the span of retrievable body
    text; ``excluded`` lists spans inside it that are not retrievable
    (the recipients lists); ``meta_spans`` are the signature and certified-copy
    lines, retrievable as their own chunks but not part of the outline.
    """

    doc_id: str
    path: str
    text: str
    meta: Metadata = field(default_factory=Metadata)
    page_starts: tuple[int, ...] = ()
    body: tuple[int, int] = (0, 0)
    excluded: tuple[tuple[int, int], ...] = ()
    meta_spans: tuple[tuple[int, int], ...] = ()  # signature / certified-copy lines: retrievable, not body
    source_format: str = "txt"
    encoding: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def pages(self) -> int | None:
        return len(self.page_starts) or None

    def page_at(self, offset: int) -> int | None:
        """1-based page holding ``offset``, or None for unpaged documents."""
        if not self.page_starts:
            return None
        page = 1
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i + 1
            else:
                break
        return page


@dataclass(frozen=True)
class Source:
    """Another file of an indexed document: the same text, its certified copy, or its original.

    ``kind``: "same" (the normalised text equals the document's), "copy" (the file is a certified copy whose
    body equals the document's; ``copy`` holds the copying body's number and date) or "original" (the document
    is itself a certified copy and this file is the original it copies).
    """

    path: str
    doc_id: str
    kind: str
    size: int = 0
    mtime: float = 0.0
    copy: CertifiedCopy | None = None


@dataclass(frozen=True)
class Section:
    """One node of a document's outline (a heading or a list item).

    ``kind``: roman, number, letter, bullet, plus, label, part, chapter,
    article (Điều), clause (Khoản), point (Điểm), paragraph.
    ``marker`` is the label as written ("3.", "b)", "-", "Điều 5").
    ``title`` is the heading text a reader would cite ("Nhiệm vụ thời gian tới").
    ``start``/``end`` span the node's own paragraph in ``Document.text``.
    ``parent`` is the index of the parent node in the outline tuple, or -1.
    """

    kind: str
    marker: str
    title: str
    level: int
    start: int
    end: int
    parent: int = -1


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: a paragraph, a list item, or a part of a long one.

    ``section`` is the outline path as a reader would cite it, e.g.
    "3. Nhiệm vụ thời gian tới › b) › Ban Tuyên giáo Trung ương › ý 2".
    ``context`` holds the parent headings' text so that a list item can be
    found by its heading (a "+" item by the body named in its "-" heading).
    """

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    section: str
    context: str = ""
    pages: tuple[int, ...] = ()
    ordinal: int = 0
    role: str = "body"  # body | heading (a heading alone) | header (document header) | meta (signature, copy)

    @property
    def page(self) -> int | None:
        return self.pages[0] if self.pages else None
