"""Fit and cross-validate the answer decision (assistant/qa/gate.py) on tuning material only.

    python benchmarks/gate.py [--index benchmarks/_out/gate-index] [--shared ../shared]
    python benchmarks/gate.py --halves A --out benchmarks/_out/gate-A.json --no-cv   # then heldout.py --gate

Tuning material (nothing from tests/data/heldout/): the seeds and the five Party PDFs, indexed alone
(built on first use), with
- positives: the answerable questions of ../shared/eval/dev.jsonl, tests/data/questions.jsonl and
  tests/data/gate_train.jsonl (everyday-words paraphrases), each as typed and typed without diacritics;
- in-domain negatives: their unanswerable questions (near misses on Party topics the documents do not
  cover, written over the same documents), as typed and without diacritics;
- off-domain negatives: ALQAC 2023 (train + private test) and 150 Zalo 2021 legal questions.

Every question belongs to a group: the tuning document that holds its answer (or that a near miss names),
"other" for in-domain negatives naming none, and five folds of the off-domain questions. The decision is
fitted by grid search (most positives answered with at most ``MAX_FALSE_IN`` of the in-domain and
``MAX_FALSE_OFF`` of the off-domain negatives answered) and cross-validated leaving one group out: each
group is scored by the gate fitted on all the others. The partial band (``Gate.partial``: shown as
"có thể liên quan", still not an answer) is fitted so that at most ``MAX_PARTIAL_OFF`` of the off-domain
questions reach it.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout_docs as hd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "_out"
MAX_FALSE_IN = 0.10  # in-domain near misses answered (they still cite real text, but not the answer)
MAX_FALSE_OFF = 0.01  # off-domain questions answered
MAX_PARTIAL_OFF = 0.02  # off-domain questions shown "có thể liên quan" instead of the refusal
OFF_FOLDS = 5
GRID = {
    "w_dense": (2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    "w_bigram": (0.0, 0.5, 1.0),
    "offset": tuple(x / 100 for x in range(0, 22, 2)),  # centre - centre_unaccented
    "w_dense_unaccented": (0.0, 1.0, 2.0, 4.0),
    "w_gap": (0.0, 2.0),
    "w_type": (0.0, 0.2, 0.4, 0.6, 1.0),
    "w_fused": (0.0, 0.1, 0.15, 0.2, 0.3),
    "threshold": tuple(x / 100 for x in range(50, 251, 5)),
}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


@dataclass(frozen=True)
class Item:
    q: str
    group: str
    label: str  # "pos" | "neg_in" | "neg_off"


def items(shared: Path, texts: dict[str, str], halves: tuple[str, ...] = ()) -> list[Item]:
    """The tuning questions, each as typed and (in-domain) without diacritics, with its group; with
    ``halves``, also the questions of those held-out halves (tests/data/heldout/questions_H.jsonl)."""
    from indexer.vntext import fold

    own = (_jsonl(shared / "eval" / "dev.jsonl") + _jsonl(ROOT / "tests" / "data" / "questions.jsonl")
           + _jsonl(ROOT / "tests" / "data" / "gate_train.jsonl"))
    own += [row for h in halves for row in (hd.fresh_part(h) if h[:1] in hd.FRESH_SETS and len(h) == 2 else
                                            hd.jsonl(hd.DATA / f"questions_{h}.jsonl"))]
    out = []
    for row in own:
        gold = [_norm(g) for g in row["gold"]]
        doc = row.get("doc") or next((n for n, t in texts.items() if any(g in t for g in gold)), None)
        label = "pos" if gold else "neg_in"
        for q in dict.fromkeys((row["q"], fold(row["q"]))):
            out.append(Item(q, doc or "other", label))
    off = []
    alqac = shared / "data" / "alqac"
    for name in ("alqac2023_train.json", "alqac2023_private_test.json"):
        off += [q["text"] for q in json.loads((alqac / name).read_text(encoding="utf-8"))]
    with (shared / "data" / "zalo2021_questions" / "test_qna.csv").open(encoding="utf-8") as fh:
        off += [row["question"] for row in csv.DictReader(fh)][:150]
    out += [Item(q, f"off{i % OFF_FOLDS}", "neg_off") for i, q in enumerate(off)]
    return out


def collect(index: Path, shared: Path, halves: tuple[str, ...] = ()) -> list[tuple[Item, object]]:
    """Signals of every tuning question over the tuning index (cached per index generation), each question
    restored (diacritics) as ``Assistant.prepare`` does. With ``halves``: over the held-out index that
    benchmarks/heldout.py builds (it holds the tuning documents too), with those halves' questions."""
    from assistant.answer import TOP_K, Assistant
    from assistant.qa.gate import Signals
    from indexer.build import build_index
    from indexer.settings import Settings

    settings = Settings.from_env(index=index)
    if not halves:
        build_index([ROOT / "corpus", shared / "data" / "party_docs" / "pdf"], settings)
    assistant = Assistant(settings)
    snap = assistant.retriever.snapshot()
    texts = {Path(d.path).name: _norm(d.text) for d in snap.catalog.documents()}
    cache_path = OUT / f"gate-signals-v14-{snap.generation}.json"
    cache = json.loads(cache_path.read_text(encoding="utf-8")) if cache_path.exists() else {}
    rows = []
    for item in items(shared, texts, halves):
        if item.q not in cache:
            q = assistant.retriever.restore(item.q)
            cache[item.q] = assistant.signals(q, assistant.retriever.search(q, k=TOP_K)).__dict__
        rows.append((item, Signals(**cache[item.q])))
    cache_path.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    return rows


def rates(gate: object, rows: list) -> dict[str, tuple[int, int]]:
    """(answered, total) per label, and under "<label>~" (at least partial, total)."""
    from assistant.qa.gate import score

    out: dict[str, list[int]] = {}
    for item, sig in rows:
        s = score(sig, gate)
        for key, hit in ((item.label, s >= gate.threshold), (f"{item.label}~", s >= gate.partial)):
            acc = out.setdefault(key, [0, 0])
            acc[0] += int(hit)
            acc[1] += 1
    return {k: (a, n) for k, (a, n) in out.items()}


def _arrays(rows: list) -> dict[str, np.ndarray]:
    cols = {f: np.array([getattr(sig, f) for _, sig in rows], dtype=float)
            for f in ("coverage", "dense", "bigram", "dense_gap", "accented", "typed", "fused_gap")}
    for label in ("pos", "neg_in", "neg_off"):
        cols[label] = np.array([item.label == label for item, _ in rows])
    return cols


def fit(rows: list) -> object:
    """The grid point answering most positives within the false-answer limits, then its partial band."""
    from assistant.qa.gate import Gate

    a, base = _arrays(rows), Gate()
    thresholds = np.array(GRID["threshold"])
    best, best_key = base, None
    grid = itertools.product(GRID["w_dense"], GRID["w_bigram"], GRID["offset"], GRID["w_gap"],
                             GRID["w_dense_unaccented"], GRID["w_type"], GRID["w_fused"])
    for wd, wb, off, wg, wu, wt, wf in grid:
        acc = a["accented"] > 0
        dense = np.where(acc, wd * (a["dense"] - base.center), wu * (a["dense"] - base.center + off))
        s = (a["coverage"] + dense + wb * a["bigram"] + wg * a["dense_gap"] + wt * np.minimum(a["typed"], 0.0)
             + wf * a["fused_gap"])
        passed = s[:, None] >= thresholds[None, :]
        share = {lab: passed[a[lab]].mean(axis=0) if a[lab].any() else np.zeros(len(thresholds))
                 for lab in ("pos", "neg_in", "neg_off")}
        ok = (share["neg_in"] <= MAX_FALSE_IN) & (share["neg_off"] <= MAX_FALSE_OFF)
        for j in np.flatnonzero(ok):
            key = (share["pos"][j], -share["neg_in"][j], -share["neg_off"][j], thresholds[j])
            if best_key is None or key > best_key:
                best_key = key
                best = replace(base, w_dense=wd, w_bigram=wb, center_unaccented=base.center - off, w_gap=wg,
                               w_dense_unaccented=wu, w_type=wt, w_fused=wf,
                               threshold=float(thresholds[j]), partial=float(thresholds[j]))
    for p in sorted(GRID["threshold"]):
        if p <= best.threshold and _share(rates(replace(best, partial=p), rows), "neg_off~") <= MAX_PARTIAL_OFF:
            return replace(best, partial=p)
    return best


def _share(r: dict, key: str) -> float:
    a, n = r.get(key, (0, 0))
    return a / n if n else 0.0


def cross_validate(rows: list) -> tuple[dict[str, tuple[int, int]], list]:
    """Leave one group out: each group scored by the gate fitted without it."""
    total: dict[str, list[int]] = {}
    gates = []
    for group in sorted({item.group for item, _ in rows}):
        gate = fit([r for r in rows if r[0].group != group])
        gates.append((group, gate))
        for key, (a, n) in rates(gate, [r for r in rows if r[0].group == group]).items():
            acc = total.setdefault(key, [0, 0])
            acc[0], acc[1] = acc[0] + a, acc[1] + n
    return {k: (a, n) for k, (a, n) in total.items()}, gates


def _report(name: str, r: dict) -> None:
    def cell(key: str) -> str:
        a, n = r.get(key, (0, 0))
        return f"{a / n:.2f} ({a}/{n})" if n else "–"

    print(f"| {name} | {cell('pos')} | {cell('pos~')} | {cell('neg_in')} | {cell('neg_in~')} "
          f"| {cell('neg_off')} | {cell('neg_off~')} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=OUT / "gate-index")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--halves", default="", help="also fit on these held-out halves' questions (A, B, A,B; C1 or C2: "
                    "half of set C by document, with --index benchmarks/_out/heldout-fresh-index; E: the tuning "
                    "set E, with --index benchmarks/_out/heldout-e-index); "
                    "signals over benchmarks/_out/heldout-index unless --index says otherwise")
    ap.add_argument("--out", type=Path, help="write the fitted gate as JSON (benchmarks/heldout.py --gate)")
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = ap.parse_args()
    from assistant.qa.gate import Gate

    halves = tuple(h for h in args.halves.split(",") if h)
    index = OUT / "heldout-index" if halves and args.index == OUT / "gate-index" else args.index
    rows = collect(index, args.shared, halves)
    counts = {lab: sum(1 for i, _ in rows if i.label == lab) for lab in ("pos", "neg_in", "neg_off")}
    print(f"{counts} questions; groups: {sorted({i.group for i, _ in rows})}")
    fitted = fit(rows)
    print(f"fitted on all tuning questions{' and half ' + '+'.join(halves) if halves else ''}: {fitted}")
    if args.out:
        args.out.write_text(json.dumps(fitted.__dict__, indent=1), encoding="utf-8")
    print("| gate | positives answered | positives ≥ partial | in-domain negatives answered | ≥ partial "
          "| off-domain answered | ≥ partial |")
    print("|---|---|---|---|---|---|---|")
    _report("shipped (assistant/qa/gate.py), in-sample", rates(Gate(), rows))
    _report("fitted, in-sample", rates(fitted, rows))
    if args.no_cv:
        return
    cv, gates = cross_validate(rows)
    _report("fitted, cross-validated by document", cv)
    for group, gate in gates:
        print(f"  without {group}: {gate}")


if __name__ == "__main__":
    main()
