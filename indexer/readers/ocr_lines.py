"""Tesseract's word table turned into page lines: words grouped by line, two-column lines split at
wide gaps, paragraph starts from Tesseract's paragraphs, document numbers split at a hyphen rejoined,
misread diacritics repaired from their neighbours (``ocr_words``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from indexer.readers.ocr_clean import Geometry
from indexer.readers.ocr_words import repair_tones
from indexer.readers.textlayer import is_syllable
from indexer.references import DOC_TYPES
from indexer.vntext import fold

Word = tuple[str, int, int, int, int, float, int]  # text, left, top, width, height, confidence, line index
COLUMN_GAP = 0.025 # a gap wider than this share of the page splits a line (two-column headers)



@dataclass(frozen=True)
class OcrPage:
    """One recognised page: lines (with paragraph starts), words with boxes, mean confidence (0-100)."""

    lines: tuple[str, ...]
    starts: tuple[bool | None, ...]
    words: tuple[Word, ...]
    confidence: float
    geometry: Geometry
    size: tuple[int, int]

def word_rows(data: dict[str, list]) -> list[tuple[tuple[int, int, int], Word]]:
    rows = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        if conf < 40 and not any(ch.isalnum() for ch in text):
            continue  # specks, rules and stamp edges read as punctuation
        box = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        rows.append((key, (text, *box, conf, 0)))
    return rows


def build_lines(
    rows: list[tuple[tuple[int, int, int], Word]], width: int
) -> tuple[list[str], list[bool | None], list[Word]]:
    """Words grouped into lines (split at wide gaps); a paragraph's first line starts it, blocks end with a blank."""
    lines: list[str] = []
    starts: list[bool | None] = []
    words: list[Word] = []
    prev_key: tuple[int, int, int] | None = None
    current: list[Word] = []

    def flush(first: bool) -> None:
        top = len(lines) < HEADER_LINES
        found = [number_cell(p) or p if top else p for p in _split_at_gaps(current, width)]
        pieces = [blank_unsure_fields(p) if top else p for p in found if not is_junk(p)]
        for n, read in enumerate(pieces):
            piece = [(text, *w[1:]) for text, w in zip(repair_tones([w[0] for w in read]), read, strict=True)]
            for w in piece:
                words.append((*w[:6], len(lines)))
            lines.append(fix_line(join_words([w[0] for w in piece])))
            starts.append(True if ((first and lines[:-1]) or n) else None)  # a page's first line may continue

    first = True
    for key, word in rows:
        if prev_key is not None and key != prev_key:
            flush(first)
            first = key[:2] != prev_key[:2]
            if key[0] != prev_key[0]:
                lines.append("")
                starts.append(None)
            current = []
        current.append(word)
        prev_key = key
    if current:
        flush(first)
    return lines, starts, words


_NUMBER_HEAD = re.compile(r"\d-$")
_NUMBER_TAIL = re.compile(r"^[A-ZĐ]{1,6}(?:-[A-ZĐ]{1,6})?/")


def join_words(words: list[str]) -> str:
    """Words of a line joined by spaces, except inside a document number split at its hyphen ("54- KL/TW")."""
    out = ""
    for word in words:
        glue = "" if out and _NUMBER_HEAD.search(out) and _NUMBER_TAIL.match(word) else " "
        out = f"{out}{glue}{word}" if out else word
    return out


def _plausible(word: str) -> bool:
    core = word.strip(".,;:!?\"'“”‘’()[]«»-–—…")
    if not core:
        return False
    if any(ch.isdigit() for ch in core) or (core.isupper() and len(core) <= 8):
        return True
    return all(is_syllable(part) for part in re.findall(r"[^\W\d_]+", core)) and core[:1].isalnum()


def is_junk(piece: list[Word]) -> bool:
    """A line piece that is stamp, signature or speck noise: unsure words, few of them real."""
    conf = sum(w[5] for w in piece) / len(piece)
    real = sum(_plausible(w[0]) for w in piece) / len(piece)
    return (conf < 60 and real < 0.5) or (conf < 35 and real < 0.8)


_CROSSED_NUMBER = re.compile(r"S[ốôóồổ6ẽễ5][:.\-]?(?P<number>[\w.]*)/(?P<code>[A-ZĐ][\wĐđ]*(?:-[\wĐđ]+)+)$")


def number_cell(piece: list[Word]) -> list[Word] | None:
    """The number cell of a header crossed by a stamp's frame ("“——————S6-437/TB-VPCP", confidence 0): kept as
    "Số:" and the number with its confidence, so the code survives and an unsure number is blanked, not guessed."""
    if len(piece) != 1 or piece[0][5] >= 60:
        return None
    found = _CROSSED_NUMBER.search(piece[0][0])
    if not found:
        return None
    word = piece[0]
    return [("Số:", *word[1:]), (f"{found.group('number')}/{found.group('code')}", *word[1:])]


HEADER_LINES = 15  # the number and date cells of a header sit in the first lines of a page
SURE = 75.0  # a handwritten number or day read with less confidence than this is left blank, never guessed
_DAY = re.compile(r"^\d{1,2}$")
_NUMBER_PART = re.compile(r"^\d{1,5}[a-z]?(?:[.]\d{1,4})?-?$")


def blank_unsure_fields(piece: list[Word]) -> list[Word]:
    """The day after "ngày" and the number after "Số" are often handwritten: keep them only when read surely.

    An unsure day becomes "…" (the date keeps its month and year); an unsure number is dropped
    ("Số: /CT-UBND"), so the header never carries a wrong number or date.
    """
    out = list(piece)
    texts = [unicodedata.normalize("NFC", w[0]) for w in piece]
    for i, text in enumerate(texts):
        after_place = i > 0 and texts[i - 1].endswith(",")  # "Hà Nội, ngày ..." (not "Luật ... ngày 16 ...")
        if after_place and text.startswith("ngày") and any(t.startswith("th") for t in texts[i + 1:i + 4]):
            day = i if len(text) > 4 else i + 1
            value = texts[day][4:] if day == i else texts[day]
            if day < len(out) and not texts[day].startswith("th") and not (_DAY.match(value) and out[day][5] >= SURE):
                out[day] = ("ngày …" if day == i else "…", *out[day][1:])
        if i == 0 and re.match(r"^S[ốôóồổắ]", text):
            out = _blank_number(out, texts)
    return out


def _blank_number(out: list[Word], texts: list[str]) -> list[Word]:
    slash = next((j for j, t in enumerate(texts[:4]) if "/" in t), None)
    if slash is None:
        return out
    for j in range(0, slash + 1):
        head = texts[j] if j else re.sub(r"^S[ốôóồổắ][.'’,;:]*", "", texts[j])
        before = head.split("/", 1)[0] if j == slash else head
        part = re.sub(r"-?[A-ZĐ][A-ZĐa-z]*$", "", before)  # "54-KL" -> "54": the Party type code stays
        if part and not (_NUMBER_PART.match(part) and out[j][5] >= SURE):
            kept = ("Số:" if j == 0 else "") + head[len(part):]
            out[j] = (kept, *out[j][1:])
    return [w for w in out if w[0]]


# A header's type line ("THÔNG BÁO") is one of a closed set: a capitalised line whose letters are a type's, diacritics
# aside ("THÔNG BẢO"), is that type.
_TYPE_LINES = {fold(t): t.upper() for t in DOC_TYPES}
_SO = re.compile(r"^S[ốôóồổ]\s*[.'’,;:]*\s*(?=\S*\s*/)")
_LOOKALIKES = str.maketrans({"Ð": "Đ", "ð": "đ", "ı": "i"})  # Icelandic eth, dotless i: never Vietnamese
_DOUBLED_D = re.compile(r"Đ{2,}")  # one wide "Đ" read as two ("QĐĐ/TW"); no Vietnamese word doubles it
_SPACED_NUMBER = re.compile(r"^(Số:\s*\d[\w.-]*)\s+/(?=[A-ZĐ])")
_GLUED_DAY = re.compile(r"\bngày(?=\d)")
_MONTH = re.compile(r"(ngày\s*\S{0,4}\s*)th[aáắẳạảãằặ]ng(?=\s*\d{1,2}\s*n[aăâ]m\s*\d{4})")
_G_MARKER = re.compile(r"^[øØ]\)(?=\s)")  # the list marker "g)" read as "ø)"


def fix_line(line: str) -> str:
    """Repair what OCR typically breaks in header fields ("Số." -> "Số:", "ngày30", "thắng 10") and the list
    marker "g)" read as "ø)"."""
    line = _DOUBLED_D.sub("Đ", unicodedata.normalize("NFC", line).translate(_LOOKALIKES))
    line = _SO.sub("Số: ", line)
    line = _SPACED_NUMBER.sub(r"\1/", line)
    line = _GLUED_DAY.sub("ngày ", line)
    line = _MONTH.sub(r"\1tháng", line)
    line = _G_MARKER.sub("g)", line)
    return _TYPE_LINES.get(fold(line.strip()), line) if line.strip().isupper() else line


def _split_at_gaps(line: list[Word], width: int) -> list[list[Word]]:
    pieces: list[list[Word]] = [[]]
    for word in line:
        if pieces[-1]:
            last = pieces[-1][-1]
            if word[1] - (last[1] + last[3]) > COLUMN_GAP * width:
                pieces.append([])
        pieces[-1].append(word)
    return [p for p in pieces if p]
