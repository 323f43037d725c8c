"""Load test: N simultaneous questions to the running web app through gradio_client.

    python benchmarks/load.py --url http://127.0.0.1:7860/     # an app that is already running
    python benchmarks/load.py                                   # starts ui.py itself on a temporary index

Every question goes through the app's queue (the ``/ask`` API shares the
chat's workers). Prints p50/p95/max latency, wall time and the error count;
exits with status 1 when any question fails.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = (
    "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?",
    "Kết luận 54 ban hành ngày nào?",
    "Ban Tổ chức Trung ương được giao những nhiệm vụ gì?",
    "ket luan 54 ban hanh ngay nao",
    "Đảng đoàn MTTQ Việt Nam được giao nghiên cứu xây dựng cơ chế gì?",
    "Quy định về nồng độ cồn khi lái xe ô tô là gì?",
    "Các tỉnh ủy, thành ủy báo cáo kết quả thực hiện Kết luận 54 qua cơ quan nào?",
    "Kết luận 54 tiếp tục thực hiện quyết định nào của Ban Bí thư?",
    "phuong cham dan biet dan ban dan lam dan kiem tra",
    "Ủy ban Kiểm tra Trung ương có nhiệm vụ gì?",
)


@dataclass
class Result:
    question: str
    seconds: float
    error: str | None
    refused: bool | None = None


def ask_all(url: str, n: int, timeout: float) -> tuple[list[Result], float]:
    """``n`` questions at once (one client per thread, all released together); also the wall time."""
    from gradio_client import Client

    clients = [Client(url, verbose=False) for _ in range(n)]
    released: list[float] = []
    gate = threading.Barrier(n, action=lambda: released.append(time.perf_counter()))
    results: list[Result | None] = [None] * n

    def run(i: int) -> None:
        question = QUESTIONS[i % len(QUESTIONS)]
        gate.wait()
        started = time.perf_counter()
        try:
            job = clients[i].submit(question, api_name="/ask")
            out = job.result(timeout=timeout)
            error = out.get("error") if isinstance(out, dict) else f"unexpected reply {out!r}"
            refused = out.get("refused") if isinstance(out, dict) else None
            results[i] = Result(question, time.perf_counter() - started, error, refused)
        except Exception as exc:  # every failure is counted and reported
            results[i] = Result(question, time.perf_counter() - started, f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None], time.perf_counter() - released[0]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def report(results: list[Result], wall: float) -> dict[str, object]:
    times = [r.seconds for r in results]
    errors = [r for r in results if r.error]
    return {
        "questions": len(results), "errors": len(errors), "wall_s": round(wall, 2),
        "p50_s": round(statistics.median(times), 3) if times else None,
        "p95_s": round(percentile(times, 95), 3) if times else None,
        "max_s": round(max(times), 3) if times else None,
        "refused": sum(1 for r in results if r.refused), "error_samples": [r.error for r in errors[:3]],
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def own_app(threads: int):
    """``ui.py`` on a free port, building a temporary index from a copy of corpus/."""
    tmp = Path(tempfile.mkdtemp(prefix="tracuu-load-"))
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    port = _free_port()
    env = {**os.environ, "TRACUU_INDEX": str(tmp / "index"), "TRACUU_CORPUS": str(tmp / "corpus"),
           "TRACUU_PORT": str(port), "TRACUU_HOST": "127.0.0.1", "TRACUU_THREADS": str(threads),
           "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    cache = Path(os.environ.get("TRACUU_TEST_CACHE", Path.home() / ".cache" / "tracuu-tests")) / "embcache.sqlite"
    if cache.exists():  # the tests' embedding cache (keyed by model and text) only saves time
        env.setdefault("TRACUU_EMBED_CACHE", str(cache))
    log = (tmp / "app.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "ui.py")], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_ready(url, tmp / "index" / "CURRENT", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _wait_ready(url: str, current: Path, proc: subprocess.Popen, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"ui.py stopped with status {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                if current.exists():
                    time.sleep(2)  # let the warm-up load the embedder
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"ui.py was not ready on {url} within {timeout:.0f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running app (default: start ui.py on a temporary index)")
    parser.add_argument("-n", type=int, default=20, help="simultaneous questions (default 20)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per question")
    parser.add_argument("--threads", type=int, default=min(2, os.cpu_count() or 1),
                        help="TRACUU_THREADS for an app started here")
    args = parser.parse_args(argv)
    if args.url:
        results, wall = ask_all(args.url, args.n, args.timeout)
    else:
        with own_app(args.threads) as url:
            ask_all(url, 2, args.timeout)  # warm-up: first connection, first query
            results, wall = ask_all(url, args.n, args.timeout)
    summary = report(results, wall)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
