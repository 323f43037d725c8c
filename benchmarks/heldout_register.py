"""The register part of the held-out evaluation (issue 11) alone, without an index: fast to rerun.

    python benchmarks/heldout_register.py [--shared ../shared] [--fails A]

Loads the documents of each half with ``indexer.loaders.load_document``, builds the register over them with
``assistant.duties.extract.register`` and scores it against tests/data/heldout/duties_<half>.jsonl with the
matching of ``heldout.py`` (same document, body, role and an overlapping task, inside the labelled passages).
``--fails A`` prints half A's missed and extra rows only: half B stays held out.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout
import heldout_docs as hd


def score(shared: Path) -> dict[str, heldout.Scores]:
    from assistant.duties.extract import register
    paths = hd.doc_paths(shared)
    matcher = heldout.Matcher()
    out = {}
    for half in hd.HALVES:
        scores = heldout.Scores()
        labels = hd.jsonl(hd.DATA / f"duties_{half}.jsonl")
        for name in sorted({s["doc"] for s in hd.split()["duties_scope"][half]}):
            doc = hd.load(paths[name])
            rows = register([doc])
            mine = [lab for lab in labels if lab["doc"] == name]
            matcher.match(doc.text, hd.scopes(name, doc.text, half), mine, list(rows), scores)
        out[half] = scores
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=hd.ROOT.parent / "shared")
    ap.add_argument("--fails", choices=hd.HALVES, help="print this half's failures")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    halves = score(args.shared)
    print("| half | register precision | register recall |")
    print("|---|---|---|")
    for half, s in halves.items():
        print(f"| {half} | {s.precision} | {s.recall} |")
    if args.fails:
        print("\n".join(f"  {f}" for f in halves[args.fails].fails))


if __name__ == "__main__":
    main()
