"""Evaluation data sets turned into in-memory ``Document``s and gold-labelled questions.

Every loader returns ``(documents, questions)``. Gold is given as document
paths (``EvalQuestion.gold_docs``: a retrieved chunk counts for the article or
chunk its document stands for) or as phrases (``gold_phrases``: a retrieved
chunk counts when its text contains the phrase, see ``normalise_phrase``).

The data are read at run time from the shared folder (default: ``shared/``
beside the repository); nothing is copied into the project.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import TracuuError
from indexer.models import Document, Metadata
from indexer.normalize import assemble
from indexer.vntext import clean

log = logging.getLogger(__name__)

NAMES = ("alqac2023", "alqac2022", "congbot", "zalo")
DEFAULT_ZALO_CAP = 2000


@dataclass(frozen=True)
class EvalQuestion:
    qid: str
    text: str
    gold_docs: frozenset[str] = frozenset()  # document paths that count as relevant
    gold_phrases: tuple[str, ...] = ()  # normalised phrases, one of which a chunk must contain
    kind: str = ""

    @property
    def negative(self) -> bool:
        """A question the corpus cannot answer (no gold at all)."""
        return not self.gold_docs and not self.gold_phrases


@dataclass(frozen=True)
class Dataset:
    """A named evaluation set; ``documents`` is empty when it runs on the user's own index."""

    name: str
    documents: tuple[Document, ...]
    questions: tuple[EvalQuestion, ...]
    note: str = ""  # what subset was used, in plain words


def default_shared() -> Path:
    """``shared/`` beside the repository (the repository is cloned next to it)."""
    return Path(__file__).resolve().parents[3] / "shared"


def normalise_phrase(text: str) -> str:
    """Form in which gold phrases and chunk texts are compared."""
    return re.sub(r"\s+", " ", clean(text).lower()).strip()


def stable_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def make_document(path: str, text: str, meta: Metadata) -> Document:
    """A ``Document`` from raw text, normalised like a loaded file (no unwrapping)."""
    body, _ = assemble([text.split("\n")], unwrap=False)
    return Document(doc_id=stable_id(path), path=path, text=body, meta=meta, body=(0, len(body)))


def _missing(path: Path) -> TracuuError:
    return TracuuError(
        f"Không tìm thấy tệp dữ liệu đánh giá {path}. Hãy đặt thư mục shared/ cạnh thư mục mã nguồn "
        "(hoặc chỉ đúng đường dẫn tới nó) rồi chạy lại."
    )


def _read_json(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise _missing(path) from exc


def _read_jsonl(path: Path) -> Iterator[dict]:
    if not path.is_file():
        raise _missing(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise TracuuError(f"Dòng {n} của {path} không phải JSON hợp lệ ({exc.msg}). Hãy sửa dòng đó.") from exc


# ---------------------------------------------------------------- ALQAC


def _law_type(law_id: str) -> str | None:
    for prefix in ("Hiến pháp", "Bộ luật", "Luật"):
        if law_id.lower().startswith(prefix.lower()):
            return prefix
    return None


def _alqac_documents(laws: list[dict], tag: str) -> list[Document]:
    docs = []
    for law in laws:
        law_id = law["id"]
        named = _law_type(law_id) is not None  # 2023 names laws, 2022 numbers them
        meta = Metadata(
            doc_number=None if named else law_id, doc_type=_law_type(law_id), title=law_id if named else None
        )
        for art in law["articles"]:
            # The data set strips the "Điều N." heading; restoring it gives every clause its article context.
            text = f"Điều {art['id']}. {art['text']}"
            docs.append(make_document(f"{tag}/{law_id}/{art['id']}", text, meta))
    return docs


def _alqac_questions(items: Iterable[tuple[str, dict]], tag: str) -> list[EvalQuestion]:
    out = []
    for prefix, item in items:
        gold = frozenset(f"{tag}/{a['law_id']}/{a['article_id']}" for a in item["relevant_articles"])
        qid = f"{prefix}{item.get('question_id') or item.get('id')}"
        # ALQAC 2022 has no question type: its questions are grouped by the law of their first gold article.
        kind = item.get("question_type") or item["relevant_articles"][0]["law_id"]
        out.append(EvalQuestion(qid, item["text"], gold, kind=kind))
    return out


def load_alqac2023(shared: Path | None = None) -> tuple[list[Document], list[EvalQuestion]]:
    """17 laws (2,249 articles); 210 questions: train + private test."""
    root = (shared or default_shared()) / "data" / "alqac"
    docs = _alqac_documents(_read_json(root / "alqac2023_law.json"), "alqac2023")
    items = [
        (prefix, item)
        for prefix, name in (("train:", "alqac2023_train.json"), ("private:", "alqac2023_private_test.json"))
        for item in _read_json(root / name)
    ]
    return docs, _alqac_questions(items, "alqac2023")


def load_alqac2022(shared: Path | None = None) -> tuple[list[Document], list[EvalQuestion]]:
    """4 codes (1,377 articles); 520 questions."""
    root = (shared or default_shared()) / "data" / "alqac"
    docs = _alqac_documents(_read_json(root / "alqac2022_law.json"), "alqac2022")
    items = [("", item) for item in _read_json(root / "alqac2022_question.json")]
    return docs, _alqac_questions(items, "alqac2022")


# ---------------------------------------------------------------- CongBot


def _congbot_text(chunk: dict) -> str:
    text = chunk.get("text") or ""
    first, _, rest = text.partition("\n")
    return rest if first.strip() == f"# {chunk['chunk_id']}" else text  # drop the file-name heading


def load_congbot(shared: Path | None = None) -> tuple[list[Document], list[EvalQuestion]]:
    """357 non-empty chunks of 53 documents as documents; questions with every gold chunk present."""
    root = (shared or default_shared()) / "data" / "congbot"
    docs = []
    for chunk in _read_jsonl(root / "chunks.jsonl"):
        text = _congbot_text(chunk)
        if not text.strip():
            continue
        meta = Metadata(doc_type=chunk.get("doc_type"), title=chunk.get("doc_title"))
        docs.append(make_document(f"congbot/{chunk['chunk_id']}", text, meta))
    known = {d.path for d in docs}
    questions = []
    for item in _read_jsonl(root / "questions.jsonl"):
        gold = frozenset(f"congbot/{c}" for c in item["gold_chunk_ids"])
        if not item.get("all_gold_resolvable") or not gold <= known:
            continue
        kind = item["qid"].split(":", 1)[0]
        questions.append(EvalQuestion(item["qid"], item["question"], gold, kind=kind))
    return docs, questions


# ---------------------------------------------------------------- Zalo -> Pháp điển


def load_zalo(shared: Path | None = None, cap: int = DEFAULT_ZALO_CAP) -> tuple[list[Document], list[EvalQuestion]]:
    """Zalo 2021 questions fully mapped to Pháp điển, over a subset of Pháp điển.

    The subset: every gold article, then the other articles of the de-mục files
    that hold gold articles, taken evenly across those files (in article order)
    until ``cap`` articles in total. ``describe_zalo`` states the subset.
    """
    root = shared or default_shared()
    questions = _zalo_questions(root / "data" / "zalo2021_questions" / "zalo_to_phapdien_map.jsonl")
    gold = {path.split("/", 1)[1] for q in questions for path in q.gold_docs}
    by_file: dict[str, list[dict]] = defaultdict(list)
    chosen: dict[str, dict] = {}
    for art in iter_phapdien(root):
        by_file[art["file"]].append(art)
        if art["id"] in gold:
            chosen[art["id"]] = art
    files = sorted({a["file"] for a in chosen.values()})
    queues = {f: [a for a in by_file[f] if a["id"] not in chosen] for f in files}
    while len(chosen) < cap and any(queues.values()):
        for f in files:
            if queues[f] and len(chosen) < cap:
                art = queues[f].pop(0)
                chosen[art["id"]] = art
    docs = [phapdien_document(a) for a in chosen.values()]
    return docs, questions


def _zalo_questions(path: Path) -> list[EvalQuestion]:
    out = []
    for item in _read_jsonl(path):
        if not item.get("fully_mapped"):
            continue
        gold = frozenset(f"phapdien/{p}" for g in item["gold"] for p in g["phapdien_ids"])
        out.append(EvalQuestion(item["question_id"], item["question"], gold, kind=item.get("split", "")))
    return out


def iter_phapdien(shared: Path | None = None) -> Iterator[dict]:
    """The raw Pháp điển articles (``id``, ``title``, ``file``, ``text``, ``source_doc_number`` ...)."""
    return _read_jsonl((shared or default_shared()) / "data" / "phapdien" / "phapdien_articles.jsonl.gz")


def phapdien_document(art: dict) -> Document:
    meta = Metadata(doc_number=art.get("source_doc_number"), title=art.get("title"))
    return make_document(f"phapdien/{art['id']}", art["text"], meta)


def describe_zalo(docs: list[Document], questions: list[EvalQuestion], cap: int) -> str:
    gold = {p for q in questions for p in q.gold_docs}
    return (
        f"Pháp điển subset: {len(docs)} of 72,250 articles ({len(gold)} gold articles + articles of the "
        f"same de-mục files, cap {cap}); {len(questions)} Zalo questions fully mapped"
    )


# ---------------------------------------------------------------- JSONL over the user's index


def load_jsonl(path: Path) -> list[EvalQuestion]:
    """``{"q", "gold": [phrases], "kind"?, "id"?}`` per line; empty gold = a negative question."""
    out = []
    for n, item in enumerate(_read_jsonl(Path(path)), 1):
        if not isinstance(item.get("q"), str):
            raise TracuuError(f"Câu hỏi thứ {n} trong {path} thiếu trường \"q\". Hãy bổ sung rồi chạy lại.")
        phrases = tuple(normalise_phrase(g) for g in item.get("gold") or () if g.strip())
        kind = item.get("kind") or ("negative" if not phrases else "")
        out.append(EvalQuestion(str(item.get("id") or n), item["q"], gold_phrases=phrases, kind=kind))
    return out


def load_dataset(name: str, shared: Path | None = None, zalo_cap: int = DEFAULT_ZALO_CAP) -> Dataset:
    """One of ``NAMES`` as a ``Dataset``."""
    if name == "zalo":
        docs, questions = load_zalo(shared, zalo_cap)
        return Dataset(f"zalo-{zalo_cap}", tuple(docs), tuple(questions), describe_zalo(docs, questions, zalo_cap))
    loaders = {"alqac2023": load_alqac2023, "alqac2022": load_alqac2022, "congbot": load_congbot}
    if name not in loaders:
        raise TracuuError(
            f"Không có bộ dữ liệu đánh giá '{name}'. Hãy chọn một trong {', '.join(NAMES)} hoặc chỉ một tệp .jsonl."
        )
    docs, questions = loaders[name](shared)
    return Dataset(name, tuple(docs), tuple(questions), f"{len(docs)} documents, {len(questions)} questions")
