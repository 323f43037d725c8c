"""Make the format fixtures from the seed directives, the way offices make them.

For each seed in corpus/ this writes, next to this script:

- ``<name>.docx``: header block in a borderless two-column table; every "1.",
  "a)", "-", "+" item carried by Word's automatic numbering (numbering.xml,
  the marker is not in the paragraph text); restarts by ``startOverride``;
  the signature lines bold; a page footer with the page number.
- ``<name>.doc``: that DOCX saved as Word 97-2003 by LibreOffice headless.
- ``<name>.htm``: Word's "Save as Web Page, Filtered" form: windows-1252 with
  numeric character references, MsoNormal/MsoListParagraph classes, mso-list
  labels inside ``<![if !supportLists]>``, source lines wrapped at 76 columns.
- ``<name>-portal.html``: a provincial portal page: menu, breadcrumb, related
  links, footer and scripts around the document.

Run: ``.venv/bin/python tests/data/formats/make_fixtures.py`` (needs soffice).
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parents[2] / "corpus"
SEEDS = {"kl54": "kl-54-KL-TW-2023-05-09.txt", "tb2018": "tb-ket-luan-ban-bi-thu-2018-04-27.txt"}
_ITEM = re.compile(r"^(?:(?P<num>\d{1,2})\.|(?P<let>[a-zđ])\)|(?P<bul>[-+]))\s+(?P<text>\S.*)$")
_LEVEL = {"num": 0, "let": 1, "bul": 2}
_RIGHT = re.compile(r"^(?:ĐẢNG CỘNG SẢN|CỘNG HÒA|Độc lập)|\bngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}")
_DATE = re.compile(r"\bngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}")


def seed_blocks(path: Path) -> tuple[list[str], list[str], list[tuple[str, int | None, str, bool]]]:
    """(left header lines, right header lines, body paragraphs as (marker kind, number, text, bold))."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").split("\n")]
    lines = [ln for ln in lines if ln]
    end = next((i for i, ln in enumerate(lines[:8]) if _DATE.search(ln)), -1) + 1
    left = [ln for ln in lines[:end] if not _RIGHT.search(ln)]
    right = [ln for ln in lines[:end] if _RIGHT.search(ln)]
    body: list[tuple[str, int | None, str, bool]] = []
    bold = False
    for line in lines[end:]:
        starts, ends = line.startswith("**"), line.endswith("**")
        bold = bold or starts
        text = line.replace("**", "").strip()
        m = _ITEM.match(text)
        if m:
            kind = next(k for k in ("num", "let", "bul") if m.group(k))
            value = int(m.group("num")) if kind == "num" else (ord(m.group("let")) - 96 if kind == "let" else None)
            mark = m.group("bul") or ""
            body.append((kind + mark, value, m.group("text"), bold))
        elif text:
            body.append(("", None, text, bold))
        bold = bold and not ends
    return left, right, body


def write_docx(path: Path, left: list[str], right: list[str], body: list) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    d = docx.Document()
    d.styles["Normal"].font.name, d.styles["Normal"].font.size = "Times New Roman", Pt(14)
    table = d.add_table(rows=1, cols=2)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        cell.paragraphs[0].text = lines[0] if lines else ""
        for line in lines[1:]:
            cell.add_paragraph(line)
    numbering = d.part.numbering_part.element
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>'
        + "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{txt}"/>'
                  f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
                  for i, (fmt, txt) in enumerate([("decimal", "%1."), ("lowerLetter", "%2)"),
                                                  ("bullet", "-"), ("bullet", "+")]))
        + "</w:abstractNum>"))
    nums = _Nums(numbering, parse_xml, nsdecls)
    for kind, value, text, bold in body:
        para = d.add_paragraph()
        para.add_run(text).bold = bold
        if kind:
            level = 3 if kind == "bul+" else _LEVEL[kind[:3]]
            num_id = nums.for_item(level, value)
            para._p.get_or_add_pPr().insert(0, parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    d.sections[0].footer.paragraphs[0].text = "Trang 1"
    d.save(str(path))


class _Nums:
    """Word list instances: a new ``w:num`` with a startOverride wherever the seed restarts its count."""

    def __init__(self, numbering, parse_xml, nsdecls) -> None:
        self.numbering, self.parse_xml, self.nsdecls = numbering, parse_xml, nsdecls
        self.current, self.next_id, self.counts = 0, 90, [0, 0, 0, 0]

    def for_item(self, level: int, value: int | None) -> int:
        expected = self.counts[level] + 1
        if not self.current or (value is not None and value != expected):
            self.current = self._new(level, value or 1, restart=bool(self.current))
            self.counts[level] = (value or 1) - 1
        self.counts[level] += 1
        for deeper in range(level + 1, 4):
            self.counts[deeper] = 0
        return self.current

    def _new(self, level: int, start: int, restart: bool) -> int:
        self.next_id += 1
        override = f'<w:lvlOverride w:ilvl="{level}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        self.numbering.append(self.parse_xml(
            f'<w:num {self.nsdecls("w")} w:numId="{self.next_id}"><w:abstractNumId w:val="90"/>'
            f'{override if restart else ""}</w:num>'))
        return self.next_id


def write_doc(docx_path: Path, doc_path: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation={Path(tmp, 'p').as_uri()}", "--headless",
                        "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(docx_path)],
                       check=True, capture_output=True, timeout=120)
        doc_path.write_bytes(Path(tmp, docx_path.stem + ".doc").read_bytes())


def _word_text(text: str) -> str:
    """Word's filtered HTML: windows-1252 text, others as &#NNNN;, source wrapped at 76 columns."""
    escaped = html.escape(text, quote=False).encode("cp1252", errors="xmlcharrefreplace").decode("cp1252")
    return "\r\n".join(textwrap.wrap(escaped, 76, break_long_words=False, break_on_hyphens=False))


def word_htm(left: list[str], right: list[str], body: list) -> bytes:
    cells = "".join(
        "<td width=300 valign=top style='padding:0cm 5.4pt 0cm 5.4pt'>"
        + "".join(f"<p class=MsoNormal align=center style='text-align:center'><b><span lang=VI>{_word_text(ln)}"
                  "</span></b></p>\r\n" for ln in lines) + "</td>" for lines in (left, right))
    paras, labels = [], {"num": "{v}.", "let": "{c})", "bul-": "-", "bul+": "+"}
    for kind, value, text, bold in body:
        inner = f"<b>{_word_text(text)}</b>" if bold else _word_text(text)
        if not kind:
            paras.append(f"<p class=MsoNormal style='text-align:justify;text-indent:36.0pt'>{inner}<o:p></o:p></p>")
            continue
        label = labels[kind].format(v=value, c=chr(96 + (value or 1)))
        level = 3 if kind == "bul+" else _LEVEL[kind[:3]]
        paras.append(
            f"<p class=MsoListParagraph style='margin-left:{36 * (level + 1)}.0pt;text-indent:-18.0pt;"
            f"mso-list:l0 level{level + 1} lfo1'><![if !supportLists]><span style='mso-list:Ignore'>{label}"
            "<span style='font:7.0pt \"Times New Roman\"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span>"
            f"<![endif]>{inner}<o:p></o:p></p>")
    page = (
        "<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"\r\n"
        "xmlns:w=\"urn:schemas-microsoft-com:office:word\" xmlns=\"http://www.w3.org/TR/REC-html40\">\r\n<head>\r\n"
        "<meta http-equiv=Content-Type content=\"text/html; charset=windows-1252\">\r\n"
        "<meta name=Generator content=\"Microsoft Word 15 (filtered)\">\r\n<style>\r\n<!--\r\n"
        " p.MsoNormal {margin:0cm;font-size:14.0pt;font-family:\"Times New Roman\",serif;}\r\n-->\r\n</style>\r\n"
        "<!--[if gte mso 9]><xml>\r\n <w:WordDocument><w:View>Print</w:View></w:WordDocument>\r\n</xml><![endif]-->\r\n"
        "</head>\r\n<body lang=EN-US style='word-wrap:break-word'>\r\n<div class=WordSection1>\r\n"
        "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0>\r\n<tr>" + cells + "</tr>\r\n</table>\r\n"
        + "\r\n".join(paras) + "\r\n<p class=MsoNormal><o:p>&nbsp;</o:p></p>\r\n</div>\r\n</body>\r\n</html>\r\n"
    )
    return page.encode("cp1252")


def portal_html(left: list[str], right: list[str], body: list) -> bytes:
    def p(text: str, bold: bool = False) -> str:
        inner = html.escape(text)
        return f"<p><strong>{inner}</strong></p>" if bold else f"<p>{inner}</p>"

    labels = {"num": "{v}. ", "let": "{c}) ", "bul-": "- ", "bul+": "+ "}
    doc = "".join(p(labels[k].format(v=v, c=chr(96 + (v or 1))) + t if k else t, b) for k, v, t, b in body)
    head = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>"
                   for a, b in zip(left + [""] * 5, right + [""] * 5, strict=False) if a or b)
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Văn bản chỉ đạo - Cổng thông tin điện tử tỉnh</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.menu li {{display:inline}}</style></head>
<body>
<header class="site-header"><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH BẮC KẠN</div>
<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản</a></li>
<li><a href="/tt">Tin tức</a></li><li><a href="/lh">Liên hệ</a></li></ul></nav></header>
<div class="breadcrumb"><a href="/">Trang chủ</a> &raquo; <a href="/vb">Văn bản chỉ đạo</a> &raquo; Chi tiết</div>
<div class="container"><div class="row">
<article class="news-detail"><div class="news-content">
<table class="doc-header">{head}</table>
{doc}
</div></article>
<aside class="sidebar"><h3>Văn bản liên quan</h3><ul>
<li><a href="/vb/1">Quy định số 124-QĐ/TW về giám sát của Mặt trận Tổ quốc Việt Nam</a></li>
<li><a href="/vb/2">Chỉ thị số 05-CT/TW về đẩy mạnh học tập và làm theo tư tưởng Hồ Chí Minh</a></li></ul></aside>
</div></div>
<footer class="site-footer"><p>Bản quyền thuộc Cổng thông tin điện tử tỉnh Bắc Kạn</p>
<p>Địa chỉ: Trang chủ | Văn bản | Tin tức | Điện thoại: 0209 3870 000</p></footer>
<script src="/js/app.js"></script><script>gtag('config', 'G-XXXX');</script>
</body></html>
"""
    return page.encode("utf-8")


def main() -> None:
    for name, seed in SEEDS.items():
        left, right, body = seed_blocks(CORPUS / seed)
        write_docx(HERE / f"{name}.docx", left, right, body)
        write_doc(HERE / f"{name}.docx", HERE / f"{name}.doc")
        (HERE / f"{name}.htm").write_bytes(word_htm(left, right, body))
        (HERE / f"{name}-portal.html").write_bytes(portal_html(left, right, body))


if __name__ == "__main__":
    main()
