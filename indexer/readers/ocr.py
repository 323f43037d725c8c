"""Optical character recognition of page images with Tesseract (Vietnamese data) through pytesseract.

Pages are cleaned (``ocr_clean``), recognised in parallel worker processes, and cached by the
file's content hash (``indexer.ocrcache``): re-indexing an unchanged or renamed scan reads the
cache. Each page keeps its word boxes and confidences so that a viewer can highlight a quote.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.errors import LoadError
from indexer.readers.ocr_clean import Geometry, clean_page
from indexer.readers.ocr_lines import OcrPage, build_lines, word_rows

if TYPE_CHECKING:
    from PIL import Image

    from indexer.settings import Settings

log = logging.getLogger(__name__)

VERSION = "13"  # bump when clean-up or line building changes: cached pages are then recognised again
RENDER_DPI = 300
LOW_CONFIDENCE = 75.0  # a page below this mean word confidence is named in the index report
RETRY_BELOW = 60.0  # a first pass below this asks Tesseract's OSD whether the page is turned
TESSERACT_CONFIG = "--oem 1 --psm 3"
PAGE_TIMEOUT = 300  # seconds for one page; a page that takes longer is reported, not waited for


PageProgress = Callable[[str, int, int], None]  # (file name, pages done, pages in all)


@dataclass(frozen=True)
class OcrConfig:
    """How to recognise: language data, cache file, worker processes (0 = all cores), progress callback."""

    lang: str = "vie"
    cache: Path | None = None
    workers: int = 0
    progress: PageProgress | None = None


@dataclass(frozen=True)
class PageSource:
    """Where a page image comes from: page ``index`` of a PDF, or frame ``index`` of an image file."""

    kind: str  # "pdf" | "image"
    index: int


def config_for(settings: Settings, progress: bool | PageProgress = False) -> OcrConfig:
    """OCR options from settings; the cache sits beside the embedding cache unless TRACUU_OCR_CACHE says.

    ``progress``: True for a bar on stderr (the CLI), or a callback told of every page recognised (the web)."""
    embed_cache = Path(settings.embed_cache or Path(settings.index) / "embcache.sqlite")
    cache = settings.ocr_cache or embed_cache.parent / "ocrcache.sqlite"
    report = progress if callable(progress) else _ProgressBar() if progress else None
    return OcrConfig(settings.ocr_lang, Path(cache), settings.ocr_workers, report)


class _ProgressBar:
    """Per-page progress of one file's recognition on stderr (tqdm), for the CLI."""

    def __init__(self) -> None:
        self.bar = None

    def __call__(self, name: str, done: int, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None or self.bar.desc != f"Nhận dạng chữ {name}":
            self.close()
            self.bar = tqdm(total=total, initial=done - 1, unit="trang", desc=f"Nhận dạng chữ {name}", leave=False)
        self.bar.update(1)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


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
            fresh = _run_checked(path, data, todo, config, len(sources) - len(todo), len(sources))
            if cache:
                cache.put(digest, fresh, _cache_tag(config))
            found.update(fresh)
    finally:
        if cache:
            cache.close()
    return [found[s.index] for s in sources]


def _cache_tag(config: OcrConfig) -> str:
    return f"{config.lang}:{VERSION}"


def _run_checked(path: Path, data: bytes, todo: list[PageSource], config: OcrConfig, done: int, total: int):
    import pytesseract

    try:
        return _run(path, data, todo, config, done, total)
    except (pytesseract.TesseractError, RuntimeError, OSError, ValueError) as exc:
        raise LoadError(
            str(path), "ocr_failed",
            f"Không nhận dạng được chữ trong tệp {path.name} ({type(exc).__name__}: {str(exc)[:120]}). "
            "Hãy mở thử tệp, quét lại hoặc lưu lại thành PDF/PNG rồi nạp lại.",
        ) from exc


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
    upright = ImageOps.exif_transpose(image) or image  # a phone photo's orientation tag
    return upright.convert("RGB")


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
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT)
    except pytesseract.TesseractError:
        return 0  # too little text to tell
    return int(osd.get("rotate", 0)) % 360


def _ocr(image: Image.Image, geometry: Geometry, lang: str) -> OcrPage:
    import pytesseract

    data = pytesseract.image_to_data(
        image, lang=lang, config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT
    )
    rows = word_rows(data)
    lines, starts, words = build_lines(rows, image.width)
    letters = sum(len(w[0]) for w in words)
    confidence = sum(w[5] * len(w[0]) for w in words) / letters if letters else 0.0
    return OcrPage(tuple(lines), tuple(starts), tuple(words), round(confidence, 1), geometry, image.size)


def confidence_notes(pages: Sequence[tuple[int, OcrPage]]) -> tuple[str, ...]:
    """Vietnamese notes naming each page (1-based number, page) recognised with low confidence."""
    return tuple(
        f"Trang {number} nhận dạng kém, độ tin cậy {page.confidence:.0f}%. Hãy đối chiếu với bản gốc."
        for number, page in pages
        if page.words and page.confidence < LOW_CONFIDENCE
    )
