"""Optical character recognition of page images with Tesseract (Vietnamese data) through pytesseract.

Pages are cleaned (``ocr_clean``), recognised in parallel worker processes, and cached by the
file's content hash (``indexer.ocrcache``): re-indexing an unchanged or renamed scan reads the
cache. Each page keeps its word boxes and confidences so that a viewer can highlight a quote.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import LoadError
from indexer.readers.ocr_clean import Geometry, clean_page

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

VERSION = "1"  # bump when clean-up or line building changes: cached pages are then recognised again
RENDER_DPI = 300
LOW_CONFIDENCE = 75.0  # a page below this mean word confidence is named in the index report
RETRY_BELOW = 60.0  # a first pass below this asks Tesseract's OSD whether the page is turned
COLUMN_GAP = 0.05  # a gap wider than this share of the page splits a line (two-column headers)
TESSERACT_CONFIG = "--oem 1 --psm 3"

Word = tuple[str, int, int, int, int, float, int]  # text, left, top, width, height, confidence, line index


@dataclass(frozen=True)
class OcrConfig:
    """How to recognise: language data, cache file, worker processes (0 = all cores), progress callback."""

    lang: str = "vie"
    cache: Path | None = None
    workers: int = 0
    progress: Callable[[str, int, int], None] | None = None  # (file name, pages done, pages in all)


@dataclass(frozen=True)
class OcrPage:
    """One recognised page: lines (with paragraph starts), words with boxes, mean confidence (0-100)."""

    lines: tuple[str, ...]
    starts: tuple[bool | None, ...]
    words: tuple[Word, ...]
    confidence: float
    geometry: Geometry
    size: tuple[int, int]


@dataclass(frozen=True)
class PageSource:
    """Where a page image comes from: page ``index`` of a PDF, or frame ``index`` of an image file."""

    kind: str  # "pdf" | "image"
    index: int


def ensure_tesseract(path: Path, lang: str) -> None:
    """Raise a LoadError naming the Debian package when Tesseract or its language data is missing."""
    import pytesseract

    try:
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise LoadError(
            str(path), "ocr_missing",
            f"Tệp {path.name} là ảnh quét cần nhận dạng chữ (OCR) nhưng máy chưa cài Tesseract. "
            "Hãy cài gói Debian tesseract-ocr và tesseract-ocr-vie (apt-get install tesseract-ocr "
            "tesseract-ocr-vie) rồi nạp lại.",
        ) from exc
    missing = [code for code in lang.split("+") if code not in languages]
    if missing:
        raise LoadError(
            str(path), "ocr_missing",
            f"Tệp {path.name} là ảnh quét cần nhận dạng chữ (OCR) nhưng Tesseract chưa có dữ liệu ngôn ngữ "
            f"{', '.join(missing)}. Hãy cài gói Debian tesseract-ocr-{missing[0]} rồi nạp lại.",
        )


def recognise(path: Path, data: bytes, sources: Sequence[PageSource], config: OcrConfig) -> list[OcrPage]:
    """OCR every page in ``sources``; pages found in the cache are not recognised again."""
    from indexer.ocrcache import OcrCache

    digest = hashlib.sha256(data).hexdigest()
    cache = OcrCache(config.cache) if config.cache else None
    try:
        found = cache.get(digest, [s.index for s in sources], _cache_tag(config)) if cache else {}
        todo = [s for s in sources if s.index not in found]
        if todo:
            ensure_tesseract(path, config.lang)
            fresh = _run(path, data, todo, config, len(sources) - len(todo), len(sources))
            if cache:
                cache.put(digest, fresh, _cache_tag(config))
            found.update(fresh)
    finally:
        if cache:
            cache.close()
    return [found[s.index] for s in sources]


def _cache_tag(config: OcrConfig) -> str:
    return f"{config.lang}:{VERSION}"


def _run(path: Path, data: bytes, todo: list[PageSource], config: OcrConfig, done: int, total: int):
    workers = min(len(todo), config.workers or len(os.sched_getaffinity(0)))
    tasks = [(data, s, config.lang) for s in todo]
    out: dict[int, OcrPage] = {}
    if workers <= 1:
        results = map(_task, tasks)
        for source, page in zip(todo, results, strict=True):
            out[source.index] = page
            done = _tick(path, config, done + 1, total)
        return out
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers, initializer=_one_thread) as pool:
        for source, page in zip(todo, pool.map(_task, tasks), strict=True):
            out[source.index] = page
            done = _tick(path, config, done + 1, total)
    return out


def _tick(path: Path, config: OcrConfig, done: int, total: int) -> int:
    log.info("Nhận dạng chữ %s: trang %d/%d", path.name, done, total)
    if config.progress:
        config.progress(path.name, done, total)
    return done


def _one_thread() -> None:
    """Worker initialiser: each Tesseract process uses one core (the pool already uses them all)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"


def _task(task: tuple[bytes, PageSource, str]) -> OcrPage:
    data, source, lang = task
    return recognise_image(page_image(data, source), lang)


def page_image(data: bytes, source: PageSource, dpi: int = RENDER_DPI) -> Image.Image:
    """The page as an image: a PDF page rendered at ``dpi``, or an image frame upright by its EXIF tag."""
    if source.kind == "pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        try:
            return pdf[source.index].render(scale=dpi / 72).to_pil()
        finally:
            pdf.close()
    import io

    from PIL import Image as PILImage
    from PIL import ImageOps

    image = PILImage.open(io.BytesIO(data))
    image.seek(source.index)
    return ImageOps.exif_transpose(image.convert("RGB")) or image.convert("RGB")


def recognise_image(image: Image.Image, lang: str = "vie") -> OcrPage:
    """Clean and recognise one page image; an upside-down or sideways page is turned (Tesseract OSD)."""
    cleaned, geometry = clean_page(image)
    page = _ocr(cleaned, geometry, lang)
    if page.confidence < RETRY_BELOW:
        rotate = _osd_rotation(cleaned)
        if rotate:
            turned, turned_geometry = clean_page(image, rotate)
            other = _ocr(turned, turned_geometry, lang)
            page = other if other.confidence > page.confidence else page
    return page


def _osd_rotation(image: Image.Image) -> int:
    import pytesseract

    try:
        osd = pytesseract.image_to_osd(image, config="--psm 0", output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError:
        return 0  # too little text to tell
    return int(osd.get("rotate", 0)) % 360


def _ocr(image: Image.Image, geometry: Geometry, lang: str) -> OcrPage:
    import pytesseract

    data = pytesseract.image_to_data(image, lang=lang, config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT)
    rows = _word_rows(data)
    lines, starts, words = build_lines(rows, image.width)
    letters = sum(len(w[0]) for w in words)
    confidence = sum(w[5] * len(w[0]) for w in words) / letters if letters else 0.0
    return OcrPage(tuple(lines), tuple(starts), tuple(words), round(confidence, 1), geometry, image.size)


def _word_rows(data: dict[str, list]) -> list[tuple[tuple[int, int, int], Word]]:
    rows = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        if conf < 40 and not any(ch.isalnum() for ch in text):
            continue  # specks, rules and stamp edges read as punctuation
        box = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        rows.append((key, (text, *box, conf, 0)))
    return rows


def build_lines(
    rows: list[tuple[tuple[int, int, int], Word]], width: int
) -> tuple[list[str], list[bool | None], list[Word]]:
    """Words grouped into lines (split at wide gaps); a paragraph's first line starts it, blocks end with a blank."""
    lines: list[str] = []
    starts: list[bool | None] = []
    words: list[Word] = []
    prev_key: tuple[int, int, int] | None = None
    current: list[Word] = []

    def flush(first: bool) -> None:
        for n, piece in enumerate(_split_at_gaps(current, width)):
            for w in piece:
                words.append((*w[:6], len(lines)))
            lines.append(join_words([w[0] for w in piece]))
            starts.append(True if (first or n) else None)

    first = True
    for key, word in rows:
        if prev_key is not None and key != prev_key:
            flush(first)
            first = key[:2] != prev_key[:2]
            if key[0] != prev_key[0]:
                lines.append("")
                starts.append(None)
            current = []
        current.append(word)
        prev_key = key
    if current:
        flush(first)
    return lines, starts, words


_NUMBER_HEAD = re.compile(r"\d-$")
_NUMBER_TAIL = re.compile(r"^[A-ZĐ]{1,6}(?:-[A-ZĐ]{1,6})?/")


def join_words(words: list[str]) -> str:
    """Words of a line joined by spaces, except inside a document number split at its hyphen ("54- KL/TW")."""
    out = ""
    for word in words:
        glue = "" if out and _NUMBER_HEAD.search(out) and _NUMBER_TAIL.match(word) else " "
        out = f"{out}{glue}{word}" if out else word
    return out


def _split_at_gaps(line: list[Word], width: int) -> list[list[Word]]:
    pieces: list[list[Word]] = [[]]
    for word in line:
        if pieces[-1]:
            last = pieces[-1][-1]
            if word[1] - (last[1] + last[3]) > COLUMN_GAP * width:
                pieces.append([])
        pieces[-1].append(word)
    return [p for p in pieces if p]


def confidence_notes(pages: Sequence[tuple[int, OcrPage]]) -> tuple[str, ...]:
    """Vietnamese notes naming each page (1-based number, page) recognised with low confidence."""
    return tuple(
        f"Trang {number} nhận dạng kém, độ tin cậy {page.confidence:.0f}%. Hãy đối chiếu với bản gốc."
        for number, page in pages
        if page.words and page.confidence < LOW_CONFIDENCE
    )
