"""The administrative level in a State body's name, so that one query finds every spelling of a body.

Directives name the same body at one level in many ways: "Ủy ban nhân dân cấp tỉnh", "UBND các tỉnh, thành phố
trực thuộc Trung ương", "Ủy ban nhân dân tỉnh, thành phố trực thuộc TW"; "Phòng LĐTBXH cấp huyện", "Phòng Lao
động - Thương binh và Xã hội quận - huyện". ``family`` splits a name into its organ, its level (``xã``, ``huyện``,
``tỉnh``, ``các cấp``) and a named place; ``same_family`` says whether a typed name covers a register row's body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from indexer.vntext import clean, fold

_WORD = re.compile(r"[\w&]+")

# Level words (as word tuples) and the level each stands for; a word followed by "ủy" is a Party committee
# ("tỉnh ủy", "huyện ủy"), "xã hội" is no commune. Words typed without diacritics match by their folded form.
# Longest first.
_LEVELS = (
    (("thị", "trấn"), "xã"), (("thị", "xã"), "huyện"), (("thành", "phố"), "tỉnh"), (("các", "cấp"), "các cấp"),
    (("xã",), "xã"), (("phường",), "xã"), (("huyện",), "huyện"), (("quận",), "huyện"), (("tỉnh",), "tỉnh"),
)
_RANK = {"xã": 3, "huyện": 2, "tỉnh": 1}  # a list of levels ("huyện, thành phố") names its lowest one
_FILLER = frozenset(("cac", "cap", "truc", "thuoc", "trung", "uong", "tw", "va", "nhung"))
_MIN_ORGAN = 2  # words: "Sở Tài chính" is an organ, "Tỉnh" alone is none
_MIN_PREFIX = 3  # syllables of a short name typed for a longer one ("Đoàn Thanh niên", "Sở Lao động")


@dataclass(frozen=True)
class Family:
    organ: str  # folded words before the level ("uy ban nhan dan", "so lao dong thuong binh va xa hoi")
    level: str | None  # "xã", "huyện", "tỉnh", "các cấp"; None when the name gives none ("Sở Tài chính")
    place: str | None  # folded words naming one place ("tuyen quang"), None for a whole level


@lru_cache(maxsize=4096)
def family(name: str) -> Family | None:
    """Organ, level and place of a body's name, or None when it has no organ of two words or more."""
    words = _words(name)
    if words and fold(words[0]) in ("cac", "nhung"):
        words = words[1:]
    start = next((i for i in range(_MIN_ORGAN, len(words)) if _level_at(words, i)), len(words))
    while start > _MIN_ORGAN and fold(words[start - 1]) in ("cac", "cap", "nhung"):
        start -= 1  # "… các tỉnh", "… cấp huyện": the level's own words
    if start < _MIN_ORGAN:
        return None
    levels, rest, i = [], [], start
    while i < len(words):
        found = _level_at(words, i)
        if found:
            levels.append(found[1])
            i += found[0]
        else:
            if fold(words[i]) not in _FILLER:
                rest.append(fold(words[i]))
            i += 1
    return Family(fold(" ".join(words[:start])), _level(levels), " ".join(rest) or None)


def same_family(typed: str, body: str) -> bool:
    """Whether a typed name covers a row's body: same organ (or, typed with no level or place, the first words
    of it: "Đoàn Thanh niên" for "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh"), the level typed (or none typed, or
    the row's level is "các cấp", or the row gives none), and the place typed if one is."""
    want, have = family(typed), family(body)
    if want is None or have is None:
        return False
    if want.organ != have.organ:
        return _short_for(want, have.organ)
    if want.level is None and have.level is None:
        return False  # no level on either side: the exact name decides (``select``)
    level_ok = want.level is None or have.level in (None, "các cấp", want.level)
    return level_ok and (want.place is None or want.place == have.place)


def _short_for(want: Family, organ: str) -> bool:
    """A short name typed alone ("Hội Liên hiệp Phụ nữ") for a longer organ's name that begins with it."""
    return (want.level is None and want.place is None and len(want.organ.split()) >= _MIN_PREFIX
            and organ.startswith(want.organ + " "))


def _words(name: str) -> list[str]:
    from assistant.duties.bodies import without_head

    spelled = _spelled()
    out: list[str] = []
    for w in _WORD.findall(clean(without_head(name)).lower()):
        out.extend(spelled.get(fold(w), (w,)))
    return out


def _level_at(words: list[str], i: int) -> tuple[int, str] | None:
    for seq, level in _LEVELS:
        n = len(seq)
        if len(words) >= i + n and all(_same(w, s) for w, s in zip(words[i:i + n], seq, strict=True)):
            nxt = words[i + n] if i + n < len(words) else ""
            return None if fold(nxt) in ("uy", "hoi") and n == 1 else (n, level)
    return None


def _same(word: str, level_word: str) -> bool:
    """A document's word equals the level word; a word typed without diacritics equals its folded form."""
    return word == level_word or (word == fold(word) and word == fold(level_word))


def _level(levels: list[str]) -> str | None:
    if "các cấp" in levels:
        return "các cấp"
    ranked = [lv for lv in levels if lv in _RANK]
    return max(ranked, key=_RANK.__getitem__) if ranked else None


@lru_cache(maxsize=1)
def _spelled() -> dict[str, tuple[str, ...]]:
    """One-word abbreviations of three letters or more, folded ("ubnd"), with their long forms as words."""
    from assistant.duties.bodies import one_word_abbreviations

    return {folded: tuple(_WORD.findall(clean(long).lower()))
            for folded, (short, long) in one_word_abbreviations().items() if len(short) > 2}


def members(name: str) -> tuple[str, ...]:
    """The groups ``name`` gathers (``bodies.tsv``'s fourth column: "Các bộ, ngành" gathers the ministries, the
    ministry-level agencies and the Government's agencies), none for any other name."""
    from assistant.duties.bodies import body

    b = body(name)
    return b.gathers if b else ()


def kin(name: str) -> tuple[str, ...]:
    """The groups a query for ``name`` also covers: a group's members, a member's groups."""
    from assistant.duties.bodies import known_bodies

    return members(name) or tuple(b.name for b in known_bodies() if name in b.gathers)
