"""Held-out-by-document evaluation (issue 11): ask, search and the duties register on two halves of the Party documents.

    python benchmarks/heldout.py [--shared ../shared] [--index DIR] [--rebuild] [--half A|B] [--fails A|B] [--gate F]
    python benchmarks/heldout.py --fresh     # set C: ten documents of party_docs_more, questions written 6/12
    python benchmarks/heldout.py --fresh D   # set D: four scans of party_docs_more and five CongBot documents
    python benchmarks/heldout.py --fresh F   # set F: seven other CongBot documents, written 7/12 (held out)

One index (default model) holds the seeds, the five Party PDFs, the eleven Markdown texts and the handbook tree
(written as text files by ``heldout_docs.write_handbook``); it is built once and updated incrementally
(``--rebuild`` after a reader change). The split, the questions and the duty labels are in tests/data/heldout/.

Measures, per half (questions and labels over that half's never-tuned documents):
- ask: answerable questions (not the unaccented kind) answered, not refused, with a citation whose quote holds
  a gold phrase; "unaccented": every answerable question typed without diacritics, same test;
  negatives: refused.
- search Recall@5: a gold phrase in one of the top five passages (answerable questions as typed).
- register: rows predicted inside the labelled passages that match a label (same document, body, role and
  overlapping task) over all such rows (precision), and over all labels (recall), one row per label. The
  labels disagree on granularity (set E gives each task verb of a sentence its own label, A and C one label per
  sentence), so the table also prints the same measure with any overlap counted ("any overlap": a row is right
  when it overlaps a label of its body and role, a label found when such a row overlaps it).
The same ask and search measures run on ../shared/eval/dev.jsonl and tests/data/questions.jsonl.
A question counts as held out only in the column of the half no rule or threshold was fitted on.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import heldout_docs as hd

log = logging.getLogger("heldout")


def _attr(*candidates: str) -> object:
    """The first importable ``module:attr`` (the assistant package is being reorganised)."""
    for cand in candidates:
        module, name = cand.split(":")
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    raise ImportError(f"none of {candidates}")


@dataclass
class Rate:
    ok: int = 0
    n: int = 0

    def add(self, good: bool) -> None:
        self.ok, self.n = self.ok + int(good), self.n + 1

    def __str__(self) -> str:
        return f"{self.ok / self.n:.2f} ({self.ok}/{self.n})" if self.n else "–"


@dataclass
class Scores:
    answered: Rate = field(default_factory=Rate)
    unaccented: Rate = field(default_factory=Rate)
    refused: Rate = field(default_factory=Rate)
    recall5: Rate = field(default_factory=Rate)
    precision: Rate = field(default_factory=Rate)
    recall: Rate = field(default_factory=Rate)
    precision_any: Rate = field(default_factory=Rate)  # the same, one row may match several labels and back
    recall_any: Rate = field(default_factory=Rate)
    typed: Rate = field(default_factory=Rate)  # labels found by their body's name as written (heldout_register.py)
    partial_pos: Rate = field(default_factory=Rate)
    partial_neg: Rate = field(default_factory=Rate)
    fails: list[str] = field(default_factory=list)


class Matcher:
    """Register rows against duty labels inside the labelled passages (no index, no model)."""

    def __init__(self) -> None:
        self.fold = _attr("indexer.vntext:fold")
        self.canonical = _attr("assistant.duties.bodies:canonical")
        self.without_head = _attr("assistant.duties.bodies:without_head")

    def match(self, text: str, spans: list, labels: list[dict], rows: list, out: Scores) -> None:
        located = []
        for r in rows:
            start = r.start + r.quote.find(r.task)
            if any(lo <= start < hi for lo, hi in spans):
                located.append((r, start, start + len(r.task)))
        used: set[int] = set()
        overlapping: set[int] = set()  # rows overlapping some label of their body and role
        for lab in labels:
            where = hd.task_spans(text, lab, spans)  # a task given word for word to two bodies: either place
            names = {self._key(lab["body"]), self._key(lab.get("canonical") or self._canonical(lab["body"]))}
            same = {i for i, (r, s, e) in enumerate(located) if any(s < hi and lo < e for lo, hi in where)
                    and r.role == lab["role"] and self._key(r.body) in names}
            out.recall_any.add(bool(same))
            overlapping |= same
            hit = min(same - used, default=None)  # one row per label: the first row still free
            out.recall.add(hit is not None)
            if hit is None:  # "shared": a row overlaps it, but that row already matched another label
                kind = "shared" if same else "missed"
                out.fails.append(f"duty {kind}: {lab['doc'][:12]} [{lab['role']}] {lab['body']} :: {lab['task'][:70]}")
            else:
                used.add(hit)
        for i, (r, _, _) in enumerate(located):
            out.precision.add(i in used)
            out.precision_any.add(i in overlapping)
            if i not in used:
                out.fails.append(f"duty extra: [{r.role}] {r.body} :: {r.task[:70]}")

    def _canonical(self, name: str) -> str:
        """The bodies.tsv name of a label written without one (exact alias, the head's title left out), as the
        labelling convention asks for the ``canonical`` field; the name itself when the table has none."""
        return self.canonical(self.without_head(name)) or name

    def _key(self, name: str) -> str:
        """A body's comparison key: folded, commas and a leading "các" dropped, and the title of its head
        ("Giám đốc Công an tỉnh": the head acts for the body; labels name the head as the documents do, the
        register the body)."""
        words = self.fold(self.without_head(name)).replace(",", " ").split()
        return " ".join(words[1:] if words and words[0] in ("cac", "nhung") else words)


class Bench:
    def __init__(self, settings: object, gate: object = None) -> None:
        self.assistant = _attr("assistant.answer:Assistant")(settings, gate=gate)
        self.retriever = _attr("assistant.qa.retrieve:Retriever", "assistant.retrieve:Retriever")(settings)
        self.norm = _attr("assistant.evaluation.datasets:normalise_phrase", "assistant.datasets:normalise_phrase")
        self.fold = _attr("indexer.vntext:fold")
        self.matcher = Matcher()

    def _cited(self, question: str, gold: list[str]) -> tuple[bool, str]:
        """(refused, verdict): "ok" when a citation quote holds a gold phrase, "split" when only the quotes
        joined together do (an answer cut at a line break), else "no gold quote"."""
        answer = self.assistant.ask(question)
        self.last_partial = bool(getattr(answer, "partial", False))
        quotes = [self.norm(c.quote) for c in answer.citations]
        gold = [self.norm(g) for g in gold]
        if any(g in q for q in quotes for g in gold):
            return answer.refused, "ok"
        joined = " ".join(quotes)
        return answer.refused, "split" if any(g in joined for g in gold) else "no gold quote"

    def questions(self, items: list[dict], out: Scores) -> Scores:
        for item in items:
            q, gold, tag = item["q"], item["gold"], item.get("id", "")
            refused, verdict = self._cited(q, gold)
            good = verdict == "ok"
            if not gold:
                out.refused.add(refused)
                out.partial_neg.add(self.last_partial)
                if not refused:
                    out.fails.append(f"{tag} negative answered: {q}")
                continue
            if item.get("kind") != "nodiacritics":
                out.answered.add(good and not refused)
                out.partial_pos.add(self.last_partial)
                if refused or not good:
                    why = "partial" if self.last_partial else "refused" if refused else verdict
                    out.fails.append(f"{tag} {why}: {q}")
            refused_u, verdict_u = self._cited(self.fold(q), gold)
            good_u = verdict_u == "ok"
            out.unaccented.add(good_u and not refused_u)
            if refused_u or not good_u:
                out.fails.append(f"{tag} unaccented {'refused' if refused_u else verdict_u}: {self.fold(q)}")
            hits = self.retriever.search(q, k=5)
            texts = [self.norm(h.chunk.text) for h in hits]
            found = any(self.norm(g) in t for t in texts for g in gold)
            out.recall5.add(found)
            if not found:
                out.fails.append(f"{tag} not in top 5: {q}")
        return out

    def duties(self, half: str, out: Scores) -> Scores:
        snap = self.retriever.snapshot()
        docs = {Path(d.path).name: d for d in _attr("assistant.duties.answers:catalog_documents")(snap)}
        rows = _attr("assistant.duties.answers:register_rows")(snap)
        labels = hd.jsonl(hd.DATA / f"duties_{half}.jsonl")
        for name in sorted({s["doc"] for s in hd.duty_scope(half)}):
            doc = docs[name]
            spans = hd.scopes(name, doc.text, half)
            mine = [lab for lab in labels if lab["doc"] == name]
            predicted = [r for r in rows if r.doc_id == doc.doc_id]
            self.matcher.match(doc.text, spans, mine, predicted, out)
        return out


_ROWS = (
    ("ask: answerable answered with a gold citation", "answered"),
    ("ask: same questions typed without diacritics", "unaccented"),
    ("ask: near-miss negatives refused", "refused"),
    ("search Recall@5", "recall5"),
    ("register precision (labelled passages)", "precision"),
    ("register recall", "recall"),
    ("register precision, any overlap", "precision_any"),
    ("register recall, any overlap", "recall_any"),
    ("ask: answerable shown as possibly relevant (partial, counted as not answered)", "partial_pos"),
    ("ask: near-miss negatives shown as possibly relevant (partial, counted as refused)", "partial_neg"),
)


def _table(halves: dict[str, Scores]) -> None:
    print(
        "| measure | A held out — tuning (B) | A held out — held-out (A) "
        "| B held out — tuning (A) | B held out — held-out (B) |"
    )
    print("|---|---|---|---|---|")
    for label, attr in _ROWS:
        a, b = getattr(halves["A"], attr), getattr(halves["B"], attr)
        print(f"| {label} | {b} | {a} | {a} | {b} |")


def _fail_kinds(halves: dict[str, Scores]) -> None:
    """Counts of failures by kind per half (no question shown: safe for the half reported as held out)."""
    for half, scores in halves.items():
        kinds: dict[str, int] = {}
        for fail in scores.fails:
            words = fail.split(":")[0].split()
            kind = " ".join(words[1:]) if not fail.startswith("duty") else words[0] + " " + words[1]
            kinds[kind] = kinds.get(kind, 0) + 1
        print(f"failures by kind, half {half}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))


def _earlier(bench: Bench, shared: Path) -> dict[str, Scores]:
    own = hd.DATA.parent / "questions.jsonl"
    sets = {"dev.jsonl": shared / "eval" / "dev.jsonl", "tests/data/questions.jsonl": own}
    return {name: bench.questions(hd.jsonl(path), Scores()) for name, path in sets.items()}


def _earlier_table(scores: dict[str, Scores]) -> None:
    names = list(scores)
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for label, attr in _ROWS[:4]:
        print(f"| {label} | " + " | ".join(str(getattr(scores[n], attr)) for n in names) + " |")


def _kinds() -> None:
    for half in hd.HALVES:
        counts: dict[str, int] = {}
        for item in hd.jsonl(hd.DATA / f"questions_{half}.jsonl"):
            counts[item["kind"]] = counts.get(item["kind"], 0) + 1
        duties = len(hd.jsonl(hd.DATA / f"duties_{half}.jsonl"))
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
        print(f"half {half}: {sum(counts.values())} questions ({kinds}); {duties} duty labels")


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=hd.ROOT.parent / "shared")
    ap.add_argument("--index", type=Path, help="default benchmarks/_out/heldout-index (heldout-fresh-index "
                    "with --fresh, heldout-d-index with --fresh D)")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the index (after a reader change)")
    ap.add_argument("--gate", type=Path, help="answer with this gate (JSON from benchmarks/gate.py --out) instead "
                    "of the shipped one: a gate fitted with --halves A makes only half B's columns held out")
    ap.add_argument("--fresh", nargs="?", const=hd.FRESH, choices=hd.FRESH_SETS, help="measure set C "
                    "(tests/data/heldout/questions_C.jsonl over party_docs_more) or D on an index of every document "
                    "of the halves and of that set")
    ap.add_argument("--half", choices=hd.HALVES, help="measure only this half (while tuning on it)")
    ap.add_argument("--fails", choices=hd.HALVES, help="print every failure of this half (and of the earlier sets); "
                    "never ask for the half you report as held out")
    return ap.parse_args()


def _bench(args: argparse.Namespace) -> Bench:
    from indexer.build import build_index
    from indexer.settings import Settings

    name = {None: "heldout-index", hd.FRESH: "heldout-fresh-index"}.get(args.fresh, f"heldout-{args.fresh}-index")
    index = args.index or hd.OUT / name.lower()
    settings = Settings.from_env(index=index)
    hd.doc_paths(args.shared)
    party = args.shared / "data" / "party_docs"
    sources = [hd.ROOT / "corpus", party / "pdf", party / "tvpl_md", hd.HANDBOOK_DIR]
    summary = build_index(sources + (hd.fresh_paths(args.shared, args.fresh) if args.fresh else []), settings,
                          rebuild=args.rebuild)
    print(f"index {index}: {summary.documents} documents, {summary.chunks} passages")
    gate = None
    if args.gate:
        gate = _attr("assistant.qa.gate:Gate")(**json.loads(args.gate.read_text(encoding="utf-8")))
        print(f"gate {args.gate}: {gate}")
    return Bench(settings, gate)


def _column(scores: Scores, name: str) -> None:
    print(f"| measure | {name} |\n|---|---|")
    for label, attr in _ROWS:
        print(f"| {label} | {getattr(scores, attr)} |")


def _fresh(bench: Bench, c: str) -> None:
    """Set C (or D) as a whole (register included) and its two halves by document, C1 and C2 (``gate.py
    --halves C1`` fits a gate that is held out on C2)."""
    parts = {p: bench.questions(hd.fresh_part(p), Scores()) for p in (f"{c}1", f"{c}2")}
    whole = bench.duties(c, Scores())
    for attr in ("answered", "unaccented", "refused", "recall5", "partial_pos", "partial_neg"):
        setattr(whole, attr, Rate(sum(getattr(s, attr).ok for s in parts.values()),
                                  sum(getattr(s, attr).n for s in parts.values())))
    whole.fails = [f for s in parts.values() for f in s.fails] + whole.fails
    print(f"| measure | set {c} | {c}1 | {c}2 |\n|---|---|---|---|")
    for label, attr in _ROWS:
        cells = [getattr(x, attr) for x in (whole, *parts.values())]
        print(f"| {label} | " + " | ".join(map(str, cells)) + " |")
    _fail_kinds({c: whole})
    if c in hd.TUNING_SETS:
        print(f"\nfailures, set {c} (tuning):")
        print("\n".join(f"  {f}" for f in whole.fails))


def main() -> None:
    args = _args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    bench = _bench(args)
    if args.fresh:
        _fresh(bench, args.fresh)
        return
    halves = {}
    for half in (args.half,) if args.half else hd.HALVES:
        scores = bench.questions(hd.jsonl(hd.DATA / f"questions_{half}.jsonl"), Scores())
        halves[half] = bench.duties(half, scores)
    _kinds()
    print()
    _column(halves[args.half], f"half {args.half}") if args.half else _table(halves)
    print()
    _fail_kinds(halves)
    earlier = _earlier(bench, args.shared)
    _earlier_table(earlier)
    if args.fails:
        for half, scores in {f"half {args.fails}": halves.get(args.fails, Scores()), **earlier}.items():
            print(f"\nfailures, {half}:")
            print("\n".join(f"  {f}" for f in scores.fails))


if __name__ == "__main__":
    main()
