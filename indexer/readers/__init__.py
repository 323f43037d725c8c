"""Format readers: bytes on disk -> pages of raw lines, one small module per format.

Each reader returns a ``Raw``. Formats are told apart by content, not by file
name. Every failure is a ``LoadError`` whose message names the file and says
what to do.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.encoding import decode
from indexer.errors import LoadError
from indexer.readers.raw import Raw

if TYPE_CHECKING:
    from indexer.readers.ocr import OcrConfig

__all__ = ["SUPPORTED", "Raw", "read_raw", "sniff"]

IMAGES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
SUPPORTED = (".txt", ".pdf", ".docx", ".doc", ".html", ".htm", ".md", ".markdown", *IMAGES)
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(data: bytes, suffix: str) -> str:
    """The file's real format from its first bytes (the suffix only breaks ties)."""
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_IMAGE_MAGIC):
        return "image"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # OLE2: Word 97-2003
        return "doc"
    if suffix in (".html", ".htm") or re.match(rb"\s*<(?:!doctype html|html)", data[:512], re.I):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    return "txt"


def read_raw(path: Path, data: bytes, ocr: OcrConfig | None = None) -> Raw:
    """Read ``data`` (the bytes of ``path``) with the reader its content calls for; scans use ``ocr``."""
    kind = sniff(data, path.suffix.lower())
    if kind == "pdf":
        from indexer.readers.pdf import read_pdf

        return read_pdf(path, data, ocr)
    if kind == "image":
        from indexer.readers.image import read_image

        return read_image(path, data, ocr)
    if kind == "docx":
        from indexer.readers.word import read_docx

        return read_docx(path, data)
    if kind == "doc":
        from indexer.readers.doc import read_doc

        return read_doc(path, data)
    if kind == "html":
        from indexer.readers.web import decode_html, read_html

        text, encoding = decode_html(path, data)
        raw = read_html(path, text)
        return Raw(raw.pages, raw.source_format, raw.wrapped, encoding, raw.starts)
    if path.suffix.lower() in (".pdf", ".docx", ".doc", *IMAGES):
        raise LoadError(
            str(path), "wrong_type",
            f"Tệp {path.name} mang đuôi {path.suffix} nhưng nội dung không phải {path.suffix[1:].upper()}. "
            "Hãy kiểm tra lại tệp (có thể đã hỏng hoặc đặt sai đuôi).",
        )
    text, encoding = decode(path, data)
    if kind == "md":
        from indexer.readers.md import read_markdown

        raw = read_markdown(path, text)
    else:
        raw = Raw(pages=[text.split("\n")], source_format="txt")
    return Raw(raw.pages, raw.source_format, raw.wrapped, encoding, raw.starts)
