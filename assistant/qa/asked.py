"""What kind of value a question asks for, and whether a passage holds one.

"Bao nhiêu trang?", "bao nhiêu phần trăm?", "bao lâu?", "ngày nào?" ask for a value of a kind: a number
of some unit, a duration, a date. Near-miss questions on Party topics share the documents' words but ask
for a figure the documents never give ("mỗi số bản tin dài tối đa bao nhiêu trang"); the answer decision
(assistant.qa.gate) weighs whether the best passages hold a value of the asked kind at all.
Everything works on folded text (``indexer.vntext.fold``), so a question typed without diacritics is
read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexer.chunker import table_header
from indexer.readers.tables import CELL_SEPARATOR
from indexer.vntext import fold, has_diacritics

# Number words that are not also common words ("năm" is a year, "sáu" reads as "sau", "tám" as "tạm").
_NUMBER_WORDS = "mot|hai|ba|bon|bay|chin|muoi|tram|nghin|ngan|trieu|ty|nua"
NUMBER = rf"(?:\d+(?:[.,]\d+)*\s*%?|(?:{_NUMBER_WORDS}))"
# Words after "bao nhiêu"/"mấy" that are not the unit ("là bao nhiêu", "bao nhiêu thì ...").
_NOT_UNIT = frozenset({"la", "thi", "de", "duoc", "va", "hay", "co", "cua", "o", "trong", "khi", "nua", "con", "moi",
                       "lan", "mot",  # "bao nhiêu một người?": per person, the unit is not "một"
                       # "bao nhiêu theo quy định hiện hành?", "… bao nhiêu vậy ạ?": words and particles, not units
                       "theo", "cho", "tai", "voi", "neu", "ve", "ma", "tu", "den", "sau", "vay", "a", "ha", "ho",
                       "nhi", "khong", "the", "day", "roi", "nhe"})
# On the question as typed: "mấy" (how many), never "máy" (machine); folded "may" only when nothing is accented
# (restoration reads "may tháng" as "mấy tháng": ``assistant.qa.restore``).
_QUANTITY = re.compile(r"\b(?:bao nhiêu|bao nhieu|mấy|may)\b\s*(\w+(?:\s+\w+)?)?")
_DURATION = re.compile(r"\bbao lau\b")
_DATE = re.compile(r"\b(?:ngay nao|khi nao|thoi diem nao|luc nao|nam nao|thang nao|bao gio|ngay may|"
                   r"thang may|nam may|thoi gian nao|han chot)\b")
_DATE_VALUE = re.compile(
    r"\b(?:ngay\s+\d{1,2}|\d{1,2}\s*[/-]\s*\d{1,2}(?:\s*[/-]\s*\d{2,4})?|thang\s+(?:\d{1,2}|"
    r"mot|hai|ba|tu|nam|sau|bay|tam|chin|muoi|gieng|chap)|nam\s+\d{4}|quy\s+(?:[1-4]|i{1,3}|iv)\b|"
    r"truoc khi|sau khi|ngay sau|ket thuc|dau nhiem ky|cuoi nam|dau nam|giua nam|hang nam|hang thang)"
)
# A cited document's number and date: "số 16/CT-TTg ngày 25/6/2019", "số 110/2005/QĐ-UBND ngày 29 tháng 12 năm 2005".
_REFERENCE_DATE = re.compile(r"\b\d+(?:/[\w.-]+)+\s+(?:ngay\s+\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*\d{2,4}"
                             r"|ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4})")
# "gửi về Bộ trước ngày nào?", "hạn chót là khi nào?": a deadline ("trước ngày 12/7/2019", "chậm nhất ngày 15/12").
_DEADLINE = re.compile(r"\b(?:truoc ngay nao|han chot|cham nhat (?:la )?(?:ngay|khi|luc) nao|truoc thoi diem nao)\b")
_DEADLINE_VALUE = re.compile(r"\b(?:truoc|cham nhat(?: la)?|han chot(?: la)?|khong qua|tu nay den)\s+"
                             r"(?:ngay\s+\d{1,2}\b|\d{1,2}\s*(?:[/-]|thang))")
# "mức bao nhiêu?", "số tiền là bao nhiêu?": the value asked is an amount of money.
_MONEY_BEFORE = re.compile(r"\b(?:muc|so tien|tien|kinh phi|gia tri)(?:\s+(?:la|duoc|se))?\s*$"
                           r"|\bmuc (?:tro cap|phu cap|luong|ho tro|qua|thuong|chi|dong gop)\b[^.?;]{0,60}$")
# "tiền trợ cấp một lần tính ra sao?", "mức hỗ trợ được tính thế nào?": an amount of money, however it is reckoned
_MONEY_HOW = re.compile(r"\b(?:tien|muc)\b[^?.;]{0,50}\btinh (?:ra sao|the nao|nhu the nao|bang cach nao)")
_TIME_UNITS = r"(?:ngay|tuan|thang|quy|nam|gio|phut|nhiem ky|ky)"
_DURATION_VALUE = re.compile(
    rf"\b(?:{NUMBER})\s+(?:\w+\s+)?{_TIME_UNITS}\b|\b(?:moi|hang|hoac)\s+{_TIME_UNITS}\b|\bthuong xuyen\b"
)
_MONEY_VALUE = re.compile(r"(?:\d[\d.,]*|trăm|nghìn|ngàn|triệu|tỷ)\s+(?:\w+\s+){0,2}(?:đồng|triệu|tỷ)\b"
                          r"(?!\s+(?:thời|chí|bộ|loạt|đều|ý))")
# Unit aliases: what a passage may write for the unit a question names.
_ALIASES = {"phan tram": r"(?:phan tram|%)", "tien": r"(?:dong|trieu|ty)", "ty dong": r"(?:ty dong|ty)",
            "tuoi": r"tuoi", "lan": r"lan"}

DATE, DURATION, QUANTITY = "date", "duration", "quantity"


def asked_kind(question: str) -> tuple[str, str | None] | None:
    """``(kind, unit)`` of the value a question asks for (unit: the folded noun after "bao nhiêu"), or None.
    A deadline ("trước ngày nào?") has the unit "truoc", an amount of money ("mức bao nhiêu?", "mức trợ cấp hằng
    tháng … là bao nhiêu?") the unit "tien"."""
    q = fold(question)
    if _DATE.search(q):
        return DATE, "truoc" if _DEADLINE.search(q) else None
    if _DURATION.search(q):
        return DURATION, None
    m = _QUANTITY.search(question.lower() if has_diacritics(question) else q)
    if m is None:
        return (QUANTITY, "tien") if _MONEY_HOW.search(q) else None
    words = fold(m.group(1) or "").split()
    if not words or words[0] in _NOT_UNIT:
        money = _MONEY_BEFORE.search(fold(question[:m.start()]))  # "quà … mức bao nhiêu?": money
        return QUANTITY, "tien" if money else None
    unit = " ".join(words) if " ".join(words) in _ALIASES else words[0]
    return QUANTITY, unit


def holds_value(kind: str, unit: str | None, text: str, references: bool = True) -> bool:
    """Whether a passage (any form) holds a value of the asked kind; with ``references=False`` the date of a
    document it cites ("Thông tư số 38/2019/TT-BTC ngày 28/6/2019") is not a value of its own."""
    t = fold(text)
    if kind == DATE:
        value = _DEADLINE_VALUE if unit == "truoc" else _DATE_VALUE
        return value.search(t if references else _REFERENCE_DATE.sub(" ", t)) is not None
    if kind == DURATION:
        return _DURATION_VALUE.search(t) is not None
    if unit is None:
        return re.search(rf"\b{NUMBER}\b", t) is not None or "%" in t
    if unit == "tien" and has_diacritics(text):  # folded, "ngân sách đồng thời" would be "ngàn … đồng"
        return _MONEY_VALUE.search(text.lower()) is not None
    target = _ALIASES.get(unit, re.escape(unit))
    pattern = rf"(?:\b{NUMBER}\s+(?:\w+\s+){{0,3}}{target}\b|\d\s*%)" if target == _ALIASES["phan tram"] else \
        rf"\b{NUMBER}\s+(?:\w+\s+){{0,3}}{target}\b"
    return re.search(pattern, t) is not None


_HEADER_UNIT = re.compile(r"\(([^()\d]{1,20})\)\s*$")  # "Mức cấp (đồng)", "Tỷ lệ (%)"
_NUMERIC_CELL = re.compile(r"\s*\d[\d.,]*\s*")


def with_units(text: str, context: str) -> str:
    """``text`` followed by its table cells' numbers with the unit their column's header gives ("3.100.000" under
    "Mức cấp (đồng)" reads "3.100.000 đồng"), or the table's "Đơn vị tính: đồng" line for a column without one, for
    reading which kind of value a passage holds (the row's number, its first filled cell, takes no unit); ``text``
    itself when there is nothing to add."""
    header, unit_line = table_header(context)
    default = unit_line.split(":", 1)[1].strip().lower() if unit_line else ""
    units = [m.group(1).strip() if (m := _HEADER_UNIT.search(cell)) else default for cell in header.split("|")]
    if not any(units):
        return text
    valued = []
    for line in (x for x in text.split("\n") if CELL_SEPARATOR.strip() in x):
        cells = line.split("|")
        first = next((k for k, cell in enumerate(cells) if cell.strip()), 0)
        valued += [f"{cell.strip()} {unit}" for k, (cell, unit) in enumerate(zip(cells, units, strict=False))
                   if k != first and unit and _NUMERIC_CELL.fullmatch(cell)]
    return "\n".join([text, "; ".join(valued)]) if valued else text


def typed_evidence(question: str, texts: Iterable[str]) -> float:
    """+1 when the question asks for a kind of value and one of the texts holds one, −1 when none does,
    0 when the question asks for no particular kind. The kind is read finely: "mức trợ cấp … là bao nhiêu?" wants
    an amount of money ("… đồng"), "trước ngày nào?" a deadline; any number or date does not do."""
    asked = asked_kind(question)
    if asked is None:
        return 0.0
    return 1.0 if any(holds_value(*asked, text) for text in texts) else -1.0
