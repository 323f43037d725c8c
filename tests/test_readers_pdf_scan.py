"""PDF pages without a usable text layer are recognised: a scanned page inside a digital PDF, a page whose
only text is a signing stamp or a garbled OCR layer; digital PDFs are left alone; an encrypted scan is
refused with the existing message."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import TextMode

from indexer.build import build_index
from indexer.errors import LoadError
from indexer.loaders import load_document
from indexer.readers.ocr import OcrConfig
from indexer.readers.pdf import scanned_pages
from indexer.store import open_snapshot
from indexer.vntext import clean
from tests.scans import degrade, render
from tests.support import FAST_MODEL, FONT, PDFS, TB2018, make_settings

TB_LINES = [ln for ln in TB2018.read_text(encoding="utf-8").split("\n") if len(ln) > 200]
DIGITAL = TB_LINES[0]
SCANNED = TB_LINES[1][:700]
PHRASE = clean(" ".join(SCANNED.split()[12:19]))  # "Bộ Chính trị, Ban Bí thư, các ban đảng"


def _pdf(pages: list[tuple[str, object]]) -> bytes:
    """Pages of ("text", str) typed with DejaVu, ("image", PIL image) full page, ("stamped", (image, str)) with
    visible small text over it, or ("hidden", (image, str)) with an invisible text layer (a scanner's OCR)."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=str(FONT))
    for kind, content in pages:
        pdf.add_page()
        if kind == "text":
            pdf.set_font("DejaVu", size=12)
            pdf.multi_cell(0, 7, str(content))
            continue
        image, stamp = content if kind in ("stamped", "hidden") else (content, "")
        buf = io.BytesIO()
        image.convert("L").save(buf, "PNG")
        pdf.image(buf, x=0, y=0, w=210, h=297)
        if stamp:
            pdf.set_font("DejaVu", size=6)
            pdf.text_mode = TextMode.INVISIBLE if kind == "hidden" else TextMode.FILL
            pdf.set_xy(120, 270)
            pdf.multi_cell(80, 3, stamp)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def scan_image():
    return degrade(render(SCANNED, 200), seed=11, stamp=False).pages[0]


@pytest.fixture(scope="module")
def ocr(tmp_path_factory: pytest.TempPathFactory) -> OcrConfig:
    return OcrConfig(cache=tmp_path_factory.mktemp("ocr") / "ocr.sqlite")


def test_digital_pdf_with_a_scanned_page_is_searchable_with_right_pages(scan_image, ocr, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    path = folder / "hon-hop.pdf"
    path.write_bytes(_pdf([("text", DIGITAL), ("image", scan_image), ("text", TB_LINES[2])]))
    doc = load_document(path, ocr=ocr)
    assert doc.pages == 3 and any("1/3 trang" in n for n in doc.notes)
    scanned_phrase = PHRASE
    assert doc.page_at(doc.text.index(clean(" ".join(DIGITAL.split()[3:10])))) == 1
    assert doc.page_at(doc.text.index(scanned_phrase)) == 2
    assert doc.page_at(doc.text.index(clean(" ".join(TB_LINES[2].split()[3:10])))) == 3

    settings = make_settings(tmp_path / "index", model=FAST_MODEL, ocr_cache=ocr.cache)
    build_index([folder], settings)
    snap = open_snapshot(settings.index)
    try:
        for phrase, page in ((scanned_phrase, 2), (clean(" ".join(DIGITAL.split()[3:10])), 1)):
            ids, _ = snap.lexical.search(phrase, 1)
            assert snap.catalog.chunks(ids)[ids[0]].page == page
    finally:
        snap.catalog.close()


def test_signature_stamp_layer_is_not_taken_for_text(scan_image, ocr, tmp_path: Path) -> None:
    stamp = ("Người ký: ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nEmail: ubnd@quangngai.gov.vn\n"
             "Cơ quan: Tỉnh Quảng Ngãi\nThời gian ký: 13.05.2025 15:40:52 +07:00")
    data = _pdf([("stamped", (scan_image, stamp))])
    assert scanned_pages(data, [stamp.split("\n")]) == [0]
    path = tmp_path / "ky-so.pdf"
    path.write_bytes(data)
    doc = load_document(path, ocr=ocr)
    assert PHRASE in doc.text and any("OCR" in n for n in doc.notes)


def test_garbled_text_layer_is_recognised_again(scan_image, ocr, tmp_path: Path) -> None:
    garbled = "Uû ban nh©n d©n tØnh Qu¶ng Ng·i ChØ thÞ vÒ viÖc t¨ng c­êng c«ng t¸c thi hµnh ¸n " * 5
    path = tmp_path / "lop-chu-hong.pdf"
    path.write_bytes(_pdf([("hidden", (scan_image, garbled))]))
    doc = load_document(path, ocr=ocr)
    assert doc.pages == 1 and "©" not in doc.text and PHRASE in doc.text


def test_digital_pdf_has_no_page_to_recognise() -> None:
    from pypdf import PdfReader

    data = PDFS[0].read_bytes()
    pages = [(p.extract_text() or "").split("\n") for p in PdfReader(io.BytesIO(data)).pages]
    assert scanned_pages(data, pages) == []


def test_encrypted_scan_is_refused_with_the_password_message(scan_image, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf([("image", scan_image)]))))
    writer.encrypt(user_password="matkhau", owner_password="chu")
    path = tmp_path / "quet-khoa.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LoadError) as err:
        load_document(path)
    assert err.value.reason == "encrypted" and "quet-khoa.pdf" in str(err.value) and "mật khẩu" in str(err.value)
