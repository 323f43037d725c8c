"""The web app: `python ui.py` serves on TRACUU_HOST:TRACUU_PORT (default 127.0.0.1:7860).

Layout and event wiring only; every operation is in ``assistant.service`` and
every HTML fragment in ``webui.render``. The side panel and tabs are in
``webui.tabs``, the event handlers in ``webui.handlers``, theme and style in ``webui.style``.
With no index yet, the index is built from the corpus in the background while
the app is already up.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import gradio as gr

from assistant.service import IndexStatus, Service, Settings, TracuuError, load_settings
from webui import render as R
from webui.assets import BRIDGE_JS, LOCALIZE_HEAD
from webui.handlers import Handlers
from webui.style import CSS, HEAD_STYLE, THEME
from webui.tabs import ANSWER_WORKERS, chat_tab, docs_tab, duties_tab, search_tab, sidebar

log = logging.getLogger("tracuu.ui")


def build_app(settings: Settings, service: Service | None = None) -> gr.Blocks:
    """The whole app; launch it with ``launch_options(settings)`` (theme, style, auth)."""
    svc = service or Service(settings)
    h = Handlers(svc)
    with gr.Blocks(title="Tra cứu văn bản chỉ đạo", analytics_enabled=False, fill_width=True) as app:
        header = gr.HTML(R.header_html(svc.mode_label, *svc.counts()), js_on_load=BRIDGE_JS, elem_id="tr-head")
        filters, clear, note, index_note = sidebar(svc)
        with gr.Tabs(elem_id="tr-tabs"):
            chat = chat_tab(h, filters)
            search = search_tab(h, filters)
            duties = duties_tab(h)
            docs = docs_tab(h)
        viewers = [chat["viewer"], search["viewer"], duties["viewer"], docs["viewer"]]
        header.click(h.open, None, viewers, api_visibility="private", concurrency_limit=ANSWER_WORKERS)
        refresh_out = [header, docs["table"], docs["victim"], filters.types, filters.issuers, index_note,
                       duties["body"], duties["doc"]]
        gr.on([f.change for f in filters.inputs()], h.filters_note, filters.inputs(), note,
              api_visibility="private", queue=False)
        clear.click(lambda: ([], [], "", ""), None, filters.inputs(), api_visibility="private", queue=False)
        docs["upload"].upload(h.upload, [docs["upload"], docs["password"]], [docs["status"], *refresh_out],
                              api_visibility="private", concurrency_id="write", concurrency_limit=1)
        docs["remove"].click(h.delete, [docs["victim"], docs["password"]], [docs["status"], *refresh_out],
                             api_visibility="private", concurrency_id="write", concurrency_limit=1)
        timer = gr.Timer(2.0, active=svc.status.building)
        timer.tick(h.tick, None, [*refresh_out, timer], api_visibility="private", show_progress="hidden")
        app.load(h.refresh, None, refresh_out, api_visibility="private", show_progress="hidden")
        gr.api(h.api_ask, api_name="ask", concurrency_id="answer", concurrency_limit=ANSWER_WORKERS)
    app.queue(default_concurrency_limit=ANSWER_WORKERS)
    return app


def launch_options(settings: Settings) -> dict[str, Any]:
    auth = None
    if settings.auth:
        user, _, password = settings.auth.partition(":")
        auth = (user, password)
    return {
        "server_name": settings.host, "server_port": settings.port, "auth": auth, "theme": THEME, "css": CSS,
        "auth_message": "Hãy đăng nhập bằng tài khoản được cấp để tra cứu văn bản.", "footer_links": [],
        "show_error": False, "quiet": True, "head": LOCALIZE_HEAD + HEAD_STYLE,
    }


def _prepare(svc: Service) -> None:
    svc.ensure_index(on_progress=lambda message: log.info("%s", message))
    try:
        svc.warm_up()
    except TracuuError as err:
        log.warning("%s", err)


def main() -> None:
    settings = load_settings()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in ("tracuu", "assistant", "indexer"):
        logging.getLogger(name).setLevel(logging.INFO)
    try:
        svc = Service(settings)
    except TracuuError as err:  # e.g. a wrong TRACUU_LLM_* setting: say what to fix, do not start
        log.error("%s", err)
        raise SystemExit(2) from err
    if svc.generation() is None:
        svc.status = IndexStatus(True, "Đang chuẩn bị lập chỉ mục lần đầu…")
    threading.Thread(target=_prepare, args=(svc,), name="tracuu-prepare", daemon=True).start()
    app = build_app(settings, svc)
    log.info("Ứng dụng tra cứu chạy tại http://%s:%s", settings.host, settings.port)
    app.launch(**launch_options(settings))


if __name__ == "__main__":
    main()
