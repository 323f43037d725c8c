"""DOCX details Word produces: numbering by style, number formats, text boxes, headers and footers, tab columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.loaders import load_document
from indexer.readers.numbering import format_number
from tests.support import ROOT

FORMATS = ROOT / "tests" / "data" / "formats"
_TEXTBOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
    "<wps:wsp><wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
    "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape>"
    "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
)


@pytest.mark.parametrize(("value", "fmt", "label"), [
    (4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"), (1999, "upperRoman", "MCMXCIX"), (2, "lowerLetter", "b"),
    (27, "lowerLetter", "aa"), (3, "upperLetter", "C"), (7, "decimalZero", "07"), (12, "decimal", "12"),
])
def test_word_number_formats(value: int, fmt: str, label: str) -> None:
    assert format_number(value, fmt) == label


def test_text_box_style_numbering_and_tab_columns(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    d = docx.Document()
    anchor = d.add_paragraph("ỦY BAN NHÂN DÂN TỈNH BẮC KẠN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    header = ("Số: 12/CT-UBND", "Bắc Kạn, ngày 3 tháng 5 năm 2024")
    paras = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in header)
    anchor._p.append(parse_xml(_TEXTBOX.format(paras=paras)))
    d.add_paragraph("CHỈ THỊ")
    for text in ("Sở Nội vụ chủ trì rà soát.", "Sở Tài chính bảo đảm kinh phí.", "Các huyện tổ chức thực hiện."):
        d.add_paragraph(text, style="List Number")
    d.add_paragraph("Đảng viên gương mẫu.", style="List Bullet")
    d.sections[0].header.paragraphs[0].text = "Dự thảo lần 2 - Lưu hành nội bộ"
    path = tmp_path / "ct.docx"
    d.save(path)
    lines = load_document(path).text.split("\n")
    assert lines.count("Số: 12/CT-UBND") == 1, "the text box is read once (not again from its VML fallback)"
    assert lines[:4] == ["Số: 12/CT-UBND", "Bắc Kạn, ngày 3 tháng 5 năm 2024", "ỦY BAN NHÂN DÂN TỈNH BẮC KẠN",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert lines[5:8] == ["1. Sở Nội vụ chủ trì rà soát.", "2. Sở Tài chính bảo đảm kinh phí.",
                          "3. Các huyện tổ chức thực hiện."]
    assert lines[8] == "• Đảng viên gương mẫu."
    assert not [ln for ln in lines if "Dự thảo lần 2" in ln], "page headers stay out of the body"
    meta = load_document(path).meta
    assert (meta.doc_number, meta.date) == ("12/CT-UBND", "2024-05-03")


def test_word_html_saved_with_a_doc_suffix_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "ke-hoach.doc"
    path.write_bytes((FORMATS / "kl54.htm").read_bytes())
    doc = load_document(path)
    assert doc.source_format == "html-word" and doc.meta.doc_number == "54-KL/TW"


def test_tracked_changes_content_controls_and_hyperlinks(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    para = d.add_paragraph("Giao Sở Nội vụ ")
    para._p.append(parse_xml(f'<w:ins {ns} w:id="1" w:author="A"><w:r><w:t>chủ trì</w:t></w:r></w:ins>'))
    para._p.append(parse_xml(f'<w:del {ns} w:id="2" w:author="A"><w:r><w:delText>phối hợp</w:delText></w:r></w:del>'))
    para._p.append(parse_xml(f'<w:hyperlink {ns}><w:r><w:t>, báo cáo trước ngày 30/6.</w:t></w:r></w:hyperlink>'))
    d.element.body.insert(0, parse_xml(
        f'<w:sdt {ns}><w:sdtContent><w:p><w:r><w:t>Số: 15/KH-UBND</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    path = tmp_path / "kh.docx"
    d.save(path)
    lines = load_document(path).text.split("\n")
    assert lines == ["Số: 15/KH-UBND", "Giao Sở Nội vụ chủ trì, báo cáo trước ngày 30/6."]
