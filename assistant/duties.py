"""Responsibility register: who is assigned what, extracted rule-first from the outline.

Shapes handled (see tests/data/README.md for the labelling rules):
- a body as a heading ("- Ban Tổ chức Trung ương", "a) Cấp ủy cơ sở", "d) Đối với chi bộ:")
  whose direct children are its tasks ("Phối hợp với ..." items -> "phối hợp");
- "X chủ trì, phối hợp với Y, Z ..." -> X "chủ trì", Y and Z "phối hợp";
- "X <verb> ..." at the start of an item, a sentence, a ";" clause or after "thì";
- "Giao X ...", "yêu cầu X ...", "ủy quyền X ..." (the assigner gets no row);
- an assignment whose task is "... một số nhiệm vụ sau:" hands its body to the items that follow;
- reporting lines ("định kỳ báo cáo ... với Ban Bí thư (qua Ban Dân vận Trung ương)"): an extra
  "báo cáo/theo dõi" row for the reporting body, and one for the body named after "qua".
Unidentifiable partners ("các cơ quan liên quan", "các cơ quan chức năng") get no row.
Every row satisfies ``doc.text[row.start:row.end] == row.quote`` and ``row.task in row.quote``.
"""

from __future__ import annotations

import bisect
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.bodies import DutyQuery, Mention, find_mentions, fold_same, resolve
from indexer.chunker import section_path
from indexer.models import Document, Section
from indexer.outline import is_heading, parse_outline

LEAD, PARTNER, DO, REPORT = "chủ trì", "phối hợp", "thực hiện", "báo cáo/theo dõi"
ROLES = (LEAD, PARTNER, DO, REPORT)
_ITEM_KINDS = frozenset({"number", "letter", "paren", "bullet", "plus", "star", "label", "paragraph", "roman"})
_SENT_END = re.compile(r"(?<=[.!?…])[\"”')]*\s+(?=[-+]?\s*[\"“(]?[A-ZĐÀ-Ỹ0-9])")
_MODAL = (r"(?:(?:thuong xuyen|dinh ky(?: hang (?:nam|thang|quy))?|hang (?:nam|thang|quy)|kip thoi|chu dong|tiep tuc"
          r"|nghiem tuc|truc tiep|co trach nhiem|chiu trach nhiem|co nhiem vu|phai|can|sau do)\s*,?\s*)*")
_VERBS = (
    "thuc hien|trien khai|to chuc|huong dan|chi dao|lanh dao|xay dung|sua doi|bo sung|nghien cuu|don doc|kiem tra"
    "|giam sat|tham muu|tong hop|de xuat|xem xet|xet|quyet dinh|ra quyet dinh|ra nghi quyet|tham dinh|lap|ghi|gui"
    "|phe duyet|ban hanh|quan ly|thong bao|tiep nhan|niem phong|trao|phan cong|cu the hoa|quan triet|tuyen truyen"
    "|danh gia|ra soat|so ket|tong ket|nang cao|tang cuong|dam bao|bao dam|de ra|khac phuc|rut kinh nghiem|phat huy"
    "|dang ky|lien he|thu hoi|thu lai|viet|in an|phat hanh|nop|chuyen|gioi thieu|giup|thi hanh|chap hanh|cong bo"
    "|tham tra|xac minh|chung nhan|thao luan|cap nhat|su dung|bao quan|ho tro|chuan bi|dieu chinh|thanh lap"
    "|giai quyet|xu ly|doi chieu|thu nhan|hoan thien|hoan chinh|du thao|trinh|de nghi|lay y kien|xin y kien|giao"
    "|co ke hoach|bieu quyet|nhan xet|xac nhan|chi dinh|ban giao|chuyen giao|can cu|phoi hop|chu tri|theo doi|bao cao"
)
_VERB_IN = re.compile(rf"\b(?:{_VERBS})\b")
_ROLE_AT = re.compile(rf"{_MODAL}(?P<verb>{_VERBS})\b")
_ASSIGN_AT = re.compile(r"(?<!chuyen )(?<!ban )(?<!duoc )(?<!nhan )\b(?:giao(?: cho)?|yeu cau|uy quyen(?: cho)?)\s+")
_ANCHOR = re.compile(r";\s+|\bthi\s+|:\s+|\b(?P<by>do)\s+")
_LEAD_IN = re.compile(r"(?:sau khi|khi|truong hop|neu|can cu|doi voi|tren co so|dong thoi|trong thoi han|dinh ky"
                      r"|hang nam|hang thang|hang quy|ngoai ra|trong vong|ke tu)\b")
_COMMA = re.compile(r",\s+")
_PERSONS = re.compile(r"\s*(?:,|va)\s+(?:dang vien|can bo|nguoi dung dau)\b")
_PERSON = re.compile(r"(?:dang vien|nguoi|can bo|dong chi|quan chung|cam tinh dang)\b")
_NO_CARRY = re.compile(r"(?:viec|nhiem vu nay)\b|.*\bduoc (?:thuc hien|to chuc|ap dung)\b")
_PARTNERS = re.compile(r"\s*,?\s*phoi hop\s+(?:chat che\s+)?(?:cung\s+)?(?:voi\s+)?")
_JOIN = re.compile(r"\s*(?:,|va|hoac)\s+")
_PAREN = re.compile(r"\s*\([^()]{0,80}\)")
_VACUOUS = re.compile(r"(?:nhiem vu|noi dung|cong viec|viec)\b[^.;:]{0,30}\b(?:sau|nhu sau|sau day|cu the)\s*:\s*$")
_REPORT = re.compile(r"\bbao cao\b")
_PERIODIC = re.compile(r"\b(?:dinh ky|hang nam|hang quy|hang thang|6 thang|sau moi dot)\b")
_DELEGATE = re.compile(r"\b(?:phan cong|giao(?: cho)?|yeu cau|de nghi)\b")
_VIA = re.compile(r"\(qua\s+")
_RESULTS = re.compile(r"\s+(?:tong hop\s+)?(?:ve\s+)?(?:ket qua|tinh hinh)\b")
_SENDS = re.compile(r"\b(?:bao cao|gui|trinh|nop)\b")
_NOT_TASK = re.compile(r"thuc hien theo\b")
_STANDING = "Ban thường vụ cấp ủy"


@dataclass(frozen=True)
class Duty:
    body: str
    role: str
    task: str
    deadline: str | None
    deadline_date: str | None
    doc_id: str
    doc_number: str | None
    section: str
    page: int | None
    quote: str
    start: int
    end: int
    recipient: str | None = None  # reporting lines: who receives the report
    via: str | None = None  # reporting lines: the body the report goes through ("qua ...")
    source: str = ""  # the document as cited: "Kết luận số 54-KL/TW ngày 09/5/2023"


@dataclass(frozen=True)
class _Hit:
    body: str
    role: str
    task: tuple[int, int]
    recipient: str | None = None
    via: str | None = None


class _Text:
    """The document text, its folded copy and its body mentions indexed by position."""

    def __init__(self, doc: Document) -> None:
        self.raw = doc.text
        self.low = fold_same(doc.text)
        self.mentions = find_mentions(doc.text, self.low)
        self.starts = [m.start for m in self.mentions]

    def mention_at(self, pos: int) -> Mention | None:
        k = bisect.bisect_left(self.starts, pos)
        return self.mentions[k] if k < len(self.starts) and self.starts[k] == pos else None

    def within(self, start: int, end: int) -> list[Mention]:
        lo, hi = bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)
        return self.mentions[lo:hi]

    def skip_space(self, pos: int, end: int) -> int:
        while pos < end and self.raw[pos].isspace():
            pos += 1
        return pos


def _subjects(t: _Text, pos: int, end: int) -> tuple[list[str], int]:
    """Bodies named in a list starting at ``pos`` ("Chi ủy, chi bộ (nếu có)"); returns names and the end."""
    names: list[str] = []
    while True:
        m = t.mention_at(t.skip_space(pos, end))
        if m is None or m.end > end:
            break
        names.append(m.name)
        pos = m.end
        paren = _PAREN.match(t.low, pos, end)
        pos = paren.end() if paren else pos
        person = _PERSONS.match(t.low, pos, end)
        if person:  # "Các tổ chức đảng và đảng viên có trách nhiệm ...": only bodies get rows
            pos = person.end()
            break
        join = _JOIN.match(t.low, pos, end)
        if not join or t.mention_at(join.end()) is None:
            break
        pos = join.end()
    return list(dict.fromkeys(names)), pos


def _role(t: _Text, pos: int, end: int) -> tuple[str, int] | None:
    """The role a verb phrase at ``pos`` gives its subject and where the verb ends; None if not a task."""
    m = _ROLE_AT.match(t.low, t.skip_space(pos, end), end)
    if m is None or _NOT_TASK.match(t.low, m.start("verb")):
        return None
    verb = m.group("verb")
    if verb == "bao cao" and not _reporting(t, m.start("verb"), m.end(), pos, end):
        return DO, m.end()  # "báo cáo, đề nghị cấp trên xét": a step of a procedure, not a reporting line
    return {"chu tri": LEAD, "phoi hop": PARTNER, "theo doi": REPORT, "bao cao": REPORT}.get(verb, DO), m.end()


def _reporting(t: _Text, at: int, after: int, clause: int, end: int) -> bool:
    """Whether "báo cáo" at ``at`` is a reporting line: periodic, about results, or through a channel."""
    stop = _clause_end(t, after, end)
    results = _RESULTS.match(t.low, after, end)
    return bool(_PERIODIC.search(t.low, clause, at) or results or _VIA.search(t.low, after, stop + 1))


def _sentences(t: _Text, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [m for m in _SENT_END.finditer(t.raw, start, end)]
    bounds = [start, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), end]
    return [(s, e) for s, e in zip(bounds, ends, strict=True) if e > s]


def _clause_end(t: _Text, pos: int, end: int) -> int:
    stop = t.raw.find(";", pos, end)
    return _trim(t, pos, end if stop < 0 else stop)


def _trim(t: _Text, start: int, end: int) -> int:
    while end > start:
        last = t.raw[end - 1]
        unbalanced = last == ")" and t.raw.count("(", start, end) < t.raw.count(")", start, end)
        if not (last.isspace() or last in ".;:," or unbalanced):
            break
        end -= 1
    return end


def _acted(t: _Text, s: int, at: int) -> bool:
    """Whether a verb comes before "do" in its clause ("xem xét đơn thư do X giải quyết" is no assignment to X;
    "Thẻ đảng viên do X in ấn" and "(trường hợp đặc biệt do X quyết định)" are)."""
    start = max(s, *(t.raw.rfind(c, s, at) + 1 for c in "(;:"))
    return _VERB_IN.search(t.low, start, at) is not None


def _anchors(t: _Text, s: int, e: int) -> list[int]:
    """Positions in a sentence where an assignment may start (after a lead-in: after any of its commas)."""
    out = {s} | {m.end() for m in _ANCHOR.finditer(t.low, s, e) if not (m.group("by") and _acted(t, s, m.start()))}
    for a in sorted(out):
        if _LEAD_IN.match(t.low, t.skip_space(a, e), e):
            stop = min((x for x in (t.raw.find(";", a, e), t.raw.find(":", a, e)) if x >= 0), default=e)
            out |= {m.end() for m in _COMMA.finditer(t.raw, a, stop)}
    return sorted(out)


def _assignment(t: _Text, a: int, e: int, given: bool = False) -> list[_Hit]:
    """Hits of an assignment whose subject list starts at ``a`` (``given``: after "giao"/"yêu cầu")."""
    names, pos = _subjects(t, a, e)
    if not names:
        return []
    pos = t.skip_space(pos, e)
    if t.raw.startswith(":", pos):
        pos += 1
    assigner = _ASSIGN_AT.match(t.low, t.skip_space(pos, e), e)
    if assigner and t.mention_at(assigner.end()) is not None:
        return []  # "X giao Y ...": the row is Y's, found by the "giao" scan
    found = _role(t, pos, e)
    if found is None and not given:
        return []
    role, verb_end = found or (DO, pos)
    task = (a, e)
    hits = [_Hit(name, role, task) for name in names]
    if role == LEAD:
        partners = _PARTNERS.match(t.low, verb_end, e)
        if partners:
            more, _ = _subjects(t, partners.end(), e)
            hits += [_Hit(name, PARTNER, task) for name in more if name not in names]
    return hits


def _sentence_hits(
    t: _Text, s: int, e: int, issuer: str | None, given: list[_Hit] | None = None
) -> list[tuple[int, list[_Hit]]]:
    """Assignments in the sentence [s, e), grouped by where each starts; tasks end at the next group.

    ``given`` are the rows a body heading hands to this item, used when it names no subject first."""
    groups: dict[int, list[_Hit]] = {}
    for a in _anchors(t, s, e):
        a = t.skip_space(a, e)
        hits = _assignment(t, a, e)
        if hits:
            groups[a] = hits
    for m in _ASSIGN_AT.finditer(t.low, s, e):
        hits = _assignment(t, m.end(), e, given=True)
        if hits:
            groups.setdefault(m.start(), [replace(h, task=(m.start(), h.task[1])) for h in hits])
    if given and s not in groups:
        groups[s] = given
    if issuer and t.raw[s:e].rstrip().endswith(":"):
        groups = {k: [h for h in v if h.body != issuer] for k, v in groups.items()}
    starts = sorted(k for k, v in groups.items() if v)
    out = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else e
        end = _trim(t, start, stop)
        out.append((start, [replace(h, task=(h.task[0], end)) for h in groups[start]]))
    return out


def _reports(t: _Text, hit: _Hit) -> list[_Hit]:
    """Reporting lines inside a task: "định kỳ báo cáo ... (qua X)" -> a "báo cáo/theo dõi" row."""
    s, e = hit.task
    out: list[_Hit] = []
    for m in _REPORT.finditer(t.low, s, e):
        clause = max(t.raw.rfind(";", s, m.start()) + 1, s)
        if _DELEGATE.search(t.low, clause, m.start()):
            continue  # "phân công X ... báo cáo": someone else reports
        end = _clause_end(t, m.end(), e)
        via = _VIA.search(t.low, m.end(), end + 1)
        if not _reporting(t, m.start(), m.end(), clause, e):
            continue
        seg = max(t.raw.rfind(",", clause, m.start()) + 1, t.low.rfind(" va ", clause, m.start()) + 4, clause)
        seg = t.skip_space(seg, m.start())
        inside = [x.start for x in t.within(max(clause, seg - 200), seg) if x.end > seg]
        seg = min([*inside, seg]) if inside else seg
        stop = via.start() if via else end
        heard = [x.name for x in t.within(m.end(), stop) if x.start - m.end() < 60]
        channel = t.mention_at(via.end()) if via else None
        out.append(_Hit(hit.body, REPORT, (seg, end), ", ".join(dict.fromkeys(heard)) or None,
                        channel.name if channel else None))
    return out


def _via_hits(t: _Text, s: int, e: int) -> list[_Hit]:
    """A body named as the channel of a report or a dossier ("(qua Ban Tổ chức Thành ủy)")."""
    out = []
    for m in _VIA.finditer(t.low, s, e):
        channel = t.mention_at(m.end())
        if channel is None:
            continue
        clause = max(t.raw.rfind(";", s, m.start()) + 1, s)
        verbs = list(_SENDS.finditer(t.low, clause, m.start()))
        if verbs:
            at = verbs[-1].start()
            clause = max(t.raw.rfind(",", clause, at) + 1, t.low.rfind(" va ", clause, at) + 4, clause)
        out.append(_Hit(channel.name, REPORT, (t.skip_space(clause, e), _clause_end(t, m.start(), e))))
    return out


def _content_start(t: _Text, n: Section) -> int:
    """Where a node's text starts after its marker ("- ", "b) ", "1.2. ")."""
    at = t.raw.find(n.title, n.start, n.end) if n.title else -1
    return at if at >= 0 else n.start


def _heading_bodies(t: _Text, n: Section) -> tuple[str, ...]:
    """Bodies a heading consists of ("- Ban Tổ chức Trung ương", "c) Đối với cấp ủy cơ sở:")."""
    if n.kind in ("paragraph", "header", "meta") or not is_heading(n.kind, n.title.rstrip(":")):
        return ()
    start, end = _content_start(t, n), _trim(t, n.start, n.end)
    lead = re.match(r"(?:doi voi|trach nhiem cua)\s+", t.low[start:end])
    names, pos = _subjects(t, start + (lead.end() if lead else 0), end)
    rest = _trim(t, pos, end) <= pos or re.match(r"\s*noi\b", t.low[pos:end])
    return tuple(names) if names and rest else ()


def _run_after(nodes: tuple[Section, ...], i: int) -> list[int]:
    """List items right after node ``i`` on its level ("...nhiệm vụ sau:" then "1. ...", "2. ...")."""
    out = []
    for j in range(i + 1, len(nodes)):
        n = nodes[j]
        if n.parent != nodes[i].parent or n.kind not in _ITEM_KINDS - {"paragraph", "label"}:
            break
        if is_heading(n.kind, n.title):
            break
        out.append(j)
    return out


def _tasks_below(nodes: tuple[Section, ...], kids: list[int]) -> list[int]:
    """The children of a body heading that are its tasks: its list items, or its paragraphs if it has no items."""
    items = [j for j in kids if nodes[j].kind != "paragraph"] or kids
    return [j for j in items if not (nodes[j].title.endswith(":") and any(n.parent == j for n in nodes[j:j + 2]))]


def _is_skipped_heading(n: Section) -> bool:
    structural = n.kind not in ("paragraph", "bullet", "plus", "star")
    return structural and is_heading(n.kind, n.title) and not n.title.endswith(":")


@dataclass(frozen=True)
class _Found:
    hit: _Hit
    quote: tuple[int, int]
    node: int


def _node_rows(
    t: _Text, nodes: tuple[Section, ...], i: int, ctx: tuple[str, ...] | None, issuer: str | None
) -> tuple[list[_Found], tuple[str, ...]]:
    """Rows of node ``i``, and the bodies it hands to the items below when it is a "nhiệm vụ sau:" intro."""
    n = nodes[i]
    cs, end = _content_start(t, n), len(t.raw[:n.end].rstrip())
    sents = _sentences(t, cs, end)
    if not sents:
        return [], ()
    groups = [_sentence_hits(t, s, e, issuer) for s, e in sents]
    opening = [a for a in _anchors(t, cs, sents[0][1]) if a == cs or _LEAD_IN.match(t.low, cs)]
    if ctx and not (groups[0] and groups[0][0][0] in opening):
        found = _role(t, cs, sents[0][1])
        given = [_Hit(body, found[0] if found else DO, (cs, sents[0][1])) for body in ctx]
        groups[0] = _sentence_hits(t, *sents[0], issuer, given)
    handed = _handed(t, groups[-1], cs, end)
    out: list[_Found] = []
    if groups[0] and groups[0][0][0] in opening:
        lead = groups[0].pop(0)[1]
        if ctx and {h.body for h in lead} == {_STANDING}:
            lead = [replace(lead[0], body=body) for body in ctx]  # "Ban thường vụ đảng ủy" of the heading's body
        last = 0
        if lead[0].task[0] == cs and lead[0].task[1] >= _trim(t, cs, sents[0][1]):
            while last + 1 < len(sents) and not groups[last + 1] and _carries(t, *sents[last + 1]):
                last += 1
        stop = _trim(t, cs, sents[last][1])
        lead = [replace(h, task=(h.task[0], max(h.task[1], stop))) for h in lead]
        out += _with_reports(t, lead, (cs, sents[last][1]), i)
    for (s, e), sentence_groups in zip(sents, groups, strict=True):
        for _, hits in sentence_groups:
            out += _with_reports(t, hits, (s, e), i)
        out += [_Found(h, (s, e), i) for h in _via_hits(t, s, e)]
    return out, handed


def _handed(t: _Text, last: list[tuple[int, list[_Hit]]], cs: int, end: int) -> tuple[str, ...]:
    """Bodies of a closing "... thực hiện tốt một số nhiệm vụ sau:" assignment (its group is removed)."""
    if not last or not t.raw[:end].endswith(":") or not _VACUOUS.search(t.low[cs:end]):
        return ()
    _, hits = last.pop()
    return tuple(dict.fromkeys(h.body for h in hits if h.role != PARTNER))


def _carries(t: _Text, s: int, e: int) -> bool:
    """Whether a sentence goes on with the previous subject (it names no subject of its own)."""
    return not (_NO_CARRY.match(t.low, s, e) or t.mention_at(s) or _PERSON.match(t.low, s, e))


def _with_reports(t: _Text, hits: list[_Hit], quote: tuple[int, int], node: int) -> list[_Found]:
    out = [_Found(h, quote, node) for h in hits]
    for h in hits:
        if h.role != PARTNER:
            out += [_Found(r, quote, node) for r in _reports(t, h)]
    return out


def extract_duties(doc: Document, nodes: tuple[Section, ...] | None = None) -> tuple[Duty, ...]:
    """Every assignment in ``doc``, in text order (see the module docstring for the shapes)."""
    nodes = parse_outline(doc) if nodes is None else nodes
    t = _Text(doc)
    issuer = resolve(doc.meta.issuer) if doc.meta.issuer else None
    kids: dict[int, list[int]] = {}
    for j, n in enumerate(nodes):
        kids.setdefault(n.parent, []).append(j)
    ctx: dict[int, tuple[str, ...]] = {}
    heads = set()
    for i, n in enumerate(nodes):
        names = _heading_bodies(t, n)
        if names:
            heads.add(i)
            ctx.update((j, names) for j in _tasks_below(nodes, kids.get(i, [])))
    found: list[_Found] = []
    for i, n in enumerate(nodes):
        if i in heads or n.kind in ("header", "meta", "ornament") or _is_skipped_heading(n):
            continue
        rows, handed = _node_rows(t, nodes, i, ctx.get(i), issuer)
        if handed:
            ctx.update((j, handed) for j in kids.get(i) or _run_after(nodes, i) if j not in ctx)
        found += rows
    return _to_duties(doc, nodes, t, found)


_BY = r"\b(?:truoc|trong|den het|cham nhat)\s+"
_DEADLINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:truoc|den|cham nhat|han chot)\s+(?:ngay\s+)?(\d{1,2})\s*[/-]\s*(\d{1,2})"
                r"(?:\s*[/-]\s*(\d{4}))?\b"), "date"),
    (re.compile(rf"(?:{_BY})?\bquy\s+(iv|i{{1,3}}|[1-4])\b(?:\s*(?:/|nam)\s*(\d{{4}}))?"), "quarter"),
    (re.compile(rf"{_BY}thang\s+(\d{{1,2}})\s*(?:/|nam)\s*(\d{{4}})\b"), "month"),
    (re.compile(rf"{_BY}nam\s+(\d{{4}})\b"), "year"),
    (re.compile(r"\b(?:trong thoi han|trong vong|truoc|trong)\s+\d{1,3}\s+(?:ngay|thang)(?:\s+lam viec)?"), "relative"),
    (re.compile(r"\b(?:dinh ky\s+)?hang thang\b"), "monthly"),
    (re.compile(r"\b(?:dinh ky\s+)?hang quy\b"), "quarterly"),
    (re.compile(r"\b(?:dinh ky\s+)?hang nam\b"), "annual"),
    (re.compile(r"\b(?:dinh ky\s+)?6 thang(?: mot lan)?\b"), "semiannual"),
    (re.compile(r"(?<!sinh hoat )(?<!hop )\bdinh ky\b"), "periodic"),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def deadline_of(text: str, year: str | None = None) -> tuple[str | None, str | None]:
    """(deadline as written, normalised form) of a task: ISO date, "2025-Q3", "annual", ... or (None, None).

    A missing year is taken from ``year`` (the document's year)."""
    low = fold_same(text)
    for pattern, kind in _DEADLINES:
        m = pattern.search(low)
        if m:
            return text[m.start():m.end()], _normalise(kind, m.groups(), year)
    return None, None


def _normalise(kind: str, groups: tuple[str | None, ...], year: str | None) -> str | None:
    if kind == "date":
        day, month, y = int(groups[0] or 0), int(groups[1] or 0), groups[2] or year
        ok = y and 1 <= day <= 31 and 1 <= month <= 12
        return f"{y}-{month:02d}-{day:02d}" if ok else None
    if kind == "quarter":
        q, y = groups[0] or "", groups[1] or year
        n = _ROMAN.get(q) or (int(q) if q.isdigit() else 0)
        return f"{y}-Q{n}" if y else f"Q{n}"
    if kind == "month":
        return f"{groups[1]}-{int(groups[0] or 0):02d}"
    if kind == "year":
        return groups[0]
    return None if kind == "relative" else kind


def _source(doc: Document) -> str:
    """The document as a cadre cites it: "Kết luận số 54-KL/TW ngày 09/5/2023"."""
    m = doc.meta
    name = m.doc_type or "Văn bản"
    name = f"{name} số {m.doc_number}" if m.doc_number else (f"{name} của {m.issuer}" if m.issuer else name)
    if m.date:
        y, mo, d = m.date.split("-")
        return f"{name} ngày {d}/{int(mo)}/{y}"
    if m.date_approx and len(m.date_approx) == 7:
        y, mo = m.date_approx.split("-")
        return f"{name} tháng {int(mo)}/{y}"
    return name


def _to_duties(doc: Document, nodes: tuple[Section, ...], t: _Text, found: list[_Found]) -> tuple[Duty, ...]:
    year = (doc.meta.date or doc.meta.date_approx or "")[:4] or None
    source, paths = _source(doc), {}
    rows: dict[tuple[str, str, int], Duty] = {}
    for f in found:
        (s, e), (qs, qe) = f.hit.task, f.quote
        qe = len(t.raw[:qe].rstrip())
        if e <= s or not (qs <= s and e <= qe) or (f.hit.body, f.hit.role, qs) in rows:
            continue
        deadline, norm = deadline_of(t.raw[s:e], year)
        if deadline is None and f.hit.role == REPORT:
            deadline, norm = deadline_of(t.raw[max(t.raw.rfind(";", qs, s) + 1, qs):e], year)
        if f.node not in paths:
            paths[f.node] = section_path(nodes, f.node)
        rows[(f.hit.body, f.hit.role, qs)] = Duty(
            f.hit.body, f.hit.role, t.raw[s:e], deadline, norm, doc.doc_id, doc.meta.doc_number, paths[f.node],
            doc.page_at(qs), t.raw[qs:qe], qs, qe, f.hit.recipient, f.hit.via, source,
        )
    return tuple(sorted(rows.values(), key=lambda d: (d.start, ROLES.index(d.role))))


# -- register over documents ---------------------------------------------------------------------
def register(docs: Iterable[Document]) -> tuple[Duty, ...]:
    """Every row of every document, newest document first (by date, else approximate date).

    This is the value to cache per index generation; ``select`` then answers each request."""
    ordered = sorted(docs, key=lambda d: (d.meta.date or d.meta.date_approx or "", d.doc_id), reverse=True)
    return tuple(r for d in ordered for r in extract_duties(d))


def select(rows: Iterable[Duty], body: str | None = None, doc: str | None = None,
           role: str | None = None) -> tuple[Duty, ...]:
    """Rows for ``body`` (any alias; None = every body), in document ``doc`` (a doc id or its prefix,
    a number "54-KL/TW" or a reference "KL 54"), with ``role`` (None = any)."""
    name = (resolve(body) or body) if body else None
    return tuple(r for r in rows if (name is None or r.body == name) and (role is None or r.role == role)
                 and (doc is None or _in_doc(r, doc)))


def duties_for(docs: Iterable[Document], body: str | None, doc: str | None = None) -> tuple[Duty, ...]:
    """All rows for ``body`` across ``docs``, newest document first (see ``select`` for ``doc``)."""
    return select(register(docs), body, doc)


def duties_for_query(source: Iterable[Document] | Iterable[Duty], query: DutyQuery) -> tuple[Duty, ...]:
    """Rows answering a ``duty_question``, from documents or from cached ``register`` rows;
    "Ai chủ trì việc Y?" ranks the rows by Y."""
    if query.name and not query.body:
        return ()  # a body that is not in the table
    items = list(source)
    rows = items if all(isinstance(x, Duty) for x in items) else register(x for x in items if isinstance(x, Document))
    found = select(rows, query.body, query.doc, query.role)
    if not query.topic:
        return found
    wanted = _words(query.topic)
    scored = [(len(wanted & _words(r.task)) / max(1, len(wanted)), k, r) for k, r in enumerate(found)]
    return tuple(r for score, _, r in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 0.5)


_STOP = frozenset(("viec", "cong", "tac", "cua", "va", "cac", "nhung", "theo", "voi", "trong", "ve", "la", "cho", "de",
                   "nay", "do", "duoc"))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold_same(text).lower()) if len(w) > 1 and w not in _STOP}


def _in_doc(row: Duty, ref: str) -> bool:
    from assistant.query import analyze, matches_ref

    if row.doc_id.startswith(ref) or ref == row.doc_number:
        return True
    return any(matches_ref(r, row.doc_number) for r in analyze(ref).refs)


def body_counts(docs: Iterable[Document]) -> list[tuple[str, int]]:
    """(body, number of rows) over ``docs``, most rows first."""
    counts: dict[str, int] = {}
    for r in register(docs):
        counts[r.body] = counts.get(r.body, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


# -- export ------------------------------------------------------------------------------------------
JSON_FIELDS = ("body", "role", "task", "deadline", "deadline_date", "doc_id", "doc_number", "section", "page",
               "quote", "start", "end")
HEADER = ("STT", "Cơ quan", "Vai trò", "Nhiệm vụ", "Thời hạn", "Căn cứ")


def duties_json(body: str | None, rows: Iterable[Duty]) -> dict[str, object]:
    return {"body": body, "rows": [{k: getattr(r, k) for k in JSON_FIELDS} for r in rows]}


def citation(row: Duty) -> str:
    """Where a row comes from, as a cadre writes it: "Kết luận số 54-KL/TW ngày 09/5/2023, mục 6, ý 3"."""
    parts = [_cite_part(p) for p in row.section.split(" › ") if p]
    where = ", ".join(p for p in parts if p)
    page = f", trang {row.page}" if row.page else ""
    return f"{row.source or row.doc_number or row.doc_id}{', ' + where if where else ''}{page}"


def _cite_part(label: str) -> str:
    m = re.match(r"^([IVXLC]+|\d+(?:\.\d+)*)[.)-]?(?:\s|$)", label)
    if m:
        return f"mục {m.group(1)}"
    m = re.match(r"^([a-zđ])\)", label)
    if m:
        return f"điểm {m.group(1)}"
    return label[:1].lower() + label[1:] if label.startswith(("Phần", "Ý", "Đoạn")) else label


def table_rows(rows: Iterable[Duty]) -> list[tuple[object, ...]]:
    """Rows for a follow-up report: STT, Cơ quan, Vai trò, Nhiệm vụ, Thời hạn, Căn cứ."""
    return [(k, r.body, r.role, r.task, r.deadline or "", citation(r)) for k, r in enumerate(rows, start=1)]


def write_csv(rows: Iterable[Duty], path: str | Path) -> Path:
    """CSV in UTF-8 with BOM, so that Excel shows Vietnamese correctly."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(table_rows(rows))
    return path


def write_xlsx(rows: Iterable[Duty], path: str | Path) -> Path:
    """XLSX with a bold, frozen header row, wrapped text and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADER)
    for values in table_rows(rows):
        sheet.append(values)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (6, 32, 16, 80, 18, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.save(path)
    return path
