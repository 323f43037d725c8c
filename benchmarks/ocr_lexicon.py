"""Regenerate ``indexer/data/ocr_bigrams.tsv.gz``: syllable-pair counts of administrative Vietnamese that the OCR
tone repair (``indexer/readers/ocr_words.py``) uses to choose among readings differing only in diacritics.

Sources (public official texts, read from ../shared/data at build time; only counts are stored): the Bộ Pháp điển
articles, the CongBot government documents and the five Party PDFs' text. The seeds in corpus/ and every held-out
document are left out, so the OCR figures on the scanned seeds are not measured on text the counts came from.

Run: ``python benchmarks/ocr_lexicon.py`` (about a minute).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

from indexer.vntext import clean, has_diacritics

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "indexer" / "data" / "ocr_bigrams.tsv.gz"
MIN_COUNT = 3
_SYLLABLE = re.compile(r"[^\W\d_]+")


def texts():
    with gzip.open(DATA / "phapdien" / "phapdien_articles.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"] or ""
    with (DATA / "congbot" / "chunks.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)["text"] or ""
    for path in sorted((DATA / "party_docs" / "txt").glob("*.txt")):
        yield path.read_text(encoding="utf-8")


def pairs(text: str):
    for segment in re.split(r"[\n.,;:!?()\[\]\"“”'’/\-–—]+", clean(text).lower()):
        words = _SYLLABLE.findall(segment)
        if len(words) >= 4 and sum(map(has_diacritics, words)) < len(words) / 4:
            continue  # text typed without diacritics: its "duoc", "xay" would pass for readings
        yield from pairwise(words)


def main() -> None:
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts():
        counts.update(pairs(text))
    kept = sorted((p, c) for p, c in counts.items() if c >= MIN_COUNT)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{a} {b}\t{c}\n" for (a, b), c in kept)
    OUT.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))
    print(f"{len(counts):,} pairs seen, {len(kept):,} kept (count >= {MIN_COUNT}), {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
