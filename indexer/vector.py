"""Inner-product vector index over FAISS, with our own int64 ids.

Vectors are expected L2-normalised, so inner product is cosine similarity.
While it serves, the index is ``IndexIDMap2(IndexFlatIP(dim))``: exact search,
removable ids, and search restricted to a subset of ids (metadata filters)
through ``IDSelectorBatch``. From ``indexer.ann.ANN_MIN`` vectors up,
``fit_to_size`` turns it into an inverted-file index (``indexer.ann``) with the
same operations; ``describe`` gives what the manifest records.
One file on disk, written atomically (temp file, fsync, ``os.replace``).
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from indexer import ann
from indexer.errors import IndexError_

logger = logging.getLogger(__name__)

_REBUILD = "Hãy xây dựng lại chỉ mục (chạy lại lệnh lập chỉ mục)."


class VectorIndex:
    """Cosine-similarity index of ``dim``-sized float32 vectors keyed by int64 ids."""

    def __init__(self, dim: int, index: Any | None = None) -> None:
        import faiss

        self.dim = int(dim)
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def kind(self) -> str:
        return "ivf" if ann.is_ivf(self._index) else "flat"

    def describe(self) -> dict[str, object]:
        """Kind and parameters, for the generation's manifest."""
        return {**ann.describe(self._index), "dim": self.dim}

    def fit_to_size(self, ann_min: int | None = None) -> str:
        """Flat while it serves, IVF from ``ann_min`` vectors (retrained when its cells no longer fit
        the size); returns the kind now in use."""
        n = len(self)
        want = ann.wanted_kind(self._index, n, ann.ANN_MIN if ann_min is None else ann_min)
        if want == self.kind and not (want == "ivf" and ann.needs_retrain(self._index, n)):
            return want
        ids, vectors = ann.all_vectors(self._index)
        self._index = ann.build_flat(self.dim, ids[:0], vectors[:0])  # old one freed: one copy less at the peak
        build = ann.build_ivf if want == "ivf" else ann.build_flat
        self._index = build(self.dim, ids, vectors)
        logger.info("vector index: %s over %d vectors", want, n)
        return want

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add vectors under ``ids``; an id already present is replaced."""
        ids = _as_ids(ids)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if len(np.unique(ids)) != len(ids):
            raise ValueError("duplicate ids in one add() call")
        if not len(ids):
            return
        self.remove(ids)
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: np.ndarray) -> int:
        """Remove ``ids`` (unknown ones are ignored); returns how many were removed."""
        import faiss

        ids = _as_ids(ids)
        if not len(ids) or not len(self):
            return 0
        # IVF's id hash table removes only through an explicit id array
        sel = faiss.IDSelectorArray(ids) if self.kind == "ivf" else faiss.IDSelectorBatch(ids)
        return int(self._index.remove_ids(sel))

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` (ids, scores) by cosine, best first; only ``allowed`` ids if given."""
        import faiss

        empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, self.dim)
        k = min(int(k), len(self))
        params = None
        if allowed is not None:
            allowed = _as_ids(allowed)
            if not len(allowed):
                return empty
            k = min(k, len(allowed))
            sel = faiss.IDSelectorBatch(allowed)
            # IVF: every cell is probed, only allowed ids are scored, so a filtered search stays exact
            params = (faiss.SearchParametersIVF(sel=sel, nprobe=self._index.nlist) if self.kind == "ivf"
                      else faiss.SearchParameters(sel=sel))
        if k <= 0:
            return empty
        scores, ids = self._index.search(query, k, params=params)
        keep = ids[0] >= 0
        return ids[0][keep].astype(np.int64), scores[0][keep].astype(np.float32)

    def scores(self, query: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Exact cosine of ``query`` with the stored vectors of ``ids`` (ids must be present)."""
        ids = _as_ids(ids)
        if not len(ids):
            return np.zeros(0, dtype=np.float32)
        vectors = np.vstack([self._index.reconstruct(int(i)) for i in ids])
        return vectors @ np.asarray(query, dtype=np.float32).reshape(self.dim)

    def ids(self) -> np.ndarray:
        """All stored ids (insertion order not guaranteed after removals)."""
        import faiss

        if self.kind == "ivf":
            return ann.all_vectors(self._index)[0]
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def save(self, path: Path) -> None:
        """Write the index to ``path`` atomically: the old file stays if this fails."""
        import faiss

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            faiss.write_index(self._index, str(tmp))
            _fsync_file(tmp)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
        logger.debug("saved %d vectors to %s", len(self), path)

    @classmethod
    def load(cls, path: Path, dim: int) -> VectorIndex:
        """Read an index written by ``save``; checks it holds ``dim``-sized vectors."""
        import faiss

        path = Path(path)
        if not path.is_file():
            raise IndexError_(f"Không tìm thấy tệp chỉ mục vectơ '{path}'. {_REBUILD}")
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexError_(f"Tệp chỉ mục vectơ '{path}' bị hỏng hoặc không đọc được. {_REBUILD}") from exc
        if not (hasattr(index, "id_map") or ann.is_ivf(index)):
            raise IndexError_(f"Tệp '{path}' không phải chỉ mục vectơ của tracuu. {_REBUILD}")
        if int(index.d) != int(dim):
            raise IndexError_(
                f"Tệp chỉ mục vectơ '{path}' có số chiều {index.d}, khác với mô hình "
                f"nhúng hiện tại ({dim} chiều): chỉ mục được tạo bằng mô hình khác. {_REBUILD}"
            )
        return cls(dim, index)


def _as_ids(ids: np.ndarray | Any) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(ids, dtype=np.int64).reshape(-1))


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
