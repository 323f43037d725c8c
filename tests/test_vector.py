"""VectorIndex over real FAISS: add/search/remove, filters, atomic save and load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.errors import IndexError_
from indexer.vector import VectorIndex

DIM = 16


def unit_rows(n: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture()
def filled() -> tuple[VectorIndex, np.ndarray, np.ndarray]:
    ids = np.array([10, 20, 30, 40, 50], dtype=np.int64)
    vectors = unit_rows(len(ids))
    index = VectorIndex(DIM)
    index.add(ids, vectors)
    return index, ids, vectors


def test_search_finds_each_vector_first(filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, ids, vectors = filled
    assert len(index) == 5
    for i, vector in enumerate(vectors):
        found, scores = index.search(vector, 3)
        assert found.dtype == np.int64 and scores.dtype == np.float32
        assert found[0] == ids[i]
        assert scores[0] == pytest.approx(1.0, abs=1e-5)
        assert list(scores) == sorted(scores, reverse=True)


def test_k_larger_than_index_drops_missing_ids(filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, ids, vectors = filled
    found, scores = index.search(vectors[0], 100)
    assert sorted(found) == sorted(ids)
    assert -1 not in found and len(scores) == 5
    empty = VectorIndex(DIM)
    assert [len(x) for x in empty.search(vectors[0], 5)] == [0, 0]


def test_allowed_restricts_results(filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, vectors = filled
    found, _ = index.search(vectors[0], 5, allowed=np.array([30, 50, 999]))
    assert sorted(found) == [30, 50]
    found, _ = index.search(vectors[2], 1, allowed=np.array([30]))
    assert list(found) == [30]
    assert len(index.search(vectors[0], 5, allowed=np.array([], dtype=np.int64))[0]) == 0


def test_remove_and_replace(filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, vectors = filled
    assert index.remove(np.array([20, 40, 777])) == 2
    assert len(index) == 3
    assert 20 not in index.search(vectors[1], 5)[0]
    index.add(np.array([10]), vectors[1:2])  # id 10 now holds vector 1
    assert len(index) == 3
    found, scores = index.search(vectors[1], 1)
    assert list(found) == [10] and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert sorted(index.ids()) == [10, 30, 50]


def test_add_rejects_mismatched_input() -> None:
    index = VectorIndex(DIM)
    with pytest.raises(ValueError):
        index.add(np.array([1, 2]), unit_rows(3))
    with pytest.raises(ValueError):
        index.add(np.array([1, 1]), unit_rows(2))


def test_save_load_round_trip(tmp_path: Path, filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, vectors = filled
    path = tmp_path / "gen" / "vectors.faiss"
    index.save(path)
    loaded = VectorIndex.load(path, DIM)
    assert len(loaded) == len(index)
    for vector in vectors:
        for a, b in zip(index.search(vector, 5), loaded.search(vector, 5), strict=True):
            np.testing.assert_array_equal(a, b)
    found, _ = loaded.search(vectors[0], 5, allowed=np.array([20, 30]))
    assert sorted(found) == [20, 30]
    assert [p.name for p in path.parent.iterdir()] == ["vectors.faiss"]


def test_failed_save_keeps_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, filled: tuple[VectorIndex, np.ndarray, np.ndarray]
) -> None:
    import faiss

    index, _, _ = filled
    path = tmp_path / "vectors.faiss"
    index.save(path)
    before = path.read_bytes()
    index.remove(np.array([10, 20]))

    def broken_write(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(faiss, "write_index", broken_write)
    with pytest.raises(RuntimeError, match="disk full"):
        index.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["vectors.faiss"]
    assert len(VectorIndex.load(path, DIM)) == 5


def test_load_errors_are_vietnamese(tmp_path: Path, filled: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, _ = filled
    with pytest.raises(IndexError_, match="Không tìm thấy tệp chỉ mục vectơ"):
        VectorIndex.load(tmp_path / "none.faiss", DIM)
    path = tmp_path / "vectors.faiss"
    index.save(path)
    with pytest.raises(IndexError_, match="mô hình khác"):
        VectorIndex.load(path, DIM * 2)
    path.write_bytes(b"not a faiss index")
    with pytest.raises(IndexError_, match="bị hỏng"):
        VectorIndex.load(path, DIM)
