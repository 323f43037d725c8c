"""Markdown through markdown-it-py (CommonMark + tables): one line per block.

Soft line breaks inside a paragraph are joined (Markdown scraped from legal
sites is hard-wrapped at ~80 columns, often mid-phrase), emphasis and table
markup are dropped, list markers are written back as they appear ("1.", "-"),
headings and table rows become lines of their own.

Pages scraped from thuvienphapluat.vn lay the header and signature blocks out
as cells between lone "|" lines; each such cell is read as its own paragraph.
Inside a cell, a line break at a bold boundary after an upper-case line is kept
("BAN CHẤP HÀNH TRUNG ƯƠNG" / "BAN TUYÊN GIÁO VÀ DÂN VẬN"): that is where the
printed header breaks its lines. A file that is not hard-wrapped (one paragraph
per line, no blank line between, as the Điều lệ page) keeps each line as a
paragraph. Site chrome ("Link bài viết gốc", posting times) is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from indexer.readers.boiler import drop_boilerplate
from indexer.readers.raw import Raw
from indexer.readers.tables import table_lines

# A lone "|" (or "* |") line: the cell separator of the scraped header/signature tables.
_CELL_RULE = re.compile(r"^[ \t]*\*?[ \t]*\|[ \t|]*$", re.M)
# "**KẾT LUẬN****CỦA BỘ CHÍNH TRỊ**": two bold runs glued where the page had a line break.
_GLUED_BOLD = re.compile(r"(?<=\S)\*\*\*\*(?=\S)")
# "... như sau:**1. Cơ bản" : a bold numbered item glued to the sentence that announces it.
_GLUED_ITEM = re.compile(r"(?<=[:.;])\*\*(?=\s*(?:\d{1,2}(?:\.\d{1,2})*\.|[IVX]{1,4}[.-])\s)")
# Lines longer than this (90th percentile) were not hard-wrapped: a single line break ends a paragraph.
UNWRAPPED_WIDTH = 120
_SINGLE_BREAK = re.compile(r"(?<=[^\n])\n(?=[^\n|])")
# Emphasis delimiters markdown-it could not pair ("** 2.1. **", "__Nơi nhận: __").
_STRAY = re.compile(r"\*{2,}|_{2,}|(?<!\S)\*(?!\S)|^\*+(?=\S)|(?<=\S)\*+$")
# "vũ t rang": a word's onset split from its rhyme by a stray space.
_SPLIT_ONSET = re.compile(r"(?<=[a-zà-ỹđ] )(t|c|k|n|p)\s(?=(?:h|r|g)[a-zà-ỹđ]+\b)")
_ONSETS = {"th", "tr", "ch", "kh", "nh", "ng", "ph"}
# "*(Đại hội … của Đảng*" / "*thông qua ngày 19 tháng 01 năm 2011)*": a parenthesis opened on one line and
# closed on the next is one phrase ("(Kèm theo Quyết định số …" / "ngày … của UBND tỉnh)").
_OPEN_PAREN = re.compile(r"(\([^()\n]{3,200})\n(?=[^()\n]{1,200}\))")


def read_markdown(path: Path, text: str) -> Raw:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(_prepare(text))
    lines = [_repair(ln) for ln in _Walker(tokens).lines()]
    lines = drop_boilerplate([ln for ln in lines if ln.strip()])
    return Raw(pages=[lines], source_format="md", starts=[[True] * len(lines)])


def _prepare(text: str) -> str:
    text = _CELL_RULE.sub("", text.replace("\r\n", "\n"))
    text = _OPEN_PAREN.sub(r"\1 ", text)
    lengths = sorted(len(ln) for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("|"))
    if lengths and lengths[int(0.9 * (len(lengths) - 1))] > UNWRAPPED_WIDTH:
        text = _SINGLE_BREAK.sub("\n\n", text)  # not hard-wrapped: every line is a paragraph
    text = _GLUED_BOLD.sub("**\n**", text)
    return _GLUED_ITEM.sub("\n\n**", text)


def _repair(line: str) -> str:
    line = _STRAY.sub("", line)

    def join(m: re.Match[str]) -> str:
        after = line[m.end():m.end() + 1]
        return m.group(1) if m.group(1) + after in _ONSETS else m.group(0)

    return re.sub(r"\s{2,}", " ", _SPLIT_ONSET.sub(join, line)).strip()


class _Walker:
    """Turns the block token stream into lines, restoring list markers."""

    def __init__(self, tokens: list[Any]) -> None:
        self.tokens = tokens
        self.out: list[str] = []
        self.markers: list[str] = []  # pending list-item marker, innermost last
        self.rows: list[list[str]] = []
        self.in_table = False

    def lines(self) -> list[str]:
        for tok in self.tokens:
            self._block(tok)
        return self.out

    def _block(self, tok: Any) -> None:
        kind = tok.type
        if kind == "list_item_open":
            bullet = tok.markup if tok.markup in "-+" else "-"
            self.markers.append(f"{tok.info}{tok.markup}" if tok.info else bullet)
        elif kind == "list_item_close":
            self.markers.pop()
        elif kind == "table_open":
            self.in_table, self.rows = True, []
        elif kind == "table_close":
            self.in_table = False
            self.out.extend(table_lines(self.rows, data=True))
        elif kind == "tr_open":
            self.rows.append([])
        elif kind == "inline":
            self._inline(tok)
        elif kind in ("fence", "code_block"):
            self.out.extend(tok.content.split("\n"))

    def _inline(self, tok: Any) -> None:
        text = _render_inline(tok.children or [])
        if self.in_table:
            self.rows[-1].append(text)
            return
        parts = text.split("\n")
        if self.markers and self.markers[-1]:
            parts[0] = f"{self.markers[-1]} {parts[0]}"
            self.markers[-1] = ""  # a later paragraph of the same item carries no marker
        self.out.extend(parts)


def _render_inline(children: list[Any]) -> str:
    """Inline tokens as text: soft breaks joined except at a bold boundary after an upper-case line."""
    out: list[str] = []
    for k, child in enumerate(children):
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(child.content if kind != "html_inline" else "")
        elif kind == "hardbreak":
            out.append("\n")
        elif kind == "softbreak":
            out.append("\n" if _keeps_break(children, k, "".join(out)) else " ")
        elif kind == "image":
            out.append("")
    return "".join(out)


def _keeps_break(children: list[Any], k: int, before: str) -> bool:
    def neighbour(step: int) -> str:
        j = k + step
        while 0 <= j < len(children) and children[j].type == "text" and not children[j].content.strip():
            j += step
        return children[j].type if 0 <= j < len(children) else ""

    prev, nxt = neighbour(-1), neighbour(1)
    if not _caps(before.rsplit("\n", 1)[-1]):
        return False
    if prev == "strong_close" or nxt == "strong_open":
        return True
    # "PHÓ CHÁNH VĂN PHÒNG" / "Lê Khánh Toàn": a capitals line over a name or a place line.
    after = children[k + 1].content if k + 1 < len(children) and children[k + 1].type == "text" else ""
    return after[:1].isupper() and any(ch.islower() for ch in after)


def _caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)
