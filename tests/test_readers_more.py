"""Every non-scanned file of party_docs_more (.doc, .docx, portal .html, text PDFs) as the document states it."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.chunker import chunk_document
from indexer.loaders import load_document
from indexer.readers.boiler import is_boilerplate
from tests.support import SHARED

MORE = SHARED / "data" / "party_docs_more"
# file prefix -> (số hiệu, ngày, tháng when the day is blank, cơ quan ban hành), read from each document's header.
EXPECTED = {
    "VPTW_HD-36": ("36-HD/VPTW", "2018-04-03", None, "Văn phòng Trung ương Đảng"),
    "UBND-LamDong_KH": (None, None, "2026-03", "Ủy ban nhân dân tỉnh Lâm Đồng"),  # draft: "Số: /KH-UBND"
    "UBND-LamDong_TB": (None, None, "2026-04", "Ủy ban nhân dân tỉnh Lâm Đồng"),  # draft: "Số: /TB-UBND"
    "UBND-BinhDuong_CT-09": ("09/2009/CT-UBND", "2009-04-15", None, "Ủy ban nhân dân tỉnh Bình Dương"),
    "UBND-PhuongSaDec_QD-149": ("149/QĐ-UBND-TL", "2025-12-31", None, "Ủy ban nhân dân phường Sa Đéc"),
    "VPBCH-PCTT-ThuaThienHue_TB-254": (
        "254/TB-PCTT", "2022-09-06", None, "văn phòng thường trực ban chỉ huy pctt và tkcn tỉnh thừa thiên huế"),
    "ChinhPhu_NQ-66.3": ("66.3/2025/NQ-CP", "2025-09-15", None, "Chính phủ"),
    # The page's header block says "CHÍNH PHỦ" (the Thủ tướng signs): the header is what is stated.
    "TTg_QD-30": ("30/2025/QĐ-TTg", "2025-08-30", None, "Chính phủ"),
}
FILES = sorted(p for p in MORE.iterdir() if p.suffix in (".doc", ".docx", ".html", ".pdf") and "_scan" not in p.name)


def _key(path: Path) -> str:
    return next(k for k in EXPECTED if path.name.startswith(k))


def test_every_non_scanned_file_is_listed() -> None:
    assert len(FILES) == 8 and sorted(map(_key, FILES)) == sorted(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:30])
def test_number_date_and_issuer_where_the_document_states_them(path: Path) -> None:
    doc = load_document(path)
    number, date, month, issuer = EXPECTED[_key(path)]
    meta = doc.meta
    assert (meta.doc_number, meta.date, meta.date_approx) == (number, date, month)
    assert meta.issuer is not None
    assert (meta.issuer.lower() if issuer.islower() else meta.issuer) == issuer
    for chunk in chunk_document(doc):
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert not [ln for ln in chunk.text.split("\n") if is_boilerplate(ln)], chunk.text[:100]


@pytest.mark.parametrize("name", ["ChinhPhu_NQ-66.3", "TTg_QD-30"])
def test_portal_pages_keep_the_document_only(name: str) -> None:
    path = next(p for p in FILES if p.name.startswith(name))
    doc = load_document(path)
    lines = doc.text.split("\n")
    assert lines[0] == "CHÍNH PHỦ", lines[:3]
    for chrome in ("Trang chủ", "Văn bản quy phạm pháp luật Trung ương", "Cơ sở dữ liệu quốc gia", "Thuộc tính"):
        assert chrome not in doc.text, chrome
    assert any(ln.startswith("Điều 1.") for ln in lines)
    assert doc.meta.signer in ("Trần Hồng Hà", "Nguyễn Hòa Bình")


def test_split_title_spans_are_one_word() -> None:
    path = next(p for p in FILES if p.name.startswith("TTg_QD-30"))
    assert "Ban hành Quy chế phối hợp trong đấu tranh" in load_document(path).text


def test_legacy_doc_keeps_vietnamese_tables_and_numbering() -> None:
    hd36 = load_document(next(p for p in FILES if p.name.startswith("VPTW_HD-36")))
    assert hd36.source_format == "doc" and "THỂ THỨC VÀ KỸ THUẬT TRÌNH BÀY VĂN BẢN CỦA ĐẢNG" in hd36.text
    assert "4. Trách nhiệm của các cá nhân" in hd36.text.split("\n")
    kh = load_document(next(p for p in FILES if p.name.startswith("UBND-LamDong_KH")))
    rows = kh.text.split("\n")
    assert "STT | Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện | " \
           "Theo dõi, kiểm tra, đôn đốc" in rows
