"""One copy of each directive: the same text in another file, a certified copy of a loaded original.

Real files (the KL 54 seed, the same text saved as UTF-16, the original without the Bắc Kạn copy block),
the real loader, chunker, catalogue, FAISS and BM25, with the deterministic embedder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import FAST_MODEL, KL54, TB2018, make_settings

QUERIES = ("phát huy vai trò của Nhân dân trong đấu tranh ngăn chặn suy thoái", "Ban Tuyên giáo Trung ương",
           "Sao y số 54-KL/TW", "Mặt trận Tổ quốc Việt Nam giám sát")


def _original(text: str) -> str:
    """KL 54 as the Central Committee issued it: the seed without the Bắc Kạn certified-copy block."""
    end = text.index("Trương Thị Mai") + len("Trương Thị Mai")
    return text[:end] + "\n"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copyfile(KL54, folder / KL54.name)
    shutil.copyfile(TB2018, folder / TB2018.name)
    (folder / "kl54-utf16.txt").write_text(KL54.read_text(encoding="utf-8"), encoding="utf-16")
    return folder


def _no_repeats(settings) -> None:
    from assistant.service import Service

    svc = Service(settings)
    for query in QUERIES:
        found = [(" ".join(c.quote.split())) for c in svc.search(query, k=10)]
        assert len(found) == len(set(found)), f"a passage repeats in the top 10 for “{query}”"


def test_same_text_in_utf16_is_one_document_with_two_sources(corpus: Path, tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index

    settings = make_settings(tmp_path / "idx", corpus=corpus, model=FAST_MODEL)
    summary = build_index([corpus], settings)
    assert summary.documents == 2 and len(summary.added) == 2
    assert [Path(p).name for p, _ in summary.merged] == ["kl54-utf16.txt"]
    assert "Trùng nội dung với Kết luận số 54-KL/TW" in summary.merged[0][1]
    _no_repeats(settings)
    rows = [r for r in Service(settings).documents() if r.number == "54-KL/TW"]
    assert len(rows) == 1 and len(rows[0].sources) == 2
    assert rows[0].sources[1] == "kl54-utf16.txt — cùng nội dung"
    assert rows[0].sources[0].startswith(f"{KL54.name} — Bản sao y của Kết luận số 54-KL/TW do Tỉnh ủy Bắc Kạn")

    again = build_index([corpus], settings)  # unchanged files, the source included, are not read again
    assert again.unchanged == 3 and not (again.added or again.merged or again.changed)


def test_removing_a_document_file_promotes_its_other_source(corpus: Path, tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index

    settings = make_settings(tmp_path / "idx", corpus=corpus, model=FAST_MODEL)
    build_index([corpus], settings)
    (corpus / KL54.name).unlink()
    pruned = build_index([corpus], settings, prune=True)
    assert pruned.documents == 2 and [Path(p).name for p in pruned.added] == ["kl54-utf16.txt"]
    row = next(r for r in Service(settings).documents() if r.number == "54-KL/TW")
    assert row.file_name == "kl54-utf16.txt" and len(row.sources) == 1


def test_certified_copy_of_a_loaded_original_is_linked_not_indexed(tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index
    from webui.render import documents_html

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "kl54-ban-goc.txt").write_text(_original(KL54.read_text(encoding="utf-8")), encoding="utf-8")
    settings = make_settings(tmp_path / "idx", corpus=folder, model=FAST_MODEL)
    first = build_index([folder], settings)
    assert first.documents == 1
    shutil.copyfile(KL54, folder / "kl54-sao-y-bac-kan.txt")
    summary = build_index([folder], settings)
    assert summary.documents == 1 and not summary.added
    assert summary.merged[0][1].startswith("Bản sao y của Kết luận số 54-KL/TW")
    _no_repeats(settings)
    (row,) = Service(settings).documents()
    assert row.file_name == "kl54-ban-goc.txt"
    assert row.sources[1] == ("kl54-sao-y-bac-kan.txt — Bản sao y của Kết luận số 54-KL/TW do Tỉnh ủy Bắc Kạn "
                              "sao (số 314-SY/TU, 19/5/2023)")
    html = documents_html([row])
    assert "2 tệp nguồn" in html and "Bản sao y của Kết luận số 54-KL/TW" in html


def test_an_original_after_its_certified_copy_is_recorded_as_the_original(tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copyfile(KL54, folder / KL54.name)
    settings = make_settings(tmp_path / "idx", corpus=folder, model=FAST_MODEL)
    build_index([folder], settings)
    (folder / "kl54-ban-goc.txt").write_text(_original(KL54.read_text(encoding="utf-8")), encoding="utf-8")
    summary = build_index([folder], settings)
    assert summary.documents == 1 and summary.merged[0][1].startswith("Bản gốc của Kết luận số 54-KL/TW")
    (row,) = Service(settings).documents()
    assert row.sources[1] == "kl54-ban-goc.txt — bản gốc"


def test_uploading_the_same_text_keeps_the_file_as_another_source(corpus: Path, tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index

    (corpus / "kl54-utf16.txt").unlink()
    settings = make_settings(tmp_path / "idx", corpus=corpus, model=FAST_MODEL, admin_password="mật-khẩu")
    build_index([corpus], settings)
    upload = tmp_path / "kl54-chuyen-tiep.txt"
    upload.write_text(KL54.read_text(encoding="utf-8"), encoding="utf-16")
    svc = Service(settings)
    outcome = svc.ingest(upload, "mật-khẩu", None)
    assert outcome.ok and "Trùng nội dung với Kết luận số 54-KL/TW" in outcome.message, outcome.message
    assert (corpus / "uploads" / upload.name).exists() and svc.counts()[0] == 2
    row = next(r for r in svc.documents() if r.number == "54-KL/TW")
    assert row.sources[1] == "kl54-chuyen-tiep.txt — cùng nội dung"


def test_an_older_catalogue_gains_digests_when_copied_forward(corpus: Path, tmp_path: Path) -> None:
    import sqlite3

    from indexer import store
    from indexer.build import build_index
    from indexer.catalog import SCHEMA_VERSION

    (corpus / "kl54-utf16.txt").rename(tmp_path / "kl54-utf16.txt")
    settings = make_settings(tmp_path / "idx", corpus=corpus, model=FAST_MODEL)
    build_index([corpus], settings)
    path = settings.index / store.current_generation(settings.index) / "catalog.sqlite"
    with sqlite3.connect(path) as db:  # as a catalogue of schema 1 was: no digests, no sources
        db.executescript("DROP TABLE digests; DROP TABLE sources; PRAGMA user_version = 0;")
    (tmp_path / "kl54-utf16.txt").rename(corpus / "kl54-utf16.txt")
    summary = build_index([corpus], settings)
    assert summary.documents == 2 and [Path(p).name for p, _ in summary.merged] == ["kl54-utf16.txt"]
    path = settings.index / store.current_generation(settings.index) / "catalog.sqlite"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_cli_index_reports_what_it_merged(corpus: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from tests.support import CACHE, ROOT

    env = {**os.environ, "TRACUU_INDEX": str(tmp_path / "idx"), "TRACUU_MODEL": FAST_MODEL,
           "TRACUU_EMBED_CACHE": str(CACHE / "embcache.sqlite"), "OMP_WAIT_POLICY": "PASSIVE"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "index", str(corpus)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "Gộp " in out and "kl54-utf16.txt: Trùng nội dung với Kết luận số 54-KL/TW" in out
    assert "Đã gộp 1 tệp vào văn bản đã có" in out and "Đã lập chỉ mục: 2 văn bản" in out
