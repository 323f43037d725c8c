"""Internal cross-references resolved to the text they point at.

State documents say what applies by pointing: "1. Hỗ trợ 40 triệu đồng/hộ đối với trường hợp nêu tại Điểm a
Khoản 2 Điều 2 Quyết định này". The passage holds the answer to "nhà phải phá dỡ để xây mới được hỗ trợ bao
nhiêu?" only through "a) Phải phá dỡ để xây mới nhà ở;". ``referenced`` gives the text of the points, clauses
and articles of the same document a passage refers to, for the passage's context (what is embedded and
indexed beside it, never what is quoted).
"""

from __future__ import annotations

import re

from indexer.models import Section

_TYPES = r"(?:quyết định|thông tư|nghị định|quy định|quy chế|nghị quyết|chỉ thị|kế hoạch|luật|điều lệ|hướng dẫn)"
_REF = re.compile(
    r"(?:điểm\s+(?P<point>[a-zđ])\s*,?\s+)?(?:khoản\s+(?P<clause>\d+)\s*,?\s+)?"
    rf"(?:điều\s+(?P<article>\d+)\s+(?:của\s+)?{_TYPES}\s+này|(?P<this>điều\s+này))",
    re.IGNORECASE,
)
LIMIT = 200  # characters of each referenced node's own text
MAX_REFS = 3


def referenced(text: str, nodes: tuple[Section, ...], doc_text: str, here: int) -> list[str]:
    """Own text of each node of the same document that ``text`` (the passage of node ``here``) refers to:
    "Điểm a Khoản 2 Điều 2 Quyết định này" gives clause 2's and point a's text; "khoản 1 Điều này" the
    clause of the passage's own article. Unknown targets are skipped."""
    out: list[str] = []
    for m in _REF.finditer(text):
        if not (m.group("point") or m.group("clause")) and m.group("this"):
            continue  # "Điều này" alone points at the passage's own article
        article = _own_article(nodes, here) if m.group("this") else _article(nodes, m.group("article"))
        target = _descend(nodes, article, m.group("clause"), m.group("point"))
        for i in target:
            own = doc_text[nodes[i].start:nodes[i].end][:LIMIT].strip()
            if own and own not in out:
                out.append(own)
        if len(out) >= MAX_REFS:
            break
    return out[:MAX_REFS]


def _article(nodes: tuple[Section, ...], number: str) -> int:
    return next((i for i, n in enumerate(nodes) if n.kind == "article" and n.marker.split()[-1] == number), -1)


def _own_article(nodes: tuple[Section, ...], i: int) -> int:
    while i >= 0 and nodes[i].kind != "article":
        i = nodes[i].parent
    return i


def _child(nodes: tuple[Section, ...], parent: int, marker: str) -> int:
    return next((i for i in range(parent + 1, len(nodes)) if nodes[i].parent == parent
                 and nodes[i].marker.lower().rstrip(".)") == marker.lower()), -1)


def _descend(nodes: tuple[Section, ...], article: int, clause: str | None, point: str | None) -> list[int]:
    """The nodes a reference names below ``article`` (the clause then the point), or the article alone."""
    if article < 0:
        return []
    if not clause:
        return [article] if not point else []
    c = _child(nodes, article, clause)
    if c < 0:
        return []
    p = _child(nodes, c, point) if point else -1
    return [c, p] if p >= 0 else ([] if point else [c])
