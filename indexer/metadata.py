"""Header metadata of Vietnamese official documents, by deterministic rules.

``parse_header`` reads the header block (issuing organ, number, place and date,
document type, trích yếu) from the first lines, and the closing blocks
(recipients, signature, certified copy) from the end. The closing blocks are
reported as ``excluded`` spans: they are not retrievable body text.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from indexer.closing import Block, Seg, find_blocks, plain_segments
from indexer.lead import article_meta
from indexer.models import Metadata, Reference
from indexer.references import (
    DATE_LINE,
    DOC_TYPES,
    NUMBER,
    date_fields,
    dedupe_references,
    is_caps,
    iter_references,
    normalize_number,
    organ_name,
    sentence_case,
    type_code,
    type_from_code,
)
from indexer.supersession import extract_supersedes

HEADER_LINES = 40
HEADER_CHARS = 3000

_CAPS_TYPES = "|".join(r"\s+".join(t.upper().split()) for t in DOC_TYPES)
_TYPE_LINE = re.compile(rf"^(?P<type>{_CAPS_TYPES})(?P<rest>(?:\s|CỦA\b).*)?$")
_MIXED_TYPES = "|".join(DOC_TYPES)
_NUMBER_LINE = re.compile(rf"^(?:(?:{_MIXED_TYPES})\s+)?(?i:số)\s*:?\s*(?P<num>{NUMBER})")
_BLANK_NUMBER = re.compile(rf"^(?:(?:{_MIXED_TYPES})\s+)?(?i:số)\s*:?\s*[-–]\s*(?P<code>[A-ZĐ][A-Za-zĐ]*)\s*/")
_RULE = re.compile(r"^[-–—_=]{3,}$")
_BODY_LINE = re.compile(
    r"^(?:[-+•]\s?\S|\d{1,3}[.)]|[IVXLC]{1,5}[.)-]\s|[a-zđ]\)\s|Căn cứ|Thực hiện|Kính gửi|Xét\b"
    r"|Điều\s+\d|Chương\b|CHƯƠNG\b|Phần\b|PHẦN\b|\()"
)
# "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..." / "BAN CHẤP HÀNH TRUNG ƯƠNG" before "QUYẾT ĐỊNH:" ends the title.
_ENACTING = re.compile(
    r"^(?:CHỦ TỊCH|BỘ TRƯỞNG|THỦ TƯỚNG|TRƯỞNG BAN|GIÁM ĐỐC|CHÍNH PHỦ|QUỐC HỘI|ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN"
    r"|BAN CHẤP HÀNH|BAN BÍ THƯ|BỘ CHÍNH TRỊ|ỦY BAN THƯỜNG VỤ)\b[^a-zđ]*$"
)
# On folded text: the preamble's enacting sentence ("Chính phủ ban hành Nghị định quy định …", "Bộ trưởng Bộ Tài
# chính ban hành Thông tư …"), which precedes the first article; neither a passage's answer nor a task.
_ENACTED = (r"ban hanh\s+(?:nghi dinh|quyet dinh|thong tu|chi thi|nghi quyet|quy dinh|quy che|ke hoach|huong dan|"
            r"ket luan|phap lenh|luat)\b")
ENACTING_SENTENCE = re.compile(rf"(?:\S+\s+){{0,8}}?{_ENACTED}")
# a joint circular's preamble names every minister first ("Bộ trưởng Bộ …, Bộ trưởng Bộ … ban hành Thông tư liên tịch")
ENACTING_AFTER_LIST = re.compile(rf"(?:\S+\s+){{0,40}}?{_ENACTED}")
_FIRST_ARTICLE = re.compile(r"(?m)^\s*Điều 1\b")
_POSITION = re.compile(
    r"\s+(?:(?:KT\.|K/T|Q\.|PHÓ)\s+)?(?:THỦ TƯỚNG|CHỦ TỊCH|BỘ TRƯỞNG|TỔNG BÍ THƯ|(?<!BAN )BÍ THƯ|CHỦ NHIỆM|TRƯỞNG BAN"
    r"|CHÁNH VĂN PHÒNG|GIÁM ĐỐC|VIỆN TRƯỞNG)\b.*$"
)
_VV = re.compile(r"\bV/v\s*:?\s+.+$")
_TM = re.compile(r"^(?:T/M|TM\.?|THAY MẶT)\s+(.+)$")
# Collectives named without their organ in a "T/M" line: "T/M BAN THƯỜNG VỤ" of "Thành ủy Hà Nội".
_GENERIC = {"Ban Thường vụ", "Ban Chấp hành", "Đảng ủy", "Chi bộ", "Chi ủy", "Đảng đoàn", "Ban cán sự đảng"}


@dataclass(frozen=True)
class Header:
    """Parsed header: metadata, where the body begins, and non-body spans."""

    meta: Metadata
    body_start: int
    excluded: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Top:
    """What the header block says (before the closing blocks are known)."""

    number: str | None = None
    code: str | None = None
    doc_type: str | None = None
    place: str | None = None
    date: str | None = None
    date_approx: str | None = None
    title: str | None = None
    of_phrase: str | None = None
    organ: tuple[str | None, str | None] = (None, None)
    body_start: int = 0


def parse_header(text: str) -> Header:
    """Metadata, body start and excluded spans of one normalised document."""
    segs = plain_segments(text)
    top = _parse_top(text, segs)
    body_index = next((i for i, s in enumerate(segs) if s.start >= top.body_start), len(segs))
    main, blocks, copy = find_blocks(segs, body_index)
    excluded = _merge_spans(text, [(b.start, b.end) for b in blocks])
    issuer = _issuer(main, top)
    own = {top.number} if top.number else set()
    meta = Metadata(
        doc_number=top.number,
        doc_type=_doc_type(top),
        issuer=issuer,
        place=top.place,
        date=top.date,
        date_approx=top.date_approx,
        title=_title_text(top.title),
        signer=main.signer if main else None,
        signer_capacity=", ".join(main.capacity) if main and main.capacity else None,
        recipients=tuple(main.items) if main else (),
        certified_copy=copy,
        references=_body_references(text, top.body_start, excluded, own),
        supersedes=tuple(n for n in extract_supersedes(_blank_out(text, top.body_start, excluded)) if n not in own),
    )
    return Header(meta=article_meta(text, meta), body_start=top.body_start, excluded=excluded)


def _doc_type(top: _Top) -> str | None:
    """From the title line, else from the number's type code; "V/v" alone means a Công văn. A consolidated text
    ("Số: 4804/VBHN-BLĐTBXH" over "NGHỊ ĐỊNH …") is a Văn bản hợp nhất, whatever type it consolidates."""
    if top.code == "VBHN":
        return type_from_code(top.code, False)
    if top.doc_type or top.code:
        party = top.number is None or "/" not in top.number.split("-")[0]
        return top.doc_type or type_from_code(top.code, party)
    return "Công văn" if top.title and top.title.startswith("V/v") else None


def _parse_top(text: str, segs: list[Seg]) -> _Top:
    window = [s for s in segs[:HEADER_LINES] if s.start < HEADER_CHARS]
    t_index = _type_index(window)
    number, code, n_index, date_match, d_index = _anchors(text, window, t_index)
    if t_index is not None and t_index > 2 and n_index is None and d_index is None:
        t_index = None  # a heading in capitals deep in a text without a header is no type line
        number, code, n_index, date_match, d_index = _anchors(text, window, None)
    anchors = [i for i in (n_index, d_index, t_index) if i is not None]
    organ = _organ(window, min(anchors)) if anchors else (None, None)
    fields = date_fields(date_match)
    if t_index is None:
        start = _next_line(text, window[max(anchors)].end) if anchors else 0
        heads = window[: max(anchors, default=0) + 1]
        title = next((m.group() for s in heads if (m := _VV.search(s.text))), None)
        return _Top(number, code, None, *fields, title, None, organ, start)
    doc_type, of_phrase, title, body_start = _read_title(text, window, t_index)
    return _Top(number, code, doc_type, *fields, title, of_phrase, organ, body_start)


_Anchors = tuple[str | None, str | None, int | None, re.Match[str] | None, int | None]


def _anchors(text: str, window: list[Seg], t_index: int | None) -> _Anchors:
    """(number, type code, its index, date match, its index) above the type line
    (or in the first lines when there is none)."""
    before = window[:t_index] if t_index is not None else window[:12]
    number, code, n_index = _number(before)
    date_match = DATE_LINE.search(text, 0, before[-1].end) if before else None
    d_index = _index_at(before, date_match.start("ngay")) if date_match else None
    return number, code, n_index, date_match, d_index


def _organ(window: list[Seg], anchor: int) -> tuple[str | None, str | None]:
    """Organ lines above the first anchor, plus capitals that start the anchor line itself
    (pypdf puts two header cells on one line: "BAN TỔ CHỨC Hà Nội, ngày ...")."""
    words = itertools.takewhile(_caps_word, window[anchor].text.split())
    return organ_name([*(s.text for s in window[:anchor]), " ".join(words)])


def _caps_word(word: str) -> bool:
    return is_caps(word) or not any(c.isalnum() for c in word)


def _type_index(window: list[Seg]) -> int | None:
    for i, seg in enumerate(window[:20]):
        if _TYPE_LINE.match(seg.text):
            return i
    return None


def _number(segs: list[Seg]) -> tuple[str | None, str | None, int | None]:
    """The number line of the header: a line "Số: …" first, else "Thông tư số …" (a portal's title line above
    the header, "Thông tư số 101/2018/TT-BTC quy định …", is no anchor when the header has its own)."""
    own = [i for i, seg in enumerate(segs) if seg.text.lstrip()[:2].casefold() == "số"]
    for i, seg in [(i, segs[i]) for i in own] + list(enumerate(segs)):
        if m := _NUMBER_LINE.search(seg.text):
            number = normalize_number(m.group("num"))
            return number, type_code(number), i
        if m := _BLANK_NUMBER.search(seg.text):
            return None, m.group("code"), i
    return None, None, None


def _index_at(segs: list[Seg], offset: int) -> int | None:
    return next((i for i, s in enumerate(segs) if s.start <= offset < s.end), None)


def _read_title(text: str, window: list[Seg], t_index: int) -> tuple[str, str | None, str | None, int]:
    """(doc type, "CỦA ..." phrase, raw title, body start) from the type line on."""
    m = _TYPE_LINE.match(window[t_index].text)
    doc_type, rest = " ".join(m.group("type").split()).capitalize(), (m.group("rest") or "").strip()
    k = t_index + 1
    if doc_type == "Thông báo" and not rest and k < len(window) and window[k].text.startswith("KẾT LUẬN"):
        doc_type, rest, k = "Thông báo kết luận", window[k].text[len("KẾT LUẬN") :].strip(), k + 1
    of_phrase, rest = _split_of(rest)
    if of_phrase is None and k < len(window) and window[k].text.startswith("CỦA "):
        of_phrase, rest = _split_of(window[k].text)
        k += 1
    pieces = [rest] if rest else []
    rule = next((j for j in range(k, min(k + 8, len(window))) if _RULE.match(window[j].text)), None)
    if rule is not None:
        pieces += [s.text for s in itertools.takewhile(lambda s: not s.text.startswith("("), window[k:rule])]
        after = window[rule + 1].start if rule + 1 < len(window) else _next_line(text, window[rule].end)
        return doc_type, of_phrase, " ".join(pieces) or None, after
    stop = _title_end(window, k, pieces)
    body_start = window[stop].start if stop < len(window) else _next_line(text, window[stop - 1].end)
    return doc_type, of_phrase, " ".join(pieces) or None, body_start


def _title_end(window: list[Seg], k: int, pieces: list[str]) -> int:
    """Index of the first body segment after the title lines (appended to ``pieces``)."""
    caps = bool(pieces) and is_caps(pieces[0])
    j = k
    while j < min(k + 8, len(window)):
        line = window[j].text
        if _BODY_LINE.match(line) or _ENACTING.match(line) or (len(line) > 200 and not is_caps(line)):
            break
        if pieces and (is_caps(line) != caps or (not caps and not _starts_lower(line))):
            break
        caps = caps or (not pieces and is_caps(line))
        pieces.append(line)
        j += 1
    return j


def _starts_lower(line: str) -> bool:
    first = next((c for c in line if c.isalpha()), "")
    return first.islower()


def _split_of(rest: str) -> tuple[str | None, str]:
    """"CỦA BAN BÍ THƯ về ..." -> ("BAN BÍ THƯ", "về ...")."""
    if not rest.startswith("CỦA"):
        return None, rest
    body = rest[3:]
    cut = next((i for i, c in enumerate(body) if c.islower()), len(body))
    caps, tail = body[:cut], body[cut:]
    if " VỀ " in caps:
        caps, more = caps.split(" VỀ ", 1)
        tail = f"VỀ {more}{tail}"
    return caps.strip(" ,") or None, tail.strip()


def _next_line(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def _title_text(raw: str | None) -> str | None:
    if not raw:
        return None
    title = " ".join(raw.split()).strip(" -–:;").removesuffix(".")
    title = re.sub(r"^V/v\s*:?\s*", "Về việc ", title)
    if is_caps(title):
        return sentence_case(title)
    return title[:1].upper() + title[1:] if title else None


def _issuer(main: Block | None, top: _Top) -> str | None:
    """T/M collective of the signature, else "CỦA <body>" of the title, else the header organs."""
    collective = next((m.group(1) for c in (main.capacity if main else []) if (m := _TM.match(c))), None)
    parent, full = top.organ
    if collective:
        name = organ_name([_POSITION.sub("", collective)])[1]
        if full and name and full.startswith(name):
            return full
        if name in _GENERIC and parent:
            return f"{name} {parent}"
        return name
    if top.of_phrase and not top.of_phrase.startswith("ĐỒNG CHÍ"):
        names = [organ_name([part])[1] for part in top.of_phrase.split(",")]
        return ", ".join(n for n in names if n) or full
    return full


def first_article(text: str, start: int = 0) -> int:
    """Where the first article ("Điều 1. …") starts at or after ``start``; 0 for a document without articles."""
    found = _FIRST_ARTICLE.search(text, start)
    return found.start() if found else 0


def _merge_spans(text: str, spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _inside(offset: int, spans: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _body_references(
    text: str, body_start: int, excluded: tuple[tuple[int, int], ...], own: set[str]
) -> tuple[Reference, ...]:
    refs = iter_references(text, body_start, len(text))
    return dedupe_references(r for r in refs if r.number not in own and not _inside(r.start, excluded))


def _blank_out(text: str, body_start: int, excluded: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the header and excluded spans replaced by spaces (offsets kept)."""
    chars = list(text)
    for a, b in ((0, body_start), *excluded):
        chars[a:b] = re.sub(r"\S", " ", text[a:b])
    return "".join(chars)
