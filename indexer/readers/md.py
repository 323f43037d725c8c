"""Markdown: plain text lines with the markup removed."""

from __future__ import annotations

import re
from pathlib import Path

from indexer.readers.raw import Raw

_MD_RULES = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"^\s{0,3}#{1,6}\s*"), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?!\w)"), r"\1"),
    (re.compile(r"^\s*>\s?"), ""),
    (re.compile(r"^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$"), ""),
    (re.compile(r"`([^`]*)`"), r"\1"),
)


def read_markdown(path: Path, text: str) -> Raw:
    lines = []
    for line in text.split("\n"):
        for pattern, repl in _MD_RULES:
            line = pattern.sub(repl, line)
        if line.strip().startswith("|"):
            line = " | ".join(c.strip() for c in line.strip().strip("|").split("|"))
        lines.append(line)
    return Raw(pages=[lines], source_format="md")
