"""assistant.qa.restore: a question typed without diacritics gets the corpus's spelling back."""

from __future__ import annotations

import json

import pytest

from assistant.qa.restore import Restorer, near, restore, restore_near, restorer
from indexer.build import build_index
from indexer.lexical import LexicalIndex
from indexer.loaders import load_document
from indexer.vntext import clean, fold, has_diacritics
from tests.support import CORPUS, SHARED


@pytest.fixture(scope="module")
def seeds_model() -> Restorer:
    texts = [load_document(path, 50, None).text for path in sorted(CORPUS.glob("*.txt"))]
    return restorer(LexicalIndex(list(range(len(texts))), texts).frequencies())


def test_the_questions_users_type_get_their_diacritics(seeds_model: Restorer) -> None:
    assert restore("thoi han xet cong nhan dang vien chinh thuc", seeds_model) == \
        "thời hạn xét công nhận đảng viên chính thức"
    assert restore("ket luan 54 ban hanh ngay nao", seeds_model) == "kết luận 54 ban hành ngày nào"
    assert restore("Nguoi vao Dang phai du bao nhieu tuoi?", seeds_model) == "Người vào Đảng phải đủ bao nhiêu tuổi?"


def test_an_unseen_pair_after_a_word_many_follow_is_not_ruled_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """Witten-Bell, over the seeds and the five Party documents: "không đi", "cần bao nhiêu" once the many
    different words seen after "không" and at a question's start share the smoothing mass; with that mass fixed
    (``WB`` 0, ``MU`` 200) they read "không di", "căn bao nhiêu"."""
    from assistant.qa import restore as module
    from indexer.chunker import chunk_document

    paths = sorted(CORPUS.glob("*.txt")) + sorted((SHARED / "data" / "party_docs" / "txt").glob("*.txt"))
    texts = [c.text for p in paths for c in chunk_document(load_document(p, 50, None), 1200, 40)]
    model = restorer(LexicalIndex(list(range(len(texts))), texts).frequencies())
    typed = ("dang vien gia yeu khong di hop chi bo duoc nua thi phai lam gi",
             "can bao nhieu dang vien chinh thuc de lap to chuc dang?")
    assert "không đi" in restore(typed[0], model) and restore(typed[1], model).startswith("cần bao nhiêu")
    monkeypatch.setattr(module, "WB", 0.0)
    monkeypatch.setattr(module, "MU", 200.0)
    assert "không di" in restore(typed[0], model) and restore(typed[1], model).startswith("căn bao nhiêu")


def test_the_passages_found_for_the_question_lend_it_their_words(tmp_path) -> None:
    """QĐ 12/2012/QĐ-UBND Tuyên Quang (gifts on 27/7 and 2/9) with the seeds: the corpus and public questions read
    "tang qua ngay" "tăng quá ngày" ("quá ngày" is common, "quà ngày" unseen) and "muc bao nhieu" "mục bao nhiêu";
    with the passages a folded search finds (``near``, ``restore_near``) they are read as the decision writes them."""
    from assistant.qa.query import typed_phrases
    from indexer.chunker import chunk_document
    from tests.support import congbot_document

    docs = [load_document(p, 50, None) for p in sorted(CORPUS.glob("*.txt"))]
    docs.append(congbot_document("12_2012_QĐ_UBND", tmp_path))
    texts = [c.text for d in docs for c in chunk_document(d, 1200, 40)]
    lexical = LexicalIndex(list(range(len(texts))), texts)
    model = restorer(lexical.frequencies(), phrases=typed_phrases())
    gifts = "tang qua ngay quoc khanh 2/9 cho nguoi hoat dong cach mang truoc 1945 bao nhieu tien"
    amount = "tap the can bo trung tam dieu duong muc bao nhieu?"
    assert restore(gifts, model).startswith("tăng quá ngày") and "mục bao nhiêu" in restore(amount, model)
    def find(text: str, k: int) -> list[str]:
        return [texts[i] for i in lexical.search(text, k)[0]]

    for typed, want in ((gifts, "tặng quà ngày quốc khánh"), (amount, "điều dưỡng mức bao nhiêu")):
        assert want in restore_near(typed, model, find)
    assert near(model, []) is model
    assert restore_near("Thời hạn", model, lambda text, k: pytest.fail("an accented question is not searched"))


def test_the_pairs_the_passages_write_outweigh_the_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the seeds and the five Party documents: the tables read "hoc vien" after "giao" as "học viên" and
    "xay va chong" as "xây và chồng"; the passages a folded search finds write "Học viện Chính trị quốc gia" and
    "xây và chống" (pairs, ``CACHE_PAIR``), and the restoration follows them. Without the pair cache it does not."""
    from assistant.qa import restore as module
    from assistant.qa.query import typed_phrases
    from indexer.chunker import chunk_document

    paths = sorted(CORPUS.glob("*.txt")) + sorted((SHARED / "data" / "party_docs" / "txt").glob("*.txt"))
    texts = [c.text for p in paths for c in chunk_document(load_document(p, 50, None), 1200, 40)]
    lexical = LexicalIndex(list(range(len(texts))), texts)
    model = restorer(lexical.frequencies(), phrases=typed_phrases())

    def find(text: str, k: int) -> list[str]:
        return [texts[i] for i in lexical.search(text, k)[0]]

    typed = {"Ban Bi thu giao Hoc vien Chinh tri quoc gia Ho Chi Minh lam gi?": "giao học viện chính trị",
             "Phuong cham xay va chong trong xay dung Dang duoc neu the nao?": "xây và chống trong"}
    for question, want in typed.items():
        assert want in restore_near(question, model, find).lower()
    monkeypatch.setattr(module, "CACHE_PAIR", 0.0)
    for question, want in typed.items():
        assert want not in restore_near(question, model, find).lower()


def test_everyday_phrases_are_read_whole() -> None:
    """The everyday phrases of data/everyday.tsv ("đóng tiền đảng", "già cả", "ma chay") are how people ask; the
    seeds' counts alone read them "đồng tiền đang", "giá ca", "mà chạy"."""
    from assistant.qa.query import everyday_phrases

    texts = [load_document(path, 50, None).text for path in sorted(CORPUS.glob("*.txt"))]
    frequencies = LexicalIndex(list(range(len(texts))), texts).frequencies()
    typed = ("dang vien gia yeu thi co phai dong tien dang khong", "nha bac thuong binh gia ca neo don",
             "anh em trong ho dung ra lo ma chay")
    plain = [restore(q, restorer(frequencies)) for q in typed]
    assert "đồng tiền đang" in plain[0] and "giá ca" in plain[1] and "mà chạy" in plain[2]
    model = restorer(frequencies, phrases=everyday_phrases())
    assert restore(typed[0], model) == "đảng viên già yếu thì có phải đóng tiền đảng không"
    assert "già cả" in restore(typed[1], model)
    assert restore(typed[2], model).startswith("anh em trong") and restore(typed[2], model).endswith("ma chay")


def test_abbreviations_numbers_and_unknown_words_stay_as_typed(seeds_model: Restorer) -> None:
    assert restore("UBKT TW kiem tra 54-KL/TW the nao?", seeds_model) == "UBKT TW kiểm tra 54-KL/TW thế nào?"
    assert restore("email  xyzq", seeds_model) == "email  xyzq"


def test_question_words_the_tables_under_count(seeds_model: Restorer) -> None:
    """"mấy" before a counting noun and "đâu" closing a question: people ask so, directives do not write so."""
    got = restore("bao cao dinh ky may thang mot lan, gui ve dau?", seeds_model)
    assert "mấy tháng" in got and got.endswith("về đâu?")
    assert restore("nop ho so o dau", seeds_model).endswith("ở đâu")
    assert "mấy suất" in restore("duoc nhan may suat qua", seeds_model)


def test_a_question_with_any_diacritic_is_left_alone(seeds_model: Restorer) -> None:
    typed = "ket luan 54 ban hành ngay nao"
    assert restore(typed, seeds_model) == typed
    assert restore("", seeds_model) == ""


def test_restoring_keeps_every_character_but_the_letters_marks(seeds_model: Restorer) -> None:
    lines = (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    for item in map(json.loads, lines):
        typed = fold(clean(item["q"])) if has_diacritics(item["q"]) else clean(item["q"])
        typed = typed.upper() if len(typed) % 3 == 0 else typed  # capitals are kept as typed
        out = restore(typed, seeds_model)
        assert fold(out) == fold(typed) and len(out) == len(typed)


def test_syllable_accuracy_on_the_tuning_questions(seeds_model: Restorer) -> None:
    """Questions written over the seeds (tuning material), typed without diacritics: at least 95% of their
    syllables come back right with the seeds' counts alone (measured 0.97 with the seeds and five Party PDFs)."""
    import re

    items = [json.loads(x) for x in (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    questions = [clean(i["q"]) for i in items if has_diacritics(i["q"])]
    right = total = 0
    for q in questions:
        want = re.findall(r"[^\W\d_]+", q.lower())
        got = re.findall(r"[^\W\d_]+", restore(fold(q), seeds_model).lower())
        right += sum(a == b for a, b in zip(want, got, strict=True))
        total += len(want)
    assert right / total >= 0.95, f"{right}/{total}"


def test_the_retriever_restores_with_its_own_index(fast_seed_settings, tmp_path) -> None:
    from dataclasses import replace

    from assistant.qa.retrieve import Retriever

    assert Retriever(fast_seed_settings).restore("thoi han xet cong nhan dang vien chinh thuc") == \
        "thời hạn xét công nhận đảng viên chính thức"
    assert Retriever(fast_seed_settings).restore("co phai dong tien dang khong") == "có phải đóng tiền đảng không"
    off = replace(fast_seed_settings, restore_diacritics=False)
    assert Retriever(off).restore("ket luan 54") == "ket luan 54"
    empty = replace(fast_seed_settings, index=tmp_path / "index")
    build_index([], empty, rebuild=True)
    assert Retriever(empty).restore("ban hanh ngay nao") == "ban hành ngày nào"  # general counts alone


@pytest.mark.slow
def test_an_unaccented_question_is_answered_and_shown_as_understood(seed_settings) -> None:
    from assistant.answer import Assistant
    from assistant.serialize import render_answer, understood_as

    answer = Assistant(seed_settings).ask("tu phe binh va phe binh con ne nang ngai va cham")
    assert not answer.refused and any("nể nang, ngại va chạm" in c.quote for c in answer.citations)
    assert understood_as(answer) == "tự phê bình và phê bình còn nể nang ngại va chạm"
    assert render_answer(answer).startswith("(Câu hỏi được hiểu là: «tự phê bình và phê bình còn nể nang")
    typed = Assistant(seed_settings).ask("Tự phê bình và phê bình còn nể nang ngại va chạm không?")
    assert understood_as(typed) is None


def test_how_people_phrase_questions_is_read_whole() -> None:
    """data/question_phrases.txt ("cho tôi hỏi", "ở đâu vậy"): over the seeds alone "cho toi hoi" reads "cho tới
    hồi" and a closing "vay" reads "vay" (a loan)."""
    from assistant.qa.query import everyday_phrases, typed_phrases

    texts = [load_document(path, 50, None).text for path in sorted(CORPUS.glob("*.txt"))]
    frequencies = LexicalIndex(list(range(len(texts))), texts).frequencies()
    typed = ("cho toi hoi con toi bi mat the dang thi lam lai o dau",
             "bay gio dang vien chuyen sinh hoat thi nop ho so o dau vay")
    plain = restorer(frequencies, phrases=everyday_phrases())
    assert restore(typed[0], plain).startswith("cho tới hồi") and restore(typed[1], plain).endswith("ở đâu vay")
    model = restorer(frequencies, phrases=typed_phrases())
    assert restore(typed[0], model) == "cho tôi hỏi con tôi bị mất thẻ đảng thì làm lại ở đâu"
    assert restore(typed[1], model) == "bây giờ đảng viên chuyển sinh hoạt thì nộp hồ sơ ở đâu vậy"
    assert set(everyday_phrases()) < set(typed_phrases()) and not any(p.startswith("#") for p in typed_phrases())
