"""The "Bảng phân công nhiệm vụ" as a Word table, laid out to paste into a Kế hoạch thực hiện.

One table row per register row: STT, cơ quan chủ trì, cơ quan phối hợp, nhiệm vụ, thời hạn, căn cứ. The bodies
a task names beside the selected one come from the whole register (the same quoted passage). A4 landscape,
Times New Roman, a grid table whose header row repeats on every page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.duties.export import citation
from assistant.duties.rules import LEAD, PARTNER

if TYPE_CHECKING:
    from assistant.duties.model import Duty

HEADER = ("STT", "Cơ quan chủ trì", "Cơ quan phối hợp", "Nhiệm vụ", "Thời hạn", "Căn cứ")
WIDTHS_CM = (1.2, 4.0, 4.0, 9.5, 3.0, 5.0)  # 26.7 cm: A4 landscape less 1.5 cm margins
FONT = "Times New Roman"


def assignment_rows(rows: Iterable[Duty], register: Iterable[Duty] = ()) -> list[tuple[str, ...]]:
    """(STT, chủ trì, phối hợp, nhiệm vụ, thời hạn, căn cứ) for each row; ``register`` names the other
    bodies of the same passage (who leads when the row's body cooperates, who cooperates when it leads)."""
    by_passage: dict[tuple[str, int, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in register:
        bodies = by_passage[(r.doc_id, r.start, r.end)][r.role]
        if r.body not in bodies:
            bodies.append(r.body)
    out = []
    for k, r in enumerate(rows, start=1):
        roles = by_passage.get((r.doc_id, r.start, r.end), {})
        if r.role == PARTNER:
            lead, partners = roles.get(LEAD, []), [r.body]
        else:
            lead, partners = [r.body], [b for b in roles.get(PARTNER, []) if b != r.body]
        out.append((str(k), ", ".join(lead), ", ".join(partners), _sentence(r.task), r.deadline or "", citation(r)))
    return out


def _sentence(task: str) -> str:
    task = task.strip()
    return task[:1].upper() + task[1:] if task else task


def write_docx(rows: Sequence[Duty], path: str | Path, register: Iterable[Duty] = (), body: str | None = None) -> Path:
    """The table in a landscape A4 document with a title; returns ``path``."""
    from docx import Document
    from docx.shared import Pt

    path = Path(path)
    doc = Document()
    _page(doc)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(_qn("w:eastAsia"), FONT)
    _title(doc, body)
    values = assignment_rows(rows, register)
    table = doc.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    _fill_row(table.rows[0], HEADER, bold=True)
    _repeat_header(table.rows[0])
    for row_values in values:
        _fill_row(table.add_row(), row_values)
    _widths(table)
    doc.save(str(path))
    return path


def _page(doc) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)


def _title(doc, body: str | None) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.add_run("BẢNG PHÂN CÔNG NHIỆM VỤ").bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = f"của {body} " if body else ""
    sub.add_run(f"({note}theo các văn bản đã nạp; kèm theo Kế hoạch thực hiện số …/KH-…, ngày … tháng … năm …)"
                ).italic = True


def _fill_row(row, values: Sequence[str], bold: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        para = cell.paragraphs[0]
        run = para.add_run(value)
        run.bold, run.font.size = bold, Pt(12)
        if bold or i in (0, 4):
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _repeat_header(row) -> None:
    """Mark the row as a header row, repeated at the top of every page (w:tblHeader)."""
    from docx.oxml import OxmlElement

    mark = OxmlElement("w:tblHeader")
    mark.set(_qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(mark)


def _widths(table) -> None:
    from docx.shared import Cm

    table.autofit = False
    for column, width in zip(table.columns, WIDTHS_CM, strict=True):  # the grid Word and LibreOffice lay out
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS_CM, strict=True):
            cell.width = Cm(width)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
