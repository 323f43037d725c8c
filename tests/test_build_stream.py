"""The streaming build (issue 13): documents go through load, catalogue, embedding and FAISS in batches.

Real files (the two seeds, variants of them, a UTF-16 copy that merges into KL 54), the real loader,
chunker, catalogue and FAISS with the deterministic embedder: a build cut into many small batches gives
exactly the catalogue rows, chunk row ids and vectors of a build in one batch, fresh or incremental.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from indexer import batches, store
from indexer.build import IndexSummary, build_index, index_text
from tests.support import FAST_MODEL, KL54, TB2018, make_settings

VARIANTS = ("các dân tộc", "cả nước", "địa phương")  # each makes another document of a seed
ONE_BATCH = (64, 2000)  # the defaults: every test corpus here fits in one batch
SMALL = [(1, 10**9), (3, 10**9), (64, 7)]  # (documents, chunks) per batch


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    for src in (KL54, TB2018):
        text = src.read_text(encoding="utf-8")
        shutil.copyfile(src, folder / src.name)
        for n, words in enumerate(VARIANTS):
            (folder / f"{src.stem}-{n}.txt").write_text(text.replace("hân dân", f"hân dân {words}"),
                                                       encoding="utf-8")
    (folder / "kl54-utf16.txt").write_text(KL54.read_text(encoding="utf-8"), encoding="utf-16")
    return folder


def _build(monkeypatch: pytest.MonkeyPatch, settings, size: tuple[int, int], **kwargs) -> tuple[dict, int]:
    """``build_index`` with ``size`` batches: (summary without timing, number of batches embedded)."""
    calls = []
    embed = batches.BatchEmbedder.vectors
    monkeypatch.setattr(batches, "BATCH_DOCS", size[0])
    monkeypatch.setattr(batches, "BATCH_CHUNKS", size[1])
    monkeypatch.setattr(batches.BatchEmbedder, "vectors", lambda self, texts: calls.append(1) or embed(self, texts))
    summary: IndexSummary = build_index([settings.corpus], settings, prune=True, **kwargs)
    monkeypatch.undo()
    return {k: v for k, v in asdict(summary).items() if k != "seconds"}, len(calls)


def _state(settings) -> dict:
    """Every catalogue row, the FAISS ids in stored order and their vectors; checks each vector is the
    embedding of its chunk's index text (no stale vector behind a reused row id)."""
    from indexer.embedders import load_embedder

    snap = store.open_snapshot(settings.index)
    db = snap.catalog.db
    state = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
             for t in ("documents", "chunks", "digests", "sources", "info")}
    state["ids"] = snap.vectors.ids().tolist()
    vectors = np.vstack([snap.vectors._index.reconstruct(i) for i in state["ids"]])
    chunks = dict(snap.catalog.iter_chunks())
    texts = [index_text(chunks[i], snap.catalog.document(chunks[i].doc_id)) for i in state["ids"]]
    snap.catalog.close()
    assert sorted(state["ids"]) == sorted(chunks), "catalogue and vector index disagree"
    assert np.array_equal(vectors, load_embedder(FAST_MODEL).embed_documents(texts))
    state["vectors"] = vectors.tobytes()
    return state


def _settings(tmp_path: Path, name: str, corpus: Path):
    return make_settings(tmp_path / name, corpus=corpus, model=FAST_MODEL, embed_cache=tmp_path / f"{name}.sqlite")


@pytest.mark.parametrize("size", SMALL)
def test_small_batches_build_the_same_index_as_one_batch(tmp_path: Path, monkeypatch, size) -> None:
    corpus = _corpus(tmp_path / "corpus")
    one, small = _settings(tmp_path, "one", corpus), _settings(tmp_path, "small", corpus)
    expected, one_calls = _build(monkeypatch, one, ONE_BATCH)
    got, small_calls = _build(monkeypatch, small, size)
    assert one_calls == 1 and small_calls > 2, "the small build really ran in several batches"
    assert got == expected
    assert len(got["added"]) == 8 and [Path(p).name for p, _ in got["merged"]] == ["kl54-utf16.txt"]
    assert 0 < got["embedded"] < got["chunks"]  # chunks a variant shares with its seed are embedded once
    assert _state(small) == _state(one)


def test_incremental_update_across_batch_boundaries(tmp_path: Path, monkeypatch) -> None:
    corpus = _corpus(tmp_path / "corpus")
    one, small = _settings(tmp_path, "one", corpus), _settings(tmp_path, "small", corpus)
    _build(monkeypatch, one, ONE_BATCH)
    _build(monkeypatch, small, (2, 10**9))
    edited = corpus / f"{TB2018.stem}-1.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Ban Bí thư", "Ban Bí thư Trung ương"),
                      encoding="utf-8")
    (corpus / KL54.name).unlink()  # its UTF-16 copy becomes the document
    (corpus / f"{KL54.stem}-0.txt").unlink()
    (corpus / "tb-them.txt").write_text(TB2018.read_text(encoding="utf-8").replace("nhân dân", "nhân dân ta"),
                                        encoding="utf-8")
    expected, _ = _build(monkeypatch, one, ONE_BATCH)
    got, calls = _build(monkeypatch, small, (2, 10**9))
    assert calls >= 2 and got == expected
    assert got["updated"] == [str(edited.resolve())]
    assert sorted(Path(p).name for p in got["removed"]) == [f"{KL54.stem}-0.txt", KL54.name]
    assert sorted(Path(p).name for p in got["added"]) == ["kl54-utf16.txt", "tb-them.txt"]
    assert got["unchanged"] == 6 and 0 < got["embedded"] < got["chunks"]
    assert _state(small) == _state(one)
    again, calls = _build(monkeypatch, small, (1, 10**9))
    assert calls == 0 and again["unchanged"] == 8 and not (again["added"] or again["updated"] or again["removed"])
