"""End-to-end: the web app in headless Chromium (Playwright), on a temporary index.

The app runs as ``python ui.py`` in a subprocess with an empty index, so it
first builds one from a temporary copy of ``corpus/``. Screenshots of every
step go to ``tests/_artifacts/``. The browser is the system Chromium
(/usr/bin/chromium); Playwright never downloads one, and a missing Chromium
fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, CORPUS, PARTY_PDF, serve_app

PASSWORD = "kiem-thu-2025"
DEV_Q = "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?"
DEV_GOLD = ("Phối hợp với Ban cán sự đảng Chính phủ chỉ đạo các cơ quan chức năng quản lý hiệu quả "
            "hoạt động truyền thông")
NEG_Q = "Quy định về nồng độ cồn khi lái xe ô tô là gì?"
PDF_Q = "Hồ sơ đề nghị tặng Huy hiệu Đảng phải gửi trước bao nhiêu ngày?"
PDF_GOLD = "trước 30 ngày làm việc của các đợt trao tặng Huy hiệu Đảng"
TIMEOUT = 60_000  # ms, for answers and page updates
UPLOAD_TIMEOUT = 180_000  # ms, embedding an 8-page PDF on a cold cache


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """``python ui.py`` on a free port, an empty index and a temporary corpus (the seeds)."""
    with serve_app(tmp_path_factory.mktemp("ui"), TRACUU_ADMIN_PASSWORD=PASSWORD) as info:
        yield info


@pytest.fixture(scope="module")
def page(app: dict) -> Iterator:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="vi-VN")
        context.set_default_timeout(TIMEOUT)
        pg = context.new_page()
        pg.goto(app["url"])
        pg.wait_for_selector("#tr-question textarea")
        # The index is built in the background at first start, file by file; the header counts the documents.
        seeds = len([f for f in CORPUS.iterdir() if f.is_file()])
        pg.wait_for_function("(n) => (document.querySelector('#tr-head')?.innerText || '').includes(n + ' văn bản')",
                             arg=seeds, timeout=UPLOAD_TIMEOUT)
        pg.screenshot(path=str(ARTIFACTS / "00-start.png"))
        yield pg
        browser.close()


def _ask(page, question: str) -> object:
    before = page.locator("#tr-chat .tr-answer").count()
    page.fill("#tr-question textarea", question)
    page.click("#tr-send")
    page.wait_for_function(f"() => document.querySelectorAll('#tr-chat .tr-answer').length > {before}")
    return page.locator("#tr-chat .tr-answer").last


def _shot(page, name: str, focus: str | None = None) -> None:
    # Let Gradio finish its updates: components being refreshed are drawn faded (class "pending").
    page.wait_for_function("() => !document.querySelector('.pending, .generating')", timeout=15_000)
    page.wait_for_timeout(300)
    if focus:
        page.locator(focus).last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name))


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


@pytest.mark.slow
def test_answer_shows_sources_with_the_gold_passage(page) -> None:
    answer = _ask(page, DEV_Q)
    assert "Trích dẫn nguyên văn" in answer.locator(".tr-mode").text_content()
    card = answer.locator(".tr-card", has_text=DEV_GOLD)
    assert card.count() >= 1
    text = card.first.inner_text()
    assert "Thông báo kết luận" in text and "Mục 3.b" in text
    _shot(page, "01-answer.png")


@pytest.mark.slow
def test_clicking_a_source_highlights_the_passage(page) -> None:
    page.locator("#tr-chat .tr-answer").last.locator(".tr-card", has_text=DEV_GOLD).first.click()
    mark = page.locator("#tr-viewer-chat mark.tr-hl")
    mark.wait_for()
    assert DEV_GOLD in mark.inner_text()
    visible = page.evaluate("""() => { const m = document.querySelector('#tr-viewer-chat mark.tr-hl');
        const box = m.closest('.tr-text').getBoundingClientRect(); const r = m.getBoundingClientRect();
        return r.top < box.bottom && r.bottom > box.top; }""")
    assert visible, "the highlighted passage is not scrolled into view"
    _shot(page, "02-highlight.png")


@pytest.mark.slow
def test_off_topic_question_is_refused(page) -> None:
    answer = _ask(page, NEG_Q)
    refusal = answer.locator(".tr-refusal")
    assert refusal.count() == 1
    assert "Không tìm thấy nội dung này trong các văn bản đã nạp." in refusal.inner_text()
    assert answer.locator(".tr-source").count() == 0  # no card presented as a source
    _shot(page, "03-refusal.png", "#tr-chat .tr-refusal")


@pytest.mark.slow
def test_duties_of_the_central_organisation_commission(page) -> None:
    _tab(page, "Nhiệm vụ")
    page.click("#tr-body input")
    page.get_by_role("option", name=re.compile("Ban Tổ chức Trung ương")).wait_for()  # offered in the list
    page.keyboard.type("Ban Tổ chức Trung ương")
    page.keyboard.press("Enter")
    page.wait_for_function("() => (document.querySelector('#tr-duty-summary')?.innerText || '')"
                           ".startsWith('Ban Tổ chức Trung ương')")
    rows = page.locator("#tr-duties tbody tr")
    assert rows.count() == 3, page.inner_text("#tr-duty-summary")
    _shot(page, "04-duties.png")
    rows.nth(2).click()
    page.locator("#tr-viewer-duties mark.tr-hl").wait_for()
    assert "Ban Tổ chức Trung ương chủ trì" in page.inner_text("#tr-viewer-duties mark.tr-hl")
    with page.expect_download() as download:
        page.click("#tr-csv")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.count("Ban Tổ chức Trung ương") >= 3 and csv_text.startswith("STT")
    _shot(page, "04b-duty-source.png", "#tr-viewer-duties")


def _upload(page, path: Path) -> str:
    _tab(page, "Văn bản")
    page.fill("#tr-password input", PASSWORD)
    status = "#tr-admin-status .tr-status"
    before = page.locator(status).text_content() if page.locator(status).count() else ""
    with page.expect_file_chooser() as chooser:
        page.click("#tr-upload")
    chooser.value.set_files(str(path))
    page.wait_for_function("([sel, old]) => { const s = document.querySelector(sel);"
                           " return s && s.textContent !== old; }", arg=[status, before], timeout=UPLOAD_TIMEOUT)
    return page.locator(status).text_content() or ""


@pytest.mark.slow
def test_upload_pdf_then_answer_from_it(page, app: dict) -> None:
    message = _upload(page, PARTY_PDF / "huongdan21.pdf")
    assert message.strip().startswith("✓") and "Đã nạp" in message, message
    page.wait_for_function("() => document.querySelectorAll('#tr-docs tbody tr').length === 3")
    _shot(page, "05-upload.png", "#tr-admin-status")
    _tab(page, "Hỏi đáp")
    answer = _ask(page, PDF_Q)
    card = answer.locator(".tr-card", has_text=PDF_GOLD).first
    assert "Hướng dẫn" in card.inner_text() and "Trang" in card.inner_text()
    card.click()
    page.locator("#tr-viewer-chat mark.tr-hl", has_text=PDF_GOLD).wait_for()
    assert "Trang" in page.inner_text("#tr-viewer-chat .tr-vloc")
    _shot(page, "06-pdf-answer.png")
    _tab(page, "Tìm kiếm")
    page.fill("#tr-search-q textarea", "trao tặng Huy hiệu Đảng")
    page.keyboard.press("Enter")
    page.locator("#tr-search-results .tr-card", has_text="Huy hiệu Đảng").first.wait_for()
    _shot(page, "06b-search.png")


@pytest.mark.slow
def test_corrupt_upload_is_reported_and_changes_nothing(page, app: dict, tmp_path: Path) -> None:
    generation = (app["index"] / "CURRENT").read_text()
    bad = tmp_path / "bien-ban-hong.pdf"
    bad.write_bytes(os.urandom(20_000))
    message = _upload(page, bad)
    assert "bien-ban-hong.pdf" in message and "không phải PDF" in message, message
    assert page.locator("#tr-admin-status .tr-status-bad").count() == 1
    assert page.locator("#tr-docs tbody tr").count() == 3
    assert (app["index"] / "CURRENT").read_text() == generation
    assert sorted(p.name for p in (app["corpus"] / "uploads").iterdir()) == ["huongdan21.pdf"]
    _shot(page, "07-corrupt-upload.png", "#tr-admin-status")


# -- the HTML fragments themselves (no browser) ---------------------------------------------------------
def test_viewer_keeps_one_mark_across_headings_and_pages() -> None:
    from assistant.service import DocView, OutlineItem
    from webui.render import viewer_html

    text = "I. MỞ ĐẦU\nĐoạn <một> & hai.\nII. NỘI DUNG\nĐoạn ba."
    heading2 = text.index("II.")
    view = DocView("d1", "Kết luận số 1-KL/TW", "Tiêu đề", "Ban Bí thư", "09/5/2023", text,
                   (OutlineItem(0, 9, 1, "I. MỞ ĐẦU"), OutlineItem(heading2, heading2 + 12, 1, "II. NỘI DUNG")),
                   (0, heading2))
    start, end = text.index("hai"), heading2 + 4  # the mark ends inside the second heading
    page = viewer_html(view, "chat", (start, end))
    assert page.count("<mark") == 1 and "Trang 2" in page and "Trang 1" in page
    marked = page.split('<mark class="tr-hl" id="chat-hl">')[1].split("</mark>")[0]
    assert re.sub(r"<[^>]+>", "", marked) == "hai.\nII. "
    assert "Đoạn &lt;một&gt; &amp; " in page  # escaped
    assert page.count('<b class="tr-h') == page.count("</b>") == 3  # the second heading is split at the mark's end
    assert 'data-jump="chat-o-0"' in page and f'id="chat-o-{heading2}"' in page


def test_refusal_and_answer_fragments() -> None:
    from assistant.qa.citations import Answer, Citation
    from webui.render import answer_html

    c = Citation(1, "c1", "d1", "54-KL/TW", "Kết luận", "Ban Bí thư", "2023-05-09", "T", "Mục 2", "2", 3,
                 "<script>alert(1)</script>", 10, 35)
    ok = answer_html(Answer("q", "Trả lời «x» [1].", False, "extractive", (c,)))
    assert "<script>" not in ok and "&lt;script&gt;" in ok and 'class="tr-ref"' in ok
    assert "Kết luận số 54-KL/TW" in ok and "Trang 3" in ok and "Trích dẫn nguyên văn" in ok
    refused = answer_html(Answer("q", "Không tìm thấy nội dung này trong các văn bản đã nạp.\nCác đoạn gần nhất…",
                                 True, "extractive", nearest=(c,)))
    assert "tr-refusal" in refused and "không phải câu trả lời" in refused and "tr-card tr-source" not in refused


def test_chat_handler_streams_llm_text_then_the_verified_answer(fast_seed_settings) -> None:
    from assistant.qa.citations import Answer, cite
    from assistant.service import Service
    from webui.handlers import Handlers

    class Reply:
        def __init__(self, question, standalone, hits):
            self.question, self.hits = question, hits
            self.pieces = iter(("Kết luận yêu cầu ", "«thực hiện tốt» [1]."))

        def __iter__(self):
            return self

        def __next__(self):
            return next(self.pieces)

        def answer(self):
            h = self.hits[0]
            return Answer(self.question, "Kết luận yêu cầu «thực hiện tốt» [1].", False, "llm",
                          (cite(1, h.doc, h.chunk, h.chunk.start, h.chunk.end),))

    class Scripted:
        def stream(self, question, standalone, hits):
            return Reply(question, standalone, hits)

        def unavailable(self, exc, hits=()):
            raise AssertionError(f"the scripted reply never fails: {exc}")

    steps = Handlers(Service(fast_seed_settings, llm=Scripted())).ask(
        "Kết luận 54 yêu cầu gì về công tác tiếp dân và đối thoại?", [], [], [], [], "", "")
    bubbles, answers = [], []
    for history, _, kept in steps:  # Gradio sends each yield at once; record what it would show
        bubbles.append(history[-1]["content"])
        answers = kept
    assert "tr-pending" in bubbles[0]
    assert "đang soạn" in bubbles[1] and "Kết luận yêu cầu" in bubbles[1]
    assert "LLM" in bubbles[-1] and "tr-card tr-source" in bubbles[-1] and "đang soạn" not in bubbles[-1]
    assert len(answers) == 1 and answers[0].mode == "llm"  # the answer joins the history
