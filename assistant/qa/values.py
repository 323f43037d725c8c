"""Questions about a document itself — its date, number, signer, effect, replaced documents, addressees, subject
and issuer — answered with one sentence built only from values read off the document, cited to where they stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.qa.citations import Citation, cite, doc_label, vn_date
from assistant.qa.named import SIGNER_QUESTION
from indexer.loaders import addressee_spans
from indexer.models import Document
from indexer.supersession import supersession_sentence
from indexer.vntext import fold

__all__ = ["ASKS_DATE", "ASKS_ISSUER", "ASKS_SIGNER", "ASKS_SUBJECT", "asks_about_document", "value_answer",
           "wants_header"]

# The document's own date (issued, signed), never a date the text sets ("hoàn thành trước ngày nào").
ASKS_DATE = re.compile(
    r"\b(ngay ban hanh|ban hanh (?:ngay|vao|khi|nam|thang)|ky (?:ngay|vao ngay|khi nao|nam nao|thang nao)|ngay ky|"
    r"thoi gian ban hanh|ra doi (?:ngay|khi|nam)|ngay thong qua|thong qua (?:ngay|vao|khi|nam|thang))"
)
# "Quyết định 62 có hiệu lực từ ngày nào?", "khi nào thì Kết luận 54 có hiệu lực?"
ASKS_EFFECTIVE = re.compile(r"\bhieu luc\b.{0,40}\b(?:ngay nao|khi nao|tu bao gio|luc nao|thoi diem nao|tu ngay)\b|"
                            r"\b(?:ngay nao|khi nao|bao gio|thoi diem nao)\b.{0,30}\bco hieu luc\b")
_EFFECTIVE = re.compile(r"[^\n.;:]*\bcó hiệu lực(?: thi hành)?(?: kể)? từ\b[^\n;]*?(?:\.(?=\s|$)|$)",
                        re.IGNORECASE | re.MULTILINE)
# "Quyết định 12/2012 thay thế những quyết định nào?", "Hướng dẫn này bãi bỏ văn bản gì?"
ASKS_REPLACES = re.compile(r"\b(?:thay the|bai bo)\s+(?:cho\s+)?(?:nhung|cac)?\s*(?:\w+\s+){0,4}?(?:nao|gi)\b")
# "Công văn 2638 gửi cho ai?", "Kính gửi những cơ quan nào?": the letter's addressees ("Kính gửi: …")
_TO_WHOM = r"(?:ai|nhung ai|(?:nhung |cac )?(?:co quan|don vi|noi) nao)"
ASKS_ADDRESSEE = re.compile(rf"\bkinh gui\b|(?:cong van|cv|van ban|thong bao|to trinh|\d[\w/.-]*)\s+(?:\w+\s+){{0,2}}?"
                            rf"(?:duoc\s+)?gui (?:cho |den |toi )?{_TO_WHOM}\b")
ASKS_NUMBER = re.compile(r"\b(so hieu|so may|so bao nhieu|mang so|la so|so van ban|so ky hieu)\b")
ASKS_SIGNER = SIGNER_QUESTION
ASKS_COPY = re.compile(r"\b(sao y|sao luc|ban sao)\b")


# "Công văn 2638 về việc gì?", "trích yếu của Quyết định 22/2013?": the document's subject (its title)
ASKS_SUBJECT = re.compile(r"\b(?:ve viec gi|trich yeu|ve (?:van de|noi dung|linh vuc) gi|quy dinh ve (?:van de )?gi|"
                          r"ten (?:day du|goi|van ban)|tieu de)\b")
# "Công văn 2638 của cơ quan nào?", "Quyết định 62 do ai ban hành?": the issuer
ASKS_ISSUER = re.compile(r"\b(?:(?:co quan|don vi|cap) nao ban hanh|do (?:co quan nao|ai|don vi nao|cap nao) ban hanh|"
                         r"ai ban hanh|cua (?:co quan|don vi) nao|noi ban hanh|co quan ban hanh)\b")
# "Văn bản nào hướng dẫn …?", "… theo quyết định nào?", "quy định ở đâu?": a document is the answer (its header)
ASKS_WHICH_DOCUMENT = re.compile(
    r"\b(?:van ban|quyet dinh|nghi dinh|thong tu|chi thi|nghi quyet|ket luan|cong van|huong dan|ke hoach|luat|"
    r"phap lenh|thong bao)\s+(?:so\s+)?(?:nao|gi)\b|\bquy dinh (?:o|tai) (?:dau|van ban nao)\b")
_SUBJECT_LINE = re.compile(r"^\s*(?:V/v|Về việc)\s*:?\s*([^\n|]+)", re.MULTILINE)  # a letter's subject line
HEADER_WINDOW = 3000  # characters where a document without a marked body keeps its header

Answer = tuple[str, Citation]


def asks_about_document(question: str) -> bool:
    """Whether a question asks one of the values ``value_answer`` reads off a document (its date, number, signer,
    effect, replaced documents, addressees, subject or issuer): what its header answers."""
    q = fold(question)
    return any(asks(q) for asks, _ in _KINDS)


def wants_header(question: str) -> bool:
    """Whether a document's header (number, issuer, title) may answer a question: one about the document itself,
    or one asking which document ("Văn bản nào hướng dẫn lập dự toán năm 2020?")."""
    return asks_about_document(question) or bool(ASKS_WHICH_DOCUMENT.search(fold(question)))


def value_answer(question: str, doc: Document, n: int) -> Answer | None:
    """A one-sentence answer built only from extracted values, cited to their place; None when the question asks
    no value the document has."""
    q = fold(question)
    for asks, answer in _KINDS:
        if asks(q):
            found = answer(doc, n)
            if found:
                return found
    return None


def _copy_signer(doc: Document, n: int) -> Answer | None:
    copy = doc.meta.certified_copy
    found = _find(doc, copy.signer, last=True) if copy and copy.signer else None
    return (f"Bản sao y {doc_label(doc)} do {copy.issuer or 'cơ quan sao'} ban hành được ký bởi {copy.signer} [{n}].",
            cite(n, doc, None, *found)) if copy and found else None


def _copy_number(doc: Document, n: int) -> Answer | None:
    copy = doc.meta.certified_copy
    found = _find(doc, copy.number, last=True) if copy and copy.number else None
    return (f"Bản sao y {doc_label(doc)} của {copy.issuer or 'cơ quan sao'} có số hiệu {copy.number} [{n}].",
            cite(n, doc, None, *found)) if copy and found else None


def _signer(doc: Document, n: int) -> Answer | None:
    meta = doc.meta
    found = _find(doc, meta.signer) if meta.signer else None
    who = f"{meta.signer_capacity} " if meta.signer_capacity else ""
    return (f"{doc_label(doc)} do {who}{meta.signer} ký [{n}].", cite(n, doc, None, *found)) if found else None


def _date(doc: Document, n: int) -> Answer | None:
    found = _date_phrase(doc, doc.meta.date) if doc.meta.date else None
    return (f"{doc_label(doc)} được ban hành ngày {vn_date(doc.meta.date)} [{n}].", cite(n, doc, None, *found)) \
        if found else None


def _effective(doc: Document, n: int) -> Answer | None:
    found = _EFFECTIVE.search(doc.text, doc.body[0])
    if not found:
        return None
    start = found.start() + len(found.group()) - len(found.group().lstrip())
    return (f"Về hiệu lực, {doc_label(doc)} ghi: «{doc.text[start:found.end()]}» [{n}].",
            cite(n, doc, None, start, found.end()))


def _replaced(doc: Document, n: int) -> Answer | None:
    found = supersession_sentence(doc.text, doc.body[0]) if doc.meta.supersedes else None
    return (f"Về văn bản được thay thế, {doc_label(doc)} ghi: «{doc.text[found[0]:found[1]]}» [{n}].",
            cite(n, doc, None, *found)) if found else None


def _addressees(doc: Document, n: int) -> Answer | None:
    addressed = addressee_spans(doc.text, doc.body[0])
    if not addressed:
        return None
    start, end = addressed[0]
    return f"{doc_label(doc)} gửi: «{doc.text[start:end]}» [{n}].", cite(n, doc, None, start, end)


def _number(doc: Document, n: int) -> Answer | None:
    number = doc.meta.doc_number
    found = _find(doc, number.split("-")[0], within=doc.body[0] or 2000) if number else None
    if not found:
        return None
    line_start, line_end = doc.text.rfind("\n", 0, found[0]) + 1, doc.text.find("\n", found[1])
    return f"Văn bản có số hiệu {number} [{n}].", cite(n, doc, None, line_start, line_end)


def _subject(doc: Document, n: int) -> Answer | None:
    """The title as the header prints it (its words in order, any case, any line breaks), else a letter's "V/v …"
    line."""
    title = doc.meta.title
    found = _words_in_header(doc, title) if title else None
    if found is None:
        line = _SUBJECT_LINE.search(doc.text, 0, max(doc.body[0], HEADER_WINDOW))
        found = line.span(1) if line else None
    return (f"Trích yếu của {doc_label(doc)}: «{doc.text[found[0]:found[1]]}» [{n}].", cite(n, doc, None, *found)) \
        if found else None


def _issuer(doc: Document, n: int) -> Answer | None:
    """The issuer as the header prints it ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI")."""
    issuer = doc.meta.issuer
    found = _words_in_header(doc, issuer) if issuer else None
    return (f"{doc_label(doc)} do {issuer} ban hành [{n}].", cite(n, doc, None, *found)) if found else None


def _words_in_header(doc: Document, phrase: str) -> tuple[int, int] | None:
    words = re.findall(r"\w+", phrase)
    if not words:
        return None
    pattern = re.compile(r"\W+".join(re.escape(w) for w in words), re.IGNORECASE)
    found = pattern.search(doc.text, 0, max(doc.body[0], HEADER_WINDOW))
    return found.span() if found else None


def _asks(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda q: pattern.search(q) is not None


_KINDS: tuple[tuple[Callable[[str], bool], Callable[[Document, int], Answer | None]], ...] = (
    (lambda q: bool(ASKS_SIGNER.search(q) and ASKS_COPY.search(q)), _copy_signer),
    (lambda q: bool(ASKS_NUMBER.search(q) and ASKS_COPY.search(q)), _copy_number),
    (_asks(ASKS_ISSUER), _issuer),  # before the signer: "do ai ban hành?" asks the issuer
    (_asks(ASKS_SIGNER), _signer),
    (_asks(ASKS_DATE), _date),
    (_asks(ASKS_EFFECTIVE), _effective),
    (_asks(ASKS_REPLACES), _replaced),
    (_asks(ASKS_ADDRESSEE), _addressees),
    (_asks(ASKS_NUMBER), _number),
    (_asks(ASKS_SUBJECT), _subject),
)


def _find(doc: Document, needle: str, last: bool = False, within: int | None = None) -> tuple[int, int] | None:
    hay = doc.text if within is None else doc.text[:within]
    i = hay.rfind(needle) if last else hay.find(needle)
    return (i, i + len(needle)) if i >= 0 else None


def _digits(number: str) -> str:
    """A pattern for a number as headers print it: a leading zero or not, a stray space between digits ("0 7")."""
    return r"(?:0\s?)?" + r"\s?".join(str(int(number)))


def _date_phrase(doc: Document, iso: str) -> tuple[int, int] | None:
    """The place-and-date line of the header ("Hà Nội, ngày 09 tháng 5 năm 2023")."""
    y, m, d = iso.split("-")
    pattern = re.compile(rf"(?:[^\s,|][^\n,|]*,\s*)?ngày\s+{_digits(d)}\s+tháng\s+{_digits(m)}\s+năm\s+{_digits(y)}")
    found = pattern.search(doc.text, 0, max(doc.body[0], HEADER_WINDOW))
    return found.span() if found else None
