"""Citations and their verification against the normalised document text.

A citation is shown only if ``doc.text[start:end] == quote``; anything else is
dropped before an answer leaves the assistant.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from assistant.qa.named import type_names
from indexer.models import Chunk, Document
from indexer.outline import classify
from indexer.references import ROMAN
from indexer.vntext import fold

SEP = " › "
REFUSAL = "Không tìm thấy nội dung này trong các văn bản đã nạp."
NEAREST_NOTE = "Các đoạn gần nhất (chỉ để tham khảo, không phải câu trả lời) được liệt kê bên dưới."
PARTIAL = "Chưa đủ căn cứ để trả lời: các văn bản đã nạp chỉ có thông tin liên quan một phần."
PARTIAL_NOTE = "Các đoạn dưới đây có thể liên quan (không phải câu trả lời), xin đọc kỹ văn bản gốc."


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    date: str | None
    title: str | None
    section: str  # as a reader cites it: "Mục 3.b, ý Ban Tuyên giáo Trung ương"
    path: str  # the full outline path of the chunk
    page: int | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    refused: bool
    mode: str  # "extractive" | "llm"
    citations: tuple[Citation, ...] = ()
    nearest: tuple[Citation, ...] = ()  # shown with a refusal, labelled as such
    notes: tuple[str, ...] = ()
    standalone: str = ""  # the question as rewritten for retrieval
    partial: bool = False  # refused on partial evidence: ``nearest`` are shown as possibly relevant


def cite(n: int, doc: Document, chunk: Chunk | None, start: int, end: int) -> Citation:
    """A citation of ``doc.text[start:end]`` (trimmed of edge spaces)."""
    while start < end and doc.text[start].isspace():
        start += 1
    while end > start and doc.text[end - 1].isspace():
        end -= 1
    meta = doc.meta
    path = chunk.section if chunk else _path_at(doc, start)
    if chunk:
        path = _own_row(chunk.section, doc.text[start:end])
    return Citation(
        n=n, chunk_id=chunk.chunk_id if chunk else f"{doc.doc_id}-meta", doc_id=doc.doc_id,
        doc_number=meta.doc_number, doc_type=meta.doc_type, issuer=meta.issuer,
        date=meta.date or meta.date_approx, title=meta.title, section=reader_section(path), path=path,
        page=doc.page_at(start), quote=doc.text[start:end], start=start, end=end,
    )


HEADER_SECTION = "Phần đầu văn bản"


_ROWS = re.compile(r"STT [\w.]+–[\w.]+$")  # a passage of sibling table rows ("… › STT 17–18")


def _own_row(section: str, quote: str) -> str:
    """A passage's path, with "STT 17–18" narrowed to the number of the one row quoted from it ("STT 18")."""
    if not _ROWS.search(section) or "\n" in quote:
        return section
    kind, marker, _ = classify(quote)
    return f"{section.rpartition(' ')[0]} {marker.rstrip('.)')}" if kind == "row" and marker else section


def _path_at(doc: Document, pos: int) -> str:
    """The outline path of the deepest section holding ``pos`` (a value quoted from the text, no passage at hand:
    the signature, an article on effect or on replaced documents); the header is "Phần đầu văn bản"."""
    from indexer.chunker import section_path
    from indexer.outline import parse_outline

    if pos < doc.body[0]:
        return HEADER_SECTION
    nodes = parse_outline(doc)
    inside = [i for i, n in enumerate(nodes) if n.start <= pos < n.end]
    return section_path(nodes, inside[-1]) if inside else HEADER_SECTION


def refusal(question: str, standalone: str, nearest: tuple[Citation, ...] = (), mode: str = "extractive",
            notes: tuple[str, ...] = (), reason: str = "") -> Answer:
    """The one refusal: the fixed text, an optional reason, and verified nearest passages shown as such."""
    text = REFUSAL + (f" ({reason})" if reason else "") + (f"\n{NEAREST_NOTE}" if nearest else "")
    return Answer(question, text, True, mode, nearest=nearest, notes=notes, standalone=standalone)


def partial_answer(question: str, standalone: str, nearest: tuple[Citation, ...]) -> Answer:
    """Not an answer: some evidence, too little to answer from; the best passages labelled as possibly relevant."""
    return Answer(question, f"{PARTIAL}\n{PARTIAL_NOTE}", True, "extractive", nearest=nearest, standalone=standalone,
                  partial=True)


def verify(citations: Iterable[Citation], docs: Mapping[str, Document]) -> tuple[Citation, ...]:
    """Only the citations whose quote is exactly the source text at their offsets."""
    good = []
    for c in citations:
        doc = docs.get(c.doc_id)
        if doc is not None and c.quote and 0 <= c.start < c.end <= len(doc.text) and doc.text[c.start:c.end] == c.quote:
            good.append(c)
    return tuple(good)


def renumber(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(replace(c, n=i) for i, c in enumerate(citations, 1))


_CHAIN = re.compile(r"^(?:[IVXLC]+\.|\d+(?:\.\d+)*\.?|[a-zđ]\)|\(\d+\)|\([a-zđ]\))(?:\s|$)")


def reader_section(path: str) -> str:
    """ "3. Nhiệm vụ thời gian tới › b) › Ban Tuyên giáo Trung ương › ý 2"
    -> "Mục 3.b, ý Ban Tuyên giáo Trung ương, ý 2" ."""
    head: list[str] = []
    chain: list[str] = []
    rest: list[str] = []
    for label in path.split(SEP):
        m = _CHAIN.match(label)
        if m and not rest:
            mark = m.group(0).strip().strip("().")
            if chain and mark.startswith(chain[-1] + "."):
                chain[-1] = mark
            else:
                chain.append(mark)
        elif _PART.match(label) and not chain and not rest:
            head.append(_part_label(label))
        elif label.startswith("STT ") and rest and label.startswith(rest[-1] + "."):
            rest[-1] = label  # "STT 1 › STT 1.1": the row's own number says where it is
        elif label.startswith(("Điều ", "khoản ", "điểm ", "Chương ", "Phần ", "Mục ", "STT ", "dòng ")):
            rest.append(label.split(". ")[0])
        elif label.startswith(("ý ", "đoạn ", "Phần kết", "Phần mở đầu", "Phần đầu", "Phần ký", "Phần sao")):
            rest.append(label)
        elif label:
            rest.append(f"ý {label}" if len(label) <= 60 else label[:60] + "…")
    chained = f"Mục {'.'.join(chain)}" if chain else ""
    return ", ".join(x for x in [*head, chained, *rest] if x)


_PART = re.compile(r"^(?:PHẦN|Phần|CHƯƠNG|Chương)\s+\S+|^(?:PHỤ LỤC|Phụ lục)\b")
def _part_label(label: str) -> str:
    """ "CHƯƠNG III" -> "Chương III", "PHẦN THỨ HAI" -> "Phần thứ hai": sentence case, Roman numerals kept."""
    first, *rest = label.split(". ")[0].split()
    return " ".join([first.capitalize(), *(w if ROMAN.match(w.rstrip(".:")) else w.lower() for w in rest)])


def describe(kind: str | None, number: str | None, date: str | None, issuer: str | None, fallback: str,
             full: bool = True, title: str | None = None) -> str:
    """A document as a reader names it: "Hướng dẫn số 38-HD/BTCTW ngày 29/9/2025 của Ban Tổ chức Trung ương";
    not ``full``, a numbered document is just "Kết luận số 54-KL/TW"; a type that is part of a name has its
    title: "Điều lệ Đảng Cộng sản Việt Nam ngày 19/1/2011 của …"."""
    head = f"{kind or 'Văn bản'}{f' số {number}' if number else ''}"
    if title and not number and type_names(kind) and not fold(title).startswith(fold(kind or "")):
        head = f"{kind} {title}"
    if number and not full:
        return head
    if not (kind or number or date or issuer):
        return fallback
    when = "" if not date else f" ngày {vn_date(date)}" if len(date) == 10 else f" ({vn_date(date)})"
    return f"{head}{when}{f' của {issuer}' if issuer else ''}"


def doc_label(doc: Document) -> str:
    """ "Kết luận số 54-KL/TW", or without a number "Thông báo kết luận ngày 27/4/2018 của Ban Bí thư"."""
    meta = doc.meta
    fallback = meta.title or doc.path.rsplit("/", 1)[-1]
    return describe(meta.doc_type, meta.doc_number, meta.date, meta.issuer, fallback, full=False, title=meta.title)


def doc_heading(doc: Document) -> str:
    """The label followed by the date of issue in brackets, unless the label already holds it."""
    label, when = doc_label(doc), vn_date(doc.meta.date or doc.meta.date_approx)
    return f"{label} ({when})" if when and when not in label else label


def citation_label(c: Citation) -> str:
    """The full name of a citation's document (number, date and issuer)."""
    return describe(c.doc_type, c.doc_number, c.date, c.issuer, c.title or c.doc_id, title=c.title)


def vn_date(iso: str | None) -> str:
    """ "2023-05-09" -> "09/5/2023" (the way Party documents write dates)."""
    if not iso:
        return ""
    parts = iso.split("-")
    if len(parts) == 3:
        return f"{parts[2]}/{int(parts[1])}/{parts[0]}"
    if len(parts) == 2:
        return f"tháng {int(parts[1])}/{parts[0]}"
    return iso
