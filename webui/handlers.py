"""Event handlers of the web app: plain values in, HTML fragments and Gradio updates out.

Every operation is in ``assistant.service`` and every HTML fragment in
``webui.render`` (the duties table in ``webui.render_duties``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.qa.citations import Answer
from assistant.serialize import answer_json
from assistant.service import Service, TracuuError, make_filters
from webui import render as R
from webui.render_duties import duties_html, duties_summary

TARGETS = ("chat", "search", "duties", "docs")
TRACK = gr.Progress(track_tqdm=True)  # the upload's progress bar also follows the embedding (tqdm)


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

    def open(self, evt: gr.EventData) -> Iterator[list]:
        """A click on a source, a table row or a citation marker: show that document in that tab's viewer; a
        quoted page of a PDF or a page image follows as soon as it is drawn."""
        try:
            payload = json.loads(evt.open)
        except (AttributeError, TypeError, ValueError):
            yield [gr.skip()] * len(TARGETS)
            return
        target = payload.get("t") if payload.get("t") in TARGETS else "docs"
        mark = (int(payload["s"]), int(payload["e"])) if "s" in payload and "e" in payload else None
        view = self.svc.document(str(payload.get("d", "")))
        if view is None:
            yield self._viewers(target, R.error_html(
                "Văn bản này không còn trong chỉ mục (có thể vừa bị xóa). Hãy hỏi lại để có nguồn mới."))
            return
        paged = bool(mark and view.page_starts)
        yield self._viewers(target, R.viewer_html(view, target, mark, target == "docs", paged))
        if paged and mark:
            try:
                original = self.svc.page_image(view.doc_id, *mark)
            except TracuuError:  # the index changed meanwhile: the text stays, without the page
                original = None
            yield self._viewers(target, R.viewer_html(view, target, mark, target == "docs", original))

    @staticmethod
    def _viewers(target: str, page: str) -> list:
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
        hidden = (gr.DownloadButton(visible=False),) * 3
        if not (typed or "").strip():
            return "", "", *hidden
        body = self.svc.resolve_body(typed)
        if body is None:
            note = R.status_html(False, f"Không nhận ra cơ quan “{typed}”. Hãy chọn một tên trong danh sách.")
            return note, "", *hidden
        rows = self.svc.duties(body, doc_id or None, role or None)
        if not rows:
            return duties_summary(body, typed or "", rows), duties_html(rows, body), *hidden
        files = self.svc.export_duties(rows, body)  # CSV, XLSX, DOCX
        return (duties_summary(body, typed or "", rows), duties_html(rows, body),
                *(gr.DownloadButton(value=str(f), visible=True) for f in files))

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
