"""DOCX (python-docx): body paragraphs and tables in document order."""

from __future__ import annotations

import io
from pathlib import Path

from indexer.errors import LoadError
from indexer.readers.raw import Raw


def read_docx(path: Path, data: bytes) -> Raw:
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # deliberate: python-docx/zipfile raise many types
        raise LoadError(
            str(path), "corrupt_docx",
            f"Tệp {path.name} không phải tệp Word (.docx) hợp lệ hoặc đã bị hỏng. "
            "Hãy mở bằng Word/LibreOffice, lưu lại dạng .docx rồi nạp lại.",
        ) from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_table_lines(block))
    return Raw(pages=[_split_lines(lines)], source_format="docx")


def _table_lines(table: object) -> list[str]:
    lines: list[str] = []
    for row in table.rows:  # type: ignore[attr-defined]
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # merged cells repeat
                continue
            seen.add(id(cell._tc))
            lines.extend(p.text for p in cell.paragraphs)
    return lines


def _split_lines(lines: list[str]) -> list[str]:
    return [part for ln in lines for part in ln.replace("\v", "\n").split("\n")]
