"""Which code read the indexed documents.

A directive's passages, their sections and the text the embedder sees all come from the ``indexer`` package
(readers, outline, chunker, ``build.index_text``). An index keeps the fingerprint of the code that built it;
when tracuu is upgraded, ``indexer.build.build_index`` reads every indexed file still on disk again (the unchanged
ones, and those indexed from other folders than the ones named this time), so no passage is cited to a section an
older reader gave it. Only changed texts are embedded again (the embedding cache is keyed by text).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
KEY = "reader"  # the catalogue's info key


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """A hash of the ``indexer`` package's source and data files (their paths and bytes)."""
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".tsv", ".gz"))
    for path in files:
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
