"""Fusing the dense and the lexical ranking: pure functions over scores (measured alone by ``tracuu eval`` and
``benchmarks/fusion.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Fusion", "fuse", "fuse_exact", "zscores"]


@dataclass(frozen=True)
class Fusion:
    """How the two legs are combined; ``weight`` is the lexical share.

    ``method``: "z" (default) scores every candidate of either leg exactly in both legs
    (cosine from the stored vector, BM25 from the lexical index), z-normalises each leg over
    the candidates and mixes them; "cc" mixes min-max normalised leg scores, missing = 0;
    "rrf" is reciprocal rank fusion. Measured by benchmarks/fusion.py on ALQAC 2023/2022:
    z with weight 0.3 and depth 100 beats both legs on MRR@10 and Recall@10 (see README).
    """

    method: str = "z"
    weight: float = 0.3
    rrf_k: int = 60
    depth: int = 100
    ref_bonus: float = 2.0  # added to chunks of a document the question names (z units)
    specific_weight: float = 0.6  # within named documents: BM25 of the question minus its naming words (z units)
    specific_dense: float = 0.6  # within named documents: cosine of the question minus its naming words (z units)
    signer_bonus: float = 0.1  # "Ai ký ...?" about a named document: its signature passages, above the top hit
    weight_unaccented: float = 0.7  # a question typed without diacritics leans on the folded lexical terms
    typed_bonus: float = 0.4  # "bao nhiêu năm?", "ngày nào?": top candidates holding a value of that kind (z units)
    typed_depth: int = 30  # how many of the best candidates are checked for one
    replaced_penalty: float = 0.3  # taken from passages of a document another loaded one replaces (z units)


def fuse(
    dense: tuple[Sequence[int], Sequence[float]],
    lexical: tuple[Sequence[int], Sequence[float]],
    fusion: Fusion,
) -> dict[int, float]:
    """Fused scores of every candidate id found by either leg."""
    d_ids, d_scores = dense
    l_ids, l_scores = lexical
    if fusion.method == "rrf":
        out: dict[int, float] = {}
        for weight, ids in ((1 - fusion.weight, d_ids), (fusion.weight, l_ids)):
            for rank, i in enumerate(ids):
                out[int(i)] = out.get(int(i), 0.0) + weight / (fusion.rrf_k + rank + 1)
        return out
    d_norm = _normalise(d_ids, d_scores)
    l_norm = _normalise(l_ids, l_scores)
    return {
        i: (1 - fusion.weight) * d_norm.get(i, 0.0) + fusion.weight * l_norm.get(i, 0.0)
        for i in set(d_norm) | set(l_norm)
    }


def fuse_exact(ids: Sequence[int], dense: np.ndarray, lexical: np.ndarray, fusion: Fusion) -> dict[int, float]:
    """Fused scores from exact scores of both legs for the same candidates (z-score mix)."""
    if not len(ids):
        return {}
    mixed = (1 - fusion.weight) * zscores(dense) + fusion.weight * zscores(lexical)
    return {int(i): float(s) for i, s in zip(ids, mixed, strict=True)}


def zscores(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=np.float64)
    std = values.std()
    return (values - values.mean()) / (std if std > 0 else 1.0)


def _normalise(ids: Sequence[int], scores: Sequence[float]) -> dict[int, float]:
    """Min-max over the leg's candidate list (the lowest candidate maps to 0)."""
    if not len(ids):
        return {}
    arr = np.asarray(scores, dtype=np.float64)
    lo, hi = float(arr.min()), float(arr.max())
    span = hi - lo if hi > lo else 1.0
    return {int(i): (float(s) - lo) / span for i, s in zip(ids, arr, strict=True)}
