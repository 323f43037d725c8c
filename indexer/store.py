"""The on-disk index: immutable generations behind an atomically swapped pointer.

    index/CURRENT            name of the live generation ("gen-000007")
    index/gen-000007/        catalog.sqlite, vectors.faiss, lexical/, info.json
    index/embcache.sqlite    content-hash keyed embedding cache (shared)

A writer builds a complete new generation, fsyncs it, then replaces CURRENT
(``os.replace``); a reader only ever sees a finished generation, so a crash
(even ``kill -9``) at any moment leaves the previous index fully usable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from indexer.catalog import Catalog
from indexer.errors import IndexError_
from indexer.lexical import LexicalIndex
from indexer.vector import VectorIndex

CURRENT = "CURRENT"
FORMAT = "tracuu-index-1"


@dataclass
class Snapshot:
    """A read view of one generation."""

    root: Path
    generation: str
    catalog: Catalog
    vectors: VectorIndex
    lexical: LexicalIndex
    info: dict[str, object]

    @property
    def model(self) -> str:
        return str(self.info["model"])

    @cached_property
    def key(self) -> str:
        """The generation's identity across indexes ("gen-000001" names the first generation of every index):
        what per-generation caches are keyed by."""
        return f"{self.root.resolve()}#{self.generation}"


def current_generation(root: Path) -> str | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return name if name and (root / name).is_dir() else None


def open_snapshot(root: Path, model: str | None = None) -> Snapshot:
    """Open the live generation; refuses an index built with another model."""
    root = Path(root)
    gen = current_generation(root)
    if gen is None:
        raise IndexError_(
            f"Chưa có chỉ mục tại {root}. Hãy chạy `tracuu index corpus/` để nạp văn bản trước."
        )
    folder = root / gen
    info = json.loads((folder / "info.json").read_text(encoding="utf-8"))
    if model is not None and info.get("model") != model:
        raise IndexError_(
            f"Chỉ mục tại {root} được xây bằng mô hình nhúng '{info.get('model')}', khác mô hình đang chọn "
            f"'{model}'. Hãy chạy `tracuu index --rebuild` để xây lại chỉ mục, hoặc đặt "
            f"TRACUU_MODEL về mô hình cũ."
        )
    catalog = Catalog.read_only(folder / "catalog.sqlite")
    vectors = VectorIndex.load(folder / "vectors.faiss", int(info["dim"]))
    lexical = LexicalIndex.load(folder / "lexical")
    return Snapshot(root, gen, catalog, vectors, lexical, info)


def next_generation(root: Path) -> Path:
    """A fresh, empty generation folder (stale unfinished ones are removed)."""
    root.mkdir(parents=True, exist_ok=True)
    live = current_generation(root)
    numbers = [int(p.name[4:]) for p in root.glob("gen-*") if p.name[4:].isdigit()]
    for stale in root.glob("gen-*"):
        if stale.name != live:
            shutil.rmtree(stale, ignore_errors=True)
    folder = root / f"gen-{max(numbers, default=0) + 1:06d}"
    folder.mkdir()
    return folder


def copy_catalog(root: Path, dest: Path) -> Catalog:
    """The live catalogue copied into ``dest`` (or a new empty one)."""
    live = current_generation(root)
    target = dest / "catalog.sqlite"
    if live:
        src = sqlite3.connect(f"file:{root / live / 'catalog.sqlite'}?mode=ro", uri=True)
        dst = sqlite3.connect(str(target))
        with contextlib.closing(src), contextlib.closing(dst):
            src.backup(dst)
    return Catalog(target)


def commit(root: Path, folder: Path, info: dict[str, object]) -> None:
    """Make ``folder`` the live generation, then drop the previous one."""
    (folder / "info.json").write_text(json.dumps({"format": FORMAT, **info}, ensure_ascii=False), encoding="utf-8")
    _fsync_tree(folder)
    old = current_generation(root)
    tmp = root / f".{CURRENT}.tmp"
    tmp.write_text(folder.name, encoding="utf-8")
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)
    if old and old != folder.name:
        shutil.rmtree(root / old, ignore_errors=True)


@contextlib.contextmanager
def writer_lock(root: Path) -> Iterator[None]:
    """One writer at a time; a second one is told to wait."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IndexError_(
                f"Chỉ mục {root} đang được cập nhật bởi một tiến trình khác. Hãy đợi tiến trình đó xong rồi thử lại."
            ) from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    for path in [folder, *[p for p in folder.rglob("*") if p.is_dir()]]:
        _fsync_dir(path)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
