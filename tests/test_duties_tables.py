"""Assignment tables of State plans (issue 11, item 4): the "Phụ lục phân công nhiệm vụ" of a real Kế hoạch of
UBND tỉnh Lâm Đồng (Word, 59 task rows under a 7-column header) and a portal page whose table has a two-row
header with merged cells; every body column gives its role, empty and merged cells keep their columns."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from assistant.duties.extract import extract_duties, select
from assistant.duties.rules import LEAD, PARTNER, REPORT
from assistant.duties.tables import table_rows
from indexer.loaders import load_document
from indexer.models import Document
from tests.support import SHARED

PLAN = SHARED / "data" / "party_docs_more" / "UBND-LamDong_KH-unnumbered_2026-03-xx_cai-cach-hanh-chinh-2026-2030.docx"


@functools.cache
def _plan() -> Document:
    return load_document(PLAN)


def _roles(doc: Document, task_start: str) -> set[tuple[str, str]]:
    return {(r.body, r.role) for r in extract_duties(doc) if r.task.startswith(task_start)}


def test_a_word_table_row_keeps_its_empty_cells_in_their_columns() -> None:
    rows = _plan().text.split("\n")
    header = "STT | Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện | " \
             "Theo dõi, kiểm tra, đôn đốc"
    assert header in rows
    assert any(r.startswith("2 | Định kỳ thực hiện việc công bố danh mục") and
               r.endswith("| Trước ngày 31/01 năm liền kề | Sở Tư pháp; UBND các xã, phường, đặc khu | | Sở Tư pháp")
               for r in rows)


def test_each_body_column_gives_its_role() -> None:
    doc = _plan()
    assert _roles(doc, "Định kỳ thực hiện việc công bố danh mục") == {
        ("Sở Tư pháp", LEAD), ("UBND các xã, phường, đặc khu", LEAD), ("Sở Tư pháp", REPORT)}
    assert _roles(doc, "Tham mưu UBND tỉnh triển khai ứng dụng AI trong công tác phổ biến") == {
        ("Sở Tư pháp", LEAD), ("Sở Khoa học và Công nghệ", PARTNER), ("Sở Tư pháp", REPORT)}


def test_a_cell_that_is_not_a_body_name_gives_no_row() -> None:
    """ "Theo phân công tại Quyết định số 1441/QĐ-UBND …" in the chủ trì column: only the theo dõi body."""
    doc = _plan()
    rows = [r for r in extract_duties(doc) if "Theo phân công tại Quyết định số 1441" in r.quote]
    assert rows and {r.role for r in rows} == {REPORT}


def test_a_cell_part_opening_with_an_organ_is_its_whole_name() -> None:
    """"Các sở, ban, ngành, địa phương; Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh": the grammar ends the
    Trung tâm's name at "đầu tư" (a verb), but a body cell holds names only, so the part is one name."""
    assert _roles(_plan(), "Tiếp nhận và xử lý kịp thời các thông tin phản ánh, kiến nghị") >= {
        ("Trung tâm Xúc tiến đầu tư, thương mại và du lịch tỉnh", LEAD), ("Văn phòng UBND tỉnh", PARTNER)}


def test_the_deadline_column_dates_the_task() -> None:
    row = next(r for r in extract_duties(_plan()) if r.task.startswith("Định kỳ thực hiện việc công bố danh mục"))
    assert row.deadline == "Trước ngày 31/01" and row.deadline_date == "2026-01-31"


def test_every_task_row_of_the_plan_is_in_the_register() -> None:
    doc = _plan()
    lines = [ln for ln in doc.text.split("\n") if ln[:1].isdigit() and " | " in ln]
    register = extract_duties(doc)
    assert len(lines) == 59
    assert all(any(r.quote == ln for r in register) for ln in lines)
    assert all(doc.text[r.start:r.end] == r.quote and r.task in r.quote for r in register)
    assert len(select(register, "Sở Nội vụ")) >= 40
    assert [r.task[:40] for r in select(register, "Công an tỉnh", role=LEAD)] == [
        "Giao Công an tỉnh tham mưu UBND tỉnh tri"]
    assert [r.quote[:5] for r in select(register, "Công an tỉnh", role=PARTNER)] == ["12 | "]


HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Kế hoạch 12/KH-UBND</title></head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/vb">Văn bản</a></li>
<li><a href="/lh">Liên hệ</a></li></ul></nav>
<div class="content">
<p><b>ỦY BAN NHÂN DÂN XÃ TÂN HÒA</b></p><p>Số: 12/KH-UBND</p>
<p><b>KẾ HOẠCH</b></p><p><b>Triển khai công tác chuyển đổi số năm 2026</b></p>
<p>Ủy ban nhân dân xã ban hành Kế hoạch triển khai công tác chuyển đổi số năm 2026 trên địa bàn xã như sau:</p>
<p><b>PHỤ LỤC PHÂN CÔNG NHIỆM VỤ</b></p>
<table border="1">
<tr><th rowspan="2">STT</th><th rowspan="2">Nội dung nhiệm vụ</th><th colspan="2">Cơ quan thực hiện</th>
<th rowspan="2">Thời gian</th></tr>
<tr><th>Chủ trì</th><th>Phối hợp</th></tr>
<tr><td>1</td><td>Rà soát, cập nhật dữ liệu dân cư trên địa bàn xã</td><td>Công an xã</td>
<td>Văn phòng HĐND và UBND xã</td><td>Quý I/2026</td></tr>
<tr><td>2</td><td>Tuyên truyền về dịch vụ công trực tuyến</td>
<td rowspan="2">Ban Thường trực Ủy ban MTTQ Việt Nam xã</td>
<td></td><td>Hằng tháng</td></tr>
<tr><td>3</td><td>Hướng dẫn đoàn viên cài đặt ứng dụng định danh điện tử</td>
<td>Đoàn Thanh niên Cộng sản Hồ Chí Minh xã</td>
<td>Trước ngày 30/6/2026</td></tr>
</table>
<p>Nơi nhận: - Như trên; - Lưu: VT.</p>
</div><footer>Bản quyền thuộc UBND xã Tân Hòa</footer></body></html>
"""


def test_a_portal_table_with_a_two_row_header_and_merged_cells(tmp_path: Path) -> None:
    page = tmp_path / "kh-12-chuyen-doi-so.html"
    page.write_text(HTML, encoding="utf-8")
    doc = load_document(page)
    assert "1 | Rà soát, cập nhật dữ liệu dân cư trên địa bàn xã | Công an xã | Văn phòng HĐND và UBND xã | " \
           "Quý I/2026" in doc.text.split("\n")
    rows = {(r.body, r.role, r.task.split()[0]) for r in extract_duties(doc)}
    assert ("Công an xã", LEAD, "Rà") in rows
    assert any(role == PARTNER and task == "Rà" and body.startswith("Văn phòng") for body, role, task in rows)
    mttq = {task for body, role, task in rows if role == LEAD and ("Mặt trận" in body or "MTTQ" in body)}
    assert mttq == {"Tuyên", "Hướng"}  # the merged chủ trì cell spans rows 2 and 3
    assert any(role == PARTNER and task == "Hướng" and "Đoàn" in body for body, role, task in rows)


@pytest.mark.parametrize("line", ["Nội dung | Thực hiện nhiệm vụ được giao | Sở Nội vụ chủ trì thực hiện",
                                  "STT | Họ và tên | Chức vụ"])
def test_rows_that_are_no_assignment_header_start_no_table(line: str) -> None:
    assert table_rows(f"{line}\n1 | Rà soát | Sở Nội vụ | Công an tỉnh") == []
