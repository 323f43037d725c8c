"""Approximate vector search by size (real FAISS): IVF above the threshold, same operations, manifest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer import ann
from indexer.vector import VectorIndex
from tests.support import DIM, clustered


@pytest.fixture()
def big() -> tuple[VectorIndex, np.ndarray, np.ndarray]:
    ids = np.arange(1000, 1000 + 3000, dtype=np.int64)
    vectors = clustered(len(ids))
    index = VectorIndex(DIM)
    index.add(ids, vectors)
    return index, ids, vectors


def test_small_stays_flat_large_goes_ivf(big: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, _, _ = big
    assert index.fit_to_size() == "flat" and index.describe()["kind"] == "flat"
    assert index.fit_to_size(ann_min=2000) == "ivf"
    info = index.describe()
    assert info["kind"] == "ivf" and info["vectors"] == 3000 and info["nlist"] == ann.nlist_for(3000)
    assert info["nprobe"] == ann.nprobe_for(info["nlist"])


def test_ivf_recall_and_operations(tmp_path: Path, big: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, ids, vectors = big
    queries = clustered(50, seed=1)
    exact = np.vstack([index.search(q, 10)[0] for q in queries])
    index.fit_to_size(ann_min=2000)
    approx = np.vstack([index.search(q, 10)[0] for q in queries])
    assert ann.recall_at(exact, approx) >= 0.8  # measured on real chunks: benchmarks/ann_recall.py
    assert sorted(index.ids()) == sorted(ids)
    # filtered search is exact: every cell probed
    allowed = ids[::97]
    found, scores = index.search(queries[0], 5, allowed=allowed)
    best = allowed[np.argsort(-(vectors[::97] @ queries[0]))[:5]]
    assert list(found) == list(best)
    np.testing.assert_allclose(index.scores(queries[0], found), scores, rtol=1e-5)
    # remove and replace in place
    assert index.remove(ids[:10]) == 10 and len(index) == 2990
    index.add(np.array([ids[20]]), vectors[:1])
    top, score = index.search(vectors[0], 1, allowed=np.array([ids[20]]))
    assert list(top) == [ids[20]] and score[0] == pytest.approx(1.0, abs=1e-5)
    path = tmp_path / "vectors.faiss"
    index.save(path)
    loaded = VectorIndex.load(path, DIM)
    assert loaded.describe() == index.describe()
    for q in queries[:5]:
        np.testing.assert_array_equal(loaded.search(q, 10)[0], index.search(q, 10)[0])
    np.testing.assert_allclose(loaded.scores(q, ids[30:33]), vectors[30:33] @ q, rtol=1e-5)


def test_shrunk_ivf_goes_back_to_flat(big: tuple[VectorIndex, np.ndarray, np.ndarray]) -> None:
    index, ids, _ = big
    index.fit_to_size(ann_min=2000)
    index.remove(ids[:2000])
    assert index.fit_to_size(ann_min=2000) == "flat"
    assert sorted(index.ids()) == sorted(ids[2000:])
