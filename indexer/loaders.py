"""Load a file (or a folder of files) into normalised ``Document`` objects."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer import readers
from indexer.errors import LoadError
from indexer.models import Document
from indexer.normalize import assemble, looks_hard_wrapped

if TYPE_CHECKING:
    from indexer.readers.ocr import OcrConfig

log = logging.getLogger(__name__)

DEFAULT_MAX_MB = 50


def load_document(path: str | Path, max_mb: int = DEFAULT_MAX_MB, ocr: OcrConfig | None = None) -> Document:
    """Read, decode, normalise and parse the header of one file; scans and page images are read by ``ocr``."""
    from indexer.metadata import parse_header
    from indexer.namehints import complete_from_name

    path = Path(path)
    data = _read_bytes(path, max_mb)
    raw = readers.read_raw(path, data, ocr)
    unwrap = raw.wrapped or looks_hard_wrapped([ln for p in raw.pages for ln in p])
    text, page_starts = assemble(raw.pages, unwrap=unwrap, starts=raw.starts)
    if sum(ch.isalpha() for ch in text) < 20:
        raise LoadError(
            str(path), "empty",
            f"Tệp {path.name} không có nội dung chữ để tra cứu. Hãy kiểm tra lại tệp rồi nạp lại.",
        )
    header = parse_header(text)
    signature = " ".join(x for x in (header.meta.signer_capacity, header.meta.signer) if x)
    recipients, meta_spans = split_closing(text, header.excluded, signature)
    recipients = tuple(sorted((*recipients, *addressee_spans(text, header.body_start))))
    meta, notes = header.meta, raw.notes
    if 0 in raw.ocr_pages:  # a scanned first page: a handwritten number or day may be confirmed by the name
        meta, filled = complete_from_name(meta, text[: header.body_start], path.name)
        notes += filled
    if raw.encoding in ("TCVN3", "VNI", "cp1258", "utf-16", "utf-32"):
        notes += (f"Đã nhận dạng bảng mã {raw.encoding} và chuyển sang Unicode.",)
    return Document(
        doc_id=hashlib.sha256(data).hexdigest()[:16],
        path=str(path),
        text=text,
        meta=meta,
        page_starts=page_starts if raw.source_format in ("pdf", "image") else (),
        body=(header.body_start, len(text)),
        excluded=recipients,
        meta_spans=meta_spans,
        source_format=raw.source_format,
        encoding=raw.encoding,
        notes=notes,
    )


_META_LINE = re.compile(
    r"^(?:\*+|Số\s.*|.*\bngày\s+\d{0,2}\s*tháng\s+\d{1,2}\s+năm\s+\d{4}.*"
    r"|.*\b(?:SAO Y|SAO LỤC|TRÍCH SAO|Sao y|Sao lục)\b.*"
    r"|(?:T/M|K/T|T/L|TM\.|KT\.|TL\.|Q\.|TUQ\.)\s.*)$"
)


_Spans = tuple[tuple[int, int], ...]


def split_closing(text: str, excluded: _Spans, signature: str = "") -> tuple[_Spans, _Spans]:
    """Split the closing blocks: recipients lists stay excluded; signature and copy lines become meta spans. A
    line that ends in the ``signature`` (a portal's two-column table read as one line: "Nơi nhận: - …; - Lưu VT.
    TM. ỦY BAN NHÂN DÂN TỈNH CHỦ TỊCH Chẩu Văn Lâm") is cut before it."""
    recipients: list[tuple[int, int]] = []
    meta: list[tuple[int, int]] = []
    for start, end in excluded:
        for span in _lines(text, start, end, signature):
            stripped = text[span[0]:span[1]].strip()
            if not stripped:
                continue
            target = meta if _is_meta_line(stripped) else recipients
            if target and text[target[-1][1]:span[0]].strip() == "":
                target[-1] = (target[-1][0], span[1])
            else:
                target.append(span)
    return tuple(recipients), tuple(meta)


_ADDRESSED = re.compile(r"^[ \t]*(?:\*\*)?Kính gửi\s*(?:\*\*)?\s*:?", re.MULTILINE | re.IGNORECASE)
_DASHED_LINE = re.compile(r"\n(?:[ \t]*\n)?[ \t]*[-+•][^\n]*")  # one blank line may stand between
ADDRESS_WINDOW = 3000  # characters after the body start within which a letter names its addressees


def addressee_spans(text: str, body_start: int) -> tuple[tuple[int, int], ...]:
    """The "Kính gửi: …" block of a letter (its line, and the dashed lines of a list below it): like the
    recipients, the document's audience, not a passage of its own (its bodies would rank it first for any
    question naming them)."""
    found = _ADDRESSED.search(text, 0, body_start + ADDRESS_WINDOW)
    if found is None:
        return ()
    end = text.find("\n", found.end())
    end = len(text) if end < 0 else end
    while (line := _DASHED_LINE.match(text, end)) is not None:
        end = line.end()
    return ((found.start(), end),)


def _lines(text: str, start: int, end: int, signature: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = start
    for line in text[start:end].split("\n"):
        at = line.rfind(signature) if signature and len(signature) < len(line.strip()) else -1
        out += [(pos, pos + at), (pos + at, pos + len(line))] if at > 0 else [(pos, pos + len(line))]
        pos += len(line) + 1
    return out


def _is_meta_line(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters) / max(1, len(letters))
    words = line.split()
    name = 2 <= len(words) <= 5 and all(w[:1].isupper() for w in words) and not line.endswith((",", ".", ";"))
    return upper > 0.6 or name or bool(_META_LINE.match(line.strip("* ")))


def _read_bytes(path: Path, max_mb: int) -> bytes:
    if not path.is_file():
        raise LoadError(str(path), "missing", f"Không tìm thấy tệp {path}. Hãy kiểm tra lại đường dẫn.")
    if path.suffix.lower() not in readers.SUPPORTED:
        raise LoadError(
            str(path), "unsupported",
            f"Tệp {path.name} có định dạng {path.suffix or '(không đuôi)'} chưa được hỗ trợ. "
            "Hãy chuyển sang PDF, DOCX, DOC, TXT, HTML, Markdown hoặc ảnh (PNG, JPG, TIFF) rồi nạp lại.",
        )
    size = path.stat().st_size
    if size == 0:
        raise LoadError(str(path), "empty", f"Tệp {path.name} rỗng (0 byte). Hãy chọn đúng tệp rồi nạp lại.")
    if size > max_mb * 1024 * 1024:
        raise LoadError(
            str(path), "too_large",
            f"Tệp {path.name} quá lớn ({size / 1048576:.0f} MB, giới hạn {max_mb} MB). "
            "Hãy tách tệp thành các phần nhỏ hơn hoặc tăng TRACUU_MAX_FILE_MB.",
        )
    return path.read_bytes()


@dataclass(frozen=True)
class FolderResult:
    documents: tuple[Document, ...]
    failures: tuple[LoadError, ...]


def iter_files(root: str | Path) -> Iterator[Path]:
    """Files below ``root`` (or ``root`` itself), hidden ones skipped, sorted."""
    root = Path(root)
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
            yield path


def load_folder(root: str | Path, max_mb: int = DEFAULT_MAX_MB, ocr: OcrConfig | None = None) -> FolderResult:
    """Load every file below ``root``; failures are collected, not raised."""
    docs: list[Document] = []
    failures: list[LoadError] = []
    for path in iter_files(root):
        try:
            docs.append(load_document(path, max_mb, ocr))
        except LoadError as err:
            log.warning("%s", err)
            failures.append(err)
    return FolderResult(tuple(docs), tuple(failures))
