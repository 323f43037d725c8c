"""Duty questions ("Ban X được giao nhiệm vụ gì?", "Ai chủ trì việc Y?") answered from the
responsibility register: every row for the body, each quoted and cited, not top-k passages."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from assistant.duties.bodies import key
from assistant.duties.extract import duties_for_query, register, select
from assistant.duties.levels import family
from assistant.duties.model import Duty
from assistant.duties.questions import DutyQuery, duty_question
from assistant.qa.citations import Answer, Citation, doc_heading, reader_section, renumber, verify
from assistant.qa.extractive import content_terms
from assistant.qa.named import Titles, title_index, title_words, titled
from indexer.models import Document
from indexer.vntext import fold

if TYPE_CHECKING:
    from assistant.qa.retrieve import Filters
    from indexer.store import Snapshot

_lock = threading.Lock()
_cache: dict[str, tuple[list[Document], tuple[Duty, ...], Titles]] = {}


def _load(snap: Snapshot) -> tuple[list[Document], tuple[Duty, ...], Titles]:
    """All documents of a generation, their register rows and their title index (computed once per generation)."""
    with _lock:
        if snap.key not in _cache:
            docs = snap.catalog.documents()
            _cache.clear()
            titles = title_index({d.doc_id: title_words(d.meta.title, d.meta.doc_type) for d in docs})
            _cache[snap.key] = (docs, register(docs), titles)
        return _cache[snap.key]


def catalog_documents(snap: Snapshot) -> list[Document]:
    return _load(snap)[0]


def register_rows(snap: Snapshot) -> tuple[Duty, ...]:
    return _load(snap)[1]


def answer_duties(question: str, snap: Snapshot, filters: Filters | None = None) -> Answer | None:
    """The register's answer, or None when the question is not about duties or finds no row."""
    query = duty_question(question)
    if query is None:
        return None
    docs, rows, titles = _load(snap)
    if filters is not None and getattr(filters, "doc_ids", ()):
        rows = tuple(r for r in rows if r.doc_id in filters.doc_ids)
    rows = duties_for_query(rows, query) or _local(rows, query, docs)
    # "… trong thực hiện Quy định về phông lưu trữ Đảng", "… của Tuyên Quang": the rows of the documents named
    by_title = set(titled(question, titles)) or _issued_where_named(question, docs)
    rows = tuple(r for r in rows if r.doc_id in by_title) or rows
    named = " ".join(f"{d.meta.title or ''} {d.meta.issuer or ''}" for d in docs if d.doc_id in by_title)
    if not query.action:  # what the body does there has already chosen the rows
        rows = _on_topic(question, query.body, rows, named)
    if not rows:
        return None
    by_id = {d.doc_id: d for d in docs}
    citations = verify([_citation(i, r, by_id[r.doc_id]) for i, r in enumerate(rows, 1)], by_id)
    if not citations:
        return None
    return Answer(question, _text(query.body, rows, citations, by_id), False, "extractive",
                  renumber(citations), standalone=question)


def _local(rows: tuple[Duty, ...], query: DutyQuery, docs: Sequence[Document]) -> tuple[Duty, ...]:
    """"Văn phòng UBND tỉnh Quảng Ngãi": the rows of "Văn phòng UBND tỉnh" in documents issued in Quảng Ngãi."""
    local = _PLACE.match(query.body or "")
    if local is None:
        return ()
    issued = _issued_in(docs, local.group(2))
    return duties_for_query(tuple(r for r in rows if r.doc_id in issued), replace(query, body=local.group(1)))


def _issued_in(docs: Sequence[Document], place: str) -> set[str]:
    """Ids of the documents whose issuer names a place ("Ủy ban nhân dân tỉnh Quảng Ngãi" for "Quảng Ngãi")."""
    where = key(place)
    return {d.doc_id for d in docs if where in key(d.meta.issuer or "")}


def _issued_where_named(question: str, docs: Sequence[Document]) -> set[str]:
    """Ids of the documents issued in a place the question names ("… của Tuyên Quang" for a decision of UBND tỉnh
    Tuyên Quang): the place is what follows the level in the issuer's name (``levels.family``)."""
    words = " " + " ".join(re.findall(r"\w+", fold(question))) + " "
    places = {d.doc_id: family(d.meta.issuer or "") for d in docs}
    return {i for i, f in places.items() if f and f.place and f" {f.place} " in words}


def no_rows_note(question: str, snap: Snapshot) -> str | None:
    """A duty question naming a body and a document whose register rows name other bodies only ("Kết luận 54 giao
    Ban Tổ chức Trung ương nhiệm vụ gì?"): a note saying so, shown beside the passages search finds."""
    query = duty_question(question)
    if query is None or not query.body or not query.doc:
        return None
    in_doc = select(_load(snap)[1], doc=query.doc)
    if not in_doc or select(in_doc, query.body):
        return None
    return (f"Lưu ý: sổ nhiệm vụ không ghi nhận nhiệm vụ nào giao cho {query.body} trong {in_doc[0].source}; "
            "các đoạn trên là những đoạn gần nhất với câu hỏi.")


def unmentioned_body(question: str, snap: Snapshot) -> str | None:
    """The body a duty question names ("Đảng ủy Quân đội được giao gì?") when no loaded document mentions it
    at all (compared by ``bodies.key``: tone placement, case, abbreviations), else None."""
    query = duty_question(question)
    name = query and (query.body or query.name)
    if not name or len(name.split()) < MIN_BODY_WORDS or sum(w[:1].isupper() for w in name.split()) < 2:
        return None  # a generic body ("đảng ủy xã", "các cấp ủy") may be written many ways: not checked
    if _mentioned(name, snap):
        return None
    local = _PLACE.match(name)  # "Văn phòng UBND tỉnh Quảng Ngãi": "Văn phòng UBND tỉnh" in a document of Quảng Ngãi
    return None if local and _mentioned(local.group(1), snap, local.group(2)) else name


_PLACE = re.compile(r"(.+\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn))\s+([A-ZĐ]\w*(?:\s+[A-ZĐ]\w*)*)$")


def _mentioned(name: str, snap: Snapshot, place: str | None = None) -> bool:
    """Whether a chunk mentions the body (by ``bodies.key``), in a document whose issuer names ``place``."""
    target = f" {key(name)} "
    issued = _issued_in(_load(snap)[0], place) if place else None
    ids, _ = snap.lexical.search(name, MENTION_DEPTH, None)
    return any(target in f" {key(c.text)} " and (issued is None or c.doc_id in issued)
               for c in snap.catalog.chunks(set(ids)).values())


MIN_BODY_WORDS = 3  # "Ban Tổ chức", "Đảng ủy Quân đội" (a proper name: two capitalised words at least)
MENTION_DEPTH = 50  # lexical candidates searched for a mention of the body


_CUE = content_terms("được giao nhiệm vụ trách nhiệm gì phải làm có những việc chủ trì phối hợp thực hiện cơ quan nào "
                     "theo hằng năm định kỳ")


def _on_topic(question: str, body: str | None, rows: tuple[Duty, ...], titles: str = "") -> tuple[Duty, ...]:
    """When the question names a subject besides the body and the documents ("... về tự phê bình"), keep the rows
    about it."""
    from assistant.qa.query import replace_abbreviations

    named = content_terms(f"{body or ''} {replace_abbreviations(body or '')} {titles}") | content_terms(
        " ".join(_doc_words(question)))
    rest = content_terms(replace_abbreviations(question)) - _CUE - named
    if len(rest) < 2:
        return rows
    return tuple(r for r in rows if len(rest & content_terms(r.quote)) >= 0.6 * len(rest))


def _doc_words(question: str) -> list[str]:
    from assistant.qa.query import analyze

    q = analyze(question)
    return [f"{r.code or ''} {r.number}" for r in q.refs] + ["kết luận quy định hướng dẫn thông báo chỉ thị nghị quyết"]


def _citation(n: int, row: Duty, doc: Document) -> Citation:
    meta = doc.meta
    return Citation(
        n=n, chunk_id=f"{doc.doc_id}-duty-{row.start}", doc_id=doc.doc_id, doc_number=meta.doc_number,
        doc_type=meta.doc_type, issuer=meta.issuer, date=meta.date or meta.date_approx, title=meta.title,
        section=reader_section(row.section), path=row.section, page=row.page, quote=row.quote,
        start=row.start, end=row.end,
    )


def _text(body: str | None, rows: tuple[Duty, ...], cites: tuple[Citation, ...], docs: dict[str, Document]) -> str:
    kept = {(c.start, c.end, c.doc_id) for c in cites}
    rows = tuple(r for r in rows if (r.start, r.end, r.doc_id) in kept)
    who = body or "Các cơ quan"
    lines = [f"{who} có {len(rows)} nhiệm vụ được giao trong các văn bản đã nạp:"]
    current = None
    for n, row in enumerate(rows, 1):
        if row.doc_id != current:
            current = row.doc_id
            doc = docs[row.doc_id]
            lines.append(f"\nTheo {doc_heading(doc)}:")
        deadline = f" — thời hạn: {row.deadline}" if row.deadline else ""
        subject = "" if body and key(row.body) == key(body) else f"{row.body} "  # none asked, or another spelling
        lines.append(f"- {subject}({row.role}) «{row.quote}»{deadline} [{n}]")
    return "\n".join(lines)
