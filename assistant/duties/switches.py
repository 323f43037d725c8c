"""Role changes inside one item: the same subject goes on in a later clause with another role.

"Hướng dẫn văn phòng cấp ủy các cấp ...; phối hợp với Đảng ủy Bộ Tài chính hướng dẫn ..." -> the item's body
also "phối hợp"; "X phối hợp với Y tiến hành rà soát ..., chịu trách nhiệm bố trí quỹ đất" -> X also
"thực hiện" from "chịu trách nhiệm".
"""

from __future__ import annotations

import re

from assistant.duties.rules import DO, LEAD, PARTNER, Hit, Text, role_at, sentences, trim

_CLAUSE = re.compile(r";\s+|,\s+(?=(?:chiu|co) trach nhiem\b)")


def switches(t: Text, lead: tuple[tuple[str, str | None], ...], start: int, end: int,
             ) -> list[tuple[Hit, tuple[int, int]]]:
    """(row, quote) for ``lead`` bodies at clauses of [start, end) that start with another role and name no
    subject of their own."""
    if not lead:
        return []
    out = []
    for m in _CLAUSE.finditer(t.low, start, end):
        at = m.end()
        found = role_at(t, at, end)
        if t.mention_at(at) is not None or found is None:
            continue
        role = found[0] if m.group().startswith(";") else DO
        if role not in (LEAD, PARTNER, DO) or (m.group().startswith(";") and role == DO):
            continue
        stop = t.raw.find(";", at, end)
        task = (at, trim(t, at, end if stop < 0 else stop))
        quote = next(((s, e) for s, e in sentences(t, start, end) if s <= at < e), (start, end))
        out += [(Hit(body, role, task), quote) for body, _ in lead]
    return out
