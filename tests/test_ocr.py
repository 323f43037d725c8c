"""OCR of page images: clean-up, recognition quality on a degraded page, orientation, cache, page images
as documents, and the Vietnamese messages for bad input or a missing Tesseract."""

from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from indexer.errors import LoadError
from indexer.loaders import load_document, load_folder
from indexer.readers import ocr
from indexer.readers.ocr import OcrConfig, PageSource, recognise, recognise_image
from indexer.readers.ocr_clean import grey_without_ink
from indexer.readers.ocr_lines import blank_unsure_fields, build_lines, fix_line, join_words, number_cell
from indexer.readers.textlayer import is_syllable, usable
from tests.scans import cer, degrade, render
from tests.support import KL54, TB2018

# A short passage: one page is recognised in a few seconds.
PASSAGE = "\n".join(KL54.read_text(encoding="utf-8").split("\n")[18:21])[:900]


@pytest.fixture(scope="module")
def page_png(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A 200 dpi scan of PASSAGE: tilted, blurred, speckled, a red stamp over its last lines."""
    scan = degrade(render(PASSAGE, 200), seed=3)
    path = tmp_path_factory.mktemp("scan") / "trang.png"
    scan.pages[0].save(path)
    return path, scan.truth[0]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ocr-cache") / "ocr.sqlite"


def test_red_and_blue_ink_is_removed_black_text_kept() -> None:
    image = Image.new("RGB", (60, 20), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 19, 19), fill=(20, 20, 30))  # black text, a slightly blue dark core
    draw.rectangle((20, 0, 39, 19), fill=(210, 35, 40))  # red stamp
    draw.rectangle((40, 0, 59, 19), fill=(30, 45, 150))  # blue signature
    grey = grey_without_ink(image)
    assert grey.getpixel((10, 10)) < 60
    assert grey.getpixel((30, 10)) == 255 and grey.getpixel((50, 10)) == 255


def test_degraded_page_is_read_with_few_errors(page_png: tuple[Path, str]) -> None:
    path, truth = page_png
    page = recognise_image(Image.open(path))
    assert cer("\n".join(page.lines), truth) <= 0.02
    assert page.confidence > 85 and page.geometry.rotate == 0
    assert all(w[3] > 0 and w[4] > 0 for w in page.words)  # word boxes kept


def test_upside_down_page_is_turned(page_png: tuple[Path, str]) -> None:
    path, truth = page_png
    page = recognise_image(Image.open(path).rotate(180))
    assert page.geometry.rotate == 180
    assert cer("\n".join(page.lines), truth) <= 0.02


def test_image_file_is_a_paged_document_and_reindexing_reads_the_cache(
    page_png, shared_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = page_png
    config = OcrConfig(cache=shared_cache)
    doc = load_document(path, ocr=config)
    assert doc.source_format == "image" and doc.pages == 1 and doc.page_at(len(doc.text) - 1) == 1
    assert "Quyết định số 99-QĐ/TW" in doc.text and any("OCR" in n for n in doc.notes)
    renamed = tmp_path / "ban-sao.png"
    shutil.copy(path, renamed)
    monkeypatch.setattr(ocr, "_run_checked", _no_ocr)  # same bytes, another name: read from the cache
    again = load_document(renamed, ocr=config)
    assert again.text == doc.text


def _no_ocr(*args: object) -> None:
    raise AssertionError("the page was recognised again instead of read from the OCR cache")


def test_photo_without_text_is_refused_by_name(tmp_path: Path) -> None:
    rng = random.Random(5)
    photo = Image.new("RGB", (900, 600), (90, 140, 200))
    draw = ImageDraw.Draw(photo)
    for _ in range(40):
        x, y, r = rng.randrange(900), rng.randrange(600), rng.randrange(10, 90)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    path = tmp_path / "anh-chup.jpg"
    photo.save(path, quality=85)
    with pytest.raises(LoadError) as err:
        load_document(path, ocr=OcrConfig(cache=tmp_path / "ocr.sqlite"))
    assert err.value.reason == "no_text" and "anh-chup.jpg" in str(err.value)


@pytest.mark.parametrize(("name", "data", "reason", "words"), [
    ("rong.png", b"", "empty", "rỗng (0 byte)"),
    ("hong.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "corrupt_image", "bị hỏng"),
    ("gia.jpg", "Đây là văn bản, không phải ảnh.".encode(), "wrong_type", "không phải JPG"),
])
def test_bad_images_are_refused_with_the_file_name(tmp_path: Path, name, data, reason, words) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load_document(path)
    assert err.value.reason == reason and name in str(err.value) and words in str(err.value)


def test_missing_tesseract_names_the_package_and_the_folder_still_loads(
    page_png, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytesseract

    shutil.copy(page_png[0], tmp_path / "scan.png")
    shutil.copy(TB2018, tmp_path / TB2018.name)
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "khong-co-tesseract"))
    result = load_folder(tmp_path, ocr=OcrConfig(cache=None))
    assert [Path(d.path).name for d in result.documents] == [TB2018.name]
    (failure,) = result.failures
    assert failure.reason == "ocr_missing" and "scan.png" in str(failure) and "tesseract-ocr-vie" in str(failure)


def test_missing_language_data_names_its_package(page_png) -> None:
    data = page_png[0].read_bytes()
    with pytest.raises(LoadError) as err:
        recognise(page_png[0], data, [PageSource("image", 0)], OcrConfig(lang="vie+xyz"))
    assert "tesseract-ocr-xyz" in str(err.value)


def test_text_layer_judge() -> None:
    assert usable(KL54.read_text(encoding="utf-8"))
    mojibake = "Uû ban nh©n d©n tØnh Qu¶ng Ng·i ChØ thÞ vÒ viÖc t¨ng c­êng c«ng t¸c thi hµnh ¸n " * 8
    assert not usable(mojibake)
    stamp = ("Người ký: ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI\nEmail: ubnd@quangngai.gov.vn\n"
             "Cơ quan: Tỉnh Quảng Ngãi\nThời gian ký: 13.05.2025 15:40:52 +07:00")
    assert not usable(stamp)
    assert not usable("Tnrng thdi gian qua, cbng tac trien khai thl hanh Luat to tung hanh chlnh " * 6)
    assert is_syllable("nghiêng") and is_syllable("Quảng") and not is_syllable("thdi")


def test_lines_split_at_column_gaps_and_header_fields_repaired() -> None:
    def word(text: str, left: int, conf: float = 95.0) -> tuple:
        return (text, left, 0, 20 * len(text), 30, conf, 0)

    rows = [((1, 1, 1), word("ỦY", 100)), ((1, 1, 1), word("BAN", 170)), ((1, 1, 1), word("CỘNG", 1200)),
            ((1, 1, 2), word("TỈNH", 100)), ((2, 1, 1), word("Trong", 150)), ((2, 1, 1), word("năm", 270))]
    lines, starts, words = build_lines(rows, 2400)
    assert lines == ["ỦY BAN", "CỘNG", "TỈNH", "", "Trong năm"]
    assert starts == [None, True, None, None, True] and words[2][6] == 1  # a page may begin mid-paragraph
    assert join_words(["số", "54-", "KL/TW,"]) == "số 54-KL/TW,"
    assert fix_line("Số.2230/QĐ-TTg") == "Số: 2230/QĐ-TTg"
    assert fix_line("Hà Nội, ngày30 thắng 4 năm 2026") == "Hà Nội, ngày 30 tháng 4 năm 2026"
    assert [fix_line(t) for t in ("THÔNG BẢO", "CHỈ THI", "Thông bảo", "CỘNG HÒA")] == [
        "THÔNG BÁO", "CHỈ THỊ", "Thông bảo", "CỘNG HÒA"]  # a type line is one of a closed set
    assert fix_line("ø) Củng cố, kiện toàn") == "g) Củng cố, kiện toàn"  # the marker g) as Tesseract reads it
    assert fix_line("Tỉ lệ ø) không đổi") == "Tỉ lệ ø) không đổi"
    unsure = [("Số:", 0, 0, 1, 1, 95.0, 0), ("6#", 0, 0, 1, 1, 50.0, 0), ("/TTg-CĐS", 0, 0, 1, 1, 90.0, 0)]
    assert join_words([w[0] for w in blank_unsure_fields(unsure)]) == "Số: /TTg-CĐS"
    date = [(t, 0, 0, 1, 1, c, 0) for t, c in (("Quảng", 95.0), ("Ngãi,", 95.0), ("ngày", 90.0), ("2", 0.0),
                                                ("tháng", 95.0), ("3", 95.0), ("năm", 95.0), ("2018", 96.0))]
    assert join_words([w[0] for w in blank_unsure_fields(date)]) == "Quảng Ngãi, ngày … tháng 3 năm 2018"
    body = [(t, 0, 0, 1, 1, 60.0, 0) for t in ("Luật", "Đường", "sắt", "ngày", "16", "tháng", "6")]
    assert blank_unsure_fields(body) == body  # a date in the text is never touched


def test_number_cell_crossed_by_a_stamp_frame_keeps_its_code_and_drops_the_unsure_number() -> None:
    crossed = ("“——————S6-437/TB-VPCP", 51, 433, 868, 59, 0.0, 3)
    rows = [((1, 1, 1), ("VĂN", 100, 0, 80, 30, 95.0, 0)), ((1, 1, 2), crossed)]
    lines, _, _ = build_lines(rows, 2400)
    assert lines == ["VĂN", "Số: /TB-VPCP"]  # without the rescue the whole line was dropped as stamp noise
    assert number_cell([("Ngày:06/10/2025", 0, 0, 1, 1, 0.0, 0)]) is None
    assert number_cell([("S6-437/TB-VPCP", 0, 0, 1, 1, 95.0, 0)]) is None  # a sure word is the parser's


def test_page_image_with_highlights_marks_the_quote(page_png, shared_cache: Path) -> None:
    from indexer.highlight import page_image_with_highlights

    path, _ = page_png
    config = OcrConfig(cache=shared_cache)
    load_document(path, ocr=config)
    plain = Image.open(io.BytesIO(page_image_with_highlights(path, 1, [], config.cache)))
    marked = Image.open(io.BytesIO(page_image_with_highlights(path, 1, ["Quyết định số 99-QĐ/TW"], config.cache)))
    rgb = np.asarray(marked.convert("RGB")).astype(int)
    yellow = (rgb[..., 0] > 200) & (rgb[..., 1] > 180) & (rgb[..., 2] < 150)
    assert plain.size == marked.size and yellow.sum() > 500
