"""Calibrate the answer/refuse gate (assistant/gate.py) on real questions.

Positives: the dev set and tests/data/questions.jsonl (answerable ones) over the seeds + Party PDFs.
Negatives: their unanswerable questions plus legal questions the Party corpus cannot answer
(ALQAC 2023 train + private test, and Zalo 2021 questions).

    python benchmarks/gate.py --index /path/to/index [--shared ../shared]

The index must hold corpus/ and ../shared/data/party_docs/pdf (`tracuu index corpus ../shared/data/party_docs/pdf`).
Prints the signal distributions and, for a grid of thresholds, the share of positives answered and of
negatives wrongly answered.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

ROOT = Path(__file__).resolve().parent.parent


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def questions(shared: Path) -> tuple[list[str], list[str]]:
    own = _jsonl(shared / "eval" / "dev.jsonl") + _jsonl(ROOT / "tests" / "data" / "questions.jsonl")
    pos = [q["q"] for q in own if q["gold"]]
    neg = [q["q"] for q in own if not q["gold"]]
    alqac = shared / "data" / "alqac"
    for name in ("alqac2023_train.json", "alqac2023_private_test.json"):
        neg += [q["text"] for q in json.loads((alqac / name).read_text(encoding="utf-8"))]
    with (shared / "data" / "zalo2021_questions" / "test_qna.csv").open(encoding="utf-8") as fh:
        neg += [row["question"] for row in csv.DictReader(fh)][:150]
    return pos, neg


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", required=True)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--unaccented", action="store_true", help="strip diacritics from every question")
    args = ap.parse_args()
    from assistant.answer import Assistant
    from assistant.qa.gate import Gate, decide
    from indexer.settings import Settings

    assistant = Assistant(Settings.from_env(index=Path(args.index)))
    pos, neg = questions(Path(args.shared))
    if args.unaccented:
        from indexer.vntext import fold

        pos, neg = [fold(q) for q in pos], [fold(q) for q in neg]
    sig_pos = [assistant.signals(q, assistant.retriever.search(q, k=8)) for q in pos]
    sig_neg = [assistant.signals(q, assistant.retriever.search(q, k=8)) for q in neg]
    print(f"{len(pos)} answerable, {len(neg)} unanswerable questions")
    for name, sig in (("answerable", sig_pos), ("unanswerable", sig_neg)):
        cov = sorted(s.coverage for s in sig)
        den = sorted(s.dense for s in sig)
        pick = [0.05, 0.25, 0.5, 0.75, 0.95]
        print(f"{name:13s} coverage quantiles {[round(cov[int(p * (len(cov) - 1))], 3) for p in pick]}"
              f"  dense {[round(den[int(p * (len(den) - 1))], 3) for p in pick]}")
    print("w_dense w_bigram threshold  answered%  false-answer%   (best with false answers <= 1%)")
    rows = []
    for wd in (0.0, 2.0, 4.0, 6.0, 8.0):
        for wb in (0.0, 0.5, 1.0):
            for t in [x / 100 for x in range(60, 160, 5)]:
                gate = Gate(w_dense=wd, w_bigram=wb, threshold=t)
                tp = sum(decide(s, gate) for s in sig_pos) / len(sig_pos)
                fp = sum(decide(s, gate) for s in sig_neg) / len(sig_neg)
                rows.append((fp > 0.01, -tp, fp, wd, wb, t))
    for _, ntp, fp, wd, wb, t in sorted(rows)[:10]:
        print(f"{wd:7.1f} {wb:8.1f} {t:9.2f}  {-ntp:9.1%}  {fp:12.1%}")
    current = Gate()
    print(f"current {current}: answered {sum(decide(s, current) for s in sig_pos) / len(sig_pos):.1%}, "
          f"false answers {sum(decide(s, current) for s in sig_neg) / len(sig_neg):.1%}")


if __name__ == "__main__":
    main()
