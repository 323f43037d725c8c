"""Shared fixtures: paths to the real corpus and the shared data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = Path(os.environ.get("TRACUU_SHARED", ROOT.parent / "shared"))
PARTY_PDF = SHARED / "data" / "party_docs" / "pdf"
KL54 = CORPUS / "kl-54-KL-TW-2023-05-09.txt"
TB2018 = CORPUS / "tb-ket-luan-ban-bi-thu-2018-04-27.txt"
PDFS = sorted(PARTY_PDF.glob("*.pdf"))
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def pytest_configure(config: pytest.Config) -> None:
    if not SHARED.is_dir() or len(PDFS) != 5:
        raise pytest.UsageError(
            f"The shared data folder is missing or incomplete: {SHARED}. "
            "Tests read real documents from ../shared (or TRACUU_SHARED)."
        )
