"""HTML fragments for the web app (pure functions, no Gradio).

Everything taken from documents or users is escaped here. Elements carrying
``data-open`` open the document viewer (the page script sends the JSON payload
to the server); ``data-jump`` scrolls the viewer to a heading on the page.
The duties table is in ``ui_render_duties``, the page scripts in ``ui_render_assets``.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Sequence
from itertools import groupby

from assistant.qa.citations import NEAREST_NOTE, Answer, Citation, vn_date
from assistant.serialize import understood_as
from assistant.service.docs import DocRow, DocView, PageImage

DOC_ICON = ('<svg class="tr-empty-icon" viewBox="0 0 24 24" width="44" height="44" aria-hidden="true" fill="none" '
            'stroke="currentColor" stroke-width="1.4"><path d="M6 2.8h8l4 4V21.2H6z"/><path d="M14 2.8v4h4"/>'
            '<path d="M8.5 11h7M8.5 14h7M8.5 17h4.5"/></svg>')
REFUSAL_HELP = ("Trợ lý chỉ trả lời khi tìm được căn cứ trong văn bản. Hãy diễn đạt lại câu hỏi, "
                "bỏ bớt bộ lọc, hoặc nạp thêm văn bản có nội dung này.")
MODE_LABELS = {"extractive": "Trích dẫn nguyên văn", "llm": "LLM · trích dẫn đã kiểm chứng"}


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def open_attr(doc_id: str, target: str, start: int | None = None, end: int | None = None) -> str:
    """Attributes that make an element open ``doc_id`` in the viewer of ``target``."""
    payload = {"d": doc_id, "t": target}
    if start is not None and end is not None:
        payload |= {"s": start, "e": end}
    return f'data-open="{esc(json.dumps(payload))}" role="button" tabindex="0"'


def cite_label(c: Citation) -> str:
    if c.doc_number:
        return f"{c.doc_type or 'Văn bản'} số {c.doc_number}"
    if c.doc_type and c.date:
        return f"{c.doc_type} {'ngày ' if len(c.date) == 10 else ''}{vn_date(c.date)}"
    return c.doc_type or c.title or "Văn bản"


def source_card(c: Citation, target: str, kind: str = "source") -> str:
    """A clickable card: number, document, date, section, page and the quoted passage."""
    date = f'<span class="tr-date">{esc(vn_date(c.date))}</span>' if c.date and c.doc_number else ""
    where = " · ".join(x for x in (c.section, f"Trang {c.page}" if c.page else "") if x)
    issuer = f'<div class="tr-issuer">{esc(c.issuer)}</div>' if c.issuer else ""
    return (
        f'<div class="tr-card tr-{kind}" {open_attr(c.doc_id, target, c.start, c.end)} '
        f'title="Bấm để xem đoạn này trong văn bản gốc">'
        f'<div class="tr-card-head"><span class="tr-n">{c.n}</span>'
        f'<span class="tr-doc">{esc(cite_label(c))}</span>{date}</div>{issuer}'
        f'<div class="tr-loc">{esc(where)}</div>'
        f'<blockquote class="tr-quote">{esc(c.quote)}</blockquote>'
        f'<div class="tr-open">Xem trong văn bản gốc →</div></div>'
    )


def _text_html(text: str, citations: Sequence[Citation], target: str) -> str:
    """Answer text: paragraphs, "- " bullets, and [n] markers linking to their source."""
    by_n = {c.n: c for c in citations}

    def marker(m: re.Match[str]) -> str:
        c = by_n.get(int(m.group(1)))
        if c is None:
            return m.group(0)
        return f'<a class="tr-ref" {open_attr(c.doc_id, target, c.start, c.end)}>[{c.n}]</a>'

    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.split("\n") if ln.strip()]
        for bullet, run in groupby(lines, key=lambda ln: ln.startswith("- ")):  # lines keep their order
            run = list(run)
            if bullet:
                blocks.append("<ul>" + "".join(f"<li>{esc(i[2:])}</li>" for i in run) + "</ul>")
            else:
                blocks.append("<p>" + "<br>".join(esc(ln) for ln in run) + "</p>")
    return re.sub(r"\[(\d{1,3})\]", marker, "".join(blocks))


def _mode(mode: str) -> str:
    return f'<span class="tr-mode tr-mode-{esc(mode)}">{esc(MODE_LABELS.get(mode, mode))}</span>'


def answer_html(a: Answer, target: str = "chat") -> str:
    """The assistant's chat message: mode, text with [n] links, source cards (or a refusal)."""
    restored = understood_as(a)
    heard = f'<div class="tr-note tr-understood">Câu hỏi được hiểu là: «{esc(restored)}»</div>' if restored else ""
    if a.refused:
        return heard + refusal_html(a, target)
    cards = "".join(source_card(c, target) for c in a.citations)
    notes = "".join(f'<div class="tr-note">{esc(n)}</div>' for n in a.notes)
    sources = (f'<div class="tr-sources-head">Nguồn trích dẫn ({len(a.citations)})</div>'
               f'<div class="tr-sources">{cards}</div>') if cards else ""
    return (f'{heard}<div class="tr-answer"><div class="tr-answer-top">{_mode(a.mode)}</div>'
            f'<div class="tr-text-answer">{_text_html(a.text, a.citations, target)}</div>{notes}{sources}</div>')


def refusal_html(a: Answer, target: str = "chat") -> str:
    first, _, rest = a.text.partition("\n")
    extra = rest if not rest.startswith(NEAREST_NOTE) else ""
    detail = f"<div>{esc(extra)}</div>" if extra else ""
    near = ""
    if a.nearest:
        cards = "".join(source_card(c, target, "nearest") for c in a.nearest)
        near = (f'<details class="tr-nearest-box"><summary class="tr-nearest-head">Xem {len(a.nearest)} đoạn gần '
                'nhất — chỉ để tham khảo, <b>không phải câu trả lời</b></summary>'
                f'<div class="tr-sources">{cards}</div></details>')
    return (f'<div class="tr-answer tr-refused"><div class="tr-refusal" role="alert">'
            f'<span class="tr-refusal-icon" aria-hidden="true">⊘</span><div>'
            f'<div class="tr-refusal-title">{esc(first)}</div>{detail}'
            f'<div class="tr-refusal-help">{esc(REFUSAL_HELP)}</div></div></div>{near}</div>')


def pending_html() -> str:
    return ('<div class="tr-pending"><span class="tr-dots"><i></i><i></i><i></i></span>'
            "Đang tra cứu trong các văn bản…</div>")


def stream_html(text: str) -> str:
    return (f'<div class="tr-answer"><div class="tr-answer-top">{_mode("llm")}'
            f'<span class="tr-live">đang soạn, chưa kiểm chứng trích dẫn…</span></div><div class="tr-text-answer">'
            f'{_text_html(text, (), "chat")}</div></div>')


def error_html(message: str) -> str:
    return f'<div class="tr-error" role="alert"><span aria-hidden="true">⚠</span> {esc(message)}</div>'


def status_html(ok: bool | None, message: str) -> str:
    if not message:
        return ""
    kind = {True: "ok", False: "bad", None: "info"}[ok]
    icon = {True: "✓", False: "⚠", None: "ℹ"}[ok]
    return f'<div class="tr-status tr-status-{kind}" role="status"><span>{icon}</span><div>{esc(message)}</div></div>'


def viewer_html(view: DocView | None, target: str, mark: tuple[int, int] | None = None, wide: bool = False,
                original: PageImage | bool | None = None) -> str:
    """The document: header, the quoted page of the original file (``original``: the image, True while it is
    being drawn), outline (clickable headings), text with page marks and the highlight."""
    if view is None:
        hint = ("Chọn một văn bản trong danh sách để đọc toàn văn." if wide else
                "Bấm vào một nguồn trích dẫn để xem đoạn văn được tô sáng trong văn bản gốc.")
        return f'<div class="tr-viewer tr-empty">{DOC_ICON}<p>{esc(hint)}</p></div>'
    where, page = "", view.page_at(mark[0]) if mark else None
    if mark:
        where = f'<div class="tr-vloc">Đoạn được trích{f" · Trang {page}" if page else ""}</div>'
    meta = " · ".join(x for x in (view.issuer, f"Ngày {view.date}" if view.date[:1].isdigit() else view.date,
                                  f"{len(view.page_starts)} trang" if view.page_starts else "") if x)
    outline = "".join(
        f'<a class="tr-ol tr-ol{i.level}" data-jump="{target}-o-{i.start}">{esc(i.label)}</a>' for i in view.outline)
    nav = (f'<details class="tr-outline"{" open" if wide else ""}><summary>Mục lục ({len(view.outline)})</summary>'
           f'<nav>{outline}</nav></details>') if view.outline else ""
    back = '<button type="button" class="tr-back" data-back aria-label="Quay lại">← Quay lại</button>'
    return (f'<div class="tr-viewer{" tr-wide" if wide else ""}"><div class="tr-vhead">{back}'
            f'<div class="tr-vtitle">{esc(view.label)}</div><div class="tr-vsub">{esc(view.title)}</div>'
            f'<div class="tr-vmeta">{esc(meta)}</div>{where}</div>{original_html(original, page)}'
            f'<div class="tr-vbody">{nav}<div class="tr-text">{_doc_text(view, target, mark)}</div></div></div>')


def original_html(original: PageImage | bool | None, page: int | None) -> str:
    """The page of the original file with the quoted lines highlighted (a PNG inlined as a data: URI)."""
    if not original or not page:
        return ""
    if not isinstance(original, PageImage):
        return f'<div class="tr-orig tr-orig-wait" role="status">Đang tải ảnh trang {page} của bản gốc…</div>'
    caption = (f"Trang {original.page} của bản gốc — các dòng được trích được tô màu" if original.focus is not None
               else f"Trang {original.page} của bản gốc (chưa xác định được dòng được trích trên ảnh)")
    focus = f' data-focus="{original.focus:.4f}"' if original.focus is not None else ""
    src = "data:image/png;base64," + base64.b64encode(original.png).decode("ascii")
    return (f'<details class="tr-orig" open><summary>{esc(caption)}</summary><div class="tr-orig-box"{focus}>'
            f'<img class="tr-orig-img" src="{src}" alt="{esc(caption)}" title="Bấm để phóng to hoặc thu nhỏ"></div>'
            "</details>")


def _doc_text(view: DocView, target: str, mark: tuple[int, int] | None) -> str:
    """The text with one ``<mark>`` around ``mark``; headings and page marks are split at its edges."""
    text = view.text
    cuts = [(0, len(text), False)]
    if mark and 0 <= mark[0] < mark[1] <= len(text):
        cuts = [(0, mark[0], False), (mark[0], mark[1], True), (mark[1], len(text), False)]
    out = []
    for a, b, marked in cuts:
        inner = _decorated(view, target, a, b)
        out.append(f'<mark class="tr-hl" id="{target}-hl">{inner}</mark>' if marked else inner)
    return "".join(out)


def _decorated(view: DocView, target: str, a: int, b: int) -> str:
    """``text[a:b]`` with headings in bold (anchored) and "Trang N" marks at page starts."""
    events: list[tuple[int, int, str]] = []
    for n, start in enumerate(view.page_starts, 1):
        if a <= start < b:
            events.append((start, 0, f'<span class="tr-page" data-page="Trang {n}"></span>'))
    for item in view.outline:
        s, e = max(item.start, a), min(item.end, b)
        if s < e:
            anchor = f' id="{target}-o-{item.start}"' if s == item.start else ""
            events += [(s, 1, f'<b class="tr-h tr-h{item.level}"{anchor}>'), (e, -1, "</b>")]
    events.sort(key=lambda ev: (ev[0], ev[1]))
    out, pos = [], a
    for at, _, tag in events:
        out.append(esc(view.text[pos:at]))
        out.append(tag)
        pos = at
    out.append(esc(view.text[pos:b]))
    return "".join(out)


def documents_html(rows: Sequence[DocRow]) -> str:
    if not rows:
        return ('<div class="tr-empty-table">Chưa có văn bản nào trong chỉ mục. '
                'Người quản trị có thể nạp văn bản ở mục bên dưới.</div>')
    head = ("<tr><th>Số hiệu</th><th>Loại</th><th>Cơ quan ban hành</th><th>Ngày</th>"
            "<th class='num'>Số trang</th><th class='num'>Số đoạn</th><th>Bị thay thế bởi</th></tr>")
    body = "".join(_doc_row(r) for r in rows)
    return (f'<div class="tr-table-wrap"><table class="tr-table tr-docs"><thead>{head}</thead>'
            f'<tbody>{body}</tbody></table></div>')


def _doc_row(r: DocRow) -> str:
    number = esc(r.number) if r.number else '<span class="tr-muted">(không số)</span>'
    title = f'<div class="tr-row-title">{esc(r.title)}</div>' if r.title else ""
    upload = ' <span class="tr-tag">tải lên</span>' if r.uploaded else ""
    if len(r.sources) > 1 or (r.sources and "—" in r.sources[0]):
        items = "".join(f"<li>{esc(x)}</li>" for x in r.sources)
        title += (f'<details class="tr-row-sources"><summary>{len(r.sources)} tệp nguồn</summary>'
                  f"<ul>{items}</ul></details>")
    by = esc(", ".join(r.superseded_by)) if r.superseded_by else '<span class="tr-muted">—</span>'
    return (f'<tr {open_attr(r.doc_id, "docs")} title="Bấm để đọc toàn văn">'
            f"<td><div class='tr-row-num'>{number}{upload}</div>{title}</td>"
            f"<td data-label='Loại'>{esc(r.doc_type)}</td>"
            f"<td data-label='Cơ quan'>{esc(r.issuer)}</td><td class='nowrap' data-label='Ngày'>{esc(r.date)}</td>"
            f"<td class='num' data-label='Số trang'>{r.pages or '—'}</td>"
            f"<td class='num' data-label='Số đoạn'>{r.chunks}</td><td data-label='Bị thay thế bởi'>{by}</td></tr>")


def search_html(query: str, results: Sequence[Citation]) -> str:
    if not query.strip():
        return ""
    if not results:
        return status_html(None, "Không có đoạn văn nào khớp với từ khóa và bộ lọc hiện tại.")
    cards = "".join(source_card(c, "search", "result") for c in results)
    return (f'<div class="tr-sources-head">{len(results)} đoạn gần nhất với “{esc(query)}”</div>'
            f'<div class="tr-sources">{cards}</div>')


def welcome_html(examples_note: str = "Hoặc chọn một câu hỏi gợi ý bên dưới:") -> str:
    return (
        '<div class="tr-welcome"><div class="tr-welcome-title">Bắt đầu tra cứu</div><p>Hỏi bằng tiếng Việt, '
        "có dấu hoặc không dấu. Mỗi câu trả lời trích <b>nguyên văn</b> và ghi rõ nguồn <b>[n]</b>; bấm vào nguồn "
        "để xem đoạn văn được tô sáng trong văn bản gốc.</p><p>Nếu các văn bản đã nạp không có nội dung cần hỏi, "
        "trợ lý nói rõ là <b>không tìm thấy</b> chứ không suy đoán.</p>"
        f'<p class="tr-muted">{esc(examples_note)}</p></div>'
    )


def header_html(mode: str, docs: int, chunks: int) -> str:
    return (
        '<header class="tr-header"><div class="tr-brand"><span class="tr-emblem" aria-hidden="true">★</span><div>'
        '<h1>Tra cứu văn bản chỉ đạo</h1><p>Hỏi đáp và tìm kiếm có trích dẫn nguyên văn trên các văn bản '
        'của Đảng và Nhà nước đã nạp</p></div></div>'
        f'<div class="tr-header-side"><span class="tr-stat">{docs} văn bản · {chunks} đoạn</span>'
        f'<span class="tr-mode-global">Chế độ trả lời: <b>{esc(mode)}</b></span>'
        '<button type="button" class="tr-filters-btn" data-filters aria-label="Mở bộ lọc văn bản">'
        '<span aria-hidden="true">⚲</span> Bộ lọc</button></div></header>'
    )
