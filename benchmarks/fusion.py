"""Fusion of the dense and BM25 legs on ALQAC 2023 and ALQAC 2022, in one run.

Uses the evaluation indexes of ``tracuu eval`` (``.eval-index/``; built on the
first run, several minutes each on 2 cores). For every question it computes the
exact dense score (cosine) and the exact BM25 score of *every* chunk once, then
replays each fusion offline:

* ``dense`` / ``bm25``: one leg alone (its top ``depth`` chunks);
* ``rrf w=..``: the product's ``fuse`` with reciprocal-rank fusion (k=60);
* ``cc w=..``: the product's ``fuse``: min-max over each leg's own top 100, a
  candidate missing from a leg scores 0 there (the product today);
* ``exact-<norm> w=.. D=..``: candidates = top D of each leg; both scores are
  exact for every candidate (what FAISS ``reconstruct`` and BM25 give for the
  other leg's candidates); normalised over the candidate set by ``minmax``,
  ``max`` (divide by the maximum) or ``z`` (z-score); fused as
  ``(1 - w) * dense + w * lexical``;
* ``doc-max-<norm> w=.. D=..``: as ``exact``, but each leg scores an article by
  its best candidate chunk (max-pooling) and the articles are fused.

``w`` is always the lexical share. Chunks are ranked by fused score, collapsed to
articles (first occurrence), and scored like ``tracuu eval``. The reference
bonus of ``Retriever`` (questions naming a document number) is not replayed.

    python benchmarks/fusion.py                       # both data sets
    python benchmarks/fusion.py --sets alqac2023 --threads 2
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.evaluation.datasets import default_shared, load_dataset
from assistant.evaluation.metrics import eval_index, gains_of, mean_metrics, question_metrics
from assistant.qa.query import analyze
from assistant.qa.retrieve import Fusion, fuse
from indexer import store
from indexer.embedders import embedder_name
from indexer.settings import Settings

Fused = tuple[np.ndarray, np.ndarray]  # (chunk positions, fused scores)
Method = Callable[[np.ndarray, np.ndarray], Fused]
COLUMNS = ("MRR@10", "R@1", "R@5", "R@10", "R@20", "nDCG@10")


@dataclass
class Prepared:
    """Exact scores of every chunk for every question; positions follow sorted catalogue ids."""

    name: str
    ids: np.ndarray  # position -> catalogue row id
    doc_of: np.ndarray  # position -> document number
    dense: list[np.ndarray]
    lexical: list[np.ndarray]
    gold: list[frozenset[int]]
    seconds: float = 0.0


def prepare(name: str, settings: Settings, shared: Path, embedder: object) -> Prepared:
    dataset = load_dataset(name, shared)
    folder, built, reused = eval_index(dataset, settings, progress=True)
    print(f"{name}: index {'reused' if reused else 'built'} ({built:.0f} s) at {folder}", flush=True)
    snap = store.open_snapshot(folder, embedder_name(settings.model))
    rows = dict(snap.catalog.iter_chunks())
    ids = np.array(sorted(rows), dtype=np.int64)
    docs = snap.catalog.documents()
    doc_number = {d.doc_id: n for n, d in enumerate(docs)}
    path_number = {d.path: n for n, d in enumerate(docs)}
    doc_of = np.array([doc_number[rows[i].doc_id] for i in ids], dtype=np.int64)
    matrix = _vectors(snap, ids)
    started = time.perf_counter()
    dense, lexical, gold = [], [], []
    for question in dataset.questions:
        query = analyze(question.text)
        dense.append(matrix @ embedder.embed_query(query.expanded))  # type: ignore[attr-defined]
        l_ids, l_scores = snap.lexical.search(query.expanded, len(ids))
        full = np.zeros(len(ids), dtype=np.float32)
        full[np.searchsorted(ids, np.asarray(l_ids, dtype=np.int64))] = l_scores
        lexical.append(full)
        gold.append(frozenset(path_number[p] for p in question.gold_docs))
    return Prepared(name, ids, doc_of, dense, lexical, gold, time.perf_counter() - started)


def _vectors(snap: store.Snapshot, ids: np.ndarray) -> np.ndarray:
    """All stored vectors, rows in the order of ``ids`` (FAISS ``reconstruct_n`` + the id map)."""
    index = snap.vectors._index
    stored = index.index.reconstruct_n(0, index.ntotal)
    stored_ids = snap.vectors.ids()
    order = np.argsort(stored_ids)
    if not np.array_equal(stored_ids[order], ids):
        raise SystemExit("vector ids differ from catalogue ids: rebuild the evaluation index")
    return np.ascontiguousarray(stored[order], dtype=np.float32)


# ---------------------------------------------------------------- fusion methods (pure)


def top(scores: np.ndarray, depth: int, positive: bool = False) -> np.ndarray:
    """Positions of the ``depth`` best scores (only scores > 0 when ``positive``), best first."""
    pool = np.flatnonzero(scores > 0) if positive else np.arange(len(scores))
    if len(pool) > depth:
        pool = pool[np.argpartition(-scores[pool], depth - 1)[:depth]]
    return pool[np.lexsort((pool, -scores[pool]))]


def normalise(values: np.ndarray, how: str) -> np.ndarray:
    """``minmax`` to [0, 1]; ``max``: divide by the maximum; ``z``: z-score."""
    values = values.astype(np.float64)
    if how == "minmax":
        span = values.max() - values.min()
        return (values - values.min()) / (span if span > 0 else 1.0)
    if how == "max":
        peak = values.max()
        return values / (peak if peak > 0 else 1.0)
    std = values.std()
    return (values - values.mean()) / (std if std > 0 else 1.0)


def leg_alone(which: str, depth: int = 100) -> Method:
    def run(d: np.ndarray, lx: np.ndarray) -> Fused:
        scores = d if which == "dense" else lx
        pos = top(scores, depth, positive=which != "dense")
        return pos, scores[pos].astype(np.float64)

    return run


def product(fusion: Fusion, ids: np.ndarray) -> Method:
    """The product's ``fuse`` over each leg's top ``fusion.depth``."""
    def run(d: np.ndarray, lx: np.ndarray) -> Fused:
        dp, lp = top(d, fusion.depth), top(lx, fusion.depth, positive=True)
        scores = fuse((ids[dp].tolist(), d[dp].tolist()), (ids[lp].tolist(), lx[lp].tolist()), fusion)
        keys = np.fromiter(scores, dtype=np.int64, count=len(scores))
        return np.searchsorted(ids, keys), np.fromiter(scores.values(), dtype=np.float64, count=len(scores))

    return run


def exact(weight: float, how: str, depth: int) -> Method:
    """Exact scores of both legs for the union of candidates, normalised over the union."""
    def run(d: np.ndarray, lx: np.ndarray) -> Fused:
        pos = np.union1d(top(d, depth), top(lx, depth, positive=True))
        return pos, (1 - weight) * normalise(d[pos], how) + weight * normalise(lx[pos], how)

    return run


def pooled(weight: float, how: str, depth: int, doc_of: np.ndarray) -> Method:
    """Like ``exact``, but each leg first scores a document by its best candidate chunk (max-pooling)
    and the fusion runs over documents; every chunk then carries its document's fused score."""
    def run(d: np.ndarray, lx: np.ndarray) -> Fused:
        pos = np.union1d(top(d, depth), top(lx, depth, positive=True))
        _, inverse = np.unique(doc_of[pos], return_inverse=True)
        best_d = np.full(inverse.max() + 1, -np.inf)
        best_l = np.zeros(inverse.max() + 1)
        np.maximum.at(best_d, inverse, d[pos])
        np.maximum.at(best_l, inverse, lx[pos])
        fused = (1 - weight) * normalise(best_d, how) + weight * normalise(best_l, how)
        return pos, fused[inverse]

    return run


def ranked_documents(pos: np.ndarray, fused: np.ndarray, doc_of: np.ndarray, n: int = 20) -> list[int]:
    order = pos[np.lexsort((pos, -fused))]  # ties: lower id first, as the product does
    seen: dict[int, None] = {}
    for doc in doc_of[order]:
        seen.setdefault(int(doc), None)
        if len(seen) == n:
            break
    return list(seen)


def score(data: Prepared, method: Method) -> dict[str, float]:
    rows = []
    for d, lx, gold in zip(data.dense, data.lexical, data.gold, strict=True):
        docs = ranked_documents(*method(d, lx), data.doc_of)
        rows.append(question_metrics(gains_of([{x} for x in docs], gold), len(gold), 10))
    return mean_metrics(rows)


def methods(data: Prepared, weights: Sequence[float], depths: Sequence[int]) -> dict[str, Method]:
    ids = data.ids
    out: dict[str, Method] = {"dense": leg_alone("dense"), "bm25": leg_alone("lexical")}
    for w in (0.3, 0.5, 0.7):
        out[f"rrf w={w:.1f}"] = product(Fusion("rrf", w), ids)
    for w in weights:
        out[f"cc w={w:.1f} (product)"] = product(Fusion("cc", w), ids)
    for how in ("minmax", "max", "z"):
        for depth in depths:
            for w in weights:
                out[f"exact-{how} w={w:.1f} D={depth}"] = exact(w, how, depth)
    for how in ("minmax", "z"):
        for depth in depths:
            for w in weights:
                out[f"doc-max-{how} w={w:.1f} D={depth}"] = pooled(w, how, depth, data.doc_of)
    return out


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    sets = list(results)
    head = f"{'method':<28}" + "".join(f" | {s:^47}" for s in sets)
    sub = f"{'':<28}" + "".join(" | " + " ".join(f"{c:>7}" for c in COLUMNS) for _ in sets)
    lines = [head, sub, "-" * len(sub)]
    for name in results[sets[0]]:
        cells = "".join(" | " + " ".join(f"{results[s][name][c]:>7.4f}" for c in COLUMNS) for s in sets)
        lines.append(f"{name:<28}{cells}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="alqac2023,alqac2022")
    parser.add_argument("--shared", type=Path, default=default_shared())
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--weights", default="0.3,0.4,0.5,0.6,0.7,0.8")
    parser.add_argument("--depths", default="100,300")
    args = parser.parse_args(argv)
    settings = Settings.from_env(threads=args.threads)
    from indexer.embedders import load_embedder

    embedder = load_embedder(settings.model, settings.threads)
    weights = [float(w) for w in args.weights.split(",")]
    depths = [int(d) for d in args.depths.split(",")]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name in args.sets.split(","):
        data = prepare(name, settings, args.shared, embedder)
        print(f"{name}: {len(data.gold)} questions, {len(data.ids)} chunks, scored in {data.seconds:.0f} s", flush=True)
        results[name] = {label: score(data, m) for label, m in methods(data, weights, depths).items()}
    print(table(results))


if __name__ == "__main__":
    main()
