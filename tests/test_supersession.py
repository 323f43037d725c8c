"""indexer.supersession: the whole documents a document replaces, repeals or ends, on real sentences (CongBot's
NĐ 63/2010/NĐ-CP and VBHN 836/2024, the Luật Bảo vệ môi trường 2020 in ALQAC) and real CongBot documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.supersession import extract_supersedes, supersession_sentence
from tests.support import congbot_document


def test_supersedes_needs_this_document() -> None:
    assert extract_supersedes("Hướng dẫn này thay thế Hướng dẫn số 12-HD/BTCTW, ngày 18-01-2022.") == ("12-HD/BTCTW",)
    assert extract_supersedes("Chỉ thị này thay thế Chỉ thị số 35-CT/TW; Kết luận số 118-KL/TW.") == (
        "35-CT/TW", "118-KL/TW")
    assert extract_supersedes("Quyết định này bãi bỏ Quyết định số 99-QĐ/TW.") == ("99-QĐ/TW",)
    assert extract_supersedes("Quyết định số 29-QĐ/TW đã thay thế Quyết định số 12-QĐ/TW.") == ()


@pytest.mark.parametrize("sentence", [
    # NĐ 63/2010/NĐ-CP, Điều 36: one article of QĐ 1699 is repealed, the decision stays in force
    "Bãi bỏ quy định tại Điều 2 của Quyết định số 1699/QĐ-TTg ngày 20 tháng 10 năm 2009 của Thủ tướng Chính phủ về "
    "việc thiết lập Cơ sở dữ liệu quốc gia về thủ tục hành chính kể từ thời điểm Nghị định này có hiệu lực thi hành.",
    # VBHN 836/2024: a footnote names the amending circular, not a replaced one
    "Mẫu này được bãi bỏ theo quy định tại khoản 2 Điều 2 của Thông tư số 08/2023/TT-BLĐTBXH ngày 29 tháng 8 năm "
    "2023 của Bộ trưởng Bộ Lao động – Thương binh và Xã hội.",
    "Thông tư này bãi bỏ khoản 3, điểm a khoản 4 Điều 5 của Thông tư số 47/2009/TTLT-BTC-BLĐTBXH.",
    "Khoản 2 Điều 3 Quyết định số 110/2005/QĐ-UBND hết hiệu lực kể từ ngày Quyết định này có hiệu lực.",
])
def test_a_part_repealed_is_not_a_document_replaced(sentence: str) -> None:
    assert extract_supersedes(sentence) == ()
    assert supersession_sentence(sentence) is None


def test_the_laws_that_amended_it_are_not_replaced() -> None:
    """Luật Bảo vệ môi trường 2020, Điều 170: the old law ends; the laws that amended it are named, not ended."""
    text = ("3. Luật Bảo vệ môi trường số 55/2014/QH13 đã được sửa đổi, bổ sung một số điều theo Luật số 35/2018/QH14, "
            "Luật số 39/2019/QH14 và Luật số 61/2020/QH14 hết hiệu lực kể từ ngày Luật này có hiệu lực thi hành.")
    assert extract_supersedes(text) == ("55/2014/QH13",)


def test_a_list_keeps_every_whole_document_after_a_part() -> None:
    text = ("Quyết định này bãi bỏ Điều 4 của Quyết định số 25/2005/QĐ-UB; Quyết định số 32/2005/QĐ-UB và Quyết định "
            "số 57/2005/QĐ-UB.")
    assert extract_supersedes(text) == ("32/2005/QĐ-UB", "57/2005/QĐ-UB")
    start, end = supersession_sentence(text)
    assert text[start:end] == text


def test_real_documents(tmp_path: Path) -> None:
    got = {name: congbot_document(name, tmp_path).meta.supersedes for name in
           ("63_2010_NĐ_CP", "836_2024_VBHN_BLDTBXH", "12_2012_QĐ_UBND", "40_2011_QD_TTg")}
    assert got == {"63_2010_NĐ_CP": (), "836_2024_VBHN_BLDTBXH": (),
                   "12_2012_QĐ_UBND": ("110/2005/QĐ-UBND", "42/2007/QĐ-UBND"), "40_2011_QD_TTg": ("104/1999/QĐ-TTg",)}
