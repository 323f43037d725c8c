"""Text normalisation: page clean-up, line unwrapping, whitespace repair.

Input is a list of pages (a text file is one page); output is the document
text with the offset where each page starts. Running headers, footers and page
numbers are dropped; wrapped lines are joined back into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from indexer.vntext import clean

# A line that starts a new outline item: never joined onto the line before it.
MARKER = re.compile(
    r"^(?:[-+*•·–—]\s*\S"
    r"|[IVXLC]{1,6}[.)]\s"
    r"|\d{1,3}(?:[.]\d{1,3}){0,4}(?:[.)]|-\s|\s-\s)\s*\S"
    r"|[a-zđ][)]\s"
    r"|\((?:\d{1,2}|[a-zđ])\)\s"
    r"|(?:Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC|Điều|ĐIỀU|Khoản|Điểm)\s+\S"
    r"|Nơi nhận|NƠI NHẬN"
    r")"
)
_END_SENTENCE = re.compile(r"[.:;!?…][\"”')\]]*$")
_STARTS_UPPER = re.compile(r"^[\"“'(]?[A-ZĐÀ-Ỹ0-9]")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|Trang\s+\d{1,4}(?:\s*/\s*\d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$",
    re.IGNORECASE,
)
_SPACES = re.compile(r"[ ]{2,}")
_HYPHEN_BREAK = re.compile(r"(?<=[a-zà-ỹđ])-$")


def normalize_line(line: str) -> str:
    """One line: NFC, tone convention, single spaces, no edge spaces."""
    return _SPACES.sub(" ", clean(line)).strip()


Line = tuple[str, "bool | None"]


def strip_running_lines(pages: Sequence[list[Line]]) -> list[list[Line]]:
    """Drop page numbers and lines repeated at the top or bottom of many pages."""
    if len(pages) < 3:
        return [[x for x in p if not _PAGE_NUMBER.match(x[0])] for p in pages]
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_shape(ln) for ln, _ in lines[:3] + lines[-3:] if ln}
        counts.update(edge)
    threshold = max(3, int(0.4 * len(pages)))
    running = {shape for shape, n in counts.items() if n >= threshold and len(shape) > 0}
    out = []
    for lines in pages:
        kept = list(lines)
        kept = _trim_edges(kept, running)
        out.append(kept)
    return out


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def _trim_edges(lines: list[Line], running: set[str]) -> list[Line]:
    def removable(x: Line) -> bool:
        ln = x[0]
        return not ln or _PAGE_NUMBER.match(ln) is not None or _shape(ln) in running

    head = 0
    while head < min(len(lines), 4) and removable(lines[head]):
        head += 1
    tail = len(lines)
    while tail > head and len(lines) - tail < 4 and removable(lines[tail - 1]):
        tail -= 1
    return lines[head:tail]


def _full_width(pages: Sequence[list[str]]) -> int:
    lengths = sorted(len(ln) for lines in pages for ln in lines if ln)
    if not lengths:
        return 0
    return lengths[int(0.9 * (len(lengths) - 1))]


def _joins(prev: str, nxt: str, width: int) -> bool:
    """Whether ``nxt`` continues the paragraph that ``prev`` ends."""
    if not prev or not nxt or MARKER.match(nxt):
        return False
    if len(prev) < 0.72 * width:
        return False
    if _END_SENTENCE.search(prev) and _STARTS_UPPER.match(nxt):
        return len(prev) >= 0.88 * width  # a full line ending a sentence is usually a wrap
    return True


def assemble(
    pages: Sequence[Sequence[str]], unwrap: bool, starts: Sequence[Sequence[bool | None]] | None = None
) -> tuple[str, tuple[int, ...]]:
    """Join cleaned pages into one text; returns (text, page start offsets).

    Paragraphs are separated by one newline. With ``unwrap``, hard-wrapped
    lines are joined with a space (or without the hyphen of a split word).
    """
    flags = starts or [[None] * len(page) for page in pages]
    lines_by_page = [
        [(normalize_line(ln), f) for ln, f in zip(page, fl, strict=True)] for page, fl in zip(pages, flags, strict=True)
    ]
    if len(lines_by_page) > 1:
        lines_by_page = strip_running_lines(lines_by_page)
    width = _full_width([[ln for ln, _ in page] for page in lines_by_page]) if unwrap else 0
    parts: list[str] = []
    size = 0
    starts: list[int] = []
    prev = ""
    for lines in lines_by_page:
        page_start = None
        for line, flag in lines:
            if not line:
                prev = ""  # a blank line always ends the paragraph
                continue
            sep = _separator(prev, line, width, unwrap, not parts, flag)
            if sep == "" and parts:  # a word split by a hyphen at the line end
                parts[-1] = parts[-1][:-1]
                size -= 1
            if page_start is None:
                page_start = size + len(sep)
            parts.append(sep + line)
            size += len(sep) + len(line)
            prev = line
        starts.append(size if page_start is None else page_start)
    return "".join(parts), tuple(starts)


def _separator(prev: str, line: str, width: int, unwrap: bool, first: bool, flag: bool | None) -> str:
    if first:
        return ""
    if unwrap and flag is not None and prev:
        joined = not flag and not MARKER.match(line)
    else:
        joined = unwrap and _joins(prev, line, width)
    if joined:
        return "" if _HYPHEN_BREAK.search(prev) and line[:1].islower() else " "
    return "\n"


def looks_hard_wrapped(lines: Sequence[str]) -> bool:
    """A plain-text file whose paragraphs were wrapped at a fixed width."""
    lengths = sorted(len(ln) for ln in lines if ln.strip())
    if len(lengths) < 10:
        return False
    return lengths[int(0.9 * (len(lengths) - 1))] <= 120
