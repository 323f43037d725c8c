"""Chunks along the document's own structure.

One chunk per paragraph or list item; a short heading is joined to its first
child, very short siblings are merged, over-long paragraphs are split at
sentence boundaries. Every chunk satisfies ``doc.text[start:end] == text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.crossref import referenced
from indexer.models import Chunk, Document, Section
from indexer.outline import is_heading, parse_outline
from indexer.readers.tables import CELL_SEPARATOR

SEP = " › "
_SENTENCE_END = re.compile(r"(?<=[.;!?…])[\"”')]*\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9+-])")
_CLAUSE_END = re.compile(r"(?<=[;,:])\s+")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    node: int  # the outline node whose path the piece is cited by
    first: int = -1  # the first node of sibling rows merged into one piece (-1: one node)


def chunk_document(
    doc: Document, max_chars: int = 1200, min_chars: int = 40, outline: tuple[Section, ...] | None = None
) -> tuple[Chunk, ...]:
    """Cut ``doc`` into chunks; see the module docstring for the rules."""
    nodes = parse_outline(doc) if outline is None else outline
    pieces = _merge(doc, nodes, [_Piece(n.start, n.end, i) for i, n in enumerate(nodes)], max_chars, min_chars)
    chunks: list[Chunk] = []
    for piece in pieces:
        spans = _split(doc.text, piece.start, piece.end, max_chars)
        path = _row_range(nodes, piece, section_path(nodes, piece.node))
        for k, (start, end) in enumerate(spans):
            section = path if len(spans) == 1 else f"{path} (phần {k + 1}/{len(spans)})"
            chunks.append(Chunk(
                chunk_id=f"{doc.doc_id}-{len(chunks):04d}",
                doc_id=doc.doc_id,
                text=doc.text[start:end],
                start=start,
                end=end,
                section=section,
                context=_with_references(context_of(nodes, piece.node), doc, nodes, piece.node, start, end),
                pages=_pages(doc, start, end),
                ordinal=len(chunks),
                role=_role(nodes, piece),
            ))
    return tuple(chunks)


def _with_references(context: str, doc: Document, nodes: tuple[Section, ...], node: int, start: int,
                     end: int) -> str:
    """The context, followed by the text the passage points at ("trường hợp nêu tại Điểm a Khoản 2 Điều 2")."""
    refs = referenced(doc.text[start:end], nodes, doc.text, node)
    return " / ".join(x for x in (context, *refs) if x)


def _role(nodes: tuple[Section, ...], piece: _Piece) -> str:
    node = nodes[piece.node]
    if node.kind in ("header", "meta"):
        return node.kind
    alone = piece.start == node.start and piece.end == node.end
    has_children = any(n.parent == piece.node for n in nodes[piece.node + 1:piece.node + 2])
    return "heading" if alone and has_children and len(node.title) <= 200 else "body"


def _merge(
    doc: Document, nodes: tuple[Section, ...], pieces: list[_Piece], max_chars: int, min_chars: int
) -> list[_Piece]:
    """Join a heading to its first child and very short siblings together."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and _joinable(doc, nodes, out[-1], piece, max_chars, min_chars):
            prev = out.pop()
            first = prev.first if prev.first >= 0 else prev.node
            siblings = nodes[first].parent == nodes[piece.node].parent
            piece = _Piece(prev.start, piece.end, piece.node, first if siblings else -1)
        out.append(piece)
    return out


def _joinable(
    doc: Document, nodes: tuple[Section, ...], prev: _Piece, nxt: _Piece, max_chars: int, min_chars: int
) -> bool:
    gap = doc.text[prev.end:nxt.start]
    if gap.strip() or nxt.end - prev.start > max_chars:
        return False
    p, n = nodes[prev.node], nodes[nxt.node]
    if p.kind in ("header", "meta") or n.kind in ("header", "meta"):
        return False
    if n.parent == prev.node and is_heading(p.kind, p.title):
        return True  # a heading travels with its first child
    short = (prev.end - prev.start) < min_chars and (nxt.end - nxt.start) < min_chars
    return short and n.parent == p.parent and n.kind == p.kind


def _split(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Split [start, end) at sentence (then clause, then word) boundaries."""
    if end - start <= max_chars:
        return [(start, end)]
    for pattern in (_SENTENCE_END, _CLAUSE_END, re.compile(r"\s+")):
        cuts = [m for m in pattern.finditer(text, start, end)]
        spans = _pack(start, end, [(m.start(), m.end()) for m in cuts], max_chars)
        if all(e - s <= max_chars for s, e in spans):
            return spans
    return [(s, min(s + max_chars, end)) for s in range(start, end, max_chars)]


def _pack(start: int, end: int, cuts: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Greedy packing of sentences into spans of at most ``max_chars``."""
    spans: list[tuple[int, int]] = []
    cur = start
    last_cut: tuple[int, int] | None = None
    for cut in cuts:
        if cut[0] - cur > max_chars and last_cut is not None:
            spans.append((cur, last_cut[0]))
            cur = last_cut[1]
        last_cut = cut
    if end - cur > max_chars and last_cut is not None and last_cut[1] > cur:
        spans.append((cur, last_cut[0]))
        cur = last_cut[1]
    spans.append((cur, end))
    return [(s, e) for s, e in spans if e > s]


def _pages(doc: Document, start: int, end: int) -> tuple[int, ...]:
    if not doc.page_starts:
        return ()
    first, last = doc.page_at(start), doc.page_at(max(start, end - 1))
    return tuple(range(first or 1, (last or 1) + 1))


def _row_range(nodes: tuple[Section, ...], piece: _Piece, path: str) -> str:
    """ "… › STT 17–18" for a piece of sibling rows 17 and 18, not the last row's number alone."""
    if piece.first < 0:
        return path
    first, last = nodes[piece.first], nodes[piece.node]
    if first.kind != "row" or not (first.marker and last.marker):
        return path
    head = path.rpartition(SEP)[0]
    ranged = f"STT {first.marker.rstrip('.)')}–{last.marker.rstrip('.)')}"
    return f"{head}{SEP}{ranged}" if head else ranged


def _in_article(nodes: tuple[Section, ...], i: int) -> bool:
    while i >= 0:
        if nodes[i].kind == "article":
            return True
        i = nodes[i].parent
    return False


def _ordinal(nodes: tuple[Section, ...], i: int) -> int:
    """Node ``i``'s place among its parent's children of its kind, from 1."""
    return _layout(nodes).ordinal[i]


def node_label(nodes: tuple[Section, ...], i: int) -> str:
    """How a reader cites one node ("3. Nhiệm vụ thời gian tới", "b)", "ý 2")."""
    n = nodes[i]
    heading = is_heading(n.kind, n.title)
    marker = n.marker.rstrip(" -")
    short = heading and len(n.title) <= 60 and not n.title.endswith(":")
    if n.kind in ("header", "label", "meta"):
        return n.title
    if n.kind in ("appendix", "caption", "row"):
        return _table_label(nodes, i)
    if n.kind in ("part", "chapter", "division", "article", "roman"):
        return f"{marker} {n.title}".strip() if short else marker
    if n.kind in ("number", "letter") and _in_article(nodes, n.parent):
        word = "khoản" if n.kind == "number" else "điểm"
        return f"{word} {marker.rstrip('.)')}"
    if n.kind in ("number", "letter", "paren"):
        return f"{marker} {n.title}" if short else marker
    if n.kind in ("bullet", "plus", "star"):
        return n.title if heading else f"ý {_ordinal(nodes, i)}"
    return _paragraph_label(nodes, i)


def _table_label(nodes: tuple[Section, ...], i: int) -> str:
    """ "PHỤ LỤC V"; a caption adds nothing to the path; a numbered row is "STT 1.1", another row "dòng 3"."""
    n = nodes[i]
    if n.kind != "row":
        return n.marker
    if n.marker:
        return f"STT {n.marker.rstrip('.)')}"
    return f"dòng {_ordinal(nodes, i)}" if _layout(nodes).count[(n.parent, "row")] > 1 else ""


def _paragraph_label(nodes: tuple[Section, ...], i: int) -> str:
    n = nodes[i]
    if n.parent >= 0:
        return "" if _layout(nodes).count[(n.parent, "paragraph")] == 1 else f"đoạn {_ordinal(nodes, i)}"
    opened = [j for j in range(i) if nodes[j].kind not in ("paragraph", "header", "meta")]
    if not opened:
        return f"Phần mở đầu, đoạn {_ordinal(nodes, i)}"
    count = sum(1 for j in range(opened[-1], i + 1) if nodes[j].parent == -1 and nodes[j].kind == "paragraph")
    return f"Phần kết, đoạn {count}"


def section_path(nodes: tuple[Section, ...], i: int) -> str:
    """The outline path of node ``i`` joined with " › "."""
    labels = []
    while i >= 0:
        labels.append(node_label(nodes, i))
        i = nodes[i].parent
    return SEP.join(label for label in reversed(labels) if label)


def context_of(nodes: tuple[Section, ...], i: int, limit: int = 160) -> str:
    """Ancestors' own text (clipped), so a list item is found by its heading."""
    parts = [] if nodes[i].kind != "row" else [_table_head(nodes, i)[:limit], _table_unit(nodes, i)]
    i = nodes[i].parent
    while i >= 0:
        n = nodes[i]
        parts.append(f"{n.marker} {n.title}".strip()[:limit])
        i = n.parent
    return " / ".join(p for p in reversed(parts) if p)


_UNIT_LINE = re.compile(r"^Đơn vị(?: tính)?\s*:\s*\S.{0,30}$", re.IGNORECASE)


@dataclass(frozen=True)
class _Layout:
    """What labels and table contexts need of a whole outline, read in one pass (not once per node)."""

    ordinal: tuple[int, ...]  # each node's place among its parent's children of its kind, from 1
    count: dict[tuple[int, str], int]  # (parent, kind) -> how many such children
    start: tuple[int, ...]  # each table row's first row of its run of rows (other nodes: themselves)


_LAST: dict[str, tuple[tuple[Section, ...], _Layout]] = {}  # the last outline's layout (every label asks for it)


def _layout(nodes: tuple[Section, ...]) -> _Layout:
    cached = _LAST.get("layout")
    if cached is None or cached[0] is not nodes:
        ordinal: list[int] = []
        count: dict[tuple[int, str], int] = {}
        start: list[int] = []
        for k, n in enumerate(nodes):
            count[(n.parent, n.kind)] = count.get((n.parent, n.kind), 0) + 1
            ordinal.append(count[(n.parent, n.kind)])
            start.append(start[k - 1] if n.kind == "row" and k and nodes[k - 1].kind == "row" else k)
        cached = _LAST["layout"] = (nodes, _Layout(tuple(ordinal), count, tuple(start)))
    return cached[1]


def _table_start(nodes: tuple[Section, ...], i: int) -> int:
    """The first row of the run of table rows that row ``i`` belongs to."""
    return _layout(nodes).start[i]


def _table_unit(nodes: tuple[Section, ...], i: int) -> str:
    """The "Đơn vị tính: đồng" line a few paragraphs above the table row ``i`` is in, or ""."""
    j = _table_start(nodes, i)
    above = [n for n in nodes[max(0, j - 3):j] if n.kind in ("paragraph", "label")]
    return next((n.title for n in reversed(above) if _UNIT_LINE.match(n.title)), "")


def _table_head(nodes: tuple[Section, ...], i: int) -> str:
    """The header row of the table row ``i`` is in ("STT | Tên sản phẩm | Niên hạn cấp | Mức cấp"), or ""."""
    j = _table_start(nodes, i)
    return nodes[j].title if j < i and not nodes[j].marker else ""


def table_header(context: str) -> tuple[str, str]:
    """(the header row, the "Đơn vị tính: …" line) a table row's context ends with (``context_of``); "" for each
    that it has not."""
    parts = context.split(" / ")[-2:]
    unit = next((p for p in parts if _UNIT_LINE.match(p)), "")
    return next((p for p in reversed(parts) if CELL_SEPARATOR in p), ""), unit
