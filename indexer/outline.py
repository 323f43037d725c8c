"""Outline parsing: every body paragraph becomes a ``Section`` node with a parent.

Markers recognised: Phần/Chương/Mục/Điều, Roman numerals (I.), numbers
(1., 1.1., 1.1.1., 1.1-), letters (a), đ)), bullets (-, •), "+" and "*" items,
and label paragraphs ("Nguyên nhân khách quan:"). A node's rank decides
nesting; plain paragraphs are leaves under the nearest heading.

An appendix heading ("PHỤ LỤC V") closes every part, chapter and article before it, and the capitalised
caption under it heads its content. A table row (cells joined by " | ") is a "row": one whose first cell is a
number ("1.1 | Người hoạt động …") holds the rows below it up to the next number, the others are leaves, and
the table ends at the first paragraph that is not a row. A row is never a khoản of the article around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.models import Document, Section
from indexer.readers.tables import CELL_SEPARATOR
from indexer.references import ROMAN

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("appendix", re.compile(r"^(PHỤ LỤC(?:\s+(?:SỐ\s+)?(?:[IVXLC]{1,6}|\d{1,3})[A-Z]?)?|Phụ lục\s+(?:số\s+)?"
                            r"(?:[IVXLC]{1,6}|\d{1,3})[a-zA-Z]?)(?:\[?\d{1,3}\]?)?(?![\w/-])[.:]?\s*(.*)$")),
    ("part", re.compile(r"^((?:PHẦN|Phần)\s+(?:THỨ\s+\S+|thứ\s+\S+|[IVXLC\d]+))[.:]?\s*(.*)$")),
    ("chapter", re.compile(r"^((?:CHƯƠNG|Chương)\s+[IVXLC\d]+)[.:]?\s*(.*)$")),
    ("division", re.compile(r"^((?:MỤC|Mục)\s+\d+)[.:]?\s*(.*)$")),
    ("article", re.compile(r"^((?:ĐIỀU|Điều)\s+\d+[a-z]?)[.:]\s*(.*)$")),
    ("roman", re.compile(r"^([IVXLC]{1,6}[.)])\s+(.+)$")),
    ("number", re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,4}(?:\.|\)|-|\s-)?)\s+(.+)$")),
    ("letter", re.compile(r"^([a-zđ]\))\s*(.+)$")),
    ("paren", re.compile(r"^(\((?:\d{1,2}|[a-zđ])\))\s*(.+)$")),
    ("bullet", re.compile(r"^([-–—•·])\s*(.+)$")),
    ("plus", re.compile(r"^(\+)\s*(.+)$")),
    ("star", re.compile(r"^(\*)\s+(.+)$")),
)
_RANK = {
    "header": 0.0, "part": 1.0, "chapter": 2.0, "division": 3.0, "article": 4.0,
    "roman": 5.0, "number": 6.0, "letter": 7.0, "paren": 7.2, "label": 7.5, "bullet": 8.0,
    "plus": 9.0, "star": 9.5, "row": 9.6, "paragraph": 10.0, "ornament": 0.5, "meta": 0.2,
    "appendix": 1.0, "caption": 1.5,
}
_STRUCTURAL = frozenset({"part", "chapter", "division", "article", "appendix"})
_ROW_NUMBER = re.compile(r"^(?:(?:\d{1,3}|[IVXLC]{1,6})(?:\.\d{1,3}){0,4}|[a-zđ])[.)]?$")
_CAPTION_MAX = 400
_ORNAMENT = re.compile(r"^[\s*·•_=~-]*$")
# An OCR speck: a line of one letter and stray marks ("Á", "^À") between an intro and its items.
_SPECK = re.compile(r"^[^\w\s]{0,2}[^\W\d_][^\w\s.)]{0,2}$")
_NUMBER_ONLY = re.compile(r"^\d{1,3}(?:\.\d{1,3})+\.?$")
HEADING_MAX = 110


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str


def paragraphs(text: str, start: int, end: int) -> Iterator[Paragraph]:
    """Non-empty lines of ``text[start:end]`` with their offsets (edges trimmed)."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl == -1 else nl
        line = text[pos:stop]
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        if body:
            yield Paragraph(pos + lead, pos + lead + len(body), body)
        pos = stop + 1


def classify(text: str, previous_row: str = "") -> tuple[str, str, str]:
    """(kind, marker, rest) of one paragraph (``previous_row``: the number of the table row before it, if any)."""
    if not any(ch.isalnum() for ch in text):
        return "ornament", text, ""
    if CELL_SEPARATOR in text or text.startswith(CELL_SEPARATOR.lstrip()):
        return _row(text, previous_row)
    for kind, pattern in _PATTERNS:
        if kind in _STRUCTURAL and kind != "article" and len(text) > 200:
            continue  # "Phần/Chương/Mục" headings are short; a long paragraph merely starts with the word. An
            # article may hold its whole text on its line ("Điều 3. Quyết định này có hiệu lực sau 10 ngày …").
        m = pattern.match(text)
        if m and kind == "appendix" and not _appendix_heading(m.group(1), m.group(2)):
            continue
        if m and not (kind == "number" and _not_a_section_number(text)):
            return kind, m.group(1).strip(), m.group(2).strip()
    if text.endswith(":") and len(text) <= HEADING_MAX:
        return "label", "", text[:-1].strip()
    return "paragraph", "", text


def _row(text: str, previous: str = "") -> tuple[str, str, str]:
    """A table row; its number is its first cell, or its second after an empty one ("| I.3 | Thủ tục cấp xã"). A
    number of four or five digits is one only right after the number before it ("1000" after "999"), not a year."""
    cells = text.split(CELL_SEPARATOR.strip(), 2)
    if not cells[0].strip() and len(cells) > 2:
        cells = cells[1:]
    first, rest = cells[0].strip(), CELL_SEPARATOR.strip().join(cells[1:]).strip()
    follows = first.isdigit() and len(first) <= 5 and previous.isdigit() and int(first) == int(previous) + 1
    return ("row", first, rest) if _ROW_NUMBER.match(first) or follows else ("row", "", text)


def _not_a_section_number(text: str) -> bool:
    """Dates, amounts and rows of digits ("0 0 1 0 7 5 4 5", a form's example boxes) are not section numbers."""
    if not any(ch.isalpha() for ch in text):
        return True
    return bool(re.match(r"^\d{1,3}[./]\d{1,2}[./]\d{2,4}\b|^\d+(?:[.,]\d{3})+\b", text))


def _appendix_heading(marker: str, rest: str) -> bool:
    """ "PHỤ LỤC", "PHỤ LỤC II: DANH MỤC …", "Phụ lục 01" head an appendix; "Phụ lục I ban hành kèm theo Nghị định
    này quy định …" is a sentence."""
    if marker.isupper():
        return not rest or rest.isupper() or rest[0] in "(:-–"  # (a paragraph over 200 characters is no heading)
    return not rest or (len(rest) <= HEADING_MAX and not re.search(r"[.;!?]$", rest) and not rest[0].islower())


def is_heading(kind: str, rest: str) -> bool:
    """Short markerless-title nodes that other paragraphs can sit under."""
    if kind in ("part", "chapter", "division", "article", "roman", "label", "header", "appendix", "caption"):
        return True
    if kind in ("paragraph", "ornament", "meta"):
        return False
    return len(rest) <= HEADING_MAX and not re.search(r"[.;!?]$", rest)


def _rank(kind: str, marker: str) -> float:
    if kind == "number":
        return _RANK["number"] + 0.1 * marker.rstrip(".)- ").count(".")
    if kind == "row":  # "I" holds "I.3", which holds "1", which holds "1.1"; a row without a number is a leaf
        if not marker:
            return _RANK["paragraph"]
        roman = 0.0 if ROMAN.match(marker.split(".")[0]) else 0.05
        return _RANK["row"] + roman + 0.01 * marker.rstrip(".)").count(".")
    return _RANK[kind]


def _caption(text: str) -> bool:
    """The capitalised title under an appendix heading ("MỨC HỖ TRỢ MUA PHƯƠNG TIỆN … (Kèm theo Nghị định …)")."""
    letters = [ch for ch in text.split("(")[0][:120] if ch.isalpha()]
    return len(text) <= _CAPTION_MAX and len(letters) >= 8 and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def parse_outline(doc: Document) -> tuple[Section, ...]:
    """The outline of ``doc``: header, body paragraphs and kept meta blocks, in order."""
    nodes: list[Section] = []
    body_start = doc.body[0]
    header_end = len(doc.text[:body_start].rstrip())
    if header_end > 0:
        nodes.append(Section("header", "", "Phần đầu văn bản", 0, 0, header_end))
    stack: list[tuple[float, int, bool]] = []  # (rank, node index, can hold children)
    meta_spans = set(doc.meta_spans)
    numbered = ""  # the number of the last numbered row of the current table
    for para in body_paragraphs(doc):
        if (para.start, para.end) in meta_spans:
            nodes.append(Section("meta", "", _meta_title(para.text), 1, para.start, para.end))
            continue
        kind, marker, rest = classify(para.text, numbered)
        if _SPECK.match(para.text):
            continue  # noise inside a list: the list goes on
        if kind == "ornament":
            stack.clear()  # "* * *" separates the closing part of a notice
            continue
        if kind != "row":
            while stack and nodes[stack[-1][1]].kind == "row":
                stack.pop()  # the table has ended
        numbered = (marker or numbered) if kind == "row" else ""
        if kind == "paragraph" and nodes and nodes[-1].kind == "appendix" and _caption(para.text):
            kind, rest = "caption", para.text
        rank = _rank(kind, marker)
        leaf = kind == "paragraph" or (kind == "row" and not marker)
        heading = is_heading(kind, rest)
        while stack and (stack[-1][0] >= rank or (leaf and not stack[-1][2])):
            stack.pop()
        parent = stack[-1][1] if stack else -1
        nodes.append(Section(kind, marker, rest, len(stack) + 1, para.start, para.end, parent))
        if not leaf:
            stack.append((rank, len(nodes) - 1, heading))
    return tuple(nodes)


def _meta_title(text: str) -> str:
    return "Phần sao văn bản" if re.search(r"SAO Y|SAO LỤC|TRÍCH SAO|Sao y", text) else "Phần ký văn bản"


def body_paragraphs(doc: Document) -> Iterator[Paragraph]:
    """Body paragraphs outside the excluded spans (recipients lists); each meta span
    (signature or certified-copy lines) comes as one paragraph of its own."""
    start, end = doc.body
    cuts = sorted([(s, e, False) for s, e in doc.excluded] + [(s, e, True) for s, e in doc.meta_spans])
    pos = start
    for cut_start, cut_end, is_meta in cuts:
        if cut_end <= pos:
            continue
        if cut_start > pos:
            yield from paragraphs(doc.text, pos, min(cut_start, end))
        if is_meta:
            yield Paragraph(cut_start, cut_end, doc.text[cut_start:cut_end])
        pos = max(pos, cut_end)
    if pos < end:
        yield from paragraphs(doc.text, pos, end)
