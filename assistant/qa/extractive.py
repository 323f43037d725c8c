"""Extractive answers: the most relevant sentences or list items, quoted verbatim.

Pure functions over hits; nothing here invents text (the one-sentence answers about a document itself are
``assistant.qa.values``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from assistant.qa.asked import asked_kind, holds_value, with_units
from assistant.qa.citations import Citation, cite, doc_heading
from assistant.qa.named import named_documents, specific, terms, title_index, title_words
from assistant.qa.query import analyze
from assistant.qa.retrieve import Hit
from indexer.chunker import table_header
from indexer.metadata import ENACTING_SENTENCE, first_article
from indexer.models import Document
from indexer.readers.tables import CELL_SEPARATOR
from indexer.vntext import fold

_STOP_WORDS = (
    "gì nào ai sao bao nhiêu như thế nào là có được của về theo cho và với các những một trong thì mà "
    "này đó ra việc phải cần hay hoặc khi nếu đã sẽ đang để do bị tại từ đến trên dưới nêu quy định "
    "hỏi biết xin cho tôi bạn hãy vậy ạ nhé không chưa thế nào yêu cầu gồm những đâu"
)
STOP = frozenset(fold(w) for w in _STOP_WORDS.split())
# How people talk when they ask (pronouns, greetings, particles, "bao lâu", "mấy", "nghe nói", "bây giờ"): words
# no directive uses, which would otherwise count against the passage that answers. Compared as written (lower
# case, with diacritics: folded, "chú" would be "chủ", "thấy" "thay", "thôi" "thời"); a question typed without
# diacritics is restored first.
_TALK_WORDS = (
    "lâu mấy muốn thấy nghe nói giờ bây rồi thôi chào kính thưa tui tớ mình em chị hở hả nhỉ nhé nha ấy đấy "
    "kìa rốt xưa nay khác nhau vâng dạ ơi"
)
TALK = frozenset(_TALK_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+|\d+")  # "TT101": "TT", "101"
_SENT = re.compile(r"(?<=[.;!?…])[\"”')]*\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9+-])|\n")
_MARKER = re.compile(r"^(?:[-+*•]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*[.)-]\s*|[IVX]+\.\s*)")

# Sentence scoring, tuned on tests/data/questions.jsonl and dev.jsonl (seeds and the five Party PDFs).
W_UNIGRAM, W_BIGRAM = 0.6, 0.4  # overlap: share of question terms, share of question bigrams
W_OWN, W_FRAMED, W_RETRIEVAL = 0.45, 0.3, 0.25  # sentence alone, sentence with its headings, the chunk's rank score
W_TYPED = 0.25  # a sentence holding the kind of value asked ("ngày nào": a date; "bao nhiêu trang": "N trang")
KEEP_SHARE = 0.6  # a sentence is quoted when it scores at least this share of the best one
SCAN_HITS = 6  # non-heading hits whose sentences compete
MIN_QUOTE_CHARS = 20  # shorter segments are not quoted
LEAD_IN_CHARS = 80  # a segment ending in ":" shorter than this only introduces what follows


def content_terms(text: str) -> set[str]:
    """Folded syllables of a text, question words and particles removed."""
    return {w for w in (fold(m) for m in _WORD.findall(text) if m.lower() not in TALK) if w not in STOP and len(w) > 1}


def bigrams(text: str) -> set[str]:
    words = [(fold(m), m.lower() in TALK) for m in _WORD.findall(text)]
    return {f"{a} {b}" for (a, ta), (b, tb) in pairwise(words) if not (ta or tb) and (a not in STOP or b not in STOP)}


@dataclass(frozen=True)
class Span:
    hit: Hit
    start: int  # absolute offsets in the document text
    end: int
    score: float


def sentences(hit: Hit) -> list[tuple[int, int]]:
    """Sentence (or list item) spans of a chunk, absolute, markers left out.

    In a chunk of several lines every line but the last is a heading carried
    with its first child: headings give context but are not quoted, unless a
    heading chunk says something itself ("3. Thực hiện … 35 tuần thực học (học kỳ I
    có 18 tuần …), cụ thể:", at least ``LEAD_IN_CHARS`` long).
    """
    text, base = hit.chunk.text, hit.chunk.start
    if hit.chunk.role == "heading" and len(text.strip()) < LEAD_IN_CHARS:
        return []
    body_from = _body_from(text) if hit.chunk.role == "body" else 0
    spans, pos = [], 0
    for m in [*_SENT.finditer(text), None]:
        stop = m.start() if m else len(text)
        seg = text[pos:stop]
        lead = len(seg) - len(seg.lstrip())
        mk = _MARKER.match(seg[lead:])
        lead += mk.end() if mk else 0
        lead_in = seg.rstrip().endswith(":") and len(seg) < LEAD_IN_CHARS
        quotable = pos >= body_from and len(seg.strip()) >= MIN_QUOTE_CHARS and not lead_in
        if quotable and stop > pos + lead:
            spans.append((base + pos + lead, base + stop))
        pos = m.end() if m else stop
    return spans


def _body_from(text: str) -> int:
    """Where a body chunk's own text starts: its last line, or the first of the table rows it ends with (rows of a
    data table, cells joined by " | ", are items, not headings: "20 | Máy trợ thính | 01 năm | 450.000")."""
    lines = text.split("\n")
    first = len(lines) - 1
    while first > 0 and CELL_SEPARATOR in lines[first] and CELL_SEPARATOR in lines[first - 1]:
        first -= 1
    return sum(len(line) + 1 for line in lines[:first])


def overlap(query: str, text: str, context: str = "") -> float:
    """Share of the question's content terms (and bigrams) found in the text."""
    q_terms, q_bi = content_terms(query), bigrams(query)
    if not q_terms:
        return 0.0
    t_terms = content_terms(text) | content_terms(context)
    t_bi = bigrams(text) | bigrams(context)
    uni = len(q_terms & t_terms) / len(q_terms)
    bi = len(q_bi & t_bi) / len(q_bi) if q_bi else uni
    return W_UNIGRAM * uni + W_BIGRAM * bi


def best_spans(query: str, hits: Sequence[Hit], limit: int = 4, per_chunk: int = 2) -> list[Span]:
    """The most relevant sentences of the top hits, in answer order."""
    if not hits:
        return []
    top = max(h.score for h in hits) or 1.0
    asked = asked_kind(query)
    scored: list[Span] = []
    q = without_titles(query, hits)
    for hit in [h for h in hits if h.chunk.role != "heading" or len(h.chunk.text.strip()) >= LEAD_IN_CHARS][:SCAN_HITS]:
        lead = _lead_in(hit.chunk.context)
        for start, end in sentences(hit):
            text = hit.doc.text[start:end]
            if front_matter(hit.doc, start, text):
                continue
            own, framed = overlap(q, text, lead), overlap(q, text, hit.chunk.context)
            s = W_OWN * own + W_FRAMED * framed + W_RETRIEVAL * max(0.0, hit.score) / top
            valued = asked and holds_value(*asked, with_units(text, hit.chunk.context), references=False)
            s += W_TYPED if valued else 0.0
            scored.append(Span(hit, start, end, s))
    scored.sort(key=lambda sp: -sp.score)
    if not scored:
        return []
    chosen: list[Span] = []
    used: dict[str, int] = {}
    for sp in scored:
        if sp.score < KEEP_SHARE * scored[0].score or len(chosen) >= limit:
            break
        if used.get(sp.hit.chunk.chunk_id, 0) >= per_chunk:
            continue
        used[sp.hit.chunk.chunk_id] = used.get(sp.hit.chunk.chunk_id, 0) + 1
        chosen.append(sp)
    return chosen


_LEGAL_BASIS = re.compile(r"(?:can cu|xet de nghi|theo de nghi|xet to trinh|"
                          r"thuc hien (?:nghi quyet|chi thi|ket luan))\b")


def _lead_in(context: str) -> str:
    """The heading a chunk's items complete ("2. Hình thức kỷ luật :" above "- Đối với đảng viên chính thức :
    khiển trách, …"): the innermost heading when it ends with a colon, else nothing."""
    inner = context.rsplit(" / ", 1)[-1].strip()
    return inner if inner.endswith(":") else ""


def front_matter(doc: Document, start: int, text: str) -> bool:
    """Whether a sentence is the document's front matter, never an answer: the header (before the body), the
    title in capitals, the legal bases ("Căn cứ …", "Xét đề nghị …") and the enacting formula before the first
    article ("Chính phủ ban hành Nghị định quy định …")."""
    if start < doc.body[0] or (text.isupper() and len(text.split()) > 2):
        return True
    head = fold(text.lstrip())
    preamble = _LEGAL_BASIS.match(head) or ENACTING_SENTENCE.match(head)
    return bool(preamble) and start < first_article(doc.text, doc.body[0])


def without_titles(question: str, hits: Sequence[Hit]) -> str:
    """The question without the phrases naming a document it names by number or by title (its type, number,
    issuer, title: "Quyết định 62/2011/QĐ-TTg về chế độ đối với người tham gia chiến tranh bảo vệ Tổ quốc … có
    hiệu lực từ ngày nào?"): every sentence repeating them would outrank the one that answers. Unchanged when
    the question names none of the hits' documents."""
    words = frozenset().union(*(_naming_terms(doc) for doc in named_among(question, hits)))
    return specific(question, words) if words else question


def named_among(question: str, hits: Sequence[Hit]) -> list[Document]:
    """The documents of the hits that the question names by number or by title, in the hits' order."""
    docs = {h.doc.doc_id: h.doc for h in hits}
    numbers = {d: doc.meta.doc_number for d, doc in docs.items() if doc.meta.doc_number}
    titles = title_index({d: title_words(doc.meta.title, doc.meta.doc_type) for d, doc in docs.items()})
    named = set(named_documents(analyze(question), numbers, titles))
    return [doc for d, doc in docs.items() if d in named]


def _naming_terms(doc: Document) -> set[str]:
    """The syllables a question names a document with: its type, number, issuer and title."""
    m = doc.meta
    return terms(" ".join(x for x in (m.doc_type, m.doc_number, m.issuer, m.title) if x))


def compose(spans: Sequence[Span], first_n: int = 1) -> tuple[str, list[Citation]]:
    """Quotes grouped by document, each with its [n] marker: one paragraph per document, its heading
    ("Theo …:") followed by its own quotes in reading order; documents in the order of their best span."""
    groups: dict[str, list[Span]] = {}
    for sp in sorted(spans, key=lambda s: -s.score):
        groups.setdefault(sp.hit.doc.doc_id, []).append(sp)
    paragraphs: list[str] = []
    citations: list[Citation] = []
    n = first_n
    for group in groups.values():
        doc = group[0].hit.doc
        lines = [f"Theo {doc_heading(doc)}:"]
        for sp in sorted(group, key=lambda s: s.start):
            c = cite(n, doc, sp.hit.chunk, sp.start, sp.end)
            citations.append(c)
            columns = table_header(sp.hit.chunk.context)[0] if CELL_SEPARATOR in c.quote else ""
            lines.append(f"- «{c.quote}» [{n}]" + (f" (các cột: {columns})" if columns else ""))
            n += 1
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs), citations


# Words of a value question ("Quyết định 142/2008 do ai ký?"): once the value line answers, nothing is left to quote
_VALUE_WORDS = frozenset(("ky", "ban", "hanh", "ngay", "so", "hieu", "luc", "thi", "tu", "nam", "thang", "gui", "kinh",
                          "day", "du", "viec", "trich", "yeu", "co", "quan", "don", "vi", "cap", "ten", "tieu", "de",
                          "van"))  # folded


def asks_beyond_value(question: str, hits: Sequence[Hit]) -> bool:
    """Whether a question asks more than its named document's value: words beyond the document's name and the
    words of value questions ("Điều lệ Đảng khóa XI được Đại hội XI thông qua ngày nào?" does; "… do ai ký?" not)."""
    return bool(content_terms(without_titles(question, hits)) - _VALUE_WORDS)
