"""The register on State documents (issue 11, item 4), from the tuning documents of set C: a Quy chế of the
Thủ tướng (HTML) whose articles read "1. Bộ Công an, Bộ Quốc phòng có trách nhiệm:" over lettered items, and a
scanned Chỉ thị of UBND tỉnh Quảng Ngãi that assigns tasks to heads of bodies ("Thủ trưởng các sở, ban ngành
tỉnh, Chủ tịch UBND cấp huyện, …", "Giao Chánh Thanh tra tỉnh chủ trì …")."""

from __future__ import annotations

import functools

from assistant.duties.extract import extract_duties
from assistant.duties.model import Duty
from assistant.duties.rules import DO, LEAD
from indexer.loaders import load_document
from tests.support import SHARED

MORE = SHARED / "data" / "party_docs_more"


@functools.cache
def _rows(prefix: str) -> tuple[Duty, ...]:
    return extract_duties(load_document(next(MORE.glob(f"{prefix}*"))))


def _bodies(rows: tuple[Duty, ...], task_start: str, role: str = DO) -> set[str]:
    return {r.body for r in rows if r.task.startswith(task_start) and r.role == role}


def test_bodies_that_have_the_responsibility_of_the_items_below() -> None:
    rows = _rows("TTg_QD-30")
    assert _bodies(rows, "Định kỳ hằng năm và khi có yêu cầu của các bộ") == {"Bộ Công an", "Bộ Quốc phòng"}
    assert "Ngân hàng Nhà nước Việt Nam" in {r.body for r in rows}


def test_a_long_heading_naming_heads_of_bodies_hands_them_its_items() -> None:
    rows = _rows("UBND-QuangNgai_CT-04")
    assert _bodies(rows, "Tiếp tục quán triệt, triển khai thực hiện nghiêm") == {
        "Các sở, ban, ngành", "UBND cấp huyện", "Các đơn vị sự nghiệp công lập", "Các doanh nghiệp nhà nước"}


def test_the_head_of_a_body_is_assigned_for_it() -> None:
    rows = _rows("UBND-QuangNgai_CT-04")
    assert any(r.body == "Thanh tra tỉnh" and r.role == LEAD and "theo dõi, đôn đốc, kiểm tra" in r.task
               for r in rows)


def test_rows_quote_their_document_exactly() -> None:
    for prefix in ("TTg_QD-30", "UBND-QuangNgai_CT-04"):
        doc = load_document(next(MORE.glob(f"{prefix}*")))
        assert all(doc.text[r.start:r.end] == r.quote and r.task in r.quote for r in _rows(prefix))
