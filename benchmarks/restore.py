"""Diacritic restoration of questions typed without diacritics (``assistant/qa/restore.py``), on tuning material.

The accented questions of ../shared/eval/dev.jsonl, tests/data/questions.jsonl and tests/data/gate_train.jsonl are
folded, restored against a lexical index of the seeds and the five Party documents (their text versions in
../shared/data/party_docs/txt) and compared syllable by syllable with what was typed. Prints the syllable error rate
and the share of questions with at least one wrong syllable for a grid of ``WB``, ``MU``, ``CORPUS_WEIGHT`` and
``CACHE`` (each question leaning on the passages a search of it finds, as in ``tracuu``), then of ``CACHE`` and
``CACHE_PAIR`` at the default ``WB``, ``MU`` and ``CORPUS_WEIGHT``; the defaults were chosen
from this grid and checked on the tuning questions of sets A and E (syllable errors 53 -> 52 of
2,538 with ``WB`` 2, ``MU`` 20). The everyday phrases (``PHRASE_DF`` 20) are counted as in ``tracuu``. No held-out
document or question is read.

    python benchmarks/restore.py
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.qa import restore as R  # noqa: E402
from assistant.qa.query import typed_phrases  # noqa: E402
from indexer.chunker import chunk_document  # noqa: E402
from indexer.lexical import LexicalIndex  # noqa: E402
from indexer.loaders import load_document  # noqa: E402
from indexer.vntext import clean, fold, has_diacritics  # noqa: E402

SHARED = ROOT.parent / "shared"
QUESTIONS = (SHARED / "eval" / "dev.jsonl", ROOT / "tests" / "data" / "questions.jsonl",
             ROOT / "tests" / "data" / "gate_train.jsonl")
_SYLLABLE = re.compile(r"[^\W\d_]+")


def tuning_index() -> tuple[LexicalIndex, list[str]]:
    """The lexical index of the seeds and the five Party documents' passages, and the passages."""
    paths = sorted((ROOT / "corpus").glob("*.txt")) + sorted((SHARED / "data" / "party_docs" / "txt").glob("*.txt"))
    texts = []
    for path in paths:
        doc = load_document(path, 50, None)
        texts += [c.text for c in chunk_document(doc, 1200, 40)]
    return LexicalIndex(list(range(len(texts))), texts), texts


def questions() -> list[str]:
    out = []
    for path in QUESTIONS:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            q = item.get("q") or item.get("question") or ""
            if has_diacritics(q):
                out.append(clean(q))
    return out


def errors(model: R.Restorer, typed: list[str], lexical: LexicalIndex, texts: list[str]) -> tuple[int, int, int]:
    """(wrong syllables, syllables, questions with a wrong syllable), each question restored as ``Retriever.restore``
    does: leaning on the passages a search of the folded question finds."""
    wrong = total = bad = 0
    for q in typed:
        want = _SYLLABLE.findall(q.lower())
        restored = R.restore_near(fold(q), model, lambda text, k: [texts[i] for i in lexical.search(text, k)[0]])
        got = _SYLLABLE.findall(restored.lower())
        miss = sum(a != b for a, b in zip(want, got, strict=True))
        wrong, total, bad = wrong + miss, total + len(want), bad + (miss > 0)
    return wrong, total, bad


def main() -> None:
    (lexical, texts), typed = tuning_index(), questions()
    frequencies = lexical.frequencies()
    print(f"{len(typed)} accented tuning questions\n")
    print("| WB | MU | CORPUS_WEIGHT | CACHE | syllable error | questions with an error |")
    print("|---|---|---|---|---|---|")
    defaults = (R.MU, R.CORPUS_WEIGHT, R.WB)
    grid = itertools.product((0.0, 1.0, 2.0, 5.0), (2.0, 20.0, 200.0, 2000.0), (5, 20, 100), (0.0, 0.02, 0.05, 0.1))
    for wb, mu, weight, cache in grid:
        R.MU, R.CORPUS_WEIGHT, R.WB, R.CACHE = mu, weight, wb, cache
        wrong, total, bad = errors(R.restorer(frequencies, phrases=typed_phrases()), typed, lexical, texts)
        share = f"{wrong / total:.3f} ({wrong}/{total})"
        print(f"| {wb:g} | {mu:g} | {weight} | {cache:g} | {share} | {bad}/{len(typed)} |")
    R.MU, R.CORPUS_WEIGHT, R.WB = defaults
    print(f"\nWB {R.WB:g}, MU {R.MU:g}, CORPUS_WEIGHT {R.CORPUS_WEIGHT}:\n")
    print("| CACHE | CACHE_PAIR | syllable error | questions with an error |\n|---|---|---|---|")
    for cache, pair in itertools.product((0.0, 0.02), (0.0, 0.02, 0.05, 0.1, 0.2, 0.3)):
        R.CACHE, R.CACHE_PAIR = cache, pair
        wrong, total, bad = errors(R.restorer(frequencies, phrases=typed_phrases()), typed, lexical, texts)
        print(f"| {cache:g} | {pair:g} | {wrong / total:.3f} ({wrong}/{total}) | {bad}/{len(typed)} |")


if __name__ == "__main__":
    main()
