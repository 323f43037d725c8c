"""The web app: `python ui.py` serves on TRACUU_HOST:TRACUU_PORT (default 127.0.0.1:7860).

Layout and event wiring only; every operation is in ``assistant.service`` and
every HTML fragment in ``assistant.ui_render``. With no index yet, the index is
built from the corpus in the background while the app is already up.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant import ui_render as R
from assistant.citations import Answer
from assistant.serialize import answer_json
from assistant.service import IndexStatus, Service, Settings, TracuuError, load_settings, make_filters

log = logging.getLogger("tracuu.ui")

EXAMPLES = (
    "Ban Tổ chức Trung ương được giao những nhiệm vụ gì?",
    "Kết luận 54 ban hành ngày nào?",
    "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?",
    "phuong cham dan biet dan ban dan lam dan kiem tra",
)
TARGETS = ("chat", "search", "duties", "docs")
TRACK = gr.Progress(track_tqdm=True)  # the upload's progress bar also follows the embedding (tqdm)
ROLES = ("chủ trì", "phối hợp", "thực hiện", "báo cáo/theo dõi")
ANSWER_WORKERS = 8


@dataclass
class FilterInputs:
    types: gr.Dropdown
    issuers: gr.Dropdown
    date_from: gr.Textbox
    date_to: gr.Textbox

    def inputs(self) -> list[gr.components.Component]:
        return [self.types, self.issuers, self.date_from, self.date_to]


class Handlers:
    """Event handlers: plain values in, HTML and Gradio updates out."""

    def __init__(self, service: Service) -> None:
        self.svc = service

    def ask(self, message: str, history: list, answers: list[Answer], *filters: Any) -> Iterator[tuple]:
        question = (message or "").strip()
        if not question:
            yield history, "", answers
            return
        history = [*history, {"role": "user", "content": R.esc(question)},
                   {"role": "assistant", "content": R.pending_html()}]
        yield history, "", answers
        try:
            chosen = make_filters(*filters)
            final = None
            for item in self.svc.ask_stream(question, answers, chosen):
                if isinstance(item, str):
                    history[-1] = {"role": "assistant", "content": R.stream_html(item)}
                    yield history, "", answers
                else:
                    final = item
        except (ValueError, TracuuError) as err:
            history[-1] = {"role": "assistant", "content": R.error_html(str(err))}
            yield history, "", answers
            return
        assert final is not None
        history[-1] = {"role": "assistant", "content": R.answer_html(final, "chat")}
        yield history, "", [*answers, final]

    def search(self, query: str, *filters: Any) -> str:
        try:
            return R.search_html(query, self.svc.search(query, make_filters(*filters)) if query.strip() else [])
        except (ValueError, TracuuError) as err:
            return R.error_html(str(err))

    def open(self, evt: gr.EventData) -> list:
        """A click on a source, a table row or a citation marker: show that document in that tab's viewer."""
        try:
            payload = json.loads(evt.open)
        except (AttributeError, TypeError, ValueError):
            return [gr.skip()] * len(TARGETS)
        target = payload.get("t") if payload.get("t") in TARGETS else "docs"
        mark = (int(payload["s"]), int(payload["e"])) if "s" in payload and "e" in payload else None
        view = self.svc.document(str(payload.get("d", "")))
        page = R.viewer_html(view, target, mark, wide=target == "docs") if view else R.error_html(
            "Văn bản này không còn trong chỉ mục (có thể vừa bị xóa). Hãy hỏi lại để có nguồn mới.")
        return [page if t == target else gr.skip() for t in TARGETS]

    def filters_note(self, *filters: Any) -> str:
        try:
            chosen = make_filters(*filters)
        except ValueError as err:
            return R.status_html(False, str(err))
        if chosen.empty():
            return R.status_html(None, "Đang tra cứu trên tất cả văn bản.")
        return R.status_html(None, "Bộ lọc đang bật: câu hỏi và tìm kiếm chỉ xét các văn bản khớp bộ lọc.")

    def refresh(self) -> tuple:
        """Everything that depends on the index contents."""
        docs, chunks = self.svc.counts()
        rows = self.svc.documents()
        types, issuers = self.svc.facets()
        status = self.svc.status
        note = status.message if status.building or status.failed else ""
        return (
            R.header_html(self.svc.mode_label, docs, chunks),
            R.documents_html(rows),
            gr.Dropdown(choices=[(f"{r.label} — {r.file_name}", r.doc_id) for r in rows], value=None),
            gr.Dropdown(choices=types),
            gr.Dropdown(choices=issuers),
            R.status_html(None if status.building else False, note) if note else "",
            gr.Dropdown(choices=[(f"{b} ({n})", b) for b, n in self.svc.duty_bodies()]),
            gr.Dropdown(choices=[("Tất cả văn bản", "")] + [(r.label, r.doc_id) for r in rows]),
        )

    def tick(self) -> tuple:
        return (*self.refresh(), gr.Timer(active=self.svc.status.building))

    def duties(self, typed: str | None, doc_id: str, role: str) -> tuple:
        hidden = gr.DownloadButton(visible=False)
        if not (typed or "").strip():
            return "", "", hidden, hidden
        body = self.svc.resolve_body(typed)
        if body is None:
            note = R.status_html(False, f"Không nhận ra cơ quan “{typed}”. Hãy chọn một tên trong danh sách.")
            return note, "", hidden, hidden
        rows = self.svc.duties(body, doc_id or None, role or None)
        if not rows:
            return R.duties_summary(body, typed or "", rows), R.duties_html(rows, body), hidden, hidden
        csv_path, xlsx_path = self.svc.export_duties(rows, body)
        return (R.duties_summary(body, typed or "", rows), R.duties_html(rows, body),
                gr.DownloadButton(value=str(csv_path), visible=True),
                gr.DownloadButton(value=str(xlsx_path), visible=True))

    def upload(self, path: str | None, password: str, progress: gr.Progress = TRACK) -> tuple:
        if not path:
            return (R.status_html(False, "Hãy chọn một tệp để nạp."), *self.refresh())
        outcome = self.svc.ingest(path, password, lambda f, m: progress(f, desc=m))
        return (R.status_html(outcome.ok, outcome.message), *self.refresh())

    def delete(self, doc_id: str | None, password: str) -> tuple:
        outcome = self.svc.delete(doc_id, password)
        return (R.status_html(outcome.ok, outcome.message), *self.refresh())

    def api_ask(self, question: str, doc_type: str = "", issuer: str = "", date_from: str = "",
                date_to: str = "") -> dict:
        """Ask one question (JSON answer with its verified citations)."""
        try:
            filters = make_filters([doc_type] if doc_type else [], [issuer] if issuer else [], date_from, date_to)
            return answer_json(self.svc.ask(question, (), filters))
        except (ValueError, TracuuError) as err:
            return {"question": question, "error": str(err)}


def _sidebar(svc: Service) -> tuple[FilterInputs, gr.Button, gr.HTML, gr.HTML]:
    types, issuers = svc.facets()
    with gr.Sidebar(label="Bộ lọc", open=True, width=290, elem_id="tr-sidebar"):
        gr.HTML('<div class="tr-side-title">Bộ lọc văn bản</div>'
                '<p class="tr-side-help">Áp dụng cho cả Hỏi đáp và Tìm kiếm.</p>')
        filters = FilterInputs(
            gr.Dropdown(types, label="Loại văn bản", multiselect=True, value=[], elem_id="f-types"),
            gr.Dropdown(issuers, label="Cơ quan ban hành", multiselect=True, value=[], elem_id="f-issuers"),
            gr.Textbox(label="Từ ngày", placeholder="ngày/tháng/năm, ví dụ 01/01/2018", elem_id="f-from"),
            gr.Textbox(label="Đến ngày", placeholder="ngày/tháng/năm", elem_id="f-to"),
        )
        clear = gr.Button("Bỏ lọc", size="sm", variant="secondary")
        note = gr.HTML(R.status_html(None, "Đang tra cứu trên tất cả văn bản."))
        index_note = gr.HTML(elem_id="tr-index-status")
    return filters, clear, note, index_note


def _viewer(target: str, wide: bool = False) -> gr.HTML:
    return gr.HTML(R.viewer_html(None, target, wide=wide), js_on_load=R.VIEWER_JS, elem_id=f"tr-viewer-{target}",
                   elem_classes=["tr-viewer-box"])


def _example_text(evt: gr.SelectData) -> str:
    return str(evt.value.get("text", "")) if isinstance(evt.value, dict) else str(evt.value)


def _chat_tab(h: Handlers, filters: FilterInputs) -> dict[str, Any]:
    with gr.Tab("Hỏi đáp", id="chat"), gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=420):
            chat = gr.Chatbot(
                show_label=False, height=640, elem_id="tr-chat", sanitize_html=False, latex_delimiters=[],
                placeholder=R.welcome_html(), examples=[{"text": q} for q in EXAMPLES], feedback_options=None,
                buttons=["copy"], group_consecutive_messages=False,
            )
            with gr.Row(elem_id="tr-ask-row"):
                msg = gr.Textbox(label="Câu hỏi", show_label=False, placeholder="Nhập câu hỏi về các văn bản đã nạp…",
                                 scale=8, lines=1, max_lines=4, elem_id="tr-question", container=False)
                send = gr.Button("Hỏi", variant="primary", scale=1, min_width=80, elem_id="tr-send")
                new = gr.Button("Hỏi lại từ đầu", variant="secondary", scale=1, min_width=140)
        with gr.Column(scale=5, min_width=360):
            viewer = _viewer("chat")
        answers = gr.State([])
    ask = {"fn": h.ask, "inputs": [msg, chat, answers, *filters.inputs()], "outputs": [chat, msg, answers],
           "show_progress": "hidden", "concurrency_id": "answer", "concurrency_limit": ANSWER_WORKERS}
    gr.on([msg.submit, send.click], api_visibility="private", api_name="chat_turn", **ask)
    chat.example_select(_example_text, None, msg, api_visibility="private", queue=False).then(
        **ask, api_visibility="private", api_name="chat_example")
    new.click(lambda: ([], "", [], R.viewer_html(None, "chat")), None, [chat, msg, answers, viewer],
              api_visibility="private", queue=False)
    chat.clear(lambda: ([], R.viewer_html(None, "chat")), None, [answers, viewer], api_visibility="private",
               queue=False)
    return {"viewer": viewer}


def _search_tab(h: Handlers, filters: FilterInputs) -> dict[str, Any]:
    with gr.Tab("Tìm kiếm", id="search"), gr.Row(equal_height=False):
        with gr.Column(scale=6, min_width=420):
            with gr.Row():
                query = gr.Textbox(label="Từ khóa", show_label=False, scale=8, container=False,
                                   placeholder="Từ khóa hoặc câu cần tìm trong văn bản…", elem_id="tr-search-q")
                go = gr.Button("Tìm", variant="primary", scale=1, min_width=80)
            results = gr.HTML(elem_id="tr-search-results")
        with gr.Column(scale=5, min_width=360):
            viewer = _viewer("search")
    gr.on([query.submit, go.click], h.search, [query, *filters.inputs()], results, api_name="search",
          concurrency_id="answer", concurrency_limit=ANSWER_WORKERS)
    return {"viewer": viewer}


def _duties_tab(h: Handlers) -> dict[str, Any]:
    with gr.Tab("Nhiệm vụ", id="duties"):
        gr.HTML('<p class="tr-side-help">Sổ theo dõi nhiệm vụ: chọn hoặc gõ tên cơ quan, đơn vị (gõ tắt được, '
                "ví dụ “BTC TW”) để xem các nhiệm vụ được giao, vai trò, thời hạn và căn cứ.</p>")
        with gr.Row():
            body = gr.Dropdown([], label="Cơ quan, đơn vị", allow_custom_value=True, filterable=True, scale=3,
                               elem_id="tr-body")
            doc = gr.Dropdown([("Tất cả văn bản", "")], value="", label="Văn bản", scale=2, elem_id="tr-duty-doc")
            role = gr.Dropdown([("Tất cả vai trò", "")] + [(r, r) for r in ROLES], value="", label="Vai trò",
                               scale=1, elem_id="tr-duty-role")
        with gr.Row(equal_height=False, elem_classes=["tr-duty-bar"]):
            summary = gr.HTML(elem_id="tr-duty-summary", scale=4)
            csv = gr.DownloadButton("Tải CSV", visible=False, size="sm", scale=1, min_width=110, elem_id="tr-csv")
            xlsx = gr.DownloadButton("Tải Excel", visible=False, size="sm", scale=1, min_width=110, elem_id="tr-xlsx")
        table = gr.HTML(elem_id="tr-duties")
        viewer = _viewer("duties")
    gr.on([body.change, doc.change, role.change], h.duties, [body, doc, role], [summary, table, csv, xlsx],
          api_visibility="private", concurrency_id="answer", concurrency_limit=ANSWER_WORKERS)
    return {"viewer": viewer, "body": body, "doc": doc}


def _docs_tab(h: Handlers) -> dict[str, Any]:
    admin = h.svc.admin_enabled
    with gr.Tab("Văn bản", id="docs"):
        table = gr.HTML(elem_id="tr-docs")
        with gr.Row(equal_height=False):
            with gr.Column(scale=7, min_width=480):
                viewer = _viewer("docs", wide=True)
            with gr.Column(scale=4, min_width=320, elem_id="tr-admin", elem_classes=["tr-panel"]):
                gr.HTML('<div class="tr-side-title">Quản trị: nạp hoặc xóa văn bản</div>')
                if not admin:
                    gr.HTML(R.status_html(False, h.svc.check_password(None) or ""))
                password = gr.Textbox(label="Mật khẩu quản trị", type="password", interactive=admin,
                                      elem_id="tr-password")
                upload = gr.UploadButton("Chọn tệp PDF, DOCX hoặc TXT để nạp", interactive=admin, variant="primary",
                                         elem_id="tr-upload")
                admin_status = gr.HTML(elem_id="tr-admin-status")
                gr.HTML(f'<p class="tr-side-help">Tối đa {h.svc.settings.max_file_mb} MB mỗi tệp; loại tệp được '
                        "kiểm tra theo nội dung. Văn bản mới được nạp thêm vào chỉ mục, không phải xây lại.</p>")
                victim = gr.Dropdown([], label="Văn bản cần xóa", interactive=admin, elem_id="tr-victim")
                remove = gr.Button("Xóa khỏi chỉ mục", variant="stop", interactive=admin)
    return {"viewer": viewer, "table": table, "password": password, "upload": upload, "victim": victim,
            "remove": remove, "status": admin_status}


def build_app(settings: Settings, service: Service | None = None) -> gr.Blocks:
    """The whole app; launch it with ``launch_options(settings)`` (theme, style, auth)."""
    svc = service or Service(settings)
    h = Handlers(svc)
    with gr.Blocks(title="Tra cứu văn bản chỉ đạo", analytics_enabled=False, fill_width=True) as app:
        header = gr.HTML(R.header_html(svc.mode_label, *svc.counts()), js_on_load=R.BRIDGE_JS, elem_id="tr-head")
        filters, clear, note, index_note = _sidebar(svc)
        with gr.Tabs(elem_id="tr-tabs"):
            chat = _chat_tab(h, filters)
            search = _search_tab(h, filters)
            duties = _duties_tab(h)
            docs = _docs_tab(h)
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
        "show_error": False, "quiet": True, "head": R.LOCALIZE_HEAD,
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


THEME = gr.themes.Base(
    primary_hue=gr.themes.colors.red, secondary_hue=gr.themes.colors.amber, neutral_hue=gr.themes.colors.slate,
    font=["Be Vietnam Pro", "Inter", "Segoe UI", "Roboto", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"],
    font_mono=["JetBrains Mono", "Consolas", "DejaVu Sans Mono", "monospace"], radius_size=gr.themes.sizes.radius_md,
).set(body_background_fill="#f4f5f7", block_border_width="1px", button_primary_background_fill="#a61b1b",
      button_primary_background_fill_hover="#8c1515", button_primary_text_color="#ffffff")

CSS = """
:root { --tr-red: #a61b1b; --tr-red-dark: #7a1212; --tr-gold: #f2c230; --tr-ink: #1f2937; --tr-muted: #64748b;
  --tr-line: #e2e8f0; --tr-card: #ffffff; --tr-amber: #b45309; --tr-amber-bg: #fff8e6; --tr-mark: #fde68a; }
footer { display: none !important; }
#tr-head { padding: 0 !important; }
.tr-header { display: flex; justify-content: space-between; align-items: center; gap: 16px; flex-wrap: wrap;
  background: linear-gradient(100deg, var(--tr-red-dark), var(--tr-red) 60%, #c0392b); color: #fff;
  padding: 16px 22px; border-radius: 12px; box-shadow: 0 2px 10px rgba(122,18,18,.18); }
.tr-brand { display: flex; align-items: center; gap: 14px; }
.tr-emblem { width: 44px; height: 44px; border-radius: 50%; background: var(--tr-gold); color: var(--tr-red);
  display: grid; place-items: center; font-size: 26px; line-height: 1; flex: none; }
.tr-header h1 { margin: 0 !important; font-size: 1.45rem !important; color: #fff !important; font-weight: 700; }
.tr-header p { margin: 2px 0 0 !important; color: #fde8e8 !important; font-size: .92rem; }
.tr-header-side { display: flex; flex-direction: column; align-items: flex-end; gap: 4px; font-size: .88rem; }
.tr-stat { background: rgba(255,255,255,.16); padding: 3px 10px; border-radius: 999px; }
.tr-mode-global { color: #fde8e8; } .tr-mode-global b { color: #fff; }
#tr-tabs button[role=tab] { font-weight: 600; font-size: 1rem; }
.tr-side-title { font-weight: 700; font-size: 1.05rem; color: var(--tr-ink); }
.tr-side-help { color: var(--tr-muted); font-size: .85rem; margin: 4px 0 !important; }
/* chat */
#tr-chat .message.bot, #tr-chat .bot .message-content { max-width: 100%; }
#tr-chat .bot { background: transparent; }
.tr-answer { display: flex; flex-direction: column; gap: 8px; color: var(--tr-ink); }
.tr-answer-top { display: flex; align-items: center; gap: 8px; }
.tr-mode { font-size: .74rem; font-weight: 600; letter-spacing: .02em; text-transform: uppercase; padding: 2px 8px;
  border-radius: 999px; background: #eef2ff; color: #3730a3; border: 1px solid #c7d2fe; }
.tr-mode-llm { background: #ecfdf5; color: #065f46; border-color: #a7f3d0; }
.tr-live { font-size: .8rem; color: var(--tr-muted); font-style: italic; }
.tr-text-answer p { margin: 0 0 6px !important; } .tr-text-answer ul { margin: 0 0 4px 1.1em !important; padding: 0; }
.tr-text-answer li { margin: 3px 0; }
a.tr-ref { color: var(--tr-red); font-weight: 700; text-decoration: none; cursor: pointer; padding: 0 1px; }
a.tr-ref:hover { text-decoration: underline; }
.tr-sources-head, .tr-nearest-head { font-size: .82rem; font-weight: 700; color: var(--tr-muted);
  text-transform: uppercase;
  letter-spacing: .03em; margin-top: 4px; }
.tr-sources { display: flex; flex-direction: column; gap: 8px; }
.tr-card { background: var(--tr-card); border: 1px solid var(--tr-line); border-left: 4px solid var(--tr-red);
  border-radius: 8px; padding: 9px 12px; cursor: pointer; transition: box-shadow .15s, border-color .15s; }
.tr-card:hover, .tr-card:focus { box-shadow: 0 3px 12px rgba(15,23,42,.10); border-color: #cbd5e1; outline: none; }
.tr-card-head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.tr-n { background: var(--tr-red); color: #fff; font-weight: 700; font-size: .78rem; min-width: 22px; height: 22px;
  border-radius: 6px; display: inline-grid; place-items: center; padding: 0 5px; }
.tr-doc { font-weight: 700; color: var(--tr-ink); }
.tr-date { color: var(--tr-muted); font-size: .86rem; }
.tr-issuer { color: var(--tr-muted); font-size: .82rem; margin-top: 1px; }
.tr-loc { font-size: .84rem; color: #334155; margin-top: 3px; }
blockquote.tr-quote { margin: 6px 0 2px !important; padding: 4px 0 4px 10px !important;
  border-left: 3px solid var(--tr-line);
  color: #1e293b; font-size: .93rem; line-height: 1.5; display: -webkit-box; -webkit-line-clamp: 6;
  -webkit-box-orient: vertical; overflow: hidden; font-style: normal; }
.tr-open { font-size: .8rem; color: var(--tr-red); font-weight: 600; text-align: right; }
.tr-note { font-size: .84rem; color: var(--tr-muted); font-style: italic; }
/* refusal: amber, icon, explicit label; nearest passages dashed and muted */
.tr-refusal { display: flex; gap: 12px; align-items: flex-start; background: var(--tr-amber-bg);
  border: 1px solid #f5c97a;
  border-left: 5px solid #d97706; border-radius: 10px; padding: 12px 14px; color: #78350f; }
.tr-refusal-icon { font-size: 26px; line-height: 1; color: #d97706; }
.tr-refusal-title { font-weight: 700; font-size: 1.02rem; color: #7c2d12; }
.tr-refusal-help { font-size: .88rem; margin-top: 4px; color: #92400e; }
.tr-nearest { border: 1px dashed #cbd5e1; border-left: 4px dashed #94a3b8; background: #f8fafc; opacity: .92; }
.tr-nearest .tr-n { background: #94a3b8; } .tr-nearest .tr-open { color: var(--tr-muted); }
.tr-error { background: #fef2f2; border: 1px solid #fecaca; color: #991b1b; border-radius: 8px; padding: 10px 12px; }
.tr-pending { color: var(--tr-muted); display: flex; align-items: center; gap: 10px; }
.tr-dots i { display: inline-block; width: 7px; height: 7px; margin-right: 3px; border-radius: 50%;
  background: var(--tr-red);
  animation: trpulse 1s infinite ease-in-out; } .tr-dots i:nth-child(2) { animation-delay: .15s; }
.tr-dots i:nth-child(3) { animation-delay: .3s; }
@keyframes trpulse { 0%, 100% { opacity: .25; } 50% { opacity: 1; } }
/* viewer */
.tr-viewer { background: var(--tr-card); border: 1px solid var(--tr-line); border-radius: 12px; overflow: hidden;
  display: flex; flex-direction: column; }
.tr-empty { align-items: center; justify-content: center; padding: 48px 24px; color: var(--tr-muted);
  text-align: center;
  min-height: 300px;
  background: repeating-linear-gradient(135deg, #fafbfc, #fafbfc 12px, #f4f6f8 12px, #f4f6f8 24px); }
.tr-empty-icon { color: #94a3b8; margin-bottom: 6px; }
.tr-vhead { padding: 12px 16px; border-bottom: 1px solid var(--tr-line); background: #fbfbfc; }
.tr-vtitle { font-weight: 700; font-size: 1.05rem; color: var(--tr-ink); }
.tr-vsub { color: #334155; font-size: .9rem; margin-top: 2px; }
.tr-vmeta { color: var(--tr-muted); font-size: .84rem; margin-top: 2px; }
.tr-vloc { display: inline-block; margin-top: 6px; font-size: .8rem; font-weight: 600; background: var(--tr-mark);
  color: #713f12; padding: 2px 8px; border-radius: 999px; }
.tr-vbody { display: flex; flex-direction: column; min-height: 0; }
.tr-outline { border-bottom: 1px solid var(--tr-line); padding: 6px 16px; font-size: .86rem; }
.tr-outline summary { cursor: pointer; font-weight: 600; color: #334155; }
.tr-outline nav { display: flex; flex-direction: column; max-height: 200px; overflow: auto; padding: 4px 0; }
.tr-ol { display: block; text-align: left; cursor: pointer; color: #1e3a8a; padding: 2px 0; text-decoration: none;
  white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; } .tr-ol:hover { color: var(--tr-red); text-decoration: underline; }
.tr-ol2 { padding-left: 14px; } .tr-ol3 { padding-left: 28px; font-size: .82rem; }
.tr-text { position: relative; white-space: pre-wrap; font-size: .95rem; line-height: 1.65; color: #1e293b;
  padding: 14px 18px; max-height: 560px; overflow: auto;
  font-family: "Noto Serif", "Times New Roman", "DejaVu Serif", serif; }
.tr-wide .tr-vbody { flex-direction: row; } .tr-wide .tr-outline { width: 34%; border-bottom: none;
  border-right: 1px solid var(--tr-line); } .tr-wide .tr-outline nav { max-height: 640px; }
.tr-wide .tr-text { flex: 1; max-height: 700px; }
.tr-h { color: #0f172a; } .tr-h0 { font-weight: 400; color: #475569; }
mark.tr-hl { background: var(--tr-mark); color: inherit; padding: 1px 0; border-radius: 2px;
  box-shadow: 0 0 0 2px var(--tr-mark); }
.tr-page { display: block; margin: 10px 0 6px; border-top: 1px dashed #cbd5e1; height: 0; }
.tr-page::after { content: attr(data-page); position: relative; top: -0.75em; background: #fff;
  color: var(--tr-muted);
  font: 600 .74rem/1 system-ui, sans-serif; padding: 0 6px; margin-left: 8px; }
/* tables */
.tr-table-wrap { overflow: auto; border: 1px solid var(--tr-line); border-radius: 10px; background: var(--tr-card); }
table.tr-table { width: 100%; border-collapse: collapse; font-size: .9rem; margin: 0 !important; }
.tr-table th { background: #f8fafc; text-align: left; font-weight: 700; color: #334155; padding: 8px 10px;
  border-bottom: 1px solid var(--tr-line); position: sticky; top: 0; }
.tr-table td { padding: 8px 10px; border-bottom: 1px solid #eef2f7; vertical-align: top; color: var(--tr-ink); }
.tr-table tbody tr { cursor: pointer; } .tr-table tbody tr:hover { background: #fff7f7; }
.tr-table .num { text-align: right; white-space: nowrap; } .tr-table .nowrap { white-space: nowrap; }
.tr-row-num { font-weight: 700; } .tr-row-title { color: var(--tr-muted); font-size: .83rem; margin-top: 2px; }
.tr-muted { color: #94a3b8; }
.tr-tag { font-size: .7rem; background: #e0f2fe; color: #075985; border-radius: 4px; padding: 1px 5px;
  margin-left: 4px; }
.tr-role { display: inline-block; font-size: .78rem; font-weight: 600; padding: 1px 8px; border-radius: 999px;
  background: #fef3c7; color: #92400e; white-space: nowrap; }
.tr-empty-table { padding: 18px; color: var(--tr-muted); border: 1px dashed var(--tr-line); border-radius: 10px; }
/* status lines */
.tr-status { display: flex; gap: 8px; align-items: flex-start; border-radius: 8px; padding: 8px 10px;
  font-size: .88rem; }
.tr-status-ok { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0; }
.tr-status-bad { background: #fef2f2; color: #991b1b; border: 1px solid #fecaca; }
.tr-status-info { background: #f1f5f9; color: #334155; border: 1px solid var(--tr-line); }
.tr-table th, .tr-table td { border: none !important; border-bottom: 1px solid #eef2f7 !important; }
.tr-docs td:first-child { min-width: 260px; } .tr-docs { font-size: .88rem; }
.tr-panel { background: var(--tr-card); border: 1px solid var(--tr-line); border-radius: 12px;
  padding: 14px !important;
  gap: 10px !important; }
table.tr-table, .tr-table tr, .tr-table thead, .tr-table tbody { border: none !important; }
.tr-duties th:nth-child(1) { width: 44px; } .tr-duties th:nth-child(2) { width: 104px; }
.tr-duties th:nth-child(4) { width: 110px; } .tr-duties th:nth-child(5) { width: 190px; }
.tr-duties th:nth-child(6) { width: 200px; } #tr-duties { margin-bottom: 8px; }
.tr-duty-bar { align-items: center !important; } .tr-duty-bar button { max-height: 40px;
  } .tr-duties td:nth-child(5), .tr-duties td:nth-child(6) { font-size: .82rem;
  color: #475569; }
.tr-welcome { max-width: 560px; margin: 0 auto; padding: 8px 4px; color: #334155; text-align: left; }
.tr-welcome-title { font-size: 1.2rem; font-weight: 700; color: var(--tr-red); margin-bottom: 6px; }
.tr-welcome p { margin: 0 0 8px !important; line-height: 1.55; }
.tr-nearest-box summary { cursor: pointer; text-transform: none; font-size: .86rem; padding: 4px 0; }
.tr-nearest-box[open] summary { margin-bottom: 6px; }
.tr-duty-sum { padding: 8px 12px; background: #fff; border: 1px solid var(--tr-line); border-radius: 8px;
  font-size: .92rem; color: var(--tr-ink); }
.dark .tr-card, .dark .tr-viewer, .dark .tr-table-wrap { background: #111827; }
.dark .tr-answer, .dark .tr-doc, .dark .tr-text, .dark .tr-table td, .dark .tr-vtitle { color: #e5e7eb; }
.dark .tr-vhead, .dark .tr-table th { background: #1f2937; color: #e5e7eb; }
"""

if __name__ == "__main__":
    main()
