"""Image clean-up before OCR: coloured ink removed, scaled, deskewed, background flattened, binarised.

Every geometric step is recorded in a ``Geometry`` so that the word boxes found on the cleaned
image can be drawn again on the original page (``orient`` replays the same steps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from PIL import Image

TARGET_WIDTH = 2400  # about 300 dpi across an A4 page: Tesseract's best size for body text
MAX_SKEW = 3.0  # degrees searched either way
INK_SATURATION = 0.30  # pixels more coloured than this (and than INK_CHROMA) are stamp, signature or marker ink
INK_CHROMA = 70
DUST = 19  # pixels at 300 dpi: the smallest real mark (a dot, a tone mark) measured 20 or more


@dataclass(frozen=True)
class Geometry:
    """How the cleaned image was made from the page image: scale, then a quarter turn, then a deskew."""

    scale: float = 1.0
    rotate: int = 0  # clockwise degrees, a multiple of 90 (as Tesseract OSD reports it)
    skew: float = 0.0  # counter-clockwise degrees applied after the turn


def grey_without_ink(image: Image.Image) -> Image.Image:
    """Greyscale where red stamps, blue signatures and other coloured ink turn white; black text stays."""
    import numpy as np
    from PIL import Image as PILImage

    if image.mode in ("1", "L", "I;16", "I"):
        return image.convert("L")
    from PIL import ImageChops

    red, green, blue = image.convert("RGB").split()
    top = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    bottom = ImageChops.darker(ImageChops.darker(red, green), blue)
    high = np.array(top)
    chroma = np.asarray(ImageChops.subtract(top, bottom))  # absolute: black letters' dark cores have little
    ink = (chroma > INK_CHROMA) & (chroma.astype(np.uint16) * 100 > round(INK_SATURATION * 100) * high)
    high[ink] = 255
    return PILImage.fromarray(high, mode="L")


def scale_for(image: Image.Image) -> float:
    """Enlarge small images (150-200 dpi scans, thumbnails) to Tesseract's preferred size; never shrink."""
    width = min(image.size)  # the short side: a landscape page is scaled like a portrait one
    return 1.0 if width >= 0.75 * TARGET_WIDTH else min(3.0, TARGET_WIDTH / max(width, 1))


def orient(image: Image.Image, geometry: Geometry) -> Image.Image:
    """Apply ``geometry`` to a page image (any mode): the cleaned image's coordinates then hold."""
    from PIL import Image as PILImage

    if geometry.scale != 1.0:
        size = (round(image.width * geometry.scale), round(image.height * geometry.scale))
        image = image.resize(size, PILImage.Resampling.LANCZOS)
    if geometry.rotate:
        image = image.rotate(-geometry.rotate, expand=True)
    if geometry.skew:
        fill = 255 if image.mode == "L" else (255,) * len(image.getbands())
        image = image.rotate(geometry.skew, resample=PILImage.Resampling.BILINEAR, fillcolor=fill)
    return image


def estimate_skew(grey: Image.Image) -> float:
    """The small rotation (degrees, counter-clockwise) that makes text lines horizontal.

    Projection profile: text rows are sharpest (largest variance between neighbouring rows)
    when the lines lie flat.
    """
    import numpy as np
    from PIL import Image as PILImage

    small = grey.copy()
    small.thumbnail((900, 900))
    ink = PILImage.fromarray(((np.asarray(small) < otsu(np.asarray(small))) * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for step in np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.25):
        score = _sharpness(ink, float(step))
        if score > best_score:
            best, best_score = float(step), score
    for step in (best - 0.125, best + 0.125):
        score = _sharpness(ink, step)
        if score > best_score:
            best, best_score = step, score
    return round(best, 3)


def _sharpness(ink: Image.Image, angle: float) -> float:
    import numpy as np
    from PIL import Image as PILImage

    rows = np.asarray(ink.rotate(angle, resample=PILImage.Resampling.NEAREST), dtype=np.float64).sum(axis=1)
    return float(np.square(np.diff(rows)).sum())


def otsu(values: np.ndarray) -> int:
    """Otsu's threshold of a uint8 array."""
    import numpy as np

    hist = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    return int(np.argmax(between))


def binarise(grey: Image.Image) -> Image.Image:
    """Flatten uneven lighting (phone photos, shadows), Otsu's threshold, then remove isolated specks."""
    import numpy as np
    from PIL import Image as PILImage
    from PIL import ImageFilter

    small = grey.resize((max(1, grey.width // 8), max(1, grey.height // 8)), PILImage.Resampling.BILINEAR)
    background = small.filter(ImageFilter.MaxFilter(9)).resize(grey.size, PILImage.Resampling.BILINEAR)
    values = np.asarray(grey, dtype=np.float32)
    flat = np.clip(values * 255.0 / np.maximum(np.asarray(background, dtype=np.float32), 1.0), 0, 255)
    flat_arr = flat.astype(np.uint8)
    ink = flat_arr <= otsu(flat_arr)
    ink &= ~isolated_specks(ink, grey.width)
    return PILImage.fromarray(np.where(ink, 0, 255).astype(np.uint8), mode="L")


def isolated_specks(ink: np.ndarray, width: int) -> np.ndarray:
    """Small ink blobs far from any letter: scanner dust and noise. Diacritics sit next to their letter."""
    import numpy as np
    from scipy import ndimage

    unit = width / TARGET_WIDTH  # sizes below are for a 300 dpi page
    labels, count = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    if count == 0:
        return np.zeros_like(ink)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    small = sizes < max(4, int(40 * unit * unit))
    small[0] = False
    letters = ink & ~small[labels]
    near = ndimage.maximum_filter(letters.astype(np.uint8), size=max(3, int(25 * unit))) > 0
    specks = small[labels]
    touched = np.unique(labels[specks & near])
    keep = np.zeros(count + 1, dtype=bool)
    keep[touched] = True
    keep &= sizes >= max(2, int(DUST * unit * unit))  # smaller than any dot, comma or tone mark: always dust
    return specks & ~keep[labels]


def clean_page(image: Image.Image, rotate: int = 0) -> tuple[Image.Image, Geometry]:
    """The page ready for Tesseract, and how it was made. ``rotate`` is a known quarter turn (from OSD)."""
    grey = grey_without_ink(image)
    geometry = Geometry(scale=scale_for(grey), rotate=rotate)
    turned = orient(grey, geometry)
    skew = estimate_skew(turned)
    geometry = Geometry(geometry.scale, rotate, skew)
    if skew:
        turned = orient(turned, Geometry(skew=skew))
    return binarise(turned), geometry
