"""Tuning probe on CongBot's own questions over the CongBot documents that are in no evaluation set.

    python benchmarks/congbot_probe.py [--shared ../shared] [--index DIR] [--limit N] [--fails]
    python benchmarks/congbot_probe.py --restoration [--cache 0.05] [--cache-pair 0.1]   # only the restoration row

CongBot ships ~717 questions written by its authors (everyday, often chatty wording: "con bác bây giờ được trợ
cấp hàng tháng như nào hở?") with the article chunks that answer them. This probe indexes the CongBot documents
that no held-out or tuning set of tests/data/heldout/ uses (sets D, E, F and G are left out, so nothing here can
leak into a held-out figure) and keeps the questions whose gold chunks all lie in those documents.

- search Recall@5: one of the top five passages lies inside a gold chunk (a line of 25+ characters of the
  passage found in the chunk's text, both normalised);
- ask: answered (not refused, not "partial") with a citation whose quote lies inside a gold chunk;
- restoration: each question folded (typed without diacritics) and restored against the probe's index, compared
  syllable by syllable with the question as written (``assistant/data/question_bigrams.tsv.gz`` was built from
  public questions that include CongBot's, so this figure is partly in-sample).

It is a tuning probe: its failures may be read (``--fails``) and rules fitted on it; its figures are never
reported as held out.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import sys
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import congbot_docs
import heldout_docs as hd

OUT = hd.OUT / "congbot_probe"
_SYLLABLE = re.compile(r"[^\W\d_]+")


def _used_elsewhere() -> set[str]:
    """CongBot document ids named by any evaluation set's questions."""
    names = {q["doc"] for s in hd.FRESH_SETS for q in hd.jsonl(hd.DATA / f"questions_{s}.jsonl")}
    return {n.removesuffix(".md") for n in names}


def probe_material(shared: Path) -> tuple[list[str], dict[str, str], list[dict]]:
    """(document ids, gold chunk texts by id, questions) of the probe."""
    data = shared / "data" / "congbot"
    chunks = [c for line in (data / "chunks.jsonl").open(encoding="utf-8") if (c := json.loads(line))["text"]]
    skip = _used_elsewhere()
    texts = {c["chunk_id"]: congbot_docs.chunk_text(c) for c in chunks if c["doc_id"] not in skip}
    docs = sorted({c["doc_id"] for c in chunks if c["doc_id"] not in skip and texts[c["chunk_id"]]})
    questions = []
    for line in (data / "questions.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        gold = q.get("gold_chunk_ids") or []
        if gold and all(g in texts for g in gold):
            questions.append({"id": q["qid"], "q": q["question"], "gold": gold})
    return docs, texts, questions


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", hd.norm(text)).strip()


def _inside(passage: str, golds: list[str]) -> bool:
    lines = [_norm(x) for x in re.split(r"[\n.;:]", passage)]
    lines = [x for x in lines if len(x) >= 25]
    return any(x in g for x in lines for g in golds)


def _restoration(retriever: object, questions: list[dict]) -> tuple[int, int]:
    """(syllables restored wrong, syllables) over the questions of the same length once restored."""
    from indexer.vntext import clean, fold

    wrong = total = 0
    for item in questions:
        typed = _SYLLABLE.findall(clean(item["q"]).lower())
        got = _SYLLABLE.findall(retriever.restore(fold(clean(item["q"]))).lower())
        if len(got) == len(typed):
            wrong, total = wrong + sum(a != b for a, b in zip(typed, got, strict=True)), total + len(typed)
    return wrong, total


def run(args: argparse.Namespace) -> None:
    from assistant.answer import Assistant
    from assistant.qa.retrieve import Retriever
    from indexer.build import build_index
    from indexer.settings import Settings

    docs, texts, questions = probe_material(args.shared)
    paths = congbot_docs.write_congbot(args.shared, docs, OUT / "docs")
    settings = Settings.from_env(index=args.index)
    summary = build_index(paths, settings)
    print(f"index {args.index}: {summary.documents} documents, {summary.chunks} passages; {len(questions)} questions")
    if args.limit:
        questions = random.Random(7).sample(questions, min(args.limit, len(questions)))
    retriever = Retriever(settings)
    if args.restoration:
        wrong, total = _restoration(retriever, questions)
        print(f"| restoration: syllables wrong (CACHE {args.cache:g}, CACHE_PAIR {args.cache_pair:g}) "
              f"| {wrong / total:.3f} ({wrong}/{total}) |")
        return
    assistant = Assistant(settings)
    found = answered = 0
    fails = []
    for item in questions:
        golds = [_norm(texts[g]) for g in item["gold"]]
        hits = retriever.search(item["q"], k=5)
        ok_search = any(_inside(h.chunk.text, golds) for h in hits)
        answer = assistant.ask(item["q"])
        ok_ask = not answer.refused and not getattr(answer, "partial", False) and any(
            _inside(c.quote, golds) for c in answer.citations)
        found, answered = found + ok_search, answered + ok_ask
        if not ok_ask:
            why = "refused" if answer.refused else "partial" if getattr(answer, "partial", False) else "wrong"
            fails.append(f"{item['id']} {why}{'' if ok_search else ' +search'}: {item['q']} [{','.join(item['gold'])}]")
    n = len(questions)
    wrong, total = _restoration(retriever, questions)
    print(f"| measure | CongBot probe (tuning, {n} questions) |\n|---|---|")
    print(f"| restoration: syllables wrong | {wrong / total:.3f} ({wrong}/{total}) |")
    print(f"| search Recall@5 | {found / n:.2f} ({found}/{n}) |")
    print(f"| ask: answered with a citation inside a gold chunk | {answered / n:.2f} ({answered}/{n}) |")
    if args.fails:
        print("\n".join(fails))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=hd.ROOT.parent / "shared")
    ap.add_argument("--index", type=Path, default=OUT / "index")
    ap.add_argument("--limit", type=int, default=0, help="a fixed random sample of this many questions")
    ap.add_argument("--fails", action="store_true", help="print every question not answered well")
    ap.add_argument("--cache", type=float, default=None, help="restore with this CACHE (assistant/qa/restore.py)")
    ap.add_argument("--cache-pair", type=float, default=None, help="restore with this CACHE_PAIR")
    ap.add_argument("--restoration", action="store_true", help="print only the restoration row")
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    args = ap.parse_args()
    from assistant.qa import restore

    restore.CACHE = restore.CACHE if args.cache is None else args.cache
    restore.CACHE_PAIR = restore.CACHE_PAIR if args.cache_pair is None else args.cache_pair
    args.cache, args.cache_pair = restore.CACHE, restore.CACHE_PAIR
    run(args)


if __name__ == "__main__":
    main()
