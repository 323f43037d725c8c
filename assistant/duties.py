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
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from assistant.bodies import Mention, find_mentions, resolve
from indexer.chunker import section_path
from indexer.models import Document, Section
from indexer.outline import is_heading, parse_outline
from indexer.vntext import fold

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
_ROLE_AT = re.compile(rf"{_MODAL}(?P<verb>chu tri|phoi hop|theo doi|bao cao(?!\s*,?\s*de nghi)|{_VERBS})\b")
_ASSIGN_AT = re.compile(r"\b(?:giao(?: cho)?|yeu cau|uy quyen(?: cho)?)\s+")
_ANCHOR = re.compile(r";\s+|\bthi\s+|:\s+|\bdo\s+")
_LEAD_IN = re.compile(r"(?:sau khi|khi|truong hop|neu|can cu|doi voi|tren co so|dong thoi|trong thoi han|dinh ky"
                      r"|hang nam|hang thang|hang quy|ngoai ra)\b[^;:.]{0,200}?,\s+")
_PARTNERS = re.compile(r"\s*,?\s*phoi hop\s+(?:chat che\s+)?(?:cung\s+)?(?:voi\s+)?")
_JOIN = re.compile(r"\s*(?:,|va|hoac)\s+")
_PAREN = re.compile(r"\s*\([^()]{0,80}\)")
_VACUOUS = re.compile(r"(?:nhiem vu|noi dung|cong viec|viec)\b[^.;:]{0,30}\b(?:sau|nhu sau|sau day|cu the)\s*:\s*$")
_REPORT = re.compile(r"\bbao cao\b")
_PERIODIC = re.compile(r"\b(?:dinh ky|hang nam|hang quy|hang thang|hang nam|6 thang|sau moi dot)\b")
_DELEGATE = re.compile(r"\b(?:phan cong|giao(?: cho)?|yeu cau|de nghi)\b")
_VIA = re.compile(r"\(qua\s+")
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
        low = fold(doc.text)
        self.low = low if len(low) == len(doc.text) else "".join((fold(c) or " ")[0] for c in doc.text)
        self.mentions = find_mentions(doc.text)
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
    return {"chu tri": LEAD, "phoi hop": PARTNER, "theo doi": REPORT, "bao cao": REPORT}.get(verb, DO), m.end()


def _sentences(t: _Text, start: int, end: int) -> list[tuple[int, int]]:
    cuts = [m for m in _SENT_END.finditer(t.raw, start, end)]
    bounds = [start, *(m.end() for m in cuts)]
    ends = [*(m.start() for m in cuts), end]
    return [(s, e) for s, e in zip(bounds, ends, strict=True) if e > s]


def _clause_end(t: _Text, pos: int, end: int) -> int:
    stop = t.raw.find(";", pos, end)
    return _trim(t, pos, end if stop < 0 else stop)


def _trim(t: _Text, start: int, end: int) -> int:
    while end > start and (t.raw[end - 1].isspace() or t.raw[end - 1] in ".;:,"):
        end -= 1
    return end


def _anchors(t: _Text, s: int, e: int) -> list[int]:
    """Positions in a sentence where an assignment may start."""
    out = [s]
    lead = _LEAD_IN.match(t.low, s, e)
    if lead:
        out.append(lead.end())
    out += [m.end() for m in _ANCHOR.finditer(t.low, s, e)]
    return sorted(set(out))


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
        results = re.match(r"(?:\s+\S+){0,3}?\s+(?:ket qua|tinh hinh)\b", t.low[m.end():m.end() + 40])
        if not (_PERIODIC.search(t.low, clause, m.start()) or results or via):
            continue
        seg = max(t.raw.rfind(",", clause, m.start()) + 1, t.low.rfind(" va ", clause, m.start()) + 4, clause)
        seg = t.skip_space(seg, m.start())
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
    return tuple(names) if names and _trim(t, pos, end) <= pos else ()


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
    given = None
    if ctx:
        found = _role(t, cs, sents[0][1])
        given = [_Hit(body, found[0] if found else DO, (cs, sents[0][1])) for body in ctx]
    groups = [_sentence_hits(t, s, e, issuer, given if k == 0 else None) for k, (s, e) in enumerate(sents)]
    out: list[_Found] = []
    if groups[0] and groups[0][0][0] == cs:
        lead = groups[0].pop(0)[1]
        if ctx and {h.body for h in lead} == {_STANDING}:
            lead = [replace(lead[0], body=body) for body in ctx]  # "Ban thường vụ đảng ủy" of the heading's body
        if _VACUOUS.search(t.low[cs:end]) and t.raw[:end].endswith(":"):
            return [], tuple(dict.fromkeys(h.body for h in lead if h.role != PARTNER))
        last = 0
        if lead[0].task[1] >= _trim(t, cs, sents[0][1]):
            while last + 1 < len(sents) and not groups[last + 1]:
                last += 1
        stop = _trim(t, cs, sents[last][1])
        lead = [replace(h, task=(h.task[0], max(h.task[1], stop))) for h in lead]
        out += _with_reports(t, lead, (cs, sents[last][1]), i)
    for (s, e), sentence_groups in zip(sents, groups, strict=True):
        for _, hits in sentence_groups:
            out += _with_reports(t, hits, (s, e), i)
        out += [_Found(h, (s, e), i) for h in _via_hits(t, s, e)]
    return out, ()


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
            ctx.update((j, names) for j in kids.get(i, []))
    found: list[_Found] = []
    for i, n in enumerate(nodes):
        if i in heads or n.kind in ("header", "meta", "ornament") or _is_skipped_heading(n):
            continue
        rows, handed = _node_rows(t, nodes, i, ctx.get(i), issuer)
        if handed:
            ctx.update((j, handed) for j in kids.get(i) or _run_after(nodes, i) if j not in ctx)
        found += rows
    return _to_duties(doc, nodes, t, found)


_DEADLINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:truoc|den|cham nhat|han chot)\s+(?:ngay\s+)?(\d{1,2})\s*[/-]\s*(\d{1,2})(?:\s*[/-]\s*(\d{4}))?\b"),
     "date"),
    (re.compile(r"\b(?:(?:truoc|trong|den het|cham nhat)\s+)?quy\s+(iv|i{1,3}|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?"), "quarter"),
    (re.compile(r"\b(?:truoc|trong|den het|cham nhat)\s+thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b"), "month"),
    (re.compile(r"\b(?:trong|truoc|den het|cham nhat)\s+nam\s+(\d{4})\b"), "year"),
    (re.compile(r"\b(?:trong thoi han|trong vong|truoc|trong)\s+\d{1,3}\s+(?:ngay|thang)(?:\s+lam viec)?"), "relative"),
    (re.compile(r"\b(?:dinh ky\s+)?hang thang\b"), "monthly"),
    (re.compile(r"\b(?:dinh ky\s+)?hang quy\b"), "quarterly"),
    (re.compile(r"\b(?:dinh ky\s+)?hang nam\b"), "annual"),
    (re.compile(r"\b(?:dinh ky\s+)?6 thang(?: mot lan)?\b"), "semiannual"),
    (re.compile(r"\bdinh ky\b"), "periodic"),
    (re.compile(r"\bthuong xuyen\b"), "ongoing"),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def deadline_of(text: str, year: str | None = None) -> tuple[str | None, str | None]:
    """(deadline as written, normalised form) of a task: ISO date, "2025-Q3", "annual", ... or (None, None).

    A missing year is taken from ``year`` (the document's year)."""
    low = fold(text)
    low = low if len(low) == len(text) else "".join((fold(c) or " ")[0] for c in text)
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
