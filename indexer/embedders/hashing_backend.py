"""A small deterministic embedder: hashed syllables and syllable pairs, no model weights.

Spec ``hashing`` (or ``hashing:DIM``). Same text, same vector, on every machine: the fast test
tier uses it so that FAISS, fusion and the answer pipeline run for real without loading a model.
Diacritics are folded into extra features, so an unaccented query still meets its passage.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from indexer.vntext import fold

PREFIX = "hashing"
DEFAULT_DIM = 384
_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """``Embedder`` whose vectors are L2-normalised counts of hashed features."""

    def __init__(self, dim: int = DEFAULT_DIM) -> None:
        self.dim = int(dim)
        self.name = f"{PREFIX}:{self.dim}"

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._vector(text)
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for feature in features(text):
            digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
            value = int.from_bytes(digest, "little")
            vec[value % self.dim] += 1.0 if (value >> 63) & 1 else -1.0
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm else vec


def features(text: str) -> list[str]:
    """Folded syllables and adjacent folded pairs of ``text`` (lower case)."""
    words = [fold(w) for w in _WORD.findall(text.lower())]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def parse_spec(spec: str) -> int | None:
    """The dimension named by a ``hashing[:DIM]`` spec, or None for any other spec."""
    head, _, dim = spec.strip().lower().partition(":")
    if head != PREFIX:
        return None
    return int(dim) if dim.isdigit() else DEFAULT_DIM
