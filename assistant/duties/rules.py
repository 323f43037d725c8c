"""Sentence-level matching for the responsibility register (internals of ``assistant.duties.model``).

A sentence is scanned for assignments: subject lists of bodies followed by a task verb, "giao"/"yêu cầu"
clauses, partners after "chủ trì, phối hợp với", reporting lines and the channels of reports ("qua ...").
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.duties.bodies import (
    HEAD_OF,
    PLURAL_NOUN,
    SHARED_NOUNS,
    complements,
)
from assistant.duties.text import DO, LEAD, PARTNER, REPORT, ROLES, Hit, Text, clause_end, sentences, trim
from assistant.duties.verbs import PERIODIC, ROLE_AT, VERB_IN, VIA, reporting, role_at

__all__ = ["DO", "LEAD", "LEAD_IN", "PARTNER", "REPORT", "ROLES", "Hit", "Text", "addressees", "anchors",
           "partner_hits", "reports", "role_at", "sentence_hits", "sentences", "subjects", "trim", "via_hits"]

_ASSIGN_AT = re.compile(r"(?<!chuyen )(?<!ban )(?<!duoc )(?<!kinh phi )(?<!du toan )"  # "kinh phí ủy quyền cho …"
                        r"\b(?:giao(?: cho)?|yeu cau|de nghi|uy quyen(?: cho)?)\s+")
# "đề nghị quý Bộ", "đề nghị các đồng chí Giám đốc Sở chỉ đạo …": the letter's addressees (a bare noun, no name)
_YOURS = re.compile(r"(?:quy|(?:(?:cac\s+)?dong chi\s+)?(?:giam doc|thu truong|chu tich|truong))\s+"
                    r"(?P<noun>bo|so|co quan|don vi|uy ban|ban|cuc|vu|tinh|thanh pho)\b")
_COMRADE = re.compile(r"(?:cac\s+)?dong chi\s+")  # "đồng chí Giám đốc Công an tỉnh": the title that follows
_RECEIVED = re.compile(r"(?:^|(?<=\s))nhận\s+$", re.IGNORECASE)  # "nhận yêu cầu" (not "Thiện Nhân yêu cầu")
_ANCHOR = re.compile(r";\s+|\bthi\s+|:\s+|\b(?P<by>do)\s+")
LEAD_IN = re.compile(r"(?:sau khi|truoc khi|trong khi|trong qua trinh|khi|truong hop|neu|can cu|doi voi|tren co so"
                     r"|dong thoi|trong thoi han|dinh ky|hang nam|hang thang|hang quy|ngoai ra|trong vong|ke tu)\b")
_COMMA = re.compile(r",\s+")
_PERSONS = re.compile(r"\s*(?:,|va)\s+(?:(?:dac biet|nhat) la\s+)?(?:dang vien|can bo|nguoi dung dau|"
                      r"dai bieu (?:quoc hoi|hoi dong nhan dan)(?: cac cap)?)\b")
_VAGUE = re.compile(r"\s*(?:co\s+)?(?:lien quan|chuc nang)\b")
# Unnamed others at the end of a list of bodies: no row of their own, and the list's verb follows them
_ANYONE = re.compile(r"\s*(?:,|va)\s+(?:cac\s+)?(?:to chuc|ca nhan|co quan|don vi)(?:\s*(?:,|va)\s*(?:cac\s+)?"
                     r"(?:to chuc|ca nhan|co quan|don vi))*\s+(?:co\s+)?lien quan\b")
_LISTED = re.compile(r"\s*(?:co\s+)?(?:lien quan\s*)?:\s*")
_PARTNERS = re.compile(r"\s*,?\s*phoi hop\s+(?:chat che\s+)?(?:cung\s+)?(?:voi\s+)?")
_JOIN = re.compile(r"\s*(?:,|;|va|hoac)\s+")
_PAREN = re.compile(r"\s*\([^()]{0,80}\)")
_REPORT = re.compile(r"\bbao cao\b")
# a period opening the sentence or item right before its subject ("Hàng năm, Quỹ … tổng hợp báo cáo …")
_LEAD_PERIOD = re.compile(rf"(?:^|[\n.;:]\s*|\d\.\s+|[a-z]\)\s+){PERIODIC.pattern}\s*,?\s*$")
_DELEGATE = re.compile(r"\b(?:phan cong|giao(?: cho)?|yeu cau|de nghi)\b")
_SENDS = re.compile(r"\b(?:bao cao|gui|trinh|nop)\b")
_PARTY_OF = re.compile(r"(Đảng ủy|Ban cán sự đảng|Đảng đoàn) (Bộ|Ủy ban|Văn phòng|Ngân hàng|Thanh tra|Kiểm toán)\s")


def subjects(t: Text, pos: int, end: int, others: bool = False) -> tuple[list[str], int]:
    """Bodies named in a list starting at ``pos`` ("Chi ủy, chi bộ (nếu có)"); returns names and the end.

    ``others``: the list opens its sentence, and unnamed others after it ("…, các tổ chức và cá nhân có liên
    quan") are passed over to its verb."""
    names: list[str] = []
    while True:
        m = t.mention_at(_past_head(t, t.skip_space(pos, end), end))
        if m is None or m.end > end:
            break
        vague = _VAGUE.match(t.low, m.end, end)  # "các cơ quan, đơn vị có liên quan": no one in particular
        if vague and not t.low.startswith(":", t.skip_space(vague.end(), end)):
            pos = vague.end() if names and others else pos  # "X và các bộ, ngành có liên quan … có trách nhiệm"
            break
        names.append(_shared_head(names[-1], m.name) if names else m.name)
        pos = m.end
        paren = _PAREN.match(t.low, pos, end)
        pos = paren.end() if paren else pos
        person = _PERSONS.match(t.low, pos, end)
        if person:  # "Các tổ chức đảng và đảng viên có trách nhiệm ...": only bodies get rows
            pos = person.end()
            break
        join = _JOIN.match(t.low, pos, end)
        if not join or t.mention_at(_past_head(t, join.end(), end)) is None:
            tail = _ANYONE.match(t.low, pos, end) if names and others else None
            pos = tail.end() if tail else pos  # "…, các tổ chức và cá nhân có liên quan chịu trách nhiệm …"
            break
        pos = join.end()
    return list(dict.fromkeys(names)), pos


def _past_head(t: Text, pos: int, end: int) -> int:
    """Where the body starts when ``pos`` holds its head's title ("(đồng chí) Giám đốc Công an tỉnh"), else
    ``pos``."""
    comrade = _COMRADE.match(t.low, pos, end)
    head = HEAD_OF.match(t.low, comrade.end() if comrade else pos, end)
    return head.end() if head and t.mention_at(head.end()) else pos


def _yours(t: Text, pos: int, end: int) -> re.Match[str] | None:
    """ "quý Bộ", "các đồng chí Giám đốc Sở" at ``pos``: the letter's addressees (after a head's title, only when
    no name follows the noun: "Giám đốc Sở Y tế" is that Sở)."""
    m = _YOURS.match(t.low, pos, end)
    return m if m and (m.group().startswith("quy") or t.mention_at(m.start("noun")) is None) else None


def _addressed(t: Text, pos: int, end: int) -> bool:
    """Whether the body at ``pos`` is one the letter is addressed to ("Kính gửi: Ủy ban nhân dân các tỉnh …" and
    "Bộ Xây dựng đề nghị Ủy ban nhân dân các tỉnh … chỉ đạo …": a request to the addressee is its task)."""
    m = t.mention_at(_past_head(t, t.skip_space(pos, end), end))
    return m is not None and m.name in addressees(t)


def _shared_head(prev: str, name: str) -> str:
    """"Các Đảng ủy Bộ Tài chính, Bộ Nội vụ": the second body is "Đảng ủy Bộ Nội vụ"."""
    m = _PARTY_OF.match(prev)
    return f"{m.group(1)} {name}" if m and name.split()[0] == m.group(2) else name


def _acted(t: Text, s: int, at: int) -> bool:
    """Whether a verb comes before "do" in its clause ("xem xét đơn thư do X giải quyết" is no assignment to X;
    "Thẻ đảng viên do X in ấn" and "(trường hợp đặc biệt do X quyết định)" are)."""
    start = max(s, *(t.raw.rfind(c, s, at) + 1 for c in "(;:"))
    return VERB_IN.search(t.low, start, at) is not None


def anchors(t: Text, s: int, e: int) -> list[int]:
    """Positions in a sentence where an assignment may start (after a lead-in: after any of its commas)."""
    out = {s} | {m.end() for m in _ANCHOR.finditer(t.low, s, e) if not (m.group("by") and _acted(t, s, m.start()))}
    for a in sorted(out):
        lead = LEAD_IN.match(t.low, t.skip_space(a, e), e)
        if lead and PERIODIC.match(lead.group()) and ROLE_AT.match(t.low, t.skip_space(lead.end(), e), e):
            continue  # "định kỳ báo cáo Bộ Chính trị, Ban Bí thư": a modal, no lead-in before a subject
        if lead:
            stop = min((x for x in (t.raw.find(";", a, e), t.raw.find(":", a, e)) if x >= 0), default=e)
            out |= {m.end() for m in _COMMA.finditer(t.raw, a, stop)}
            after = t.skip_space(lead.end(), e)  # "Hàng tháng Kho bạc Nhà nước quận - huyện căn cứ …" (not
            if PERIODIC.match(lead.group()) and t.mention_at(after) is not None:  # "Trường hợp các bộ đề nghị …")
                out.add(after)
    return sorted(out)


def _assignment(t: Text, a: int, e: int, given: bool = False, lead: bool = False) -> list[Hit]:
    """Hits of an assignment whose subject list starts at ``a`` (``given``: after "giao"/"yêu cầu"/"đề nghị";
    ``lead``: at the start of a sentence, where "X: <task>" assigns the task to X)."""
    names, pos = subjects(t, a, e, others=lead)
    yours = None if names or not given else _yours(t, a, e)
    if yours:  # "… yêu cầu quý Bộ chủ trì, phối hợp với Bộ Y tế …": the letter's addressees
        names, pos = addressees(t), yours.end()
    if not names:
        return []
    pos = t.skip_space(pos, e)
    if t.raw.startswith(":", pos):
        pos += 1
        given = given or (lead and t.skip_space(pos, e) < e)
    assigner = _assign_at(t, t.skip_space(pos, e), e)
    if assigner and (t.mention_at(assigner.end()) is not None or _yours(t, assigner.end(), e)):
        return []  # "X giao Y …", "Văn phòng Chính phủ đề nghị quý Bộ …": Y's rows, found by the assigners' scan
    found = role_at(t, pos, e)
    if found is None and not given:
        return []
    role, verb_end = found or (DO, pos)
    task = (a, e)
    hits = [Hit(name, role, task) for name in names]
    return hits + partner_hits(t, verb_end, task, names) if role == LEAD else hits


def addressees(t: Text) -> list[str]:
    """The bodies of a letter's "Kính gửi: …" block (``indexer.loaders.addressee_spans``)."""
    return list(dict.fromkeys(m.name for s, e in t.addressed for m in t.within(s, e)))


def _assign_at(t: Text, pos: int, e: int) -> re.Match[str] | None:
    """ "giao", "yêu cầu", "đề nghị", "ủy quyền" at ``pos`` (not "nhận yêu cầu", a request received)."""
    m = _ASSIGN_AT.match(t.low, pos, e)
    return None if m is None or _RECEIVED.search(t.raw, max(0, pos - 12), pos) else m


def partner_hits(t: Text, verb_end: int, task: tuple[int, int], leads: list[str]) -> list[Hit]:
    """"chủ trì, phối hợp với Y, Z ...": Y and Z (their heads' titles standing for them) as partners."""
    partners = _PARTNERS.match(t.low, verb_end, task[1])
    if not partners:
        return []
    more, after = subjects(t, partners.end(), task[1])
    listed = _LISTED.match(t.low, after, task[1]) if more else None
    noun = PLURAL_NOUN.match(t.low, t.within(partners.end(), after)[-1].start) if listed else None
    if listed and noun:  # "phối hợp với các Bộ, ngành liên quan: Tài chính, Lao động - Thương binh và Xã hội"
        more = complements(SHARED_NOUNS[noun.group(1)], t.raw[listed.end():task[1]]) or more
    return [Hit(name, PARTNER, task) for name in more if name not in leads]


def sentence_hits(
    t: Text, s: int, e: int, issuer: str | None, given: list[Hit] | None = None
) -> list[tuple[int, list[Hit]]]:
    """Assignments in the sentence [s, e), grouped by where each starts; tasks end at the next group.

    ``given`` are the rows a body heading hands to this item, used when it names no subject first."""
    groups: dict[int, list[Hit]] = {}
    first = t.skip_space(s, e)
    for a in anchors(t, s, e):
        a = t.skip_space(a, e)
        hits = _assignment(t, a, e, lead=a == first)
        if hits:
            groups[a] = hits
    header = t.raw[s:e].rstrip().endswith(":")
    for m in _ASSIGN_AT.finditer(t.low, s, e):
        if _RECEIVED.search(t.raw, max(s, m.start() - 12), m.start()):
            continue
        if m.group().startswith("de nghi") and not (m.start() == first or header or _yours(t, m.end(), e)
                                                    or _addressed(t, m.end(), e)):
            continue  # "chi bộ ... đề nghị cấp ủy cấp trên xét": a proposal upwards, not an assignment
        hits = _assignment(t, m.end(), e, given=True)
        if hits:
            listed = subjects(t, m.end(), e)[1]  # "đề nghị X; Y triển khai ...": Y is in the list, no group
            groups = {k: v for k, v in groups.items() if not m.end() < k < listed}
            groups.setdefault(m.start(), [replace(h, task=(m.start(), h.task[1])) for h in hits])
    if given and s not in groups:
        groups[s] = given
    if issuer and header:
        groups = {k: [h for h in v if h.body != issuer] for k, v in groups.items()}
    starts = sorted(k for k, v in groups.items() if v)
    out = []
    for k, start in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else e
        end = trim(t, start, stop)
        out.append((start, [replace(h, task=(h.task[0], end)) for h in groups[start]]))
    return out


def reports(t: Text, hit: Hit) -> list[Hit]:
    """Reporting lines inside a task: "định kỳ báo cáo ... (qua X)" -> a "báo cáo/theo dõi" row."""
    s, e = hit.task
    out: list[Hit] = []
    for m in _REPORT.finditer(t.low, s, e):
        clause = max(t.raw.rfind(";", s, m.start()) + 1, s)
        if _DELEGATE.search(t.low, _after_assignee(t, hit.body, clause, m.start()), m.start()):
            continue  # "phân công X ... báo cáo": someone else reports
        end = clause_end(t, m.end(), e)
        via = VIA.search(t.low, m.end(), end + 1)
        lead = _LEAD_PERIOD.search(t.low, max(0, s - 24), s) if clause == s else None  # "Hàng năm, X … báo cáo"
        if not reporting(t, m.start(), m.end(), lead.start() if lead else clause, e):
            continue
        seg = max(t.raw.rfind(",", clause, m.start()) + 1, t.low.rfind(" va ", clause, m.start()) + 4, clause)
        seg = t.skip_space(seg, m.start())
        inside = [x.start for x in t.within(max(clause, seg - 200), seg) if x.end > seg]
        seg = min([*inside, seg]) if inside else seg
        stop = via.start() if via else end
        heard = [x.name for x in t.within(m.end(), stop) if x.start - m.end() < 60]
        channel = t.mention_at(via.end()) if via else None
        out.append(Hit(hit.body, REPORT, (seg, end), ", ".join(dict.fromkeys(heard)) or None,
                       channel.name if channel else None))
    return out


def _after_assignee(t: Text, body: str, clause: int, at: int) -> int:
    """Where to look for a delegation: after ``body`` when the clause opens by assigning it ("Giao Chánh Thanh tra
    tỉnh chủ trì …, báo cáo UBND tỉnh": the body assigned reports), else the clause's start ("…; phân công chi ủy
    viên theo dõi … và báo cáo chi bộ": someone else reports)."""
    start = t.skip_space(clause, at)
    if not _DELEGATE.match(t.low, start, at):
        return clause
    first = next(iter(t.within(start, at)), None)
    return first.end if first and first.name == body else clause


def via_hits(t: Text, s: int, e: int) -> list[Hit]:
    """A body named as the channel of a report or a dossier ("(qua Ban Tổ chức Thành ủy)")."""
    out = []
    for m in VIA.finditer(t.low, s, e):
        channel = t.mention_at(m.end())
        if channel is None:
            continue
        clause = max(t.raw.rfind(";", s, m.start()) + 1, s)
        verbs = list(_SENDS.finditer(t.low, clause, m.start()))
        if verbs:
            at = verbs[-1].start()
            clause = max(t.raw.rfind(",", clause, at) + 1, t.low.rfind(" va ", clause, at) + 4, clause)
        out.append(Hit(channel.name, REPORT, (t.skip_space(clause, e), clause_end(t, m.start(), e))))
    return out
