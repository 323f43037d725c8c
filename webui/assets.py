"""Page assets for the web app: the click bridge, the viewer script and Gradio's strings in Vietnamese."""

from __future__ import annotations

import json

# Phone layout (a screen up to 768 px wide, where Gradio's side panel covers the whole page): the side panel
# starts closed and the header's [data-filters] button opens it; a viewer opens as a full-screen sheet whose
# [data-back] control (or the browser's back) closes it.
NARROW = "(max-width: 768px)"
SHEET_JS = """
window.__tracuuSheet = window.__tracuuSheet || {
  narrow: () => window.matchMedia('__NARROW__').matches,
  open(box) {
    if (!box || !this.narrow()) return;
    if (!document.querySelector('.tr-sheet')) history.pushState({trSheet: true}, '');
    document.querySelectorAll('.tr-sheet').forEach((el) => el !== box && el.classList.remove('tr-sheet'));
    box.classList.add('tr-sheet');
    document.documentElement.classList.add('tr-sheet-open');
  },
  close() {
    document.querySelectorAll('.tr-sheet').forEach((el) => el.classList.remove('tr-sheet'));
    document.documentElement.classList.remove('tr-sheet-open');
  },
};
""".replace("__NARROW__", NARROW)

# Runs once in the header: clicks on [data-open] reach the server, [data-jump] scroll a viewer.
BRIDGE_JS = SHEET_JS + """
window.__tracuuTrigger = trigger;
if (!window.__tracuuBound) {
  window.__tracuuBound = true;
  const sheet = window.__tracuuSheet;
  const toggleFilters = () => document.querySelector('#tr-sidebar .toggle-button')?.click();
  // The side panel starts closed; wider screens open it once at load. A click that lands before the
  // panel's own script is listening does nothing, so the click is repeated (once a second) until the panel
  // is seen open; after that the user's choice stands.
  const openWide = (tries) => {
    if (tries <= 0 || sheet.narrow() || document.querySelector('#tr-sidebar.open')) return;
    const bar = document.querySelector('#tr-sidebar .toggle-button');
    if (bar) bar.click();
    setTimeout(() => openWide(tries - 1), bar ? 1000 : 100);
  };
  openWide(600);
  window.addEventListener('popstate', () => sheet.close());
  const act = (ev) => {
    if (ev.target.closest('.tr-row-sources')) return;  // the list of a document's files opens in place
    if (ev.target.closest('[data-filters]')) { ev.preventDefault(); toggleFilters(); return; }
    if (ev.target.closest('[data-back]')) {
      ev.preventDefault();
      if (history.state && history.state.trSheet) history.back(); else sheet.close();
      return;
    }
    const jump = ev.target.closest('[data-jump]');
    if (jump) {
      ev.preventDefault();
      const box = jump.closest('.tr-viewer');
      const el = box && box.querySelector('#' + CSS.escape(jump.dataset.jump));
      const sc = box && box.querySelector('.tr-text');
      if (el && sc) sc.scrollTo({top: el.offsetTop - 12, behavior: 'smooth'});
      return;
    }
    const img = ev.target.closest('.tr-orig-img');
    if (img && ev.type === 'click') {  // the page image: a click zooms in on that spot (twice the width) and out
      const box = img.parentElement, x = ev.offsetX / img.clientWidth, y = ev.offsetY / img.clientHeight;
      img.classList.toggle('tr-zoom');
      box.scrollLeft = x * img.clientWidth - box.clientWidth / 2;
      box.scrollTop = y * img.clientHeight - box.clientHeight / 2;
      return;
    }
    const el = ev.target.closest('[data-open]');
    if (!el) return;
    ev.preventDefault();
    window.__tracuuTrigger('click', {open: el.dataset.open});
    try { sheet.open(document.querySelector('#tr-viewer-' + JSON.parse(el.dataset.open).t)); } catch (e) {}
  };
  document.addEventListener('click', act);
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') act(ev); });
}
"""

# Each viewer scrolls its highlighted passage into view whenever its content changes.
VIEWER_JS = SHEET_JS + """
const focus = () => {
  const box = element.closest('.tr-viewer-box') || element;
  if (!element.querySelector('.tr-viewer:not(.tr-empty)') && box.classList.contains('tr-sheet')) {
    window.__tracuuSheet.close();  // nothing to read (an error, or the conversation was reset)
  }
  const ob = element.querySelector('.tr-orig-box[data-focus]');  // the quoted lines on the page image
  const img = ob && ob.querySelector('img');
  const onPage = () => { ob.scrollTop = Math.max(0, ob.dataset.focus * img.offsetHeight - ob.clientHeight / 4); };
  if (img) { if (img.complete) onPage(); else img.addEventListener('load', onPage, {once: true}); }
  const m = element.querySelector('mark.tr-hl');
  const sc = element.querySelector('.tr-text');
  if (m && sc) sc.scrollTop = Math.max(0, m.offsetTop - sc.clientHeight / 4);
  else if (sc) sc.scrollTop = 0;
  const r = element.getBoundingClientRect();
  if (m && (r.top > window.innerHeight || r.bottom < 0)) element.scrollIntoView({behavior: 'smooth'});
};
watch('value', focus);
focus();
"""

# Gradio's own strings have no Vietnamese locale; these exact texts are swapped in the page as they appear.
BUILTIN_VI = {
    "Login": "Đăng nhập", "username": "Tên đăng nhập", "password": "Mật khẩu",
    "Incorrect Credentials": "Sai tên đăng nhập hoặc mật khẩu.", "Copy message": "Sao chép",
    "Copied message": "Đã sao chép", "Clear": "Xóa cuộc hỏi đáp", "Error": "Lỗi", "Loading...": "Đang tải…",
    "Connection errored out.": "Mất kết nối tới máy chủ.", "Download": "Tải xuống",
    "Toggle Sidebar": "Ẩn hoặc hiện bộ lọc", "More tabs": "Các thẻ khác", "chatbot conversation": "Cuộc hỏi đáp",
}
LOCALIZE_HEAD = """<script>
(() => {
  const VI = __VI__;
  const fix = (root) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const t = n.nodeValue.trim();
      if (t && VI[t]) n.nodeValue = n.nodeValue.replace(t, VI[t]);
    }
    root.querySelectorAll?.('[aria-label],[title]').forEach((el) => {
      for (const a of ['aria-label', 'title']) {
        const v = el.getAttribute(a);
        if (v && VI[v]) el.setAttribute(a, VI[v]);
      }
    });
  };
  const start = () => {
    fix(document.body);
    new MutationObserver((ms) => ms.forEach((m) => m.addedNodes.forEach((n) => {
      if (n.nodeType === 1) fix(n); else if (n.nodeType === 3 && VI[n.nodeValue.trim()]) fix(n.parentNode);
    }))).observe(document.body, {childList: true, subtree: true});
  };
  document.readyState === 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();
  document.documentElement.lang = 'vi';
})();
</script>""".replace("__VI__", json.dumps(BUILTIN_VI, ensure_ascii=False))
