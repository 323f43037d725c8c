"""A page of the original file as a PNG with quoted passages highlighted (for "Xem trong văn bản gốc").

Scanned pages use the word boxes kept in the OCR cache; pages with a real text layer use the PDF's own
character boxes (pypdfium2 text search).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import LoadError
from indexer.vntext import fold

if TYPE_CHECKING:
    from PIL import Image

    from indexer.readers.ocr_lines import OcrPage

VIEW_WIDTH = 1240  # pixels of the returned image (about 150 dpi across A4)
MIN_MATCH = 0.6  # share of a quote's words that must be found in order on the page
_FILL = (255, 214, 0, 110)


def page_image_with_highlights(path: str | Path, page: int, quotes: Sequence[str], cache: Path | None) -> bytes:
    """PNG of page ``page`` (1-based) of ``path`` with every quote in ``quotes`` highlighted.

    ``cache`` is the OCR cache file (``indexer.readers.ocr.config_for(settings).cache``).
    """
    from indexer.readers import sniff
    from indexer.readers.ocr import PageSource, page_image
    from indexer.readers.ocr_clean import orient

    path = Path(path)
    data = path.read_bytes()
    kind = sniff(data, path.suffix.lower())
    if kind not in ("pdf", "image"):
        raise LoadError(str(path), "no_pages", f"Tệp {path.name} không có trang ảnh để hiển thị.")
    source = PageSource(kind, page - 1)
    ocr = _cached_page(cache, hashlib.sha256(data).hexdigest(), page - 1)
    if ocr is not None:
        image = orient(page_image(data, source).convert("RGB"), ocr.geometry)
        boxes = [box for q in quotes for box in _ocr_boxes(ocr, q)]
    elif kind == "pdf":
        image = page_image(data, source, dpi=150)
        boxes = [box for q in quotes for box in _pdf_boxes(data, page - 1, q, image.width)]
    else:
        image, boxes = page_image(data, source), []
    return _png(_draw(image, boxes))


def _cached_page(cache: Path | None, digest: str, index: int) -> OcrPage | None:
    if cache is None or not Path(cache).is_file():
        return None
    from indexer.ocrcache import OcrCache

    store = OcrCache(Path(cache))
    try:
        return store.any_page(digest, index)
    finally:
        store.close()


def _tokens(text: str) -> list[str]:
    return [t for t in (re.sub(r"[^\w]", "", fold(w)) for w in text.split()) if t]


def _ocr_boxes(page: OcrPage, quote: str) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) of the page words that best match ``quote`` in order."""
    words = [(t, w) for w in page.words for t in _tokens(w[0])[:1]]
    wanted = _tokens(quote)
    if not wanted or not words:
        return []
    best, best_at = 0.0, -1
    for i in range(max(1, len(words) - len(wanted) + 1)):
        window = [t for t, _ in words[i:i + len(wanted)]]
        score = sum(a == b for a, b in zip(window, wanted, strict=False)) / len(wanted)
        if score > best:
            best, best_at = score, i
    if best < MIN_MATCH:
        return []
    return [(w[1], w[2], w[1] + w[3], w[2] + w[4]) for _, w in words[best_at:best_at + len(wanted)]]


def _pdf_boxes(data: bytes, index: int, quote: str, width_px: int) -> list[tuple[int, int, int, int]]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[index]
        width, height = page.get_size()
        scale = width_px / width
        text = page.get_textpage()
        found = text.search(" ".join(quote.split()[:12]), match_case=False).get_next()
        if not found:
            return []
        start, count = found
        boxes = []
        for i in range(text.count_rects(start, count)):
            left, bottom, right, top = text.get_rect(i)
            boxes.append((int(left * scale), int((height - top) * scale), int(right * scale),
                          int((height - bottom) * scale)))
        return boxes
    finally:
        pdf.close()


def _draw(image: Image.Image, boxes: list[tuple[int, int, int, int]]) -> Image.Image:
    from PIL import Image as PILImage
    from PIL import ImageDraw

    layer = PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - 3, top - 3, right + 3, bottom + 3), fill=_FILL)
    out = PILImage.alpha_composite(image.convert("RGBA"), layer).convert("RGB")
    if out.width > VIEW_WIDTH:
        out = out.resize((VIEW_WIDTH, round(out.height * VIEW_WIDTH / out.width)), PILImage.Resampling.LANCZOS)
    return out


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", optimize=True)
    return buf.getvalue()
