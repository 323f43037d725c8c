"""Text decoding: UTF-8/UTF-16 (with or without BOM), Windows-1258, and the
legacy Vietnamese font encodings (TCVN3/ABC, VNI) converted to Unicode."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from indexer.errors import LoadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_NAMES = {"utf-8-sig": "utf-8", "utf-32": "utf-32", "utf-16": "utf-16"}


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name as reported)."""
    text, encoding = _decode_unicode(data)
    if text is None:
        text, encoding = _decode_legacy_bytes(path, data)
    if _is_binary(text):
        raise LoadError(
            str(path), "binary",
            f"Tệp {path.name} không phải văn bản (có vẻ là tệp nhị phân mang đuôi .txt). "
            "Hãy kiểm tra lại tệp; chỉ nạp TXT, PDF, DOCX, HTML hoặc Markdown.",
        )
    return _fix_legacy_text(path, text, encoding)


def _decode_unicode(data: bytes) -> tuple[str | None, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), _NAMES[codec]
            except UnicodeDecodeError:
                return None, ""
    utf16 = _bomless_utf16(data)
    if utf16:
        try:
            return data.decode(utf16), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return None, ""


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _decode_legacy_bytes(path: Path, data: bytes) -> tuple[str, str]:
    """Not Unicode: a legacy font encoding read as Latin-1, or Windows-1258."""
    from indexer.legacy import detect_legacy

    latin = data.decode("latin-1")
    if detect_legacy(latin):
        return latin, "latin-1"
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258"
    except UnicodeDecodeError:
        return latin, "latin-1"


def _fix_legacy_text(path: Path, text: str, encoding: str) -> tuple[str, str]:
    from indexer.legacy import fix_legacy, legacy_residue

    fixed, legacy = fix_legacy(text)
    if legacy is None:
        return text, encoding
    if legacy_residue(fixed) > 0.02:
        raise LoadError(
            str(path), "legacy_partial",
            f"Tệp {path.name} gõ bằng bảng mã cũ {legacy} nhưng không chuyển đổi trọn vẹn được. "
            "Hãy mở tệp bằng Unikey (Công cụ chuyển mã) chuyển sang Unicode rồi nạp lại.",
        )
    return fixed, legacy


def _is_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bad / len(sample) > 0.01
