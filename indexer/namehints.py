"""A scan's handwritten number and day, taken from its file name where the page confirms the rest.

Offices fill the number ("Số: 660 /TB-UBND") and the day ("ngày 31 tháng 12") in by hand; Tesseract cannot read
handwriting, so the OCR header keeps "Số: /TB-UBND" and the month and year only. Files from portals and
archives are often named by number and date ("TB-660-TB-UBND_2024-12-31.pdf"). The name fills a field only
when it agrees with everything the page does say: the number's code after "/" (same letters, diacritics
aside) and the year and month of the date. Nothing is taken from a name that the page does not confirm, and
every filled field is named in the document's notes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from indexer.models import Metadata
from indexer.references import TYPE_CODES
from indexer.vntext import fold

HEADER_LINES = 15
_SO_LINE = re.compile(r"^\s*Số\s*[:.]?\s*(?P<rest>[^\n]*/[^\n]*)$", re.MULTILINE)
_CODE = re.compile(r"^[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)*$")
_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def complete_from_name(meta: Metadata, header: str, name: str) -> tuple[Metadata, tuple[str, ...]]:
    """``meta`` with a blank number and day filled from file ``name`` where the page ``header`` agrees, and a
    Vietnamese note for each field so filled."""
    notes: list[str] = []
    if meta.doc_number is None and (number := _number(header, name)):
        meta = replace(meta, doc_number=number, doc_type=meta.doc_type or _type_of(number))
        notes.append(f"Số hiệu {number} lấy từ tên tệp (trên trang, phần số viết tay không đọc chắc; "
                     "ký hiệu sau dấu / khớp với trang).")
    if meta.date is None and meta.date_approx and (day := _date(meta.date_approx, name)):
        meta = replace(meta, date=day, date_approx=None)
        y, m, d = day.split("-")
        notes.append(f"Ngày {int(d)}/{int(m)}/{y} lấy từ tên tệp (trên trang, ngày viết tay không đọc chắc; "
                     "tháng và năm khớp với trang).")
    return meta, tuple(notes)


def _number(header: str, name: str) -> str | None:
    """"660/TB-UBND" when the header's number line reads "Số: /TB-UBND" and ``name`` holds "660-TB-UBND"."""
    lines = "\n".join(header.split("\n")[:HEADER_LINES])
    found = _SO_LINE.search(lines)
    if not found:
        return None
    head, _, code = found.group("rest").rpartition("/")
    code = re.sub(r"\s+", "", code)
    if not _CODE.match(code) or sum(ch.isalpha() for ch in code) < 2:
        return None  # the code itself is unreadable
    folded = re.escape(fold(code).lower())
    hits = set(re.findall(rf"(?<![\da-z])(\d{{1,5}})[-_ ]{folded}(?![\da-z])", fold(name).lower()))
    read = "".join(ch for ch in head if ch.isdigit())  # stray digits the parser rejected ("Số: /2/UBND-…")
    return f"{hits.pop()}/{code}" if len(hits) == 1 and read in next(iter(hits)) else None


def _date(approx: str, name: str) -> str | None:
    """"2024-12-31" when the page gives "tháng 12 năm 2024" and ``name`` holds one such date, a real day."""
    days = {f"{y}-{m}-{d}" for y, m, d in _NAME_DATE.findall(name) if f"{y}-{m}" == approx}
    day = days.pop() if len(days) == 1 else None
    try:
        return date.fromisoformat(day).isoformat() if day else None
    except ValueError:  # "2024-02-31"
        return None


def _type_of(number: str) -> str | None:
    return TYPE_CODES.get(number.split("/", 1)[1].split("-", 1)[0])
