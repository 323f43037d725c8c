"""A fresh build's vectors kept on disk until the build ends, then made into one FAISS index.

A first build (or ``--rebuild``) has no live index to update: holding every vector in a flat
FAISS index while embedding, then copying them into an inverted-file index, would hold the corpus
twice at the end. ``VectorSpill`` appends each batch's vectors to a file in the new generation;
``to_index`` reads them back in slices into the index of the right kind for their number
(``indexer.ann``): flat below ``ann.ANN_MIN``, else IVF trained on the same sample ``ann.build_ivf``
draws. Memory at the end: the finished index, one slice and the training sample.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from indexer import ann
from indexer.vector import VectorIndex

SLICE = 4_096  # vectors read back (and assigned to cells) at once


class VectorSpill:
    """Append-only ``(id, vector)`` store in a file; ``remove`` marks ids to leave out."""

    def __init__(self, folder: Path, dim: int) -> None:
        self.dim = int(dim)
        self.path = Path(folder) / ".vectors.spill"
        self._handle = open(self.path, "wb")  # noqa: SIM115 -- open for the whole build, closed by to_index
        self._ids = array("q")
        self._removed: set[int] = set()

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        ids = np.asarray(ids, dtype=np.int64).reshape(-1).tolist()
        self._removed.difference_update(ids)
        vectors.tofile(self._handle)
        self._ids.extend(ids)

    def remove(self, ids: np.ndarray) -> None:
        self._removed.update(np.asarray(ids, dtype=np.int64).reshape(-1).tolist())

    def to_index(self) -> VectorIndex:
        """The vectors as a flat or IVF ``VectorIndex`` (the file is deleted)."""
        self._handle.close()
        ids = np.frombuffer(self._ids, dtype=np.int64)
        keep = np.zeros(len(ids), dtype=bool)
        keep[len(ids) - 1 - np.unique(ids[::-1], return_index=True)[1]] = True  # an id added again: the last one
        keep &= ~np.isin(ids, np.fromiter(self._removed, dtype=np.int64, count=len(self._removed)))
        n = int(keep.sum())
        try:
            if n < ann.ANN_MIN:
                index = ann.build_flat(self.dim, ids[:0], np.zeros((0, self.dim), dtype=np.float32))
                for part_ids, part in self._slices(ids, keep):
                    index.add_with_ids(part, part_ids)
            else:
                sample = self._rows(np.flatnonzero(keep)[ann.train_positions(n, ann.nlist_for(n))])
                index = ann.trained_ivf(self.dim, sample, n)
                del sample
                ann.fill_ivf(index, lambda: self._slices(ids, keep))
        finally:
            self.path.unlink(missing_ok=True)
        return VectorIndex(self.dim, index)

    def _slices(self, ids: np.ndarray, keep: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The kept ``(ids, vectors)``, file slice by file slice."""
        for start in range(0, len(ids), SLICE):
            rows = np.arange(start, min(start + SLICE, len(ids)))[keep[start:start + SLICE]]
            if len(rows):
                yield ids[rows], self._rows(rows)

    def _rows(self, rows: np.ndarray) -> np.ndarray:
        """The vectors at file positions ``rows`` (ascending), read slice by slice."""
        out = np.empty((len(rows), self.dim), dtype=np.float32)
        if not len(rows):
            return out
        done, last = 0, int(rows[-1]) + 1
        with open(self.path, "rb") as handle:
            for start in range(int(rows[0]) // SLICE * SLICE, last, SLICE):
                count = min(SLICE, last - start)
                handle.seek(start * self.dim * 4)
                block = np.fromfile(handle, dtype=np.float32, count=count * self.dim).reshape(-1, self.dim)
                inside = rows[(rows >= start) & (rows < start + count)]
                out[done:done + len(inside)] = block[inside - start]
                done += len(inside)
        return out
