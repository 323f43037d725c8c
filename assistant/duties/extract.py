"""Responsibility register: who is assigned what, extracted rule-first from the outline.

Shapes handled (see tests/data/README.md for the labelling rules):
- a body as a heading ("- Ban Tổ chức Trung ương", "a) Cấp ủy cơ sở", "d) Đối với chi bộ:")
  whose direct children are its tasks ("Phối hợp với ..." items -> "phối hợp");
- "X chủ trì, phối hợp với Y, Z ..." -> X "chủ trì", Y and Z "phối hợp";
- "X <verb> ..." at the start of an item, a sentence, a ";" clause or after "thì";
- "Giao X ...", "yêu cầu X ...", "ủy quyền X ..." (the assigner gets no row);
- an assignment whose task is "... một số nhiệm vụ sau:" hands its body to the items that follow;
- reporting lines ("định kỳ báo cáo ... với Ban Bí thư (qua Ban Dân vận Trung ương)"): an extra
  "báo cáo/theo dõi" row for the reporting body, and one for the body named after "qua".
Unidentifiable partners ("các cơ quan liên quan", "các cơ quan chức năng") get no row.
Every row satisfies ``doc.text[row.start:row.end] == row.quote`` and ``row.task in row.quote``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import replace

from assistant.duties.bodies import fold_same, key, resolve, without_head
from assistant.duties.deadlines import deadline_of
from assistant.duties.levels import kin, members, same_family
from assistant.duties.model import Duty
from assistant.duties.outline import Found, outline_rows
from assistant.duties.questions import DutyQuery
from assistant.duties.rules import REPORT, ROLES, Text
from assistant.duties.tables import table_rows
from indexer.chunker import section_path
from indexer.metadata import ENACTING_AFTER_LIST, ENACTING_SENTENCE, first_article
from indexer.models import Document, Section
from indexer.outline import parse_outline

__all__ = ["body_counts", "deadline_of", "duties_for", "duties_for_query", "extract_duties", "register", "select"]


def extract_duties(doc: Document, nodes: tuple[Section, ...] | None = None) -> tuple[Duty, ...]:
    """Every assignment in ``doc``, in text order (see the module docstring for the shapes)."""
    nodes = parse_outline(doc) if nodes is None else nodes
    t = Text(doc)
    issuer = resolve(doc.meta.issuer) if doc.meta.issuer else None
    first = first_article(doc.text)
    found = [f for f in outline_rows(t, nodes, issuer) if not _enacting(t, f, issuer, first)]
    rows = _to_duties(doc, nodes, t, found)
    table = _table_duties(doc, nodes)
    if not table:
        return rows
    lines = {(d.start, d.end) for d in table}  # an assignment table's row is read as a row, not as sentences
    kept = [r for r in rows if not any(s <= r.start < e for s, e in lines)]
    return tuple(sorted([*kept, *table], key=lambda d: (d.start, ROLES.index(d.role))))


def _table_duties(doc: Document, nodes: tuple[Section, ...]) -> list[Duty]:
    """The rows of the document's assignment tables (``assistant.duties.tables``) as register rows."""
    year, source, starts, out = _year(doc), _source(doc), [n.start for n in nodes], []
    for r in table_rows(doc.text):
        node = bisect_right(starts, r.quote[0]) - 1
        deadline = deadline_of(doc.text[slice(*(r.deadline or r.task))], year)
        out.append(_duty(doc, r.body, r.role, r.task, r.quote, deadline, section_path(nodes, node) if node >= 0
                         else "", source))
    return out


def _duty(doc: Document, body: str, role: str, task: tuple[int, int], quote: tuple[int, int],
          deadline: tuple[str | None, str | None], path: str, source: str, recipient: str | None = None,
          via: str | None = None) -> Duty:
    """A register row from offsets into ``doc.text`` (its task inside its quote)."""
    (s, e), (qs, qe) = task, quote
    return Duty(body, role, doc.text[s:e], *deadline, doc.doc_id, doc.meta.doc_number, path, doc.page_at(qs),
                doc.text[qs:qe], qs, qe, recipient, via, source)


def _year(doc: Document) -> str | None:
    return (doc.meta.date or doc.meta.date_approx or "")[:4] or None


def _source(doc: Document) -> str:
    """The document as a cadre cites it: "Kết luận số 54-KL/TW ngày 09/5/2023"."""
    m = doc.meta
    name = m.doc_type or "Văn bản"
    name = f"{name} số {m.doc_number}" if m.doc_number else (f"{name} của {m.issuer}" if m.issuer else name)
    if m.date:
        y, mo, d = m.date.split("-")
        return f"{name} ngày {d}/{int(mo)}/{y}"
    if m.date_approx and len(m.date_approx) == 7:
        y, mo = m.date_approx.split("-")
        return f"{name} tháng {int(mo)}/{y}"
    return name


def _enacting(t: Text, f: Found, issuer: str | None, preamble_end: int) -> bool:
    """Whether a row is the enacting formula: the issuer, or anyone before the first article ("Bộ trưởng Bộ Tài
    chính ban hành Thông tư …" in the preamble), "ban hành" the document's own kind."""
    if f.hit.task[0] < preamble_end:  # "Bộ trưởng Bộ …, Bộ trưởng Bộ … ban hành Thông tư liên tịch …"
        return bool(ENACTING_AFTER_LIST.match(t.low, *f.hit.task))
    return f.hit.body == issuer and bool(ENACTING_SENTENCE.match(t.low, *f.hit.task))


# "Văn phòng Chính phủ xin thông báo để các Bộ, cơ quan liên quan biết, thực hiện": the sender informs, no task
# ("X có trách nhiệm thông báo cho đối tượng biết" is a task: only "xin thông báo …" and "thông báo để … biết")
_NOTICE = re.compile(r"(?:(?!co trach nhiem|chiu trach nhiem|phai\b|co nhiem vu)\S+\s+){0,8}?"
                     r"(?:xin\s+thong bao\s+(?:de|cho|den|toi)|thong bao\s+de)\s+[^.;]{0,120}?\bbiet\b")


def _to_duties(doc: Document, nodes: tuple[Section, ...], t: Text, found: list[Found]) -> tuple[Duty, ...]:
    year, source, paths = _year(doc), _source(doc), {}
    rows: dict[tuple[str, str, int], Duty] = {}
    for f in found:
        (s, e), (qs, qe) = f.hit.task, f.quote
        qe = len(t.raw[:qe].rstrip())
        if e <= s or not (qs <= s and e <= qe) or (f.hit.body, f.hit.role, qs) in rows or _NOTICE.match(t.low, s, e):
            continue
        deadline, norm = deadline_of(t.raw[s:e], year)
        if deadline is None and f.hit.role == REPORT:
            deadline, norm = deadline_of(t.raw[max(t.raw.rfind(";", qs, s) + 1, qs):e], year)
        if f.node not in paths:
            paths[f.node] = section_path(nodes, f.node)
        rows[(f.hit.body, f.hit.role, qs)] = _duty(doc, f.hit.body, f.hit.role, (s, e), (qs, qe), (deadline, norm),
                                                   paths[f.node], source, f.hit.recipient, f.hit.via)
    return tuple(sorted(rows.values(), key=lambda d: (d.start, ROLES.index(d.role))))


# -- register over documents ---------------------------------------------------------------------
def register(docs: Iterable[Document]) -> tuple[Duty, ...]:
    """Every row of every document, newest document first (by date, else approximate date).

    This is the value to cache per index generation; ``select`` then answers each request."""
    ordered = sorted(docs, key=lambda d: (d.meta.date or d.meta.date_approx or "", d.doc_id), reverse=True)
    return tuple(r for d in ordered for r in extract_duties(d))


def select(rows: Iterable[Duty], body: str | None = None, doc: str | None = None,
           role: str | None = None) -> tuple[Duty, ...]:
    """Rows for ``body`` (any alias; None = every body), in document ``doc`` (a doc id or its prefix,
    a number "54-KL/TW" or a reference "KL 54"), with ``role`` (None = any)."""
    name = (resolve(body) or without_head(body)) if body else None
    wanted = {key(name), key(body), *map(key, kin(name))} if name and body else set()  # as resolved, as typed
    found = [r for r in rows if (name is None or r.body == name or key(r.body) in wanted or same_family(body, r.body))
             and (role is None or r.role == role) and (doc is None or _in_doc(r, doc))]
    return _gathered(found, name) if name else tuple(found)


def _gathered(rows: list[Duty], name: str) -> tuple[Duty, ...]:
    """Asked for a group that gathers others ("bộ, ngành"), one sentence's rows for its members ("Các Bộ trưởng,
    Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan thuộc Chính phủ … chịu trách nhiệm thi hành") as one row of it."""
    gathered = set(members(name))
    if not gathered:
        return tuple(rows)
    out: dict[object, Duty] = {}
    for k, r in enumerate(rows):
        one = (r.doc_id, r.start + r.quote.find(r.task), r.task, r.role) if r.body in gathered else k
        out.setdefault(one, replace(r, body=name) if r.body in gathered else r)
    return tuple(out.values())


def duties_for(docs: Iterable[Document], body: str | None, doc: str | None = None) -> tuple[Duty, ...]:
    """All rows for ``body`` across ``docs``, newest document first (see ``select`` for ``doc``)."""
    return select(register(docs), body, doc)


def duties_for_query(source: Iterable[Document] | Iterable[Duty], query: DutyQuery) -> tuple[Duty, ...]:
    """Rows answering a ``duty_question``, from documents or from cached ``register`` rows;
    "Ai chủ trì việc Y?" ranks the rows by Y."""
    if query.name and not query.body:
        return ()  # a body that is not in the table
    items = list(source)
    rows = items if all(isinstance(x, Duty) for x in items) else register(x for x in items if isinstance(x, Document))
    found = select(rows, query.body, query.doc, query.role)
    if not query.topic:
        return found
    wanted = _words(query.topic)
    scored = [(len(wanted & _words(r.task)) / max(1, len(wanted)), k, r) for k, r in enumerate(found)]
    kept = [r for score, _, r in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 0.5]
    return tuple(_doing(kept, query.doing))


def _doing(rows: list[Duty], verb: str | None) -> list[Duty]:
    """"Ai kiểm tra việc thực hiện hoạt động kiểm soát thủ tục hành chính?": the rows whose task does what the
    question asks ("kiểm tra"), when some do; the others only share its object."""
    if verb is None:
        return rows
    said = re.compile(rf"\b{re.escape(verb)}\b")
    return [r for r in rows if said.search(fold_same(r.task))] or rows


_STOP = frozenset(("viec", "cong", "tac", "cua", "va", "cac", "nhung", "theo", "voi", "trong", "ve", "la", "cho", "de",
                   "nay", "do", "duoc"))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", fold_same(text).lower()) if len(w) > 1 and w not in _STOP}


def _in_doc(row: Duty, ref: str) -> bool:
    from assistant.qa.query import DocRef, analyze, matches_ref

    if row.doc_id.startswith(ref) or ref == row.doc_number:
        return True
    coded = re.fullmatch(r"(\w+)\s+(\d{1,5})", ref.strip())  # "CV 2638", as ``duty_question`` gives a letter
    refs = analyze(ref).refs or ((DocRef(coded.group(2), coded.group(1).upper()),) if coded else ())
    return any(matches_ref(r, row.doc_number) for r in refs)


def body_counts(rows: Iterable[Duty]) -> list[tuple[str, int]]:
    """(body, number of rows) over register ``rows``, most rows first."""
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.body] = counts.get(r.body, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
