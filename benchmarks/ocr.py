"""OCR measurements: character error rate per dpi on synthetic scans of the two seeds, pages per minute,
the seven real scans of ../shared/data/party_docs_more (header fields and CER against hand transcriptions),
and the time to re-index an unchanged scan (cache).

    python benchmarks/ocr.py                 # everything (about 10 minutes on 2 cores)
    python benchmarks/ocr.py --dpi 200 --no-real
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.loaders import load_document  # noqa: E402
from indexer.readers.ocr import OcrConfig, PageSource, recognise  # noqa: E402
from tests.scans import cer, cer_prefix, degrade, render, to_pdf  # noqa: E402
from tests.support import KL54, SHARED, TB2018  # noqa: E402

REAL = SHARED / "data" / "party_docs_more"
TRUTH = ROOT / "tests" / "data" / "ocr"
NAMED = " (tên tệp)"  # filled from the file name, confirmed by the page (indexer/namehints.py)


def synthetic(dpi: int, workers: int) -> dict[str, float]:
    """Both seeds scanned at ``dpi`` (tilt, blur, speckles, red stamp, page 2 upside down), recognised cold."""
    errors = chars = pages = 0
    seconds = confidence = 0.0
    for seed in (KL54, TB2018):
        scan = degrade(render(seed.read_text(encoding="utf-8"), dpi), upside_down=1)
        data = to_pdf(scan)
        started = time.perf_counter()
        result = recognise(Path(seed.name), data, [PageSource("pdf", i) for i in range(len(scan.pages))],
                           OcrConfig(cache=None, workers=workers))
        seconds += time.perf_counter() - started
        for page, truth in zip(result, scan.truth, strict=True):
            rate = cer("\n".join(page.lines), truth)
            errors += rate * len(truth)
            chars += len(truth)
            confidence += page.confidence
        pages += len(scan.pages)
    return {"dpi": dpi, "pages": pages, "cer": errors / chars, "confidence": confidence / pages,
            "seconds": seconds, "ppm": 60 * pages / seconds}


def real_scans(workers: int, cache: Path) -> list[dict[str, object]]:
    expected = json.loads((TRUTH / "expected.json").read_text(encoding="utf-8"))
    rows = []
    for name, want in expected.items():
        path = REAL / name
        started = time.perf_counter()
        doc = load_document(path, ocr=OcrConfig(cache=cache, workers=workers))
        seconds = time.perf_counter() - started
        first = doc.text[: doc.page_starts[1]] if len(doc.page_starts) > 1 else doc.text
        truth = (TRUTH / want["transcription"]).read_text(encoding="utf-8")
        again = time.perf_counter()
        load_document(path, ocr=OcrConfig(cache=cache, workers=workers))
        reindex = time.perf_counter() - again
        plain = cache.parent / "scan.pdf"  # the same bytes under a name that says nothing: the page alone
        plain.write_bytes(path.read_bytes())
        page_only = load_document(plain, ocr=OcrConfig(cache=cache, workers=workers)).meta
        named = " ".join(n for n in doc.notes if "lấy từ tên tệp" in n)
        rows.append({
            "file": name.split("_")[0] + " " + name.split("_")[1], "pages": doc.pages, "seconds": seconds,
            "reindex": reindex, "cer": cer_prefix(first, truth),
            "page_number": _verdict(page_only.doc_number, want["number"]),
            "page_date": _verdict(page_only.date, want["date"], page_only.date_approx),
            "number": _verdict(doc.meta.doc_number, want["number"]) + (NAMED if "Số hiệu" in named else ""),
            "date": _verdict(doc.meta.date, want["date"], doc.meta.date_approx) + (NAMED if "Ngày" in named else ""),
            "issuer": _verdict(doc.meta.issuer, want["issuer"]),
            "low": [n for n in doc.notes if "nhận dạng kém" in n],
        })
    return rows


def _verdict(found: str | None, want: str, approx: str | None = None) -> str:
    if found == want:
        return "đúng"
    if found is None and approx and want.startswith(approx):
        return f"trống ngày ({approx})"
    return "trống" if found is None else f"SAI ({found})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dpi", default="150,200,300")
    parser.add_argument("--workers", type=int, default=0, help="OCR processes (0 = all cores)")
    parser.add_argument("--no-real", action="store_true")
    args = parser.parse_args()
    print("| dpi | trang | CER | độ tin cậy TB | giây | trang/phút |\n|---|---|---|---|---|---|")
    for dpi in (int(d) for d in args.dpi.split(",")):
        r = synthetic(dpi, args.workers)
        print(f"| {dpi} | {r['pages']} | {r['cer']:.2%} | {r['confidence']:.1f} | {r['seconds']:.0f} | "
              f"{r['ppm']:.1f} |", flush=True)
    if args.no_real:
        return
    with tempfile.TemporaryDirectory() as tmp:
        rows = real_scans(args.workers, Path(tmp) / "ocr.sqlite")
    print("\n| văn bản | trang | giây (lần đầu) | nạp lại (giây) | CER trang 1 | số hiệu (chỉ trang) "
          "| ngày (chỉ trang) | số hiệu | ngày | cơ quan |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['file']} | {r['pages']} | {r['seconds']:.0f} | {r['reindex']:.2f} | {r['cer']:.2%} | "
              f"{r['page_number']} | {r['page_date']} | {r['number']} | {r['date']} | {r['issuer']} |")
    pages, seconds = sum(r["pages"] for r in rows), sum(r["seconds"] for r in rows)
    print(f"\nBản quét thật: {pages} trang trong {seconds:.0f} giây = {60 * pages / seconds:.1f} trang/phút.")
    for r in rows:
        for note in r["low"]:
            print(f"- {r['file']}: {note}")


if __name__ == "__main__":
    main()
