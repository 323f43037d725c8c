"""Cited answers: dev and own questions, refusals, exact quotes, the ask JSON."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.answer import Assistant
from assistant.evaluation.datasets import normalise_phrase
from assistant.qa.citations import REFUSAL, Answer, reader_section
from assistant.qa.retrieve import Hit
from indexer.catalog import Catalog
from indexer.models import Document
from indexer.settings import Settings
from indexer.store import current_generation
from indexer.vntext import fold
from tests.support import DEV, OWN, ROOT, SHARED


def _cited(answer: Answer, gold: list[str]) -> bool:
    return any(normalise_phrase(g) in normalise_phrase(c.quote) for c in answer.citations for g in gold)


@pytest.mark.slow
@pytest.mark.parametrize("item", DEV, ids=lambda q: q["id"])
def test_dev_questions(seed_settings: Settings, item: dict) -> None:
    answer = Assistant(seed_settings).ask(item["q"])
    if not item["gold"]:
        assert answer.refused and answer.text.startswith(REFUSAL) and not answer.citations
        return
    assert not answer.refused, answer.text
    assert _cited(answer, item["gold"]), [c.quote[:80] for c in answer.citations]


@pytest.mark.slow
def test_own_questions_rates(party_settings: Settings) -> None:
    assistant = Assistant(party_settings)
    answerable = [q for q in OWN if q["gold"]]
    negatives = [q for q in OWN if not q["gold"]]
    cited = sum(_cited(a, q["gold"]) and not a.refused for q in answerable for a in [assistant.ask(q["q"])])
    refused = sum(assistant.ask(q["q"]).refused for q in negatives)
    # Measured 41/41 and 6/7: one hard negative (marriage papers for foreigners) shares most of its
    # words with a real passage and is answered with real, verified but off-topic quotes.
    assert cited / len(answerable) >= 0.9, f"{cited}/{len(answerable)} answered with a gold citation"
    assert refused / len(negatives) >= 6 / 7, f"{refused}/{len(negatives)} negatives refused"


@pytest.mark.slow
def test_questions_typed_without_diacritics(seed_settings: Settings, party_settings: Settings) -> None:
    """Every dev question still works with its marks stripped; own questions keep >= 85 % (measured 45/50 with
    8/9 negatives refused: e5 scores unmarked questions lower, so the gate is stricter there on purpose)."""
    for item in DEV:
        answer = Assistant(seed_settings).ask(fold(item["q"]))
        assert answer.refused == (not item["gold"]), (item["q"], answer.text[:200])
        assert not item["gold"] or _cited(answer, item["gold"]), item["q"]
    assistant = Assistant(party_settings)
    answerable = [q for q in DEV + OWN if q["gold"]]
    cited = sum(_cited(a, q["gold"]) and not a.refused for q in answerable for a in [assistant.ask(fold(q["q"]))])
    assert cited / len(answerable) >= 0.85, f"{cited}/{len(answerable)} unmarked questions answered with gold"


@pytest.mark.slow
def test_legal_questions_outside_the_corpus_are_refused(party_settings: Settings) -> None:
    """ALQAC questions (drug, marriage, land law ...) cannot be answered from the Party documents."""
    questions = json.loads((SHARED / "data" / "alqac" / "alqac2023_private_test.json").read_text(encoding="utf-8"))
    assistant = Assistant(party_settings)
    answered = [q["text"] for q in questions[:80] if not assistant.ask(q["text"]).refused]
    assert len(answered) <= 2, answered


@pytest.mark.slow
def test_date_question_leads_with_the_value(seed_settings: Settings) -> None:
    answer = Assistant(seed_settings).ask("Kết luận 54 ban hành ngày nào?")
    assert answer.text.startswith("Kết luận số 54-KL/TW được ban hành ngày 09/5/2023 [1].")
    assert answer.citations[0].quote == "Hà Nội, ngày 09 tháng 5 năm 2023"


@pytest.mark.slow
def test_unknown_document_is_refused_honestly(seed_settings: Settings) -> None:
    answer = Assistant(seed_settings).ask("Chỉ thị 35-CT/TW giao nhiệm vụ gì cho Ban Tổ chức Trung ương?")
    assert answer.refused and "35" in answer.text and not answer.citations


@pytest.mark.slow
def test_an_unknown_state_number_is_named_as_typed(seed_settings: Settings) -> None:
    answer = Assistant(seed_settings).ask("Quyết định 62/2011/QĐ-TTg quy định những chế độ gì?")
    assert answer.refused and "văn bản số 62/2011/QĐ-TTg" in answer.text and not answer.citations


@pytest.mark.slow
def test_every_citation_is_the_exact_source_text(party_settings: Settings) -> None:
    """Property: 200 questions drawn from the corpus; every quote equals doc.text[start:end]."""
    root = party_settings.index
    catalog = Catalog.read_only(root / current_generation(root) / "catalog.sqlite")
    docs = {d.doc_id: d for d in catalog.documents()}
    chunks = [c for _, c in catalog.iter_chunks()]
    rng = random.Random(20261124)
    assistant = Assistant(party_settings)
    checked = 0
    for chunk in rng.sample(chunks, 200):
        words = chunk.text.split()
        start = rng.randrange(max(1, len(words) - 8))
        answer = assistant.ask(" ".join(words[start:start + rng.randint(4, 12)]))
        for c in (*answer.citations, *answer.nearest):
            assert docs[c.doc_id].text[c.start:c.end] == c.quote
            checked += 1
    assert checked >= 200


def test_a_refusal_in_the_terminal_names_the_nearest_passages_once() -> None:
    """The refusal's text says what the nearest passages are; the terminal lists them under a plain heading, each
    quote on one line, cut at a word with "…" past 200 characters."""
    from dataclasses import replace

    from assistant.qa.citations import NEAREST_NOTE, Citation
    from assistant.serialize import render_answer

    long = "Kịp thời phát hiện, nhân rộng, biểu dương,\nkhen thưởng người tốt, việc tốt " * 5
    near = Citation(1, "c1", "d1", "54-KL/TW", "Kết luận", "Ban Bí thư", "2023-05-09", None, "Mục 1", "1.", None,
                    long, 0, len(long))
    refused = Answer("q", f"{REFUSAL}\n{NEAREST_NOTE}", True, "extractive", nearest=(near,))
    text = render_answer(refused)
    assert text.count("không phải câu trả lời") == 1 and "Các đoạn gần nhất:\n  • " in text
    line = text.splitlines()[-1]
    assert line.endswith(" …") and "\n" not in line and "biểu dương, khen thưởng" in line
    assert len(line.split(": ", 1)[1]) <= 202
    bare = render_answer(replace(refused, text=REFUSAL))  # no note in the text: the heading says it
    assert "Đoạn gần nhất (không phải câu trả lời):" in bare


def test_reader_section_labels() -> None:
    path = "3. Nhiệm vụ thời gian tới › b) › Ban Tuyên giáo Trung ương › ý 2"
    assert reader_section(path) == "Mục 3.b, ý Ban Tuyên giáo Trung ương, ý 2"
    assert reader_section("I. KẾT NẠP ĐẢNG VIÊN › 1. Quy trình › 1.1 Xây dựng › a) Cấp ủy › ý 1") == "Mục I.1.1.a, ý 1"
    assert reader_section("Điều 3 › khoản 2 › điểm a") == "Điều 3, khoản 2, điểm a"
    assert reader_section("PHẦN THỨ HAI › II. › 2. Công nhận › 2.1. Quy trình › ý 1") == "Phần thứ hai, Mục II.2.1, ý 1"
    assert reader_section("CHƯƠNG III › Điều 10 Hỗ trợ di chuyển hài cốt liệt sĩ › khoản 2") == \
        "Chương III, Điều 10 Hỗ trợ di chuyển hài cốt liệt sĩ, khoản 2"  # was "Chương iii"
    assert reader_section("Chương IV › Điều 14 Tổ chức thực hiện") == "Chương IV, Điều 14 Tổ chức thực hiện"
    assert reader_section("PHỤ LỤC V › STT 17–18") == "Phụ lục V, STT 17–18"
    assert reader_section("PHỤ LỤC I › STT 1 › STT 1.1 › dòng 2") == "Phụ lục I, STT 1.1, dòng 2"
    assert reader_section("PHỤ LỤC 01 › STT I › STT I.1 › STT 4") == "Phụ lục 01, STT I.1, STT 4"


@pytest.mark.slow
def test_follow_up_carries_the_document(seed_settings: Settings) -> None:
    assistant = Assistant(seed_settings)
    first = assistant.ask("Kết luận 54 yêu cầu Ban Dân vận Trung ương làm gì?")
    follow = assistant.ask("Văn bản đó ban hành ngày nào?", history=[first])
    assert "54-KL/TW" in follow.standalone
    assert "09/5/2023" in follow.text


@pytest.mark.slow
def test_ask_json_is_stable(seed_settings: Settings) -> None:
    env = {**os.environ, "TRACUU_INDEX": str(seed_settings.index), "OMP_WAIT_POLICY": "PASSIVE"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "Ai ký sao y Kết luận 54 tại Tỉnh ủy Bắc Kạn?",
                          "--json"], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert set(data) == {"question", "answer", "refused", "mode", "citations"}
    assert data["mode"] == "extractive" and not data["refused"]
    keys = {"n", "chunk_id", "doc_id", "doc_number", "doc_type", "section", "page", "quote", "start", "end"}
    assert data["citations"] and all(set(c) == keys for c in data["citations"])
    assert any("Dương Hữu Bường" in c["quote"] for c in data["citations"])


GROUPED_Q = "Người vào Đảng phải bao nhiêu tuổi?"


def _grouped_paragraphs(answer: Answer) -> list[tuple[str, list[int]]]:
    """(heading, [n] of its quotes) for each "Theo …:" paragraph of an answer."""
    import re

    out = []
    for para in answer.text.split("\n\n"):
        head, *quotes = para.split("\n")
        if head.startswith("Theo "):
            assert quotes and all(q.startswith("- «") for q in quotes), para
            out.append((head, [int(n) for q in quotes for n in re.findall(r"\[(\d+)\]", q)]))
    return out


def test_answer_groups_quotes_under_their_own_document(fast_party_settings: Settings) -> None:
    import html

    from webui.render import answer_html

    answer = Assistant(fast_party_settings).ask(GROUPED_Q)
    groups = _grouped_paragraphs(answer)
    assert len(groups) >= 2, answer.text  # the question draws on more than one document
    by_n = {c.n: c for c in answer.citations}
    for heading, numbers in groups:
        docs = {by_n[n].doc_id for n in numbers}
        assert len(docs) == 1 and (by_n[numbers[0]].doc_number or "") in heading
    assert len({by_n[ns[0]].doc_id for _, ns in groups}) == len(groups)  # one paragraph per document
    page = answer_html(answer)
    for heading, numbers in groups:  # in the card, each heading is directly followed by its own list
        block = page.split(html.escape(heading), 1)[1].split("</ul>", 1)[0]
        assert block.startswith("</p><ul>") and block.count("<li>") == len(numbers)


def test_documents_follow_their_best_evidence() -> None:
    from assistant.qa.extractive import Span, compose
    from assistant.qa.retrieve import Hit
    from indexer.chunker import chunk_document
    from tests.support import KL54, TB2018, load_cached

    spans = []
    for path, starts_scores in ((TB2018, ((0, 0.5),)), (KL54, ((3, 0.4), (1, 0.9)))):
        doc = load_cached(path)
        chunks = [c for c in chunk_document(doc) if c.role == "body"]
        for i, score in starts_scores:
            hit = Hit(rank=1, score=score, doc=doc, chunk=chunks[i])
            spans.append(Span(hit, chunks[i].start, chunks[i].end, score))
    text, cites = compose(spans)
    first, second = text.split("\n\n")
    assert first.startswith("Theo Kết luận số 54-KL/TW") and second.startswith("Theo Thông báo")
    assert [c.n for c in cites] == [1, 2, 3] and cites[0].start < cites[1].start  # reading order inside


def _congbot_hits(doc_id: str, tmp_path: Path) -> tuple[Document, list[Hit]]:
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    doc = congbot_document(doc_id, tmp_path)
    return doc, [Hit(rank=i, score=1.0, doc=doc, chunk=c) for i, c in enumerate(chunk_document(doc), 1)]


def test_the_effective_date_is_quoted_from_the_executing_article(tmp_path: Path) -> None:
    from assistant.qa.values import value_answer

    doc, _ = _congbot_hits("62_2011_QD_TTg", tmp_path)
    text, cite = value_answer("Quyết định 62/2011/QĐ-TTg có hiệu lực từ ngày nào?", doc, 1)
    assert cite.quote == "Quyết định này có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2012."
    assert doc.text[cite.start:cite.end] == cite.quote and f"«{cite.quote}» [1]" in text
    assert value_answer("Quyết định 62/2011/QĐ-TTg quy định mức trợ cấp bao nhiêu?", doc, 1) is None


def test_title_words_do_not_rank_the_sentences_of_the_named_document(tmp_path: Path) -> None:
    """The question repeats the title to name its document; only the rest picks the sentence."""
    from assistant.qa.extractive import best_spans, without_titles

    _, hits = _congbot_hits("62_2011_QD_TTg", tmp_path)
    q = ("Quyết định 62/2011/QĐ-TTg về chế độ đối với đối tượng tham gia chiến tranh bảo vệ Tổ quốc, làm nhiệm vụ "
         "quốc tế ở Căm-pu-chi-a có hiệu lực thi hành từ khi nào?")
    rest = without_titles(q, hits)
    assert "chiến tranh" not in rest and "hiệu lực thi hành" in rest
    assert without_titles("Chế độ đối với đối tượng tham gia chiến tranh bảo vệ Tổ quốc?", hits[:0]) == (
        "Chế độ đối với đối tượng tham gia chiến tranh bảo vệ Tổ quốc?")
    best = best_spans(q, [h for h in hits if "hiệu lực thi hành kể từ" in h.chunk.text or h.rank <= 4])[0]
    assert "có hiệu lực thi hành kể từ ngày 01 tháng 01 năm 2012" in best.hit.doc.text[best.start:best.end]


def test_a_heading_that_states_a_fact_is_quotable(tmp_path: Path) -> None:
    """"3. Thực hiện kế hoạch dạy học … 35 tuần thực học (học kỳ I có 18 tuần, học kỳ II có 17 tuần), cụ thể:" is a
    heading over its items and also the answer to "bao nhiêu tuần thực học?"."""
    from assistant.qa.extractive import best_spans

    _, hits = _congbot_hits("986_2024_QĐ_UBND", tmp_path)
    heading = next(h for h in hits if "35 tuần thực học" in h.chunk.text)
    assert heading.chunk.role == "heading"
    best = best_spans("Năm học 2024-2025 có bao nhiêu tuần thực học?", [heading, *hits[:5]])[0]
    assert "35 tuần thực học (học kỳ I có 18 tuần" in best.hit.doc.text[best.start:best.end]


def test_every_row_of_a_table_chunk_is_quotable(tmp_path: Path) -> None:
    """TT 101/2018/TT-BTC's appendix: a chunk holds rows "20 | Máy trợ thính | 01 năm | 450.000" and "21 | Răng giả
    | …"; the rows are items, not headings carried with the last one, so the hearing-aid row is quoted."""
    from assistant.qa.citations import cite
    from assistant.qa.extractive import best_spans, compose, sentences

    doc, hits = _congbot_hits("101_2018_TT_BTC", tmp_path)
    rows = next(h for h in hits if h.chunk.text.startswith("20 | Máy trợ thính"))
    assert [doc.text[a:b] for a, b in sentences(rows)][:1] == ["20 | Máy trợ thính | 01 năm | 450.000"]
    best = best_spans("Máy trợ thính được cấp mấy năm một lần và bao nhiêu tiền?", [rows])[0]
    assert doc.text[best.start:best.end] == "20 | Máy trợ thính | 01 năm | 450.000"
    cited = cite(1, doc, rows.chunk, best.start, best.end)  # the quoted row's own number, not the passage's range
    assert "STT 20–" in rows.chunk.section and cited.section == "Phụ lục, STT 20", (rows.chunk.section, cited.section)
    text, _ = compose([best])  # the row's numbers are read with its table's header
    assert "«20 | Máy trợ thính | 01 năm | 450.000» [1] (các cột: Số TT | Tên sản phẩm/nhóm sản phẩm | Niên hạn cấp" \
        " | Mức cấp (đồng))" in text, text


def test_the_charter_is_named_and_dated_as_readers_ask(tmp_path: Path) -> None:
    """"Điều lệ Đảng khóa XI … thông qua ngày nào?": the charter's title is "Đảng Cộng sản Việt Nam" under the
    type "Điều lệ"; the question names it by "Điều lệ Đảng", and its date is read off the document and cited."""
    from assistant.answer import _value
    from assistant.qa.query import analyze
    from indexer.chunker import chunk_document
    from indexer.loaders import load_document

    doc = load_document(SHARED / "data" / "party_docs" / "tvpl_md" / "dieu_le_dang_khoa_XI__b5766b5f7caa1268.md")
    hits = [Hit(rank=i, score=1.0, doc=doc, chunk=c) for i, c in enumerate(chunk_document(doc)[20:26], 1)]
    for q in ("Điều lệ Đảng khóa XI được Đại hội XI thông qua ngày nào?",
              "Điều lệ Đảng Cộng sản Việt Nam ban hành ngày nào?"):
        text, cite = _value(analyze(q), hits)
        assert text.startswith("Điều lệ Đảng Cộng sản Việt Nam ngày 19/1/2011") and "19/1/2011 [1]" in text, text
        assert doc.text[cite.start:cite.end] == cite.quote
    assert _value(analyze("Đảng Cộng sản Việt Nam ra đời ngày nào?"), hits) is None  # names the Party, not its charter


def test_a_header_date_with_a_stray_space_is_found_and_quoted_alone(tmp_path: Path) -> None:
    """NĐ 102/2018/NĐ-CP prints "| Số: 102/2018/NĐ-CP | Hà Nội, ngày 20 tháng 0 7 năm 2018 |": the date question
    is answered from it, and the quote is the place-and-date cell, not the number cell before it."""
    from assistant.qa.values import value_answer

    doc, _ = _congbot_hits("102_2018_ND_CP", tmp_path)
    text, cite = value_answer("Nghị định 102/2018 ban hành ngày nào?", doc, 1)
    assert text == "Nghị định số 102/2018/NĐ-CP được ban hành ngày 20/7/2018 [1]."
    assert cite.quote == "Hà Nội, ngày 20 tháng 0 7 năm 2018" and doc.text[cite.start:cite.end] == cite.quote


def test_front_matter_is_never_quoted(tmp_path: Path) -> None:
    """The header cells, the title in capitals, "Căn cứ …" and the enacting formula ("Chính phủ ban hành Nghị định
    quy định chế độ … đối với gia đình, thân nhân hạ sĩ quan …") repeat a question's words but answer nothing:
    NĐ 87/2013/NĐ-CP is quoted from its articles."""
    from assistant.qa.extractive import best_spans, front_matter

    doc, hits = _congbot_hits("87_2013_NĐ_CP", tmp_path)
    hits = hits[:3] + [h for h in hits[3:] if "miễn học phí" in h.chunk.text][:3]  # front matter first
    spans = best_spans("Con của hạ sĩ quan công an đang phục vụ có thời hạn được miễn học phí không?", hits)
    quotes = [doc.text[sp.start:sp.end] for sp in spans]
    assert any(q.startswith("Con đẻ, con nuôi hợp pháp của hạ sĩ quan, chiến sĩ được miễn học phí") for q in quotes)
    assert not any(front_matter(doc, sp.start, q) for sp, q in zip(spans, quotes, strict=True))
    enacting = doc.text.index("Chính phủ ban hành Nghị định")
    assert front_matter(doc, enacting, doc.text[enacting:enacting + 80])
    article = doc.text.index("Con đẻ, con nuôi hợp pháp")
    assert not front_matter(doc, article, doc.text[article:article + 80])


def test_a_value_line_that_answers_alone_has_no_unrelated_quotes(tmp_path: Path) -> None:
    """"Quyết định 142/2008 do ai ký?": the signer line answers; a passage quoted after it would be chosen by rank
    alone (nothing of the question is left to match once the document's name is set aside)."""
    from assistant.answer import _value, extractive_answer
    from assistant.qa.query import analyze

    _, hits = _congbot_hits("142_2008_QD_TTg", tmp_path)
    q = "Quyết định 142/2008 do ai ký?"
    answer = extractive_answer(q, q, hits, _value(analyze(q), hits))
    assert answer.text.startswith("Quyết định số 142/2008/QĐ-TTg do") and "Nguyễn Sinh Hùng" in answer.text
    assert len(answer.citations) == 1 and "«" not in answer.text
