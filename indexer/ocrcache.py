"""OCR results keyed by file content hash and page: a scan is recognised once, even if renamed.

Lives beside the embedding cache. SQLite makes each write atomic; the word boxes stay here for the
viewer's highlights (``indexer.highlight``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from indexer.readers.ocr_clean import Geometry
from indexer.readers.ocr_lines import OcrPage


class OcrCache:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS pages (digest TEXT NOT NULL, page INTEGER NOT NULL, tag TEXT NOT NULL, "
            "body TEXT NOT NULL, PRIMARY KEY (digest, page, tag))"
        )

    def close(self) -> None:
        self.db.close()

    def get(self, digest: str, pages: Iterable[int], tag: str) -> dict[int, OcrPage]:
        wanted = set(pages)
        rows = self.db.execute("SELECT page, body FROM pages WHERE digest = ? AND tag = ?", (digest, tag))
        return {page: decode(body) for page, body in rows if page in wanted}

    def any_page(self, digest: str, page: int) -> OcrPage | None:
        """The newest cached recognition of ``page`` (0-based) of the file with this hash, in any language."""
        row = self.db.execute(
            "SELECT body FROM pages WHERE digest = ? AND page = ? ORDER BY rowid DESC LIMIT 1", (digest, page)
        ).fetchone()
        return decode(row[0]) if row else None

    def put(self, digest: str, pages: Mapping[int, OcrPage], tag: str) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO pages(digest, page, tag, body) VALUES (?, ?, ?, ?)",
                [(digest, n, tag, encode(p)) for n, p in pages.items()],
            )


def encode(page: OcrPage) -> str:
    g = page.geometry
    return json.dumps(
        {"lines": page.lines, "starts": page.starts, "words": page.words, "confidence": page.confidence,
         "geometry": [g.scale, g.rotate, g.skew], "size": page.size},
        ensure_ascii=False,
    )


def decode(body: str) -> OcrPage:
    raw = json.loads(body)
    scale, rotate, skew = raw["geometry"]
    return OcrPage(
        lines=tuple(raw["lines"]),
        starts=tuple(raw["starts"]),
        words=tuple(tuple(w) for w in raw["words"]),  # type: ignore[misc]
        confidence=float(raw["confidence"]),
        geometry=Geometry(float(scale), int(rotate), float(skew)),
        size=(int(raw["size"][0]), int(raw["size"][1])),
    )
