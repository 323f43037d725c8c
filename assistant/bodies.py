"""Names of the bodies that directives assign tasks to, with their aliases.

The table lives in ``data/bodies.tsv`` (users can add lines). Matching is done
on ``fold`` of the text, so case, diacritics and tone style ("Uỷ"/"Ủy") do not
matter; "Trung ương" and "TW" are interchangeable and a leading "các"/"những"
is optional. ``find_bodies`` reports mentions with offsets into the text as
given; ``resolve`` finds the body a user typed ("UBKT TW", "ban to chuc trung uong").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from indexer.vntext import clean, fold

DATA = Path(__file__).parent / "data" / "bodies.tsv"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_PLURAL = ("cac", "nhung")
_END = "\x00"


@dataclass(frozen=True)
class Body:
    name: str  # canonical name
    kind: str  # "org" (one body) or "group" (a class of addressees)
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    name: str  # canonical name
    start: int
    end: int


def _read_table(path: Path) -> tuple[Body, ...]:
    bodies = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        name = clean(cols[0].strip())
        kind = cols[1].strip() if len(cols) > 1 and cols[1].strip() else "org"
        aliases = [clean(a.strip()) for a in (cols[2] if len(cols) > 2 else "").split("|") if a.strip()]
        bodies.append(Body(name, kind, tuple(dict.fromkeys([name, *aliases]))))
    return tuple(bodies)


def key(text: str) -> str:
    """Comparison key: folded, "TW" spelled out, leading "các" and punctuation spacing dropped."""
    tokens = _TOKEN.findall(fold(clean(text)))
    words = " ".join("trung uong" if t == "tw" else t for t in tokens)
    return re.sub(r"^(?:cac|nhung) ", "", words)


def _tokens(folded: str) -> list[tuple[str, int, int]]:
    """Word and punctuation tokens of folded text; "trung uong" becomes one token "tw"."""
    out: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(folded):
        tok = m.group()
        if tok == "uong" and out and out[-1][0] == "trung":
            out[-1] = ("tw", out[-1][1], m.end())
        else:
            out.append((tok, m.start(), m.end()))
    return out


def _trie(bodies: tuple[Body, ...]) -> dict[str, dict]:
    root: dict[str, dict] = {}
    for b in bodies:
        for alias in b.aliases:
            node = root
            words = [t for t, _, _ in _tokens(fold(alias))]
            while words and words[0] in _PLURAL:
                words = words[1:]
            for word in words:
                node = node.setdefault(word, {})
            node.setdefault(_END, b.name)
    return root


@lru_cache(maxsize=4)
def _table(path: Path = DATA) -> tuple[tuple[Body, ...], dict[str, dict]]:
    bodies = _read_table(path)
    return bodies, _trie(bodies)


def known_bodies() -> list[Body]:
    return list(_table()[0])


def body(name: str) -> Body | None:
    return next((b for b in known_bodies() if b.name == name), None)


def is_group(name: str) -> bool:
    b = body(name)
    return b is not None and b.kind == "group"


def _folded(text: str) -> tuple[str, list[int] | None]:
    """``fold(text)`` and, when folding changed the length, the original offset of each character."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, None
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch):
            out.append(f)
            pos.append(i)
    pos.append(len(text))
    return "".join(out), pos


def _longest(trie: dict[str, dict], toks: list[tuple[str, int, int]], i: int) -> tuple[str, int] | None:
    """Longest alias starting at token ``i``: (name, index after the last token)."""
    node, best, j = trie, None, i
    while j < len(toks):
        word = toks[j][0]
        if word not in node and word in _PLURAL and j > i and toks[j - 1][0] == ",":
            j += 1
            continue
        if word not in node:
            break
        node = node[word]
        j += 1
        if _END in node:
            best = (node[_END], j)
    return best


def find_mentions(text: str) -> list[Mention]:
    """Mentions of known bodies in ``text`` (longest alias wins), offsets into ``text``."""
    trie = _table()[1]
    folded, pos = _folded(text)
    toks = _tokens(folded)
    found: list[Mention] = []
    i = 0
    while i < len(toks):
        skip = 1 if toks[i][0] in _PLURAL else 0
        hit = _longest(trie, toks, i + skip) if skip else None
        hit = hit or _longest(trie, toks, i)
        if hit is None or (i > 0 and toks[i - 1][0] in ("/", "-") and toks[i - 1][2] == toks[i][1]):
            i += 1
            continue
        start, end = toks[i][1], toks[hit[1] - 1][2]
        if pos is not None:
            start, end = pos[start], pos[end - 1] + 1
        found.append(Mention(hit[0], start, end))
        i = hit[1]
    return found


def find_bodies(text: str) -> list[tuple[str, int, int]]:
    """(canonical name, start, end) of each body mentioned in ``text``."""
    return [(m.name, m.start, m.end) for m in find_mentions(text)]


def canonical(name: str) -> str | None:
    """The canonical name of an exact name or alias, or None."""
    k = key(name)
    for b in known_bodies():
        if any(key(a) == k for a in b.aliases):
            return b.name
    return None


def resolve(query: str) -> str | None:
    """The body a user means: an exact alias, a mention inside the text, or a unique-enough name prefix."""
    exact = canonical(query)
    if exact:
        return exact
    mentions = find_mentions(clean(query))
    if mentions:
        return max(mentions, key=lambda m: m.end - m.start).name
    k = key(query)
    if len(k) < 4:
        return None
    hits = [b for b in known_bodies() if any(key(a).startswith(k) for a in b.aliases)]
    hits.sort(key=lambda b: (b.kind != "org", "trung uong" not in key(b.name), len(b.name)))
    return hits[0].name if hits else None
