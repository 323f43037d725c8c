"""Legacy Vietnamese 8-bit font encodings (TCVN3/ABC and VNI-Windows) to Unicode.

Documents typed with ".VnTime" (TCVN3) or "VNI-Times" (VNI) fonts keep their
Vietnamese in 8-bit code points; read as cp1252 or latin-1 they look like
mojibake ("§¶ng" / "Ñaûng" for "Đảng"). Text arrives here as a ``str`` decoded
that way; C1 controls (a latin-1 reading of bytes 0x80-0x9F) are read as cp1252.

TCVN3 (TCVN 5712:1993 VN3) has precomposed accented letters in lower case only;
".VnTimeH" fonts draw the same code points as capitals, so those letters come
out lower-case (as in Unikey). Only Ă Â Ê Ô Ơ Ư Đ keep their capitals.

Call :func:`fix_legacy` on raw text *before* ``indexer.vntext.clean``: TCVN3
stores "ư" at 0xAD, the soft hyphen that ``clean`` deletes.

Detection compares, per candidate scheme, the words the conversion changes:
how many become well-formed Vietnamese syllables that were not before
("gained") versus the reverse ("lost"), and how many words already contain
letters that only Unicode Vietnamese has ("native"). See :func:`detect_legacy`.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter

TCVN3 = "TCVN3"
VNI = "VNI"

# ---- TCVN3: one code point per letter -------------------------------------
_TCVN3_PAIRS = (
    ("¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ"),
    ("¨©ª«¬\xad®", "ăâêôơưđ"),
    ("µ¸¶·¹", "àáảãạ"),
    ("»¾¼½Æ", "ằắẳẵặ"),
    ("ÇÊÈÉË", "ầấẩẫậ"),
    ("ÌÐÎÏÑ", "èéẻẽẹ"),
    ("ÒÕÓÔÖ", "ềếểễệ"),
    ("×ÝØÜÞ", "ìíỉĩị"),
    ("ßãáâä", "òóỏõọ"),
    ("åèæçé", "ồốổỗộ"),
    ("êíëìî", "ờớởỡợ"),
    ("ïóñòô", "ùúủũụ"),
    ("õøö÷ù", "ừứửữự"),
    ("úýûüþ", "ỳýỷỹỵ"),
)
_TCVN3_DECODE = {src: dst for s, d in _TCVN3_PAIRS for src, dst in zip(s, d, strict=True)}
_TCVN3_ENCODE = {dst: src for src, dst in _TCVN3_DECODE.items()}
_TCVN3_TABLE = str.maketrans(_TCVN3_DECODE)

# ---- VNI: base letter followed by a mark character --------------------------
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_TONES = (_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_VNI_TONE = "ùøûõï"  # acute, grave, hook, tilde, dot (same order as _TONES)
_VNI_CIRC_TONE = "áàåãä"
_VNI_BREVE_TONE = "éèúüë"
_VNI_BASES = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}
_VNI_SINGLE = {"í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ"}


def _vni_lower_table() -> dict[str, str]:
    table = {f"{vni}{mark}": base + tone
             for vni, base in _VNI_BASES.items()
             for mark, tone in zip(_VNI_TONE, _TONES, strict=True)
             if not (base == "y" and tone == _DOT)}  # "ỵ" is the single "î"
    for base, cap in (("a", _CIRC), ("e", _CIRC), ("o", _CIRC), ("a", _BREVE)):
        table[base + ("ê" if cap == _BREVE else "â")] = base + cap
        marks = _VNI_BREVE_TONE if cap == _BREVE else _VNI_CIRC_TONE
        table.update({base + mark: base + cap + tone for mark, tone in zip(marks, _TONES, strict=True)})
    table.update({vni: base for vni, base in _VNI_BASES.items()})
    table.update(_VNI_SINGLE)
    return {key: unicodedata.normalize("NFC", value) for key, value in table.items()}


def _vni_tables() -> tuple[dict[str, str], dict[str, str]]:
    """(decode: VNI sequence -> letter, encode: letter -> VNI sequence)."""
    lower = _vni_lower_table()
    decode: dict[str, str] = {}
    encode: dict[str, str] = {}
    for seq, letter in lower.items():
        upper_seq, upper_letter = seq.upper(), letter.upper()
        encode.setdefault(letter, seq)
        encode.setdefault(upper_letter, upper_seq)
        decode[seq] = letter
        decode[upper_seq] = upper_letter
        if len(seq) == 2:  # the mark's case does not matter; the base's does
            decode[seq[0] + seq[1].upper()] = letter
            decode[upper_seq[0] + seq[1]] = upper_letter
    return decode, encode


_VNI_DECODE, _VNI_ENCODE = _vni_tables()
_VNI_MARKS = "".join(sorted({seq[1] for seq in _VNI_DECODE if len(seq) == 2}))
_VNI_BASE_CHARS = "".join(sorted({seq[0] for seq in _VNI_DECODE if len(seq) == 2}))
_VNI_RE = re.compile(
    f"[{_VNI_BASE_CHARS}][{_VNI_MARKS}]?"
    f"|[{''.join(sorted(set(_VNI_SINGLE) | {c.upper() for c in _VNI_SINGLE}))}]"
)

# A latin-1 reading of bytes 0x80-0x9F gives C1 controls; cp1252 has glyphs there.
_C1_TO_CP1252: dict[int, str] = {}
for _byte in range(0x80, 0xA0):
    try:
        _C1_TO_CP1252[_byte] = bytes([_byte]).decode("cp1252")
    except UnicodeDecodeError:
        continue


def _vni_sub(match: re.Match[str]) -> str:
    seq = match.group(0)
    found = _VNI_DECODE.get(seq)
    if found is not None:
        return found
    return _VNI_DECODE.get(seq[0], seq[0]) + seq[1:]  # a mark that fits no base stays


def convert_legacy(text: str, encoding: str) -> str:
    """Convert text in the given legacy encoding ("TCVN3" or "VNI") to NFC Unicode.

    Characters outside the scheme's table are kept as they are.
    """
    text = text.translate(_C1_TO_CP1252)
    if encoding == TCVN3:
        converted = text.translate(_TCVN3_TABLE)
    elif encoding == VNI:
        converted = _VNI_RE.sub(_vni_sub, text)
    else:
        raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'TCVN3' or 'VNI'")
    return unicodedata.normalize("NFC", converted)


def encode_legacy(text: str, encoding: str) -> bytes:
    """Unicode -> legacy font bytes (for test data). Lossy for TCVN3 capitals.

    TCVN3 writes accented capitals with their lower-case code point. Other
    characters go through cp1252; one that cp1252 lacks raises UnicodeEncodeError.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if encoding == TCVN3:
            out.append(_TCVN3_ENCODE.get(ch) or _TCVN3_ENCODE.get(ch.lower(), ch))
        elif encoding == VNI:
            out.append(_VNI_ENCODE.get(ch, ch))
        else:
            raise ValueError(f"unknown legacy encoding {encoding!r}; expected 'TCVN3' or 'VNI'")
    return "".join(out).encode("cp1252")


# ---- Detection ------------------------------------------------------------
_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_OPEN_RHYME = (
    "(?:oai|oao|oay|oeo|uây|uôi|uya|uyu|ươi|ươu|iêu|yêu|ai|ao|au|ay|âu|ây"
    "|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|uơ|ưa|ưi|ưu)"
)
_CLOSED_RHYME = "(?:uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|oo|[aăâeêioôơuưy])(?:ch|nh|ng|[cmnpt])?"
_SYLLABLE = re.compile(f"{_ONSET}(?:{_OPEN_RHYME}|{_CLOSED_RHYME})")
_TONE_SET = frozenset(_TONES)
_STRIP = string.punctuation + "“”‘’„…–—•\u00a0"

MIN_GAINED = 2  # words that must turn into Vietnamese syllables
MIN_GAIN_SHARE = 0.6  # share of the changed words that must be such gains
MAX_LOST_RATIO = 1 / 3  # syllables broken by the conversion, per gain
MAX_NATIVE_RATIO = 1 / 4  # words with Unicode-only Vietnamese letters, per gain


def _is_syllable(word: str) -> bool:
    """Whether word (any case) is shaped like one Vietnamese syllable."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_SET for ch in decomposed) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_SET))
    return _SYLLABLE.fullmatch(bare) is not None


def _is_native(ch: str) -> bool:
    """A letter only Unicode Vietnamese has (never in cp1252/latin-1 mojibake)."""
    return "\u1ea0" <= ch <= "\u1ef9" or ch in "ĂăĐđĨĩŨũƠơƯư"


def _words(text: str) -> Counter[str]:
    words: Counter[str] = Counter()
    for raw in text.split():
        word = raw.strip(_STRIP)
        if word:
            words[word] += 1
    return words


def _score(words: Counter[str], encoding: str) -> tuple[int, int, int]:
    """(changed, gained, lost) word counts for converting words as encoding."""
    changed = gained = lost = 0
    for word, count in words.items():
        converted = convert_legacy(word, encoding)
        if converted == word:
            continue
        changed += count
        before, after = _is_syllable(word), _is_syllable(converted)
        gained += count if after and not before else 0
        lost += count if before and not after else 0
    return changed, gained, lost


def detect_legacy(text: str) -> str | None:
    """Return "TCVN3", "VNI" or None (already Unicode / not Vietnamese legacy).

    A scheme is chosen when converting with it turns at least MIN_GAINED words
    into Vietnamese syllables, these gains are at least MIN_GAIN_SHARE of the
    words it changes, it breaks at most MAX_LOST_RATIO syllables per gain, and
    words holding Unicode-only Vietnamese letters (ạ, ơ, đ, ...) number at most
    MAX_NATIVE_RATIO per gain. If both qualify, the larger net gain wins.
    """
    words = _words(text)
    native = sum(count for word, count in words.items() if any(map(_is_native, word)))
    best: tuple[int, str] | None = None
    for encoding in (TCVN3, VNI):
        changed, gained, lost = _score(words, encoding)
        if (
            gained >= MIN_GAINED
            and gained >= MIN_GAIN_SHARE * changed
            and lost <= MAX_LOST_RATIO * gained
            and native <= MAX_NATIVE_RATIO * gained
            and (best is None or gained - lost > best[0])
        ):
            best = (gained - lost, encoding)
    return best[1] if best else None


def fix_legacy(text: str) -> tuple[str, str | None]:
    """detect + convert; returns (text, encoding or None).

    Text not detected as legacy (Unicode Vietnamese included) is returned as is.
    """
    encoding = detect_legacy(text)
    if encoding is None:
        return text, None
    return convert_legacy(text, encoding), encoding


# Left-overs of a legacy font after conversion: C1 controls, U+FFFD, latin-1
# letters Vietnamese lacks and the latin-1 symbols TCVN3 uses for letters
# (not « » ° ± · ² ³ × ÷, which Unicode text uses in their own right).
_SUSPICIOUS = frozenset(
    [chr(code) for code in range(0x80, 0xA0)]
    + list("\ufffdÄÅÆÇËÎÏÐÑÖØÛÜÞßäåæçëîïðñöøûüþÿ¡¢£¤¥¦§¨©ª¬®¯´µ¶¸¹º¼½¾¿")
)
RESIDUE_LIMIT = 0.02  # above this share, report the text as partly converted


def legacy_residue(text: str) -> float:
    """Share of non-whitespace characters that look like legacy-font left-overs.

    Meant for converted text: near 0 for clean Unicode Vietnamese; above
    RESIDUE_LIMIT the conversion was partial (unknown font, mixed schemes) and
    the caller should tell the user rather than index garbled text.
    """
    total = suspicious = 0
    for ch in text:
        if not ch.isspace():
            total += 1
            suspicious += ch in _SUSPICIOUS
    return suspicious / total if total else 0.0
