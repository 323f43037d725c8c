"""Regenerate ``assistant/data/question_bigrams.tsv.gz``: syllable-pair counts of questions as people type them
("bao nhiêu", "như thế nào", "có phải … không"), which restore the diacritics of a question typed without them
(``assistant/qa/restore.py``) beside the corpus's own counts and the administrative table of the OCR repair.

Sources (public legal question sets, read from ../shared/data at build time; only counts are stored): Zalo AI
2021 legal questions, CongBot questions, ALQAC 2022/2023 questions. No Party document and no question written over
the seeds or the held-out documents is used.

Run: ``python benchmarks/question_lexicon.py`` (seconds).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from ocr_lexicon import pairs  # noqa: E402 -- the same pair rule as the OCR table

DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "assistant" / "data" / "question_bigrams.tsv.gz"
MIN_COUNT = 2


def questions() -> Iterator[str]:
    for name in ("train_qna.csv", "test_qna.csv"):
        with (DATA / "zalo2021_questions" / name).open(encoding="utf-8", newline="") as fh:
            yield from (row["question"] for row in csv.DictReader(fh))
    with (DATA / "congbot" / "questions.jsonl").open(encoding="utf-8") as fh:
        yield from (json.loads(line)["question"] for line in fh)
    for path in sorted((DATA / "alqac").glob("alqac202*_*.json")):
        if "law" in path.name:
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            text = item.get("text") or item.get("question") or ""
            if isinstance(text, str):
                yield text


def main() -> None:
    counts: Counter[tuple[str, str]] = Counter()
    seen = 0
    for text in questions():
        seen += 1
        counts.update(pairs(text))
    kept = sorted((p, c) for p, c in counts.items() if c >= MIN_COUNT)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"{a} {b}\t{c}\n" for (a, b), c in kept)
    OUT.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))
    print(f"{seen:,} questions, {len(counts):,} pairs seen, {len(kept):,} kept (count >= {MIN_COUNT}), "
          f"{OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
