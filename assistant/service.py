"""UI-facing operations (no Gradio): documents, viewer data, asking, duties, ingest, delete.

The web app calls only this module, so every rule that protects the index
(size and type checks, validation before copying, the admin password) lives
here and is tested without a browser. Messages for the user are Vietnamese.
"""

from __future__ import annotations

import bisect
import hmac
import logging
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from assistant.answer import Assistant, extractive_answer
from assistant.citations import Answer, Citation, cite, doc_label, vn_date
from assistant.retrieve import Filters, Retriever
from indexer import store
from indexer.errors import LoadError, TracuuError
from indexer.models import Document
from indexer.settings import Settings, apply_thread_policy
from indexer.vntext import fold

log = logging.getLogger(__name__)

__all__ = ["DocRow", "DocView", "IndexStatus", "Outcome", "Service", "Settings", "TracuuError", "load_settings"]

UPLOAD_DIR = "uploads"
ALLOWED = {"pdf": ".pdf", "docx": ".docx", "txt": ".txt"}
BUSY = "Đang có một thao tác nạp hoặc xóa khác. Hãy đợi thao tác đó xong rồi thử lại."
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    label: str
    number: str
    doc_type: str
    issuer: str
    date: str  # as Vietnamese documents write it ("09/5/2023")
    title: str
    pages: int | None
    chunks: int
    superseded_by: tuple[str, ...]
    file_name: str
    uploaded: bool


@dataclass(frozen=True)
class OutlineItem:
    start: int
    end: int
    level: int
    label: str


@dataclass(frozen=True)
class DocView:
    doc_id: str
    label: str
    title: str
    issuer: str
    date: str
    text: str
    outline: tuple[OutlineItem, ...]
    page_starts: tuple[int, ...]

    def page_at(self, offset: int) -> int | None:
        return bisect.bisect_right(self.page_starts, offset) or None if self.page_starts else None


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


class Composer(Protocol):
    """The optional LLM composer (``assistant.llm``): streams raw text, then a verified ``Answer``."""

    def stream(self, question: str, standalone: str, hits: Sequence) -> Iterator[str]: ...

    def finish(self, raw: str, question: str, standalone: str, hits: Sequence) -> Answer: ...


@dataclass(frozen=True)
class _Pending(Answer):
    """What ``Assistant.ask`` returns through ``_Deferred``: the retrieved hits, nothing composed yet."""

    hits: tuple = ()


class _Deferred:
    """Stands in for the LLM inside ``Assistant.ask`` (same gate and retrieval) so the answer can stream here."""

    def answer(self, question: str, standalone: str, hits: Sequence) -> Answer:
        return _Pending(question, "", False, "llm", standalone=standalone, hits=tuple(hits))


def load_settings(**overrides: object) -> Settings:
    """Settings from ``TRACUU_*`` with the thread policy applied (call before heavy imports)."""
    settings = Settings.from_env(**overrides)
    apply_thread_policy(settings)
    return settings


def _make_llm(settings: Settings) -> Composer | None:
    """The configured composer; a bad configuration raises its Vietnamese ``SettingsError``."""
    if not settings.llm_provider:
        return None
    from assistant.llm import make_llm

    return make_llm(settings)


@dataclass
class Service:
    settings: Settings
    llm: Composer | None = None
    assistant: Assistant | None = None
    status: IndexStatus = field(default_factory=IndexStatus)
    _write: threading.Lock = field(default_factory=threading.Lock)
    _views: dict[tuple[str, str], DocView] = field(default_factory=dict)
    _duty_cache: tuple[str, tuple] = ("", ())

    def __post_init__(self) -> None:
        self.llm = self.llm or _make_llm(self.settings)
        self.assistant = self.assistant or Assistant(self.settings, llm=_Deferred() if self.llm else None)

    def _retriever(self) -> Retriever:
        assert self.assistant is not None and self.assistant.retriever is not None
        return self.assistant.retriever

    # -- reading ----------------------------------------------------------------
    @property
    def mode_label(self) -> str:
        return "LLM, trích dẫn đã kiểm chứng" if self.llm else "Trích dẫn nguyên văn"

    @property
    def admin_enabled(self) -> bool:
        return bool(self.settings.admin_password)

    def generation(self) -> str | None:
        return store.current_generation(Path(self.settings.index))

    def _docs(self) -> list[Document]:
        return self._retriever().snapshot().catalog.documents() if self.generation() else []

    def counts(self) -> tuple[int, int]:
        return self._retriever().snapshot().catalog.counts() if self.generation() else (0, 0)

    def documents(self) -> list[DocRow]:
        docs = self._docs()
        if not docs:
            return []
        db = self._retriever().snapshot().catalog.db
        chunks = dict(db.execute("SELECT doc_id, COUNT(*) FROM chunks GROUP BY doc_id").fetchall())
        uploads = (Path(self.settings.corpus) / UPLOAD_DIR).resolve()
        return [_row(d, docs, chunks.get(d.doc_id, 0), uploads) for d in docs]

    def facets(self) -> tuple[list[str], list[str]]:
        """Document types and issuers present in the index (for the filter lists)."""
        docs = self._docs()
        return (sorted({d.meta.doc_type for d in docs if d.meta.doc_type}),
                sorted({d.meta.issuer for d in docs if d.meta.issuer}))

    def document(self, doc_id: str) -> DocView | None:
        gen = self.generation()
        if gen is None:
            return None
        if (gen, doc_id) not in self._views:
            doc = self._retriever().snapshot().catalog.document(doc_id)
            if doc is None:
                return None
            self._views = {k: v for k, v in self._views.items() if k[0] == gen} | {(gen, doc_id): _view(doc)}
        return self._views[(gen, doc_id)]

    # -- asking -----------------------------------------------------------------
    def ask_stream(self, question: str, history: Sequence[Answer] = (),
                   filters: Filters | None = None) -> Iterator[str | Answer]:
        """Partial LLM text (``str``, not yet verified) while it streams, then the final ``Answer``."""
        assert self.assistant is not None
        answer = self.assistant.ask(question, history, filters)
        if not isinstance(answer, _Pending) or self.llm is None:
            yield answer
            return
        raw = ""
        try:
            stream = self.llm.stream(answer.question, answer.standalone, answer.hits)
            for piece in stream:
                raw += piece
                yield raw
            finish = getattr(stream, "answer", None)  # assistant.llm.ReplyStream verifies and handles failures
            yield finish() if callable(finish) else self.llm.finish(raw, question, answer.standalone, answer.hits)
        except Exception as err:  # a remote model fails in many ways; fall back, never lose the answer
            log.warning("LLM failed, extractive fallback: %s", err)
            base = extractive_answer(question, answer.standalone, answer.hits)
            yield replace(base, notes=(*base.notes, "Không gọi được mô hình ngôn ngữ; đây là câu trả lời "
                                                    "trích dẫn nguyên văn."))

    def ask(self, question: str, history: Sequence[Answer] = (), filters: Filters | None = None) -> Answer:
        *_, final = self.ask_stream(question, history, filters)
        assert isinstance(final, Answer)
        return final

    def search(self, query: str, filters: Filters | None = None, k: int = 8) -> list[Citation]:
        """Passages closest to ``query`` as citations (no answer is composed)."""
        hits = self._retriever().search(query, k=k, filters=filters)
        return [cite(h.rank, h.doc, h.chunk, h.chunk.start, h.chunk.end) for h in hits]

    def warm_up(self) -> None:
        """Load the embedder and the index so the first question is fast."""
        if self.generation() is not None:
            self._retriever().search("khởi động", k=1)

    # -- duties register ----------------------------------------------------------
    def _all_duties(self) -> tuple:
        from assistant.duties import duties_for

        gen = self.generation() or ""
        if self._duty_cache[0] != gen:
            self._duty_cache = (gen, duties_for(self._docs(), None))
        return self._duty_cache[1]

    def duty_bodies(self) -> list[tuple[str, int]]:
        """(body, number of duties) over the indexed documents, most duties first."""
        counts: dict[str, int] = {}
        for row in self._all_duties():
            counts[row.body] = counts.get(row.body, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def resolve_body(self, query: str | None) -> str | None:
        """The canonical body for what the user typed ("BTC TW" -> "Ban Tổ chức Trung ương")."""
        from assistant.bodies import resolve

        query = (query or "").strip()
        return query if query in dict(self.duty_bodies()) else (resolve(query) if query else None)

    def duties(self, body: str, doc_id: str | None = None, role: str | None = None) -> list:
        """Rows (``assistant.duties.Duty``) for ``body``, optionally of one document and one role."""
        return [r for r in self._all_duties()
                if r.body == body and doc_id in (None, r.doc_id) and role in (None, r.role)]

    def export_duties(self, rows: Sequence, body: str) -> tuple[Path, Path]:
        """The rows as CSV and XLSX files in a fresh temporary folder."""
        from assistant.duties import write_csv, write_xlsx

        folder = Path(tempfile.mkdtemp(prefix="tracuu-nhiem-vu-"))
        name = "nhiem-vu-" + _safe_name(fold(body).replace(" ", "-"))[:60]
        return write_csv(rows, folder / f"{name}.csv"), write_xlsx(rows, folder / f"{name}.xlsx")

    # -- writing (admin) ------------------------------------------------------------
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
            report = progress or (lambda fraction, message: None)
            report(0.05, "Đang kiểm tra tệp…")
            staged = _check_upload(Path(upload), self.settings.max_file_mb)
            if isinstance(staged, Outcome):
                return staged
            copied = self._validate_and_copy(Path(upload), staged)
            if isinstance(copied, Outcome):
                return copied
            report(0.2, f"Đang lập chỉ mục {doc_label(copied[1])}…")
            return self._index_copied(*copied)
        finally:
            self._write.release()

    def _validate_and_copy(self, upload: Path, name: str) -> tuple[Path, Document] | Outcome:
        with tempfile.TemporaryDirectory(prefix="tracuu-upload-") as tmp:
            staged = Path(tmp) / name
            shutil.copyfile(upload, staged)
            try:
                doc = _load(staged, self.settings.max_file_mb)
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


def parse_date(text: str | None) -> str | None:
    """ "9/5/2023" -> "2023-05-09", "5/2023" -> "2023-05", "2023" -> "2023"; ValueError (Vietnamese) otherwise."""
    text = (text or "").strip()
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text):
        return "-".join([m.group(1)] + [f"{int(g):02d}" for g in m.groups()[1:] if g])
    m = re.fullmatch(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})", text)
    if m and 1 <= int(m.group(2)) <= 12 and (m.group(1) is None or 1 <= int(m.group(1)) <= 31):
        day, month, year = m.groups()
        return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    raise ValueError(f"Ngày “{text}” không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 09/5/2023.")


def make_filters(doc_types: Sequence[str] | None, issuers: Sequence[str] | None,
                 date_from: str | None, date_to: str | None) -> Filters:
    """Filters from the side panel; raises ValueError (Vietnamese) on a bad date."""
    return Filters(doc_types=tuple(doc_types or ()), issuers=tuple(issuers or ()),
                   date_from=parse_date(date_from), date_to=parse_date(date_to))


def _row(doc: Document, docs: list[Document], chunks: int, uploads: Path) -> DocRow:
    meta, path = doc.meta, Path(doc.path)
    own = fold(meta.doc_number or "")
    by = tuple(doc_label(d) for d in docs if own and own in {fold(n) for n in d.meta.supersedes})
    return DocRow(doc.doc_id, doc_label(doc), meta.doc_number or "", meta.doc_type or "", meta.issuer or "",
                  vn_date(meta.date or meta.date_approx), meta.title or "", doc.pages, chunks, by, path.name,
                  path.resolve().is_relative_to(uploads))


def _view(doc: Document) -> DocView:
    """The viewer's data: text, page starts and an outline of headings and numbered items."""
    from indexer.outline import is_heading, parse_outline

    items = []
    for n in parse_outline(doc):
        numbered = n.kind in ("part", "chapter", "division", "article", "roman", "number") and n.level <= 2
        titled = n.kind not in ("paragraph", "meta") and is_heading(n.kind, n.title) and n.level <= 3
        if numbered or titled:
            label = f"{n.marker} {n.title}".strip()
            items.append(OutlineItem(n.start, n.end, n.level, label[:80] + ("…" if len(label) > 80 else "")))
    meta = doc.meta
    return DocView(doc.doc_id, doc_label(doc), meta.title or "", meta.issuer or "",
                   vn_date(meta.date or meta.date_approx), doc.text, tuple(items), doc.page_starts)


def _check_upload(path: Path, max_mb: int) -> str | Outcome:
    """The staged file name (its suffix decided by the content) or the reason to refuse."""
    from indexer.readers import sniff

    name = _safe_name(path.name)
    size = path.stat().st_size if path.is_file() else -1
    if size <= 0:
        return Outcome(False, f"Tệp {name} rỗng (0 byte). Hãy chọn đúng tệp rồi nạp lại." if size == 0
                       else "Không nhận được tệp tải lên. Hãy chọn lại tệp.")
    if size > max_mb * 1024 * 1024:
        return Outcome(False, f"Tệp {name} quá lớn ({size / 1048576:.1f} MB, giới hạn {max_mb} MB). "
                              "Hãy tách tệp thành các phần nhỏ hơn rồi nạp lại.")
    with path.open("rb") as fh:
        head = fh.read(4096)
    suffix = path.suffix.lower()
    kind = sniff(head, suffix)
    if kind in ("pdf", "docx"):
        return Path(name).stem + ALLOWED[kind]
    if suffix in (".pdf", ".docx"):
        return Outcome(False, f"Tệp {name} mang đuôi {suffix} nhưng nội dung không phải {suffix[1:].upper()} "
                              "(tệp đã hỏng hoặc đặt sai đuôi). Hãy mở thử tệp, xuất lại rồi nạp lại.")
    binary = b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if kind == "txt" and suffix in ("", ".txt") and not binary:
        return Path(name).stem + ".txt"
    return Outcome(False, f"Tệp {name} không phải PDF, DOCX hoặc TXT (kiểm tra theo nội dung tệp). "
                          "Hãy chọn tệp PDF, DOCX hoặc TXT rồi nạp lại.")


def _load(path: Path, max_mb: int) -> Document:
    from indexer.loaders import load_document

    try:
        return load_document(path, max_mb)
    except LoadError:
        raise
    except Exception as exc:  # a reader bug must not take the app down
        log.exception("loading %s failed", path)
        raise LoadError(str(path), "unreadable", f"Không đọc được tệp {path.name} ({type(exc).__name__}). "
                        "Hãy kiểm tra tệp hoặc xuất lại sang PDF/DOCX rồi nạp lại.") from exc


def _safe_name(name: str) -> str:
    return (re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "van-ban")[-120:]


def _free_name(folder: Path, name: str) -> Path:
    dest, n = folder / name, 1
    while dest.exists():
        dest, n = folder / f"{Path(name).stem}-{n}{Path(name).suffix}", n + 1
    return dest
