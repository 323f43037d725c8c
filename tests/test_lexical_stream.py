"""The streamed BM25 writer (issue 13): bit-identical to bm25s's own build, over real paragraphs.

The paragraphs of the seeds and of the eleven Markdown Party documents; ranges and spill blocks cut
small, so pass 2 runs over many ranges and blocks (a term range boundary falls inside a block).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import indexer.lexical_stream as stream
from indexer.lexical import LexicalIndex
from tests.support import SHARED

QUERIES = ("to chuc dang vien", "54-KL/TW", "Ban Tổ chức Trung ương", "đảng phí", "kỷ luật cán bộ")
FILES = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")


def paragraphs() -> list[str]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "data/party_docs/tvpl_md").glob("*.md"))
    assert len(files) >= 13, "the seeds and the Markdown Party documents are needed"
    found = [p.strip() for f in files for p in re.split(r"\n\s*\n", f.read_text("utf-8"))]
    return [p for p in found if p]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[int], list[str]]:
    texts = paragraphs()
    return [7 * i + 3 for i in range(len(texts))], texts


@pytest.mark.parametrize(("range_entries", "block_entries"), [(1 << 22, 1 << 18), (5_000, 777)])
def test_streamed_index_equals_bm25s_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, corpus,
                                           range_entries: int, block_entries: int) -> None:
    ids, texts = corpus
    monkeypatch.setattr(stream, "RANGE_ENTRIES", range_entries)
    monkeypatch.setattr(stream, "BLOCK_ENTRIES", block_entries)
    LexicalIndex(ids, texts).save(tmp_path / "a")
    assert stream.write_lexical(iter(zip(ids, texts, strict=True)), tmp_path / "b") == len(texts)
    for name in FILES:
        built, streamed = np.load(tmp_path / "a/bm25s" / name), np.load(tmp_path / "b/bm25s" / name)
        assert built.dtype == streamed.dtype and np.array_equal(built, streamed), name
    for name in ("vocab.index.json", "params.index.json"):
        assert json.loads((tmp_path / "a/bm25s" / name).read_text()) == json.loads(
            (tmp_path / "b/bm25s" / name).read_text())
    assert (tmp_path / "a/lexical.json").read_text() == (tmp_path / "b/lexical.json").read_text()
    built, streamed = LexicalIndex.load(tmp_path / "a"), LexicalIndex.load(tmp_path / "b")
    assert np.array_equal(built.ids, streamed.ids)
    for query in QUERIES:
        assert streamed.search(query, 10) == built.search(query, 10)
        assert streamed.search(query, 10)[0], query
    if range_entries < 1 << 20:
        assert len(list(stream._term_ranges(np.load(tmp_path / "b/bm25s" / FILES[2])))) > 20


def test_no_texts_give_an_empty_index(tmp_path: Path) -> None:
    assert stream.write_lexical(iter(()), tmp_path / "lexical") == 0
    empty = LexicalIndex.load(tmp_path / "lexical")
    assert len(empty) == 0 and empty.search("tổ chức", 5) == ([], [])


def test_a_failed_write_leaves_the_old_index_and_no_spill(tmp_path: Path, corpus) -> None:
    ids, texts = corpus
    target = tmp_path / "gen" / "lexical"
    stream.write_lexical(iter(zip(ids[:50], texts[:50], strict=True)), target)
    before = {p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()}

    def broken():
        yield from zip(ids[50:200], texts[50:200], strict=True)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        stream.write_lexical(broken(), target)
    assert {p.name: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
    assert [p.name for p in target.parent.iterdir()] == ["lexical"]  # no spill or half-written folder left
