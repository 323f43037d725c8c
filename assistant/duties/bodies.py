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

from assistant.duties.organs import HEAD_TITLES
from indexer.vntext import clean, fold

DATA = Path(__file__).resolve().parents[1] / "data" / "bodies.tsv"
_TOKEN = re.compile(r"\w+|[^\w\s]")
_TOKEN_AT = re.compile(r"\s*(\w+|[^\w\s])")
_PLURAL = ("cac", "nhung")
# The head of a body acts for it (folded): "Giám đốc Công an tỉnh", "Chủ tịch UBND cấp huyện", "Thủ trưởng các sở".
HEAD_OF = re.compile(rf"(?:{'|'.join(sorted({fold(t) for t in HEAD_TITLES}, key=len, reverse=True))})\s+(?:cua\s+)?")
_END = "\x00"
# The Government's closing formula names heads, not bodies: "Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng
# cơ quan thuộc Chính phủ …". "Bộ trưởng" with no Bộ after it, before another head, is the ministries.
MINISTRIES = "Các bộ"
_MINISTER = r"(?:cac\s+)?bo truong"
_MINISTERS = re.compile(rf"(?<!\w){_MINISTER}(?=\s*(?:,|va\s)\s*(?:thu truong|chu tich|bo truong)\b)")
# The units under a body, folded: "các đơn vị trực thuộc Sở …", "các cơ quan, đơn vị thuộc Bộ …"
UNITS_UNDER = r"(?:cac\s+)?(?:co quan|don vi)(?:\s*,\s*(?:co quan|don vi))*\s+(?:truc\s+)?thuoc\s+"
_UNITS_OF = re.compile(UNITS_UNDER)


@dataclass(frozen=True)
class Body:
    name: str  # canonical name
    kind: str  # "org" (one body) or "group" (a class of addressees)
    aliases: tuple[str, ...]
    gathers: tuple[str, ...] = ()  # a group's member groups: a query for one finds the rows of the others


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
        gathers = tuple(clean(g.strip()) for g in (cols[3] if len(cols) > 3 else "").split("|") if g.strip())
        bodies.append(Body(name, kind, tuple(dict.fromkeys([name, *aliases])), gathers))
    return tuple(bodies)


def key(text: str) -> str:
    """Comparison key: folded, abbreviations spelled out ("TW", "UBND", "HĐND", "MTTQ"), leading "các",
    commas and punctuation spacing dropped."""
    tokens = _TOKEN.findall(fold(clean(text)))
    spelled = _spelled()
    words = " ".join(spelled.get(t, t) for t in tokens if t not in ",;")
    return re.sub(r"^(?:cac|nhung) ", "", words)


@lru_cache(maxsize=1)
def one_word_abbreviations() -> dict[str, tuple[str, str]]:
    """The one-word forms of the query's abbreviation table (``data/abbreviations.tsv``), folded, with the form as
    written and its long form: "ubnd" -> ("UBND", "Ủy ban nhân dân"), "gd&dt" -> ("GD&ĐT", "Giáo dục và Đào tạo")."""
    from assistant.qa.query import abbreviation_table

    return {fold(short): (short, long) for short, long in abbreviation_table() if re.fullmatch(r"[\w&]+", short)}


@lru_cache(maxsize=1)
def _spelled() -> dict[str, str]:
    """Folded one-word abbreviations ("UBND", "LĐTBXH") with their folded long forms, commas dropped as ``key``
    drops them. Two-letter forms are document types or fold to syllables ("ĐU" -> "du" of "Du lịch"), so only
    "TW" of them is spelled."""
    return {folded: " ".join(_TOKEN.findall(fold(long).replace(",", "")))
            for folded, (short, long) in one_word_abbreviations().items()
            if short.isalnum() and (len(short) > 2 or folded == "tw")}


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
            for word in (t for t, _, _ in _tokens(fold(alias))):
                node = node.setdefault(word, {})
            node.setdefault(_END, b.name)
    return root


@lru_cache(maxsize=4)
def _table(path: Path = DATA) -> tuple[tuple[Body, ...], dict[str, dict], re.Pattern[str]]:
    bodies = _read_table(path)
    trie = _trie(bodies)
    words = sorted({"trung" if w == "tw" else w for w in trie} | {"tw", *_PLURAL}, key=len, reverse=True)
    return bodies, trie, re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")


def known_bodies() -> list[Body]:
    return list(_table()[0])


def body(name: str) -> Body | None:
    return next((b for b in known_bodies() if b.name == name), None)


def is_group(name: str) -> bool:
    b = body(name)
    return b is not None and b.kind == "group"


_FOLDED: dict[int, str] = {}


def without_head(name: str) -> str:
    """A name without its head's title ("Giám đốc Công an tỉnh" -> "Công an tỉnh") when a body follows the
    title ("Trường Chính trị tỉnh" stays); "(Các) Bộ trưởng" alone stands for the ministries ("Các bộ"); the name
    otherwise."""
    if re.fullmatch(_MINISTER, fold_same(name).lower().strip()):
        return MINISTRIES
    head = HEAD_OF.match(fold_same(name).lower())
    rest = name[head.end():] if head else ""
    units = _UNITS_OF.match(fold_same(rest).lower())  # "Thủ trưởng các đơn vị trực thuộc Sở …"
    return rest if rest and (units or any(m.start == 0 for m in find_mentions(rest))) else name


def fold_same(text: str) -> str:
    """``fold`` one character at a time, so that offsets into the result are offsets into ``text``."""
    for c in set(text):
        if ord(c) not in _FOLDED:
            _FOLDED[ord(c)] = (fold(c) or " ")[0]
    return text.translate(_FOLDED)


def _word_at(folded: str, pos: int) -> tuple[str, int, int] | None:
    """The token at or after ``pos`` (spaces skipped); "trung uong" is one token "tw"."""
    m = _TOKEN_AT.match(folded, pos)
    if m is None:
        return None
    tok, start, end = m.group(1), m.start(1), m.end(1)
    if tok == "trung":
        nxt = _TOKEN_AT.match(folded, end)
        if nxt and nxt.group(1) == "uong":
            return "tw", start, nxt.end(1)
    return tok, start, end


def _longest(trie: dict[str, dict], folded: str, pos: int) -> tuple[str, int] | None:
    """Longest alias starting at ``pos``: (name, end offset)."""
    node, best, prev = trie, None, ""
    while True:
        word = _word_at(folded, pos)
        if word is None:
            break
        tok, _, end = word
        if tok not in node and tok in _PLURAL and prev == "," and node is not trie:
            pos = end
            continue
        if tok not in node:
            break
        node, pos, prev = node[tok], end, tok
        if _END in node:
            best = (node[_END], end)
    return best


def find_mentions(text: str, folded: str | None = None) -> list[Mention]:
    """Mentions of known bodies in ``text`` (longest alias wins), offsets into ``text``.

    ``folded`` may pass ``fold_same(text)`` when the caller has it already."""
    _, trie, first = _table()
    folded = fold_same(text) if folded is None else folded
    found: list[Mention] = []
    done = 0
    for m in first.finditer(folded):
        start = m.start()
        if start < done or (start > 0 and folded[start - 1] in "/-" and folded[start - 2:start - 1].strip()):
            continue  # inside the previous mention, or part of a number ("110-BC/UBKTTW")
        hit = _longest(trie, folded, start)
        if m.group() in _PLURAL:
            after = _word_at(folded, m.end())
            other = _longest(trie, folded, after[1]) if after else None
            hit = other if other and (hit is None or other[1] > hit[1]) else hit
        if hit is None or (m.group() == "chi" and folded[max(0, start - 5):start] == "dong "):
            continue  # "đồng chí Ủy viên" is not "chi ủy"
        if _MEMBER.match(folded, hit[1]):
            continue  # "chi ủy viên", "cấp ủy viên": a member, not the committee
        other = _OTHER.match(folded, hit[1])  # "các bộ, cơ quan ngang bộ … khác có trách nhiệm": the same group
        found.append(Mention(hit[0], start, other.end() if other else hit[1]))
        done = found[-1].end
    return _with_ministers(folded, _with_organs(text, found))


def _with_ministers(folded: str, found: list[Mention]) -> list[Mention]:
    """``found`` plus "Các Bộ trưởng" of the closing formula (``_MINISTERS``) as the ministries, where no mention is."""
    extra = [Mention(MINISTRIES, m.start(), m.end()) for m in _MINISTERS.finditer(folded)
             if not any(x.start < m.end() and m.start() < x.end for x in found)]
    return sorted([*found, *extra], key=lambda x: x.start) if extra else found


_OTHER = re.compile(r"\s+khac\b")
_MEMBER = re.compile(r"\s+vien\b", re.IGNORECASE)


_PLURAL_BEFORE = re.compile(r"(?<!\w)(?:[Cc]ác|[Nn]hững)\s+$")


def _named(extra: str) -> bool:
    return any(c.isupper() or c.isdigit() for c in extra)


def _with_organs(text: str, table: list[Mention]) -> list[Mention]:
    """Table mentions plus organ names found by grammar (``organs``); the longer span wins, a tie goes to the
    table. A grammar name is the table's when it is an alias, else the name as written (first letter capital)."""
    from assistant.duties.organs import find_organs

    out = list(table)
    for s, e in find_organs(text):
        clash = [m for m in out if m.start < e and s < m.end]
        if any(m.end - m.start >= e - s or m.start < s or m.end > e for m in clash):
            continue
        if clash and clash[0].start == s and not _named(text[clash[-1].end:e]):
            continue  # "Ban Tổ chức Trung ương in ấn": lower-case words after a known body are its task
        written = text[s:e]
        name = canonical(written) or written[:1].upper() + written[1:]
        plural = _PLURAL_BEFORE.search(text, max(0, s - 8), s)
        out = [m for m in out if m not in clash] + [Mention(name, plural.start() if plural else s, e)]
    return sorted(out, key=lambda m: m.start)


def find_bodies(text: str) -> list[tuple[str, int, int]]:
    """(canonical name, start, end) of each body mentioned in ``text``."""
    return [(m.name, m.start, m.end) for m in find_mentions(text)]


def canonical(name: str) -> str | None:
    """The canonical name of an exact name or alias, or None; a trailing "khác" ("the other ministries") names
    the same group."""
    k = key(name)
    return _by_key().get(k) or _by_key().get(k.removesuffix(" khac"))


@lru_cache(maxsize=1)
def _by_key() -> dict[str, str]:
    out: dict[str, str] = {}
    for b in known_bodies():
        for a in b.aliases:
            out.setdefault(key(a), b.name)
    return out


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


# "các sở: Tài chính, Nội vụ", "các Bộ, ngành liên quan: Tài chính, Lao động - Thương binh và Xã hội"
SHARED_NOUNS = {"so": "Sở", "bo": "Bộ", "phong": "Phòng", "cuc": "Cục", "ban": "Ban", "vu": "Vụ"}
PLURAL_NOUN = re.compile(rf"(?:cac|nhung)\s+({'|'.join(SHARED_NOUNS)})\b")  # folded: "các sở", "các Bộ"


def complements(noun: str, text: str) -> list[str]:
    """Bodies a shared head noun names with the complements listed after it ("Giáo dục và Đào tạo, Tài chính"
    after "các sở:" -> "Sở Giáo dục và Đào tạo", "Sở Tài chính"); the list ends at an item that is not a name or
    where a name ends inside an item ("… Xã hội hướng dẫn các tỉnh")."""
    out = []
    for item in (x.strip(" .") for x in text.split(",")):
        name = f"{noun} {item}"
        found = find_mentions(name) if item[:1].isupper() else []
        if not found or found[0].start != 0:
            break
        out.append(found[0].name)
        if found[0].end < len(name):
            break
    return out
