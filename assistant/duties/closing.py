"""The executing clause of a State decision (internals of ``assistant.duties.extract``).

"Chánh Văn phòng UBND tỉnh, Giám đốc các sở: Tài chính, Nội vụ; Chủ tịch UBND huyện, thành phố; thủ trưởng các
cơ quan, đơn vị liên quan chịu trách nhiệm thi hành Quyết định này." Every body named before the verb (its head's
title stands for it) is given the clause; "các sở: Tài chính, Nội vụ" names "Sở Tài chính" and "Sở Nội vụ"; a
partner left unnamed ("các cơ quan, đơn vị liên quan") gets no row.
"""

from __future__ import annotations

import re

from assistant.duties.bodies import PLURAL_NOUN, SHARED_NOUNS, complements
from assistant.duties.rules import DO, Hit, Text, sentences

_CLAUSE = re.compile(r"\b(?:chiu|co) trach nhiem (?:to chuc )?thi hanh (?:quyet dinh|chi thi|thong tu|nghi quyet|"
                     r"quy dinh|quy che|ke hoach|van ban)(?: nay)?")
# "Giám đốc các sở: Giáo dục và Đào tạo, Tài chính" — a plural head noun, a colon, the bodies' own names
_SHARED_NOUN = re.compile(rf"\b{PLURAL_NOUN.pattern}\s*:\s*")
_UNNAMED = re.compile(r"\s*(?:co\s+)?lien quan\b")


def closing_hits(t: Text, start: int, end: int) -> list[tuple[Hit, tuple[int, int]]]:
    """(row, sentence) for every body an executing clause in ``[start, end)`` names."""
    out: list[tuple[Hit, tuple[int, int]]] = []
    for s, e in sentences(t, start, end):
        clause = _CLAUSE.search(t.low, s, e)
        if clause is None:
            continue
        task = (clause.start(), e)
        for name in _named(t, s, clause.start()):
            out.append((Hit(name, DO, task), (s, e)))
    return out


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
            names += [m.name for m in t.within(lo, shared.start()) if not _UNNAMED.match(t.low, m.end, hi)]
            names += complements(SHARED_NOUNS[shared.group(1)], t.raw[shared.end():hi])
            continue
        names += [m.name for m in t.within(lo, hi) if m.end <= hi and not _UNNAMED.match(t.low, m.end, hi)]
    return list(dict.fromkeys(names))
