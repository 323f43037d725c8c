"""HTML pages: the visible text."""

from __future__ import annotations

from pathlib import Path

from indexer.readers.raw import Raw


def read_html(path: Path, text: str) -> Raw:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    body = soup.get_text("\n")
    return Raw(pages=[body.split("\n")], source_format="html")
