"""SQLite catalogue of documents and chunks (the source of truth for offsets).

The catalogue stores each document's normalised text, so every citation can
be checked against ``text[start:end]`` without re-reading the source file.
Chunk row ids are the ids used by the FAISS and lexical indexes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path

from indexer.models import CertifiedCopy, Chunk, Document, Metadata, Reference, Source

SCHEMA_VERSION = 2  # 2: digests (one copy of each directive) and sources (its other files)

SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, size INTEGER, mtime REAL,
    doc_number TEXT, doc_type TEXT, issuer TEXT, date TEXT, title TEXT,
    pages INTEGER, format TEXT, encoding TEXT, meta TEXT NOT NULL, text TEXT NOT NULL,
    page_starts TEXT NOT NULL, body TEXT NOT NULL, excluded TEXT NOT NULL, meta_spans TEXT NOT NULL,
    notes TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    section TEXT NOT NULL, context TEXT NOT NULL, pages TEXT NOT NULL, text TEXT NOT NULL, role TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS digests (
    doc_id TEXT PRIMARY KEY, text_hash TEXT NOT NULL, body_hash TEXT NOT NULL, copy INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS digests_text ON digests(text_hash);
CREATE INDEX IF NOT EXISTS digests_body ON digests(body_hash);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, doc_id TEXT NOT NULL, kind TEXT NOT NULL, size INTEGER, mtime REAL, copy TEXT
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
"""


def text_digest(text: str) -> str:
    """The key of a normalised text: two files with the same key are one document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def body_digest(body_texts: Iterable[str]) -> str:
    """The key of a document's body chunks (no header, signature or copy block); "" when there are none."""
    parts = [" ".join(t.split()) for t in body_texts]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest() if parts else ""


class Catalog:
    """A thin wrapper over one SQLite file; callers commit through ``transaction``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.db = sqlite3.connect(str(self.path), check_same_thread=False)
        self.db.executescript(SCHEMA)
        if self.version() < SCHEMA_VERSION:
            self._migrate()

    @classmethod
    def read_only(cls, path: Path) -> Catalog:
        """Open an existing catalogue for reading only."""
        self = cls.__new__(cls)
        self.path = Path(path)
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return self

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> sqlite3.Connection:
        return self.db  # ``with catalog.transaction():`` commits or rolls back

    def version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Digests of the documents of an older catalogue, from its stored text and body chunks."""
        with self.db:
            for doc_id, text, meta in self.db.execute("SELECT doc_id, text, meta FROM documents").fetchall():
                rows = self.db.execute("SELECT text FROM chunks WHERE doc_id = ? AND role = 'body' ORDER BY ordinal",
                                       (doc_id,))
                copy = json.loads(meta).get("certified_copy") is not None
                self._set_digest(doc_id, text_digest(text), body_digest(r[0] for r in rows), copy)
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _set_digest(self, doc_id: str, text_hash: str, body_hash: str, copy: bool) -> None:
        self.db.execute("INSERT OR REPLACE INTO digests VALUES (?,?,?,?)", (doc_id, text_hash, body_hash, int(copy)))

    # -- info -------------------------------------------------------------
    def get_info(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_info(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO info(key, value) VALUES (?, ?)", (key, value))

    # -- documents ----------------------------------------------------------
    def add_document(self, doc: Document, chunks: Iterable[Chunk], size: int, mtime: float) -> list[int]:
        """Insert a document and its chunks; returns the new chunk row ids."""
        m = doc.meta
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (doc.doc_id, doc.path, size, mtime, m.doc_number, m.doc_type, m.issuer, m.date or m.date_approx,
             m.title, doc.pages, doc.source_format, doc.encoding, json.dumps(asdict(m), ensure_ascii=False),
             doc.text, json.dumps(doc.page_starts), json.dumps(doc.body), json.dumps(doc.excluded),
             json.dumps(doc.meta_spans), json.dumps(doc.notes, ensure_ascii=False)),
        )
        ids = []
        for c in chunks:
            cur = self.db.execute(
                'INSERT INTO chunks(chunk_id, doc_id, ordinal, start, "end", section, context, pages, text, role) '
                "VALUES (?,?,?,?,?,?,?,?,?,?)",
                (c.chunk_id, c.doc_id, c.ordinal, c.start, c.end, c.section, c.context, json.dumps(c.pages), c.text,
                 c.role),
            )
            ids.append(int(cur.lastrowid or 0))
        self._set_digest(doc.doc_id, text_digest(doc.text), body_digest(c.text for c in chunks if c.role == "body"),
                         doc.meta.certified_copy is not None)
        return ids

    def remove_document(self, doc_id: str) -> list[int]:
        """Delete a document; returns the row ids of its chunks."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
        self.db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        for table in ("documents", "digests", "sources"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        return ids

    def match(self, text_hash: str, body_hash: str, copy: bool) -> tuple[str, str] | None:
        """(doc_id, kind) of the document a new file repeats: "same" text, or the same body with one
        of the two a certified copy ("copy": the new file is the copy; "original": the document is)."""
        row = self.db.execute("SELECT doc_id FROM digests WHERE text_hash = ? LIMIT 1", (text_hash,)).fetchone()
        if row:
            return row[0], "same"
        if not body_hash:
            return None
        row = self.db.execute("SELECT doc_id, copy FROM digests WHERE body_hash = ? AND (copy = 1 OR ?) "
                              "ORDER BY copy LIMIT 1", (body_hash, int(copy))).fetchone()
        return (row[0], "copy" if copy else "original") if row else None

    def add_source(self, source: Source) -> None:
        copy = json.dumps(asdict(source.copy), ensure_ascii=False) if source.copy else None
        self.db.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?)",
                        (source.path, source.doc_id, source.kind, source.size, source.mtime, copy))

    def remove_source(self, path: str) -> None:
        self.db.execute("DELETE FROM sources WHERE path = ?", (path,))

    def sources(self) -> list[Source]:
        """Every other file of the indexed documents (none in a catalogue older than the sources table)."""
        try:
            rows = self.db.execute("SELECT path, doc_id, kind, size, mtime, copy FROM sources ORDER BY path").fetchall()
        except sqlite3.OperationalError:
            return []
        return [Source(p, d, k, s or 0, m or 0.0, CertifiedCopy(**json.loads(c)) if c else None)
                for p, d, k, s, m, c in rows]

    def files(self) -> dict[str, tuple[str, int, float]]:
        """path -> (doc_id, size, mtime) of every indexed document."""
        rows = self.db.execute("SELECT path, doc_id, size, mtime FROM documents")
        return {path: (doc_id, size, mtime) for path, doc_id, size, mtime in rows}

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE doc_id = ?", (doc_id,),
        ).fetchone()
        return _document(row) if row else None

    def documents(self) -> list[Document]:
        rows = self.db.execute(
            f"SELECT {_DOC_COLS} FROM documents ORDER BY COALESCE(date, '') DESC, path"
        )
        return [_document(r) for r in rows]

    def find_documents(self, ref: str) -> list[str]:
        """doc ids matching an id, an id prefix, a document number or a path."""
        rows = self.db.execute(
            "SELECT doc_id FROM documents WHERE doc_id = ? OR doc_id LIKE ? OR lower(doc_number) = lower(?) "
            "OR path = ? OR path LIKE ?", (ref, f"{ref}%", ref, ref, f"%/{ref}"),
        )
        return sorted({r[0] for r in rows})

    # -- chunks ----------------------------------------------------------------
    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        ids = list(ids)
        out: dict[int, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            marks = ",".join("?" * len(part))
            for row in self.db.execute(f"SELECT {_CHUNK_COLS} FROM chunks WHERE id IN ({marks})", part):
                out[row[0]] = _chunk(row)
        return out

    def following(self, doc_id: str, ordinal: int, n: int = 2) -> list[tuple[int, Chunk]]:
        """The ``n`` chunks after chunk ``ordinal`` of a document (what a heading introduces)."""
        rows = self.db.execute(
            f"SELECT {_CHUNK_COLS} FROM chunks WHERE doc_id = ? AND ordinal > ? ORDER BY ordinal LIMIT ?",
            (doc_id, ordinal, n),
        )
        return [(r[0], _chunk(r)) for r in rows]

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        for row in self.db.execute(f"SELECT {_CHUNK_COLS} FROM chunks ORDER BY id"):
            yield row[0], _chunk(row)

    def iter_index_parts(self) -> Iterator[tuple[int, str | None, str | None, str, str]]:
        """(row id, doc_type, doc_number, context, text) of every chunk in id order, streamed."""
        yield from self.db.execute(
            "SELECT c.id, d.doc_type, d.doc_number, c.context, c.text FROM chunks c "
            "JOIN documents d ON d.doc_id = c.doc_id ORDER BY c.id"
        )

    def chunk_ids_of(self, doc_ids: Sequence[str] = (), doc_types: Sequence[str] = (), issuers: Sequence[str] = (),
                     date_from: str | None = None, date_to: str | None = None) -> set[int]:
        """Chunk ids of the documents matching every given condition (dates compare as ISO prefixes)."""
        clauses: list[str] = []
        params: list[object] = []
        for column, values in (("d.doc_id", doc_ids), ("d.doc_type", doc_types), ("d.issuer", issuers)):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params += list(values)
        if date_from:
            clauses.append("d.date >= ?")
            params.append(date_from)
        if date_to:
            clauses.append("d.date <= ?")
            params.append(date_to + "\uffff")
        where = " AND ".join(clauses) or "1"
        q = f"SELECT c.id FROM chunks c JOIN documents d ON d.doc_id = c.doc_id WHERE {where}"
        return {r[0] for r in self.db.execute(q, params)}

    def doc_numbers(self) -> dict[str, str]:
        """doc_id -> document number, for the documents that have one."""
        rows = self.db.execute("SELECT doc_id, doc_number FROM documents WHERE doc_number IS NOT NULL")
        return {doc_id: number for doc_id, number in rows}

    def chunk_texts(self) -> list[str]:
        """Every chunk's text, in id order (term statistics)."""
        return [r[0] for r in self.db.execute("SELECT text FROM chunks ORDER BY id")]

    def chunk_counts(self) -> dict[str, int]:
        """doc_id -> number of chunks."""
        return dict(self.db.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id").fetchall())

    def mentions(self, patterns: Iterable[str]) -> bool:
        """Whether any chunk text matches one of the SQL LIKE ``patterns`` ("%99-QĐ/%")."""
        return any(self.db.execute("SELECT 1 FROM chunks WHERE text LIKE ? LIMIT 1", (p,)).fetchone()
                   for p in patterns)

    def counts(self) -> tuple[int, int]:
        docs = self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        chunks = self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        return int(docs), int(chunks)


_DOC_COLS = "doc_id, path, text, meta, page_starts, body, excluded, meta_spans, format, encoding, notes"
_CHUNK_COLS = 'id, chunk_id, doc_id, text, start, "end", section, context, pages, ordinal, role'


def _chunk(row: tuple) -> Chunk:
    _id, chunk_id, doc_id, text, start, end, section, context, pages, ordinal, role = row
    return Chunk(chunk_id, doc_id, text, start, end, section, context, tuple(json.loads(pages)), ordinal, role)


def _document(row: tuple) -> Document:
    doc_id, path, text, meta, page_starts, body, excluded, meta_spans, fmt, encoding, notes = row
    return Document(
        doc_id=doc_id, path=path, text=text, meta=metadata_from_json(meta),
        page_starts=tuple(json.loads(page_starts)), body=tuple(json.loads(body)),
        excluded=tuple(tuple(s) for s in json.loads(excluded)),
        meta_spans=tuple(tuple(s) for s in json.loads(meta_spans)), source_format=fmt,
        encoding=encoding, notes=tuple(json.loads(notes)),
    )


def metadata_from_json(raw: str) -> Metadata:
    data = json.loads(raw)
    copy = data.get("certified_copy")
    data["certified_copy"] = CertifiedCopy(**copy) if copy else None
    data["references"] = tuple(Reference(**r) for r in data.get("references", ()))
    data["recipients"] = tuple(data.get("recipients", ()))
    data["supersedes"] = tuple(data.get("supersedes", ()))
    return Metadata(**data)
