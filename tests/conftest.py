"""Shared fixtures: paths to the real corpus and the shared data sets."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from tests.support import CORPUS, FAST_MODEL, PARTY_PDF, PDFS, SHARED, make_settings


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir() or len(PDFS) != 5:
        raise pytest.UsageError(
            f"Thiếu hoặc chưa đủ thư mục dữ liệu dùng chung: {SHARED}. Kiểm thử đọc văn bản thật từ ../shared "
            "(bên cạnh mã nguồn hoặc bên cạnh kho được sao chép); đặt TRACUU_SHARED để chỉ nơi khác."
        )


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
