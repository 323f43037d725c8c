"""Optional answer composition by a language model (Ollama or any OpenAI-compatible server).

The model writes the answer; ``assistant.llm.parse`` keeps only the sentences
whose quotes are found in the numbered sources (repaired to the exact source
text) and every citation passes ``citations.verify``. When the endpoint fails or
nothing verifiable comes back, a ``Fallback`` (a note and the trusted passages) is
returned and ``assistant.answer.settle`` answers extractively. LangChain stays inside this
module and is imported only when a model is configured.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.llm.parse import Cited, Sentence, Source, clean_rewrite, is_refusal, looks_like_injection, parse_reply
from assistant.llm.prompt import REFUSAL, REWRITE, SYSTEM, UNTRUSTED, message_text, prompt, rewrite_prompt, source_label
from assistant.qa.citations import Answer, Citation, cite, refusal, renumber, verify
from assistant.qa.retrieve import Hit
from indexer.errors import SettingsError
from indexer.settings import Settings

__all__ = [
    "NOTE_DOWN",
    "NOTE_DROPPED",
    "NOTE_REFUSED",
    "NOTE_STOPPED",
    "NOTE_UNVERIFIED",
    "NUM_CTX",
    "REFUSAL",
    "REWRITE",
    "SYSTEM",
    "UNTRUSTED",
    "Fallback",
    "LLMComposer",
    "ReplyStream",
    "make_llm",
    "message_text",
    "prompt",
    "rewrite_prompt",
    "source_label",
]

log = logging.getLogger(__name__)

NOTE_DROPPED = "Đã lược bỏ {n} câu không có căn cứ trích dẫn trong văn bản."
NOTE_DOWN = "Không kết nối được mô hình ngôn ngữ ({reason}); đã trả lời bằng trích dẫn nguyên văn."
NOTE_UNVERIFIED = ("Câu trả lời của mô hình ngôn ngữ không có trích dẫn nào kiểm chứng được trong văn bản; "
                   "đã trả lời bằng trích dẫn nguyên văn.")
NOTE_STOPPED = "Đã dừng mô hình ngôn ngữ giữa chừng; đã trả lời bằng trích dẫn nguyên văn."
NUM_CTX = 8192  # Ollama's default window (2048-4096 tokens) would silently cut the sources
NOTE_REFUSED = "Mô hình ngôn ngữ cho biết các nguồn được cung cấp không trả lời câu hỏi này."


@dataclass(frozen=True)
class Fallback:
    """The model gave nothing to show: answer extractively from ``hits`` and say why in ``note``."""

    note: str
    hits: tuple[Hit, ...]


def trusted(hits: Sequence[Hit]) -> tuple[Hit, ...]:
    """The passages without instructions aimed at the assistant."""
    return tuple(h for h in hits if not looks_like_injection(h.chunk.text))


def make_llm(settings: Settings) -> LLMComposer | None:
    """The configured composer, or None when TRACUU_LLM_PROVIDER is empty."""
    provider = settings.llm_provider.strip().lower()
    if not provider:
        return None
    if provider not in ("openai", "ollama"):
        raise SettingsError(f"TRACUU_LLM_PROVIDER={settings.llm_provider!r} không hợp lệ: chọn 'ollama' hoặc 'openai'.")
    if not settings.llm_model:
        raise SettingsError("Chưa đặt TRACUU_LLM_MODEL (tên mô hình, ví dụ qwen2.5:7b-instruct).")
    if provider == "openai" and not (settings.llm_base_url or settings.llm_api_key):
        raise SettingsError(
            "Chưa đặt TRACUU_LLM_BASE_URL (ví dụ http://127.0.0.1:8000/v1) cho máy chủ tương thích OpenAI."
        )
    return LLMComposer(_chat_model(settings, provider), settings.llm_timeout)


def _chat_model(settings: Settings, provider: str) -> Any:
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(base_url=settings.llm_base_url or None, model=settings.llm_model, temperature=0,
                          num_ctx=NUM_CTX, client_kwargs={"timeout": settings.llm_timeout})
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(base_url=settings.llm_base_url or None, api_key=settings.llm_api_key or "not-needed",
                      model=settings.llm_model, timeout=settings.llm_timeout, max_retries=0, temperature=0)


@dataclass
class LLMComposer:
    """Composes cited answers with a LangChain chat model; never shows an unverified quote."""

    chat: Any  # a langchain_core BaseChatModel
    timeout: float = 60.0
    max_sources: int = 10
    max_chars: int = 12000  # of source text in the prompt (~5k tokens of Vietnamese)

    def sources(self, hits: Sequence[Hit]) -> list[Hit]:
        """The hits that become the numbered sources [1]…[k] (best first, within the budget)."""
        out: list[Hit] = []
        for h in hits[: self.max_sources]:
            if out and sum(len(x.chunk.text) for x in out) + len(h.chunk.text) > self.max_chars:
                break
            out.append(h)
        return out

    def answer(self, question: str, standalone: str, hits: Sequence[Hit]) -> Answer | Fallback:
        try:
            raw = message_text(self.chat.invoke(prompt(standalone, self.sources(hits))).content)
        except Exception as exc:  # any endpoint failure: connection, HTTP status, timeout, bad payload
            return self.unavailable(exc, hits)
        return self.finish(raw, question, standalone, hits)

    def stream(self, question: str, standalone: str, hits: Sequence[Hit]) -> ReplyStream:
        """Raw text pieces as they arrive; ``.answer()`` afterwards gives the verified Answer."""
        return ReplyStream(self, question, standalone, list(hits))

    def finish(self, raw: str, question: str, standalone: str, hits: Sequence[Hit]) -> Answer | Fallback:
        """The verified Answer for a complete raw reply to ``prompt(standalone, self.sources(hits))``."""
        sources = self.sources(hits)
        kept, citations, dropped = _checked(parse_reply(raw, [_source(h) for h in sources]), sources)
        if not kept:
            if is_refusal(raw, REFUSAL):
                return _model_refusal(question, standalone, sources)
            return Fallback(NOTE_UNVERIFIED, trusted(hits))
        notes = (NOTE_DROPPED.format(n=dropped),) if dropped else ()
        return Answer(question, _render(kept, citations), False, "llm", tuple(citations.values()),
                      notes=notes, standalone=standalone)

    def unavailable(self, exc: BaseException, hits: Sequence[Hit] = ()) -> Fallback:
        """What to show when the endpoint failed: the trusted passages and the reason."""
        log.warning("language model unavailable: %s: %s", type(exc).__name__, exc)
        return Fallback(NOTE_DOWN.format(reason=self._reason(exc)), trusted(hits))

    def rewrite(self, question: str, history: Sequence[Answer]) -> str:
        """The follow-up made standalone by the model (the extractive rewrite on failure)."""
        from assistant.qa.followup import rewrite as extractive_rewrite

        if not history:
            return question
        try:
            raw = message_text(self.chat.invoke(rewrite_prompt(question, history)).content)
        except Exception as exc:
            log.warning("language model unavailable for rewriting: %s: %s", type(exc).__name__, exc)
            return extractive_rewrite(question, history)
        return clean_rewrite(raw, question) or extractive_rewrite(question, history)

    def _reason(self, exc: BaseException) -> str:
        name = type(exc).__name__.lower()
        status = getattr(exc, "status_code", None)
        if "timeout" in name or isinstance(exc, TimeoutError):
            return f"quá thời gian chờ {self.timeout:g} giây"
        if isinstance(status, int):
            return f"máy chủ trả lỗi HTTP {status}"
        if "connect" in name or isinstance(exc, ConnectionError):
            return "không mở được kết nối tới máy chủ"
        return f"lỗi {type(exc).__name__}"


class ReplyStream(Iterator[str]):
    """Iterate for the raw (unverified) text; then ``answer()`` for what may be shown as final."""

    def __init__(self, composer: LLMComposer, question: str, standalone: str, hits: list[Hit]) -> None:
        self.composer, self.question, self.standalone, self.hits = composer, question, standalone, hits
        self.pieces: list[str] = []
        self.error: BaseException | None = None
        self.done = self.stopped = False
        self._gen = self._run()

    def _run(self) -> Iterator[str]:
        try:
            for chunk in self.composer.chat.stream(prompt(self.standalone, self.composer.sources(self.hits))):
                piece = message_text(chunk.content)
                if piece:
                    self.pieces.append(piece)
                    yield piece
            self.done = True
        except Exception as exc:
            self.error = exc

    def __next__(self) -> str:
        return next(self._gen)

    def close(self) -> None:
        """Stop reading (the user cancelled); an unfinished reply is then not used."""
        self._gen.close()
        self.stopped = not self.done and self.error is None

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def answer(self) -> Answer | Fallback:
        for _ in self:  # finish reading if the caller stopped early
            pass
        if self.error is not None:
            return self.composer.unavailable(self.error, self.hits)
        if self.stopped:
            return Fallback(NOTE_STOPPED, trusted(self.hits))
        return self.composer.finish(self.text, self.question, self.standalone, self.hits)


# -- from parsed sentences to an Answer ----------------------------------------------------------


def _source(hit: Hit) -> Source:
    return Source(hit.doc.text, hit.chunk.start, hit.chunk.end, not looks_like_injection(hit.chunk.text))


def _checked(
    sentences: Sequence[Sentence], hits: Sequence[Hit]
) -> tuple[list[Sentence], dict[tuple, Citation], int]:
    """Supported sentences whose every span passes ``verify``, their citations numbered in
    order, and how many sentences were left out (the model's refusal sentence not counted)."""
    docs = {h.doc.doc_id: h.doc for h in hits}
    kept: list[Sentence] = []
    citations: dict[tuple, Citation] = {}
    dropped, new_line = 0, False
    for sent in sentences:
        spans = [p for p in sent.parts if isinstance(p, Cited)]
        new = {_key(p): cite(0, hits[p.source - 1].doc, hits[p.source - 1].chunk, p.start, p.end)
               for p in spans if _key(p) not in citations}
        if not sent.supported or len(verify(new.values(), docs)) != len(new):
            dropped += not is_refusal(sent.raw, REFUSAL)
            new_line = new_line or "\n" in sent.sep
            continue
        kept.append(replace(sent, sep="\n") if new_line and kept else sent)
        citations.update(new)
        new_line = False
    numbered = renumber(citations.values())
    return kept, dict(zip(citations, numbered, strict=True)), dropped


def _key(part: Cited) -> tuple[int, int, int]:
    return part.source, part.start, part.end


def _render(sentences: Sequence[Sentence], citations: dict[tuple, Citation]) -> str:
    out: list[str] = []
    for i, sent in enumerate(sentences):
        text = "".join(_part(p, citations) for p in sent.parts)
        text = re.sub(r"[ \t]{2,}", " ", re.sub(r"[ \t]+([.,;:!?])", r"\1", text)).strip()
        out.append(("\n" if "\n" in sent.sep else " ") + text if i else text)
    return "".join(out)


def _part(part: str | Cited, citations: dict[tuple, Citation]) -> str:
    if isinstance(part, str):
        return part
    c = citations[_key(part)]
    return f"«{c.quote}» [{c.n}]" if part.quoted else f" [{c.n}]"


def _model_refusal(question: str, standalone: str, hits: Sequence[Hit]) -> Answer:
    top = trusted(hits)[:3]
    nearest = verify((cite(i, h.doc, h.chunk, h.chunk.start, h.chunk.end) for i, h in enumerate(top, 1)),
                     {h.doc.doc_id: h.doc for h in top})
    return refusal(question, standalone, nearest, "llm", (NOTE_REFUSED,))
