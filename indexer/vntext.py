"""Vietnamese text primitives: NFC, one tone-mark convention, accent folding.

Convention: the tone mark of the open diphthongs "oa", "oe", "uy" sits on the
first vowel ("hóa", "khỏe", "ủy"), as in current official spelling. Applied to
documents and queries alike, so "hoá"/"hóa" and "uỷ"/"ủy" compare equal.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_LETTER = r"[^\W\d_]"
# An open "oa"/"oe"/"uy" at the end of a syllable with the tone on its second vowel.
_OLD_STYLE = re.compile(
    rf"(?<!{_LETTER})([^\W\d_]*?)([oOuU])([aAeEyY])([{_TONES}])(?!{_LETTER}|[\u0300-\u036f])"
)
_QU = re.compile(r"[qQ]$")


def _move_tone(m: re.Match[str]) -> str:
    head, first, second, tone = m.groups()
    if first in "uU" and second not in "yY":
        return m.group(0)
    if first in "oO" and second in "yY":
        return m.group(0)
    if first in "uU" and _QU.search(head):
        return m.group(0)  # "quý": the u belongs to the consonant "qu"
    return f"{head}{first}{tone}{second}"


def normalize_tones(text: str) -> str:
    """Put tone marks in the chosen convention; returns NFC text."""
    decomposed = unicodedata.normalize("NFD", text)
    # Only base vowels matter, but NFD splits circumflex/breve too: keep those
    # attached by working on NFD where the tone is the last combining mark.
    moved = _OLD_STYLE.sub(_move_tone, decomposed)
    return unicodedata.normalize("NFC", moved)


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u202f\t\u3000"), " ")


def clean(text: str) -> str:
    """NFC, invisible characters removed, odd spaces made plain, tones unified."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_SPACES)
    return normalize_tones(text.replace("\r\n", "\n").replace("\r", "\n"))


def fold(text: str) -> str:
    """Lower-case and strip diacritics ("Đảng ủy" -> "dang uy")."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()
