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
    r"(?:(?P<noun>nhóm đối tượng|nhóm|đối tượng|loại)\s+số\s+(?P<item>\d+)\s+(?:được\s+)?(?:quy định|nêu)\s+tại\s+)?"
    r"(?:điểm\s+(?P<point>[a-zđ])\s*,?\s+)?(?:khoản\s+(?P<clause>\d+)\s*,?\s+)?"
    rf"(?:điều\s+(?P<article>\d+)\s+(?:của\s+)?(?P<type>{_TYPES})\s+này|(?P<this>điều\s+này))",
    re.IGNORECASE,
)
_INSTRUMENTS = ("quyết định", "thông tư", "nghị định", "nghị quyết", "chỉ thị")  # they issue regulations, plans
LIMIT = 200  # characters of each referenced node's own text
MAX_REFS = 3


def referenced(text: str, nodes: tuple[Section, ...], doc_text: str, here: int) -> list[str]:
    """Own text of each node of the same document that ``text`` (the passage of node ``here``) refers to:
    "Điểm a Khoản 2 Điều 2 Quyết định này" gives clause 2's and point a's text; "khoản 1 Điều này" the
    clause of the passage's own article; "Nhóm đối tượng số 5 quy định tại Điều 3 của quy định này" the clause of
    that article naming group 5. Unknown targets are skipped."""
    out: list[str] = []
    for m in _REF.finditer(text):
        if not (m.group("point") or m.group("clause")) and m.group("this"):
            continue  # "Điều này" alone points at the passage's own article
        article = (_own_article(nodes, here) if m.group("this")
                   else _article(nodes, m.group("article"), here, m.group("type")))
        clause = m.group("clause") or _numbered_item(nodes, doc_text, article, m.group("noun"), m.group("item"))
        target = _descend(nodes, article, clause, m.group("point"))
        for i in target:
            own = _own_text(nodes, doc_text, i)
            if own and own not in out:
                out.append(own)
        if len(out) >= MAX_REFS:
            break
    return out[:MAX_REFS]


def _own_text(nodes: tuple[Section, ...], doc_text: str, i: int) -> str:
    """A node's own text, up to ``LIMIT`` characters; a clause that is a lead-in ("1. Nhóm đối tượng số 1:") with its
    items (an article's lead-in stays alone: its first items are not what a reference to the whole article means)."""
    own = doc_text[nodes[i].start:nodes[i].end].strip()
    j = i + 1
    lead_in = nodes[i].kind != "article"
    while lead_in and own.endswith(":") and len(own) < LIMIT and j < len(nodes) and i in _ancestors(nodes, j):
        own = f"{own} {doc_text[nodes[j].start:nodes[j].end].strip()}"
        j += 1
    return own[:LIMIT].strip()


def _numbered_item(nodes: tuple[Section, ...], doc_text: str, article: int, noun: str | None,
                   item: str | None) -> str | None:
    """"Nhóm đối tượng số 5 quy định tại Điều 3 của quy định này": clause 5 of Điều 3 when that clause is the one
    naming "nhóm đối tượng số 5" ("5. Nhóm đối tượng số 5: Tập thể cán bộ …"), else None (the whole article)."""
    if not (noun and item) or article < 0:
        return None
    c = _child(nodes, article, item)
    head = doc_text[nodes[c].start:nodes[c].start + 80].lower() if c >= 0 else ""
    return item if re.search(rf"\b{noun.lower()}\s+số\s+{item}\b", head) else None


def _article(nodes: tuple[Section, ...], number: str, here: int, kind: str) -> int:
    """The article ``number`` the passage of node ``here`` means. A decision and the regulation it issues both have
    an "Điều 3": "Điều 3 Quyết định này" is the decision's (the first), "Điều 3 của quy định này" the regulation's,
    the one sharing the most headings (chapter, part) with the passage, then the nearest."""
    found = [i for i, n in enumerate(nodes) if n.kind == "article" and n.marker.split()[-1] == number]
    if kind.lower() in _INSTRUMENTS:
        return found[0] if found else -1
    mine = _ancestors(nodes, here)
    return min(found, key=lambda i: (-len(mine & _ancestors(nodes, i)), abs(nodes[i].start - nodes[here].start)),
               default=-1)


def _ancestors(nodes: tuple[Section, ...], i: int) -> set[int]:
    out = set()
    while i >= 0:
        i = nodes[i].parent
        if i >= 0:
            out.add(i)
    return out


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
