"""Metadata of a directive published as a news article rather than with its own header.

Portals and legal sites publish "Toàn văn Kết luận 219-KL/TW ..." pages: the
title names the type and số hiệu, and the lead says when and by whom it was
issued ("Ngày 26/11/2025, Ban Chấp hành Trung ương đã ban hành Kết luận
219-KL/TW ..."). Used only when the text has no header block of its own.
"""

from __future__ import annotations

import dataclasses
import re

from indexer.models import Metadata
from indexer.references import DOC_TYPES, NUMBER, normalize_number

_TYPES = "|".join(r"\s+".join(t.split()) for t in DOC_TYPES)
_TITLE = re.compile(rf"^(?:(?i:Toàn văn):?\s+)?(?P<type>(?i:{_TYPES}))\s+(?:(?i:số)\s+)?(?P<num>{NUMBER})")
_LEAD = re.compile(
    r"^Ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}),\s+(?P<who>[^,.;]{3,80}?)\s+"
    rf"đã\s+(?:ban hành|có|ký ban hành)\s+(?:(?i:{_TYPES}))\s+(?:số\s+)?(?P<num>{NUMBER})"
)
TITLE_LINES = 4


def article_meta(text: str, meta: Metadata) -> Metadata:
    """``meta`` completed from an article's title and lead when the header gave no số hiệu."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    title = next((m for ln in lines[:TITLE_LINES] if (m := _TITLE.match(ln))), None)
    if meta.doc_number or title is None:
        return meta
    number = normalize_number(title.group("num"))
    doc_type = title.group("type")[:1].upper() + title.group("type")[1:].lower()
    fields: dict[str, object] = {"doc_number": number, "doc_type": meta.doc_type or doc_type}
    for line in lines[:12]:
        lead = _LEAD.match(line)
        if lead and normalize_number(lead.group("num")) == number:
            fields["date"] = f"{lead.group('y')}-{int(lead.group('m')):02d}-{int(lead.group('d')):02d}"
            who = lead.group("who")
            fields["issuer"] = meta.issuer or who[:1].upper() + who[1:]
            break
    return dataclasses.replace(meta, **fields)
