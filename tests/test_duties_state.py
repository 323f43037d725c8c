"""The register on State documents (issue 11, item 4), from the tuning documents of set C: a Quy chế of the
Thủ tướng (HTML) whose articles read "1. Bộ Công an, Bộ Quốc phòng có trách nhiệm:" over lettered items, and a
scanned Chỉ thị of UBND tỉnh Quảng Ngãi that assigns tasks to heads of bodies ("Thủ trưởng các sở, ban ngành
tỉnh, Chủ tịch UBND cấp huyện, …", "Giao Chánh Thanh tra tỉnh chủ trì …")."""

from __future__ import annotations

import functools
import tempfile
from dataclasses import replace
from pathlib import Path

from assistant.duties.extract import extract_duties, select
from assistant.duties.model import Duty
from assistant.duties.rules import DO, LEAD, PARTNER, REPORT
from indexer.loaders import load_document
from tests.support import SHARED, congbot_document

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
    # "Giao Chánh Thanh tra tỉnh chủ trì, … báo cáo UBND tỉnh, Chủ tịch UBND tỉnh theo định kỳ": the body
    # assigned is the one that reports ("giao" hands the task to it, not on to someone else)
    assert any(r.body == "Thanh tra tỉnh" and r.role == REPORT and r.task.startswith("báo cáo UBND tỉnh")
               for r in rows)


PROVINCIAL = {"Các sở, ban, ngành", "UBND cấp huyện", "Các đơn vị sự nghiệp công lập", "Các doanh nghiệp nhà nước"}
JUSTICE = {"Công an tỉnh", "Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh", "Cục Thi hành án dân sự tỉnh"}


def test_scan_noise_does_not_break_the_list_of_tasks() -> None:
    """CT 04 as OCR reads it: "g)" comes out as "ø)", and a speck line ("Á") stands between "2. Đề nghị Giám
    đốc Công an tỉnh, … tổ chức thực hiện" (its colon lost) and the items it hands to those four bodies."""
    doc = load_document(next(MORE.glob("UBND-QuangNgai_CT-04*")))
    assert "\ng) Củng c" in doc.text and "\nø)" not in doc.text
    rows = _rows("UBND-QuangNgai_CT-04")
    assert _bodies(rows, "Củng c") == PROVINCIAL
    assert _bodies(rows, "Tập trung điều tra, làm rõ") == JUSTICE
    assert _bodies(rows, "Phát hiện kịp thời những sơ hở") == JUSTICE
    assert not any(r.task.startswith("Đề nghị Giám đốc Công an tỉnh") for r in rows)  # the intro is no task


def test_an_item_that_opens_a_list_with_a_task_of_its_own_is_a_task() -> None:
    """"c) Thực hiện tốt các biện pháp phòng ngừa tham nhũng, tiêu cực, trọng tâm là các nội dung sau:" under
    the bodies' heading is their task, and so are the bullets it opens."""
    rows = _rows("UBND-QuangNgai_CT-04")
    assert _bodies(rows, "Thực hiện tốt các biện pháp phòng ngừa tham nhũng") == PROVINCIAL
    assert _bodies(rows, "Công khai, minh bạch về tổ chức, hoạt động") == PROVINCIAL


def test_ministers_act_for_their_ministries() -> None:
    """"Bộ trưởng Bộ Công an chủ trì, phối hợp Bộ trưởng Bộ Quốc phòng …", and the Government's closing formula
    "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ chịu trách nhiệm thi hành …"."""
    rows = _rows("TTg_QD-30")
    assert _bodies(rows, "Bộ trưởng Bộ Công an chủ trì", LEAD) == {"Bộ Công an"}
    assert _bodies(rows, "Bộ trưởng Bộ Công an chủ trì", PARTNER) == {"Bộ Quốc phòng"}
    assert {r.body for r in rows if "chịu trách nhiệm thi hành Quyết định này" in r.task} >= {
        "Các bộ", "Các cơ quan ngang bộ", "Các cơ quan thuộc Chính phủ"}


def test_rows_quote_their_document_exactly() -> None:
    for prefix in ("TTg_QD-30", "UBND-QuangNgai_CT-04"):
        doc = load_document(next(MORE.glob(f"{prefix}*")))
        assert all(doc.text[r.start:r.end] == r.quote and r.task in r.quote for r in _rows(prefix))


@functools.cache
def _congbot_rows(doc_id: str) -> tuple[Duty, ...]:
    with tempfile.TemporaryDirectory() as tmp:
        return extract_duties(congbot_document(doc_id, Path(tmp)))


def test_the_executing_clause_names_every_body_before_it() -> None:
    """"Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở: Giáo dục và Đào tạo, Kế hoạch và Đầu tư, Tài chính,
    Nội vụ, Lao động - Thương binh và Xã hội; Chủ tịch Ủy ban nhân dân huyện, thành phố; thủ trưởng các cơ quan,
    đơn vị liên quan chịu trách nhiệm thi hành Quyết định này." (UBND Tuyên Quang, QĐ 986/2024)."""
    rows = _congbot_rows("986_2024_QĐ_UBND")
    executing = {r.body for r in rows if r.task.startswith("chịu trách nhiệm thi hành Quyết định này")}
    assert executing == {"Văn phòng Ủy ban nhân dân tỉnh", "Sở Giáo dục và Đào tạo", "Sở Kế hoạch và Đầu tư",
                         "Sở Tài chính", "Sở Nội vụ", "Sở Lao động - Thương binh và Xã hội",
                         "Ủy ban nhân dân huyện, thành phố"}


def test_an_article_that_gives_its_items_to_a_head() -> None:
    """"Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo" over "1. Tổ chức chỉ đạo …", "2. Chủ trì, phối hợp với Chủ
    tịch Ủy ban nhân dân huyện, thành phố; … hướng dẫn …": the Sở does both, the UBND partners the second."""
    rows = _congbot_rows("986_2024_QĐ_UBND")
    assert _bodies(rows, "Tổ chức chỉ đạo thực hiện hoàn thành Kế hoạch") == {"Sở Giáo dục và Đào tạo"}
    assert _bodies(rows, "Chủ trì, phối hợp với Chủ tịch", LEAD) == {"Sở Giáo dục và Đào tạo"}
    assert _bodies(rows, "Chủ trì, phối hợp với Chủ tịch", PARTNER) == {"Ủy ban nhân dân huyện, thành phố"}


def test_paired_levels_stay_in_one_name() -> None:
    """"Ủy ban nhân dân quận - huyện", "Kho bạc Nhà nước quận - huyện" (TP.HCM, QĐ 49/2012) are one body each."""
    bodies = {r.body for r in _congbot_rows("49_2012_QĐ_UBND")}
    assert {"Ủy ban nhân dân quận - huyện", "Kho bạc Nhà nước quận - huyện"} <= bodies
    assert "Ủy ban nhân dân quận" not in bodies


def test_a_shared_noun_lists_its_bodies() -> None:
    """"Chủ trì, phối hợp với các Bộ, ngành liên quan: Tài chính, Lao động - Thương binh và Xã hội hướng dẫn …"
    under "a) Bộ Xây dựng:" (QĐ 22/2013/QĐ-TTg): the ministries listed after the colon are the partners."""
    rows = _congbot_rows("22_2013_QĐ_TTg")
    task = "Chủ trì, phối hợp với các Bộ, ngành liên quan"
    assert _bodies(rows, task, LEAD) == {"Bộ Xây dựng"}
    assert _bodies(rows, task, PARTNER) == {"Bộ Tài chính", "Bộ Lao động - Thương binh và Xã hội"}


def test_a_lower_case_head_with_a_proper_complement_is_a_body() -> None:
    """"Giao Sở Lao động - Thương binh và Xã hội, phòng Lao động - Thương binh và Xã hội cấp huyện phối hợp …"
    (QĐ 22/2013/QĐ-TTg): the phòng written in lower case mid-sentence is a body of its own."""
    rows = _congbot_rows("22_2013_QĐ_TTg")
    bodies = {r.body for r in rows if "rà soát, kiểm tra, đảm bảo đúng đối tượng" in r.task}
    assert {"Sở Lao động - Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội cấp huyện"} <= bodies


def test_department_acronyms_select_the_rows_of_their_full_names() -> None:
    """"Bộ KHĐT", "Sở LĐTBXH" as cadres type them (QĐ 22/2013/QĐ-TTg names the bodies in full)."""
    rows = _congbot_rows("22_2013_QĐ_TTg")
    assert select(rows, "Bộ KHĐT") == select(rows, "Bộ Kế hoạch và Đầu tư") != ()
    assert select(rows, "Sở LĐTBXH") == select(rows, "Sở Lao động - Thương binh và Xã hội") != ()


def test_paragraphs_between_a_body_heading_and_its_bullets_are_its_tasks() -> None:
    """"1. Sở Lao động - Thương binh và Xã hội:" over two plain paragraphs that open with a task verb ("Hằng năm
    xây dựng kế hoạch …", "Phối hợp với …") and then two dashed items (UBND Tuyên Quang, QĐ 12/2012)."""
    rows = _congbot_rows("12_2012_QĐ_UBND")
    sld = "Sở Lao động - Thương binh và Xã hội"
    assert sld in _bodies(rows, "Hằng năm xây dựng kế hoạch, dự toán kinh phí tặng quà")
    assert sld in _bodies(rows, "Phối hợp với Ủy ban nhân dân huyện, thành phố tổ chức", PARTNER)
    assert sld in _bodies(rows, "Triển khai, hướng dẫn, đôn đốc các cơ quan")


def test_the_difficulty_clause_is_a_reporting_line() -> None:
    """"Trong quá trình thực hiện nếu có vướng mắc, Ủy ban nhân dân các cấp, Phòng Lao động … quận - huyện, …
    phản ánh kịp thời về Sở Lao động … để tổng hợp, đề xuất Ủy ban nhân dân Thành phố …" (TP.HCM, QĐ 49/2012):
    the bodies named report to the Sở, which reports on to the city."""
    rows = _congbot_rows("49_2012_QĐ_UBND")
    assert {"Ủy ban nhân dân các cấp", "Phòng Lao động - Thương binh và Xã hội quận - huyện"} <= _bodies(
        rows, "phản ánh kịp thời về Sở", REPORT)
    assert _bodies(rows, "tổng hợp, đề xuất Ủy ban nhân dân Thành phố", REPORT) == {
        "Sở Lao động - Thương binh và Xã hội"}
    tq = _congbot_rows("12_2012_QĐ_UBND")  # no comma before the subjects, an unnamed partner among them
    assert "Ủy ban nhân dân các huyện, thành phố" in _bodies(tq, "tổng hợp báo cáo Ủy ban nhân dân tỉnh", REPORT)


def test_a_letter_with_no_subject_asks_its_addressees() -> None:
    """"Trong quá trình thực hiện nếu có khó khăn, vướng mắc, đề nghị phản ánh về Bộ …" in a công văn "Kính gửi:
    Giám đốc Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương" (CV 2638/2019)."""
    rows = _congbot_rows("2638_2019_CV_LĐTBXH_KHTC")
    assert _bodies(rows, "phản ánh về Bộ", REPORT) == {
        "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương"}
    # "… yêu cầu các đồng chí Giám đốc Sở chỉ đạo các đơn vị chuyên môn …": a head's title over a bare "Sở"
    assert _bodies(rows, "yêu cầu các đồng chí Giám đốc Sở chỉ đạo") == {
        "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương"}


def test_bodies_a_report_is_sent_to_for_summing_up_pass_it_on() -> None:
    """"h) Hàng tháng có báo cáo nhanh … gửi về Bộ Xây dựng và Bộ Tài chính để tổng hợp, báo cáo Thủ tướng Chính
    phủ." (QĐ 22/2013/QĐ-TTg): both ministries have a reporting line to the Prime Minister."""
    rows = _congbot_rows("22_2013_QĐ_TTg")
    assert _bodies(rows, "tổng hợp, báo cáo Thủ tướng Chính phủ", REPORT) == {"Bộ Xây dựng", "Bộ Tài chính"}


def test_the_units_under_a_body_are_a_subject_of_their_own() -> None:
    """"Thủ trưởng các đơn vị trực thuộc Sở Lao động … chịu trách nhiệm thi hành Quyết định này" and "… các đơn vị
    thuộc Sở Lao động … phản ánh kịp thời về Sở …" (TP.HCM, QĐ 49/2012): the units are assigned, not the Sở; a user
    typing the head's title finds them."""
    from assistant.duties.bodies import without_head

    rows = _congbot_rows("49_2012_QĐ_UBND")
    units = "Các đơn vị trực thuộc Sở Lao động - Thương binh và Xã hội"
    assert units in _bodies(rows, "chịu trách nhiệm thi hành Quyết định này")
    assert "Các đơn vị thuộc Sở Lao động - Thương binh và Xã hội" in _bodies(rows, "phản ánh kịp thời về Sở", REPORT)
    assert "Sở Lao động - Thương binh và Xã hội" not in _bodies(rows, "phản ánh kịp thời về Sở", REPORT)
    assert without_head(f"Thủ trưởng {units[0].lower()}{units[1:]}").lower() == units.lower()


def test_a_body_followed_by_a_budget_verb_is_assigned() -> None:
    """A công văn on budgeting (CV 2638/2019): "Trường hợp nhu cầu chi … tăng, giảm mạnh …, Sở Lao động … các tỉnh,
    thành phố thuyết minh, giải trình cụ thể nội dung tăng, giảm"."""
    rows = _congbot_rows("2638_2019_CV_LĐTBXH_KHTC")
    sld = "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố"
    assert any(r.body == sld and "thuyết minh, giải trình cụ thể" in r.task and r.role == DO for r in rows)


def test_a_request_heads_every_item_of_its_list_past_a_paragraph_between_them() -> None:
    # CV 895/LĐTBXH-NCC: "đề nghị Sở … thực hiện như sau: 1. … / Sau khi …, Bộ sẽ … / 2. Tiếp nhận …"
    rows = _congbot_rows("895_2013_CV_LĐTBXH")
    sos = "Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố trực thuộc Trung ương"
    assert _bodies(rows, "Tiếp nhận và thực hiện ngay chế độ") == {sos}
    assert not any(r.task.startswith("Sau khi Nghị định") for r in rows)  # the Bộ's own statement


def test_a_person_named_before_a_request_and_a_notice_of_the_sender() -> None:
    # CV 3354/VPCP-KGVX: "Phó Thủ tướng Nguyễn Thiện Nhân yêu cầu Bộ … khẩn trương …" ("Nhân", not "nhận")
    rows = _congbot_rows("3354_2013_CV_VPCP")
    assert _bodies(rows, "yêu cầu Bộ Lao động - Thương binh và Xã hội khẩn trương") == {
        "Bộ Lao động - Thương binh và Xã hội"}
    # CV 8424/VPCP-KTTH: "Văn phòng Chính phủ xin thông báo để các Bộ, cơ quan liên quan biết, thực hiện"
    rows = _congbot_rows("8424_2014_CV_VPCP")
    assert not any("thông báo để" in r.task for r in rows) and not any("xin" in r.body for r in rows)
    assert "Ủy ban nhân dân tỉnh Nghệ An" in {r.body for r in rows}


def test_one_office_of_two_organs_is_one_body() -> None:
    # QĐ 5129/QĐ-UBND TP.HCM: "Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố, Giám đốc Sở …"
    rows = _congbot_rows("5129_2008_QD_UBND")
    bodies = _bodies(rows, "chịu trách nhiệm thi hành") | _bodies(rows, "Chánh Văn phòng")
    assert "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố" in bodies
    assert "Văn phòng Hội đồng nhân dân" not in bodies and "Sở Tài chính" in bodies


def test_a_letter_asks_your_ministry_and_the_decree_enacts_nothing() -> None:
    # CV 8794/VPCP-KGVX to Bộ LĐTBXH: "… yêu cầu quý Bộ chủ trì, phối hợp với Bộ Y tế …", "Văn phòng Chính phủ
    # đề nghị quý Bộ khẩn trương có báo cáo …": "quý Bộ" is the addressee; the sender gets no row.
    rows = _congbot_rows("8794_2013_CV_VPCP")
    assert _bodies(rows, "yêu cầu quý Bộ chủ trì", LEAD) == {"Bộ Lao động - Thương binh và Xã hội"}
    assert _bodies(rows, "yêu cầu quý Bộ chủ trì", PARTNER) == {"Bộ Y tế"}
    assert _bodies(rows, "đề nghị quý Bộ khẩn trương", REPORT) == {"Bộ Lao động - Thương binh và Xã hội"}
    assert "Văn phòng Chính phủ" not in {r.body for r in rows}
    # NĐ 87/2013/NĐ-CP: "Chính phủ ban hành Nghị định quy định …" is the enacting formula, not a task
    assert "Chính phủ" not in {r.body for r in _congbot_rows("87_2013_NĐ_CP")}


def test_a_department_noun_before_a_colon_and_a_partner_no_one_in_particular() -> None:
    # QĐ 1351/QĐ-UBND: "Giám đốc Sở: Lao động - Thương binh và Xã hội, Thông tin và Truyền thông; …";
    # "1. Sở … chịu trách nhiệm đăng tải …" under "Trách nhiệm của các cơ quan, đơn vị"; "… phối hợp với Sở … và
    # các cơ quan, đơn vị có liên quan" (no one in particular: no row)
    rows = _congbot_rows("1351_2022_QĐ_UBND")
    assert {"Sở Lao động - Thương binh và Xã hội", "Sở Thông tin và Truyền thông"} <= _bodies(
        rows, "chịu trách nhiệm thi hành")
    assert _bodies(rows, "Sở Lao động - Thương binh và Xã hội chịu trách nhiệm đăng tải") == {
        "Sở Lao động - Thương binh và Xã hội"}
    assert _bodies(rows, "Sở Thông tin và Truyền thông chủ trì", PARTNER) == {"Sở Lao động - Thương binh và Xã hội"}


def test_an_article_on_the_responsibility_of_the_heads_of_bodies_gives_them_its_items() -> None:
    # NĐ 63/2010/NĐ-CP, "Điều 19. Trách nhiệm người đứng đầu Bộ, cơ quan ngang Bộ, Ủy ban nhân dân tỉnh, thành phố
    # trực thuộc Trung ương" over "1. Chịu trách nhiệm công bố …", "2. Kiểm tra, đôn đốc …"
    rows = _congbot_rows("63_2010_NĐ_CP")
    assert _bodies(rows, "Kiểm tra, đôn đốc cán bộ, công chức thuộc quyền") == {
        "Các bộ, ngành", "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"}


def test_the_treasury_alone_and_delegated_funds_are_not_a_delegated_task() -> None:
    # TT 98/2013/TT-BTC: "6. Kho bạc nhà nước thực hiện kiểm soát thanh toán …" (the treasury is a body by itself);
    # "UBND cấp huyện … cấp kinh phí ủy quyền cho Ủy ban nhân dân cấp xã …" is the district's task, not the commune's
    rows = _congbot_rows("98_2013_TT_BTC")
    assert "Kho bạc nhà nước" in {r.body for r in rows if r.task.startswith("Kho bạc nhà nước thực hiện")}
    assert not any(r.task.startswith("ủy quyền cho") for r in rows)


def test_bodies_with_their_units_in_brackets_either_of_which_does_the_procedure() -> None:
    # NĐ 102/2018/NĐ-CP: "- Bộ Quốc phòng (Cục Chính sách, Tổng cục Chính trị) hoặc Ủy ban nhân dân cấp tỉnh (Sở Lao
    # động - Thương binh và Xã hội) làm thủ tục chuyển kinh phí hỗ trợ vào tài khoản …"
    rows = _congbot_rows("102_2018_ND_CP")
    assert _bodies(rows, "Bộ Quốc phòng (Cục Chính sách, Tổng cục Chính trị) hoặc") == {
        "Bộ Quốc phòng", "Ủy ban nhân dân cấp tỉnh"}


def test_a_task_that_is_a_report_is_a_reporting_line_and_a_periodic_lead_in_keeps_its_subject() -> None:
    # QĐ 12/2012/QĐ-UBND Tuyên Quang: "Định kỳ tổng hợp, báo cáo tình hình kết quả …" (the task is the report);
    # QĐ 22/2013/QĐ-TTg: "Hàng tháng có báo cáo nhanh, 3 tháng một lần có báo cáo định kỳ …";
    # QĐ 49/2012/QĐ-UBND: "Điều 5. Kho bạc Nhà nước Thành phố, Kho bạc Nhà nước quận - huyện có nhiệm vụ" over
    # "2. Hàng tháng Kho bạc Nhà nước quận - huyện căn cứ …": the item names which of the two
    rows = _congbot_rows("12_2012_QĐ_UBND")
    assert {r.role for r in rows if r.task.startswith("Định kỳ tổng hợp, báo cáo tình hình kết quả")} == {REPORT}
    rows = _congbot_rows("22_2013_QĐ_TTg")
    assert {r.role for r in rows if "có báo cáo nhanh" in r.task} == {REPORT}
    rows = _congbot_rows("49_2012_QĐ_UBND")
    assert {r.body for r in rows if "Kho bạc Nhà nước quận - huyện căn cứ Giấy rút dự toán" in r.task} == {
        "Kho bạc Nhà nước quận - huyện"}


def test_a_request_to_the_letters_addressee_is_its_task() -> None:
    """CV 2428/BXD-QLN, "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", closes "Bộ Xây dựng
    đề nghị Ủy ban nhân dân các tỉnh … chỉ đạo các cơ quan có liên quan tổ chức thực hiện"; CV 2214/BXD-QLN, to
    Bộ Tài chính and Bộ Kế hoạch và Đầu tư: "Bộ Xây dựng đề nghị Bộ Tài chính, Bộ Kế hoạch và Đầu tư bố trí vốn …".
    A proposal to anyone else stays no task ("chi bộ … đề nghị cấp ủy cấp trên xét")."""
    def asked(rows: tuple[Duty, ...], task: str) -> set[str]:
        return {r.body for r in rows if r.task.startswith(f"đề nghị {r.body}") and task in r.task and r.role == DO}

    assert asked(_congbot_rows("2428_2013_CV_BXD"), "chỉ đạo các cơ quan có liên quan tổ chức thực hiện") == {
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"}
    rows = _congbot_rows("2214_2013_CV_BXD")
    assert {r.body for r in rows if "bố trí vốn theo danh sách" in r.task} == {"Bộ Tài chính", "Bộ Kế hoạch và Đầu tư"}


def test_who_does_a_task_is_answered_by_the_rows_that_do_it() -> None:
    """NĐ 63/2010/NĐ-CP: "Ai kiểm tra việc thực hiện hoạt động kiểm soát thủ tục hành chính?" shares "hoạt động
    kiểm soát thủ tục hành chính" with many rows ("bố trí kinh phí cho hoạt động kiểm soát …"); only the rows whose
    task checks ("kiểm tra") answer it."""
    from assistant.duties.extract import duties_for_query
    from assistant.duties.questions import duty_question

    query = duty_question("Ai kiểm tra việc thực hiện hoạt động kiểm soát thủ tục hành chính?")
    assert query is not None and query.doing == "kiem tra"
    rows = _congbot_rows("63_2010_NĐ_CP")
    found = duties_for_query(rows, query)
    assert found and all("kiểm tra" in r.task.lower() for r in found)
    assert len(duties_for_query(rows, replace(query, doing=None))) > len(found)


def test_an_office_named_in_a_procedures_table_and_enacting_formulas_are_no_tasks() -> None:
    """QĐ 1766/2020/QĐ-UBND Bình Thuận lists procedures in a table whose "Cơ quan thực hiện: Văn phòng đăng ký đất
    đai hoặc Chi nhánh Văn phòng đăng ký đất đai | 80.000 đồng/hồ sơ" cells were read "Văn phòng" + "đăng ký …" (an
    office doing a task): the land registration office is one name, and a cell naming it assigns nothing. Pháp lệnh
    02/2020/UBTVQH14: "Ủy ban Thường vụ Quốc hội ban hành Pháp lệnh …" is the enacting formula."""
    rows = _congbot_rows("1766_2020_QĐ_UBND")
    assert {r.body for r in rows} == {"Văn phòng Ủy ban nhân dân tỉnh", "Sở Tư pháp"}
    assert all("thi hành Quyết định này" in r.task for r in rows)
    ordinance = _congbot_rows("02_2020_UBTVQH14")
    assert not any("ban hành Pháp lệnh" in r.task for r in ordinance)
    assert "Bộ Quốc phòng" in {r.body for r in ordinance}
    # TTLT 06/2007 as VBHN 835/2024: "Bộ trưởng Bộ Lao động - Thương binh và Xã hội, Bộ trưởng Bộ Nội vụ, Bộ trưởng
    # Bộ Tài chính ban hành Thông tư liên tịch …" names every minister before the enacting words
    joint = _congbot_rows("835_2024_VBHN_BLDTBXH")
    assert not any("ban hành Thông tư liên tịch" in r.task for r in joint)
    assert {"Sở Nội vụ", "Bộ Tài chính"} <= {r.body for r in joint}


def test_a_subject_after_a_lead_in_of_time_is_assigned() -> None:
    """CV 2638/LĐTBXH-KHTC: "Trong quá trình xây dựng dự toán chi ngân sách nhà nước năm 2020, Sở Lao động - Thương
    binh và Xã hội các tỉnh, thành phố xác định chi tiết chi tiêu cơ sở …": "trong quá trình …," is a lead-in like
    "khi …," and the body after it does the task."""
    rows = _congbot_rows("2638_2019_CV_LĐTBXH_KHTC")
    found = {(r.body, r.role) for r in rows if "xác định chi tiết chi tiêu cơ sở" in r.task}
    assert found == {("Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố", DO)}


def _roles(rows: tuple[Duty, ...], phrase: str) -> set[tuple[str, str]]:
    return {(r.body, r.role) for r in rows if phrase in r.task}


def test_a_decrees_tasks_in_its_own_words() -> None:
    """NĐ 48/2013/NĐ-CP (register tuning set H): "quy định cụ thể", "cho ý kiến" are tasks; "định kỳ 6 tháng báo
    cáo" is a reporting line; the closing formula gives each head's body a row though "các tổ chức và cá nhân có
    liên quan" (no one in particular) stands between the list and its verb."""
    rows = _congbot_rows("48_2013_NĐ_CP")
    assert ("Bộ Tư pháp", DO) in _roles(rows, "Bộ trưởng Bộ Tư pháp quy định cụ thể chức năng")
    assert {("Bộ Tư pháp", DO), ("Sở Tư pháp", DO)} <= _roles(rows, "cho ý kiến về thủ tục hành chính")
    assert ("Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương", REPORT) in _roles(rows, "định kỳ 6 tháng báo cáo")
    assert {b for b, role in _roles(rows, "chịu trách nhiệm thi hành Nghị định này") if role == DO} == {
        "Các bộ", "Các cơ quan ngang bộ", "Các cơ quan thuộc Chính phủ",
        "Ủy ban nhân dân tỉnh, thành phố trực thuộc Trung ương"}


def test_a_report_owed_by_a_date_is_a_reporting_line() -> None:
    """CV 3354/VPCP: "… và báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 11 năm 2012"."""
    rows = _congbot_rows("3354_2013_CV_VPCP")
    assert ("Bộ Lao động - Thương binh và Xã hội", REPORT) in _roles(
        rows, "báo cáo Thủ tướng Chính phủ trước ngày 30 tháng 11 năm 2012")


def test_a_fund_is_a_body_and_a_name_stops_before_the_next_head() -> None:
    """TT 40/2012/TT-BTC: "Giám đốc Quỹ Bảo trợ nạn nhân chất độc da cam và Chủ tịch Hội Chữ thập đỏ Việt Nam chịu
    trách nhiệm …" names two bodies, not one "Quỹ … và Chủ tịch Hội …"."""
    rows = _congbot_rows("40_2012_TT_BTC")
    assert {b for b, _ in _roles(rows, "chịu trách nhiệm theo thẩm quyền")} == {
        "Hội Chữ thập đỏ các tỉnh", "Quỹ Bảo trợ nạn nhân chất độc da cam", "Hội Chữ thập đỏ Việt Nam"}
    assert {b for b, _ in _roles(rows, "tiến hành kiểm tra, đánh giá")} == {
        "Quỹ Bảo trợ nạn nhân chất độc da cam", "Hội Chữ thập đỏ Việt Nam"}
    # "Hàng năm, Quỹ … và Hội … tiến hành kiểm tra …, tổng hợp báo cáo Thủ tướng Chính phủ": the year's report
    assert {b for b, role in _roles(rows, "tổng hợp báo cáo Thủ tướng Chính phủ") if role == REPORT} == {
        "Quỹ Bảo trợ nạn nhân chất độc da cam", "Hội Chữ thập đỏ Việt Nam"}


def test_abbreviated_and_agency_bodies_and_unnamed_partners() -> None:
    """Register tuning set I: TT 101/2018 "KBNN có trách nhiệm thanh toán …" and "Cơ quan LĐTBXH chịu trách nhiệm
    …" name bodies; NĐ 102/2018 "Bộ Thông tin và Truyền thông và các bộ, ngành có liên quan theo phạm vi chức năng,
    nhiệm vụ được Chính phủ giao, có trách nhiệm chỉ đạo …" is the Bộ's task; QĐ 1351/2022 "…; Chủ tịch UBND cấp
    huyện; Chủ tịch UBND cấp xã và các tổ chức, cá nhân liên quan chịu trách nhiệm thi hành" keeps its task."""
    rows = _congbot_rows("101_2018_TT_BTC")
    assert ("KBNN", DO) in _roles(rows, "thanh toán kịp thời kinh phí")
    assert ("Cơ quan LĐTBXH", DO) in _roles(rows, "quản lý nguồn kinh phí")
    assert ("Bộ Thông tin và Truyền thông", DO) in _roles(_congbot_rows("102_2018_ND_CP"), "chỉ đạo, tổ chức tuyên")
    closing = {(r.body, r.task) for r in _congbot_rows("1351_2022_QĐ_UBND") if r.body.startswith("UBND cấp")}
    assert closing >= {("UBND cấp huyện", "chịu trách nhiệm thi hành Quyết định này./."),
                       ("UBND cấp xã", "chịu trách nhiệm thi hành Quyết định này./.")}
    assert all("chịu trách nhiệm" in task or "Chủ tịch" not in task for _, task in closing)
