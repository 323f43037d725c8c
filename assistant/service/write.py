"""Writing to the index for the web app (no Gradio): the admin password, upload checks, ingest, delete
and the first build from the corpus.

Every rule that protects the index (size and type checks, validation before
copying, the admin password) lives here; ``Service`` mixes ``IndexWriter`` in.
Messages for the user are Vietnamese.
"""

from __future__ import annotations

import hmac
import logging
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.qa.citations import doc_label
from indexer.errors import LoadError, TracuuError
from indexer.models import Document
from indexer.settings import Settings

if TYPE_CHECKING:
    from assistant.qa.retrieve import Retriever
    from assistant.service.docs import DocRow
    from indexer.readers.ocr import OcrConfig

log = logging.getLogger("assistant.service")  # the logger name from before the split, kept for the logs

UPLOAD_DIR = "uploads"
BINARY = {"pdf": ".pdf", "docx": ".docx", "doc": ".doc"}  # kinds whose suffix the content decides
IMAGE_SUFFIX = {b"\x89PNG": ".png", b"\xff\xd8\xff": ".jpg", b"II*\x00": ".tif", b"MM\x00*": ".tif"}
TEXT_SUFFIXES = ("", ".txt", ".md", ".markdown", ".html", ".htm")
FORMATS = "PDF, DOCX, DOC, TXT, HTML, Markdown hoặc ảnh PNG/JPG/TIFF"
BUSY = "Đang có một thao tác nạp hoặc xóa khác. Hãy đợi thao tác đó xong rồi thử lại."
Progress = Callable[[float, str], None]
OCR_SHARE = (0.1, 0.8)  # the part of an upload's progress bar that recognising a scan's pages fills


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    doc_id: str | None = None


@dataclass
class IndexStatus:
    building: bool = False
    message: str = ""
    failed: bool = False


class IndexWriter:
    """The writing half of ``assistant.service.Service`` (a mixin): every change to the index goes through here.

    Uses the service's settings, status and write lock, and its read methods declared below."""

    settings: Settings
    status: IndexStatus
    _write: threading.Lock

    if TYPE_CHECKING:  # provided by Service

        def _retriever(self) -> Retriever: ...

        def _docs(self) -> list[Document]: ...

        def documents(self) -> list[DocRow]: ...

        def counts(self) -> tuple[int, int]: ...

        def generation(self) -> str | None: ...

    @property
    def admin_enabled(self) -> bool:
        return bool(self.settings.admin_password)

    def check_password(self, password: str | None) -> str | None:
        """None when allowed, else the Vietnamese reason."""
        if not self.admin_enabled:
            return ("Chức năng nạp và xóa văn bản đang tắt vì chưa đặt mật khẩu quản trị. "
                    "Hãy đặt biến môi trường TRACUU_ADMIN_PASSWORD rồi khởi động lại ứng dụng.")
        if not password:
            return "Hãy nhập mật khẩu quản trị trước khi nạp hoặc xóa văn bản."
        if not hmac.compare_digest(password.encode(), self.settings.admin_password.encode()):
            return "Mật khẩu quản trị không đúng. Hãy nhập lại."
        return None

    def ingest(self, upload: str | Path, password: str | None, progress: Progress | None = None) -> Outcome:
        """Check type (by content) and size, validate, copy into ``corpus/uploads``, index incrementally.

        On any failure the index and the corpus folder are left exactly as they were."""
        denied = self.check_password(password)
        if denied or not self._write.acquire(blocking=False):
            return Outcome(False, denied or BUSY)
        try:
            report = _PageReport(progress or (lambda fraction, message: None))
            report(0.05, "Đang kiểm tra tệp…")
            staged = _check_upload(Path(upload), self.settings.max_file_mb)
            if isinstance(staged, Outcome):
                return staged
            copied = self._validate_and_copy(Path(upload), staged, report)
            if isinstance(copied, Outcome):
                return copied
            report(OCR_SHARE[1] if report.pages else 0.2, f"Đang lập chỉ mục {doc_label(copied[1])}…")
            return self._index_copied(*copied)
        finally:
            self._write.release()

    def _validate_and_copy(self, upload: Path, name: str, report: _PageReport) -> tuple[Path, Document] | Outcome:
        """Load the staged upload (a scan is recognised here, page by page, into the OCR cache that indexing
        then reads) and copy it into the upload folder unless it is already loaded."""
        from indexer.readers.ocr import config_for

        with tempfile.TemporaryDirectory(prefix="tracuu-upload-") as tmp:
            staged = Path(tmp) / name
            shutil.copyfile(upload, staged)
            try:
                doc = _load(staged, self.settings.max_file_mb, config_for(self.settings, report.page))
            except LoadError as err:
                return Outcome(False, str(err))
            if any(d.doc_id == doc.doc_id for d in self._docs()):
                return Outcome(False, f"Tệp {name} trùng nội dung với văn bản đã nạp ({doc_label(doc)}); "
                                      "không cần nạp lại.", doc.doc_id)
            dest = _free_name(Path(self.settings.corpus) / UPLOAD_DIR, name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged, dest)
        return dest, doc

    def _index_copied(self, dest: Path, doc: Document) -> Outcome:
        from indexer.build import build_index

        try:
            summary = build_index([dest], self.settings, progress=True)
        except Exception as err:  # whatever failed, the copied file goes and the index stays as it was
            dest.unlink(missing_ok=True)
            log.exception("indexing %s failed", dest)
            detail = str(err) if isinstance(err, TracuuError) else f"lỗi {type(err).__name__} khi lập chỉ mục"
            return Outcome(False, f"Không nạp được {dest.name}: {detail}. Chỉ mục không thay đổi.")
        if summary.merged and not summary.skipped:  # kept as another file of a loaded document
            return Outcome(True, f"Đã lưu {dest.name}: {summary.merged[0][1]}")
        if summary.skipped or not (summary.added or summary.updated):
            dest.unlink(missing_ok=True)
            reason = summary.skipped[0][1] if summary.skipped else "không có nội dung mới"
            return Outcome(False, f"Không nạp được {dest.name}: {reason}")
        pages = f", {doc.pages} trang" if doc.pages else ""
        return Outcome(True, f"Đã nạp {doc_label(doc)}{pages} (chỉ mục có {summary.documents} văn bản, "
                             f"{summary.chunks} đoạn; {summary.seconds:.0f} giây).", doc.doc_id)

    def delete(self, doc_id: str | None, password: str | None) -> Outcome:
        """Remove a document from the index; an uploaded file is removed from ``corpus/uploads`` too."""
        from indexer.build import remove_documents

        denied = self.check_password(password)
        row = next((r for r in self.documents() if r.doc_id == doc_id), None)
        if denied or row is None:
            return Outcome(False, denied or "Hãy chọn một văn bản trong danh sách để xóa.")
        if not self._write.acquire(blocking=False):
            return Outcome(False, BUSY)
        try:
            doc = self._retriever().snapshot().catalog.document(row.doc_id)
            remove_documents([row.doc_id], self.settings)
        except TracuuError as err:
            return Outcome(False, str(err))
        finally:
            self._write.release()
        if row.uploaded and doc is not None:
            Path(doc.path).unlink(missing_ok=True)
            return Outcome(True, f"Đã xóa {row.label} khỏi chỉ mục và thư mục tải lên.", row.doc_id)
        return Outcome(True, f"Đã xóa {row.label} khỏi chỉ mục. Tệp gốc {row.file_name} vẫn nằm trong thư mục "
                             "văn bản; hãy xóa tệp đó nếu không muốn nạp lại.", row.doc_id)

    def ensure_index(self, on_progress: Callable[[str], None] | None = None) -> None:
        """Build the index from ``settings.corpus`` when there is none yet, file by file, reporting progress."""
        from indexer.loaders import iter_files
        from indexer.readers import SUPPORTED

        if self.generation() is not None:
            return
        corpus = Path(self.settings.corpus)
        files = [p for p in iter_files(corpus) if p.suffix.lower() in SUPPORTED] if corpus.exists() else []
        report = on_progress or (lambda message: None)
        try:
            self._build_each(files, report)
        except Exception as err:  # reported in the UI and the log; the app keeps serving
            log.exception("initial indexing failed")
            detail = str(err) if isinstance(err, TracuuError) else f"lỗi {type(err).__name__}, xem nhật ký máy chủ"
            self.status = IndexStatus(False, f"Lập chỉ mục lần đầu thất bại: {detail}", failed=True)
            report(self.status.message)

    def _build_each(self, files: list[Path], report: Callable[[str], None]) -> None:
        from indexer.build import build_index

        started, skipped = time.perf_counter(), 0
        for i, path in enumerate(files, 1):
            self.status = IndexStatus(True, f"Đang lập chỉ mục lần đầu: tệp {i}/{len(files)} ({path.name})…")
            report(self.status.message)
            summary = build_index([path], self.settings)
            skipped += len(summary.skipped)
            for name, reason in summary.skipped:
                report(f"Bỏ qua {name}: {reason}")
        docs, chunks = self.counts()
        extra = f"; bỏ qua {skipped} tệp" if skipped else ""
        self.status = IndexStatus(False, f"Đã lập chỉ mục {docs} văn bản, {chunks} đoạn trong "
                                         f"{time.perf_counter() - started:.0f} giây{extra}.")
        report(self.status.message)


def _check_upload(path: Path, max_mb: int) -> str | Outcome:
    """The staged file name (its suffix decided by the content) or the reason to refuse."""
    from indexer.readers import sniff

    name = safe_name(path.name)
    size = path.stat().st_size if path.is_file() else -1
    if size <= 0:
        return Outcome(False, f"Tệp {name} rỗng (0 byte). Hãy chọn đúng tệp rồi nạp lại." if size == 0
                       else "Không nhận được tệp tải lên. Hãy chọn lại tệp.")
    if size > max_mb * 1024 * 1024:
        return Outcome(False, f"Tệp {name} quá lớn ({size / 1048576:.1f} MB, giới hạn {max_mb} MB). "
                              "Hãy tách tệp thành các phần nhỏ hơn rồi nạp lại.")
    with path.open("rb") as fh:
        head = fh.read(4096)
    return _staged_name(name, head, path.suffix.lower(), sniff(head, path.suffix.lower()))


def _staged_name(name: str, head: bytes, suffix: str, kind: str) -> str | Outcome:
    """The name to stage the upload under, its suffix decided by the content; or the reason to refuse."""
    stem = Path(name).stem
    if kind in BINARY:
        return stem + BINARY[kind]
    if kind == "image":
        return stem + next(ext for magic, ext in IMAGE_SUFFIX.items() if head.startswith(magic))
    if suffix in (*BINARY.values(), *IMAGE_SUFFIX.values(), ".jpeg", ".tiff"):
        return Outcome(False, f"Tệp {name} mang đuôi {suffix} nhưng nội dung không phải {suffix[1:].upper()} "
                              "(tệp đã hỏng hoặc đặt sai đuôi). Hãy mở thử tệp, xuất lại rồi nạp lại.")
    binary = b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if suffix in TEXT_SUFFIXES and not binary:
        return stem + (suffix or ".txt")
    return Outcome(False, f"Tệp {name} không phải {FORMATS} (kiểm tra theo nội dung tệp). "
                          f"Hãy chọn tệp {FORMATS} rồi nạp lại.")


class _PageReport:
    """The upload's progress, told of each page recognised: "Nhận dạng chữ trang 3/14 …"."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.pages = progress, 0

    def __call__(self, fraction: float, message: str) -> None:
        self.progress(fraction, message)

    def page(self, name: str, done: int, total: int) -> None:
        self.pages += 1
        low, high = OCR_SHARE
        self.progress(low + (high - low) * done / max(1, total), f"Nhận dạng chữ trang {done}/{total} …")


def _load(path: Path, max_mb: int, ocr: OcrConfig | None = None) -> Document:
    from indexer.loaders import load_document

    try:
        return load_document(path, max_mb, ocr)
    except LoadError:
        raise
    except Exception as exc:  # a reader bug must not take the app down
        log.exception("loading %s failed", path)
        raise LoadError(str(path), "unreadable", f"Không đọc được tệp {path.name} ({type(exc).__name__}). "
                        "Hãy kiểm tra tệp hoặc xuất lại sang PDF/DOCX rồi nạp lại.") from exc


def safe_name(name: str) -> str:
    return (re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "van-ban")[-120:]


def _free_name(folder: Path, name: str) -> Path:
    dest, n = folder / name, 1
    while dest.exists():
        dest, n = folder / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
    return dest
