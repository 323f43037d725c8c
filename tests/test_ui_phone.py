"""The web app on a phone (390×844) and a tablet (768×1024), and the side panel on a desktop, in Chromium.

On load the question box is visible and nothing covers it; the side panel opens from the header's button
and closes again; an answer's source opens as a full-screen sheet with a back control; the page never
scrolls sideways (the tables scroll inside their own box). Screenshots go to ``tests/_artifacts/``.
The app runs with the deterministic embedder: this is about layout, not retrieval quality.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import ARTIFACTS, BROWSER_ARGS, CHROMIUM, CORPUS, FAST_MODEL, serve_app

QUESTION = "Kết luận 54 ban hành ngày nào?"
SIZES = {"phone": (390, 844), "tablet": (768, 1024)}
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with serve_app(tmp_path_factory.mktemp("ui-phone"), TRACUU_MODEL=FAST_MODEL) as info:
        yield info


@pytest.fixture(scope="module")
def browser(app: dict) -> Iterator:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()


def _open(browser, app: dict, width: int, height: int, touch: bool):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN", is_mobile=touch,
                                  has_touch=touch, device_scale_factor=2 if touch else 1)
    context.set_default_timeout(TIMEOUT)
    page = context.new_page()
    page.goto(app["url"])
    page.wait_for_selector("#tr-question textarea")
    seeds = len([f for f in CORPUS.iterdir() if f.is_file()])
    page.wait_for_function("(n) => (document.querySelector('#tr-head')?.innerText || '').includes(n + ' văn bản')",
                           arg=seeds, timeout=180_000)
    page.wait_for_timeout(800)  # the side panel's slide and the page script's first pass
    return page


def _uncovered(page, selector: str) -> bool:
    """The element's centre is inside the viewport and the topmost element there is the element itself."""
    return page.evaluate("""(sel) => { const el = document.querySelector(sel); if (!el) return false;
        const r = el.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (r.width === 0 || y < 0 || y > innerHeight || x < 0 || x > innerWidth) return false;
        const top = document.elementFromPoint(x, y); return !!top && (top === el || el.contains(top)); }""",
                         selector)


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")


def _shot(page, name: str) -> None:
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / name))


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_small_screen_layout(browser, app: dict, size: str) -> None:
    width, height = SIZES[size]
    page = _open(browser, app, width, height, touch=True)
    _shot(page, f"{size}-00-start.png")
    assert page.locator("#tr-sidebar.open").count() == 0, "the filter panel must start closed on a small screen"
    assert _uncovered(page, "#tr-question textarea"), "the question box is hidden or covered on load"
    assert _uncovered(page, "#tr-send") and _no_sideways_scroll(page)

    page.click(".tr-filters-btn")
    page.locator("#tr-sidebar.open").wait_for()
    page.wait_for_timeout(500)
    assert _uncovered(page, "#f-types") and not _uncovered(page, "#tr-question textarea")
    _shot(page, f"{size}-01-filters.png")
    page.click("#tr-sidebar .tr-filters-done")
    page.wait_for_function("() => !document.querySelector('#tr-sidebar.open')")
    page.wait_for_timeout(500)
    assert _uncovered(page, "#tr-question textarea")

    page.fill("#tr-question textarea", QUESTION)
    page.click("#tr-send")
    answer = page.locator("#tr-chat .tr-answer").last
    answer.wait_for()
    card = answer.locator(".tr-card").first
    card.scroll_into_view_if_needed()
    _shot(page, f"{size}-02-answer.png")
    card.click()
    page.locator("#tr-viewer-chat mark.tr-hl").wait_for()
    page.wait_for_timeout(400)
    box = page.locator("#tr-viewer-chat").bounding_box()
    assert box and box["x"] <= 1 and box["y"] <= 1 and box["width"] >= width - 1 and box["height"] >= height - 1
    assert _uncovered(page, "#tr-viewer-chat .tr-back") and _uncovered(page, "#tr-viewer-chat mark.tr-hl")
    _shot(page, f"{size}-03-source-sheet.png")
    page.click("#tr-viewer-chat .tr-back")
    page.wait_for_function("() => !document.querySelector('.tr-sheet')")
    assert _uncovered(page, "#tr-question textarea") or answer.is_visible()

    page.get_by_role("tab", name="Nhiệm vụ", exact=True).click()
    page.click("#tr-body input")
    page.keyboard.type("Ban Tổ chức Trung ương")
    page.keyboard.press("Enter")
    page.locator("#tr-duties tbody tr").first.wait_for()
    page.locator("#tr-docx").wait_for()  # the "Bảng phân công" download
    page.keyboard.press("Escape")
    assert _no_sideways_scroll(page), "the duties tab scrolls the page sideways"
    _shot(page, f"{size}-04-duties.png")
    page.get_by_role("tab", name="Văn bản", exact=True).click()
    page.locator("#tr-docs tbody tr").first.wait_for()
    assert _no_sideways_scroll(page), "the documents tab scrolls the page sideways"
    _shot(page, f"{size}-05-docs.png")
    page.locator("#tr-docs .tr-row-num").first.click()
    page.locator("#tr-viewer-docs .tr-viewer.tr-wide").wait_for()
    page.wait_for_timeout(400)
    assert _uncovered(page, "#tr-viewer-docs .tr-back") and _uncovered(page, "#tr-viewer-docs .tr-vtitle")
    _shot(page, f"{size}-06-document-sheet.png")
    page.go_back()  # the phone's own back closes the sheet too
    page.wait_for_function("() => !document.querySelector('.tr-sheet')")
    assert _no_sideways_scroll(page)
    page.context.close()


@pytest.mark.slow
def test_desktop_keeps_the_filter_panel_open(browser, app: dict) -> None:
    page = _open(browser, app, 1280, 800, touch=False)
    page.locator("#tr-sidebar.open").wait_for()
    assert not page.locator(".tr-filters-btn").is_visible() and _uncovered(page, "#f-types")
    page.locator("#tr-question textarea").scroll_into_view_if_needed()
    assert _uncovered(page, "#tr-question textarea")
    _shot(page, "desktop-00-start.png")
    page.context.close()
