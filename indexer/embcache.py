"""Content-hash keyed embedding cache: a text embedded once is never embedded again.

Keyed by sha256(model name + text); lives beside the generations so it
survives re-indexing. SQLite makes each write atomic; a crash only loses the
vectors of the batch in flight.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np


def text_key(model: str, text: str) -> str:
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path))
        self.db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def close(self) -> None:
        self.db.close()

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            part = list(keys[start:start + 500])
            marks = ",".join("?" * len(part))
            for key, blob in self.db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part):
                out[key] = np.frombuffer(blob, dtype=np.float32)
        return out

    def put(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO vectors(key, vector) VALUES (?, ?)",
                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(keys, vectors, strict=True)],
            )


def embed_with_cache(
    cache: EmbeddingCache,
    model: str,
    texts: Sequence[str],
    embed: Callable[[list[str]], np.ndarray],
    batch: int = 128,
    on_batch: Callable[[int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts``; only cache misses are embedded, a text repeated in ``texts`` once (so the count
    does not depend on how a build cuts its texts into calls). Returns (vectors, embedded count)."""
    keys = [text_key(model, t) for t in texts]
    found = cache.get(keys)
    first: dict[str, int] = {}  # key -> position of its first occurrence, for the misses
    for i, k in enumerate(keys):
        if k not in found:
            first.setdefault(k, i)
    missing = list(first.values())
    for start in range(0, len(missing), batch):
        idx = missing[start:start + batch]
        vecs = embed([texts[i] for i in idx])
        cache.put([keys[i] for i in idx], vecs)
        found.update({keys[i]: v for i, v in zip(idx, vecs, strict=True)})
        if on_batch:
            on_batch(len(idx))
    if not texts:
        return np.zeros((0, 0), dtype=np.float32), 0
    return np.vstack([found[k] for k in keys]).astype(np.float32), len(missing)
