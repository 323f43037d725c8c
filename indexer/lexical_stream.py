"""The lexical index written without holding the corpus: BM25 in two passes over a spill file.

``write_lexical`` reads ``(id, text)`` pairs once. Pass 1: each text's distinct term ids and their
counts go to a spill file on disk (12 bytes per distinct term of a chunk); its length and id go to
small arrays, its new terms to the vocabulary. Pass 2 turns the spill into the CSC score matrix that
``bm25s.BM25.index`` builds for the same term ids (lucene idf and tf parts, float32 scores, documents
in order within a term), one range of terms at a time, each range appended to its ``.npy`` file.
Memory: the vocabulary, 12 bytes per chunk and one range of the matrix (``RANGE_ENTRIES``), not the
corpus. The folder is the one ``LexicalIndex.save`` writes and ``LexicalIndex.load`` reads.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from indexer.lexical import DEFAULT_SCHEME, TermScheme, swap_in, terms, write_meta

RANGE_ENTRIES = 1 << 22  # matrix entries (8 bytes each) held at once in pass 2
BLOCK_ENTRIES = 1 << 18  # spill entries (12 bytes each) read or written at once
_ENTRY = np.dtype([("term", "<i4"), ("tf", "<f4"), ("doc", "<i4")])


def write_lexical(items: Iterable[tuple[int, str]], directory: Path, *, k1: float = 1.5, b: float = 0.75,
                  scheme: TermScheme = DEFAULT_SCHEME) -> int:
    """Write the BM25 index of ``items`` into ``directory`` (replaced only once fully written);
    returns the number of texts. Same files and scores as ``LexicalIndex(ids, texts).save(directory)``."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{directory.name}.spill.", dir=directory.parent) as spill_dir:
        spill = Path(spill_dir) / "entries.bin"
        with open(spill, "wb") as handle:
            ids, lengths, vocab = _spill(items, scheme, handle)

        def write(folder: Path) -> None:
            if ids:
                _write_bm25(folder / "bm25s", spill, lengths, vocab, k1, b)
            write_meta(folder, np.asarray(ids, dtype=np.int64), k1, b, scheme)

        swap_in(directory, write)
    return len(ids)


def _spill(items: Iterable[tuple[int, str]], scheme: TermScheme, handle: BinaryIO,
           ) -> tuple[array, np.ndarray, dict[str, int]]:
    """Pass 1: (ids, term counts per text, vocabulary); (term, tf, text) entries written to ``handle``."""
    vocab: dict[str, int] = {}
    ids, lengths = array("q"), array("q")
    pending: list[np.ndarray] = []
    held = 0
    for doc, (row_id, text) in enumerate(items):
        seq = np.fromiter((vocab.setdefault(t, len(vocab)) for t in terms(text, scheme=scheme)), dtype=np.int32)
        unique, counts = np.unique(seq, return_counts=True)
        entries = np.empty(len(unique), dtype=_ENTRY)
        entries["term"], entries["tf"], entries["doc"] = unique, counts, doc
        pending.append(entries)
        held += len(entries)
        ids.append(int(row_id))
        lengths.append(len(seq))
        if held >= BLOCK_ENTRIES:
            np.concatenate(pending).tofile(handle)
            pending, held = [], 0
    if pending:
        np.concatenate(pending).tofile(handle)
    return ids, np.asarray(lengths, dtype=np.int64), vocab


def _blocks(spill: Path) -> Iterator[np.ndarray]:
    with open(spill, "rb") as handle:
        while len(block := np.fromfile(handle, dtype=_ENTRY, count=BLOCK_ENTRIES)):
            yield block


def _write_bm25(folder: Path, spill: Path, lengths: np.ndarray, vocab: dict[str, int], k1: float, b: float) -> None:
    """Pass 2: bm25s's saved index (data, indices, indptr, vocab, params) from the spill."""
    import bm25s

    folder.mkdir()
    n_docs, n_vocab = len(lengths), len(vocab)
    df = np.zeros(n_vocab, dtype=np.int64)
    for block in _blocks(spill):
        df += np.bincount(block["term"], minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=np.float32)
    seen = df > 0
    idf[seen] = np.log(1 + (n_docs - df[seen] + 0.5) / (df[seen] + 0.5))
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    norm = k1 * ((1 - b) + b * lengths / lengths.mean())  # per text, as bm25s's tf part has it
    with open(folder / "data.csc.index.npy", "wb") as data, open(folder / "indices.csc.index.npy", "wb") as rows:
        _npy_header(data, np.float32, int(indptr[-1]))
        _npy_header(rows, np.int32, int(indptr[-1]))
        for start, end in _term_ranges(indptr):
            scores, docs = _matrix_range(spill, indptr, start, end, idf, norm)
            data.write(scores.tobytes())
            rows.write(docs.tobytes())
    np.save(folder / "indptr.csc.index.npy", indptr, allow_pickle=False)
    vocab[""] = n_vocab  # bm25s's empty token, as its index() adds it
    (folder / "vocab.index.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    params = {"k1": k1, "b": b, "delta": 0.5, "method": "lucene", "idf_method": "lucene", "dtype": "float32",
              "int_dtype": "int32", "num_docs": n_docs, "version": bm25s.__version__, "backend": "numpy"}
    (folder / "params.index.json").write_text(json.dumps(params, indent=4), encoding="utf-8")


def _term_ranges(indptr: np.ndarray) -> Iterator[tuple[int, int]]:
    """Consecutive term ranges holding at most ``RANGE_ENTRIES`` entries each (one term may hold more)."""
    start, n_terms = 0, len(indptr) - 1
    while start < n_terms:
        end = int(np.searchsorted(indptr, indptr[start] + RANGE_ENTRIES, side="right")) - 1
        end = min(max(end, start + 1), n_terms)
        yield start, end
        start = end


def _matrix_range(spill: Path, indptr: np.ndarray, start: int, end: int, idf: np.ndarray, norm: np.ndarray,
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Scores and text positions of the terms ``start..end-1``, term by term, texts in order."""
    base = int(indptr[start])
    size = int(indptr[end]) - base
    scores = np.empty(size, dtype=np.float32)
    docs = np.empty(size, dtype=np.int32)
    cursor = indptr[start:end] - base  # next free slot of each term
    for block in _blocks(spill):
        block = block[(block["term"] >= start) & (block["term"] < end)]
        if not len(block):
            continue
        block = block[np.argsort(block["term"], kind="stable")]  # text order kept within a term
        term = block["term"] - start
        rank = np.arange(len(block)) - np.searchsorted(term, term, side="left")
        slot = cursor[term] + rank
        tf = block["tf"].astype(np.float64)
        scores[slot] = idf[block["term"]] * (tf / (norm[block["doc"]] + tf))
        docs[slot] = block["doc"]
        cursor += np.bincount(term, minlength=end - start)
    return scores, docs


def _npy_header(handle: BinaryIO, dtype: type, length: int) -> None:
    header = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False, "shape": (length,)}
    np.lib.format.write_array_header_1_0(handle, header)
