"""Register on bodies it has never seen (issue 11): organ names found by grammar, "Giao ..."/"Đề nghị ..." headers
handing their bodies and roles to the items below, several bodies in one subject, tone placement and abbreviations
in the names users type. Sentences come from the tuning documents (../shared/data/party_docs_more and half A)."""

from __future__ import annotations

import pytest

from assistant.duties.bodies import canonical, find_mentions, key, resolve
from assistant.duties.extract import extract_duties, select
from assistant.duties.model import Duty
from assistant.duties.organs import find_organs
from assistant.duties.questions import duty_question
from tests.support import SHARED, load_cached

MORE = SHARED / "data" / "party_docs_more"
NOTICE = MORE / "UBND-LamDong_TB-unnumbered_2026-04-xx_ket-luan-tien-do-GPMB-cao-toc.docx"
STORM = MORE / "VPBCH-PCTT-ThuaThienHue_TB-254-TB-PCTT_2022-09-06_ung-pho-mua-to-dong.pdf"
DECISION30 = MORE / "TTg_QD-30-2025-QD-TTg_2025-08-30_quy-che-phoi-hop-tai-tro-xam-pham-ANQG_vbpl.html"
RESOLUTION = MORE / "ChinhPhu_NQ-66.3-2025-NQ-CP_2025-09-15_thao-go-du-an-quy-hoach-su-dung-dat_vbpl.html"
KL155 = SHARED / "data" / "party_docs" / "tvpl_md" / "KL_155-KL-TW_2025_toanvan__9615b53de3e78142.md"
CHARTER = SHARED / "data" / "party_docs" / "tvpl_md" / "dieu_le_dang_khoa_XI__b5766b5f7caa1268.md"


def _organs(text: str) -> list[str]:
    return [text[s:e] for s, e in find_organs(text)]


def _rows(path) -> tuple[Duty, ...]:
    return extract_duties(load_cached(path))


def _has(rows: tuple[Duty, ...], body: str, role: str, task_start: str) -> bool:
    return any(r.body == body and r.role == role and r.task.startswith(task_start) for r in rows)


# -- organ names by grammar -----------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "names"), [
    ("3. Đối với hạng mục đường dẫn vào các hạng mục công trình thi công: Giao Ban Quản lý dự án đầu tư xây dựng "
     "số 1 chủ trì, phối hợp Sở Nông nghiệp và Môi trường, Nhà Đầu tư và địa phương có liên quan làm việc",
     ["Ban Quản lý dự án đầu tư xây dựng số 1", "Sở Nông nghiệp và Môi trường"]),
    ("đề nghị Ban Chỉ huy PCTT và TKCN các huyện, thị xã và thành phố Huế; các sở, ban ngành trong tỉnh",
     ["Ban Chỉ huy PCTT và TKCN các huyện, thị xã và thành phố Huế"]),
    ("b) UBND xã Bảo Lâm 2: Rà soát toàn bộ hồ sơ", ["UBND xã Bảo Lâm 2"]),
    ("Trung tâm Phát triển quỹ đất tỉnh tập trung xét pháp lý", ["Trung tâm Phát triển quỹ đất tỉnh"]),
    ("(4) Ủy ban nhân dân các tỉnh biên giới phối hợp với Bộ Nông nghiệp và Môi trường tiến hành rà soát",
     ["Ủy ban nhân dân các tỉnh biên giới", "Bộ Nông nghiệp và Môi trường"]),
    ("(2) Đảng ủy Bộ Xây dựng chủ trì, phối hợp với Bộ Giáo dục và Đào tạo, Bộ Dân tộc và Tôn giáo xây dựng",
     ["Đảng ủy Bộ Xây dựng", "Bộ Giáo dục và Đào tạo", "Bộ Dân tộc và Tôn giáo"]),
    ("Văn phòng Chủ tịch nước, Văn phòng Chính phủ, Văn phòng Quốc hội",
     ["Văn phòng Chủ tịch nước", "Văn phòng Chính phủ", "Văn phòng Quốc hội"]),
    ("Văn phòng cấp ủy cấp xã là đầu mối thu, nộp hồ sơ", ["Văn phòng cấp ủy cấp xã"]),
    ("CV 2638/LĐTBXH-KHTC: Sở LĐTBXH gặp vướng mắc khi lập dự toán", ["Sở LĐTBXH"]),
    ("Ban QLDA đầu tư xây dựng số 2 chủ trì", ["Ban QLDA đầu tư xây dựng số 2"]),
    ("phối hợp với Bộ Tài chính, Bộ Lao động - Thương binh và Xã hội cân đối, bố trí vốn",
     ["Bộ Tài chính", "Bộ Lao động - Thương binh và Xã hội"]),
    ("Đề nghị Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố dự toán đầy đủ các nội dung chi",
     ["Sở Lao động - Thương binh và Xã hội các tỉnh, thành phố"]),
    ("Bộ Nông nghiệp và Phát triển nông thôn hướng dẫn", ["Bộ Nông nghiệp và Phát triển nông thôn"]),
    # "có" would end a lower-case run, "xã" is a level: not in "người có công", "xã hội" (CV 2638/LĐTBXH-KHTC)
    ("gửi về Bộ (qua Vụ Kế hoạch - Tài chính, Cục Người có công) trước ngày 12/7/2019",
     ["Vụ Kế hoạch - Tài chính", "Cục Người có công"]),
    # a level's own committee or Youth Union stands alone when capitalised (written for this test)
    ("Huyện ủy lãnh đạo; Tỉnh Đoàn, Hội Liên hiệp Phụ nữ tỉnh phối hợp; Thành đoàn Hà Nội chủ trì",
     ["Huyện ủy", "Tỉnh Đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "Thành đoàn Hà Nội"]),
    ("Cục Bảo trợ xã hội chủ trì, phối hợp với Vụ Kế hoạch - Tài chính",  # written for this test
     ["Cục Bảo trợ xã hội", "Vụ Kế hoạch - Tài chính"]),
    # the National Assembly's organs are whole names: no lower-case task words run on after them
    ("Hội đồng Dân tộc, các Ủy ban của Quốc hội, các Đoàn đại biểu Quốc hội và đại biểu Quốc hội",
     ["Hội đồng Dân tộc", "các Ủy ban của Quốc hội", "Đoàn đại biểu Quốc hội"]),
    ("báo cáo Ủy ban thường vụ Quốc hội kết quả thực hiện", ["Ủy ban thường vụ Quốc hội"]),
    # one office serving two organs (QĐ 5129/2008 of UBND TP.HCM)
    ("Chánh Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố, Giám đốc Sở Tài chính",
     ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân thành phố", "Sở Tài chính"]),
])
def test_organ_names_are_found_by_grammar(text, names):
    assert _organs(text) == names


@pytest.mark.parametrize("text", [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hội nghị Trung ương 4 khóa XII", "Phòng, chống tham nhũng, tiêu cực",
    "Ban hành kèm theo Quyết định", "III. TỔ CHỨC THỰC HIỆN", "Số: 110-BC/UBKTTW",
])
def test_common_nouns_and_headings_are_no_organs(text):
    assert _organs(text) == []


def test_a_table_body_keeps_its_canonical_name_and_its_task_is_not_its_name():
    text = "Thẻ đảng viên do Ban Tổ chức Trung ương in ấn, phát hành và quản lý thống nhất."
    assert [(m.name, text[m.start:m.end]) for m in find_mentions(text)] == [
        ("Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương")]


def test_the_party_committee_of_several_ministries_is_distributed():
    mentions = find_mentions("- Các Đảng ủy Bộ Tài chính, Bộ Nội vụ khẩn trương thực hiện phân bổ ngân sách")
    assert [m.name for m in mentions] == ["Đảng ủy Bộ Tài chính", "Bộ Nội vụ"]
    rows = _rows(KL155)
    for body in ("Đảng ủy Bộ Tài chính", "Đảng ủy Bộ Nội vụ"):
        assert _has(rows, body, "thực hiện", "Các Đảng ủy Bộ Tài chính, Bộ Nội vụ khẩn trương")


# -- shapes of State plans and notices ---------------------------------------------------------------------
def test_state_notice_giao_heading_and_inline_bodies():
    doc, rows = load_cached(NOTICE), _rows(NOTICE)
    assert all(doc.text[r.start:r.end] == r.quote and r.task in r.quote for r in rows)
    assert _has(rows, "Ban Quản lý dự án đầu tư xây dựng số 1", "chủ trì", "Giao Ban Quản lý dự án")
    assert _has(rows, "Sở Nông nghiệp và Môi trường", "phối hợp", "Giao Ban Quản lý dự án")
    assert _has(rows, "Trung tâm Phát triển quỹ đất tỉnh", "chủ trì", "Chủ trì, phối hợp chặt chẽ")  # heading a)
    assert _has(rows, "Sở Xây dựng", "thực hiện", "Sở Xây dựng: Tiếp tục duy trì")  # "X: task"
    assert _has(rows, "UBND Phường 2 Bảo Lộc", "phối hợp", "Khẩn trương phối hợp")


def test_request_header_hands_its_bodies_to_the_items():
    rows = _rows(STORM)
    first = [r.body for r in rows if r.task.startswith("Thường xuyên theo dõi diễn biến")]
    assert first == ["Ban Chỉ huy PCTT và TKCN các huyện, thị xã và thành phố Huế", "Các sở, ban, ngành"]
    assert not any(r.body.startswith("Văn phòng Ban Chỉ huy") for r in rows)  # the body that asks gets no row
    assert not any(r.task.startswith("Các chủ công trình") for r in rows)  # an item naming its own subject


def test_several_bodies_in_one_subject_get_one_row_each():
    rows = [r for r in _rows(RESOLUTION) if r.task.startswith("Bộ Quốc phòng, Bộ Công an có trách nhiệm")]
    assert [(r.body, r.role) for r in rows] == [("Bộ Quốc phòng", "thực hiện"), ("Bộ Công an", "thực hiện")]


def test_press_agencies_and_the_other_ministries_are_subjects():
    """QĐ 30/2025/QĐ-TTg (a tuning document of set C): "3. Đài Truyền hình Việt Nam, Đài Tiếng nói Việt Nam, Thông
    tấn xã Việt Nam có trách nhiệm:" gives each agency the task below it; "4. Các bộ, cơ quan ngang bộ, cơ quan
    thuộc Chính phủ khác có trách nhiệm:" is the ministries' group ("khác": the others)."""
    rows = _rows(DECISION30)
    for agency in ("Đài Truyền hình Việt Nam", "Đài Tiếng nói Việt Nam", "Thông tấn xã Việt Nam"):
        assert _has(rows, agency, "thực hiện", "Thực hiện thông tin, tuyên truyền về đấu tranh"), agency
    assert _has(rows, "Các bộ, ngành", "phối hợp", "Phối hợp Bộ Công an, Bộ Quốc phòng, Bộ Văn hóa")
    member = "phân công chi ủy viên theo dõi, kiểm tra và báo cáo chi bộ kết quả"  # HD 38: a member, then the body
    assert [(m.name, member[m.start:m.end]) for m in find_mentions(member)] == [("Chi bộ", "chi bộ")]
    text = "4. Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ khác có trách nhiệm:"
    assert [(m.name, text[m.start:m.end]) for m in find_mentions(text)] == \
        [("Các bộ, ngành", "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ khác")]


def test_a_heading_opening_with_an_occasion_and_a_task_after_the_colon():
    """QĐ 30/2025/QĐ-TTg: "1. Định kỳ hằng năm và khi có yêu cầu, Bộ Công an có trách nhiệm:" hands Bộ Công an the
    items a), b) below; "1. Bộ Công an, Bộ Quốc phòng có trách nhiệm: Chỉ định đầu mối …" has its task on the line."""
    rows = _rows(DECISION30)
    assert _has(rows, "Bộ Công an", "chủ trì", "Chủ trì, phối hợp Bộ Quốc phòng và các cơ quan liên quan tổ chức")
    assert _has(rows, "Bộ Quốc phòng", "phối hợp", "Chủ trì, phối hợp Bộ Quốc phòng và các cơ quan liên quan")
    assert _has(rows, "Bộ Công an", "thực hiện", "Chỉ đạo Công an các tỉnh, thành phố trực thuộc trung ương")
    for body in ("Bộ Công an", "Bộ Quốc phòng"):
        assert _has(rows, body, "thực hiện", "Bộ Công an, Bộ Quốc phòng có trách nhiệm: Chỉ định đầu mối"), body
    # what a task is made of is no task: "Nội dung thông tin, tuyên truyền gồm: …", "Hình thức … gồm: …"
    assert not any(r.task.startswith(("Nội dung thông tin", "Hình thức thông tin")) for r in rows)


def test_a_paragraph_naming_a_body_hands_it_the_numbered_list_after_it():
    """Điều lệ Đảng (half A), Điều 32: "Ủy ban kiểm tra các cấp có nhiệm vụ :" over "1. Kiểm tra đảng viên …" …
    "6. Kiểm tra tài chính của cấp ủy cấp dưới …" (the items are the article's, not the paragraph's children)."""
    rows = [r for r in _rows(CHARTER) if r.body == "Ủy ban kiểm tra các cấp"]
    for task in ("Kiểm tra đảng viên, kể cả cấp ủy viên", "Giải quyết tố cáo đối với tổ chức đảng",
                 "Kiểm tra tài chính của cấp ủy cấp dưới"):
        assert any(r.task.startswith(task) and r.role == "thực hiện" for r in rows), task


def test_giao_x_chu_tri_phoi_hop_voi_y_header_gives_each_item_both_roles():
    rows = _rows(KL155)
    item = "Rà soát chương trình xây dựng pháp luật"
    assert _has(rows, "Đảng ủy Quốc hội", "chủ trì", item) and _has(rows, "Đảng ủy Chính phủ", "phối hợp", item)
    assert not any(r.task.startswith("Giao Đảng ủy Quốc hội chủ trì") for r in rows)  # the header is no task
    report = "Báo cáo Bộ Chính trị về tình hình"
    assert _has(rows, "Đảng ủy Quốc hội", "báo cáo/theo dõi", report)
    assert not _has(rows, "Đảng ủy Chính phủ", "phối hợp", report)
    assert _has(rows, "Văn phòng Trung ương Đảng", "phối hợp", "phối hợp với Đảng ủy Bộ Tài chính")  # after ";"


# -- names as users type them -------------------------------------------------------------------------------
def test_tone_placement_case_and_abbreviations_in_typed_names():
    assert resolve("Đảng uỷ Bộ Nội vụ") == "Đảng ủy Bộ Nội vụ"
    assert resolve("BTC TW") == "Ban Tổ chức Trung ương"
    q = duty_question("Đảng uỷ Bộ Xây dựng được giao nhiệm vụ gì?")
    assert q is not None and q.body == "Đảng ủy Bộ Xây dựng"
    rows = _rows(NOTICE)
    wanted = select(rows, "UBND xã Bảo Lâm 2")
    assert wanted and select(rows, "ủy ban nhân dân xã bảo lâm 2") == wanted
    assert select(rows, "Uỷ ban nhân dân xã Bảo Lâm 2") == wanted
    assert select(rows, "sở xây dựng") == select(rows, "Sở Xây dựng") != ()


def test_the_heads_of_the_governments_closing_formula_are_the_ministries():
    """"Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan thuộc Chính phủ … chịu trách nhiệm thi hành":
    one row per head's body (the ministries, the ministry-level agencies, the Government's agencies); each head
    typed alone finds its row, and "bộ, ngành" finds them all."""
    for typed, name in (("Thủ trưởng cơ quan ngang Bộ", "Các cơ quan ngang bộ"),
                        ("thu truong co quan thuoc chinh phu", "Các cơ quan thuộc Chính phủ"),
                        ("Các bộ, cơ quan ngang bộ", "Các bộ, ngành")):
        assert resolve(typed) == name, typed
    assert canonical("Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ khác") == "Các bộ, ngành"  # "the other …"
    rows = _rows(DECISION30)
    closing = [r for r in rows if "chịu trách nhiệm thi hành" in r.task]
    assert {r.body for r in closing} >= {"Các bộ", "Các cơ quan ngang bộ", "Các cơ quan thuộc Chính phủ"}
    for typed in ("Thủ trưởng cơ quan ngang bộ", "Bộ trưởng", "cơ quan thuộc Chính phủ", "bộ, ngành"):
        assert any("chịu trách nhiệm thi hành" in r.task for r in select(rows, typed)), typed
    # asked for the group that gathers them, the sentence is one row of that group, not three of the same quote
    gathered = [r for r in select(closing, "bộ, ngành") if "Các Bộ trưởng" in r.quote]
    assert len(gathered) == 1 and gathered[0].body == "Các bộ, ngành"


def test_abbreviations_typed_in_lower_case_name_their_bodies():
    """A question typed without diacritics comes back from restoration in lower case ("sở lđtbxh", "ubnd tỉnh")."""
    for typed, body in (("sở lđtbxh gặp vướng mắc thì phản ánh qua đơn vị nào?", "Sở LĐTBXH"),
                        ("ubnd tỉnh có nhiệm vụ gì?", "UBND tỉnh"), ("hđnd xã có trách nhiệm gì?", "HĐND xã")):
        q = duty_question(typed)
        assert q is not None and q.body == body, typed


def test_name_keys_spell_out_the_query_abbreviation_table():
    """Keys use the one-word abbreviations of data/abbreviations.tsv; a two-letter one that folds to a syllable
    ("ĐU" -> "du") does not touch ordinary words."""
    assert key("Sở LĐTBXH") == key("Sở Lao động - Thương binh và Xã hội")
    assert key("BCH TW") == key("Ban Chấp hành Trung ương") and key("UBND tỉnh") == key("Ủy ban nhân dân tỉnh")
    assert key("Sở VHTTDL") == key("Sở Văn hóa, Thể thao và Du lịch") == "so van hoa the thao va du lich"



def test_a_resolution_asks_the_government_for_the_measures_below(tmp_path):
    """The shapes of a Quốc hội body's resolution (written for this test after NQ of UBTVQH): "yêu cầu Chính phủ,
    Thủ tướng Chính phủ thực hiện các giải pháp sau:" hands the items below; organs "trong phạm vi nhiệm vụ,
    quyền hạn của mình" before their verb; a report of results to the UBTVQH is a reporting line."""
    from indexer.loaders import load_document

    path = tmp_path / "nq.txt"
    path.write_text(
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nNGHỊ QUYẾT\n"
        "Điều 2. Ủy ban thường vụ Quốc hội yêu cầu Chính phủ, Thủ tướng Chính phủ thực hiện các giải pháp sau:\n"
        "1. Chỉ đạo các Bộ, ngành rà soát, sửa đổi văn bản.\n2. Tăng cường thanh tra, kiểm tra.\n"
        "Điều 3. Thủ tướng Chính phủ có trách nhiệm báo cáo Ủy ban thường vụ Quốc hội kết quả thực hiện.\n"
        "Điều 4. Hội đồng Dân tộc, các Ủy ban của Quốc hội, các Đoàn đại biểu Quốc hội và đại biểu Quốc hội trong "
        "phạm vi nhiệm vụ, quyền hạn của mình giám sát việc thực hiện Nghị quyết này.\n", encoding="utf-8")
    rows = extract_duties(load_document(path))
    assert _has(rows, "Chính phủ", "thực hiện", "Tăng cường thanh tra")
    assert _has(rows, "Chính phủ", "báo cáo/theo dõi", "Thủ tướng Chính phủ có trách nhiệm báo cáo")
    assert {r.body for r in rows if r.task.startswith("Hội đồng Dân tộc")} == {
        "Hội đồng Dân tộc", "Các Ủy ban của Quốc hội", "Đoàn đại biểu Quốc hội"}
