"""Lines and closing blocks of an official document: recipients ("Nơi nhận"),
signature (T/M, K/T, T/L ... with the signer's name) and certified copies (SAO Y)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.models import CertifiedCopy
from indexer.references import COPY_CODES, DATE_LINE, date_fields, is_caps, normalize_number, organ_name


@dataclass(frozen=True)
class Seg:
    """A non-empty line (or table cell) of the text, markdown markers removed."""

    start: int
    end: int
    text: str


@dataclass
class Block:
    """A closing block: recipients ("Nơi nhận"), signature, or both."""

    start: int
    end: int
    labeled: bool = False
    items: list[str] = field(default_factory=list)
    capacity: list[str] = field(default_factory=list)
    signer: str | None = None


_RUN = re.compile(r"(?:(?!\*\*\*\*)[^|\n])+")
_LABEL = re.compile(r"^(?:Nơi nhận|NƠI NHẬN)\s*(?::|$)\s*(?P<rest>.*)$")
_POSITION_WORD = re.compile(
    r"(?<!\w)(?:TRƯỞNG|PHÓ|BÍ THƯ|CHỦ TỊCH|CHÁNH|GIÁM ĐỐC|THỦ TƯỚNG|CHỦ NHIỆM|ỦY VIÊN|TỔNG|VĂN PHÒNG|BAN)(?!\w)"
)
_CAPACITY = re.compile(r"^(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|TUQ\.|Q\.|THAY MẶT|KÝ THAY|THỪA LỆNH)\s*\S+")
_ITEM = re.compile(r"^[-+•]\s*\S")
_LUU = re.compile(r"^[-+•]?\s*Lưu(?:\s*[:.]|\s+[A-ZĐ]|\s*$)")
_INLINE_ITEM = re.compile(r"(?<=[,;.)])\s+[-+•]\s+")
_SKIP = re.compile(r"^(?:\d{1,4}|\(?(?:Đã ký|đã ký|Ký|ký)\)?)$")
_CAP_WORDS = {"PHÓ", "TRƯỞNG", "BAN", "CHÁNH", "VĂN", "PHÒNG", "BÍ", "THƯ", "TỔNG", "CHỦ", "TỊCH", "THỨ", "BỘ"}
_COPY_KIND = re.compile(r"^(SAO Y|SAO LỤC|TRÍCH SAO)(?: BẢN CHÍNH)?$")
_COPY_NUMBER = re.compile(
    r"(?:Số|SỐ)\s*:?\s*(?P<num>\d+\s*[-–]\s*(?P<c1>SY|SL|TS)\s*/\s*[A-ZĐ]+|\d+/(?P<c2>SY|SL|TS)-[A-ZĐ]+)"
)
TAIL_LINES = 60


def plain_segments(text: str) -> list[Seg]:
    """Non-empty lines and table cells, with "**", "__", "#" and edge "*" removed."""
    segs = []
    for m in _RUN.finditer(text):
        clean = re.sub(r"\*\*|__", "", m.group()).strip(" *_#\t")
        if clean:
            raw = m.group()
            start = m.start() + len(raw) - len(raw.lstrip())
            segs.append(Seg(start, m.start() + len(raw.rstrip()), clean))
    return segs


def is_name(line: str) -> bool:
    """A person's name: 2-6 capitalised words ("Trương Thị Mai")."""
    words = line.split()
    return 2 <= len(words) <= 6 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def find_blocks(segs: list[Seg], first: int) -> tuple[Block | None, list[Block], CertifiedCopy | None]:
    """(main signature block, all closing blocks, certified copy) after ``segs[first]``."""
    copy_at, copy = _find_copy(segs, first)
    limit = len(segs) if copy_at is None else copy_at
    blocks = _closing_blocks(segs, first, limit)
    labeled = [b for b in blocks if b.labeled]
    signed = [b for b in labeled if b.signer]
    main = (signed or labeled or blocks[-1:] or [None])[0]
    if copy_at is not None:
        blocks.append(Block(segs[copy_at].start, segs[-1].end))
    return main, blocks, copy


def _closing_blocks(segs: list[Seg], first: int, limit: int) -> list[Block]:
    blocks: list[Block] = []
    j = first
    while j < limit:
        text = segs[j].text
        if _LABEL.match(text) or (_CAPACITY.match(text) and is_caps(_split_name(text)[0])):
            block, j = _scan(segs, j, limit, open_list=False)
            blocks += [block] if block.items or block.capacity or block.signer else []
        else:
            j += 1
    if not any(b.labeled for b in blocks):
        start = _unlabeled_start(segs, first, limit)
        if start is not None:
            blocks.append(_scan(segs, start, limit, open_list=True)[0])
    return blocks


def _scan(segs: list[Seg], i: int, limit: int, open_list: bool) -> tuple[Block, int]:
    """Read a closing block from ``segs[i]``; returns it and the index after it."""
    block = Block(segs[i].start, segs[i].end)
    state = {"list": open_list, "closed": False, "cont": 0}
    j = i
    while j < limit:
        text = segs[j].text
        if not _SKIP.match(text):
            if not _absorb(block, text, state):
                break
            block.end = segs[j].end
        j += 1
    block.items = _clean_items(block.items)
    return block, max(j, i + 1)


def _absorb(block: Block, text: str, state: dict[str, int]) -> bool:
    """Add one line to the block; False when the line is not part of it."""
    if label := _LABEL.match(text):
        block.labeled, state["list"], state["closed"] = True, True, False
        return not label.group("rest") or _absorb(block, label.group("rest"), state)
    if state["closed"]:
        return False
    if _ITEM.match(text) and state["list"]:
        item, fragment = _split_capacity(text)
        block.items.append(item)
        block.capacity += [fragment] if fragment else []
        state["cont"], state["fragment"] = 0, fragment is not None
        return True
    if _CAPACITY.match(text) or (_position_line(_split_name(text)[0]) and (block.capacity or block.labeled)):
        _add_capacity(block, text, state)
        return True
    if is_name(text) and (block.capacity or block.items):
        block.signer, state["closed"] = text, True
        return True
    if state["list"] and block.items and state["cont"] < 3 and len(text) <= 100 and block.items[-1][-1:] != ".":
        block.items[-1] += " " + text
        state["cont"] += 1
        return True
    return False


def _add_capacity(block: Block, text: str, state: dict[str, int]) -> None:
    """A capacity line ("T/M BAN BÍ THƯ", "PHÓ TRƯỞNG BAN"), maybe ending in the signer's name."""
    capacity, name = _split_name(text)
    joins = state.get("fragment") or (block.capacity and _CAPACITY.fullmatch(block.capacity[-1]))
    if block.capacity and joins and not _CAPACITY.match(capacity):
        block.capacity[-1] += " " + capacity
    else:
        block.capacity.append(capacity)
    block.signer, state["closed"], state["fragment"] = name, name is not None, False


def _split_name(text: str) -> tuple[str, str | None]:
    """"KT. BỘ TRƯỞNG THỨ TRƯỞNG Bùi Hồng Lĩnh" -> ("KT. BỘ TRƯỞNG THỨ TRƯỞNG", "Bùi Hồng Lĩnh")."""
    words = text.split()
    for k in range(1, len(words) - 1):
        if is_caps(" ".join(words[:k])) and is_name(" ".join(words[k:])):
            return " ".join(words[:k]), " ".join(words[k:])
    return text, None


def _split_capacity(item: str) -> tuple[str, str | None]:
    """"- Ban Bí thư (để báo cáo), PHÓ" -> ("- Ban Bí thư (để báo cáo),", "PHÓ") (two columns on one line)."""
    words = item.split()
    k = len(words)
    while k > 1 and words[k - 1] in _CAP_WORDS:
        k -= 1
    if k == len(words) or not words[k - 1].endswith((",", ";", ")")):
        return item, None
    return " ".join(words[:k]), " ".join(words[k:])


def _clean_items(raw: list[str]) -> list[str]:
    """Recipient items without dashes and end punctuation; wrapped items joined."""
    items: list[str] = []
    for line in raw:
        for piece in _INLINE_ITEM.split(line):
            item = piece.strip().lstrip("-+•").strip().rstrip(",;.").strip()
            if items and item[:1].islower():
                items[-1] = f"{items[-1]}, {item}"
            elif item:
                items.append(item)
    return items


def _unlabeled_start(segs: list[Seg], first: int, limit: int) -> int | None:
    """Start of a recipients list without "Nơi nhận:" that ends in "- Lưu ..."."""
    low = max(first, limit - TAIL_LINES)
    luu = next((j for j in range(limit - 1, low - 1, -1) if _LUU.match(segs[j].text) and len(segs[j].text) <= 80), None)
    if luu is None:
        return None
    j = luu
    while j - 1 >= low and _list_line(segs[j - 1].text):
        j -= 1
    while j < luu and not _ITEM.match(segs[j].text):
        j += 1
    return j if j < luu else None


def _list_line(text: str) -> bool:
    """A recipients item, or the wrapped end of one ("Ban Chấp hành Trung ương,")."""
    if _ITEM.match(text):
        return len(text) <= 120 and not text.endswith(".")
    return len(text) <= 80 and text.endswith((",", ";"))


def _find_copy(segs: list[Seg], first: int) -> tuple[int | None, CertifiedCopy | None]:
    """A SAO Y / SAO LỤC / TRÍCH SAO block at the end: its first index and its data."""
    tail = range(len(segs) - 1, max(first, len(segs) - TAIL_LINES) - 1, -1)
    kind_at = next((j for j in tail if _COPY_KIND.match(segs[j].text)), None)
    number_at = next((j for j in tail if _COPY_NUMBER.search(segs[j].text)), None)
    anchors = [j for j in (kind_at, number_at) if j is not None]
    if not anchors:
        return None, None
    start = min(anchors)
    while start - 1 >= first and min(anchors) - start < 3 and _organ_line(segs[start - 1].text):
        start -= 1
    number = _COPY_NUMBER.search(segs[number_at].text) if number_at is not None else None
    kind = _COPY_KIND.match(segs[kind_at].text).group(1) if kind_at is not None else None
    date = DATE_LINE.search("\n".join(s.text for s in segs[start:]))
    place, iso, _ = date_fields(date)
    names = [s.text for s in segs[start:] if is_name(s.text)]
    return start, CertifiedCopy(
        number=normalize_number(number.group("num")) if number else None,
        issuer=organ_name(s.text for s in segs[start : min(anchors)])[1],
        date=iso,
        kind=kind or COPY_CODES[(number.group("c1") or number.group("c2"))],
        signer=names[-1] if names else None,
        place=place,
    )


def _position_line(text: str) -> bool:
    """A signer's position in capitals ("PHÓ TRƯỞNG BAN", "TỔNG BÍ THƯ")."""
    return _organ_line(text) and _POSITION_WORD.search(text) is not None


def _organ_line(text: str) -> bool:
    return is_caps(text) and len(text) <= 60 and not re.search(r"\d", text) and not _CAPACITY.match(text)
