"""A LangChain retriever over tracuu's hybrid search, for users who build their own chains.

    from assistant.lc_retriever import TracuuRetriever
    docs = TracuuRetriever.from_settings(Settings.from_env(), k=5).invoke("Kết luận 54 yêu cầu gì?")

Each result is a LangChain ``Document`` whose ``page_content`` is the chunk
text exactly as it stands in the normalised document (``start``/``end`` are
its offsets there), with the document and section metadata in ``metadata``.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, field_validator

from assistant.qa.retrieve import Filters, Hit, Retriever
from indexer.settings import Settings


class TracuuRetriever(BaseRetriever):
    """``retriever.search(query, k, filters)`` as LangChain documents, best first."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # assistant.qa.retrieve.Retriever (typed in __init__; pydantic cannot model its lock)
    k: int = 8
    filters: Any = None  # assistant.qa.retrieve.Filters | None

    def __init__(self, retriever: Retriever | None = None, k: int = 8, filters: Filters | None = None,
                 **kwargs: Any) -> None:
        if retriever is not None:
            kwargs["retriever"] = retriever
        super().__init__(k=k, filters=filters, **kwargs)

    @field_validator("retriever")
    @classmethod
    def _searchable(cls, value: Any) -> Any:
        if not callable(getattr(value, "search", None)):
            raise TypeError("retriever must be an assistant.qa.retrieve.Retriever")
        return value

    @field_validator("filters")
    @classmethod
    def _filters(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, Filters):
            raise TypeError("filters must be an assistant.qa.retrieve.Filters or None")
        return value

    @classmethod
    def from_settings(cls, settings: Settings, k: int = 8, filters: Filters | None = None) -> TracuuRetriever:
        return cls(Retriever(settings), k=k, filters=filters)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [to_document(h) for h in self.retriever.search(query, k=self.k, filters=self.filters)]


def to_document(hit: Hit) -> LCDocument:
    meta = hit.doc.meta
    return LCDocument(
        page_content=hit.chunk.text,
        metadata={
            "chunk_id": hit.chunk.chunk_id,
            "doc_id": hit.doc.doc_id,
            "doc_number": meta.doc_number,
            "doc_type": meta.doc_type,
            "title": meta.title,
            "date": meta.date or meta.date_approx,
            "section": hit.chunk.section,
            "page": hit.chunk.page,
            "start": hit.chunk.start,
            "end": hit.chunk.end,
            "score": hit.score,
            "path": hit.doc.path,
        },
    )
