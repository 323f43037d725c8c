"""Page images (PNG, JPEG, TIFF; a scan or a phone photo of a page): every frame is recognised by OCR."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import LoadError
from indexer.readers.raw import Raw

if TYPE_CHECKING:
    from indexer.readers.ocr import OcrConfig
    from indexer.readers.ocr_lines import OcrPage

MIN_CONFIDENT_LETTERS = 40  # letters in words Tesseract is fairly sure of; fewer means a picture, not a page
CONFIDENT = 60.0
MAX_FRAMES = 500


def read_image(path: Path, data: bytes, ocr: OcrConfig | None = None) -> Raw:
    from indexer.readers.ocr import OcrConfig, PageSource, confidence_notes, recognise

    frames = _frames(path, data)
    pages = recognise(path, data, [PageSource("image", i) for i in range(frames)], ocr or OcrConfig())
    if not has_text(pages):
        raise LoadError(
            str(path), "no_text",
            f"Không nhận dạng được chữ nào trong ảnh {path.name} (có thể là ảnh chụp không có văn bản, "
            "hoặc ảnh quá mờ). Hãy quét hoặc chụp thẳng, rõ trang văn bản (200-300 dpi) rồi nạp lại.",
        )
    notes = (f"Đã nhận dạng chữ (OCR) {frames} trang ảnh.",)
    notes += confidence_notes(list(enumerate(pages, start=1)))
    return Raw(
        pages=[list(p.lines) for p in pages], source_format="image", wrapped=True,
        starts=[list(p.starts) for p in pages], ocr_pages=tuple(range(frames)), notes=notes,
    )


def has_text(pages: list[OcrPage]) -> bool:
    """Whether the pages hold real text: enough letters in words recognised with some confidence."""
    letters = sum(sum(ch.isalpha() for ch in w[0]) for p in pages for w in p.words if w[5] >= CONFIDENT)
    return letters >= MIN_CONFIDENT_LETTERS


def _frames(path: Path, data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return min(MAX_FRAMES, getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise LoadError(
            str(path), "corrupt_image",
            f"Tệp ảnh {path.name} bị hỏng hoặc không đọc được ({type(exc).__name__}). "
            "Hãy mở thử bằng trình xem ảnh, lưu lại thành PNG hoặc JPG rồi nạp lại.",
        ) from exc
