"""Is a PDF page's text layer real Vietnamese text, or a scanner's garbled OCR, a legacy-font mojibake,
or only a digital-signature stamp? Judged by the text alone: syllables that can exist, diacritics,
word lengths."""

from __future__ import annotations

import re
import unicodedata

from indexer.vntext import fold

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?"
_NUCLEUS = r"(?:uye|uya|uyu|uoi|uou|ươi|ươu|iêu|yêu|oai|oay|oeo|uây|uôi|[aeiouyăâêôơư]{1,3})"
_CODA = r"(?:ch|ng|nh|[cmnpt])?"
_SYLLABLE = re.compile(rf"^{_ONSET}{_NUCLEUS}{_CODA}$")
_WORD = re.compile(r"[^\W\d_]+")
# Lines a signing tool stamps on a page: who signed, when, the certificate's issuer.
_STAMP = re.compile(
    r"(?:Người ký|Ký bởi|Signed by|Thời gian ký|Ký ngày|Email|E-mail|Cơ quan|Chức vụ|Signature|"
    r"Certificate|Reason|Location|Ngày ký|\d{2}[./]\d{2}[./]\d{4}\s+\d{1,2}:\d{2})",
    re.IGNORECASE,
)
MIN_LETTERS = 160  # fewer letters than this on a page with a page-sized image: the image is the page
MIN_VALID = 0.80  # share of lower-case words that must be possible Vietnamese syllables
MIN_MARKED = 0.20  # share of words with diacritics in running Vietnamese text (typically 0.5-0.7)


def _base(word: str) -> str:
    """A syllable without tone marks but with its vowel letters (ă â ê ô ơ ư) and đ -> d."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    kept = "".join(ch for ch in decomposed if ch not in "\u0300\u0301\u0303\u0309\u0323")
    return unicodedata.normalize("NFC", kept)


def is_syllable(word: str) -> bool:
    """Whether ``word`` (letters only) can be a Vietnamese syllable."""
    return len(word) <= 7 and bool(_SYLLABLE.match(_base(word)))


def layer_scores(text: str) -> tuple[int, float, float]:
    """(letters, share of possible syllables, share of words with diacritics) of the non-stamp text."""
    body = "\n".join(ln for ln in text.split("\n") if not _STAMP.search(ln))
    words = [w for w in _WORD.findall(body) if not w.isupper() or len(w) <= 7]
    letters = sum(len(w) for w in words)
    if not words:
        return 0, 0.0, 0.0
    valid = sum(is_syllable(w) for w in words) / len(words)
    marked = sum(fold(w) != w.lower() for w in words) / len(words)
    return letters, valid, marked


def usable(text: str, min_letters: int = MIN_LETTERS) -> bool:
    """Whether a page's text layer can be trusted instead of recognising the page image."""
    letters, valid, marked = layer_scores(text)
    return letters >= min_letters and valid >= MIN_VALID and marked >= MIN_MARKED
