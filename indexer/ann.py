"""Approximate search for large indexes: when an exact flat scan stops serving, an inverted-file index.

Below ``ANN_MIN`` vectors the index stays flat (exact; a scan of 50,000 x 384 floats takes a few
milliseconds). From ``ANN_MIN`` up it becomes ``IndexIVFFlat`` over inner product: spherical k-means
cells (``nlist`` ~ 4 sqrt(n)), ``nprobe`` cells scanned per query. IVF, unlike HNSW, removes and adds
ids in place, so incremental re-indexing keeps working; a direct map (hash table) keeps ``reconstruct``
for exact rescoring. Searches restricted to allowed ids probe every cell, so filtered search stays exact.
The kind and its parameters are recorded in the generation's ``info.json`` (``vectors``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

ANN_MIN = 50_000  # vectors from which search goes approximate (IVF)
FLAT_BELOW = 40_000  # an IVF index shrunk below this goes back to flat (hysteresis)
# nprobe = nlist / 4 (25% scanned); on real chunks recall@10 was 0.94 at nlist/6, 0.99 at nlist/3
# (benchmarks/ann_recall.py)
PROBE_SHARE = 4
SLICE = 16_384  # vectors assigned and copied at once when an IVF index is filled
TRAIN_PER_CELL = 64  # k-means training sample: this many vectors per cell (at most all of them)


def nlist_for(n: int) -> int:
    return max(16, int(4 * math.sqrt(max(1, n))))


def nprobe_for(nlist: int) -> int:
    return max(8, nlist // PROBE_SHARE)


def is_ivf(index: Any) -> bool:
    return hasattr(index, "nlist") and hasattr(index, "invlists")


def wanted_kind(index: Any, n: int, ann_min: int = ANN_MIN) -> str:
    """``"flat"`` or ``"ivf"`` for ``n`` vectors, given what ``index`` is now (hysteresis on the way down)."""
    if is_ivf(index):
        return "ivf" if n >= min(FLAT_BELOW, ann_min) else "flat"
    return "ivf" if n >= ann_min else "flat"


def needs_retrain(index: Any, n: int) -> bool:
    """An IVF index whose cell count is off by more than 2x for its size is rebuilt."""
    return is_ivf(index) and not 0.5 <= index.nlist / nlist_for(n) <= 2.0


def all_vectors(index: Any) -> tuple[np.ndarray, np.ndarray]:
    """Every (id, vector) of a flat ``IndexIDMap2`` or an ``IndexIVFFlat``."""
    import faiss

    if not is_ivf(index):
        ids = faiss.vector_to_array(index.id_map).astype(np.int64)
        n = int(index.ntotal)
        vecs = index.index.reconstruct_n(0, n) if n else np.zeros((0, index.d), dtype=np.float32)
        return ids, np.asarray(vecs, dtype=np.float32)
    lists = index.invlists
    id_parts, vec_parts = [], []
    for cell in range(index.nlist):
        size = lists.list_size(cell)
        if not size:
            continue
        id_parts.append(faiss.rev_swig_ptr(lists.get_ids(cell), size).copy())
        codes = faiss.rev_swig_ptr(lists.get_codes(cell), size * lists.code_size).copy()
        vec_parts.append(codes.view(np.float32).reshape(size, index.d))
    if not id_parts:
        return np.zeros(0, dtype=np.int64), np.zeros((0, index.d), dtype=np.float32)
    return np.concatenate(id_parts).astype(np.int64), np.vstack(vec_parts)


def build_ivf(dim: int, ids: np.ndarray, vectors: np.ndarray) -> Any:
    """An ``IndexIVFFlat`` (inner product, spherical k-means) holding ``vectors`` under ``ids``."""
    n = len(vectors)
    index = trained_ivf(dim, vectors[train_positions(n, nlist_for(n))], n)
    fill_ivf(index, lambda: ((ids[s:s + SLICE], vectors[s:s + SLICE]) for s in range(0, n, SLICE)))
    return index


def fill_ivf(index: Any, read: Callable[[], Iterable[tuple[np.ndarray, np.ndarray]]]) -> None:
    """Add every ``(ids, vectors)`` slice of ``read()`` to an empty trained IVF index, each cell's list
    allocated once at its final size: ``read()`` is called twice (cells, then contents). Same lists, in
    the same order, as ``add_with_ids``, whose list-by-list doubling holds ~1.7x the vectors' memory."""
    import faiss

    index.set_direct_map_type(faiss.DirectMap.NoMap)
    cells = [index.quantizer.search(np.ascontiguousarray(x, dtype=np.float32), 1)[1][:, 0] for _, x in read()]
    lists = faiss.downcast_InvertedLists(index.invlists)
    counts = np.bincount(np.concatenate(cells), minlength=index.nlist) if cells else np.zeros(index.nlist, int)
    for cell in np.flatnonzero(counts):
        lists.resize(int(cell), int(counts[cell]))
    filled = np.zeros(index.nlist, dtype=np.int64)
    for (ids, vectors), cell in zip(read(), cells, strict=True):
        order = np.argsort(cell, kind="stable")  # slice order kept within a cell
        ids, cell = np.ascontiguousarray(ids[order], dtype=np.int64), cell[order]
        codes = np.ascontiguousarray(vectors[order], dtype=np.float32).view(np.uint8)
        starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        for a, b in zip(starts, np.r_[starts[1:], len(cell)], strict=True):
            c = int(cell[a])
            lists.update_entries(c, int(filled[c]), int(b - a), faiss.swig_ptr(ids[a:b]), faiss.swig_ptr(codes[a:b]))
            filled[c] += b - a
    index.ntotal = int(counts.sum())
    index.set_direct_map_type(faiss.DirectMap.Hashtable)


def train_positions(n: int, nlist: int) -> np.ndarray:
    """Which of ``n`` vectors train the k-means of ``nlist`` cells (seeded, in order)."""
    if n <= TRAIN_PER_CELL * nlist:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, TRAIN_PER_CELL * nlist, replace=False))


def trained_ivf(dim: int, sample: np.ndarray, n: int | None = None) -> Any:
    """An empty ``IndexIVFFlat`` trained on ``sample``, with cells for ``n`` vectors (default: the sample's)."""
    import faiss

    nlist = nlist_for(len(sample) if n is None else n)
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.spherical = True
    index.cp.niter = 10
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.set_direct_map_type(faiss.DirectMap.Hashtable)
    index.nprobe = nprobe_for(nlist)
    return index


def build_flat(dim: int, ids: np.ndarray, vectors: np.ndarray) -> Any:
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
    return index


def describe(index: Any) -> dict[str, object]:
    """What the manifest records about a vector index."""
    if is_ivf(index):
        return {"kind": "ivf", "vectors": int(index.ntotal), "nlist": int(index.nlist), "nprobe": int(index.nprobe),
                "metric": "inner_product"}
    return {"kind": "flat", "vectors": int(index.ntotal), "metric": "inner_product"}


def recall_at(exact: np.ndarray, approx: np.ndarray) -> float:
    """Share of the exact top-k ids found in the approximate top-k, averaged over queries (rows)."""
    hits = [len(set(e[e >= 0]) & set(a[a >= 0])) / max(1, int((e >= 0).sum())) for e, a in zip(exact, approx,
                                                                                            strict=True)]
    return float(np.mean(hits)) if hits else 1.0
