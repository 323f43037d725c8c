"""The seeds as offices send them: DOCX with Word numbering, .doc, Word .htm, a portal page.

The fixtures in tests/data/formats/ were made from corpus/ by tests/data/formats/make_fixtures.py
(committed, so that a test never depends on how LibreOffice happens to save today).
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

import pytest

from indexer.chunker import chunk_document
from indexer.errors import LoadError
from indexer.loaders import load_document
from indexer.models import Document
from indexer.outline import parse_outline
from indexer.readers.boiler import is_boilerplate
from tests.support import FAST_MODEL, KL54, ROOT, TB2018, make_settings

FORMATS = ROOT / "tests" / "data" / "formats"
SEEDS = {"kl54": KL54, "tb2018": TB2018}
VERSIONS = [(name, suffix) for name in SEEDS for suffix in (".docx", ".doc", ".htm", "-portal.html")]


@functools.cache
def _load(path: Path) -> Document:
    """Each fixture read once per session (a .doc costs a LibreOffice run); documents are frozen."""
    return load_document(path)


def _labels(path: Path) -> list[str]:
    return [n.marker for n in parse_outline(_load(path)) if n.kind != "paragraph"]


def _body(path: Path) -> list[str]:
    doc = _load(path)
    return [ln.replace("**", "") for ln in doc.text[doc.body[0]:].split("\n") if ln.strip("* ")]


@pytest.mark.parametrize(("name", "suffix"), VERSIONS, ids=lambda v: str(v))
def test_each_format_reads_like_the_text_seed(name: str, suffix: str) -> None:
    path, seed = FORMATS / f"{name}{suffix}", SEEDS[name]
    doc, txt = _load(path), _load(seed)
    assert doc.meta.doc_number == txt.meta.doc_number and doc.meta.doc_type == txt.meta.doc_type
    assert doc.meta.date == txt.meta.date and doc.meta.issuer == txt.meta.issuer
    assert doc.meta.signer == txt.meta.signer and doc.meta.title == txt.meta.title
    assert _labels(path) == _labels(seed)
    assert _body(path) == _body(seed)
    chunks, seed_chunks = chunk_document(doc), chunk_document(txt)
    assert [c.section for c in chunks] == [c.section for c in seed_chunks]
    for chunk in chunks:
        assert doc.text[chunk.start:chunk.end] == chunk.text
        assert not [ln for ln in chunk.text.split("\n") if is_boilerplate(ln)], chunk.text[:100]


def test_docx_numbering_is_words_not_text() -> None:
    """The fixture really uses Word numbering: the markers are in numbering.xml, not in the paragraphs."""
    with zipfile.ZipFile(FORMATS / "tb2018.docx") as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        numbering = zf.read("word/numbering.xml").decode("utf-8")
    assert body.count("<w:numPr>") > 20 and '<w:lvlText w:val="%2)"/>' in numbering
    assert ">1. Những kết quả" not in body and ">Những kết quả đạt được<" in body
    text = load_document(FORMATS / "tb2018.docx").text.split("\n")
    assert "1. Những kết quả đạt được" in text and "3. Nhiệm vụ thời gian tới" in text
    assert any(ln.startswith("+ Phối hợp với Ban cán sự đảng Chính phủ") for ln in text)
    assert "Trang 1" not in text  # the page footer is not body text


def test_word_htm_is_windows_1252_with_entities() -> None:
    data = (FORMATS / "kl54.htm").read_bytes()
    assert b"charset=windows-1252" in data and b"&#7871;" in data and b"mso-list:Ignore" in data
    doc = load_document(FORMATS / "kl54.htm")
    assert doc.source_format == "html-word" and doc.encoding == "cp1252"
    assert "chỉnh đốn Đảng" in doc.text and "&#" not in doc.text and "\ufffd" not in doc.text


def test_portal_page_keeps_only_the_document() -> None:
    doc = load_document(FORMATS / "kl54-portal.html")
    for chrome in ("Trang chủ", "Tin tức", "Bản quyền", "Văn bản liên quan", "gtag", "CỔNG THÔNG TIN", "Chi tiết"):
        assert chrome not in doc.text, chrome
    assert doc.text.split("\n")[0] == "BAN CHẤP HÀNH TRUNG ƯƠNG"


def test_doc_without_libreoffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.readers.doc as doc_reader

    monkeypatch.setattr(doc_reader, "find_soffice", lambda: None)
    with pytest.raises(LoadError) as info:
        load_document(FORMATS / "kl54.doc")
    assert info.value.reason == "converter_missing" and "libreoffice" in str(info.value)
    assert "kl54.doc" in str(info.value) and "Hãy" in str(info.value)


def test_corrupt_doc_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "hong.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(LoadError) as info:
        load_document(bad)
    assert info.value.reason == "corrupt_doc" and "hong.doc" in str(info.value)


def test_doc_and_word_htm_indexed_end_to_end(tmp_path: Path) -> None:
    from indexer.build import build_index
    from indexer.catalog import Catalog
    from indexer.store import current_generation

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("kl54.doc", "tb2018.htm"):
        (folder / name).write_bytes((FORMATS / name).read_bytes())
    settings = make_settings(tmp_path / "index", model=FAST_MODEL)
    build_index([folder], settings)
    root = Path(settings.index)
    catalog = Catalog.read_only(root / current_generation(root) / "catalog.sqlite")
    docs = {Path(d.path).name: d for d in catalog.documents()}
    assert set(docs) == {"kl54.doc", "tb2018.htm"}
    assert docs["kl54.doc"].meta.doc_number == "54-KL/TW" and docs["kl54.doc"].source_format == "doc"
    assert docs["tb2018.htm"].meta.date == "2018-04-27"


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: precomposed base letter, combining tone mark."""
    import unicodedata

    out = bytearray()
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(m for m in parts if m in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(m for m in parts if m not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(("declared", "codec"), [("windows-1252", "utf-8"), ("windows-1258", "cp1258"),
                                                 ("utf-8", "utf-8")])
def test_html_charset_declared_or_sniffed(tmp_path: Path, declared: str, codec: str) -> None:
    text = "Ủy ban Kiểm tra Trung ương chỉ đạo kiểm tra việc thực hiện Nghị quyết; đảng viên gương mẫu."
    page = f'<html><head><meta charset="{declared}"></head><body><p>{text}</p></body></html>'
    path = tmp_path / "a.html"
    path.write_bytes(_cp1258(page) if codec == "cp1258" else page.encode(codec))  # misdeclared UTF-8 is UTF-8
    doc = load_document(path)
    assert doc.text == text and doc.encoding == codec


def test_tcvn3_page_declared_western_and_aspnet_form(tmp_path: Path) -> None:
    from indexer.legacy import encode_legacy

    text = "Ban Thường vụ Tỉnh ủy yêu cầu các cấp ủy tổ chức quán triệt nghiêm túc nội dung kết luận này."
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>'
            '<form id="aspnetForm"><div class="main-menu">Trang chủ | Văn bản | Tin tức</div>'
            f'<div class="content"><p>{text}</p></div></form></body></html>')
    path = tmp_path / "tinh-uy.htm"
    path.write_bytes(encode_legacy(page, "TCVN3"))  # the whole page typed in .VnTime
    doc = load_document(path)
    assert doc.text == text and doc.encoding == "TCVN3"


def test_doc_conversion_past_its_time_limit_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    import indexer.readers.doc as doc_reader

    monkeypatch.setattr(doc_reader, "TIMEOUT_S", 0.05)
    with pytest.raises(LoadError) as info:
        load_document(FORMATS / "kl54.doc")
    assert info.value.reason == "convert_timeout" and "kl54.doc" in str(info.value) and "Hãy" in str(info.value)
