"""Latency of `tracuu ask` on the seed corpus: in-process (warm) and as a fresh CLI process.

    python benchmarks/ask_latency.py [--index /tmp/tracuu-bench-index] [--runs 5]

Builds the index of corpus/ first if the folder holds none. Prints p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Kết luận 54 ban hành ngày nào?",
    "Ban Tổ chức Trung ương được giao những nhiệm vụ gì?",
    "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?",
    "tu phe binh va phe binh con ne nang ngai va cham",
    "Việc tinh giản biên chế, cải cách hành chính được đánh giá ra sao?",
    "Ban Dân vận Trung ương có trách nhiệm gì theo Kết luận 54?",
    "Quy định về nồng độ cồn khi lái xe ô tô là gì?",
    "Ai ký sao y Kết luận 54 tại Tỉnh uỷ Bắc Kạn?",
]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", default="/tmp/tracuu-bench-index")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from assistant.answer import Assistant
    from indexer.build import build_index
    from indexer.settings import Settings

    settings = Settings.from_env(index=Path(args.index))
    build_index([ROOT / "corpus"], settings)
    assistant = Assistant(settings)
    t = time.perf_counter()
    assistant.ask(QUESTIONS[0])
    first = time.perf_counter() - t
    warm = []
    for _ in range(args.runs):
        for q in QUESTIONS:
            t = time.perf_counter()
            assistant.ask(q)
            warm.append(time.perf_counter() - t)
    env = {**os.environ, "TRACUU_INDEX": str(settings.index)}
    cli = []
    for q in QUESTIONS[: max(3, args.runs)]:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "assistant.cli", "ask", q], env=env, cwd=ROOT, check=True,
                       capture_output=True)
        cli.append(time.perf_counter() - t)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "--help"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    help_s = time.perf_counter() - t
    print(f"first ask in process (loads model, index): {first * 1000:.0f} ms")
    print(f"warm ask, {len(warm)} questions: p50 {pct(warm, .5) * 1000:.0f} ms, p95 {pct(warm, .95) * 1000:.0f} ms, "
          f"mean {statistics.mean(warm) * 1000:.0f} ms")
    print(f"`tracuu ask` as a new process, {len(cli)} runs: p50 {pct(cli, .5) * 1000:.0f} ms, "
          f"max {max(cli) * 1000:.0f} ms")
    print(f"`tracuu --help`: {help_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
