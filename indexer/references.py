"""Numbers, dates, names and citations in Vietnamese official documents.

Party numbers look like "54-KL/TW" or "38-HD/BTCTW" (number, type code, issuer
code); state numbers like "15/2023/NĐ-CP", "45/2019/QH14" or "1040/LĐTBXH-NCC".
Organ names written in capitals in headers ("BAN TỔ CHỨC") are given back in
their usual spelling ("Ban Tổ chức"). Everything here is plain rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from indexer.models import Reference
from indexer.readers.textlayer import is_syllable

# Document types, longest first so that "Thông báo kết luận" wins over "Thông báo".
DOC_TYPES = (
    "Thông báo kết luận", "Thông tư liên tịch", "Nghị quyết liên tịch", "Kết luận", "Thông báo",
    "Quy định", "Quyết định", "Hướng dẫn", "Chỉ thị", "Nghị quyết", "Kế hoạch", "Báo cáo",
    "Công văn", "Công điện", "Tờ trình", "Quy chế", "Chương trình", "Đề án", "Nghị định",
    "Thông tư", "Pháp lệnh", "Hiến pháp", "Điều lệ", "Thông tri", "Luật", "Lệnh", "Văn bản hợp nhất",
)
TYPE_CODES = {
    "KL": "Kết luận", "TB": "Thông báo", "QĐ": "Quyết định", "HD": "Hướng dẫn", "CT": "Chỉ thị",
    "NQ": "Nghị quyết", "KH": "Kế hoạch", "BC": "Báo cáo", "CV": "Công văn", "TTr": "Tờ trình",
    "QĐi": "Quy định", "QC": "Quy chế", "CTr": "Chương trình", "ĐA": "Đề án", "NĐ": "Nghị định", "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch", "PL": "Pháp lệnh", "CĐ": "Công điện", "VBHN": "Văn bản hợp nhất",
}
_PARTY_CODES = {"TT": "Thông tri"}  # in "06-TT/TW"; in state numbers "TT" is a Thông tư
COPY_CODES = {"SY": "SAO Y", "SL": "SAO LỤC", "TS": "TRÍCH SAO"}

_DASH = "-–—‐"
_CODE = r"[A-ZĐ][A-Za-zĐ&]*"
_PARTY = rf"\d{{1,5}}[ ]{{0,2}}[{_DASH}][ ]{{0,2}}{_CODE}[ ]{{0,2}}/[ ]{{0,2}}[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*"
_JOIN = "[ ]?-[ ]?"
_SERIAL = r"\d{1,5}(?:\.\d{1,2})?[ ]?"  # "66.3/2025/NQ-CP", "254 /TB-PCTT"
_STATE = rf"{_SERIAL}/(?:\d{{4}}/{_CODE}[0-9]*(?:{_JOIN}{_CODE}[0-9]*)*|{_CODE}(?:{_JOIN}{_CODE}[0-9]*)+)"
NUMBER = rf"(?<![\w/.-])(?:{_PARTY}|{_STATE})(?![\w/])"
NUMBER_RE = re.compile(NUMBER)

_NUM_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_WORD_DATE = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
_LAW_NAME = r"(?<=Luật)(?:\s+[^\s;.\d]+){1,8}?(?=\s+số)"  # "Luật Lưu trữ số 33/2024/QH15"
_TYPE_WORDS = "|".join(r"\s+".join(t.split()) for t in DOC_TYPES)
_REFERENCE = re.compile(
    rf"(?:(?P<type>(?i:{_TYPE_WORDS}))(?:{_LAW_NAME})?\s+(?:(?i:số)\s*:?\s*)?)?(?P<num>{NUMBER})"
    rf"(?:\s*,?\s*ngày\s+(?:{_NUM_DATE}|{_WORD_DATE}))?"
)


def normalize_number(raw: str) -> str:
    """"38 - HD/BTCTW" -> "38-HD/BTCTW"; en dashes become hyphens."""
    out = re.sub(rf"[{_DASH}]", "-", raw)
    return re.sub(r"\s+", "", out)


def type_code(number: str) -> str | None:
    """The type code of a number: "KL" in "54-KL/TW", "NĐ" in "15/2023/NĐ-CP", "QĐ" in "1351/QĐ-UBND" (without a
    year, only a known code: "895/LĐTBXH-NCC" starts with its issuer)."""
    number = normalize_number(number)
    party = re.match(r"\d+-([^/]+)/", number)
    if party:
        return party.group(1)
    state = re.match(r"\d+/\d{4}/([A-Za-zĐ]+)-", number)
    if state:
        return state.group(1)
    bare = re.match(r"\d+/([A-Za-zĐ]+)-", number)
    return bare.group(1) if bare and bare.group(1) in TYPE_CODES else None


def type_from_code(code: str | None, party: bool = True) -> str | None:
    """"KL" -> "Kết luận"; ``party`` says the code comes from a Party number ("06-TT/TW")."""
    return (_PARTY_CODES.get(code or "") if party else None) or TYPE_CODES.get(code or "")


def iso_date(day: str | None, month: str | None, year: str | None) -> str | None:
    """ISO date from its parts, or None if a part is missing or invalid."""
    try:
        return date(int(year or ""), int(month or ""), int(day or "")).isoformat()
    except ValueError:
        return None


def canonical_type(words: str) -> str:
    """"hướng\\ndẫn" -> "Hướng dẫn": the DOC_TYPES spelling of a matched type."""
    key = " ".join(words.split()).lower()
    return next((t for t in DOC_TYPES if t.lower() == key), key.capitalize())


def extract_references(text: str) -> tuple[Reference, ...]:
    """Documents cited in ``text``, first occurrence of each number first."""
    return dedupe_references(iter_references(text, 0, len(text)))


def dedupe_references(refs: Iterable[Reference]) -> tuple[Reference, ...]:
    """One reference per number: the first occurrence, with a missing type or date
    filled from a later occurrence of the same number."""
    found: dict[str, Reference] = {}
    for ref in refs:
        old = found.get(ref.number)
        if old is None:
            found[ref.number] = ref
        elif (old.date is None and ref.date) or (old.doc_type is None and ref.doc_type):
            found[ref.number] = Reference(
                old.number, old.doc_type or ref.doc_type, old.date or ref.date, old.start, old.end
            )
    return tuple(found.values())


def iter_references(text: str, start: int, end: int) -> Iterator[Reference]:
    """Every citation of a numbered document in ``text[start:end]`` (absolute offsets)."""
    for m in _REFERENCE.finditer(text, start, end):
        number = normalize_number(m.group("num"))
        party = "/" not in number.split("-")[0]
        doc_type = canonical_type(m.group("type")) if m.group("type") else type_from_code(type_code(number), party)
        groups = m.groups()[2:]
        day, month, year = groups[0:3] if groups[0] else groups[3:6]
        yield Reference(number, doc_type, iso_date(day, month, year), m.start(), m.end())


# --- dates and places -------------------------------------------------------

DATE_LINE = re.compile(
    r"(?:(?P<pre>[^\n|,]*),[ ]*|(?m:^)[ *_]*)"
    r"(?P<ngay>ngày)\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d(?:\s?\d)?)[\s.…_]*năm\s*(?P<y>\d{4})"
)


def date_fields(m: re.Match[str] | None) -> tuple[str | None, str | None, str | None]:
    """(place, date, date_approx) from a DATE_LINE match ("Hà Nội, ngày 09 tháng 5 năm 2023")."""
    if not m:
        return None, None, None
    month, year = m.group("m").replace(" ", ""), m.group("y")
    full = iso_date(m.group("d"), month, year)
    approx = None if full or not 1 <= int(month) <= 12 else f"{year}-{int(month):02d}"
    return _place(m.group("pre") or ""), full, approx


def _place(prefix: str) -> str | None:
    """The capitalised words just before ", ngày" ("Số 06-HD/TW Hà Nội, " -> "Hà Nội")."""
    words: list[str] = []
    for token in reversed(re.sub(r"[*_,]", " ", prefix).split()):
        if not (token[0].isupper() and (token[1:].islower() or token.endswith(".") or len(token) == 1)):
            break
        words.insert(0, token)
    return " ".join(words) or None


# --- names written in capitals ------------------------------------------------

_PROPER = (
    "Ban Chấp hành Trung ương", "Đảng Cộng sản Việt Nam", "Mặt trận Tổ quốc", "Điều lệ Đảng",
    "Bộ Chính trị", "Ban Bí thư", "Tổng Bí thư", "Ủy ban Kiểm tra", "Trung ương", "Việt Nam",
    "Hồ Chí Minh", "Quốc hội", "Chính phủ", "Thủ tướng", "Huy hiệu Đảng", "Đại hội",
)
_PROPER_RE = [(re.compile(rf"(?<!\w){re.escape(p.lower())}(?!\w)"), p) for p in _PROPER]
_PARTY = re.compile(
    r"(?<!\w)(?<!chức )(?<!sự )(?<!cấp )(?<!ban )(?<!các )đảng(?!\w)(?! (?:ủy|viên|bộ|đoàn|phí|vụ)(?!\w))"
)
_CITED_TYPE = re.compile(rf"(?<!\w)({'|'.join(t.lower() for t in DOC_TYPES)}) số(?!\w)")
ROMAN = re.compile(r"^[IVXLC]+$")  # a Roman numeral in capitals ("XIII", "IV")
_NAME_AFTER = {"ban", "bộ", "sở", "cục", "vụ", "viện", "và", "-", "–"}
_NOT_NAME = {"cán", "nhân", "chỉ"}
_PLACE_AFTER = {"tỉnh", "phố", "huyện", "quận", "xã", "phường"}
_MOTTOS = re.compile(
    r"ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐỘC LẬP\s*-\s*TỰ DO\s*-\s*HẠNH PHÚC|[-–—_=*]{2,}"
)
_CHILD = re.compile(r"(?<!ỦY )(?<!\w)BAN (?!CHẤP HÀNH|CÁN SỰ)|(?<!\w)VĂN PHÒNG(?!\w)|(?<!\w)ỦY BAN KIỂM TRA(?!\w)")
_CENTRAL = re.compile(r"^BAN CHẤP HÀNH TRUNG ƯƠNG(?: ĐẢNG)?$")


def is_caps(line: str) -> bool:
    """Written in capitals: has letters and no lower-case letter."""
    return any(c.isalpha() for c in line) and not any(c.islower() for c in line)


def organ_name(lines: Iterable[str]) -> tuple[str | None, str | None]:
    """(parent organ, full name) from the header's organ lines.

    ["BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC"] -> ("Trung ương", "Ban Tổ chức Trung ương");
    ["THÀNH ỦY HÀ NỘI", "BAN TỔ CHỨC"] -> ("Thành ủy Hà Nội", "Ban Tổ chức Thành ủy Hà Nội").
    """
    caps = [ln for ln in lines if is_caps(ln) and not re.search(r"[\d:]", ln)]
    joined = _unspaced(" ".join(_MOTTOS.sub(" ", " ".join(caps)).split()))
    if not joined:
        return None, None
    m = _CHILD.search(joined, 1)
    if not m:
        name = case_organ(joined)
        return name, name
    parent, child = joined[: m.start()].strip(), joined[m.start() :]
    if _CENTRAL.match(parent):
        full = "Văn phòng Trung ương Đảng" if child == "VĂN PHÒNG" else f"{case_organ(child)} Trung ương"
        return "Trung ương", full
    return case_organ(parent), f"{case_organ(child)} {case_organ(parent)}"


_SPACED = re.compile(r"(?<![^\W\d_])([BCDĐGHKLMNPQRSTVX]) (?=([^\W\d_]+))")


def _unspaced(caps: str) -> str:
    """A header's letter-spaced syllables joined: "B Ộ LAO ĐỘNG - THƯƠNG BINH V À X Ã HỘI" -> "BỘ LAO ĐỘNG -
    THƯƠNG BINH VÀ XÃ HỘI" (a lone consonant, never a word, before a piece it completes into a syllable)."""
    return _SPACED.sub(lambda m: m.group(1) if is_syllable(m.group(1) + m.group(2)) else m.group(0), caps)


def case_organ(caps: str) -> str:
    """"BỘ LAO ĐỘNG-THƯƠNG BINH VÀ XÃ HỘI" -> "Bộ Lao động-Thương binh và Xã hội"."""
    originals = caps.split()
    words = caps.lower().split()
    out: list[str] = []
    place = False
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        place = place or _starts_place(words, i)
        upper = i == 0 or place or (prev in _NAME_AFTER and word not in _NOT_NAME)
        word = "-".join(p.capitalize() if j else p for j, p in enumerate(word.split("-")))
        if _abbreviation(originals[i]):  # "UBND", "HĐND", "MTTQ": kept as written
            out.append(originals[i])
            continue
        out.append(_roman(originals[i], prev) or (word[:1].upper() + word[1:] if upper else word))
    return _proper(" ".join(out))


def _abbreviation(token: str) -> bool:
    """Capitals that can be no Vietnamese syllable, each piece between hyphens ("UBND", "HĐND", "GD-ĐT")."""
    pieces = ["".join(ch for ch in piece if ch.isalpha()) for piece in token.split("-")]
    return all(len(p) >= 2 and p.isupper() and not is_syllable(p) for p in pieces)


def _starts_place(words: list[str], i: int) -> bool:
    """Whether words[i] begins a place name: "bắc" in "tỉnh ủy bắc kạn" or "tỉnh bắc ninh"."""
    prev = words[i - 1] if i else ""
    if prev == "ủy":
        return i >= 2 and words[i - 2] in {"tỉnh", "thành", "huyện", "quận", "thị"}
    return prev in _PLACE_AFTER and words[i] not in {"ủy", "hội"}


def sentence_case(caps: str) -> str:
    """A title written in capitals, in sentence case with the usual proper names."""
    originals = caps.split()
    words = []
    for word in originals:
        prev = words[-1] if words else ""
        keep = any(c.isdigit() or c == "/" for c in word) or _roman(word, prev) or _abbreviation(word.strip(",.;:()"))
        words.append(word if keep else word.lower())
    text = _CITED_TYPE.sub(lambda m: m.group(0).capitalize(), _proper(" ".join(words)))
    return text[:1].upper() + text[1:]


def _roman(word: str, prev: str) -> str | None:
    return word if ROMAN.match(word) and prev.lower() in {"thứ", "khóa", "khoá"} else None


def _proper(text: str) -> str:
    for pattern, proper in _PROPER_RE:
        text = pattern.sub(proper, text)
    return _PARTY.sub("Đảng", text)
