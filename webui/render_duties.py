"""HTML for the duties register tab (pure functions, no Gradio).

Each row carries ``data-open`` so a click shows its quote in the duties viewer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.duties.bodies import key
from assistant.qa.citations import reader_section
from webui.render import esc, open_attr


class DutyLike(Protocol):
    """The fields of ``assistant.duties.model.Duty`` the table shows."""

    role: str
    task: str
    deadline: str | None
    doc_id: str
    doc_number: str | None
    section: str
    page: int | None
    start: int
    end: int
    source: str  # the document as cited, for rows of documents without a number


def duties_html(rows: Sequence[DutyLike], body: str) -> str:
    """Rows of ``assistant.duties.model.Duty``; each row opens its quote in the viewer."""
    if not rows:
        return (f'<div class="tr-empty-table">Không có nhiệm vụ nào giao cho {esc(body)} trong các văn bản '
                "đã nạp (với bộ lọc đang chọn).</div>")
    head = ("<tr><th class='num'>STT</th><th>Vai trò</th><th>Nhiệm vụ</th><th>Thời hạn</th><th>Văn bản</th>"
            "<th>Mục</th></tr>")
    out = []
    for i, d in enumerate(rows, 1):
        page = f" · Trang {d.page}" if d.page else ""
        deadline = esc(d.deadline) if d.deadline else "<span class='tr-muted'>—</span>"
        out.append(
            f'<tr {open_attr(d.doc_id, "duties", d.start, d.end)} title="Bấm để xem nguyên văn">'
            f"<td class='num'>{i}</td><td><span class='tr-role'>{esc(d.role)}</span>{_named(d.body, body)}</td>"
            f"<td class='tr-task'>{esc(d.task)}</td><td data-label='Thời hạn'>{deadline}</td>"
            f"<td data-label='Văn bản'>{esc(d.doc_number or d.source)}</td>"
            f"<td data-label='Mục'>{esc(reader_section(d.section))}{page}</td></tr>"
        )
    return (f'<div class="tr-table-wrap"><table class="tr-table tr-duties"><thead>{head}</thead>'
            f'<tbody>{"".join(out)}</tbody></table></div>')


def _named(written: str, asked: str) -> str:
    """The body as the document names it, under the role, when that is another spelling of the one asked."""
    return "" if key(written) == key(asked) else f"<div class='tr-muted'>{esc(written)}</div>"


def duties_summary(body: str, typed: str, rows: Sequence[DutyLike]) -> str:
    alias = f" (hiểu “{esc(typed)}” là {esc(body)})" if typed and typed != body else ""
    roles: dict[str, int] = {}
    for d in rows:
        roles[d.role] = roles.get(d.role, 0) + 1
    parts = ", ".join(f"{n} {esc(r)}" for r, n in roles.items())
    return (f'<div class="tr-duty-sum"><b>{esc(body)}</b>{alias}: {len(rows)} nhiệm vụ'
            f'{f" — {parts}" if parts else ""}. Bấm vào một dòng để xem nguyên văn.</div>')
