"""The LangChain retriever adapter over a real small index."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from assistant.lc_retriever import TracuuRetriever
from assistant.qa.retrieve import Filters, Retriever
from indexer.settings import Settings

QUESTION = "Kết luận 54 yêu cầu gì về phát huy vai trò của Nhân dân?"
KEYS = {"chunk_id", "doc_id", "doc_number", "doc_type", "section", "page", "start", "end", "score"}


@pytest.fixture(scope="module")
def settings(fast_seed_settings: Settings) -> Settings:
    return fast_seed_settings


@pytest.fixture(scope="module")
def retriever(settings: Settings) -> Retriever:
    return Retriever(settings)


def test_documents_mirror_the_hybrid_search(retriever: Retriever) -> None:
    lc = TracuuRetriever(retriever, k=4)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke(QUESTION)
    hits = retriever.search(QUESTION, k=4)
    assert len(docs) == 4 and all(isinstance(d, LCDocument) for d in docs)
    assert [d.metadata["chunk_id"] for d in docs] == [h.chunk.chunk_id for h in hits]
    assert [d.metadata["score"] for d in docs] == sorted((d.metadata["score"] for d in docs), reverse=True)
    for doc, hit in zip(docs, hits, strict=True):
        assert set(doc.metadata) >= KEYS
        assert doc.page_content == hit.chunk.text == hit.doc.text[doc.metadata["start"]:doc.metadata["end"]]
        assert doc.metadata["section"] == hit.chunk.section and doc.metadata["doc_id"] == hit.doc.doc_id
    assert docs[0].metadata["doc_number"] == "54-KL/TW" and docs[0].metadata["doc_type"] == "Kết luận"


def test_filters_and_k(retriever: Retriever, settings: Settings) -> None:
    only = TracuuRetriever(retriever, k=2, filters=Filters(doc_types=("Thông báo kết luận",)))
    docs = only.invoke(QUESTION)
    assert len(docs) == 2 and {d.metadata["doc_type"] for d in docs} == {"Thông báo kết luận"}
    assert TracuuRetriever(retriever, filters=Filters(doc_ids=("khong-co",))).invoke(QUESTION) == []
    assert len(TracuuRetriever.from_settings(settings, k=3).invoke(QUESTION)) == 3


def test_batch_and_bad_arguments(retriever: Retriever) -> None:
    lc = TracuuRetriever(retriever, k=1)
    results = lc.batch([QUESTION, "Ban Bí thư giao Ủy ban Kiểm tra Trung ương nhiệm vụ gì?"])
    assert [len(r) for r in results] == [1, 1]
    with pytest.raises(TypeError):
        TracuuRetriever(object())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TracuuRetriever(retriever, filters={"doc_types": ["Kết luận"]})  # type: ignore[arg-type]
