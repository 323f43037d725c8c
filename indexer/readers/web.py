"""HTML pages: the document's own text, one line per block.

Two kinds of HTML arrive. Word's "Save as Web Page" (.htm, usually
windows-1252 with numeric entities and mso markup) is the document itself:
its whole body is read. A portal or legal-site page wraps the document in
menus, breadcrumbs, tabs, related links and a footer: those are pruned by
element (nav, header, footer, aside, ARIA roles, menu/breadcrumb classes), and
trafilatura picks the main content of what is left. Either way the text is
read block by block: inline elements join without a break (a title split over
"<span>B</span>an hành" stays one word), block elements and <br> break lines,
tables go through ``table_lines``.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import Any

from indexer.encoding import decode
from indexer.readers.boiler import drop_boilerplate
from indexer.readers.raw import Raw
from indexer.readers.tables import table_lines

_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# Word's own page: its Generator/ProgId meta or the Office namespace on <html> (not Word markup pasted into a portal).
_WORD = re.compile(r"<meta[^>]+(?:Microsoft Word|Word\.Document)|<html[^>]*urn:schemas-microsoft-com:office:word", re.I)
_BLOCK = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
    "blockquote", "pre", "center", "address", "figure", "figcaption", "main", "body", "hr", "caption",
    "tr", "td", "th", "head", "title", "fieldset", "legend", "details", "summary",
}
# Not "form": ASP.NET portals wrap the whole page in one.
_DROP = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
         "button", "select", "input", "textarea", "nav", "aside", "footer", "header", "menu", "dialog"}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar", "toolbar"}
_CHROME_WORDS = {"menu", "nav", "navbar", "navigation", "breadcrumb", "breadcrumbs", "footer", "sidebar", "related",
                 "share", "social", "comments", "banner", "toolbar", "topbar", "advert", "ads", "cookie", "pagination"}
_MOTTO = re.compile(r"^(?:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)")
_SPACE = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")


def decode_html(path: Path, data: bytes) -> tuple[str, str]:
    """Text of an HTML file: a BOM wins, then valid UTF-8 (pages often declare a charset they do not use),
    then the declared charset, then the project's sniffing (Windows-1258, TCVN3, VNI)."""
    match = _CHARSET.search(data[:8192])
    if match and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not _utf8(data):
        try:
            codec = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            codec = ""
        if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
            from indexer.legacy import fix_legacy

            if codec in ("cp1252", "iso8859-1", "latin-1"):  # a .VnTime (TCVN3) or VNI page declared Western
                text, legacy = fix_legacy(data.decode("latin-1"))
                if legacy:
                    return unicodedata.normalize("NFC", text), legacy
            return unicodedata.normalize("NFC", data.decode(codec, errors="replace")), codec
    return decode(path, data)


def _utf8(data: bytes) -> bool:
    """Non-ASCII bytes that all decode as UTF-8: UTF-8 whatever the page declares."""
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_html(path: Path, text: str) -> Raw:
    import lxml.html

    root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    if _WORD.search(text[:20000]):
        body = root.find("body")
        node = body if body is not None else root
        fmt = "html-word"
    else:
        _prune(root)
        node = _main_content(root)
        fmt = "html"
    lines = drop_boilerplate([ln for ln in _lines(node) if ln])
    if fmt == "html" and len(lines) > 1 and any(ch.islower() for ch in lines[0]) and any(
        _MOTTO.match(ln) for ln in lines[1:9]
    ):
        lines = lines[1:]  # the portal's own page heading above the document's header block
    return Raw(pages=[lines], source_format=fmt, starts=[[True] * len(lines)])


def _prune(root: Any) -> None:
    """Remove scripts, styles and the site's chrome (menus, breadcrumbs, footers) in place."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments, processing instructions, Word's conditional comments
            continue
        role = (el.get("role") or "").lower()
        words = set(re.split(r"[^a-z]+", f"{el.get('class') or ''} {el.get('id') or ''}".lower()))
        if el.tag in _DROP or role in _CHROME_ROLES or words & _CHROME_WORDS or el.get("aria-hidden") == "true":
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


def _main_content(root: Any) -> Any:
    """trafilatura's choice of the main content (as HTML), or the body if it finds too little."""
    import lxml.html
    import trafilatura

    body = root.find("body")
    whole = len(_SPACE.sub("", (body if body is not None else root).text_content()))
    html = trafilatura.extract(
        root, output_format="html", include_tables=True, include_formatting=False, include_links=False,
        include_images=False, include_comments=False, favor_recall=True, deduplicate=False,
    )
    if html:
        main = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
        kept = len(_SPACE.sub("", main.text_content()))
        # Nothing left to remove: read the page itself, whose block structure trafilatura may flatten.
        if 0.5 * whole <= kept < 0.98 * whole:
            return main.find("body") if main.find("body") is not None else main
    return body if body is not None else root


def _lines(node: Any) -> list[str]:
    """Block-aware text of ``node``: inline runs joined, blocks and <br> on lines of their own."""
    out: list[str] = [""]
    _walk(node, out)
    return [_SPACE.sub(" ", ln).strip() for ln in out]


def _grid(trs: list[Any]) -> list[list[str]]:
    """Rows of cell texts laid on the table's grid: a cell spanning n columns (colspan) is followed by n - 1
    empty ones; a cell spanning rows (rowspan) is repeated in the rows below, so every cell keeps its column."""
    rows: list[list[str]] = []
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for tr in trs:
        row: list[str] = []
        for td in (c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")):
            while len(row) in carried:
                row.append(_carry(carried, len(row)))
            text, cols, down = _cell(td), _span(td, "colspan"), _span(td, "rowspan")
            for k in range(cols):
                if down > 1:
                    carried[len(row)] = (text if k == 0 else "", down - 1)
                row.append(text if k == 0 else "")
        while len(row) in carried:
            row.append(_carry(carried, len(row)))
        rows.append(row)
    return rows


def _carry(carried: dict[int, tuple[str, int]], col: int) -> str:
    text, left = carried[col]
    if left > 1:
        carried[col] = (text, left - 1)
    else:
        del carried[col]
    return text


def _span(td: Any, attr: str) -> int:
    value = (td.get(attr) or "1").strip()
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


MAX_SPAN = 50  # a malformed colspan/rowspan is not allowed to blow a table up


def _walk(el: Any, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in ("script", "style", "noscript", "template", "head"):
        _tail(el, out)
        return
    if tag == "table":
        rows = _grid([tr for tr in el.iter("tr") if _own_row(tr, el)])
        out.extend(table_lines(rows))
        out.append("")
        _tail(el, out)
        return
    block = tag in _BLOCK
    if block or tag == "br":
        out.append("")
    if tag and el.text:
        out[-1] += el.text
    for child in el:
        _walk(child, out)
    if block:
        out.append("")
    if el.getparent() is not None:
        _tail(el, out)


def _tail(el: Any, out: list[str]) -> None:
    if el.tail:
        out[-1] += el.tail


def _own_row(tr: Any, table: Any) -> bool:
    """A row of this table, not of a table nested in one of its cells."""
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _cell(td: Any) -> str:
    return "\n".join(ln for ln in _lines(td) if ln)
