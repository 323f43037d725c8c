"""Loading real files, encodings, and bad input."""

from __future__ import annotations

import io
import os
import unicodedata
from pathlib import Path

import pytest

from indexer.errors import LoadError
from indexer.loaders import load_document, load_folder
from tests.support import KL54, PARTY_PDF, PDFS, TB2018, load_cached


def test_seed_text_is_normalised_nfc_and_new_tone_style() -> None:
    doc = load_document(TB2018)
    assert "khóa XII" in doc.text and "khoá" not in doc.text
    assert "Ủy ban Kiểm tra Trung ương" in doc.text and "Uỷ" not in doc.text
    assert doc.encoding == "utf-8" and doc.source_format == "txt" and doc.pages is None
    assert len(doc.doc_id) == 16 and doc.doc_id == load_document(TB2018).doc_id


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_pdf_keeps_pages_and_drops_running_lines(path: Path) -> None:
    from pypdf import PdfReader

    doc = load_cached(path)
    assert doc.pages == len(PdfReader(path).pages)
    assert list(doc.page_starts) == sorted(doc.page_starts) and doc.page_starts[0] == 0
    assert "Tài liệu này thuộc sở hữu" not in doc.text
    lines = doc.text.split("\n")
    assert not [ln for ln in lines if ln.strip().isdigit()], "page numbers left in the body"


def test_pdf_lines_are_unwrapped_into_paragraphs() -> None:
    doc = load_cached(PARTY_PDF / "huongdan38.pdf")
    para = ("- Thường xuyên kiểm tra cấp ủy cấp dưới thực hiện kế hoạch kết nạp đảng viên; "
            "hằng năm sơ kết rút kinh nghiệm và báo cáo Ban Bí thư (qua Ban Tổ chức Trung ương).")
    assert para in doc.text.split("\n")
    assert doc.page_at(doc.text.index("Định kỳ hằng tháng xét đề nghị của cấp ủy cơ sở")) == 2


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: precomposed base, combining tone."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = [m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323"]
            base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
            out += (base + "".join(tones)).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig", "cp1258"])
def test_other_unicode_and_windows_1258_encodings(tmp_path: Path, codec: str) -> None:
    text = KL54.read_text(encoding="utf-8")
    path = tmp_path / f"kl54-{codec}.txt"
    path.write_bytes(_cp1258(text) if codec == "cp1258" else text.encode(codec))
    doc = load_document(path)
    assert doc.text == load_document(KL54).text
    assert doc.encoding == {"utf-16-le": "utf-16", "utf-8-sig": "utf-8"}.get(codec, codec)


def test_docx_reads_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "BAN CHẤP HÀNH TRUNG ƯƠNG"
    table.cell(0, 1).text = "ĐẢNG CỘNG SẢN VIỆT NAM"
    d.add_paragraph("1. Nhiệm vụ trọng tâm")
    d.add_paragraph("- Ban Tổ chức Trung ương hướng dẫn việc thực hiện.")
    path = tmp_path / "a.docx"
    d.save(path)
    doc = load_document(path)
    assert doc.source_format == "docx"
    assert doc.text.index("BAN CHẤP HÀNH") < doc.text.index("ĐẢNG CỘNG SẢN") < doc.text.index("1. Nhiệm vụ")


def test_html_and_markdown_give_text_only(tmp_path: Path) -> None:
    html = tmp_path / "a.html"
    html.write_text("<html><head><style>p{}</style></head><body><h1>Quy định</h1>"
                    "<p>Đảng viên <b>phải</b> gương mẫu.</p><script>x()</script></body></html>", encoding="utf-8")
    md = tmp_path / "a.md"
    md.write_text("# Quy định\n\n**Đảng viên** phải [gương mẫu](http://x).\n\n| a | b |\n|---|---|\n| c | d |\n",
                  encoding="utf-8")
    assert load_document(html).text == "Quy định\nĐảng viên phải gương mẫu."  # inline <b> does not break a line
    assert load_document(md).text == "Quy định\nĐảng viên phải gương mẫu.\na | b\nc | d"  # a table row per line


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(PARTY_PDF / "huongdan21.pdf"))
    writer.encrypt(user_password="matkhau", owner_password="chu")
    with path.open("wb") as fh:
        writer.write(fh)


def _image_only_pdf(path: Path) -> None:
    from fpdf import FPDF
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(buf, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=100)
    pdf.output(str(path))


BAD_FILES = {
    "corrupt.pdf": lambda p: p.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20),
    "encrypted.pdf": _encrypted_pdf,
    "scanned.pdf": _image_only_pdf,
    "empty.txt": lambda p: p.write_bytes(b""),
    "blank.txt": lambda p: p.write_text("   \n\n  \n", encoding="utf-8"),
    "junk.txt": lambda p: p.write_bytes(os.urandom(4096)),
    "table.xlsx": lambda p: p.write_bytes(b"PK\x03\x04junk"),
    "notpdf.pdf": lambda p: p.write_text("Đây không phải PDF", encoding="utf-8"),
}
REASONS = {
    "corrupt.pdf": ("corrupt_pdf", "bị hỏng"),
    "encrypted.pdf": ("encrypted", "mật khẩu"),
    "scanned.pdf": ("no_text_layer", "OCR"),
    "empty.txt": ("empty", "rỗng"),
    "blank.txt": ("empty", "không có nội dung"),
    "junk.txt": ("binary", "nhị phân"),
    "table.xlsx": ("unsupported", "chưa được hỗ trợ"),
    "notpdf.pdf": ("wrong_type", "không phải PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_gets_a_specific_vietnamese_message(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    BAD_FILES[name](path)
    with pytest.raises(LoadError) as info:
        load_document(path)
    reason, phrase = REASONS[name]
    assert info.value.reason == reason
    assert name in str(info.value) and phrase in str(info.value)
    assert "Hãy" in str(info.value)  # every message says what to do


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * (2 * 1024 * 1024))
    with pytest.raises(LoadError) as info:
        load_document(path, max_mb=1)
    assert info.value.reason == "too_large" and "TRACUU_MAX_FILE_MB" in str(info.value)


def test_folder_reports_failures_and_loads_the_rest(tmp_path: Path) -> None:
    for name, make in BAD_FILES.items():
        make(tmp_path / name)
    (tmp_path / "kl54.txt").write_bytes(KL54.read_bytes())
    (tmp_path / ".hidden.txt").write_bytes(b"\x00\x01")
    result = load_folder(tmp_path)
    assert [Path(d.path).name for d in result.documents] == ["kl54.txt"]
    assert sorted(Path(f.path).name for f in result.failures) == sorted(BAD_FILES)


def test_a_signature_on_the_recipients_line_is_kept_as_a_passage(tmp_path) -> None:
    """A portal's two-column closing table read as one line ("Nơi nhận: - Văn phòng Chính phủ; … - Lưu VT, VX.
    TM. ỦY BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm", QĐ 12/2012/QĐ-UBND Tuyên Quang): the recipients stay out of
    the passages, the signature becomes one, so "Ai ký …?" finds it."""
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    doc = congbot_document("12_2012_QĐ_UBND", tmp_path)
    assert doc.meta.signer == "Chẩu Văn Lâm"
    signed = [doc.text[s:e] for s, e in doc.meta_spans]
    assert signed == ["TM. ỦY BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm"]
    assert any(doc.text[s:e].startswith("Nơi nhận:") for s, e in doc.excluded)
    chunks = chunk_document(doc, 1200, 40)
    assert [c.text for c in chunks if "Chẩu Văn Lâm" in c.text] == signed
    assert not any("Văn phòng Chính phủ;" in c.text for c in chunks)


def test_a_letters_addressees_are_not_a_passage(tmp_path) -> None:
    """"Kính gửi: Giám đốc Sở Lao động - Thương binh và Xã hội các tỉnh, …" (CV 2638/LĐTBXH-KHTC) is the letter's
    audience, like its recipients: out of the passages (it ranked first for any question naming the Sở), still
    in the text; a dashed list below "Kính gửi:" goes with it."""
    from indexer.chunker import chunk_document
    from indexer.loaders import addressee_spans
    from tests.support import congbot_document

    doc = congbot_document("2638_2019_CV_LĐTBXH_KHTC", tmp_path)
    line = "Kính gửi: Giám đốc Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương"
    assert [doc.text[s:e] for s, e in addressee_spans(doc.text, doc.body[0])] == [line]
    assert any(doc.text[s:e] == line for s, e in doc.excluded)
    assert not any("Kính gửi" in c.text for c in chunk_document(doc, 1200, 40))
    listed = "CÔNG VĂN\nV/v rà soát\nKính gửi:\n\n- Bộ Tài chính;\n- Ủy ban nhân dân các tỉnh.\n\nThực hiện …"
    assert [listed[s:e] for s, e in addressee_spans(listed, 0)] == [
        "Kính gửi:\n\n- Bộ Tài chính;\n- Ủy ban nhân dân các tỉnh."]
