"""Vietnamese term scheme and the BM25 index, on real paragraphs of the seed documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.errors import IndexError_
from indexer.lexical import LexicalIndex, doc_numbers, terms
from tests.support import SHARED

SEEDS = SHARED / "seeds"
TARGET = "Cấp uỷ các cấp tổ chức đảng viên học tập, quán triệt nội dung Kết luận."


def seed_paragraphs() -> list[str]:
    files = sorted(SEEDS.glob("*.txt"))
    assert files, f"no seed documents in {SEEDS}"
    paragraphs = [p.strip() for f in files for p in re.split(r"\n\s*\n", f.read_text("utf-8"))]
    return [p for p in paragraphs if len(p) > 20]


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return [TARGET, *seed_paragraphs()]


@pytest.fixture(scope="module")
def index(corpus: list[str]) -> LexicalIndex:
    return LexicalIndex([1000 + i for i in range(len(corpus))], corpus)


def text_of(corpus: list[str], doc_id: int) -> str:
    return corpus[doc_id - 1000]


def test_terms_have_syllables_bigrams_and_folded_forms() -> None:
    got = terms("Ban Tổ chức Trung ương")
    assert {"ban", "tổ", "chức", "trung", "ương"} <= set(got)
    assert {"ban_tổ", "tổ_chức", "chức_trung", "trung_ương"} <= set(got)
    assert {"~ban", "~to", "~chuc", "~ban_to", "~to_chuc", "~trung_uong"} <= set(got)


def test_bigrams_stop_at_punctuation() -> None:
    got = terms("cán bộ, đảng viên")
    assert "cán_bộ" in got and "đảng_viên" in got
    assert "bộ_đảng" not in got and "~bo_dang" not in got


def test_query_without_diacritics_gives_only_folded_terms() -> None:
    got = terms("to chuc dang vien", query=True)
    assert got == ["~to", "~chuc", "~dang", "~vien", "~to_chuc", "~chuc_dang", "~dang_vien"]
    accented = terms("tổ chức đảng", query=True)
    assert "tổ_chức" in accented and "~to_chuc" in accented


def test_tone_placement_variants_give_the_same_terms() -> None:
    assert terms("chuyển hoá, uỷ ban") == terms("chuyển hóa, ủy ban")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Kết luận số 54-KL/TW", "54-kl/tw"),
        ("54-kl/tw", "54-kl/tw"),
        ("Hướng dẫn 38 - HD/BTCTW ngày", "38-hd/btctw"),
        ("Quy định số 294-QĐ/TW", "294-qd/tw"),
        ("Chỉ thị 05-CT/TW", "5-ct/tw"),
        ("Nghị định số 15/2023/NĐ-CP", "15/2023/nd-cp"),
        ("Quyết định 123/QĐ-TTg", "123/qd-ttg"),
        ("Luật số 45/2019/QH14", "45/2019/qh14"),
    ],
)
def test_document_numbers_are_single_terms(text: str, number: str) -> None:
    assert doc_numbers(text) == [number]
    assert number in terms(text)
    assert number in terms(text, query=True)
    assert number in terms(text.lower(), query=True)


def test_dates_and_ratios_are_not_document_numbers() -> None:
    assert doc_numbers("ngày 10/4/2018, từ 2-3 người, tỷ lệ 1/2") == []


def test_unaccented_query_finds_accented_passage(index: LexicalIndex, corpus: list[str]) -> None:
    ids, scores = index.search("to chuc dang vien", 5)
    assert text_of(corpus, ids[0]) == TARGET
    assert len(ids) == 5 and scores == sorted(scores, reverse=True)
    assert ids[0] == index.search("tổ chức đảng viên", 5)[0][0]


def test_document_number_query_ranks_its_passage_first(index: LexicalIndex, corpus: list[str]) -> None:
    for query in ("54-KL/TW", "54-kl/tw", "Kết luận 54-KL/TW"):
        ids, _ = index.search(query, 3)
        assert "54-KL/TW" in text_of(corpus, ids[0]), query
    ids, _ = index.search("quyet dinh 99-qd/tw", 3)
    assert "99-QĐ/TW" in text_of(corpus, ids[0])


def test_allowed_restricts_and_no_match_is_empty(index: LexicalIndex, corpus: list[str]) -> None:
    ids, _ = index.search("to chuc dang vien", 10, allowed={1003, 1004, 99999})
    assert set(ids) <= {1003, 1004}
    assert index.search("to chuc dang vien", 10, allowed=set()) == ([], [])
    assert index.search("xyzzy quux", 10) == ([], [])
    assert index.search("", 10) == ([], [])


def test_save_load_round_trip(tmp_path: Path, index: LexicalIndex) -> None:
    folder = tmp_path / "gen" / "lexical"
    index.save(folder)
    index.save(folder)  # replacing an existing index works too
    loaded = LexicalIndex.load(folder)
    assert len(loaded) == len(index)
    for query in ("to chuc dang vien", "54-KL/TW", "vai trò của Nhân dân"):
        assert loaded.search(query, 10) == index.search(query, 10)
    assert [p.name for p in folder.parent.iterdir()] == ["lexical"]


def test_empty_index_round_trip(tmp_path: Path) -> None:
    empty = LexicalIndex([], [])
    assert empty.search("tổ chức", 5) == ([], [])
    empty.save(tmp_path / "lexical")
    assert len(LexicalIndex.load(tmp_path / "lexical")) == 0


def test_load_errors_are_vietnamese(tmp_path: Path) -> None:
    with pytest.raises(IndexError_, match="Không tìm thấy chỉ mục từ khoá"):
        LexicalIndex.load(tmp_path / "none")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "lexical.json").write_text("{", "utf-8")
    with pytest.raises(IndexError_, match="bị hỏng"):
        LexicalIndex.load(broken)


def test_frequencies_are_document_frequencies_of_exact_syllables_and_pairs() -> None:
    index = LexicalIndex([1, 2, 3], ["Đảng viên dự bị", "đảng viên chính thức, đảng viên", "Kết luận 54-KL/TW"])
    df = index.frequencies()
    assert df["đảng"] == 2 and df["đảng_viên"] == 2 and df["chính_thức"] == 1 and df["kết_luận"] == 1
    assert not [t for t in df if t.startswith("~") or any(c.isdigit() for c in t) or "/" in t]
    assert LexicalIndex([], []).frequencies() == {}
