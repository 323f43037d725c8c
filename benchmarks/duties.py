"""Precision and recall of the duties register against the hand labels in tests/data/duties_labels.jsonl.

    python benchmarks/duties.py [--shared ../shared]

A predicted row counts for a labelled sentence when its task overlaps the sentence; rows are compared as
(body, role) pairs. Prints the totals and every sentence with a missed or extra row.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    from assistant.duties.extract import extract_duties
    from indexer.loaders import load_document

    docs = {p.name: load_document(p) for p in sorted((args.shared / "data" / "party_docs" / "pdf").glob("*.pdf"))}
    rows = {name: extract_duties(doc) for name, doc in docs.items()}
    labels = (ROOT / "tests" / "data" / "duties_labels.jsonl").read_text(encoding="utf-8").splitlines()
    tp = fp = fn = 0
    for label in map(json.loads, filter(None, labels)):
        start = docs[label["file"]].text.find(label["sentence"])
        end = start + len(label["sentence"])
        tasks = ((r, r.start + r.quote.find(r.task)) for r in rows[label["file"]])
        predicted = {(r.body, r.role) for r, at in tasks if at < end and at + len(r.task) > start}
        gold = {(x["body"], x["role"]) for x in label["rows"]}
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
        if predicted != gold:
            print(f"  {label['file']}: missed {sorted(gold - predicted)} extra {sorted(predicted - gold)}"
                  f" :: {label['sentence'][:120]}")
    print(f"{len(labels)} labelled sentences: {tp + fn} labelled rows, precision {tp / max(1, tp + fp):.3f}, "
          f"recall {tp / max(1, tp + fn):.3f}")


if __name__ == "__main__":
    main()
