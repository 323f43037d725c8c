"""Headings that hand bodies to the items below them (internals of ``assistant.duties.outline``): "- Ban Tổ chức
Trung ương", "1. Bộ Công an, Bộ Quốc phòng có trách nhiệm:", "1. Định kỳ hằng năm và khi có yêu cầu, Bộ Công an có
trách nhiệm:", a paragraph "Ủy ban kiểm tra các cấp có nhiệm vụ :" over a numbered list."""

from __future__ import annotations

import re

from assistant.duties.rules import Text, subjects, trim
from indexer.models import Section
from indexer.outline import is_heading

# "1. Bộ Công an, Bộ Quốc phòng có trách nhiệm:" — bodies, then only the words that hand them the items below.
_DUTY_TAIL = re.compile(r"\s*(?:co|chiu)\s+(?:trach nhiem|nhiem vu|cac nhiem vu)(?:\s+(?:thuc hien|sau|nhu sau|cu the|"
                        r"sau day))*\s*:?\s*$|\s*(?:thuc hien|trien khai)\s+(?:cac|mot so|nhung)\s+nhiem vu\s+"
                        r"(?:sau|sau day|cu the)\s*:?\s*$")
_OPENING = re.compile(r",\s+")  # "Định kỳ hằng năm và khi có yêu cầu, Bộ Công an …": before the bodies
_OPENING_MAX = 120  # characters of an opening phrase before the bodies
BODY_HEADING_MAX = 300  # characters of a heading that lists the bodies its items are given to


def content_start(t: Text, n: Section) -> int:
    """Where a node's text starts after its marker ("- ", "b) ", "1.2. ")."""
    at = t.raw.find(n.title, n.start, n.end) if n.title else -1
    return at if at >= 0 else n.start


def heading_bodies(t: Text, n: Section) -> tuple[str, ...]:
    """Bodies a heading consists of ("- Ban Tổ chức Trung ương", "c) Đối với cấp ủy cơ sở:"), or that a paragraph
    only hands the list after it ("Ủy ban kiểm tra các cấp có nhiệm vụ :")."""
    if n.kind == "paragraph":
        return _intro_bodies(t, n)
    title = n.title.rstrip(":")
    if n.kind in ("header", "meta") or re.search(r"[.;!?]$", title):
        return ()
    if not is_heading(n.kind, title) and len(title) > BODY_HEADING_MAX:
        return ()  # a heading made only of body names may be longer than other headings (four bodies, 119 chars)
    start, end = content_start(t, n), trim(t, n.start, n.end)
    lead = re.match(r"(?:doi voi|(?:trach nhiem|nhiem vu)(?: cua)?|giao(?: cho)?|de nghi|yeu cau)\s+", t.low[start:end])
    names, pos = subjects(t, start + (lead.end() if lead else 0), end)
    rest = trim(t, pos, end) <= pos or re.match(r"\s*noi\b", t.low[pos:end]) or _DUTY_TAIL.match(t.low, pos, end)
    return tuple(names) if names and rest else _after_opening(t, start, end)


def _intro_bodies(t: Text, n: Section) -> tuple[str, ...]:
    """Bodies of a paragraph that only hands them the list after it ("Ủy ban kiểm tra các cấp có nhiệm vụ :")."""
    start, end = content_start(t, n), trim(t, n.start, n.end)
    if not t.raw[:end].endswith(":"):
        return ()
    names, pos = subjects(t, start, end)
    return tuple(names) if names and _DUTY_TAIL.match(t.low, pos, end) else _after_opening(t, start, end)


def _after_opening(t: Text, start: int, end: int) -> tuple[str, ...]:
    """Bodies after an opening phrase of time or occasion, when the heading then hands them the items below
    ("1. Định kỳ hằng năm và khi có yêu cầu, Bộ Công an có trách nhiệm:")."""
    for comma in _OPENING.finditer(t.low, start, min(end, start + _OPENING_MAX)):
        names, pos = subjects(t, comma.end(), end)
        if names and _DUTY_TAIL.match(t.low, pos, end):
            return tuple(names)
    return ()
