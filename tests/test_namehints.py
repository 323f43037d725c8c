"""A scan's handwritten number and day taken from its file name only where the page confirms the rest
(``indexer/namehints.py``)."""

from __future__ import annotations

import pytest

from indexer.models import Metadata
from indexer.namehints import complete_from_name

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH QUẢNG NGÃI\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
          "Số: /TB-UBND\nQuảng Ngãi, ngày … tháng 12 năm 2024\nTHÔNG BẢO\n")
BLANK = Metadata(issuer="Ủy ban nhân dân tỉnh Quảng Ngãi", date_approx="2024-12")
NAME = "UBND-QuangNgai_TB-660-TB-UBND_2024-12-31_ket-luan_scan.pdf"


def test_number_and_day_confirmed_by_the_page_are_filled_and_noted() -> None:
    meta, notes = complete_from_name(BLANK, HEADER, NAME)
    assert (meta.doc_number, meta.doc_type, meta.date, meta.date_approx) == (
        "660/TB-UBND", "Thông báo", "2024-12-31", None)
    assert len(notes) == 2 and "660/TB-UBND" in notes[0] and "31/12/2024" in notes[1]


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("scan0001.pdf", "the name says nothing"),
        ("UBND-QuangNgai_CT-660-CT-UBND_2024-11-30.pdf", "another code and another month"),
        ("660-TB-UBND_661-TB-UBND_2024-12-31_2024-12-30.pdf", "two candidates: none chosen"),
        ("TB-660-TB-UBNDX_2024-12-32.pdf", "a longer code and no such day"),
    ],
)
def test_a_name_the_page_does_not_confirm_fills_nothing(name: str, why: str) -> None:
    assert complete_from_name(BLANK, HEADER, name) == (BLANK, ()), why


def test_fields_the_page_gives_are_never_replaced() -> None:
    read = Metadata(doc_number="04/CT-UBND", date="2024-03-15")
    assert complete_from_name(read, HEADER, "CT-07-CT-UBND_2018-03-20.pdf") == (read, ())


def test_stray_digits_must_belong_to_the_name_number_and_diacritics_are_aside() -> None:
    header = "Số: /2/UBND- KSTTHC\nPhú Thọ, ngày tháng 12 năm 2011\n"
    meta, _ = complete_from_name(Metadata(), header, "UBND-PhuTho_CV-4532-UBND-KSTTHC_2011-12-07.pdf")
    assert meta.doc_number == "4532/UBND-KSTTHC"
    meta, _ = complete_from_name(Metadata(), "Số: /9/UBND-KSTTHC\n", "CV-4532-UBND-KSTTHC.pdf")
    assert meta.doc_number is None
    meta, _ = complete_from_name(Metadata(), "Số: /TTg-CĐS\n", "TTg_CV-464-TTg-CDS_2026-04-30.pdf")
    assert meta.doc_number == "464/TTg-CĐS"


def test_typed_documents_keep_what_they_say(tmp_path) -> None:
    """Only a recognised (scanned) first page is completed: a typed document with a blank number is a draft
    or an unnumbered plan, and its name is not evidence."""
    from indexer.loaders import load_document

    path = tmp_path / NAME.replace("_scan.pdf", ".txt")
    path.write_text(HEADER + "Kết luận của Chủ tịch Ủy ban nhân dân tỉnh về việc xóa nhà tạm trên địa bàn.\n",
                    encoding="utf-8")
    meta = load_document(path).meta
    assert meta.doc_number is None and meta.date is None and meta.date_approx == "2024-12"
