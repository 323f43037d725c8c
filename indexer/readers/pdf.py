"""PDF with a text layer: pages of lines (pypdf), paragraph starts from its layout mode."""

from __future__ import annotations

import io
import re
from pathlib import Path

from indexer.errors import LoadError
from indexer.readers.raw import Raw


def read_pdf(path: Path, data: bytes) -> Raw:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock(path, reader)
        pages = [(page.extract_text() or "").split("\n") for page in reader.pages]
        layouts = [_layout_lines(page) for page in reader.pages]
    except LoadError:
        raise
    except Exception as exc:  # deliberate: pypdf raises many unrelated types on damaged files
        raise LoadError(
            str(path), "corrupt_pdf",
            f"Tệp {path.name} không phải PDF hợp lệ hoặc đã bị hỏng ({type(exc).__name__}). "
            "Hãy mở thử tệp bằng trình đọc PDF, xuất lại bản PDF rồi nạp lại.",
        ) from exc
    letters = sum(ch.isalpha() for lines in pages for ln in lines for ch in ln)
    if letters < 20 * max(1, len(pages)) // 4 or letters < 40:
        raise LoadError(
            str(path), "no_text_layer",
            f"Tệp {path.name} là PDF dạng ảnh quét, không có lớp chữ nên không đọc được nội dung. "
            "Hãy nhận dạng chữ (OCR) tệp này hoặc dùng bản PDF/DOCX gốc có chữ rồi nạp lại.",
        )
    return Raw(pages=pages, source_format="pdf", wrapped=True, starts=paragraph_starts(pages, layouts))


def _layout_lines(page: object) -> list[str]:
    try:
        return (page.extract_text(extraction_mode="layout") or "").split("\n")  # type: ignore[attr-defined]
    except Exception:  # deliberate: layout mode is a hint only
        return []


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)[:14]


def paragraph_starts(pages: list[list[str]], layouts: list[list[str]]) -> list[list[bool | None]] | None:
    """Paragraph starts read off pypdf's layout mode: a blank line before, or a first-line indent.

    The plain text (more faithful characters) is aligned line by line with the layout text by
    their first characters; lines that cannot be aligned stay unknown. Returns None when the
    document shows neither signal (the caller then falls back on line lengths).
    """
    result: list[list[bool | None]] = []
    signals = 0
    for plain, layout in zip(pages, layouts, strict=True):
        marks = _layout_marks(layout)
        flags: list[bool | None] = []
        pos = 0
        for line in plain:
            key = _key(line)
            found = next((j for j in range(pos, min(pos + 6, len(marks))) if key and marks[j][0] == key), None)
            if found is None:
                flags.append(None)
                continue
            flags.append(marks[found][1])
            signals += marks[found][1]
            pos = found + 1
        result.append(flags)
    return result if signals >= max(3, len(pages)) else None


def _layout_marks(layout: list[str]) -> list[tuple[str, bool]]:
    body = [ln for ln in layout if len(ln.strip()) > 40]
    base = min((len(ln) - len(ln.lstrip()) for ln in body), default=0)
    marks: list[tuple[str, bool]] = []
    blank = seen_body = False  # blank lines above the page's first body line (page numbers) don't count
    for ln in layout:
        if not ln.strip():
            blank = seen_body
            continue
        indent = len(ln) - len(ln.lstrip())
        marks.append((_key(ln), blank or indent >= base + 3))
        blank = False
        seen_body = seen_body or len(ln.strip()) > 40
    return marks


def _unlock(path: Path, reader: object) -> None:
    if not getattr(reader, "is_encrypted", False):
        return
    try:
        ok = reader.decrypt("")  # type: ignore[attr-defined]
    except Exception:  # deliberate: pypdf raises several types here
        ok = 0
    if not ok:
        raise LoadError(
            str(path), "encrypted",
            f"Tệp {path.name} được đặt mật khẩu nên không đọc được. "
            "Hãy gỡ mật khẩu (hoặc xin bản không khóa) rồi nạp lại.",
        )
