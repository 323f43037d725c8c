"""Checking a language model's reply against its numbered sources (pure functions).

The reply is split into sentences. A quote («…», “…” or "…") counts only if it
is found in the source its marker [n] names: exactly after whitespace and
tone normalisation, or repaired to the closest span of that source when the
two are nearly identical. A sentence with a marker but no quote is supported
only by a source sentence that holds most of its content words. Sources that
carry instructions aimed at the assistant support nothing. What is not
supported is reported as such and never shown as a citation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.qa.extractive import content_terms
from indexer.vntext import clean, fold

MIN_RATIO = 0.9  # difflib ratio for repairing a slightly altered quote
MIN_OVERLAP = 0.6  # share of a paraphrase's content words found in one source sentence
MIN_FUZZY_WORDS = 4  # shorter quotes must match exactly

_MARKER = re.compile(r"\[\s*(?:[Nn]guồn\s*)?\d+(?:\s*[,;–-]\s*\d+)*\s*\]")
_MARKERS = re.compile(rf"(?:\s*{_MARKER.pattern})+")
_QUOTE = re.compile(r"«([^«»]*)»|“([^“”]*)”|\"([^\"\n]*)\"")
_END = re.compile(rf"[.!?…]+[\"”»)]*(?:{_MARKERS.pattern}[.!?…]*)?(?=\s|$)")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)
_SOURCE_SENT = re.compile(r"(?<=[.;!?…])[\"”')]*\s+|\n+")
_ITEM = re.compile(r"^(?:[-+*•]\s*|[a-zđ]\)\s*|\d+(?:\.\d+)*[.)]\s*|[IVX]+\.\s*)")
_BARE = re.compile(r"[-*•]?\s*(?:\d+(?:\.\d+)*|[a-zA-Zđ]|[IVXLC]+)[.)]")
_EDGE = ".,;:!?…-–— "
_INJECTION = re.compile(
    r"bo qua (?:moi|tat ca|toan bo|cac|nhung)(?: cac)? (?:huong dan|chi dan|lenh|cau lenh|quy tac|yeu cau)"
    r"|\b(?:hay|phai) tra loi (?:rang|la)\b|\bignore (?:all |any )?(?:previous|prior|above|earlier) "
    r"|\bdisregard (?:all |any )?(?:previous|prior|above)\b|\bsystem prompt\b|\blenh he thong\b"
    r"|\b(?:ban la|you are) (?:mot )?(?:tro ly|mo hinh|chatbot|ai|assistant)\b|<\|?(?:im_start|system)"
    r"|trich dan \[\d|«[^»]*»\s*\[\d+\]"
)


@dataclass(frozen=True)
class Source:
    """What a marker [n] names: the chunk ``text[start:end]`` of a document's normalised text."""

    text: str
    start: int
    end: int
    trusted: bool = True  # False when the chunk carries instructions aimed at the assistant


@dataclass(frozen=True)
class Cited:
    """A verified span ``sources[source - 1].text[start:end]``."""

    source: int
    start: int
    end: int
    quoted: bool  # the sentence quotes it (else it paraphrases it)


@dataclass(frozen=True)
class Sentence:
    raw: str
    parts: tuple[str | Cited, ...]  # text with quotes replaced by verified spans, markers removed
    supported: bool
    sep: str = ""  # "\n" when it starts a new line of the reply, else " " ("" for the first)


def strip_reasoning(reply: str) -> str:
    """Drop the <think>…</think> block some local models emit before answering."""
    return _THINK.sub("", reply).strip()


def looks_like_injection(text: str) -> bool:
    """Whether a source passage addresses the assistant ("bỏ qua mọi hướng dẫn…")."""
    return bool(_INJECTION.search(fold(text)))


def is_refusal(reply: str, refusal: str) -> bool:
    return fold(refusal.rstrip(".")) in " ".join(fold(reply).split())


def clean_rewrite(reply: str, question: str) -> str:
    """The standalone question in a rewriting reply ("" when the reply is unusable)."""
    lines = [ln.strip() for ln in strip_reasoning(reply).splitlines() if ln.strip()]
    if not lines:
        return ""
    text = re.sub(r"^(?:\W*(?:câu hỏi(?: độc lập| viết lại)?|question)\W*:)\s*", "", lines[0], flags=re.I)
    text = text.strip(" *\"“”«»'`")
    ok = any(ch.isalpha() for ch in text) and len(text) <= max(400, 4 * len(question))
    return " ".join(clean(text).split()) if ok else ""


def marker_numbers(marker: str) -> list[int]:
    """ "[1, 2]" -> [1, 2]; "[2-4]" -> [2, 3, 4]."""
    out: list[int] = []
    for part in re.split(r"\s*[,;]\s*", re.sub(r"[Nn]guồn", "", marker).strip("[] ")):
        lo, _, hi = part.partition("-") if "-" in part else part.partition("–")
        if hi and lo.strip().isdigit() and hi.strip().isdigit() and int(hi) - int(lo) < 20:
            out += range(int(lo), int(hi) + 1)
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def split_sentences(reply: str) -> list[tuple[str, str]]:
    """(separator, sentence) pairs; quotes are never split, markers stay with their sentence."""
    out: list[tuple[str, str]] = []
    reply = _QUOTE.sub(lambda m: m.group().replace("\n", " "), reply)  # a quote may wrap over lines
    for i, line in enumerate(reply.split("\n")):
        sep, pos = ("\n" if i else ""), 0
        for end in [*_ends(line), len(line)]:
            frag = line[pos:end].strip()
            if end < len(line) and _BARE.fullmatch(frag):
                continue  # "1." opening a numbered line is not a sentence
            lead = _MARKERS.match(frag)  # markers written after the full stop belong before it
            if lead and out and sep == " ":
                out[-1] = (out[-1][0], out[-1][1] + lead.group())
                frag = frag[lead.end():].lstrip(".!?… ")
            if frag:
                out.append((sep, frag))
                sep = " "
            pos = end
    return out


def _ends(line: str) -> list[int]:
    quoted = [m.span() for m in _QUOTE.finditer(line)]
    return [m.end() for m in _END.finditer(line) if not any(a < m.start() and m.end() < b for a, b in quoted)]


# -- locating quotes --------------------------------------------------------------------------


def _normalised(text: str, base: int) -> tuple[str, list[int]]:
    """``text`` with whitespace runs collapsed (and dropped before , . ; : ! ? ) …), and each
    kept character's offset (+ base)."""
    chars: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            nxt = text[i + 1:i + 2]
            if not chars or chars[-1] == " " or nxt.isspace() or (nxt and nxt in ",.;:!?)…"):
                continue
            ch = " "
        chars.append(ch)
        offsets.append(base + i)
    return "".join(chars), offsets


def locate(quote: str, source: Source, min_ratio: float = MIN_RATIO) -> tuple[int, int] | None:
    """Absolute offsets of ``quote`` in the source chunk, repaired when nearly identical."""
    q = _normalised(clean(quote), 0)[0].strip(_EDGE + "\"“”«»")
    if len(q) < 3:
        return None
    norm, offsets = _normalised(source.text[source.start:source.end], source.start)
    i = _find_word(norm, q)
    if i < 0 and len(norm.lower()) == len(norm) and len(q.lower()) == len(q):
        i = _find_word(norm.lower(), q.lower())
    if i >= 0:
        return offsets[i], offsets[i + len(q) - 1] + 1
    found = _closest(q, norm, min_ratio)
    return (offsets[found[0]], offsets[found[1] - 1] + 1) if found else None


def _find_word(hay: str, needle: str) -> int:
    """First occurrence of ``needle`` that neither starts nor ends inside a word."""
    i = hay.find(needle)
    while i >= 0:
        end = i + len(needle)
        if (i == 0 or not hay[i - 1].isalnum()) and (end == len(hay) or not hay[end].isalnum()):
            return i
        i = hay.find(needle, i + 1)
    return -1


def _closest(q: str, norm: str, min_ratio: float) -> tuple[int, int] | None:
    """The word-aligned window of ``norm`` most similar to ``q`` (ratio >= min_ratio)."""
    n = len(q.split())
    if n < MIN_FUZZY_WORDS:
        return None
    words = [m.span() for m in re.finditer(r"\S+", norm)]
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(q.lower())
    best, best_ratio = None, min_ratio
    for first in range(len(words)):
        for size in range(max(1, n - 3), n + 4):
            if first + size > len(words):
                break
            a, b = words[first][0], words[first + size - 1][1]
            a, b = a + len(norm[a:b]) - len(norm[a:b].lstrip(_EDGE)), b - len(norm[a:b]) + len(norm[a:b].rstrip(_EDGE))
            matcher.set_seq1(norm[a:b].lower())
            if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio > best_ratio or (ratio == best_ratio and best is None):
                best, best_ratio = (a, b), ratio
    return best


def source_sentences(source: Source) -> list[tuple[int, int]]:
    """Absolute spans of the chunk's sentences / list items, item markers left out."""
    text, base, spans, pos = source.text[source.start:source.end], source.start, [], 0
    for m in [*_SOURCE_SENT.finditer(text), None]:
        stop = m.start() if m else len(text)
        seg = text[pos:stop]
        lead = len(seg) - len(seg.lstrip())
        item = _ITEM.match(seg[lead:])
        lead += item.end() if item else 0
        if len(seg.strip()) > 3 and stop > pos + lead:
            spans.append((base + pos + lead, base + stop))
        pos = m.end() if m else stop
    return spans


def supporting_sentence(
    claim: str, source: Source, min_overlap: float = MIN_OVERLAP
) -> tuple[int, int, float] | None:
    """(start, end, share) of the source sentence holding the largest share (>= min_overlap)
    of the claim's content words."""
    terms = content_terms(claim)
    if len(terms) < 3:
        return None
    best: tuple[int, int, float] | None = None
    for a, b in source_sentences(source):
        share = len(terms & content_terms(source.text[a:b])) / len(terms)
        if share >= min_overlap and (best is None or share > best[2]):
            best = (a, b, share)
    return best


# -- sentences of a reply ---------------------------------------------------------------------


def parse_reply(
    reply: str, sources: Sequence[Source], min_ratio: float = MIN_RATIO, min_overlap: float = MIN_OVERLAP
) -> list[Sentence]:
    """Every sentence of the reply with its verified spans, or marked unsupported."""
    out = []
    for sep, sent in split_sentences(strip_reasoning(reply)):
        parts = _support(sent, sources, min_ratio, min_overlap)
        out.append(Sentence(sent, parts or (sent,), parts is not None, sep))
    return out


def _valid(numbers: Sequence[int], sources: Sequence[Source]) -> list[int]:
    return [n for n in dict.fromkeys(numbers) if 1 <= n <= len(sources) and sources[n - 1].trusted]


def _support(
    sent: str, sources: Sequence[Source], min_ratio: float, min_overlap: float
) -> tuple[str | Cited, ...] | None:
    markers = [(m.start(), m.end(), [n for g in _MARKER.findall(m.group()) for n in marker_numbers(g)])
               for m in _MARKERS.finditer(sent)]  # "[1][2]" is one run
    quotes = list(_QUOTE.finditer(sent))
    if not markers:
        return None
    if not quotes:
        return _paraphrase(sent, markers, sources, min_overlap)
    parts: list[str | Cited] = []
    pos = 0
    for i, q in enumerate(quotes):
        limit = quotes[i + 1].start() if i + 1 < len(quotes) else len(sent)
        after = [nums for a, _, nums in markers if q.end() <= a < limit]
        numbers = after[0] if after else [n for *_, nums in markers for n in nums]
        cited = _quote(q.group(1) or q.group(2) or q.group(3) or "", _valid(numbers, sources), sources, min_ratio)
        if cited is None:
            return None
        parts += [_strip_markers(sent[pos:q.start()]), cited]
        pos = q.end()
    parts.append(_strip_markers(sent[pos:]))
    return tuple(p for p in parts if p != "")


def _quote(text: str, numbers: Sequence[int], sources: Sequence[Source], min_ratio: float) -> Cited | None:
    for n in numbers:
        found = locate(text, sources[n - 1], min_ratio)
        if found:
            return Cited(n, found[0], found[1], True)
    return None


def _paraphrase(
    sent: str, markers: Sequence[tuple[int, int, list[int]]], sources: Sequence[Source], min_overlap: float
) -> tuple[str | Cited, ...] | None:
    claim = _strip_markers(sent)
    best: Cited | None = None
    best_share = -1.0
    for n in _valid([n for *_, nums in markers for n in nums], sources):
        found = supporting_sentence(claim, sources[n - 1], min_overlap)
        if found and found[2] > best_share:
            best, best_share = Cited(n, found[0], found[1], False), found[2]
    if best is None:
        return None
    body = claim.rstrip(_EDGE)
    return tuple(p for p in (body, best, claim[len(body):].strip()) if p != "")


def _strip_markers(text: str) -> str:
    return re.sub(r"[ \t]+([.,;:!?…])", r"\1", _MARKERS.sub("", text))
