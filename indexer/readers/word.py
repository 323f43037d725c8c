"""DOCX (python-docx): the body as Word shows it.

Body paragraphs and tables in document order; the labels Word's automatic
numbering draws ("1.", "a)", "-", see ``indexer.readers.numbering``) written
in front of their paragraphs, since a cadre sees and cites them; text boxes
(where the header block with số hiệu and ngày often sits) read where they are
anchored; page headers and footers left out of the body (running titles and
page numbers, not document text). A paragraph laid out in two columns with
tabs ("ỦY BAN NHÂN DÂN<tab>CỘNG HÒA XÃ HỘI ...") is read as two lines.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from indexer.errors import LoadError
from indexer.readers.numbering import Numbering
from indexer.readers.raw import Raw
from indexer.readers.tables import table_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TABS = re.compile(r"\t+")


def read_docx(path: Path, data: bytes) -> Raw:
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # deliberate: python-docx/zipfile raise many types
        raise LoadError(
            str(path), "corrupt_docx",
            f"Tệp {path.name} không phải tệp Word (.docx) hợp lệ hoặc đã bị hỏng. "
            "Hãy mở bằng Word/LibreOffice, lưu lại dạng .docx rồi nạp lại.",
        ) from exc
    reader = _Body(Numbering.of(document))
    lines = [ln for ln in reader.blocks(document.element.body, document) if ln.strip()]
    return Raw(pages=[lines], source_format="docx", starts=[[True] * len(lines)])


class _Body:
    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering

    def blocks(self, element: Any, parent: Any) -> list[str]:
        """Lines of a body, table cell or text box: paragraphs and tables in order, content controls opened."""
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        lines: list[str] = []
        for child in element:
            if child.tag == f"{_W}p":
                lines.extend(self.paragraph(Paragraph(child, parent)))
            elif child.tag == f"{_W}tbl":
                lines.extend(self.table(Table(child, parent)))
            elif child.tag in (f"{_W}sdt", f"{_W}customXml"):
                content = child.find(f"{_W}sdtContent") if child.tag == f"{_W}sdt" else child
                lines.extend(self.blocks(content, parent) if content is not None else [])
        return lines

    def paragraph(self, para: Any) -> list[str]:
        lines = self.text_boxes(para)
        text = paragraph_text(para._p)
        if text.strip():
            label = self.numbering.label(para)
            if label:
                text = f"{label} {text.lstrip()}"
            lines.extend(_split(text))
        return lines

    def table(self, table: Any) -> list[str]:
        rows: list[list[str]] = []
        for row in table.rows:
            seen: set[int] = set()
            cells: list[str] = []
            for cell in row.cells:
                if id(cell._tc) in seen:  # a merged cell is returned once per grid column: one cell, then empty
                    cells.append("")
                    continue
                seen.add(id(cell._tc))
                cells.append("\n".join(self.blocks(cell._tc, cell)))
            rows.append(cells)
        return table_lines(rows)

    def text_boxes(self, para: Any) -> list[str]:
        """Paragraphs of the text boxes anchored in ``para`` (the VML fallback copy skipped)."""
        lines: list[str] = []
        for box in para._p.iter(f"{_W}txbxContent"):
            if _owner(box.getparent(), para._p) is para._p:  # not the fallback copy, not a box inside a box
                lines.extend(self.blocks(box, para._parent))
        return lines


_TEXT_TAGS = {f"{_W}t": None, f"{_W}tab": "\t", f"{_W}br": "\n", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}
_SKIP = {f"{_W}txbxContent", _MC_FALLBACK, f"{_W}del", f"{_W}moveFrom"}


def paragraph_text(p: Any) -> str:
    """The text Word shows for one paragraph: runs inside hyperlinks, tracked insertions, content
    controls, smart tags and simple fields included; deleted text and text boxes left out."""
    out: list[str] = []
    for el in p.iter(*_TEXT_TAGS):
        if _owner(el.getparent(), p) is p:
            mapped = _TEXT_TAGS[el.tag]
            out.append((el.text or "") if mapped is None else mapped)
    return "".join(out)


def _owner(element: Any, p: Any) -> Any:
    """``p`` when ``element`` lies in ``p`` outside any deletion, text box or fallback copy; else the blocker."""
    while element is not None and element is not p and element.tag not in _SKIP:
        element = element.getparent()
    return element


def _split(text: str) -> list[str]:
    """Manual line breaks split a paragraph; so do tabs between two multi-word columns."""
    out: list[str] = []
    for line in text.replace("\v", "\n").split("\n"):
        parts = [p.strip() for p in _TABS.split(line) if p.strip()]
        if len(parts) > 1 and len(line) < 200 and all(len(p.split()) >= 2 for p in parts):
            out.extend(parts)
        else:
            out.append(_TABS.sub(" ", line))
    return out
