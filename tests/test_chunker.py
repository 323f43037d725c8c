"""Chunking invariants over the real documents, and format independence."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from indexer.chunker import chunk_document
from indexer.loaders import load_document
from indexer.models import Document
from indexer.outline import body_paragraphs
from tests.support import FONT, KL54, PDFS, TB2018, congbot_document, load_cached

DOCS = [KL54, TB2018, *PDFS]
MAX = 1200


@pytest.fixture(scope="module", params=DOCS, ids=lambda p: p.name)
def loaded(request: pytest.FixtureRequest) -> tuple[Document, tuple]:
    doc = load_cached(request.param)
    return doc, chunk_document(doc, max_chars=MAX)


def test_offsets_invariant_and_sizes(loaded: tuple[Document, tuple]) -> None:
    doc, chunks = loaded
    assert chunks
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
        assert c.text.strip() == c.text and c.text, c
        assert len(c.text) <= MAX
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in pairwise(chunks)), "chunks overlap"
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_no_body_text_lost(loaded: tuple[Document, tuple]) -> None:
    doc, chunks = loaded
    covered = bytearray(len(doc.text))
    for c in chunks:
        covered[c.start:c.end] = b"\x01" * (c.end - c.start)
    for para in body_paragraphs(doc):
        lost = [ch for k, ch in enumerate(para.text) if ch.isalnum() and not covered[para.start + k]]
        assert not lost, f"text lost: {para.text[:80]!r}"
    for start, end in doc.excluded:
        assert not any(covered[start:end]), "an excluded span (Nơi nhận, chữ ký) was chunked"


def test_pdf_chunks_carry_pages(loaded: tuple[Document, tuple]) -> None:
    doc, chunks = loaded
    if doc.source_format != "pdf":
        assert all(c.page is None for c in chunks)
        return
    assert chunks[0].page == 1 and chunks[-1].pages[-1] >= doc.pages - 1
    for c in chunks:
        assert c.pages == tuple(range(doc.page_at(c.start), doc.page_at(c.end - 1) + 1))
        assert 1 <= c.pages[0] <= c.pages[-1] <= doc.pages


def test_list_items_know_their_body_heading() -> None:
    doc = load_document(TB2018)
    chunks = chunk_document(doc)
    items = [c for c in chunks if "Ban Tuyên giáo Trung ương" in c.section]
    assert [c.section for c in items] == [
        "3. Nhiệm vụ thời gian tới › b) › Ban Tuyên giáo Trung ương › ý 1",
        "3. Nhiệm vụ thời gian tới › b) › Ban Tuyên giáo Trung ương › ý 2",
    ]
    assert "Ban Tuyên giáo Trung ương" in items[1].context
    assert items[1].text.startswith("+ Phối hợp với Ban cán sự đảng Chính phủ")


def _paragraphs() -> list[str]:
    doc = load_document(TB2018)
    return [p.text for p in body_paragraphs(doc)][:30]


def _write_docx(paras: list[str], path: Path) -> None:
    import docx

    d = docx.Document()
    for p in paras:
        d.add_paragraph(p)
    d.save(path)


def _write_pdf(paras: list[str], path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=12)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for p in paras:
        pdf.multi_cell(0, 7, p, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))


def test_pdf_and_docx_of_the_same_text_give_the_same_chunks(tmp_path: Path) -> None:
    paras = _paragraphs()
    _write_docx(paras, tmp_path / "a.docx")
    _write_pdf(paras, tmp_path / "a.pdf")
    pdf_doc, docx_doc = load_document(tmp_path / "a.pdf"), load_document(tmp_path / "a.docx")
    assert pdf_doc.pages and pdf_doc.pages > 1
    assert [c.text for c in chunk_document(pdf_doc)] == [c.text for c in chunk_document(docx_doc)]


def test_a_passage_that_points_carries_what_it_points_at(tmp_path: Path) -> None:
    """"1. Hỗ trợ 40 triệu đồng/hộ đối với trường hợp nêu tại Điểm a Khoản 2 Điều 2 Quyết định này" (QĐ
    22/2013/QĐ-TTg) is indexed with "a) Phải phá dỡ để xây mới nhà ở;" and its clause; the quote stays its own."""
    doc = congbot_document("22_2013_QĐ_TTg", tmp_path)
    chunks = chunk_document(doc)
    bullet = next(c for c in chunks if c.text.startswith("1. Hỗ trợ 40 triệu đồng/hộ"))
    assert "a) Phải phá dỡ để xây mới nhà ở;" in bullet.context
    assert "2. Hộ đang ở nhà tạm hoặc nhà ở bị hư hỏng nặng" in bullet.context
    assert "b) Phải sửa chữa khung" not in bullet.context
    assert doc.text[bullet.start:bullet.end] == bullet.text
    other = next(c for c in chunks if c.text.startswith("2. Hỗ trợ 20 triệu đồng/hộ"))
    assert "b) Phải sửa chữa khung, tường và thay mới mái nhà ở." in other.context
