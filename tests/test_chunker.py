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


def test_a_numbered_group_points_at_its_clause_of_the_regulation(tmp_path: Path) -> None:
    """QĐ 12/2012/QĐ-UBND (Tuyên Quang) issues a Quy định; both have an "Điều 3". "1.1. Nhóm đối tượng số 5 quy định
    tại Điều 3 của quy định này: 2.000.000 đồng/đơn vị" is indexed with the regulation's clause 5 (who group 5 is),
    not with the decision's Điều 3 ("Quyết định này có hiệu lực sau 10 ngày …"), and a lead-in clause with its
    items ("2. Nhóm đối tượng số 2: 2.1. Người hoạt động cách mạng trước ngày 01/01/1945 …")."""
    doc = congbot_document("12_2012_QĐ_UBND", tmp_path)
    chunks = chunk_document(doc)
    five = next(c for c in chunks if "1.1. Nhóm đối tượng số 5 quy định tại Điều 3" in c.text)
    assert "Tập thể cán bộ công nhân viên chức phục vụ tại các Trung tâm điều dưỡng thương binh" in five.context
    assert "có hiệu lực sau 10 ngày" not in five.context
    two = next(c for c in chunks if "2.1. Nhóm đối tượng số 2 quy định tại Điều 3" in c.text)
    assert "Người hoạt động cách mạng trước ngày 01/01/1945" in two.context
    assert doc.text[two.start:two.end] == two.text


def test_appendix_table_rows_are_cited_by_appendix_and_row(tmp_path: Path) -> None:
    """VBHN 4804/VBHN-BLĐTBXH ends with Phụ lục I–VI, tables of amounts: a row is cited "PHỤ LỤC V › STT 18",
    found with the appendix's caption and the table's header row, never as a clause of the last article."""
    doc = congbot_document("4804_2024_VBHN_BLĐTBXH", tmp_path)
    chunks = chunk_document(doc)
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)
    assert all(a.end <= b.start for a, b in pairwise(chunks))
    row = next(c for c in chunks if "18 | Xe lăn tay | 04 năm | 2.500.000" in c.text)
    assert row.section.startswith("PHỤ LỤC V › STT ") and row.section.endswith("18"), row.section
    assert "MỨC HỖ TRỢ MUA PHƯƠNG TIỆN TRỢ GIÚP" in row.context
    assert "Niên hạn cấp" in row.context and "Mức cấp (đồng)" in row.context
    nested = next(c for c in chunks if c.text.startswith("| Diện không thoát ly | 5.291.000"))
    assert nested.section == "PHỤ LỤC I › STT 1 › STT 1.1 › dòng 2"
    assert "Người hoạt động cách mạng trước ngày 01 tháng 01 năm 1945" in nested.context
    appendix = [c for c in chunks if c.start >= doc.text.index("PHỤ LỤC I\n")]
    assert appendix and all(c.section.startswith("PHỤ LỤC ") for c in appendix)
    sentence = next(c for c in chunks if "quy định tại Phụ lục V ban hành kèm theo" in c.text)
    assert sentence.section.startswith("Chương "), sentence.section


def test_an_appendix_number_keeps_no_footnote_mark(tmp_path: Path) -> None:
    """VBHN 834/VBHN-BLĐTBXH writes "PHỤ LỤC I18" (footnote 18 run into the numeral): the appendix is "PHỤ LỤC I".
    A caption whose "(Kèm theo …)" is in lower case is still the caption (NĐ 63/2010's "BIỂU MẪU … (Ban hành …)")."""
    doc = congbot_document("834_2024_VBHN_BLDTBXH", tmp_path)
    row = next(c for c in chunk_document(doc) if "| Diện thoát ly |" in c.text)
    assert row.section.startswith("PHỤ LỤC I › STT 1"), row.section
    assert "MỨC HƯỞNG TRỢ CẤP, PHỤ CẤP ƯU ĐÃI HẰNG THÁNG" in row.context
    forms = congbot_document("63_2010_NĐ_CP", tmp_path)
    first = next(c for c in chunk_document(forms) if c.start > forms.text.index("PHỤ LỤC I\n") and c.role == "body")
    assert first.section.startswith("PHỤ LỤC I"), first.section
    assert "BIỂU MẪU ĐÁNH GIÁ THỦ TỤC HÀNH CHÍNH" in first.context


def test_table_rows_nest_by_their_numbers(tmp_path: Path) -> None:
    """QĐ 1766/QĐ-UBND (Bình Thuận) lists procedures by field "I", group "I.1" and procedure "1"; a group row may
    open with an empty cell ("| I.2 | Thủ tục hành chính cấp huyện …")."""
    doc = congbot_document("1766_2020_QĐ_UBND", tmp_path)
    chunks = chunk_document(doc)
    amend = next(c for c in chunks if c.text.startswith("4 | 2.000913 | Thủ tục chứng thực việc sửa đổi"))
    assert amend.section == "PHỤ LỤC 01 › STT I › STT I.1 › STT 4", amend.section
    assert "LĨNH VỰC CHỨNG THỰC" in amend.context and "Thủ tục hành chính áp dụng chung" in amend.context
    district = next(c for c in chunks if "| I.2 | Thủ tục hành chính cấp huyện" in c.text)
    assert district.section.startswith("PHỤ LỤC 01 › STT I › STT I.2"), district.section


def test_a_word_table_after_the_last_article_is_not_its_clauses(tmp_path: Path) -> None:
    """A Word file whose last article is followed by an appendix table: the numbered rows are "STT n" of the
    appendix, and a sentence that merely starts with "Phụ lục" stays a paragraph of its article."""
    import docx

    d = docx.Document()
    d.add_paragraph("Điều 5. Mức hỗ trợ")
    d.add_paragraph("Phụ lục I ban hành kèm theo Quyết định này quy định mức hỗ trợ cụ thể.")
    d.add_paragraph("Điều 6. Tổ chức thực hiện")
    d.add_paragraph("Giám đốc các Sở, Thủ trưởng các cơ quan có liên quan chịu trách nhiệm thi hành Quyết định này.")
    d.add_paragraph("PHỤ LỤC I")
    d.add_paragraph("DANH MỤC NHIỆM VỤ VÀ PHÂN CÔNG THỰC HIỆN")
    rows = [("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn"),
            ("1", "Rà soát danh sách đối tượng", "Sở Lao động - Thương binh và Xã hội", "Quý I/2025"),
            ("2", "Bố trí kinh phí thực hiện", "Sở Tài chính", "Hằng năm")]
    table = d.add_table(rows=len(rows), cols=4)
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    d.save(tmp_path / "qd.docx")
    doc = load_document(tmp_path / "qd.docx")
    chunks = chunk_document(doc)
    finance = next(c for c in chunks if "Sở Tài chính" in c.text)
    assert finance.section == "PHỤ LỤC I › STT 2", finance.section
    assert "DANH MỤC NHIỆM VỤ" in finance.context and "Cơ quan chủ trì" in finance.context
    intro = next(c for c in chunks if "Phụ lục I ban hành kèm theo" in c.text)
    assert intro.section.startswith("Điều 5"), intro.section


def test_a_long_list_table_keeps_its_row_numbers(tmp_path: Path) -> None:
    """A commune's list of 1,200 households as an exported Markdown table: row 1000 follows row 999 (a number of four
    digits is a row number only right after the one before it, never a year such as "2024" in another column)."""
    rows = [f"| {i} | Hộ ông Nguyễn Văn {i} | Thôn {i % 12 + 1} | 1.500.000 |" for i in range(1, 1201)]
    text = "\n".join(["# KẾ HOẠCH hỗ trợ sửa chữa nhà ở", "", "Điều 1. Hỗ trợ các hộ trong danh sách kèm theo.", "",
                      "PHỤ LỤC", "", "DANH SÁCH HỘ ĐƯỢC HỖ TRỢ", "", "Đơn vị tính: đồng", "",
                      "| STT | Họ và tên chủ hộ | Địa chỉ | Mức hỗ trợ |", "|---|---|---|---|", *rows, "",
                      "Chỉ tiêu theo năm:", "", "| Năm | Tỷ lệ hộ được hỗ trợ |", "|---|---|", "| 2024 | 35% |", ""])
    (tmp_path / "kh.md").write_text(text, encoding="utf-8")
    doc = load_document(tmp_path / "kh.md")
    chunks = chunk_document(doc)
    last = next(c for c in chunks if c.text.startswith("1200 | Hộ ông Nguyễn Văn 1200"))
    assert last.section == "PHỤ LỤC › STT 1200", last.section
    assert "Đơn vị tính: đồng" in last.context and "Mức hỗ trợ" in last.context
    year = next(c for c in chunks if "2024 | 35%" in c.text)
    assert "STT 2024" not in year.section, year.section
