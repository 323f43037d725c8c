"""Questions about duties ("Ban X được giao nhiệm vụ gì?", "Ai chủ trì việc Y?"): the body, role and topic asked.

The body is found by ``assistant.duties.bodies`` (table or grammar), so tone placement, case and abbreviations
("Đảng uỷ Bộ Nội vụ", "UBND tỉnh") do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.duties.bodies import find_mentions, fold_same, one_word_abbreviations, resolve
from assistant.duties.verbs import ROLE_AT
from assistant.qa.asked import asked_kind
from indexer.vntext import clean, fold

_CUE = re.compile(r"\b(?:nhiem vu|trach nhiem|duoc giao|giao cho|phan cong|chu tri|phoi hop|phu trach|lam gi"
                  r"|phai lam|cong viec gi|viec gi|dau moi|theo doi|bao cao)\b")
_WHO = re.compile(r"(?:^|\s)(?:ai|co quan nao|don vi nao|(?<!van )ban nao|to chuc nao|cap nao|cap uy nao|noi nao)\b")
# What a body is to do, asked outright; the other cues ("giao cho", "báo cáo", "chủ trì") also name a value's
# context: "Bộ Tài chính kiểm tra dự toán … giao cho các Sở trong thời hạn bao lâu?" asks the deadline, not the tasks
_TASKS_ASKED = re.compile(r"\b(?:nhiem vu|trach nhiem|lam gi|phai lam|cong viec gi|viec gi)\b")
# values ``asked_kind`` does not read as a number, duration or date
_OTHER_VALUE = re.compile(r"\b(?:van ban nao|thoi han nao)\b")
_ROLE_WORDS = (("chu tri", "chủ trì"), ("phoi hop", "phối hợp"), ("bao cao", "báo cáo/theo dõi"),
               ("theo doi", "báo cáo/theo dõi"))
_NAMED = re.compile(
    r"(?:nhiem vu|trach nhiem|viec)\s+(?:duoc giao\s+)?(?:cua|cho)\s+"
    r"(?P<a>.+?)(?=\s+(?:theo|trong|tai|la|gom|co)\b|\s*[?.]|$)"
    r"|^(?P<b>.+?)\s+(?:duoc giao|duoc phan cong|co trach nhiem|co nhiem vu|phai lam|lam gi|chu tri|phoi hop"
    r"|phu trach)\b"
)
_BODY_HEAD = re.compile(r"(?:cac\s+)?(?:ban|uy ban|van phong|hoc vien|dang uy|dang doan|cap uy|chi bo|so|bo|tinh uy"
                        r"|thanh uy|thuong truc|mat tran|co quan|to chuc|hoi dong|trung uong|quan uy)\b")


@dataclass(frozen=True)
class DutyQuery:
    """A question about assignments: "Ban X được giao nhiệm vụ gì?", "Ai chủ trì việc Y?"."""

    body: str | None  # canonical body asked about
    role: str | None  # "chủ trì" / "phối hợp" / "báo cáo/theo dõi", or None for any role
    topic: str | None  # "Ai chủ trì việc Y?" -> "Y"
    doc: str | None  # a document reference typed ("KL 54"), for ``duties_for(doc=...)``
    name: str | None = None  # the body as typed when it is not in the table
    action: bool = False  # the topic is what the body does ("Sở X … thì phản ánh qua đơn vị nào?"): it alone picks
    doing: str | None = None  # "Ai kiểm tra việc …?": the task verb asked, folded ("kiem tra")


@lru_cache(maxsize=256)
def duty_question(question: str) -> DutyQuery | None:
    """Recognise a question about who is assigned what; None for any other question (cached: ``ask`` reads
    the same question for the register answer, the unknown-body refusal and the no-rows note)."""
    text = _capitals(clean(question).strip())
    low = fold_same(text)
    who = _WHO.search(low)
    if not (_CUE.search(low) or who) or (not who and _asks_value(text, low) and not _TASKS_ASKED.search(low)):
        return None
    role = next((name for word, name in _ROLE_WORDS if re.search(rf"\b{word}\b", low)), None)
    mentions = find_mentions(text, low)
    if who:  # "Cơ quan nào phối hợp với Ban X?": a body after the verb belongs to the topic
        mentions = [m for m in mentions if m.start < who.start()]
    if mentions:
        body, name = mentions[0].name, None
    else:
        body, name = (None, None) if who else _named_body(text, low)
    topic = _topic(text, low, role) if who else _about(text, low)
    # "Sở X gặp vướng mắc thì phản ánh qua đơn vị nào?": what X does there
    action = _before_who(text, low, mentions[0].end, who.start()) if who and mentions and role is None else None
    if body is None and name is None and not (who and (role or topic)):
        return None
    verb = ROLE_AT.match(low[who.end():].lstrip()) if who and role is None and not mentions else None
    return DutyQuery(body, role, action or topic, _doc_ref(text), name, action is not None,
                     verb.group("verb") if verb else None)


def _asks_value(text: str, low: str) -> bool:
    """A question asking one value ("bao lâu", "ngày nào", "bao nhiêu", "văn bản nào"), not a list of tasks."""
    return asked_kind(text) is not None or _OTHER_VALUE.search(low) is not None


def _capitals(text: str) -> str:
    """Abbreviations typed in lower case written as the table writes them ("sở lđtbxh" -> "sở LĐTBXH", "ubnd
    tỉnh" -> "UBND tỉnh"): names are found by their capitals. Only forms of three letters or more, none of which
    is a Vietnamese syllable."""
    table = _abbreviations()
    return re.sub(r"[\w&]+", lambda m: table.get(fold(m.group()), m.group()) if m.group().islower() else m.group(),
                  text)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return {folded: short for folded, (short, _) in one_word_abbreviations().items()
            if len(short) > 2 and short.isupper()}


def _named_body(text: str, low: str) -> tuple[str | None, str | None]:
    m = _NAMED.search(low)
    if m is None:
        return None, None
    group = "a" if m.group("a") else "b"
    phrase = text[m.start(group):m.end(group)].strip(" ,")
    if not _BODY_HEAD.match(fold_same(phrase).lower()):
        return None, None
    found = resolve(phrase)
    return (found, None) if found else (None, phrase)


def _topic(text: str, low: str, role: str | None) -> str | None:
    word = next((w for w, name in _ROLE_WORDS if name == role), None) if role else None
    m = re.search(rf"\b{word}\b" if word else r"\b(?:chiu trach nhiem|phu trach|thuc hien|duoc giao)\b", low)
    if m is None:
        return None
    rest = re.sub(r"^\s*(?:ve\s+)?(?:viec|cong tac)?\s*", "", low[m.end():])
    start = len(text) - len(rest)
    topic = text[start:].strip(" ?.")
    return topic or None


_CLAUSE = re.compile(r"[,;:]|\b(?:thi|khi|neu|de|roi|sau do)\b")


def _before_who(text: str, low: str, start: int, who: int) -> str | None:
    """The last clause between the body and the who-word: "thì phản ánh qua đơn vị nào" -> "phản ánh qua"."""
    cut = max((m.end() for m in _CLAUSE.finditer(low, start, who)), default=start)
    words = text[cut:who].split()
    return " ".join(words) if len(words) >= 2 else None


def _about(text: str, low: str) -> str | None:
    """"Trách nhiệm của chi bộ trong việc kết nạp đảng viên?" -> "kết nạp đảng viên"."""
    m = re.search(r"\b(?:trong|ve)\s+(?:viec|cong tac)\s+", low)
    return (text[m.end():].strip(" ?.") or None) if m else None


def _doc_ref(text: str) -> str | None:
    from assistant.qa.query import analyze

    query = analyze(text)
    if query.numbers:
        return query.numbers[0].upper()
    ref = next((r for r in query.refs if not re.fullmatch(r"(?:19|20)\d\d", r.number)), None)
    return f"{ref.code} {ref.number}" if ref and ref.code else (ref.number if ref else None)
