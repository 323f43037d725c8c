"""The register's row: one assignment of a task to a body, quoted exactly from its document."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.duties.rules import DO, LEAD, PARTNER, REPORT, ROLES

__all__ = ["DO", "LEAD", "PARTNER", "REPORT", "ROLES", "Duty"]


@dataclass(frozen=True)
class Duty:
    body: str
    role: str
    task: str
    deadline: str | None
    deadline_date: str | None
    doc_id: str
    doc_number: str | None
    section: str
    page: int | None
    quote: str
    start: int
    end: int
    recipient: str | None = None  # reporting lines: who receives the report
    via: str | None = None  # reporting lines: the body the report goes through ("qua ...")
    source: str = ""  # the document as cited: "Kết luận số 54-KL/TW ngày 09/5/2023"
