"""Answer rates on the dev set and the project's own questions, with and without diacritics.

    python benchmarks/answers.py [--index /tmp/tracuu-answers-index] [--shared ../shared]

The index holds corpus/ and the five Party PDFs (built on first use). An answerable question passes when
it is answered (not refused) with a citation whose quote holds a gold phrase; a negative passes when it
is refused. Prints the rates per set and form, and every failure.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
ROOT = Path(__file__).resolve().parent.parent


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, default=Path("/tmp/tracuu-answers-index"))
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    from assistant.answer import Assistant
    from assistant.evaluation.datasets import normalise_phrase
    from indexer.build import build_index
    from indexer.settings import Settings
    from indexer.vntext import fold

    settings = Settings.from_env(index=args.index)
    build_index([ROOT / "corpus", args.shared / "data" / "party_docs" / "pdf"], settings)
    assistant = Assistant(settings)
    own = ROOT / "tests" / "data" / "questions.jsonl"
    sets = {"dev": _jsonl(args.shared / "eval" / "dev.jsonl"), "own": _jsonl(own)}
    for form, shape in (("with diacritics", str), ("without diacritics", fold)):
        for name, items in sets.items():
            cited = refused = 0
            for item in items:
                answer = assistant.ask(shape(item["q"]))
                gold = [normalise_phrase(g) for g in item["gold"]]
                good = any(g in normalise_phrase(c.quote) for c in answer.citations for g in gold)
                ok = answer.refused if not gold else (good and not answer.refused)
                cited, refused = cited + (ok and bool(gold)), refused + (ok and not gold)
                if not ok:
                    print(f"  FAIL {item.get('id', '')} refused={answer.refused}: {shape(item['q'])}")
            answerable = sum(1 for i in items if i["gold"])
            print(f"{name} {form}: {cited}/{answerable} answerable answered with a gold quote, "
                  f"{refused}/{len(items) - answerable} negatives refused")


if __name__ == "__main__":
    main()
