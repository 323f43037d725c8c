"""Outline-level matching for the responsibility register (internals of ``assistant.duties.model``).

Walks the outline of a document: body headings hand their bodies to the items below them, an intro ending
in "... nhiệm vụ sau:" hands its bodies to the list that follows, and each node's sentences are matched
by ``assistant.duties.rules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.duties.bodies import HEAD_OF
from assistant.duties.closing import closing_hits
from assistant.duties.headings import content_start as _content_start
from assistant.duties.headings import heading_bodies
from assistant.duties.onward import onward_hits
from assistant.duties.rules import (
    DO,
    LEAD,
    LEAD_IN,
    PARTNER,
    REPORT,
    Hit,
    Text,
    anchors,
    partner_hits,
    reports,
    role_at,
    sentence_hits,
    sentences,
    trim,
    via_hits,
)
from assistant.duties.switches import switches
from indexer.models import Section
from indexer.outline import is_heading

_ITEM_KINDS = frozenset({"number", "letter", "paren", "bullet", "plus", "star", "label", "paragraph", "roman", "row"})
_PERSON = re.compile(r"(?:dang vien|nguoi|can bo|dong chi|quan chung|cam tinh dang)\b")
_NO_CARRY = re.compile(r"(?:viec|nhiem vu nay)\b|.*\bduoc (?:thuc hien|to chuc|ap dung)\b")
_VACUOUS = re.compile(r"(?:nhiem vu|noi dung|cong viec|viec|giai phap|bien phap)\b[^.;:]{0,30}\b"
                      r"(?:sau|nhu sau|sau day|cu the)\s*:\s*$")
_STANDING = "Ban thường vụ cấp ủy"
_THIS = re.compile(r"\s+(?:nay|tren|do|so)\b")
_OWN_SUBJECT = re.compile(r"(?:cac|nhung)\s")
_RECIPIENTS = re.compile(r"noi nhan\s*:")
_ASSIGN_WORDS = frozenset(("giao", "cho", "de", "nghi", "yeu", "cau", "chu", "tri", "phoi", "hop", "voi", "chat",
                           "che", "lanh", "dao", "chi", "thuc", "hien", "trien", "khai", "cac", "noi", "dung",
                           "nhiem", "vu", "sau", "nhu", "cu", "the", "va", "to", "chuc", "co", "quan",
                           "lien", "don", "vi", "nang"))
# "Nội dung thông tin, tuyên truyền gồm: …", "Thành phần: …": what a task is made of, not a task of its own
_DESCRIBES = re.compile(r"(?:noi dung|hinh thuc|thanh phan|doi tuong|pham vi|dia diem|muc dich)\b[^.:;]{0,60}?"
                        r"(?:\b(?:bao gom|gom)\s*:?|\s*:)")
_HEADER_WORDS = 1  # content words a header may have besides bodies and words of assigning
_OWN_TASK_WORDS = 4  # content words before "... các nội dung sau:" that make the intro a task of its own
_TITLE_BEFORE = re.compile(rf"\b(?:{HEAD_OF.pattern})$")


Given = tuple[tuple[str, str | None], ...]  # bodies handed to items, with the role their header gave (or None)


def _run_after(nodes: tuple[Section, ...], i: int) -> list[int]:
    """List items right after node ``i`` on its level ("...nhiệm vụ sau:" then "1. ...", "2. ...")."""
    out, up, level = [], nodes[i].parent, {nodes[i].parent}
    while up >= 0:  # the items may sit on an outer level ("Kính gửi:" holds the paragraph, not the list)
        up = nodes[up].parent
        level.add(up)
    kind = None
    for j in range(i + 1, len(nodes)):
        n = nodes[j]
        if n.parent in level and n.kind == "paragraph" and kind and _resumes(nodes, j, n.parent, kind):
            continue  # "1. Tiếp tục …" / "Sau khi …, Bộ sẽ …" / "2. Tiếp nhận …": a paragraph between two items
        if n.parent not in level or n.kind not in _ITEM_KINDS - {"paragraph", "label"}:
            break
        level, kind = {n.parent}, kind or n.kind
        if is_heading(n.kind, n.title):
            break
        out.append(j)
    return out


def _resumes(nodes: tuple[Section, ...], j: int, parent: int, kind: str) -> bool:
    """Whether the paragraphs from node ``j`` on are followed, on the same level, by another item of ``kind``."""
    for n in nodes[j:]:
        if n.parent == parent and n.kind != "paragraph":
            return n.kind == kind
        if n.parent < parent:  # back on an outer level: the list has ended
            return False
    return False


def _tasks_below(t: Text, nodes: tuple[Section, ...], kids: list[int]) -> list[int]:
    """The children of a body heading that are its tasks: its list items and the paragraphs among them that open
    with a task verb ("1. Sở Lao động …:" / "Hằng năm xây dựng kế hoạch …" / "- Triển khai …"), or all its
    paragraphs if it has no items. A sub-heading ("c) Đối với cấp ủy cơ sở:") is not a task; an item that opens
    with a task verb is, even when it introduces a list ("c) Thực hiện tốt các biện pháp phòng ngừa ..., trọng
    tâm là các nội dung sau:")."""
    items = [j for j in kids if nodes[j].kind != "paragraph" or _continues(t, nodes[j])]
    items = items if any(nodes[j].kind != "paragraph" for j in items) else kids
    return [j for j in items if not (nodes[j].title.endswith(":") and is_heading(nodes[j].kind, nodes[j].title)
                                     and _has_items(nodes, j)
                                     and role_at(t, _content_start(t, nodes[j]), nodes[j].end) is None)
            and not _DESCRIBES.match(t.low, _content_start(t, nodes[j]), nodes[j].end)]


def _has_items(nodes: tuple[Section, ...], i: int) -> bool:
    return i + 1 < len(nodes) and nodes[i + 1].parent == i and nodes[i + 1].kind in _ITEM_KINDS - {"paragraph"}


def _is_skipped_heading(n: Section) -> bool:
    structural = n.kind not in ("paragraph", "bullet", "plus", "star", "row")  # a table row is content
    sentence = n.title.rstrip().endswith(".")  # "Điều 22. Giao Văn phòng Trung ương Đảng hướng dẫn ..."
    return structural and is_heading(n.kind, n.title) and not n.title.endswith(":") and not sentence


@dataclass(frozen=True)
class Found:
    hit: Hit
    quote: tuple[int, int]
    node: int


def _node_rows(
    t: Text, nodes: tuple[Section, ...], i: int, ctx: Given | None, issuer: str | None
) -> tuple[list[Found], Given]:
    """Rows of node ``i``, and the bodies it hands to the items below when it is a "nhiệm vụ sau:" intro."""
    n = nodes[i]
    cs, end = _content_start(t, n), len(t.raw[:n.end].rstrip())
    sents = sentences(t, cs, end)
    if not sents:
        return [], ()
    groups = [sentence_hits(t, s, e, issuer) for s, e in sents]
    opening = [a for a in anchors(t, cs, sents[0][1]) if a == cs or LEAD_IN.match(t.low, cs)]
    if ctx and _OWN_SUBJECT.match(t.low, cs) and t.mention_at(cs) is None:
        ctx = None  # "Các chủ công trình hồ chứa ... tổ chức trực ban": the item names its own subject
    if ctx and not (groups[0] and groups[0][0][0] in opening):
        found = role_at(t, cs, sents[0][1])
        own = found[0] if found else DO
        if own == REPORT:  # "Báo cáo Bộ Chính trị ..." under "Giao X chủ trì, phối hợp với Y:": X reports
            ctx = tuple((body, None) for body, role in ctx if role != PARTNER)
        given = [Hit(body, role or own, (cs, sents[0][1])) for body, role in ctx]
        if own == LEAD and found:  # "2. Chủ trì, phối hợp với Chủ tịch UBND huyện, ... hướng dẫn ..."
            given += partner_hits(t, found[1], (cs, sents[0][1]), [h.body for h in given])
        groups[0] = sentence_hits(t, *sents[0], issuer, given)
        for k in range(1, len(sents)):  # "4. Lập Bảng kê …. Ban hành văn bản …": each task sentence is a row
            verb = None if groups[k] else role_at(t, sents[k][0], sents[k][1])
            if verb:
                groups[k] = sentence_hits(t, *sents[k], issuer, [Hit(b, r or verb[0], sents[k]) for b, r in ctx])
    handed = _handed(t, groups[-1], (cs, end), _has_items(nodes, i), bool(ctx))
    out: list[Found] = []
    if groups[0] and groups[0][0][0] in opening:
        lead = groups[0].pop(0)[1]
        if ctx and {h.body for h in lead} == {_STANDING}:
            lead = [replace(lead[0], body=body) for body, _ in ctx]  # "Ban thường vụ đảng ủy" of the heading's body
        last = 0
        if lead[0].task[0] == cs and lead[0].task[1] >= trim(t, cs, sents[0][1]):
            while last + 1 < len(sents) and not groups[last + 1] and _carries(t, *sents[last + 1]):
                last += 1
        stop = trim(t, cs, sents[last][1])
        lead = [replace(h, task=(h.task[0], max(h.task[1], stop))) for h in lead]
        out += _with_reports(t, lead, (cs, sents[last][1]), i)
    for (s, e), sentence_groups in zip(sents, groups, strict=True):
        for _, hits in sentence_groups:
            out += _with_reports(t, hits, (s, e), i)
        out += [Found(h, (s, e), i) for h in (*via_hits(t, s, e), *onward_hits(t, s, e))]
    return out, handed


def _handed(t: Text, last: list[tuple[int, list[Hit]]], span: tuple[int, int], has_items: bool,
            given: bool) -> Given:
    """Bodies of a closing "... thực hiện tốt một số nhiệm vụ sau:" assignment (its group is removed); after a
    header that is only the assignment ("Giao X chủ trì, phối hợp với Y:") each keeps its role. A header that
    is only the assignment hands its bodies to the items below it without its colon too (a scan's OCR drops
    it: "2. Đề nghị Giám đốc Công an tỉnh, ... tổ chức thực hiện"). An item given its bodies by a heading
    stays a task of theirs when it says more than the intro ("c) Thực hiện tốt các biện pháp phòng ngừa ...,
    trọng tâm là các nội dung sau:")."""
    cs, end = span
    colon = t.raw[:end].endswith(":")
    if not last or not (colon or has_items):
        return ()
    vacuous = _VACUOUS.search(t.low, cs, end) if colon else None
    if vacuous:
        own_task = given and _content_words(t, cs, vacuous.start()) > _OWN_TASK_WORDS
        _, hits = last[-1] if own_task else last.pop()
        return tuple(dict.fromkeys((h.body, None) for h in hits if h.role != PARTNER))
    start, hits = last[-1]
    if _content_words(t, start, end) > _HEADER_WORDS:
        return ()
    last.pop()
    return tuple(dict.fromkeys((h.body, h.role if h.role in (LEAD, PARTNER) else None) for h in hits))


def _content_words(t: Text, start: int, end: int) -> int:
    """Words of [start, end) that are neither body names (with their head's title: "Giám đốc Công an tỉnh")
    nor words of assigning ("giao", "chủ trì", ...)."""
    spans = [(_head_start(t, m.start, start), m.end) for m in t.within(start, end)]
    words = [w for w in re.finditer(r"\w+", t.low[start:end])
             if not any(a <= start + w.start() < b for a, b in spans)]
    return sum(1 for w in words if w.group() not in _ASSIGN_WORDS)


def _head_start(t: Text, pos: int, floor: int) -> int:
    """Where the title of the head of the body named at ``pos`` starts ("Viện trưởng Viện ..."), else ``pos``."""
    head = _TITLE_BEFORE.search(t.low, max(floor, pos - 24), pos)
    return head.start() if head else pos


def _carries(t: Text, s: int, e: int) -> bool:
    """Whether a sentence goes on with the previous subject (it names no subject of its own)."""
    return not (_NO_CARRY.match(t.low, s, e) or t.mention_at(s) or _PERSON.match(t.low, s, e))


def _with_reports(t: Text, hits: list[Hit], quote: tuple[int, int], node: int) -> list[Found]:
    out = [Found(h, quote, node) for h in hits]
    for h in hits:
        if h.role != PARTNER:
            out += [Found(r, quote, node) for r in reports(t, h)]
    return out


def outline_rows(t: Text, nodes: tuple[Section, ...], issuer: str | None) -> list[Found]:
    """Rows of every node of ``nodes`` in outline order, with the bodies headings hand to their items."""
    kids: dict[int, list[int]] = {}
    for j, n in enumerate(nodes):
        kids.setdefault(n.parent, []).append(j)
    ctx: dict[int, Given] = {}
    heads = set()
    for i, n in enumerate(nodes):
        names = heading_bodies(t, n)
        if names:
            heads.add(i)
            below = _tasks_below(t, nodes, kids.get(i, []))
            if not below and n.kind in ("label", "paragraph"):  # "Ủy ban kiểm tra các cấp có nhiệm vụ :" above
                below = _run_after(nodes, i)  # "1. …", "2. …" on its own level
            ctx.update((j, tuple((name, None) for name in names)) for j in below)
    found: list[Found] = []
    lead: Given = ()
    for i, n in enumerate(nodes):
        if _RECIPIENTS.match(t.low, _content_start(t, n)):
            break  # "Nơi nhận:": the recipients, not tasks
        if i in heads or n.kind in ("header", "meta", "ornament") or _is_skipped_heading(n):
            lead = ()
            continue
        given = ctx.get(i) or (lead if _continues(t, n) else None)
        rows, handed = _node_rows(t, nodes, i, given, issuer)
        if handed:
            ctx.update((j, handed) for j in _same_kind(nodes, kids.get(i)) or _run_after(nodes, i) if j not in ctx)
        cs, end = _content_start(t, n), len(t.raw[:n.end].rstrip())
        lead = _subjects(rows, cs)
        found += rows + [Found(h, q, i) for h, q in switches(t, lead, cs, end)]
        found += [Found(h, q, i) for h, q in closing_hits(t, cs, end)]
    return found


def _subjects(rows: list[Found], cs: int) -> Given:
    """The bodies a node's opening assignment is about (the lead when there is one, not its partners)."""
    opening = [f.hit for f in rows if f.hit.task[0] == cs and f.hit.role != REPORT]
    if any(h.role == LEAD for h in opening):
        opening = [h for h in opening if h.role == LEAD]
    return tuple(dict.fromkeys((h.body, None) for h in opening))


def _same_kind(nodes: tuple[Section, ...], kids: list[int] | None) -> list[int]:
    """The items of a list ("- ..."), not the sub-lists inside them ("(1) ...")."""
    return [j for j in kids or [] if nodes[j].kind == nodes[kids[0]].kind]


def _continues(t: Text, n: Section) -> bool:
    """Whether a paragraph goes on with the subject of the one before: it starts with a task verb
    ("Phối hợp với Bộ Nội vụ ...", "Bố trí kinh phí ...") and names no subject of its own."""
    cs = _content_start(t, n)
    verb = role_at(t, cs, n.end)
    named = verb is not None and _THIS.match(t.low, verb[1])  # "Hướng dẫn này thay thế ...": a document
    return n.kind == "paragraph" and t.mention_at(cs) is None and verb is not None and not named
