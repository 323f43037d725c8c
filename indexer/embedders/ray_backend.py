"""Embedding on a Ray cluster (``tracuu index --ray auto|ADDRESS``).

``ray_embedder`` wraps the local embedder: queries stay local, passages go
through Ray Data. Each ``embed_documents`` call becomes a dataset of rows
``{"i": position, "text": passage}`` mapped in batches by Ray tasks (one CPU
and one model thread each, spread over the cluster); the vectors are put back
by ``i``, so the result is row for row the one the local embedder gives.

Tasks rather than an actor pool: the build calls ``embed_documents`` once per
small batch of cache misses, and an actor pool lives only as long as one
dataset, so it would load the model again on every call. Ray keeps its worker
processes between tasks, and each keeps its model (``_MODELS``): the model is
loaded once per worker process. Ray is imported only here, inside functions.
Every node needs this package and the model installed (the same ``.venv``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from indexer.embedders import Embedder
from indexer.errors import IndexError_
from indexer.settings import Settings

log = logging.getLogger(__name__)

BATCH = 32  # passages per task call (the local embedder's batch size too)
WORKER_ENV = {"OMP_WAIT_POLICY": "PASSIVE", "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
              "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


class _Model:
    """One single-threaded copy of the model in a Ray worker process."""

    def __init__(self, spec: str, offline: bool, engine: str) -> None:
        from indexer.embedders import load_embedder

        self.model = load_embedder(spec, 1, offline=offline, engine=engine)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.embed_documents([str(t) for t in batch["text"]], batch_size=BATCH)
        return {"i": np.asarray(batch["i"], dtype=np.int64), "vector": vectors}


_MODELS: dict[tuple[str, bool, str], _Model] = {}  # in each Ray worker process


def _embed_batch(batch: dict[str, np.ndarray], spec: str, offline: bool, engine: str) -> dict[str, np.ndarray]:
    """The Ray Data task: the model is loaded once per worker process and kept for later calls."""
    key = (spec, offline, engine)
    if key not in _MODELS:
        _MODELS[key] = _Model(*key)
    return _MODELS[key](batch)


class RayEmbedder:
    """``Embedder`` whose ``embed_documents`` runs on the connected Ray cluster."""

    def __init__(self, local: Embedder, settings: Settings, cpus: int) -> None:
        self.local, self.settings, self.cpus = local, settings, max(1, cpus)
        self.name, self.dim = local.name, local.dim

    def embed_documents(self, texts: Sequence[str], batch_size: int = BATCH) -> np.ndarray:
        import ray.data

        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        size = max(1, min(int(batch_size), -(-len(texts) // self.cpus)))  # every CPU gets a batch
        ds = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)],
                                 override_num_blocks=-(-len(texts) // size))
        ds = ds.map_batches(_embed_batch, batch_size=size, batch_format="numpy", num_cpus=1,
                            fn_args=(self.settings.model, self.settings.hub_offline, self.settings.engine),
                            runtime_env={"env_vars": WORKER_ENV})
        seen = np.zeros(len(texts), dtype=bool)
        for batch in ds.iter_batches(batch_size=None, batch_format="numpy"):
            idx = np.asarray(batch["i"], dtype=np.int64)
            out[idx] = np.asarray(batch["vector"], dtype=np.float32).reshape(len(idx), self.dim)
            seen[idx] = True
        if not seen.all():
            raise IndexError_(f"Cụm Ray trả thiếu {int((~seen).sum())} vectơ. Hãy chạy lại `tracuu index --ray …`.")
        return out

    def embed_query(self, text: str) -> np.ndarray:
        return self.local.embed_query(text)


def ray_embedder(local: Embedder, settings: Settings) -> Embedder:
    """Wrap ``local``'s model so that document embedding runs on the Ray cluster ``settings.ray``."""
    ray = connect(settings.ray)
    cpus = int(ray.cluster_resources().get("CPU", 1))
    log.info("embedding on Ray: %d CPUs, %d nodes", cpus, sum(1 for n in ray.nodes() if n.get("Alive")))
    return RayEmbedder(local, settings, cpus)


def connect(address: str) -> Any:
    """The ``ray`` module, connected to ``address`` ("auto": a running cluster, else a local one).

    A process already connected keeps its connection."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise IndexError_(
            "Chưa cài Ray nên không nhúng trên cụm được: chạy .venv/bin/pip install 'tracuu[ray]' "
            "(trong thư mục mã nguồn: .venv/bin/pip install -e '.[ray]'), hoặc bỏ tùy chọn --ray."
        ) from exc
    if not ray.is_initialized():
        options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
        target = address.strip()
        try:
            _reachable(target)
            try:
                ray.init(address=target, **options)
            except ConnectionError:
                if target.lower() != "auto":
                    raise
                log.info("no running Ray cluster found; starting a local one")
                ray.init(**options)
        except (OSError, RuntimeError, ValueError) as exc:
            raise IndexError_(
                f"Không kết nối được cụm Ray tại {address!r}: {exc}. Hãy kiểm tra cụm đang chạy (`ray status` "
                "trên máy chủ cụm) và địa chỉ (máy:6379 hoặc ray://máy:10001), hoặc dùng --ray auto."
            ) from exc
    ray.data.DataContext.get_current().enable_progress_bars = False
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    return ray


def _reachable(target: str) -> None:
    """Fail within seconds on a "host:port" nobody listens on (``ray.init`` would retry for minutes)."""
    import socket

    host, sep, port = target.rpartition(":")
    if sep and port.isdigit() and "://" not in target:
        with socket.create_connection((host, int(port)), timeout=5):
            pass
