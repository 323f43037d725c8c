"""UI-facing operations (no Gradio): documents, viewer data, asking, duties, ingest, delete.

The web app calls only this module. Reading and asking are here; the document
rows and viewer data are in ``assistant.service.docs``; every rule that protects
the index (size and type checks, validation before copying, the admin password)
is in ``assistant.service.write`` and is tested without a browser. Messages for
the user are Vietnamese.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer import Assistant, Composer
from assistant.qa.citations import Answer, Citation, cite
from assistant.qa.retrieve import Filters, Retriever
from assistant.service.docs import DocRow, DocView, OutlineItem, PageImage, make_row, make_view, page_image, page_quote
from assistant.service.write import UPLOAD_DIR, IndexStatus, IndexWriter, Outcome, safe_name
from indexer import store
from indexer.errors import TracuuError
from indexer.models import Document
from indexer.settings import Settings, apply_thread_policy
from indexer.vntext import fold

log = logging.getLogger(__name__)

__all__ = ["DocRow", "DocView", "IndexStatus", "Outcome", "OutlineItem", "PageImage", "Service", "Settings",
           "TracuuError", "load_settings"]
PAGE_IMAGES = 24  # page images kept in memory (each a few hundred kB)


def load_settings(**overrides: object) -> Settings:
    """Settings from ``TRACUU_*`` with the thread policy applied (call before heavy imports)."""
    settings = Settings.from_env(**overrides)
    apply_thread_policy(settings)
    return settings


def _make_llm(settings: Settings) -> Composer | None:
    """The configured composer; a bad configuration raises its Vietnamese ``SettingsError``."""
    if not settings.llm_provider:
        return None
    from assistant.llm.compose import make_llm

    return make_llm(settings)


@dataclass
class Service(IndexWriter):
    settings: Settings
    llm: Composer | None = None
    assistant: Assistant | None = None
    status: IndexStatus = field(default_factory=IndexStatus)
    _write: threading.Lock = field(default_factory=threading.Lock)
    _views: dict[tuple[str, str], DocView] = field(default_factory=dict)
    _pages: dict[tuple, PageImage | None] = field(default_factory=dict)  # oldest first

    def __post_init__(self) -> None:
        self.llm = self.llm or _make_llm(self.settings)
        self.assistant = self.assistant or Assistant(self.settings, llm=self.llm)

    def _retriever(self) -> Retriever:
        assert self.assistant is not None and self.assistant.retriever is not None
        return self.assistant.retriever

    # -- reading ----------------------------------------------------------------
    @property
    def mode_label(self) -> str:
        return "LLM, trích dẫn đã kiểm chứng" if self.llm else "Trích dẫn nguyên văn"

    def generation(self) -> str | None:
        return store.current_generation(Path(self.settings.index))

    def _docs(self) -> list[Document]:
        return self._retriever().snapshot().catalog.documents() if self.generation() else []

    def counts(self) -> tuple[int, int]:
        return self._retriever().snapshot().catalog.counts() if self.generation() else (0, 0)

    def documents(self) -> list[DocRow]:
        docs = self._docs()
        if not docs:
            return []
        retriever = self._retriever()
        catalog, replaced = retriever.snapshot().catalog, retriever.replaced()
        chunks, sources = catalog.chunk_counts(), catalog.sources()
        uploads = (Path(self.settings.corpus) / UPLOAD_DIR).resolve()
        return [make_row(d, replaced, chunks.get(d.doc_id, 0), uploads, [s for s in sources if s.doc_id == d.doc_id])
                for d in docs]

    def facets(self) -> tuple[list[str], list[str]]:
        """Document types and issuers present in the index (for the filter lists)."""
        docs = self._docs()
        return (sorted({d.meta.doc_type for d in docs if d.meta.doc_type}),
                sorted({d.meta.issuer for d in docs if d.meta.issuer}))

    def document(self, doc_id: str) -> DocView | None:
        gen = self.generation()
        if gen is None:
            return None
        if (gen, doc_id) not in self._views:
            doc = self._retriever().snapshot().catalog.document(doc_id)
            if doc is None:
                return None
            self._views = {k: v for k, v in self._views.items() if k[0] == gen} | {(gen, doc_id): make_view(doc)}
        return self._views[(gen, doc_id)]

    def page_image(self, doc_id: str, start: int, end: int) -> PageImage | None:
        """The page of the original file holding ``text[start:end]`` of the document, the passage highlighted;
        None when the document is not a scanned or digital PDF or a page image, or its file is gone."""
        from indexer.readers.ocr import config_for

        gen = self.generation()
        doc = self._retriever().snapshot().catalog.document(doc_id) if gen else None
        if doc is None:
            return None
        found = page_quote(doc, start, end)
        key = (gen, doc_id, *found) if found else None
        if key is None:
            return None
        if key not in self._pages:
            shown = page_image(doc, start, end, config_for(self.settings).cache)
            self._pages = dict(list(self._pages.items())[-(PAGE_IMAGES - 1):]) | {key: shown}
        return self._pages[key]

    # -- asking -----------------------------------------------------------------
    def ask_stream(self, question: str, history: Sequence[Answer] = (),
                   filters: Filters | None = None) -> Iterator[str | Answer]:
        """Partial LLM text (``str``, not yet verified) while it streams, then the final ``Answer``."""
        assert self.assistant is not None
        yield from self.assistant.ask_stream(question, history, filters)

    def ask(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        *_, final = self.ask_stream(question, history, filters)
        assert isinstance(final, Answer)
        return final

    def search(self, query: str, filters: Filters | None = None, k: int = 8) -> list[Citation]:
        """Passages closest to ``query`` as citations (no answer is composed)."""
        hits = self._retriever().search(query, k=k, filters=filters)
        return [cite(h.rank, h.doc, h.chunk, h.chunk.start, h.chunk.end) for h in hits]

    def warm_up(self) -> None:
        """Load the embedder and the index so the first question is fast."""
        if self.generation() is not None:
            self._retriever().search("khởi động", k=1)

    # -- duties register ----------------------------------------------------------
    def _all_duties(self) -> tuple:
        """The generation's register (computed once per generation by ``assistant.duties.answers``)."""
        from assistant.duties.answers import register_rows
        from assistant.duties.extract import select

        return select(register_rows(self._retriever().snapshot())) if self.generation() else ()

    def duty_bodies(self) -> list[tuple[str, int]]:
        """(body, number of duties) over the indexed documents, most duties first."""
        from assistant.duties.extract import body_counts

        return body_counts(self._all_duties())

    def resolve_body(self, query: str | None) -> str | None:
        """The canonical body for what the user typed ("BTC TW" -> "Ban Tổ chức Trung ương")."""
        from assistant.duties.bodies import resolve

        query = (query or "").strip()
        return query if query in dict(self.duty_bodies()) else (resolve(query) if query else None)

    def duties(self, body: str, doc_id: str | None = None, role: str | None = None) -> list:
        """Rows (``assistant.duties.model.Duty``) for ``body`` (any spelling of it, ``duties.extract.select``),
        optionally of one document and one role."""
        from assistant.duties.extract import select

        return [r for r in select(self._all_duties(), body, role=role) if doc_id in (None, r.doc_id)]

    def export_duties(self, rows: Sequence, body: str) -> tuple[Path, Path, Path]:
        """The rows as CSV, XLSX and the DOCX "Bảng phân công nhiệm vụ", in a fresh temporary folder."""
        from assistant.duties.docx_table import write_docx
        from assistant.duties.export import write_csv, write_xlsx

        folder = Path(tempfile.mkdtemp(prefix="tracuu-nhiem-vu-"))
        slug = safe_name(fold(body).replace(" ", "-"))[:60]
        name = "nhiem-vu-" + slug
        return (write_csv(rows, folder / f"{name}.csv"), write_xlsx(rows, folder / f"{name}.xlsx"),
                write_docx(rows, folder / f"bang-phan-cong-{slug}.docx", self._all_duties(), body))


def parse_date(text: str | None) -> str | None:
    """ "9/5/2023" -> "2023-05-09", "5/2023" -> "2023-05", "2023" -> "2023"; ValueError (Vietnamese) otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text):
        return "-".join([m.group(1)] + [f"{int(g):02d}" for g in m.groups()[1:] if g])
    m = re.fullmatch(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})", text)
    if m and 1 <= int(m.group(2)) <= 12 and (m.group(1) is None or 1 <= int(m.group(1)) <= 31):
        day, month, year = m.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    raise ValueError(f"Ngày “{text}” không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 09/5/2023.")


def make_filters(doc_types: Sequence[str] | None, issuers: Sequence[str] | None,
                 date_from: str | None, date_to: str | None) -> Filters:
    """Filters from the side panel; raises ValueError (Vietnamese) on a bad date."""
    return Filters(doc_types=tuple(doc_types or ()), issuers=tuple(issuers or ()),
                   date_from=parse_date(date_from), date_to=parse_date(date_to))
