"""Exports of the responsibility register: JSON, citations, CSV and XLSX tables."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.duties.model import Duty

JSON_FIELDS = ("body", "role", "task", "deadline", "deadline_date", "doc_id", "doc_number", "section", "page",
               "quote", "start", "end")
HEADER = ("STT", "Cơ quan", "Vai trò", "Nhiệm vụ", "Thời hạn", "Căn cứ")


def duties_json(body: str | None, rows: Iterable[Duty]) -> dict[str, object]:
    return {"body": body, "rows": [{k: getattr(r, k) for k in JSON_FIELDS} for r in rows]}


def citation(row: Duty) -> str:
    """Where a row comes from, as a cadre writes it: "Kết luận số 54-KL/TW ngày 09/5/2023, mục 6, ý 3"."""
    parts = [_cite_part(p) for p in row.section.split(" › ") if p]
    where = ", ".join(p for p in parts if p)
    page = f", trang {row.page}" if row.page else ""
    return f"{row.source or row.doc_number or row.doc_id}{', ' + where if where else ''}{page}"


def _cite_part(label: str) -> str:
    m = re.match(r"^([IVXLC]+|\d+(?:\.\d+)*)[.)-]?(?:\s|$)", label)
    if m:
        return f"mục {m.group(1)}"
    m = re.match(r"^([a-zđ])\)", label)
    if m:
        return f"điểm {m.group(1)}"
    return label[:1].lower() + label[1:] if label.startswith(("Phần", "Ý", "Đoạn")) else label


def table_rows(rows: Iterable[Duty]) -> list[tuple[object, ...]]:
    """Rows for a follow-up report: STT, Cơ quan, Vai trò, Nhiệm vụ, Thời hạn, Căn cứ."""
    return [(k, r.body, r.role, r.task, r.deadline or "", citation(r)) for k, r in enumerate(rows, start=1)]


def write_csv(rows: Iterable[Duty], path: str | Path) -> Path:
    """CSV in UTF-8 with BOM, so that Excel shows Vietnamese correctly."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(table_rows(rows))
    return path


def write_xlsx(rows: Iterable[Duty], path: str | Path) -> Path:
    """XLSX with a bold, frozen header row, wrapped text and readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADER)
    for values in table_rows(rows):
        sheet.append(values)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = wrap
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEF", (6, 32, 16, 80, 18, 48), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    book.save(path)
    return path
