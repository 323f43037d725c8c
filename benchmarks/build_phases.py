"""Peak memory of each stage of one ``build_index`` run (issue 13): where the build's peak RSS comes from.

Indexes a folder as ``tracuu index`` does (fresh index, fresh embedding cache) and prints, after every
embedding batch, the chunks so far and the process's RSS and peak RSS; then the peak RSS of each later
stage (vector index, lexical index), the peak being reset between stages (``/proc/self/clear_refs``,
Linux). Folders of Pháp điển articles are what ``benchmarks/scale.py`` writes (``phapdien-N-files``).

    python benchmarks/build_phases.py /tmp/tracuu-scale/phapdien-20000-files --engine torch --threads 2
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time
from pathlib import Path

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("/tmp/tracuu-build-phases"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    sys.path.insert(0, str(ROOT))
    from indexer.build import build_index
    from indexer.settings import Settings

    settings = Settings.from_env(threads=args.threads, engine=args.engine, index=args.out)
    shutil.rmtree(settings.index, ignore_errors=True)
    instrument(time.perf_counter())
    summary = build_index([args.folder], settings)
    log.info("%d chunks indexed, %d embedded", summary.chunks, summary.embedded)


if __name__ == "__main__":
    main()
