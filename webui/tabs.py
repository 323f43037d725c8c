"""The side panel and the four tabs of the web app: components and their events.

``ui.build_app`` lays them out and wires what spans tabs (the viewers, refresh, admin actions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.service import Service
from webui import render as R
from webui.assets import VIEWER_JS
from webui.handlers import Handlers

EXAMPLES = (
    "Ban Tổ chức Trung ương được giao những nhiệm vụ gì?",
    "Kết luận 54 ban hành ngày nào?",
    "BTG TW phối hợp với ai để quản lý hoạt động truyền thông?",
    "phuong cham dan biet dan ban dan lam dan kiem tra",
)
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


def sidebar(svc: Service) -> tuple[FilterInputs, gr.Button, gr.HTML, gr.HTML]:
    types, issuers = svc.facets()
    # Closed at first: the page script opens it on screens wider than a phone (on a phone it would cover
    # the question box); the header's "Bộ lọc" button opens it there.
    with gr.Sidebar(label="Bộ lọc", open=False, width=290, elem_id="tr-sidebar"):
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
        gr.HTML('<button type="button" class="tr-filters-done" data-filters>Xong, quay lại câu hỏi</button>')
        index_note = gr.HTML(elem_id="tr-index-status")
    return filters, clear, note, index_note


def _viewer(target: str, wide: bool = False) -> gr.HTML:
    return gr.HTML(R.viewer_html(None, target, wide=wide), js_on_load=VIEWER_JS, elem_id=f"tr-viewer-{target}",
                   elem_classes=["tr-viewer-box"])


def _example_text(evt: gr.SelectData) -> str:
    return str(evt.value.get("text", "")) if isinstance(evt.value, dict) else str(evt.value)


def chat_tab(h: Handlers, filters: FilterInputs) -> dict[str, Any]:
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
                new = gr.Button("Hỏi lại từ đầu", variant="secondary", scale=1, min_width=140, elem_id="tr-new")
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


def search_tab(h: Handlers, filters: FilterInputs) -> dict[str, Any]:
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


def duties_tab(h: Handlers) -> dict[str, Any]:
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
            word = gr.DownloadButton("Bảng phân công (Word)", visible=False, size="sm", scale=1, min_width=170,
                                     elem_id="tr-docx")
        table = gr.HTML(elem_id="tr-duties")
        viewer = _viewer("duties")
    gr.on([body.change, doc.change, role.change], h.duties, [body, doc, role], [summary, table, csv, xlsx, word],
          api_visibility="private", concurrency_id="answer", concurrency_limit=ANSWER_WORKERS)
    return {"viewer": viewer, "body": body, "doc": doc}


def docs_tab(h: Handlers) -> dict[str, Any]:
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
                upload = gr.UploadButton("Chọn tệp để nạp (PDF, DOCX, DOC, TXT, HTML, Markdown, ảnh)",
                                         interactive=admin, variant="primary", elem_id="tr-upload")
                admin_status = gr.HTML(elem_id="tr-admin-status")
                gr.HTML(f'<p class="tr-side-help">Tối đa {h.svc.settings.max_file_mb} MB mỗi tệp; loại tệp được '
                        "kiểm tra theo nội dung. Văn bản mới được nạp thêm vào chỉ mục, không phải xây lại.</p>")
                victim = gr.Dropdown([], label="Văn bản cần xóa", interactive=admin, elem_id="tr-victim")
                remove = gr.Button("Xóa khỏi chỉ mục", variant="stop", interactive=admin)
    return {"viewer": viewer, "table": table, "password": password, "upload": upload, "victim": victim,
            "remove": remove, "status": admin_status}
