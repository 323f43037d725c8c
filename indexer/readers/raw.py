"""The one type every format reader returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Raw:
    """Pages of raw lines, whether lines are hard-wrapped (PDF), and the text encoding found."""

    pages: list[list[str]]
    source_format: str
    wrapped: bool = False
    encoding: str | None = None
    # Per line: True = starts a paragraph, False = continues one, None = unknown.
    starts: list[list[bool | None]] | None = None
    ocr_pages: tuple[int, ...] = ()  # 0-based pages whose lines came from OCR
    notes: tuple[str, ...] = ()  # Vietnamese remarks for the index report (pages recognised by OCR, low confidence)
