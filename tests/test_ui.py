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
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CACHE, CORPUS, PARTY_PDF, ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "_artifacts"
PASSWORD = "kiem-thu-2025"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEV_Q = "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?"
DEV_GOLD = ("Phối hợp với Ban cán sự đảng Chính phủ chỉ đạo các cơ quan chức năng quản lý hiệu quả "
            "hoạt động truyền thông")
NEG_Q = "Quy định về nồng độ cồn khi lái xe ô tô là gì?"
PDF_Q = "Hồ sơ đề nghị tặng Huy hiệu Đảng phải gửi trước bao nhiêu ngày?"
PDF_GOLD = "trước 30 ngày làm việc của các đợt trao tặng Huy hiệu Đảng"
TIMEOUT = 60_000  # ms, for answers and page updates
UPLOAD_TIMEOUT = 180_000  # ms, embedding an 8-page PDF on a cold cache


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """``python ui.py`` on a free port, an empty index and a temporary corpus (the seeds)."""
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: install it with `apt-get install -y chromium` "
                    "(`bash run.sh test` does this). The UI tests never download a browser.")
    root = tmp_path_factory.mktemp("ui")
    corpus, index = root / "corpus", root / "index"
    shutil.copytree(CORPUS, corpus)
    port = _free_port()
    CACHE.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_CORPUS": str(corpus), "TRACUU_PORT": str(port),
           "TRACUU_HOST": "127.0.0.1", "TRACUU_ADMIN_PASSWORD": PASSWORD, "TRACUU_AUTH": "",
           "TRACUU_LLM_PROVIDER": "", "TRACUU_EMBED_CACHE": str(CACHE / "embcache.sqlite"),
           "TRACUU_THREADS": str(min(2, os.cpu_count() or 1)), "OMP_WAIT_POLICY": "PASSIVE", "HF_HUB_OFFLINE": "1",
           "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (root / "app.log").open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "ui.py")], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc, root / "app.log")
        yield {"url": url, "index": index, "corpus": corpus, "log": root / "app.log"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"ui.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"ui.py did not answer on {url} within {timeout:.0f}s:\n{log.read_text()[-3000:]}")


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
        # The index is built in the background at first start; the header counts documents once it is ready.
        pg.wait_for_function("() => /[1-9]\\d* văn bản/.test(document.querySelector('#tr-head')?.innerText || '')",
                             timeout=UPLOAD_TIMEOUT)
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
    if focus:
        page.locator(focus).last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / name))


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def test_answer_shows_sources_with_the_gold_passage(page) -> None:
    answer = _ask(page, DEV_Q)
    assert "Trích dẫn nguyên văn" in answer.locator(".tr-mode").text_content()
    card = answer.locator(".tr-card", has_text=DEV_GOLD)
    assert card.count() >= 1
    text = card.first.inner_text()
    assert "Thông báo kết luận" in text and "Mục 3.b" in text
    _shot(page, "01-answer.png")


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


def test_off_topic_question_is_refused(page) -> None:
    answer = _ask(page, NEG_Q)
    refusal = answer.locator(".tr-refusal")
    assert refusal.count() == 1
    assert "Không tìm thấy nội dung này trong các văn bản đã nạp." in refusal.inner_text()
    assert answer.locator(".tr-source").count() == 0  # no card presented as a source
    _shot(page, "03-refusal.png", "#tr-chat .tr-refusal")


def test_duties_of_the_central_organisation_commission(page) -> None:
    _tab(page, "Nhiệm vụ")
    page.click("#tr-body input")
    page.keyboard.type("Ban Tổ chức")
    page.get_by_role("option", name=re.compile("Ban Tổ chức Trung ương")).first.click()
    rows = page.locator("#tr-duties tbody tr")
    page.wait_for_function("() => document.querySelectorAll('#tr-duties tbody tr').length > 0")
    assert rows.count() == 3
    assert "Ban Tổ chức Trung ương" in page.inner_text("#tr-duty-summary")
    _shot(page, "04-duties.png")
    rows.nth(2).click()
    page.locator("#tr-viewer-duties mark.tr-hl").wait_for()
    assert "Ban Tổ chức Trung ương chủ trì" in page.inner_text("#tr-viewer-duties mark.tr-hl")
    with page.expect_download() as download:
        page.click("#tr-csv")
    csv_text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert csv_text.count("Ban Tổ chức Trung ương") >= 3 and csv_text.startswith("STT")
    _shot(page, "04b-duty-source.png")


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
