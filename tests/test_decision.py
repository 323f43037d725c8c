"""The answer decision's three outcomes and the named-document rules of retrieval (issue 11, items 2 and 3)."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

import pytest

from assistant.qa import named
from assistant.qa.citations import PARTIAL, REFUSAL, partial_answer, refusal
from assistant.qa.extractive import content_terms
from assistant.qa.gate import ANSWER, REFUSE, Gate, Signals, fused_gap, score, verdict
from assistant.qa.gate import PARTIAL as PARTIAL_VERDICT
from assistant.qa.named import asks_signer, common_terms, specific, title_index, title_words, titled


def test_verdict_has_an_answer_a_partial_and_a_refusal_band() -> None:
    gate = Gate()
    strong = Signals(dense=0.90, coverage=1.0, bigram=0.6)
    assert verdict(strong, gate) == ANSWER
    weak = Signals(dense=0.70, coverage=0.1, bigram=0.0)
    assert verdict(weak, gate) == REFUSE
    middle = replace(gate, partial=score(strong, gate) - 0.5, threshold=score(strong, gate) + 0.1)
    assert verdict(strong, middle) == PARTIAL_VERDICT


def test_a_passage_standing_out_of_the_fused_ranking_raises_the_score() -> None:
    def hits(scores: list[float]) -> list:
        return [SimpleNamespace(score=x) for x in scores]

    assert fused_gap(hits([4.0, 2.0, 2.0, 1.0, 1.0])) == pytest.approx(math.log(2.0))
    assert fused_gap(hits([3.0, 3.0, 3.0])) == 0.0
    assert fused_gap(hits([2.0, -1.0, -2.0])) == 0.0 and fused_gap(hits([2.0])) == 0.0  # no positive median
    flat, standing = Signals(0.88, 0.7, 0.3), Signals(0.88, 0.7, 0.3, fused_gap=1.0)
    assert score(standing, Gate()) - score(flat, Gate()) == pytest.approx(Gate().w_fused) and Gate().w_fused > 0


def test_partial_evidence_is_not_an_answer_and_not_the_refusal_text() -> None:
    partial = partial_answer("q", "q", ())
    assert partial.refused and partial.partial and not partial.citations
    assert partial.text.startswith(PARTIAL) and REFUSAL not in partial.text
    flat = refusal("q", "q")
    assert flat.text.startswith(REFUSAL) and not flat.partial


def test_a_title_is_named_by_a_phrase_of_it_not_by_scattered_words() -> None:
    titles = title_index({
        "383": title_words("Về phông lưu trữ Đảng Cộng sản Việt Nam"),
        "37": title_words("Về việc đổi mới, nâng cao chất lượng, hiệu quả bản tin sinh hoạt chi bộ"),
        "294": title_words("Thi hành Điều lệ Đảng"),
    })
    assert titled("Ai ký quy định về phông lưu trữ Đảng Cộng sản Việt Nam?", titles) == ["383"]
    assert titled("ai ky quy dinh ve phong luu tru dang cong san viet nam", titles) == ["383"]
    assert titled("Chi bộ sinh hoạt mấy lần, chất lượng có cao không?", titles) == []
    assert titled("Điều lệ Đảng quy định gì về kết nạp?", titles) == []  # too short a title to name by words


def test_the_charter_is_named_as_readers_name_it() -> None:
    # The Điều lệ's title is "Đảng Cộng sản Việt Nam" under the type "Điều lệ": readers say "Điều lệ Đảng".
    titles = title_index({"dl": title_words("Đảng Cộng sản Việt Nam", "Điều lệ"),
                          "383": title_words("Về phông lưu trữ Đảng Cộng sản Việt Nam", "Quy định")})
    assert titled("Điều lệ Đảng khóa XI được thông qua ngày nào?", titles) == ["dl"]
    assert titled("dieu le dang cong san viet nam quy dinh gi ve dang phi", titles) == ["dl"]
    assert titled("Đảng Cộng sản Việt Nam lãnh đạo thế nào?", titles) == []  # the Party is not its charter
    assert titled("Điều lệ Công đoàn quy định gì?", titles) == []
    assert titled("phông lưu trữ Đảng có những tài liệu nào?", titles) == ["383"]


def test_the_title_index_finds_what_checking_every_title_finds() -> None:
    real = {
        "383": "Về phông lưu trữ Đảng Cộng sản Việt Nam",
        "37": "Về việc đổi mới, nâng cao chất lượng, hiệu quả bản tin sinh hoạt chi bộ",
        "k": "Đại hội đại biểu Đảng bộ tỉnh Bắc Kạn lần thứ XII, nhiệm kỳ 2020 - 2025",
    }
    vocabulary = " ".join([*real.values(), "công tác cán bộ kiểm tra giám sát dân vận"]).split()
    rng = random.Random(7)
    filler = {f"f{n}": " ".join(rng.sample(vocabulary, 7)) for n in range(3000)}
    titles = {d: title_words(t) for d, t in {**real, **filler}.items()}
    index = title_index(titles)
    asked = ["Ai ký quy định về phông lưu trữ Đảng Cộng sản Việt Nam?",
             "dai hoi dai bieu dang bo tinh bac kan lan thu xii bau bao nhieu uy vien",
             f"{filler['f1234']} là gì", "nâng cao chất lượng, hiệu quả bản tin sinh hoạt chi bộ thế nào"]
    for question in asked:
        words = named._words(question)  # as typed: the Party's full name is collapsed in titles only
        every = [d for d, t in titles.items() if d in index.content and named._named_by(words, t, index.content[d])]
        assert sorted(titled(question, index)) == sorted(every)
    assert [sorted(titled(q, index))[:1] for q in asked] == [["383"], ["k"], ["f1234"], ["37"]]
    assert "294" not in title_index({"294": title_words("Thi hành Điều lệ Đảng")}).content  # too short to name


def test_words_in_every_passage_of_a_document_do_not_rank_within_it() -> None:
    passages = [f"Quy định 294-QĐ/TW Thi hành Điều lệ Đảng\nĐiều {i}. nội dung riêng {i} số {i * 7}" for i in range(8)]
    common = common_terms(passages)
    assert {"dieu", "le", "294"} <= common and "rieng" in common
    assert specific("Quy định 294 thẻ đảng viên cấp ở đâu", common) == "thẻ đảng viên cấp ở đâu"
    assert specific("Quy định 294", common) == "Quy định 294"  # nothing else: the question stays whole
    asked = "Theo văn bản 294-QĐ/TW, thẻ đảng viên cấp ở đâu"  # the number alone: no naming word beside it
    assert specific(asked, common) == asked
    assert specific(asked, common, numbers=True) == "Theo văn bản thẻ đảng viên cấp ở đâu"
    assert common_terms(passages[:2]) == frozenset()


def test_signer_questions_are_recognised_with_or_without_diacritics() -> None:
    assert asks_signer("Ai ký Quy định 294?") and asks_signer("quyet dinh 1147 do ai ky")
    assert not asks_signer("Ai chủ trì kiểm tra việc phát thẻ đảng viên?")


def test_a_letters_addressee_is_the_body_its_text_calls_your_ministry(tmp_path) -> None:
    """CV 8794/VPCP-KGVX, to Bộ Lao động - Thương binh và Xã hội: "… yêu cầu quý Bộ chủ trì, phối hợp với Bộ Y tế
    khẩn trương xây dựng, ban hành Thông tư liên tịch …". A question naming the Bộ finds it in the letter's
    "Kính gửi" line: the passage covers the question's terms."""
    from assistant.qa.gate import TermStats, coverage, passage_terms
    from assistant.qa.retrieve import Hit
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    doc = congbot_document("8794_2013_CV_VPCP", tmp_path)
    chunk = next(c for c in chunk_document(doc) if "yêu cầu quý Bộ chủ trì" in c.text)
    q = "Thủ tướng yêu cầu Bộ Lao động - Thương binh và Xã hội làm gì về thông tư chất độc hóa học?"
    stats = TermStats(Counter(), 100)
    assert coverage(passage_terms(Hit(rank=1, score=1.0, doc=doc, chunk=chunk)), content_terms(q), stats) > 0.85


def test_how_people_talk_does_not_count_against_the_passage_that_answers(tmp_path) -> None:
    """CongBot's own questions over TT 101/2018/TT-BTC Điều 7 khoản 2 (tiền ăn, tiền tàu xe khi đi làm dụng cụ
    chỉnh hình): greetings, pronouns and particles ("Kính chào", "em", "tui nghe nói", "hả chị") are
    no question terms, so the passage covers the question; words that fold like them stay ("chủ", "thời")."""
    from assistant.qa.gate import TermStats, coverage, passage_terms
    from assistant.qa.retrieve import Hit
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    doc = congbot_document("101_2018_TT_BTC", tmp_path)
    chunk = next(c for c in chunk_document(doc) if "tiền tàu xe" in c.text and "chỉnh hình" in c.text)
    seen, stats = passage_terms(Hit(rank=1, score=1.0, doc=doc, chunk=chunk)), TermStats(Counter(), 100)
    chatty = "Tui nghe nói làm dụng cụ chỉnh hình thì được hỗ trợ tiền tàu xe, vậy là bao nhiêu hả chị?"
    assert content_terms(chatty) == content_terms("làm dụng cụ chỉnh hình được hỗ trợ tiền tàu xe bao nhiêu")
    assert coverage(seen, content_terms(chatty), stats) > 0.9
    assert {"chu", "thoi", "thay"} <= content_terms("Ai chủ trì, thời hạn thay thế?")
    assert content_terms("Em thấy thôi, chị ạ") == set()
    assert {"tt", "101"} <= content_terms("TT101 còn hiệu lực không?")  # a code typed against its number


def test_a_story_told_before_the_question_does_not_count_against_the_passage(tmp_path) -> None:
    """CongBot questions often tell a story first ("Chồng tôi là thương binh loại B … Vậy …?"): the passage must
    hold what the asking sentence asks, not the story (``query.asked_sentences``)."""
    from assistant.qa.gate import TermStats, signals
    from assistant.qa.query import asked_sentences
    from assistant.qa.retrieve import Hit
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    doc = congbot_document("101_2018_TT_BTC", tmp_path)
    chunk = next(c for c in chunk_document(doc) if "tiền tàu xe" in c.text and "chỉnh hình" in c.text)
    hit, stats = Hit(rank=1, score=1.0, doc=doc, chunk=chunk, dense=0.9), TermStats(Counter(), 100)
    asking = "Vậy khi đi làm dụng cụ chỉnh hình thì tiền tàu xe được hỗ trợ bao nhiêu?"
    story = f"Chồng tôi là thương binh loại B, nhà ở huyện Hải Lăng, năm ngoái nằm viện hai tháng. {asking}"
    assert asked_sentences(story) == asking
    assert asked_sentences(asking) == asking and asked_sentences("Thời hạn. Ai ký?") == "Ai ký?"
    assert asked_sentences("Ai ký? Ngày nào?") == "Ai ký? Ngày nào?"
    assert signals(story, [hit], stats).coverage == pytest.approx(signals(asking, [hit], stats).coverage)
    assert signals(story, [hit], stats).coverage > 0.9
