"""The executing clause of a State decision (internals of ``assistant.duties.extract``).

"Chánh Văn phòng UBND tỉnh, Giám đốc các sở: Tài chính, Nội vụ; Chủ tịch UBND huyện, thành phố; thủ trưởng các
cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này." Every body named before the verb (its head's
title stands for it) is given the clause; "các sở: Tài chính, Nội vụ" names "Sở Tài chính" and "Sở Nội vụ"; a
partner left unnamed ("các cơ quan, đơn vị liên quan") gets no row.

The difficulty clause is a reporting line: "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, Ủy ban nhân dân
các cấp, Phòng Lao động … phản ánh kịp thời về Sở Lao động … để tổng hợp, đề xuất Ủy ban nhân dân Thành phố …":
the bodies named before the verb report (the body they report to passes it on: ``assistant.duties.onward``).
"""

from __future__ import annotations

import re

from assistant.duties.bodies import SHARED_NOUNS, UNITS_UNDER, Mention, complements
from assistant.duties.rules import DO, REPORT, Hit, Text, addressees, sentences

_CLAUSE = re.compile(r"\b(?:chiu|co) trach nhiem (?:to chuc )?thi hanh (?:quyet dinh|chi thi|thong tu|nghi quyet|"
                     r"quy dinh|quy che|ke hoach|van ban)(?: nay)?")
# "Giám đốc các sở: Giáo dục và Đào tạo, Tài chính" — a (plural) head noun, a colon, the bodies' own names
_SHARED_NOUN = re.compile(rf"\b(?:(?:cac|nhung)\s+)?({'|'.join(SHARED_NOUNS)})\s*:\s*")  # "Giám đốc Sở: Tài chính, …"
_UNNAMED = re.compile(r"\s*(?:co\s+)?lien quan\b")
_TROUBLE = re.compile(r"\btrong qua trinh (?:to chuc )?(?:thuc hien|trien khai)\b[^.;]{0,40}?"
                      r"\bneu (?:co|phat sinh|gap)\b[^.;]{0,20}?\b(?:kho khan|vuong mac)\b"
                      r"(?:\s*,?\s*(?:vuong mac|kho khan|phat sinh|vuot tham quyen(?: giai quyet)?))*\s*,?\s*"
                      r"(?:de nghi\s+)?")
_RAISE = re.compile(r"\b(?:kip thoi\s+)?(?:tong hop\s*,?\s*)?(?:bao cao|phan anh|de xuat)\b(?:\s+kip thoi)?")
_UNDER = re.compile(r"\b(?:truc )?thuoc\s+$")
_UNITS = re.compile(rf"\b{UNITS_UNDER}$")  # "Thủ trưởng các đơn vị trực thuộc Sở …": the units are the subject


def closing_hits(t: Text, start: int, end: int) -> list[tuple[Hit, tuple[int, int]]]:
    """(row, sentence) for every body an executing clause in ``[start, end)`` names."""
    out: list[tuple[Hit, tuple[int, int]]] = []
    for s, e in sentences(t, start, end):
        out += _raised(t, s, e)
        clause = _CLAUSE.search(t.low, s, e)
        if clause is None:
            continue
        task = (clause.start(), e)
        for name in _named(t, s, clause.start()):
            out.append((Hit(name, DO, task), (s, e)))
    return out


def _raised(t: Text, s: int, e: int) -> list[tuple[Hit, tuple[int, int]]]:
    """Rows of a difficulty clause in the sentence ``[s, e)``: its subjects report (``REPORT``) to the body after
    the verb (which passes it on: ``assistant.duties.onward``)."""
    trouble = _TROUBLE.search(t.low, s, e)
    verb = _RAISE.search(t.low, trouble.end(), e) if trouble else None
    if trouble is None or verb is None:
        return []
    names = _named(t, trouble.end(), verb.start()) or addressees(t)  # "đề nghị phản ánh về Bộ": the addressees
    return [(Hit(name, REPORT, (verb.start(), e)), (s, e)) for name in names]


def _named(t: Text, start: int, end: int) -> list[str]:
    """The bodies a subject list names, in order (groups separated by ";", each a list of bodies or a shared
    noun with its complements)."""
    names: list[str] = []
    pos = start
    for group in re.split(r";", t.raw[start:end]):
        lo, hi = pos, pos + len(group)
        pos = hi + 1
        shared = _SHARED_NOUN.search(t.low, lo, hi)
        if shared:
            names += [n for m in t.within(lo, shared.start()) if (n := _subject(t, m, hi))]
            names += complements(SHARED_NOUNS[shared.group(1)], t.raw[shared.end():hi])
            continue
        names += [n for m in t.within(lo, hi) if m.end <= hi and (n := _subject(t, m, hi))]
    return list(dict.fromkeys(names))


def _subject(t: Text, m: Mention, hi: int) -> str | None:
    """The subject a mention names: the body itself; "Các đơn vị trực thuộc Sở …" when it follows "các cơ quan,
    đơn vị (trực) thuộc"; None for a partner left unnamed ("các cơ quan liên quan") or for the parent of other
    units ("các trường thuộc Sở …")."""
    if _UNNAMED.match(t.low, m.end, hi):
        return None
    units = _UNITS.search(t.low, max(0, m.start - 40), m.start)
    if units is not None:
        named = t.raw[units.start():m.start].strip()
        return f"{named[:1].upper()}{named[1:]} {m.name}"
    return None if _UNDER.search(t.low, max(0, m.start - 16), m.start) else m.name
