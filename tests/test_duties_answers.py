"""Answers from the register's point of view (issue 11): a body nothing loaded mentions is refused by name; a
document that assigns the named body nothing is said so beside the passages."""

from __future__ import annotations

import pytest


def test_a_body_no_document_mentions_is_refused_by_name(fast_seed_settings) -> None:
    from assistant.answer import Assistant
    from assistant.duties.answers import unmentioned_body

    assistant = Assistant(fast_seed_settings)
    snap = assistant.retriever.snapshot()
    assert unmentioned_body("Đảng ủy Quân đội được giao nhiệm vụ gì?", snap) == "Đảng ủy Quân đội"
    assert unmentioned_body("Ban Tổ chức Trung ương được giao những nhiệm vụ gì?", snap) is None
    assert unmentioned_body("Ban Tổ chức TW được giao những nhiệm vụ gì?", snap) is None
    assert unmentioned_body("đảng ủy xã được giao nhiệm vụ gì?", snap) is None  # generic: not checked
    answer = assistant.ask("Đảng ủy Quân đội được giao nhiệm vụ gì trong thực hiện Kết luận 54?")
    assert answer.refused and "Đảng ủy Quân đội" in answer.text and not answer.citations


@pytest.mark.parametrize("fixture", ["fast_seed_settings", "seed_settings"])
def test_a_document_that_gives_the_body_no_task_says_so(fixture: str, request: pytest.FixtureRequest) -> None:
    """KL 54 assigns tasks to Ban Dân vận Trung ương and the provincial committees, none to Ban Tổ chức Trung ương:
    whatever the passages, the answer notes that the register holds no task of that body in that document."""
    from assistant.answer import Assistant
    from assistant.serialize import render_answer

    assistant = Assistant(request.getfixturevalue(fixture))
    answer = assistant.ask("Kết luận 54 giao Ban Tổ chức Trung ương nhiệm vụ gì?")
    note = "sổ nhiệm vụ không ghi nhận nhiệm vụ nào giao cho Ban Tổ chức Trung ương trong Kết luận số 54-KL/TW"
    assert any(note in n for n in answer.notes) and note in render_answer(answer)
    assigned = assistant.ask("Kết luận 54 giao Ban Dân vận Trung ương nhiệm vụ gì?")
    assert not assigned.refused and not assigned.notes


def test_a_body_named_with_its_province_is_mentioned_by_that_provinces_documents(tmp_path) -> None:
    """QĐ 1351/QĐ-UBND of UBND tỉnh Quảng Ngãi writes "Văn phòng UBND tỉnh": "Văn phòng UBND tỉnh Quảng Ngãi" is
    mentioned (not refused as unknown); "Văn phòng UBND tỉnh Gia Lai" is not."""
    from assistant.answer import Assistant
    from assistant.duties.answers import unmentioned_body
    from indexer.build import build_index
    from tests.support import FAST_MODEL, congbot_document, make_settings

    folder = tmp_path / "docs"
    folder.mkdir()
    congbot_document("1351_2022_QĐ_UBND", folder)
    settings = make_settings(tmp_path / "index", model=FAST_MODEL)
    build_index([folder], settings)
    snap = Assistant(settings).retriever.snapshot()
    assert unmentioned_body("Văn phòng UBND tỉnh Quảng Ngãi phải làm gì?", snap) is None
    assert unmentioned_body("Văn phòng UBND tỉnh Gia Lai phải làm gì?", snap) == "Văn phòng UBND tỉnh Gia Lai"
    answer = Assistant(settings).ask("Văn phòng UBND tỉnh Quảng Ngãi phải làm gì?")  # the register's rows
    assert answer.text.startswith("Văn phòng UBND tỉnh Quảng Ngãi có 2 nhiệm vụ") and not answer.refused
    assert any("đăng nhập các TTHC" in c.quote for c in answer.citations)


def test_a_document_named_by_its_title_gives_all_of_its_rows_for_the_body(tmp_path) -> None:
    """"VPTW … trong thực hiện Quy định về phông lưu trữ Đảng": the Quy định is named by its title's words, so the
    answer holds its rows for Văn phòng Trung ương Đảng — "Điều 22. Giao Văn phòng Trung ương Đảng hướng dẫn và
    kiểm tra việc thực hiện Quy định này" too, though it repeats none of the title's words — and no other
    document's."""
    import shutil

    from assistant.answer import Assistant
    from indexer.build import build_index
    from tests.support import CORPUS, FAST_MODEL, SHARED, make_settings

    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SHARED / "data" / "party_docs" / "tvpl_md" / "QD_383-QD-TW_2025__056a116c77fe4047.md", folder)
    shutil.copy(CORPUS / "kl-54-KL-TW-2023-05-09.txt", folder)
    settings = make_settings(tmp_path / "index", model=FAST_MODEL)
    build_index([folder], settings)
    answer = Assistant(settings).ask("VPTW được giao nhiệm vụ gì trong thực hiện Quy định về phông lưu trữ Đảng?")
    assert not answer.refused and {c.doc_number for c in answer.citations} == {"383-QĐ/TW"}
    assert any("hướng dẫn và kiểm tra việc thực hiện Quy định này" in c.quote for c in answer.citations)


def test_a_level_and_a_place_pick_the_rows_of_that_provinces_documents(tmp_path) -> None:
    """QĐ 12/2012/QĐ-UBND of UBND tỉnh Tuyên Quang writes "Ủy ban nhân dân xã, phường, thị trấn", QĐ 49/2012/QĐ-UBND
    of TP.HCM "Ủy ban nhân dân phường - xã, thị trấn": "Ủy ban nhân dân xã" finds both; a question naming Tuyên
    Quang gets Tuyên Quang's rows only."""
    assistant = _congbot_assistant(tmp_path, "12_2012_QĐ_UBND", "49_2012_QĐ_UBND")
    both = assistant.ask("UBND cấp xã có nhiệm vụ gì?")
    assert {c.doc_number for c in both.citations} == {"12/2012/QĐ-UBND", "49/2012/QĐ-UBND"}
    local = assistant.ask("Ủy ban nhân dân xã ở Tuyên Quang có trách nhiệm gì?")
    assert {c.doc_number for c in local.citations} == {"12/2012/QĐ-UBND"} and not local.refused
    assert any("tiếp nhận quà, tổ chức gặp mặt thăm hỏi" in c.quote for c in local.citations)
    from assistant.service import Service

    rows = Service(assistant.settings).duties("UBND cấp xã")  # the register tab: the same spellings
    assert {r.doc_number for r in rows} == {"12/2012/QĐ-UBND", "49/2012/QĐ-UBND"}


def test_a_who_question_after_the_body_asks_what_the_body_does_there(tmp_path) -> None:
    """"Sở LĐTBXH gặp vướng mắc … thì phản ánh qua đơn vị nào của Bộ?" (CV 2638/LĐTBXH-KHTC): the clause before
    the who-word ("phản ánh qua") picks the Sở's reporting row, not its first task in the document."""
    from assistant.answer import Assistant
    from assistant.duties.questions import duty_question
    from indexer.build import build_index
    from tests.support import FAST_MODEL, congbot_document, make_settings

    question = "Sở LĐTBXH gặp vướng mắc khi lập dự toán NSTW thì phản ánh qua đơn vị nào của Bộ?"
    query = duty_question(question)
    assert query is not None and query.topic == "phản ánh qua"
    folder = tmp_path / "docs"
    folder.mkdir()
    congbot_document("2638_2019_CV_LĐTBXH_KHTC", folder)
    settings = make_settings(tmp_path / "index", model=FAST_MODEL)
    build_index([folder], settings)
    answer = Assistant(settings).ask(question)
    assert not answer.refused and answer.citations
    assert all("phản ánh về Bộ (qua Vụ Kế hoạch - Tài chính" in c.quote for c in answer.citations)


def test_tracuu_duties_names_each_row_as_its_document_does(tmp_path, monkeypatch, capsys) -> None:
    """`tracuu duties "UBND cấp xã"` lists the rows of every spelling of that level, each row found under another
    spelling saying how its document names the body."""
    from assistant.cli import main
    from indexer.build import build_index
    from tests.support import CACHE, FAST_MODEL, congbot_document, make_settings

    folder = tmp_path / "docs"
    folder.mkdir()
    congbot_document("49_2012_QĐ_UBND", folder)
    build_index([folder], make_settings(tmp_path / "index", model=FAST_MODEL))
    for name, value in (("TRACUU_MODEL", FAST_MODEL), ("TRACUU_EMBED_CACHE", str(CACHE / "embcache.sqlite"))):
        monkeypatch.setenv(name, value)
    assert main(["--index", str(tmp_path / "index"), "duties", "UBND cấp xã"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("UBND cấp xã: ") and "Văn bản ghi: Ủy ban nhân dân phường - xã, thị trấn" in out
    assert "Văn bản ghi: Ủy ban nhân dân quận - huyện" not in out  # no district rows


def test_a_letter_named_by_its_type_and_serial_gives_its_rows(tmp_path) -> None:
    """"Công văn 2638 yêu cầu Giám đốc Sở LĐTBXH các tỉnh làm gì?": CV 2638/LĐTBXH-KHTC carries no type code in its
    number, so "CV 2638" is matched by its serial; the answer quotes the letter's request."""
    assistant = _congbot_assistant(tmp_path, "2638_2019_CV_LĐTBXH_KHTC", "22_2013_QĐ_TTg")
    answer = assistant.ask("Để kịp thời hạn tổng hợp dự toán năm 2020, Công văn 2638 yêu cầu Giám đốc Sở Lao động - "
                           "Thương binh và Xã hội các tỉnh làm gì?")
    assert not answer.refused and {c.doc_number for c in answer.citations} == {"2638/LĐTBXH-KHTC"}
    assert any("chỉ đạo các đơn vị chuyên môn khẩn trương xây dựng dự toán" in c.quote for c in answer.citations)



def test_the_group_of_the_closing_formula_is_answered_once_per_sentence(tmp_path) -> None:
    """NĐ 87/2013: "Các Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, Thủ trưởng cơ quan thuộc Chính phủ … chịu trách nhiệm
    thi hành" gives each head's body a row; asked about "các bộ, ngành", the sentence is quoted once."""
    answer = _congbot_assistant(tmp_path, "87_2013_NĐ_CP").ask("Các bộ, ngành có trách nhiệm gì?")
    quotes = [c.quote for c in answer.citations]
    assert not answer.refused and any("chịu trách nhiệm thi hành Nghị định này" in q for q in quotes)
    assert len(quotes) == len(set(quotes))

def _congbot_assistant(tmp_path, *doc_ids: str):
    """An assistant over an index (fast embedder) of the CongBot documents ``doc_ids`` written as Markdown files."""
    from assistant.answer import Assistant
    from indexer.build import build_index
    from tests.support import FAST_MODEL, congbot_document, make_settings

    folder = tmp_path / "docs"
    folder.mkdir()
    for doc_id in doc_ids:
        congbot_document(doc_id, folder)
    settings = make_settings(tmp_path / "index", model=FAST_MODEL)
    build_index([folder], settings)
    return Assistant(settings)
