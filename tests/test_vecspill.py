"""A fresh build's vectors spilled to disk and made into one FAISS index at the end (issue 13).

Real FAISS; the index made from the spill must equal the one built in memory from the same
(id, vector) pairs: flat below the size threshold, IVF with the same cells and lists above it.
"""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from indexer import ann, vecspill
from indexer.vecspill import VectorSpill
from indexer.vector import VectorIndex
from tests.support import DIM, clustered


def _lists(index) -> list[list[int]]:
    return [faiss.rev_swig_ptr(index.invlists.get_ids(c), index.invlists.list_size(c)).tolist()
            for c in range(index.nlist)]


def _filled(folder: Path, ids: np.ndarray, vectors: np.ndarray) -> VectorSpill:
    spill = VectorSpill(folder, DIM)
    for start in range(0, len(ids), 700):  # build batches
        spill.add(ids[start:start + 700], vectors[start:start + 700])
    return spill


def test_small_spill_gives_the_flat_index_of_the_same_operations(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(vecspill, "SLICE", 500)
    ids, vectors = np.arange(10, 3010, dtype=np.int64), clustered(3000)
    spill, memory = _filled(tmp_path, ids, vectors), VectorIndex(DIM)
    memory.add(ids, vectors)
    gone = ids[100:400]
    spill.remove(gone)
    memory.remove(gone)
    again = ids[150:160]  # a removed row id reused by a later chunk
    spill.add(again, vectors[:10])
    memory.add(again, vectors[:10])
    index = spill.to_index()
    assert index.kind == "flat" and len(index) == len(memory) == 3000 - 300 + 10
    assert sorted(index.ids().tolist()) == sorted(memory.ids().tolist())
    probe = np.concatenate([ids[:50], again, ids[2900:]])
    assert np.array_equal(index.scores(vectors[7], probe), memory.scores(vectors[7], probe))
    assert not spill.path.exists()
    for q in vectors[:20]:
        assert index.search(q, 10)[0].tolist() == memory.search(q, 10)[0].tolist()


def test_large_spill_gives_the_ivf_index_built_in_memory(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ann, "ANN_MIN", 2000)
    monkeypatch.setattr(vecspill, "SLICE", 333)
    ids, vectors = np.arange(5, 6005, dtype=np.int64), clustered(6000, seed=3)
    spill = _filled(tmp_path, ids, vectors)
    spill.remove(ids[:500])
    index = spill.to_index()
    built = ann.build_ivf(DIM, ids[500:], vectors[500:])
    assert index.kind == "ivf" and len(index) == 5500
    assert index._index.nlist == built.nlist == ann.nlist_for(5500)
    assert _lists(index._index) == _lists(built)
    cells = np.arange(built.nlist)  # same k-means sample, same cell centres
    assert np.array_equal(index._index.quantizer.reconstruct_batch(cells), built.quantizer.reconstruct_batch(cells))
    for q in vectors[:20]:
        assert index.search(q, 10)[0].tolist() == built.search(q.reshape(1, -1), 10)[1][0].tolist()
    assert np.array_equal(index.scores(vectors[600], ids[600:610]), vectors[600:610] @ vectors[600])


def test_fill_ivf_matches_adding_vector_by_vector() -> None:
    vectors = clustered(4000, seed=5)
    ids = np.arange(100, 4100, dtype=np.int64)[::-1].copy()
    one = ann.trained_ivf(DIM, vectors, len(vectors))
    one.add_with_ids(vectors, ids)
    two = ann.trained_ivf(DIM, vectors, len(vectors))
    ann.fill_ivf(two, lambda: ((ids[s:s + 300], vectors[s:s + 300]) for s in range(0, len(ids), 300)))
    assert two.ntotal == one.ntotal == 4000 and _lists(two) == _lists(one)
    assert np.array_equal(two.reconstruct(int(ids[17])), vectors[17])  # the id map is rebuilt


def test_add_checks_its_arguments(tmp_path: Path) -> None:
    spill = VectorSpill(tmp_path, DIM)
    with pytest.raises(ValueError, match="3 ids for 2 vectors"):
        spill.add(np.arange(3), clustered(2))
    assert len(spill.to_index()) == 0 and not spill.path.exists()
