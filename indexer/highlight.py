"""A page of the original file as a PNG with quoted passages highlighted (for "Xem trong văn bản gốc").

Scanned pages use the word boxes kept in the OCR cache; pages with a real text layer use the PDF's own
character boxes (pypdfium2 text search).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class HighlightedPage:
    """A page image with its highlights: PNG bytes, and where the first highlight starts."""

    png: bytes
    focus: float | None  # top of the highest highlight as a share of the image height; None when none was found


def page_image_with_highlights(path: str | Path, page: int, quotes: Sequence[str], cache: Path | None) -> bytes:
    """PNG of page ``page`` (1-based) of ``path`` with every quote in ``quotes`` highlighted.

    ``cache`` is the OCR cache file (``indexer.readers.ocr.config_for(settings).cache``).
    """
    return highlighted_page(path, page, quotes, cache).png


def highlighted_page(path: str | Path, page: int, quotes: Sequence[str], cache: Path | None) -> HighlightedPage:
    """``page_image_with_highlights`` with the highlight's position (to scroll a viewer to it)."""
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
    boxes = _bands(boxes)
    focus = min(b[1] for b in boxes) / image.height if boxes else None
    return HighlightedPage(_png(_draw(image, boxes)), focus)


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


Box = tuple[int, int, int, int]  # left, top, right, bottom in pixels of the page image


def _best_window(words: list[tuple[str, Box]], quote: str) -> list[Box]:
    """Boxes of the run of page words that best matches ``quote`` word for word (none below ``MIN_MATCH``)."""
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
    return [box for _, box in words[best_at:best_at + len(wanted)]]


def _ocr_boxes(page: OcrPage, quote: str) -> list[Box]:
    """Boxes of the recognised words that best match ``quote`` in order."""
    return _best_window([(t, (w[1], w[2], w[1] + w[3], w[2] + w[4])) for w in page.words
                         for t in _tokens(w[0])[:1]], quote)


def _pdf_boxes(data: bytes, index: int, quote: str, width_px: int) -> list[Box]:
    """Boxes of the words of the PDF's text layer that best match ``quote`` (lines may break anywhere in it)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        page = pdf[index]
        scale, height = width_px / page.get_width(), page.get_height()
        text = page.get_textpage()
        count = text.count_chars()
        chars = text.get_text_range(0, count)
        if len(chars) != count:  # pdfium and Python disagree on the characters: no safe boxes
            return []
        words: list[tuple[str, Box]] = []
        word, box = "", None
        for i, ch in enumerate([*chars, " "]):
            if ch.isspace():
                words += [(t, box) for t in _tokens(word)[:1] if box]
                word, box = "", None
                continue
            left, bottom, right, top = text.get_charbox(i)
            char = (int(left * scale), int((height - top) * scale), int(right * scale), int((height - bottom) * scale))
            word, box = word + ch, _union(box, char) if box else char
        return _best_window(words, quote)
    finally:
        pdf.close()


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _bands(boxes: list[Box]) -> list[Box]:
    """Word boxes in reading order joined into one band per line (the spaces between quoted words too)."""
    bands: list[Box] = []
    for box in boxes:
        if bands:
            last, size = bands[-1], box[3] - box[1]
            overlap = min(last[3], box[3]) - max(last[1], box[1])
            if overlap > 0.5 * min(last[3] - last[1], size) and -2 * size < box[0] - last[2] < 2 * size:
                bands[-1] = _union(last, box)
                continue
        bands.append(box)
    return bands


def _draw(image: Image.Image, boxes: list[Box]) -> Image.Image:
    """The page at most ``VIEW_WIDTH`` wide (shrunk first: drawing on a 300 dpi page is slow) with the boxes."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    scale = min(1.0, VIEW_WIDTH / image.width)
    if scale < 1.0:
        image = image.resize((VIEW_WIDTH, round(image.height * scale)), PILImage.Resampling.LANCZOS)
    layer = PILImage.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    pad = max(1, round(3 * scale))
    for left, top, right, bottom in boxes:
        draw.rectangle((left * scale - pad, top * scale - pad, right * scale + pad, bottom * scale + pad), fill=_FILL)
    return PILImage.alpha_composite(image.convert("RGBA"), layer).convert("RGB")


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "PNG", compress_level=6)  # "optimize" doubles the time for a few per cent
    return buf.getvalue()
