"""Assignment tables: the "Phụ lục phân công nhiệm vụ" of a Kế hoạch (STT | Nhiệm vụ | … | Chủ trì | Phối hợp | …).

Readers write a data table one row per line, its cells joined by " | " with empty and spanned cells kept
(``indexer.readers.tables``), so the n-th cell of a row is the n-th column of its header. A header is a row
naming a task column ("nhiệm vụ", "nội dung") and a "chủ trì" or "thực hiện" column; a second header row
under it ("| | Chủ trì | Phối hợp") refines its body columns. Each row below, up to the first line that is not
a row, gives every body named in a body column the column's role for the row's task; the quote is the whole
row, the deadline is the deadline column's cell. A body cell holding more than body names ("Theo phân công
tại Quyết định số 1441/QĐ-UBND") gives no row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.duties.bodies import find_bodies, fold_same
from assistant.duties.rules import DO, LEAD, PARTNER, REPORT
from indexer.readers.tables import CELL_SEPARATOR

_BAR = CELL_SEPARATOR.strip()  # readers collapse the spaces around an empty cell ("Sở Tư pháp | | Sở Tư pháp")

# Column roles by header text (folded); the first pattern that matches names the column.
_COLUMNS = ((re.compile(r"\bchu tri\b"), LEAD), (re.compile(r"\bphoi hop\b"), PARTNER),
            (re.compile(r"\b(?:theo doi|kiem tra|don doc|giam sat)\b"), REPORT),
            (re.compile(r"\b(?:co quan|don vi)?\s*thuc hien\b|\bphu trach\b|\btrach nhiem\b"), DO))
_TASK = re.compile(r"\b(?:nhiem vu|noi dung|cong viec|giai phap|nhom nhiem vu|hoat dong)\b")
_DEADLINE = re.compile(r"\b(?:thoi gian|thoi han|tien do|moc)\b")
# What may stand beside body names in a body cell: "Sở Nội vụ, Sở Tư pháp và các cơ quan liên quan".
_FILLER = re.compile(r"\b(?:va|cac|co quan|don vi|dia phuong|lien quan|co|chu tri|phoi hop|nganh|so|ban|huyen|xa|"
                     r"tinh|thanh pho|theo|chuc nang|cap|truc thuoc)\b|[,;()\-–./]")
MAX_HEADER_CELL = 60  # characters: longer cells are data
MAX_FILLER_CHARS = 6  # letters left in a body cell once its body names and filler words are taken out
MAX_NAME_CHARS = 90  # an organ's whole name in a body cell is no longer than this


@dataclass(frozen=True)
class Header:
    """Column indexes of an assignment table: the task, the deadline (or -1), the body columns with roles."""

    task: int
    deadline: int
    roles: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class TableRow:
    """One assignment read from a table row: offsets into the document text."""

    body: str
    role: str
    task: tuple[int, int]
    quote: tuple[int, int]
    deadline: tuple[int, int] | None


def table_rows(text: str) -> list[TableRow]:
    """Every (body, role) assignment of every assignment table in ``text``, in text order."""
    out: list[TableRow] = []
    header: Header | None = None
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        cells = _cells(line, start)
        if len(cells) < 2:
            header = None  # the table ended
            continue
        found = _header(text, cells, header)
        if found is not None:
            header = found
        elif header is not None:
            out.extend(_row(text, cells, header, (start, start + len(line.rstrip()))))
    return out


def _cells(line: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of each "|"-separated cell of a line, absolute (empty cells too); [] for other lines."""
    if _BAR not in line:
        return []
    spans, at = [], start
    for part in line.split(_BAR):
        lead = len(part) - len(part.lstrip())
        spans.append((at + lead, at + max(lead, len(part.rstrip()))))
        at += len(part) + 1
    return spans


def _header(text: str, cells: list[tuple[int, int]], above: Header | None) -> Header | None:
    """The header a row declares (or refines: a second header row under ``above``), else None. Header cells
    are short ("Chủ trì thực hiện") and name no body; a row whose task says "thực hiện nhiệm vụ" is no header."""
    if any(e - s > MAX_HEADER_CELL for s, e in cells) or any(find_bodies(text[s:e]) for s, e in cells):
        return None
    texts = [fold_same(text[s:e]).lower() for s, e in cells]
    roles = tuple((i, role) for i, t in enumerate(texts)
                  for role in [next((r for p, r in _COLUMNS if p.search(t)), None)] if role)
    task = next((i for i, t in enumerate(texts) if _TASK.search(t) and not any(i == j for j, _ in roles)), -1)
    if not roles or not any(r in (LEAD, DO) for _, r in roles):
        return None
    if task < 0:
        return Header(above.task, above.deadline, roles) if above is not None else None
    return Header(task, next((i for i, t in enumerate(texts) if _DEADLINE.search(t)), -1), roles)


def _row(text: str, cells: list[tuple[int, int]], header: Header, quote: tuple[int, int]) -> list[TableRow]:
    if header.task >= len(cells) or cells[header.task][0] == cells[header.task][1]:
        return []
    task = cells[header.task]
    deadline = cells[header.deadline] if 0 <= header.deadline < len(cells) else None
    out = []
    for col, role in header.roles:
        if col < len(cells):
            for name in _body_cell(text[cells[col][0]:cells[col][1]]) or ():
                out.append(TableRow(name, role, task, quote, deadline))
    return out


def _body_cell(cell: str) -> list[str] | None:
    """The body names of a cell made only of them (and filler such as "các cơ quan liên quan"), else None; its
    ";"-separated parts are read one by one."""
    names: list[str] = []
    for part in cell.split(";"):
        got = _body_part(part)
        if got is None:
            return None
        names += got
    return list(dict.fromkeys(names)) or None


def _body_part(part: str) -> list[str] | None:
    """The body names of one part of a body cell ([] for filler alone), None when it holds more than names. A part
    that opens with an organ whose name the grammar ends early ("Trung tâm Xúc tiến đầu tư, thương mại và du lịch
    tỉnh": a cell holds names only) is that organ's whole name."""
    found = find_bodies(part)
    rest = fold_same(part).lower()
    for _, s, e in sorted(found, key=lambda f: -f[1]):
        rest = rest[:s] + " " + rest[e:]
    if len(re.sub(r"\s+", "", _FILLER.sub(" ", rest))) <= MAX_FILLER_CHARS:
        return [name for name, _, _ in found]
    name = part.strip().rstrip(" .,")
    opens = len(found) == 1 and found[0][1] == len(part) - len(part.lstrip())
    return [name] if opens and len(name) <= MAX_NAME_CHARS else None
