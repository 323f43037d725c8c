"""The build's memory bound: documents go through it in batches, not all at once.

``batched`` cuts the stream of loaded documents into batches of at most ``BATCH_DOCS``
documents or about ``BATCH_CHUNKS`` chunks; the build inserts one batch into the catalogue,
embeds its chunk texts (``BatchEmbedder``) and adds the vectors to FAISS (or, in a fresh build,
to a spill file: ``indexer.vecspill``) before the next batch is loaded. Document texts, chunks and
their vectors live for one batch; the lexical index is written from the catalogue through a spill
file (``indexer.lexical_stream``). What the build holds at the end grows with the corpus only by the
finished FAISS index and the BM25 vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.embcache import EmbeddingCache, embed_with_cache
from indexer.errors import IndexError_
from indexer.models import Chunk, Document
from indexer.settings import Settings

BATCH_DOCS = 512  # documents per batch at most (short ones: the chunk bound below is what counts)
BATCH_CHUNKS = 2000  # a batch closes once it holds this many chunks (the torch engine sorts them by length)

Loaded = tuple[Document, tuple[Chunk, ...], int, float]  # document, its chunks, file size, file mtime


def batched(items: Iterable[Loaded]) -> Iterator[list[Loaded]]:
    """Consecutive batches of ``items``, read lazily: the next batch is loaded only when asked for."""
    batch: list[Loaded] = []
    chunks = 0
    for item in items:
        batch.append(item)
        chunks += len(item[1])
        if len(batch) >= BATCH_DOCS or chunks >= BATCH_CHUNKS:
            yield batch
            batch, chunks = [], 0
    if batch:
        yield batch


class BatchEmbedder:
    """The embedder (loaded once, on Ray when ``settings.ray``), the embedding cache and the progress
    bar of one build; ``vectors`` embeds one batch's texts, cache misses only."""

    def __init__(self, root: Path, settings: Settings, model: str, progress: bool) -> None:
        from indexer.embedders import engine_tag, load_embedder

        embedder = load_embedder(settings.model, settings.threads, offline=settings.hub_offline,
                                 engine=settings.engine)
        if settings.ray:
            from indexer.embedders.ray_backend import ray_embedder

            embedder = ray_embedder(embedder, settings)
        if embedder.name != model:
            raise IndexError_(
                f"Mô hình nhúng '{settings.model}' không khớp tên đã ghi ({model}). Hãy kiểm tra TRACUU_MODEL."
            )
        self.embedder, self.model, self.dim = embedder, model, embedder.dim
        self.key = model + engine_tag(settings.model, settings.engine)  # vectors cached per model and engine
        self.embedded = 0  # texts really embedded (not found in the cache)
        self.cache = EmbeddingCache(Path(settings.embed_cache or root / "embcache.sqlite"))
        self.bar = _progress_bar(progress)

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), dim)`` float32 vectors of one batch's texts."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # one call per build batch: the embedder cuts it itself (the torch engine sorts it by length)
        vecs, embedded = embed_with_cache(self.cache, self.key, texts, self.embedder.embed_documents,
                                          batch=len(texts), on_batch=self.bar.update)
        self.embedded += embedded
        return vecs

    def close(self) -> None:
        self.bar.close()
        self.cache.close()


def _progress_bar(enabled: bool) -> Any:
    """Chunks embedded so far (the total is not known before every file is read)."""
    from tqdm import tqdm

    return tqdm(total=None, disable=not enabled, unit="đoạn", desc="Nhúng văn bản", leave=False)
