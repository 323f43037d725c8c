"""The eleven Markdown Party documents scraped from a legal site, read through markdown-it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.chunker import chunk_document
from indexer.loaders import load_document
from indexer.outline import parse_outline
from indexer.readers.boiler import is_boilerplate
from tests.support import SHARED

MD_DIR = SHARED / "data" / "party_docs" / "tvpl_md"
MD_FILES = sorted(MD_DIR.glob("*.md"))

# What each file itself states: (số hiệu, loại, ngày, cơ quan ban hành). News-article pages state no
# header: CT 45 names neither date nor issuer of its own; KL 155 names its bodies but no date.
EXPECTED = {
    "CT_45": ("45-CT/TW", "Chỉ thị", None, None),
    "HD_37": ("37-HD/BTGDVTW", "Hướng dẫn", "2025-11-19", "Ban Tuyên giáo và Dân vận Trung ương"),
    "HD_45": ("45-HD/BTCTW", "Hướng dẫn", "2025-11-21", "Ban Tổ chức Trung ương"),
    "KL_07": ("07-KL/VPTW", "Kết luận", "2025-12-01", "Văn phòng Trung ương Đảng"),
    "KL_155": ("155-KL/TW", "Kết luận", None, "Bộ Chính trị, Ban Bí thư"),
    "KL_219": ("219-KL/TW", "Kết luận", "2025-11-26", "Ban Chấp hành Trung ương"),
    "QD_1147": ("1147-QĐ/BTGDVTW", "Quyết định", "2025-12-01", "Ban Tuyên giáo và Dân vận Trung ương"),
    "QD_383": ("383-QĐ/TW", "Quy định", "2025-11-19", "Ban Bí thư"),
    "QD_384": ("384-QĐ/TW", "Quy định", "2025-11-19", "Ban Bí thư"),
    "TB_81": ("81-TB/TW", "Thông báo", "2025-07-18", "Ban chấp hành Trung ương"),
    "dieu_le": (None, "Điều lệ", "2011-01-19", "Đại hội đại biểu toàn quốc lần thứ XI"),
}
# A heading cut by a hard wrap ends on a word that cannot end a heading.
_CUT = re.compile(r"(?:\b(?:Về|về|của|và|các|với|trong|trước|cho|đối|theo|tại|số|ngày)|[(-])$")


def _key(path: Path) -> str:
    return next(k for k in EXPECTED if path.name.startswith(k + "_") or path.name.startswith(k))


def test_all_eleven_files_are_checked() -> None:
    assert len(MD_FILES) == 11 and sorted(_key(p) for p in MD_FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("path", MD_FILES, ids=lambda p: p.name[:20])
def test_markdown_reads_as_clean_running_text(path: Path) -> None:
    doc = load_document(path)
    assert doc.source_format == "md"
    chunks = chunk_document(doc)
    assert chunks
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert "**" not in chunk.text and "|" not in chunk.text and "__" not in chunk.text, chunk.text[:120]
        assert not [ln for ln in chunk.text.split("\n") if is_boilerplate(ln)], chunk.text[:120]
        assert "Link bài viết gốc" not in chunk.text and "Quý khách cần hỏi" not in chunk.text
    assert "vũ t rang" not in doc.text and "LUẬNCỦA" not in doc.text


@pytest.mark.parametrize("path", MD_FILES, ids=lambda p: p.name[:20])
def test_no_outline_heading_ends_mid_sentence(path: Path) -> None:
    nodes = parse_outline(load_document(path))
    parents = {n.parent for n in nodes}
    headings = [n.title.strip() for i, n in enumerate(nodes) if i in parents]
    assert headings or path.name.startswith(("KL_219", "TB_81", "CT_45"))
    assert not [h for h in headings if _CUT.search(h)]


@pytest.mark.parametrize("path", MD_FILES, ids=lambda p: p.name[:20])
def test_metadata_where_the_file_states_it(path: Path) -> None:
    meta = load_document(path).meta
    assert (meta.doc_number, meta.doc_type, meta.date, meta.issuer) == EXPECTED[_key(path)]


def test_wrapped_headings_and_glued_bold_runs_are_repaired() -> None:
    hd45 = load_document(MD_DIR / "HD_45-HD-BTCTW_2025__fe168907f6107711.md")
    lines = hd45.text.split("\n")
    assert "I. Về phân cấp quản lý cán bộ" in lines
    assert "3. Về phân cấp quản lý cán bộ trong lực lượng vũ trang:" in lines
    assert any(ln.startswith("1.1. Chịu trách nhiệm trước Bộ Chính trị, Ban Bí thư về") for ln in lines)
    assert lines[:3] == ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC", "ĐẢNG CỘNG SẢN VIỆT NAM"]
    kl155 = load_document(MD_DIR / "KL_155-KL-TW_2025_toanvan__9615b53de3e78142.md").text.split("\n")
    assert "KẾT LUẬN" in kl155 and "CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ" in kl155
    assert any(ln.startswith("1. Cơ bản thống nhất với Báo cáo") for ln in kl155)
    assert load_document(MD_DIR / "KL_07-KL-VPTW__6e4d7759e03163f7.md").meta.signer == "Lê Khánh Toàn"
    assert "Hà Nội, ngày 19 tháng 11 năm 2025" in load_document(MD_DIR / "QD_383-QD-TW_2025__056a116c77fe4047.md").text


def test_unwrapped_markdown_keeps_one_paragraph_per_line() -> None:
    """The Điều lệ page puts one paragraph per line with no blank line between: each line stays a paragraph."""
    lines = load_document(MD_DIR / "dieu_le_dang_khoa_XI__b5766b5f7caa1268.md").text.split("\n")
    assert sum(1 for ln in lines if ln.startswith("Điều ") and ln.rstrip(".").split()[1].isdigit()) == 48
    assert "Chương I" in lines and "Điều 1." in lines
    assert max(len(ln) for ln in lines) < 1000


def test_a_parenthesis_split_over_two_lines_is_one_line() -> None:
    """ "*(Đại hội … của Đảng*" / "*thông qua ngày 19 tháng 01 năm 2011)*" on two lines of the page."""
    lines = load_document(MD_DIR / "dieu_le_dang_khoa_XI__b5766b5f7caa1268.md").text.split("\n")
    assert "(Đại hội đại biểu toàn quốc lần thứ XI của Đảng thông qua ngày 19 tháng 01 năm 2011)" in lines


def test_markdown_lists_tables_and_headings(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("# Quy định\n\nĐảng viên **phải** gương\nmẫu.\n\n1. Nhiệm vụ một\n2. Nhiệm vụ hai\n\n"
                  "- Ban Tổ chức\n\n| STT | Nhiệm vụ | Chủ trì |\n|---|---|---|\n| 1 | Rà soát | Sở Nội vụ |\n",
                  encoding="utf-8")
    assert load_document(md).text.split("\n") == [
        "Quy định", "Đảng viên phải gương mẫu.", "1. Nhiệm vụ một", "2. Nhiệm vụ hai", "- Ban Tổ chức",
        "STT | Nhiệm vụ | Chủ trì", "1 | Rà soát | Sở Nội vụ",
    ]
