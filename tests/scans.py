"""Synthetic scans of text documents (a helper for the OCR tests and benchmarks/ocr.py, not a test module).

A text is laid out on A4 pages with the DejaVu font, then degraded like a real scan: a small rotation,
blur, speckle noise, a red stamp over the signature, optionally one page upside down. The exact text
of every page is kept, so the character error rate of the recognition can be measured.
"""

from __future__ import annotations

import io
import random
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.support import FONT

A4 = (8.27, 11.69)  # inches


@dataclass(frozen=True)
class Scan:
    pages: list[Image.Image]
    truth: list[str]  # the text of each page, lines joined by newlines
    dpi: int


def layout(text: str, dpi: int, points: float = 12.0) -> tuple[list[list[str]], list[list[tuple[str, int]]]]:
    """Lines per page (truth) and, per page, (line, left indent px) to draw."""
    font = ImageFont.truetype(str(FONT), round(points * dpi / 72))
    width = int((A4[0] - 1.6) * dpi)
    per_page = int((A4[1] - 1.8) * dpi / (points * 1.55 * dpi / 72))
    drawn: list[tuple[str, int]] = []
    for para in text.split("\n"):
        para = " ".join(para.split())
        if not para:
            continue
        indent = int(0.4 * dpi) if len(para) > 90 else 0
        line, first = "", True
        for word in para.split(" "):
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > width - (indent if first else 0):
                drawn.append((line, indent if first else 0))
                line, first = word, False
            else:
                line = trial
        drawn.append((line, indent if first else 0))
    pages = [drawn[i:i + per_page] for i in range(0, len(drawn), per_page)]
    return [[ln for ln, _ in p] for p in pages], pages


def render(text: str, dpi: int, points: float = 12.0) -> Scan:
    """Clean page images of ``text`` at ``dpi``."""
    font = ImageFont.truetype(str(FONT), round(points * dpi / 72))
    truth, pages = layout(text, dpi, points)
    images = []
    step = round(points * 1.55 * dpi / 72)
    for lines in pages:
        image = Image.new("RGB", (int(A4[0] * dpi), int(A4[1] * dpi)), "white")
        draw = ImageDraw.Draw(image)
        y = int(0.9 * dpi)
        for line, indent in lines:
            draw.text((int(0.9 * dpi) + indent, y), line, font=font, fill=(20, 20, 20))
            y += step
        images.append(image)
    return Scan(images, ["\n".join(t) for t in truth], dpi)


def degrade(scan: Scan, seed: int = 7, upside_down: int | None = None, stamp: bool = True) -> Scan:
    """Rotate up to ±1.5°, blur, speckle, a red stamp on the last page's closing, one page turned over."""
    rng = random.Random(seed)
    out = []
    for n, page in enumerate(scan.pages):
        image = page.copy()
        if stamp and n == len(scan.pages) - 1:
            image = red_stamp(image, scan.dpi, _last_text_y(page, scan.dpi))
        image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BICUBIC, fillcolor="white")
        image = image.filter(ImageFilter.GaussianBlur(0.35 * scan.dpi / 150))
        image = speckle(image, rng, scan.dpi)
        if upside_down == n:
            image = image.rotate(180)
        out.append(image)
    return Scan(out, scan.truth, scan.dpi)


def red_stamp(image: Image.Image, dpi: int, y: int) -> Image.Image:
    """A red seal (two rings and a star) multiplied over the text around height ``y``."""
    layer = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(layer)
    r = int(0.75 * dpi)
    cx, cy = int(1.9 * dpi), max(r, y - r // 2)
    red = (215, 30, 40)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(3, dpi // 40))
    draw.ellipse((cx - r * 3 // 4, cy - r * 3 // 4, cx + r * 3 // 4, cy + r * 3 // 4), outline=red, width=2)
    draw.regular_polygon((cx, cy, r // 4), 5, fill=red)
    from PIL import ImageChops

    return ImageChops.multiply(image, layer)


def _last_text_y(page: Image.Image, dpi: int) -> int:
    grey = page.convert("L").point(lambda v: 255 if v < 128 else 0)
    box = grey.getbbox()
    return box[3] if box else page.height // 2


def speckle(image: Image.Image, rng: random.Random, dpi: int, density: float = 0.0004) -> Image.Image:
    draw = ImageDraw.Draw(image)
    w, h = image.size
    dot = max(1, dpi // 150)
    for _ in range(int(density * w * h / (dot * dot))):
        x, y = rng.randrange(w), rng.randrange(h)
        draw.rectangle((x, y, x + dot, y + dot), fill=(40, 40, 40) if rng.random() < 0.7 else "white")
    return image


def to_pdf(scan: Scan) -> bytes:
    """The page images as an image-only PDF (what a scanner writes)."""
    buf = io.BytesIO()
    pages = [p.convert("RGB") for p in scan.pages]
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=float(scan.dpi))
    return buf.getvalue()


def normalise(text: str) -> str:
    """Text compared for the character error rate: NFC, one tone convention, single spaces."""
    from indexer.vntext import clean

    return " ".join(clean(unicodedata.normalize("NFC", text)).split())


def cer(recognised: str, truth: str) -> float:
    """Character error rate: edit distance over the length of the normalised truth."""
    from rapidfuzz.distance import Levenshtein

    a, b = normalise(recognised), normalise(truth)
    return Levenshtein.distance(a, b) / max(1, len(b))


def cer_prefix(recognised: str, truth: str) -> float:
    """Character error rate of ``truth`` (the top of a page) against the start of ``recognised`` up to where
    the truth's last words are found (a hand transcription of part of a page)."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    a, b = normalise(recognised), normalise(truth)
    end = fuzz.partial_ratio_alignment(b[-40:], a).dest_end
    return Levenshtein.distance(a[:end], b) / max(1, len(b))
