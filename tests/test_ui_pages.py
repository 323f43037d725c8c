"""Scanned directives in the web app: an upload reports its OCR page by page, and a citation from a scanned page
opens the image of that page with the quoted lines highlighted ("Xem trong văn bản gốc").

The scan is a real image-only PDF of two pages (DejaVu text rendered at 200 dpi); the fast tests recognise it
with Tesseract into a fresh OCR cache, the browser test (slow) serves the app with it in the corpus.
"""

from __future__ import annotations

import base64
import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from PIL import Image

from tests.scans import render
from tests.support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, CORPUS, FAST_MODEL, TB2018, make_settings, serve_app

PAGE_1 = ("BAN THƯỜNG VỤ TỈNH ỦY\n*\nSố 77-TB/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nam, ngày 12 tháng 3 năm 2024\n\n"
          "THÔNG BÁO\nkết luận về công tác trồng cây xanh\n\n"
          "1. Các chi bộ khu dân cư tổ chức trồng cây xanh dọc các tuyến đường liên thôn, bảo đảm mỗi hộ gia đình "
          "chăm sóc ít nhất hai cây.")
PAGE_2 = ("2. Ủy ban Mặt trận Tổ quốc tỉnh chủ trì, phối hợp với Đoàn Thanh niên tổ chức phong trào thu gom rác "
          "thải nhựa ở các bến sông, báo cáo kết quả trước ngày 30 tháng 6 năm 2024.\n\n"
          "T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nNguyễn Văn An")
PAGE_IMAGE = ("BAN THƯỜNG VỤ TỈNH ỦY\n*\nSố 78-TB/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nam, ngày 14 tháng 3 năm 2024\n\n"
              "THÔNG BÁO\nkết luận về công tác thủy lợi\n\n1. Các xã ra quân khơi thông dòng chảy các kênh mương "
              "nội đồng trước mùa mưa lũ, báo cáo kết quả trước ngày 15 tháng 5 năm 2024.")
QUERY = "thu gom rác thải nhựa ở các bến sông"
PASSWORD = "mật-khẩu"
CAPTION = "Trang 2 của bản gốc — các dòng được trích được tô màu"


def scanned_pdf(path: Path) -> Path:
    """PAGE_1 and PAGE_2 as an image-only PDF, byte for byte the same on every run (the OCR cache keys by
    content)."""
    pages = [render(text, 200).pages[0].convert("RGB") for text in (PAGE_1, PAGE_2)]
    buf, when = io.BytesIO(), time.gmtime(1710201600)
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=200.0, creationDate=when,
                  modDate=when)
    path.write_bytes(buf.getvalue())
    return path


def yellow_pixels(png: bytes) -> int:
    """Pixels of the highlight colour (the yellow fill laid over black text on white)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(((rgb[..., 0] > 200) & (rgb[..., 1] > 180) & (rgb[..., 2] < 150)).sum())


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """A service over the seed TB2018 (a text file) with the scan uploaded; the progress reports it made."""
    from assistant.service import Service
    from indexer.build import build_index

    tmp_path = tmp_path_factory.mktemp("scan-upload")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(TB2018, corpus / TB2018.name)
    settings = make_settings(tmp_path / "index", corpus=corpus, admin_password=PASSWORD, model=FAST_MODEL,
                             ocr_cache=tmp_path / "ocr.sqlite")  # a cold cache: both pages are recognised
    build_index([corpus], settings)
    svc = Service(settings)
    reports: list[tuple[float, str]] = []
    outcome = svc.ingest(scanned_pdf(tmp_path / "thong-bao-77.pdf"), PASSWORD, lambda f, m: reports.append((f, m)))
    assert outcome.ok, outcome.message
    return svc, outcome.doc_id, reports


def test_upload_of_a_scan_reports_each_page_recognised(uploaded: tuple) -> None:
    svc, doc_id, reports = uploaded
    messages = [m for _, m in reports]
    assert [m for m in messages if m.startswith("Nhận dạng chữ")] == ["Nhận dạng chữ trang 1/2 …",
                                                                       "Nhận dạng chữ trang 2/2 …"]
    fractions = [f for f, _ in reports]
    assert fractions == sorted(fractions) and fractions[0] > 0 and fractions[-1] < 1
    assert messages[-1].startswith("Đang lập chỉ mục")
    view = svc.document(doc_id)
    assert view is not None and len(view.page_starts) == 2


def test_citation_from_a_scanned_page_has_its_page_image_highlighted(uploaded: tuple) -> None:
    svc, doc_id, _ = uploaded
    hit = next(c for c in svc.search(QUERY) if c.doc_id == doc_id)
    assert hit.page == 2 and "rác" in hit.quote
    shown = svc.page_image(doc_id, hit.start, hit.end)
    assert shown is not None and shown.page == 2 and shown.focus is not None
    image = Image.open(io.BytesIO(shown.png))
    assert image.format == "PNG" and image.width >= 1000 and image.height > image.width
    assert yellow_pixels(shown.png) > 5000  # the quoted lines are covered
    assert svc.page_image(doc_id, hit.start, hit.end) is shown  # drawn once, then kept
    text_doc = next(r.doc_id for r in svc.documents() if r.doc_id != doc_id)
    assert svc.page_image(text_doc, 0, 40) is None  # a text file has no page to show


def test_viewer_shows_the_text_at_once_then_the_page_image(uploaded: tuple) -> None:
    from webui.handlers import Handlers

    svc, doc_id, _ = uploaded
    hit = next(c for c in svc.search(QUERY) if c.doc_id == doc_id)
    click = SimpleNamespace(open=json.dumps({"d": doc_id, "t": "chat", "s": hit.start, "e": hit.end}))
    first, second = (step[0] for step in Handlers(svc).open(click))
    assert "Đang tải ảnh trang 2 của bản gốc" in first and 'class="tr-hl"' in first
    assert CAPTION in second and 'class="tr-hl"' in second and "tr-orig-wait" not in second
    src = second.split('<img class="tr-orig-img" src="')[1].split('"')[0]
    assert src.startswith("data:image/png;base64,") and yellow_pixels(base64.b64decode(src.split(",", 1)[1])) > 5000


def test_moved_file_leaves_the_text_viewer_without_an_image(uploaded: tuple) -> None:
    from webui.handlers import Handlers

    svc, doc_id, _ = uploaded
    hit = next(c for c in svc.search(QUERY) if c.doc_id == doc_id)
    (pdf,) = (Path(svc.settings.corpus) / "uploads").iterdir()
    moved = pdf.rename(pdf.with_suffix(".moved"))
    try:
        fresh = type(svc)(svc.settings)  # nothing drawn yet
        assert fresh.page_image(doc_id, hit.start, hit.end) is None
        click = SimpleNamespace(open=json.dumps({"d": doc_id, "t": "search", "s": hit.start, "e": hit.end}))
        *_, last = Handlers(fresh).open(click)
        assert 'class="tr-hl"' in last[1] and "tr-orig" not in last[1]
    finally:
        moved.rename(pdf)


def test_page_image_file_citation_is_highlighted_on_the_image(tmp_path: Path) -> None:
    from assistant.service import Service
    from indexer.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(TB2018, corpus / TB2018.name)
    render(PAGE_IMAGE, 200).pages[0].save(corpus / "thong-bao-78.png")
    settings = make_settings(tmp_path / "index", corpus=corpus, model=FAST_MODEL, ocr_cache=tmp_path / "ocr.sqlite")
    build_index([corpus], settings)
    svc = Service(settings)
    hit = next(c for c in svc.search("khơi thông dòng chảy các kênh mương nội đồng") if c.doc_number == "78-TB/TU")
    shown = svc.page_image(hit.doc_id, hit.start, hit.end)
    assert shown is not None and shown.page == 1 and shown.focus is not None
    assert yellow_pixels(shown.png) > 5000


# -- in the browser --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The app over the seeds and the scan (the OCR cache beside the shared embedding cache keeps reruns fast)."""
    corpus = tmp_path_factory.mktemp("scan-corpus")
    for seed in CORPUS.iterdir():
        if seed.is_file():
            shutil.copyfile(seed, corpus / seed.name)
    scanned_pdf(corpus / "thong-bao-77-TB-TU-scan.pdf")
    with serve_app(tmp_path_factory.mktemp("ui-pages"), TRACUU_MODEL=FAST_MODEL, TRACUU_CORPUS=str(corpus)) as info:
        yield info | {"docs": len(list(corpus.iterdir()))}


@pytest.mark.slow
def test_clicking_a_citation_from_a_scan_shows_the_page_highlighted(app: dict) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        page = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN").new_page()
        page.set_default_timeout(60_000)
        page.goto(app["url"])
        page.wait_for_function("(n) => (document.querySelector('#tr-head')?.innerText || '').includes(n + ' văn bản')",
                               arg=app["docs"], timeout=240_000)
        page.get_by_role("tab", name="Tìm kiếm", exact=True).click()
        page.fill("#tr-search-q textarea", QUERY)
        page.keyboard.press("Enter")
        card = page.locator("#tr-search-results .tr-card", has_text="77-TB/TU").first
        card.wait_for()
        assert "Trang 2" in card.inner_text()
        card.click()
        page.locator("#tr-viewer-search mark.tr-hl").wait_for()  # the text first
        img = page.locator("#tr-viewer-search img.tr-orig-img")
        img.wait_for()
        page.wait_for_function("() => document.querySelector('#tr-viewer-search img.tr-orig-img')?.complete")
        size = img.evaluate("(el) => [el.naturalWidth, el.naturalHeight, el.clientWidth, el.clientHeight]")
        assert size[0] >= 1000 and size[1] > size[0] and size[2] > 300 and size[3] > 300, size
        assert CAPTION in page.inner_text("#tr-viewer-search .tr-orig summary")
        src = img.get_attribute("src") or ""
        assert yellow_pixels(base64.b64decode(src.split(",", 1)[1])) > 5000
        assert "Ủy ban Mặt trận Tổ quốc" in page.inner_text("#tr-viewer-search mark.tr-hl")
        page.locator("#tr-viewer-search .tr-viewer").screenshot(path=str(ARTIFACTS / "08-scan-page.png"))
        img.click()  # zooms in on the spot clicked
        page.wait_for_function("() => document.querySelector('#tr-viewer-search img.tr-orig-img.tr-zoom')")
        widths = img.evaluate("(el) => [el.clientWidth, el.parentElement.clientWidth]")
        assert widths[0] > 1.5 * widths[1], widths
        browser.close()
