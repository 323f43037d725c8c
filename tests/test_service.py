"""The UI-facing service: documents, viewer data, asking, streaming, ingest and delete.

Every test works on a temporary index and a temporary corpus folder; the real
``corpus/`` and ``index/`` are never written.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.support import CORPUS, FAST_MODEL, FONT, KL54, TB2018, make_settings

TXT_SUPERSEDES = (
    "BAN BÍ THƯ\n*\nSố 99-KL/TW\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 02 tháng 3 năm 2024\n\nKẾT LUẬN\n"
    "về công tác thử nghiệm tra cứu\n\n"
    "1. Các cấp ủy tổ chức nghiên cứu, quán triệt sâu rộng nội dung kết luận về công tác thử nghiệm tra cứu "
    "văn bản điện tử trong toàn Đảng.\n"
    "2. Kết luận này thay thế Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư.\n"
)


@pytest.fixture()
def env(tmp_path: Path) -> Iterator[tuple]:
    """A fresh index of the two seeds, a temporary corpus, and a Service with an admin password."""
    from assistant.service import Service
    from indexer.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for src in (KL54, TB2018):
        shutil.copyfile(src, corpus / src.name)
    settings = make_settings(tmp_path / "index", corpus=corpus, admin_password="mật-khẩu", model=FAST_MODEL)
    build_index([corpus], settings)
    yield Service(settings), settings, corpus


def _uploads(corpus: Path) -> list[str]:
    folder = corpus / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_documents_list_metadata_and_chunks(env: tuple) -> None:
    svc, _, _ = env
    rows = {r.number or r.doc_type: r for r in svc.documents()}
    kl = rows["54-KL/TW"]
    assert (kl.doc_type, kl.issuer, kl.date) == ("Kết luận", "Ban Bí thư", "09/5/2023")
    assert kl.chunks > 5 and kl.pages is None and not kl.uploaded and kl.superseded_by == ()
    assert svc.counts() == (2, sum(r.chunks for r in rows.values()))
    types, issuers = svc.facets()
    assert "Kết luận" in types and "Ban Bí thư" in issuers


def test_document_view_has_text_outline_and_offsets(env: tuple) -> None:
    svc, _, _ = env
    row = next(r for r in svc.documents() if r.number == "54-KL/TW")
    view = svc.document(row.doc_id)
    assert view is not None and view.label == "Kết luận số 54-KL/TW"
    labels = [i.label for i in view.outline]
    assert any(label.startswith("6. Tổ chức thực hiện") for label in labels)
    for item in view.outline:
        assert view.text[item.start:item.end].strip()
    assert svc.document("không-có") is None


def test_ask_answers_with_verified_citations_and_refuses_off_topic(env: tuple) -> None:
    svc, _, _ = env
    answer = svc.ask("BTG TW phối hợp với ai để quản lý hoạt động truyền thông?")
    assert not answer.refused and answer.citations
    gold = ("Phối hợp với Ban cán sự đảng Chính phủ chỉ đạo các cơ quan chức năng quản lý hiệu quả "
            "hoạt động truyền thông")
    assert any(gold in c.quote for c in answer.citations)
    for c in answer.citations:
        assert svc.document(c.doc_id).text[c.start:c.end] == c.quote  # type: ignore[union-attr]
    refusal = svc.ask("Quy định về nồng độ cồn khi lái xe ô tô là gì?")
    assert refusal.refused and refusal.text.startswith("Không tìm thấy nội dung này trong các văn bản đã nạp.")


def test_filters_restrict_asking_and_searching(env: tuple) -> None:
    from assistant.service import make_filters

    svc, _, _ = env
    only_kl = make_filters(["Kết luận"], [], "01/01/2023", None)
    hits = svc.search("phối hợp quản lý hoạt động truyền thông", only_kl)
    assert hits and {c.doc_number for c in hits} == {"54-KL/TW"}
    assert svc.search("truyền thông", make_filters([], [], "2030", None)) == []
    with pytest.raises(ValueError, match="không hợp lệ"):
        make_filters([], [], "31/13/2020", None)


def test_parse_date_forms() -> None:
    from assistant.service import parse_date

    assert parse_date("9/5/2023") == "2023-05-09"
    assert parse_date("05/2023") == "2023-05"
    assert parse_date("2023") == "2023"
    assert parse_date("2023-5-9") == "2023-05-09"
    assert parse_date(" ") is None


def test_ingest_needs_the_admin_password(env: tuple, tmp_path: Path) -> None:
    from assistant.service import Service

    svc, settings, corpus = env
    upload = tmp_path / "kl99.txt"
    upload.write_text(TXT_SUPERSEDES, encoding="utf-8")
    gen = svc.generation()
    assert "không đúng" in svc.ingest(upload, "sai", None).message
    assert "nhập mật khẩu" in svc.ingest(upload, "", None).message
    from dataclasses import replace

    closed = Service(replace(settings, admin_password=""))
    outcome = closed.ingest(upload, "mật-khẩu", None)
    assert not outcome.ok and "TRACUU_ADMIN_PASSWORD" in outcome.message
    assert svc.generation() == gen and _uploads(corpus) == []


@pytest.mark.parametrize(
    ("name", "data", "expect"),
    [
        ("hong.pdf", os.urandom(4096), "nội dung không phải PDF"),
        ("hong2.pdf", b"%PDF-1.7\n" + os.urandom(4096), "không phải PDF hợp lệ"),
        ("chuong-trinh.exe", b"MZ\x90\x00" + os.urandom(2048), "không phải PDF, DOCX, DOC, TXT"),
        ("nhi-phan.txt", b"abc\x00\x01\x02" * 100, "không phải PDF, DOCX, DOC, TXT"),
        ("rong.txt", b"", "rỗng"),
        ("ngan.txt", "Chỉ vài chữ.".encode(), "không có nội dung chữ"),
    ],
)
def test_bad_uploads_leave_index_and_corpus_untouched(env: tuple, tmp_path: Path, name: str, data: bytes,
                                                       expect: str) -> None:
    svc, _, corpus = env
    upload = tmp_path / name
    upload.write_bytes(data)
    gen, count = svc.generation(), svc.counts()
    outcome = svc.ingest(upload, "mật-khẩu", None)
    assert not outcome.ok and expect in outcome.message, outcome.message
    assert name.split(".")[0] in outcome.message  # names the file
    assert svc.generation() == gen and svc.counts() == count and _uploads(corpus) == []


def test_too_large_upload_is_refused(env: tuple, tmp_path: Path) -> None:
    from dataclasses import replace

    from assistant.service import Service

    _, settings, corpus = env
    svc = Service(replace(settings, max_file_mb=1))
    upload = tmp_path / "lon.txt"
    upload.write_text("Nội dung văn bản. " * 80000, encoding="utf-8")
    outcome = svc.ingest(upload, "mật-khẩu", None)
    assert not outcome.ok and "quá lớn" in outcome.message and "giới hạn 1 MB" in outcome.message
    assert _uploads(corpus) == []


def test_ingest_txt_then_duplicate_then_delete(env: tuple, tmp_path: Path) -> None:
    svc, _, corpus = env
    upload = tmp_path / "kl99.txt"
    upload.write_text(TXT_SUPERSEDES, encoding="utf-8")
    steps: list[tuple[float, str]] = []
    outcome = svc.ingest(upload, "mật-khẩu", lambda f, m: steps.append((f, m)))
    assert outcome.ok, outcome.message
    assert outcome.message.startswith("Đã nạp Kết luận số 99-KL/TW") and steps
    assert _uploads(corpus) == ["kl99.txt"]
    rows = {r.number: r for r in svc.documents()}
    assert rows["99-KL/TW"].uploaded
    assert rows["54-KL/TW"].superseded_by == ("Kết luận số 99-KL/TW",)
    gen = svc.generation()
    again = svc.ingest(upload, "mật-khẩu", None)
    assert not again.ok and "trùng nội dung" in again.message and svc.generation() == gen
    assert not svc.delete(rows["99-KL/TW"].doc_id, "sai").ok
    removed = svc.delete(rows["99-KL/TW"].doc_id, "mật-khẩu")
    assert removed.ok and "Đã xóa Kết luận số 99-KL/TW" in removed.message
    assert "99-KL/TW" not in {r.number for r in svc.documents()} and _uploads(corpus) == []
    seed = rows["54-KL/TW"]
    kept = svc.delete(seed.doc_id, "mật-khẩu")
    assert kept.ok and "vẫn nằm trong thư mục" in kept.message and (corpus / KL54.name).exists()
    assert not svc.delete("không-có", "mật-khẩu").ok


@pytest.mark.skipif(not FONT.exists(), reason="needs fonts-dejavu-core for a Vietnamese PDF")
def test_pdf_upload_by_content_has_page_map(env: tuple, tmp_path: Path) -> None:
    from fpdf import FPDF

    svc, _, corpus = env
    pdf = FPDF()
    pdf.add_font("dv", fname=str(FONT))
    pdf.set_font("dv", size=12)
    for page in range(2):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{page + 1}. Chi bộ tổ chức sinh hoạt chuyên đề về công tác kiểm tra, giám sát "
                             f"lần thứ {page + 1} trong năm, bảo đảm chất lượng và hiệu quả thiết thực.")
    upload = tmp_path / "tai-lieu.bin"  # a PDF whatever the name says
    pdf.output(str(upload))
    outcome = svc.ingest(upload, "mật-khẩu", None)
    assert outcome.ok, outcome.message
    assert _uploads(corpus) == ["tai-lieu.pdf"]
    view = svc.document(outcome.doc_id or "")
    assert view is not None and len(view.page_starts) == 2
    assert view.page_at(view.page_starts[1] + 1) == 2 and view.page_at(0) == 1


def test_ensure_index_builds_from_corpus_with_progress(tmp_path: Path) -> None:
    from assistant.service import Service

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    svc = Service(make_settings(tmp_path / "index", corpus=corpus, model=FAST_MODEL))
    assert svc.generation() is None and svc.documents() == []
    messages: list[str] = []
    svc.ensure_index(messages.append)
    assert svc.generation() is not None and svc.counts()[0] == 2
    assert any("tệp 1/2" in m for m in messages) and messages[-1].startswith("Đã lập chỉ mục 2 văn bản")
    assert not svc.status.building
    before = svc.generation()
    svc.ensure_index(messages.append)  # an existing index is left alone
    assert svc.generation() == before


LLM_Q = "Kết luận 54 yêu cầu gì về công tác tiếp dân và đối thoại?"  # composed, not a duty-register answer


class _FakeStream:
    """A reply that streams two pieces (or breaks after the first), then cites the first hit."""

    def __init__(self, fail: bool, question: str, standalone: str, hits: Sequence) -> None:
        self.fail, self.question, self.standalone, self.hits = fail, question, standalone, hits
        self.pieces = iter(("Ban Tuyên giáo ", "phối hợp [1]."))

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        piece = next(self.pieces)
        if self.fail and piece != "Ban Tuyên giáo ":
            raise ConnectionError("mất kết nối")
        return piece

    def answer(self):
        from assistant.qa.citations import Answer, cite

        h = self.hits[0]
        return Answer(self.question, "Ban Tuyên giáo phối hợp [1].", False, "llm",
                      (cite(1, h.doc, h.chunk, h.chunk.start, h.chunk.end),), standalone=self.standalone)


class _FakeLLM:
    """The composer's interface (``assistant.answer.Composer``) without a model behind it."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def stream(self, question: str, standalone: str, hits: Sequence) -> _FakeStream:
        return _FakeStream(self.fail, question, standalone, hits)

    def answer(self, question: str, standalone: str, hits: Sequence):
        return _FakeStream(self.fail, question, standalone, hits).answer()

    def unavailable(self, exc: BaseException, hits: Sequence = ()):
        from assistant.llm.compose import Fallback

        return Fallback(f"Không kết nối được mô hình ngôn ngữ ({exc}).", tuple(hits))


def test_llm_answers_stream_then_finish(env: tuple) -> None:
    from assistant.qa.citations import Answer
    from assistant.service import Service

    _, settings, _ = env
    svc = Service(settings, llm=_FakeLLM())
    assert svc.mode_label.startswith("LLM")
    items = list(svc.ask_stream(LLM_Q))
    assert items[:2] == ["Ban Tuyên giáo ", "Ban Tuyên giáo phối hợp [1]."]
    final = items[-1]
    assert isinstance(final, Answer) and final.mode == "llm" and final.citations
    refused = list(svc.ask_stream("Quy định về nồng độ cồn khi lái xe ô tô là gì?"))
    assert len(refused) == 1 and refused[0].refused  # refusals never reach the model


def test_llm_failure_falls_back_to_extractive(env: tuple) -> None:
    from assistant.service import Service

    _, settings, _ = env
    final = Service(settings, llm=_FakeLLM(fail=True)).ask(LLM_Q)
    assert final.mode == "extractive" and final.citations and "mô hình ngôn ngữ" in final.notes[-1]


@pytest.mark.parametrize(("name", "head", "staged"), [
    ("kl54.md", "# Kết luận".encode(), "kl54.md"),
    ("trang.htm", b"<html><body>x</body></html>", "trang.htm"),
    ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cu.doc"),
    ("chup.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "chup.jpg"),
    ("quet", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "quet.png"),
    ("ghi-chu", "Ghi chú".encode(), "ghi-chu.txt"),
])
def test_uploads_of_every_readable_format_are_staged_by_content(name: str, head: bytes, staged: str) -> None:
    from assistant.service.write import _staged_name
    from indexer.readers import sniff

    suffix = Path(name).suffix.lower()
    assert _staged_name(name, head, suffix, sniff(head, suffix)) == staged
