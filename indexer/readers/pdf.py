"""PDF: pages of lines from the text layer (pypdf), paragraph starts from its layout mode; pages whose
layer is missing or unusable (a scan, a signing stamp, garbled OCR) are recognised from their image."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import LoadError
from indexer.readers.raw import Raw
from indexer.readers.textlayer import usable

MIN_IMAGE_AREA = 0.05  # a page without usable text whose images cover this share of it is read by OCR

if TYPE_CHECKING:
    from indexer.readers.ocr import OcrConfig


def read_pdf(path: Path, data: bytes, ocr: OcrConfig | None = None) -> Raw:
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
    scanned = scanned_pages(data, pages)
    if not scanned:
        _require_text(path, pages)
        return Raw(pages=pages, source_format="pdf", wrapped=True, starts=paragraph_starts(pages, layouts))
    return _with_ocr(path, data, pages, layouts, scanned, ocr)


def _require_text(path: Path, pages: list[list[str]]) -> None:
    letters = sum(ch.isalpha() for lines in pages for ln in lines for ch in ln)
    if letters < 20 * max(1, len(pages)) // 4 or letters < 40:
        raise LoadError(
            str(path), "no_text_layer",
            f"Tệp {path.name} là PDF không có lớp chữ và không có ảnh trang để nhận dạng chữ (OCR). "
            "Hãy dùng bản PDF/DOCX gốc có chữ rồi nạp lại.",
        )


def scanned_pages(data: bytes, pages: list[list[str]]) -> list[int]:
    """Pages (0-based) covered by an image whose text layer is missing or not real Vietnamese text."""
    suspects = [i for i, lines in enumerate(pages) if not usable("\n".join(lines))]
    if not suspects:
        return []
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(data)
    try:
        out = []
        for i in suspects:
            page = pdf[i]
            width, height = page.get_size()
            area = 0.0
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                area = max(area, (right - left) * (top - bottom) / max(width * height, 1.0))
            if area >= MIN_IMAGE_AREA:
                out.append(i)
        return out
    finally:
        pdf.close()


def _with_ocr(
    path: Path, data: bytes, pages: list[list[str]], layouts: list[list[str]], scanned: list[int],
    config: OcrConfig | None,
) -> Raw:
    from indexer.readers.ocr import OcrConfig, PageSource, confidence_notes, recognise

    done = recognise(path, data, [PageSource("pdf", i) for i in scanned], config or OcrConfig())
    for i, page in zip(scanned, done, strict=True):
        pages[i] = list(page.lines)
        layouts[i] = []
    starts = paragraph_starts(pages, layouts, min_signals=0) or [[None] * len(p) for p in pages]
    for i, page in zip(scanned, done, strict=True):
        starts[i] = list(page.starts)
    if not any(ch.isalpha() for lines in pages for ln in lines for ch in ln):
        raise LoadError(
            str(path), "no_text_layer",
            f"Tệp {path.name} là PDF dạng ảnh quét nhưng nhận dạng chữ (OCR) không đọc được chữ nào trên các "
            "trang. Hãy quét lại rõ hơn (200-300 dpi, trang thẳng) hoặc dùng bản PDF/DOCX gốc có chữ rồi nạp lại.",
        )
    what = "cả" if len(scanned) == len(pages) else f"{len(scanned)}/{len(pages)}"
    notes = (f"Đã nhận dạng chữ (OCR) {what} trang ảnh quét.",)
    notes += confidence_notes([(i + 1, page) for i, page in zip(scanned, done, strict=True)])
    return Raw(pages=pages, source_format="pdf", wrapped=True, starts=starts, ocr_pages=tuple(scanned), notes=notes)


def _layout_lines(page: object) -> list[str]:
    try:
        return (page.extract_text(extraction_mode="layout") or "").split("\n")  # type: ignore[attr-defined]
    except Exception:  # deliberate: layout mode is a hint only
        return []


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)[:14]


def paragraph_starts(
    pages: list[list[str]], layouts: list[list[str]], min_signals: int | None = None
) -> list[list[bool | None]] | None:
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
    needed = max(3, len(pages)) if min_signals is None else min_signals
    return result if signals >= needed else None


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
