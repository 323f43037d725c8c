"""Header metadata, closing blocks, references and supersessions on real documents."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.metadata import Header, parse_header
from indexer.models import CertifiedCopy, Document, Reference
from indexer.references import (
    extract_references,
    normalize_number,
    organ_name,
    sentence_case,
)
from indexer.vntext import clean
from tests.support import PARTY_PDF, SHARED, load_cached

SEEDS = SHARED / "seeds"
KL54 = SEEDS / "kl-54-KL-TW-2023-05-09.txt"
TB2018 = SEEDS / "tb-ket-luan-ban-bi-thu-2018-04-27.txt"
TVPL_MD = sorted((SHARED / "data" / "party_docs" / "tvpl_md").glob("*.md"))
CONGBOT = SHARED / "data" / "congbot" / "chunks.jsonl"


def _doc(path: Path) -> Document:
    return load_cached(path)


@cache
def _loaded(path: Path) -> tuple[str, Header]:
    text = _doc(path).text
    return text, parse_header(text)


@cache
def _raw_pdf(path: Path) -> str:
    """pypdf text, cleaned but neither unwrapped nor stripped of running lines."""
    from pypdf import PdfReader

    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return "\n".join(ln.rstrip() for ln in re.sub(r"[ ]{2,}", " ", clean(raw)).split("\n"))


def _span_of(text: str, needle: str) -> tuple[int, int]:
    """Where ``needle`` is in ``text``; any run of spaces in it may be a line break there."""
    m = re.search(r"\s+".join(map(re.escape, needle.split())), text)
    assert m, f"not in the text: {needle!r}"
    return m.span()


def _excluded(header: Header, text: str, needle: str) -> bool:
    """Whether the whole of ``needle`` lies inside one excluded span."""
    start, end = _span_of(text, needle)
    return any(a <= start and end <= b for a, b in header.excluded)


def _touches_excluded(header: Header, text: str, needle: str) -> bool:
    start, end = _span_of(text, needle)
    return any(a < end and start < b for a, b in header.excluded)


# --- the two seeds ------------------------------------------------------------


def test_kl54_header_fields() -> None:
    text, header = _loaded(KL54)
    meta = header.meta
    assert (meta.doc_number, meta.doc_type, meta.issuer) == ("54-KL/TW", "Kết luận", "Ban Bí thư")
    assert (meta.place, meta.date, meta.date_approx) == ("Hà Nội", "2023-05-09", None)
    assert meta.title == (
        "Về tiếp tục thực hiện Quyết định số 99-QĐ/TW, ngày 03/10/2017 của Ban Bí thư về tiếp tục phát huy "
        'vai trò của Nhân dân trong đấu tranh ngăn chặn, đẩy lùi sự suy thoái, "tự diễn biến", '
        '"tự chuyển hóa" trong nội bộ'
    )
    assert (meta.signer, meta.signer_capacity) == ("Trương Thị Mai", None)
    assert meta.recipients[0] == "Các tỉnh ủy, thành ủy"
    assert "Ban Bí thư Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh" in meta.recipients
    assert meta.recipients[-1] == "Lưu Văn phòng Trung ương Đảng"
    assert text[header.body_start :].startswith("Qua 5 năm thực hiện Quyết định số 99-QĐ/TW")


def test_kl54_certified_copy_and_references() -> None:
    text, header = _loaded(KL54)
    meta = header.meta
    assert meta.certified_copy == CertifiedCopy(
        number="314-SY/TU", issuer="Tỉnh ủy Bắc Kạn", date="2023-05-19", kind="SAO Y",
        signer="Dương Hữu Bường", place="Bắc Kạn",
    )
    refs = {r.number: r for r in meta.references}
    assert (refs["99-QĐ/TW"].doc_type, refs["99-QĐ/TW"].date) == ("Quyết định", "2017-10-03")
    assert (refs["21-KL/TW"].doc_type, refs["21-KL/TW"].date) == ("Kết luận", "2021-10-25")
    assert (refs["124-QĐ/TW"].doc_type, refs["124-QĐ/TW"].date) == ("Quy định", "2018-02-02")
    assert "54-KL/TW" not in refs, "the document's own number is not a reference"
    first = refs["99-QĐ/TW"]
    assert first.start >= header.body_start and text[first.start : first.end].startswith("Quyết định số 99-QĐ/TW")
    assert meta.supersedes == ()


def test_kl54_excluded_spans() -> None:
    text, header = _loaded(KL54)
    assert _excluded(header, text, "Nơi nhận:\n- Các tỉnh ủy, thành ủy,")
    assert _excluded(header, text, "- Lưu Văn phòng Trung ương Đảng.")
    assert _excluded(header, text, "Trương Thị Mai")
    for copy_line in ("TỈNH ỦY BẮC KẠN", "Số 314-SY/TU", "SAO Y", "Bắc Kạn, ngày 19 tháng 5 năm 2023",
                      "T/L BAN THƯỜNG VỤ", "Dương Hữu Bường"):
        assert _excluded(header, text, copy_line), copy_line
    assert not _touches_excluded(
        header, text, "Kết luận này được phổ biến đến chi bộ, công khai để Nhân dân biết, giám sát."
    )
    assert not _touches_excluded(header, text, "- Ban Dân vận Trung ương chủ trì, phối hợp")


def test_tb2018_unlabeled_recipients() -> None:
    text, header = _loaded(TB2018)
    meta = header.meta
    assert (meta.doc_number, meta.doc_type, meta.issuer) == (None, "Thông báo kết luận", "Ban Bí thư")
    assert (meta.place, meta.date) == ("Hà Nội", "2018-04-27")
    assert meta.title == (
        "Về kết quả kiểm tra việc lãnh đạo, chỉ đạo và tổ chức thực hiện Nghị quyết Trung ương 4 khóa XII "
        "gắn với việc thực hiện Chỉ thị số 05 của Bộ Chính trị"
    )
    assert text[header.body_start :].startswith("Tại phiên họp ngày 10/4/2018")
    assert _excluded(header, text, "- Các tỉnh ủy, thành ủy,")
    assert _excluded(header, text, "- Lưu Văn phòng Trung ương Đảng.")
    assert not _touches_excluded(
        header, text, "Các cấp ủy, tổ chức đảng được kiểm tra thực hiện nghiêm túc Thông báo kết luận"
    )
    assert meta.recipients[-1] == "Lưu Văn phòng Trung ương Đảng" and len(meta.recipients) == 5
    assert meta.references[0] == Reference(
        "110-BC/UBKTTW", "Báo cáo", "2018-03-19", *_span_of(text, "Báo cáo số 110-BC/UBKTTW, ngày 19/3/2018")
    )


# --- the five party PDFs -------------------------------------------------------

PDF_CASES = {
    "quydinh294.pdf": dict(
        doc_number="294-QĐ/TW", doc_type="Quy định", issuer="Ban Chấp hành Trung ương", place="Hà Nội",
        date="2025-05-26", date_approx=None, title="Thi hành Điều lệ Đảng", signer="Tô Lâm",
        signer_capacity="T/M BAN CHẤP HÀNH TRUNG ƯƠNG, TỔNG BÍ THƯ", supersedes=(),
    ),
    "huongdan06.pdf": dict(
        doc_number="06-HD/TW", doc_type="Hướng dẫn", issuer="Ban Bí thư", place="Hà Nội", date="2025-06-09",
        date_approx=None, title="Một số vấn đề cụ thể thi hành Điều lệ Đảng", signer="Trần Cẩm Tú",
        signer_capacity="T/M BAN BÍ THƯ", supersedes=("01-HD/TW",),
    ),
    "huongdan38.pdf": dict(
        doc_number="38-HD/BTCTW", doc_type="Hướng dẫn", issuer="Ban Tổ chức Trung ương", place="Hà Nội",
        date="2025-09-29", date_approx=None, title="Nghiệp vụ công tác đảng viên", signer="Nguyễn Thanh Bình",
        signer_capacity="K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN", supersedes=("12-HD/BTCTW",),
    ),
    "HD_02_nghiepvu.pdf": dict(
        doc_number=None, doc_type="Hướng dẫn", issuer="Ban Tổ chức Thành ủy Hà Nội", place="Hà Nội", date=None,
        date_approx="2025-11", title="Nghiệp vụ công tác tổ chức đảng và đảng viên", signer="Triệu Thị Ngọc",
        signer_capacity="K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN", supersedes=(),
    ),
    "huongdan21.pdf": dict(
        doc_number=None, doc_type="Hướng dẫn", issuer="Ban Tổ chức Thành ủy Hà Nội", place="Hà Nội", date=None,
        date_approx="2025-08", title="Thực hiện quy trình, thủ tục, tổ chức trao tặng Huy hiệu Đảng",
        signer="Triệu Thị Ngọc", signer_capacity="K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN", supersedes=("08-HD/BTCTU",),
    ),
}
# (start of the body, last body sentence, first recipient, last recipient)
PDF_LAYOUT = {
    "quydinh294.pdf": ("- Căn cứ Điều lệ Đảng;", "Các quy định trước đây trái với nội dung Quy định này đều bãi bỏ.",
                       "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương", "Lưu Văn phòng Trung ương Đảng"),
    "huongdan06.pdf": ("- Căn cứ Điều lệ Đảng;", "các cấp ủy báo cáo để Ban Bí thư xem xét, quyết định.",
                       "Các tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương", "Lưu Văn phòng Trung ương Đảng"),
    "huongdan38.pdf": ("Căn cứ Điều lệ Đảng, Quy định số 294-QĐ/TW", "các cấp ủy phản ảnh về Ban Tổ chức Trung ương"
                       " xem xét, hướng dẫn.", "Ban Bí thư (để báo cáo)", "Lưu VP, Vụ CSĐ, ĐV"),
    "HD_02_nghiepvu.pdf": ("- Căn cứ Điều lệ Đảng, Quy định số 294-QĐ/TW", "Hướng dẫn này được phổ biến đến chi bộ./.",
                           "Thường trực Thành ủy", "Lưu"),
    "huongdan21.pdf": ("Căn cứ Điều lệ Đảng Cộng sản Việt Nam;", "thông tin về Ban Tổ chức Thành ủy để bổ sung, "
                       "điều chỉnh cho phù hợp./.", "Thường trực Thành ủy (để báo cáo)", "Lưu VP, P.TCĐ-ĐV"),
}


@pytest.mark.parametrize("name", sorted(PDF_CASES))
def test_pdf_header_fields(name: str) -> None:
    _, header = _loaded(PARTY_PDF / name)
    got = {key: getattr(header.meta, key) for key in PDF_CASES[name]}
    assert got == PDF_CASES[name]


@pytest.mark.parametrize("name", sorted(PDF_LAYOUT))
def test_pdf_body_and_closing_blocks(name: str) -> None:
    text, header = _loaded(PARTY_PDF / name)
    body_head, last_sentence, first_recipient, last_recipient = PDF_LAYOUT[name]
    assert text[header.body_start :].startswith(body_head)
    assert not _touches_excluded(header, text, last_sentence)
    assert _excluded(header, text, "Nơi nhận:")
    assert _excluded(header, text, PDF_CASES[name]["signer"])
    assert header.meta.recipients[0] == first_recipient and header.meta.recipients[-1] == last_recipient
    assert header.excluded[-1][1] == len(text.rstrip()), "nothing after the signature"


def test_pdf_references_carry_type_and_date() -> None:
    refs = {r.number: r for r in _loaded(PARTY_PDF / "huongdan38.pdf")[1].meta.references}
    assert (refs["294-QĐ/TW"].doc_type, refs["294-QĐ/TW"].date) == ("Quy định", "2025-05-26")
    assert (refs["06-HD/TW"].doc_type, refs["06-HD/TW"].date) == ("Hướng dẫn", "2025-06-09")
    assert "38-HD/BTCTW" not in refs
    refs06 = {r.number: r for r in _loaded(PARTY_PDF / "huongdan06.pdf")[1].meta.references}
    assert refs06["01-HD/TW"].date == "2021-09-28"


def test_loader_fills_document_from_the_header() -> None:
    doc = _doc(PARTY_PDF / "huongdan06.pdf")
    header = parse_header(doc.text)
    assert doc.meta == header.meta and doc.body == (header.body_start, len(doc.text))
    # The closing blocks are split: recipients stay excluded, signature lines become meta spans.
    closing = sorted(doc.excluded + doc.meta_spans)
    assert closing[0][0] == header.excluded[0][0] and closing[-1][1] == header.excluded[-1][1]
    assert any("Trần Cẩm Tú" in doc.text[s:e] for s, e in doc.meta_spans)
    assert all("Trần Cẩm Tú" not in doc.text[s:e] for s, e in doc.excluded)


@pytest.mark.parametrize("name", sorted(PDF_CASES))
def test_raw_pypdf_text_gives_the_same_header(name: str) -> None:
    """Without unwrapping or running-line removal (watermark, page numbers, split columns)."""
    text = _raw_pdf(PARTY_PDF / name)
    header = parse_header(text)
    keys = ("doc_number", "doc_type", "issuer", "place", "date", "date_approx", "title", "signer", "supersedes")
    assert {k: getattr(header.meta, k) for k in keys} == {k: PDF_CASES[name][k] for k in keys}
    assert not _touches_excluded(header, text, PDF_LAYOUT[name][1])


# --- rules on small texts --------------------------------------------------------


def test_numbers_are_normalised_and_blank_numbers_are_none() -> None:
    assert normalize_number("38 - HD/BTCTW") == "38-HD/BTCTW"
    assert normalize_number("08 –HD/BTCTU") == "08-HD/BTCTU"
    blank = parse_header("THÀNH ỦY HÀ NỘI\nBAN TỔ CHỨC\nSố      - HD/BTCTU\nHà Nội, ngày   tháng 11 năm 2025\n"
                         "HƯỚNG DẪN\nNghiệp vụ\n-----\nNội dung.")
    assert (blank.meta.doc_number, blank.meta.doc_type, blank.meta.date_approx) == (None, "Hướng dẫn", "2025-11")


def test_two_header_cells_on_one_line() -> None:
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM\nBAN TỔ CHỨC Hà Nội, ngày 29 tháng 9 năm 2025\n"
            "Số 38 - HD/BTCTW\nHƯỚNG DẪN\nnghiệp vụ công tác đảng viên\n-----\nCăn cứ Điều lệ Đảng.")
    meta = parse_header(text).meta
    assert (meta.doc_number, meta.issuer, meta.place, meta.date) == (
        "38-HD/BTCTW", "Ban Tổ chức Trung ương", "Hà Nội", "2025-09-29")
    meta = parse_header("BAN CHẤP HÀNH TRUNG ƯƠNG\nSố 06-HD/TW Hà Nội, ngày 09 tháng 6 năm 2025\nHƯỚNG DẪN\n"
                        "MỘT SỐ VẤN ĐỀ\n- Căn cứ Điều lệ Đảng;").meta
    assert (meta.doc_number, meta.place, meta.date, meta.issuer) == (
        "06-HD/TW", "Hà Nội", "2025-06-09", "Ban Chấp hành Trung ương")


STATE_DOC = (
    "| CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |\n"
    "| Số: 123/2023/NĐ-CP | Hà Nội, ngày 05 tháng 5 năm 2023 |\n"
    "NGHỊ ĐỊNH\nQUY ĐỊNH CHI TIẾT MỘT SỐ ĐIỀU\n"
    "Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015; Luật Cán bộ, công chức số 22/2008/QH12;\n"
    "Điều 1. Phạm vi điều chỉnh\nNghị định này có hiệu lực từ ngày 01/7/2023 và thay thế Thông tư số "
    "01/2024/TT-BNV. Nghị quyết số 45/2019/QH14 hết hiệu lực kể từ ngày Nghị định này có hiệu lực.\n"
    "| Nơi nhận: - Ban Bí thư Trung ương Đảng; - Lưu: VT, KGVX (2b). | TM. CHÍNH PHỦ THỦ TƯỚNG Phạm Minh Chính |\n"
)


def test_state_document_numbers_and_table_header() -> None:
    text = STATE_DOC
    header = parse_header(text)
    meta = header.meta
    assert (meta.doc_number, meta.doc_type, meta.issuer, meta.date) == (
        "123/2023/NĐ-CP", "Nghị định", "Chính phủ", "2023-05-05")
    assert meta.title == "Quy định chi tiết một số điều"
    assert (meta.signer, meta.recipients) == ("Phạm Minh Chính", ("Ban Bí thư Trung ương Đảng", "Lưu: VT, KGVX (2b)"))
    assert meta.supersedes == ("01/2024/TT-BNV", "45/2019/QH14")
    numbers = [r.number for r in meta.references]
    assert numbers == ["22/2008/QH12", "01/2024/TT-BNV", "45/2019/QH14"]
    assert meta.references[0].doc_type == "Luật" and text[header.body_start :].startswith("Căn cứ Luật")
    assert _excluded(header, text, "Phạm Minh Chính") and not _touches_excluded(header, text, "hết hiệu lực")


def test_closing_blocks_do_not_swallow_body_lines() -> None:
    text = ("HƯỚNG DẪN\nvề thủ tục\n-----\nNơi nhận hồ sơ: Bộ phận một cửa của xã.\nNơi nhận: Văn phòng Thành ủy.\n"
            "Hướng dẫn này có hiệu lực từ ngày ký.\nNơi nhận:\n- Các xã,\n- Lưu VP.\nK/T TRƯỞNG BAN\n"
            "PHÓ TRƯỞNG BAN\nNguyễn Văn An\nPHỤ LỤC\nDANH SÁCH CÁC XÃ\n1. Xã A.")
    header = parse_header(text)
    assert (header.meta.signer, header.meta.recipients) == ("Nguyễn Văn An", ("Các xã", "Lưu VP"))
    assert header.meta.signer_capacity == "K/T TRƯỞNG BAN, PHÓ TRƯỞNG BAN"
    for body in ("Nơi nhận hồ sơ: Bộ phận một cửa", "Nơi nhận: Văn phòng Thành ủy.", "Hướng dẫn này có hiệu lực",
                 "PHỤ LỤC", "DANH SÁCH CÁC XÃ"):
        assert not _touches_excluded(header, text, body), body
    assert _excluded(header, text, "Nơi nhận:\n- Các xã,\n- Lưu VP.\nK/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn An")


def test_references_are_deduplicated_and_dated() -> None:
    text = ("Thực hiện Hướng dẫn 06-HD/TW, ngày 09-6-2025 của Ban Bí thư và Kết luận số 21-KL/TW, ngày 25/10/2021; "
            "theo Hướng dẫn số 06-HD/TW; Báo cáo số 110-BC/UBKTTW và Quyết định số 1147-QĐ/BTGDVTW, "
            "ngày 01 tháng 12 năm 2025; Hướng dẫn số 12- HD/BTCTW.")
    refs = extract_references(text)
    assert [(r.number, r.doc_type, r.date) for r in refs] == [
        ("06-HD/TW", "Hướng dẫn", "2025-06-09"),
        ("21-KL/TW", "Kết luận", "2021-10-25"),
        ("110-BC/UBKTTW", "Báo cáo", None),
        ("1147-QĐ/BTGDVTW", "Quyết định", "2025-12-01"),
        ("12-HD/BTCTW", "Hướng dẫn", None),
    ]
    assert text[refs[0].start : refs[0].end] == "Hướng dẫn 06-HD/TW, ngày 09-6-2025"


def test_names_in_capitals_get_their_usual_spelling() -> None:
    assert organ_name(["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC"]) == ("Trung ương", "Ban Tổ chức Trung ương")
    assert organ_name(["THÀNH ỦY HÀ NỘI", "BAN TỔ CHỨC"])[1] == "Ban Tổ chức Thành ủy Hà Nội"
    assert organ_name(["BAN CHẤP HÀNH", "TRUNG ƯƠNG", "VĂN PHÒNG"])[1] == "Văn phòng Trung ương Đảng"
    assert organ_name(["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"])[1] == "Bộ Lao động - Thương binh và Xã hội"
    assert organ_name(["ỦY BAN NHÂN DÂN TỈNH BẮC NINH"])[1] == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert organ_name(["UBND TỈNH QUẢNG NGÃI"])[1] == "UBND tỉnh Quảng Ngãi"  # was "Ubnd"
    assert organ_name(["SỞ GD-ĐT"])[1] == "Sở GD-ĐT"
    # CongBot's CV 2638/LĐTBXH-KHTC: the letterhead's letters spaced out ("Thương binh v à x ã hội" before)
    assert organ_name(["B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI"])[1] == "Bộ Lao động - Thương binh và Xã hội"
    assert sentence_case("VỀ PHÔNG LƯU TRỮ ĐẢNG CỘNG SẢN VIỆT NAM") == "Về phông lưu trữ Đảng Cộng sản Việt Nam"
    assert sentence_case("HƯỚNG DẪN THỰC HIỆN QUY ĐỊNH SỐ 377-QĐ/TW KHÓA XIII") == (
        "Hướng dẫn thực hiện Quy định số 377-QĐ/TW khóa XIII")
    assert sentence_case("KẾ HOẠCH THỰC HIỆN NGHỊ QUYẾT CỦA HĐND HUYỆN VỀ CCHC (GIAI ĐOẠN 2026-2030)") == (
        "Kế hoạch thực hiện nghị quyết của HĐND huyện về CCHC (giai đoạn 2026-2030)")  # was "hđnd", "cchc"


# --- sanity over other real documents --------------------------------------------


def _check_invariants(text: str, header: Header) -> None:
    assert 0 <= header.body_start <= len(text)
    previous = header.body_start
    for start, end in header.excluded:
        assert previous <= start < end <= len(text), (previous, start, end)
        previous = end
    for ref in header.meta.references:
        assert header.body_start <= ref.start < ref.end <= len(text)
    for name in (header.meta.issuer, header.meta.title):
        assert name is None or (name.strip() == name and not (len(name) > 12 and name.isupper()))


@pytest.mark.parametrize("path", TVPL_MD, ids=lambda p: p.name)
def test_markdown_documents_parse_sensibly(path: Path) -> None:
    text, header = _loaded(path)
    _check_invariants(text, header)
    if header.meta.doc_number:
        assert re.fullmatch(r"\d+-[A-ZĐ][A-Za-zĐ]*/[A-ZĐ]+", header.meta.doc_number)
    if header.meta.signer:  # the body above the closing block stays retrievable
        assert sum(b - a for a, b in header.excluded) < 0.2 * len(text)


def test_markdown_party_headers() -> None:
    _, header = _loaded(next(p for p in TVPL_MD if p.name.startswith("QD_383")))
    meta = header.meta
    assert (meta.doc_number, meta.doc_type, meta.issuer, meta.date, meta.signer) == (
        "383-QĐ/TW", "Quy định", "Ban Bí thư", "2025-11-19", "Trần Cẩm Tú")
    assert meta.title == "Về phông lưu trữ Đảng Cộng sản Việt Nam" and meta.supersedes == ("270-QĐ/TW",)
    text, header = _loaded(next(p for p in TVPL_MD if p.name.startswith("QD_1147")))
    assert header.meta.issuer == "Ban Tuyên giáo và Dân vận Trung ương"
    assert not _touches_excluded(header, text, "QUY CHẾ"), "the attached rules after the signature are body"


def _congbot_docs() -> dict[str, str]:
    docs: dict[str, list[str]] = {}
    for line in CONGBOT.read_text(encoding="utf-8").splitlines():
        chunk = json.loads(line)
        docs.setdefault(chunk["doc_id"], []).append(re.sub(r"^# .*\n", "", chunk["text"] or "", count=1))
    return {doc_id: "\n".join(parts) for doc_id, parts in docs.items()}


def _congbot_texts() -> list[str]:
    return list(_congbot_docs().values())


def test_a_signature_in_a_table_cell_beside_the_recipients() -> None:
    """Portal pages lay the closing out as a table: "| Nơi nhận: - …; - Lưu: VT | THỦ TƯỚNG Nguyễn Tấn Dũng |"."""
    docs = _congbot_docs()
    for doc_id in ("62_2011_QD_TTg", "22_2013_QĐ_TTg"):
        meta = parse_header(clean(docs[doc_id])).meta
        assert (meta.signer, meta.signer_capacity) == ("Nguyễn Tấn Dũng", "THỦ TƯỚNG")


def test_state_documents_parse_without_errors() -> None:
    texts = _congbot_texts()
    numbered = 0
    for raw in texts:
        text = clean(raw)
        header = parse_header(text)
        _check_invariants(text, header)
        numbered += header.meta.doc_number is not None
    assert len(texts) > 40 and numbered > 0.8 * len(texts)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "BAN CHẤP HÀNH TRUNG ƯƠNG", "*", "Số 12-KL/TW", "Hà Nội, ngày 1 tháng 2 năm 2024", "KẾT LUẬN", "-----",
    "Nơi nhận:", "- Lưu VP.", "T/M BAN BÍ THƯ", "Nguyễn Văn A", "SAO Y", "Số 3-SY/TU", "Nội dung văn bản.",
    "về việc", "", "| x |", "Kết luận số 5-KL/TW, ngày 1/1/2020 hết hiệu lực.",
]), max_size=25))
def test_any_arrangement_keeps_offsets_valid(lines: list[str]) -> None:
    text = "\n".join(lines)
    _check_invariants(text, parse_header(text))


def test_a_portal_title_line_above_the_header_is_no_anchor(tmp_path) -> None:
    """A portal export starts "# Thông tư số 101/2018/TT-BTC quy định …" above the header table ("| BỘ TÀI CHÍNH
    -------- | CỘNG HÒA … |", "| Số: 101/2018/TT-BTC | Hà Nội, ngày 14 tháng 11 năm 2018 |"): the header's own
    "Số:" line anchors it, so the organ above it is the issuer."""
    from tests.support import congbot_document

    meta = congbot_document("101_2018_TT_BTC", tmp_path).meta
    assert (meta.doc_type, meta.doc_number, meta.date) == ("Thông tư", "101/2018/TT-BTC", "2018-11-14")
    assert meta.issuer == "Bộ Tài chính"


def test_a_consolidated_text_is_a_van_ban_hop_nhat(tmp_path) -> None:
    """"Số: 4804/VBHN-BLĐTBXH" over "NGHỊ ĐỊNH / QUY ĐỊNH MỨC HƯỞNG TRỢ CẤP …": the Ministry's consolidated text of
    NĐ 75/2021, cited as a Văn bản hợp nhất, never as a Nghị định numbered 4804; a number without a year names its
    type when its first code is one ("1351/QĐ-UBND"), not when it is the issuer ("895/LĐTBXH-NCC")."""
    from indexer.references import type_code
    from tests.support import congbot_document

    meta = congbot_document("4804_2024_VBHN_BLĐTBXH", tmp_path).meta
    assert (meta.doc_type, meta.doc_number, meta.date) == ("Văn bản hợp nhất", "4804/VBHN-BLĐTBXH", "2024-10-04")
    assert (type_code("1351/QĐ-UBND"), type_code("895/LĐTBXH-NCC"), type_code("4804/VBHN-BLĐTBXH")) == (
        "QĐ", None, "VBHN")
