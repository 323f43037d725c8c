"""Peak memory of a fresh build against corpus size (issue 13: memory bounded by a batch).

Each size runs in its own child process, which streams ``size`` Pháp điển articles (seeded
random choice, the smaller set inside the larger one) into ``index_documents`` with the
deterministic ``hashing`` embedder (no model weights, so the numbers show the build itself).
Per size it prints the chunks indexed, the build's seconds, the child's RSS before the build
and its peak RSS (``ru_maxrss``). The FAISS vectors (chunks x 384 x 4 bytes) are the only
part meant to grow with the corpus.

    python benchmarks/build_memory.py --sizes 1800,20000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stream_articles(shared: Path, size: int, seed: int = 0) -> Iterator:
    """``size`` articles as Documents, chosen as ``benchmarks/scale.py`` chooses them, yielded one at a time."""
    from scale import chosen

    from assistant.evaluation.datasets import iter_phapdien, phapdien_document

    keep = chosen(shared, size, seed)
    return (phapdien_document(a) for n, a in enumerate(iter_phapdien(shared)) if n in keep)


def measure(size: int, out: Path, shared: Path) -> dict:
    """Index ``size`` articles into a fresh folder; chunks, seconds and RSS of this process."""
    sys.path.insert(0, str(ROOT))
    from indexer.build import index_documents
    from indexer.settings import Settings

    settings = Settings.from_env({}, model="hashing", threads=1, index=out / f"memory-{size}")
    shutil.rmtree(settings.index, ignore_errors=True)
    docs = stream_articles(shared, size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    summary = index_documents(docs, settings)
    took = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    shutil.rmtree(settings.index, ignore_errors=True)
    return {"articles": size, "chunks": summary.chunks, "seconds": took, "rss_before_mb": rss_before / 1024,
            "peak_rss_mb": peak / 1024, "vectors_mb": summary.chunks * 384 * 4 / 2**20}


def _child(size: int, args: argparse.Namespace) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_WAIT_POLICY="PASSIVE", OMP_NUM_THREADS="1")
    command = [sys.executable, __file__, "--one", str(size), "--out", str(args.out), "--shared", str(args.shared)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"the {size:,}-article run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


HEADER = "| articles | chunks | build s | RSS before MB | peak RSS MB | FAISS vectors MB |\n|---|---|---|---|---|---|"


def row(r: dict) -> str:
    cells = [f"{r['articles']:,}", f"{r['chunks']:,}", f"{r['seconds']:.0f}", f"{r['rss_before_mb']:.0f}",
             f"{r['peak_rss_mb']:.0f}", f"{r['vectors_mb']:.0f}"]
    return "| " + " | ".join(cells) + " |"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1800,20000", help="numbers of articles, comma-separated")
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracuu-build-memory"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.out, args.shared)))
        return
    results = []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        results.append(_child(size, args))
        print(json.dumps(results[-1]), flush=True)
    print(HEADER)
    for r in results:
        print(row(r))


if __name__ == "__main__":
    main()
