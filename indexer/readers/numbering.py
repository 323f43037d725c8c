"""Word's automatic numbering: the label Word draws in front of a numbered paragraph.

A paragraph is numbered by ``w:numPr`` (its own, or its style's): a ``numId``
naming a ``w:num`` instance of a ``w:abstractNum`` and a level ``ilvl``. The
level says the number format (decimal, lowerLetter, upperRoman, bullet, ...),
the start value and the label template (``lvlText``: "%1.", "%2)", "%1.%2.",
"-"). Counters run per abstract list (instances continue one another unless a
``startOverride`` restarts them); a deeper level restarts when a shallower one
advances (ECMA-376 Part 1, 17.9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


@dataclass(frozen=True)
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


def _val(el: Any, tag: str) -> str | None:
    child = el.find(f"{_W}{tag}") if el is not None else None
    return child.get(f"{_W}val") if child is not None else None


def _levels(el: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in el.findall(f"{_W}lvl"):
        start = _val(lvl, "start")
        levels[int(lvl.get(f"{_W}ilvl", "0"))] = Level(
            fmt=_val(lvl, "numFmt") or "decimal", text=_val(lvl, "lvlText") or "", start=int(start or 1)
        )
    return levels


def format_number(value: int, fmt: str) -> str:
    """``value`` in a Word number format (decimal, lowerLetter, upperRoman, decimalZero, ...)."""
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, rest = "", value
        for number, numeral in _ROMAN:
            while rest >= number:
                out, rest = out + numeral, rest - number
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "none":
        return ""
    return str(value)


class Numbering:
    """The numbering definitions of one document and the running counters."""

    def __init__(self, root: Any | None) -> None:
        self.abstract: dict[str, dict[int, Level]] = {}
        self.instances: dict[str, tuple[str, dict[int, int], dict[int, Level]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        if root is None:
            return
        for el in root.findall(f"{_W}abstractNum"):
            self.abstract[el.get(f"{_W}abstractNumId", "")] = _levels(el)
        for el in root.findall(f"{_W}num"):
            starts: dict[int, int] = {}
            for ov in el.findall(f"{_W}lvlOverride"):
                start = _val(ov, "startOverride")
                if start is not None:
                    starts[int(ov.get(f"{_W}ilvl", "0"))] = int(start)
            own = {k: v for ov in el.findall(f"{_W}lvlOverride") for k, v in _levels(ov).items()}
            self.instances[el.get(f"{_W}numId", "")] = (_val(el, "abstractNumId") or "", starts, own)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        try:
            return cls(document.part.numbering_part.element)
        except (KeyError, NotImplementedError, AttributeError):
            return cls(None)

    def label(self, para: Any) -> str:
        """The label Word draws for ``para`` ("" when it is not numbered); advances the counters."""
        num_id, ilvl = _num_pr(para)
        if not num_id or num_id == "0" or num_id not in self.instances:
            return ""
        abstract_id, starts, own = self.instances[num_id]
        levels = {**self.abstract.get(abstract_id, {}), **own}
        key = f"n{num_id}" if starts else f"a{abstract_id}"
        counters = self.counters.setdefault(key, [None] * 9)
        level = levels.get(ilvl, Level())
        start = starts.get(ilvl, level.start)
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1  # type: ignore[operator]
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt == "bullet":
            return _bullet(level.text)

        def fill(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            lv = levels.get(k, Level())
            value = counters[k] if counters[k] is not None else starts.get(k, lv.start)
            return format_number(value, lv.fmt)  # type: ignore[arg-type]

        return _PLACEHOLDER.sub(fill, level.text).strip()


def _bullet(text: str) -> str:
    """A bullet as text: "-" and "+" stay (also as Symbol-font glyphs U+F02D, U+F02B); other glyphs become "•"."""
    text = "".join(chr(ord(ch) - 0xF000) if 0xF020 <= ord(ch) <= 0xF07E else ch for ch in text.strip())
    if not text or any(0xE000 <= ord(ch) <= 0xF8FF for ch in text) or text in ("o", "§", "·"):
        return "•"
    return text


def _num_pr(para: Any) -> tuple[str | None, int]:
    """(numId, ilvl) of the paragraph's own numPr, else of its style chain."""
    p_pr = para._p.pPr
    num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
    style = para.style if num_pr is None else None
    while num_pr is None and style is not None:
        s_pr = style.element.find(f"{_W}pPr")
        num_pr = s_pr.find(f"{_W}numPr") if s_pr is not None else None
        style = style.base_style
    if num_pr is None:
        return None, 0
    return _val(num_pr, "numId"), int(_val(num_pr, "ilvl") or 0)
