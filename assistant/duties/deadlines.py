"""Deadlines of tasks (internals of ``assistant.duties``): "trước ngày 20/6", "trước ngày 30 tháng 11 năm 2012",
"quý III/2025", "hằng năm", as written and normalised (ISO date, "2025-Q3", "annual", …)."""

from __future__ import annotations

import re

from assistant.duties.bodies import fold_same

__all__ = ["DATE", "deadline_kind", "deadline_of"]

DATE = "date"  # the kind of a deadline that is a day

_BY = r"\b(?:truoc|trong|den het|cham nhat)\s+"
_DEADLINES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:truoc|den|cham nhat|han chot)\s+(?:ngay\s+)?(\d{1,2})\s*(?:[/-]|\s+thang\s+)\s*(\d{1,2})"
                r"(?:\s*(?:[/-]|\s+nam\s+)\s*(\d{4}))?\b"), DATE),  # "trước ngày 20/6", "… 30 tháng 11 năm 2012"
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
    found = _first(text)
    if found is None:
        return None, None
    m, kind = found
    return text[m.start():m.end()], _normalise(kind, m.groups(), year)


def deadline_kind(text: str) -> str | None:
    """The kind of the first deadline in ``text`` (``DATE``, "quarter", "annual", …), None if it has none."""
    found = _first(text)
    return found[1] if found else None


def _first(text: str) -> tuple[re.Match[str], str] | None:
    low = fold_same(text)
    for pattern, kind in _DEADLINES:
        m = pattern.search(low)
        if m:
            return m, kind
    return None


def _normalise(kind: str, groups: tuple[str | None, ...], year: str | None) -> str | None:
    if kind == DATE:
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
