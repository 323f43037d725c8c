"""`tracuu` command line: a thin layer over the library API.

Heavy libraries are imported inside the command functions so that
``tracuu --help`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from indexer.errors import TracuuError
from indexer.settings import Settings

if TYPE_CHECKING:
    from assistant.qa.retrieve import Filters

log = logging.getLogger("tracuu")


def _print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def cmd_inspect(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.inspect import inspect_document

    report = inspect_document(args.path, settings)
    if args.json:
        _print_json(report)
        return 0
    from indexer.inspect import render_text

    _out(render_text(report))
    return 0


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.build import build_index

    paths = args.paths or [str(settings.corpus)]
    summary = build_index(paths, settings, rebuild=args.rebuild, prune=args.prune, progress=sys.stderr.isatty())
    if summary.reread:
        _out("Chỉ mục được lập bởi phiên bản tracuu khác: đã đọc lại mọi tệp để dàn ý và trích dẫn theo cách đọc "
             "mới (chỉ nhúng lại các đoạn đã thay đổi).")
    _out(
        f"Đã lập chỉ mục: {summary.documents} văn bản, {summary.chunks} đoạn "
        f"(thêm {len(summary.added)}, cập nhật {len(summary.updated)}, xóa {len(summary.removed)}, "
        f"không đổi {summary.unchanged}; nhúng {summary.embedded} đoạn) trong {summary.seconds:.1f} giây."
    )
    for path, note in summary.merged:
        _out(f"Gộp {path}: {note}")
    if summary.merged:
        _out(f"Đã gộp {len(summary.merged)} tệp vào văn bản đã có (mỗi văn bản chỉ lập chỉ mục một lần).")
    for path, note in summary.notes:  # OCR quality, encodings converted
        _out(f"Ghi chú {path}: {note}")
    for path, reason in summary.skipped:
        _out(f"Bỏ qua {path}: {reason}")
    return 0


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    from indexer.build import remove_documents

    summary = remove_documents(args.docs, settings)
    _out(f"Đã xóa {len(summary.removed)} văn bản; còn {summary.documents} văn bản, {summary.chunks} đoạn.")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.qa.citations import doc_label
    from assistant.qa.retrieve import Retriever
    from assistant.serialize import search_json

    retriever = Retriever(settings)
    hits = retriever.search(args.question, k=args.k, filters=_filters(args))
    if args.json:
        _print_json(search_json(args.question, hits))
        return 0
    if not hits:
        _out("Không tìm thấy đoạn văn bản nào phù hợp.")
    replaced = retriever.replaced()
    for h in hits:
        label = " ".join(x for x in (h.doc.meta.doc_type, h.doc.meta.doc_number) if x) or h.doc.path
        page = f", trang {h.chunk.page}" if h.chunk.page else ""
        by = replaced.get(h.doc.doc_id)
        old = f" [đã được thay thế bởi {doc_label(by)}]" if by else ""
        _out(f"[{h.rank}] {label}{old} — {h.chunk.section}{page} (điểm {h.score:.3f})")
        _out(f"    {h.chunk.text[:300]}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.answer import Assistant
    from assistant.serialize import answer_json, render_answer

    answer = Assistant(settings).ask(args.question, filters=_filters(args))
    if args.json:
        _print_json(answer_json(answer))
    else:
        _out(render_answer(answer))
    return 0


def cmd_duties(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.duties.answers import register_rows
    from assistant.duties.bodies import key, resolve
    from assistant.duties.docx_table import write_docx
    from assistant.duties.export import citation, duties_json, write_csv, write_xlsx
    from assistant.duties.extract import body_counts, select
    from assistant.qa.retrieve import Retriever

    all_rows = register_rows(Retriever(settings).snapshot())
    if not args.body:
        counts = body_counts(select(all_rows, doc=args.doc))
        if args.json:
            _print_json({"body": None, "bodies": [{"body": b, "rows": n} for b, n in counts]})
        for body, n in [] if args.json else counts:
            _out(f"{n:4d}  {body}")
        return 0
    body = resolve(args.body) or args.body
    rows = select(all_rows, body, args.doc)
    if args.csv:
        _out(f"Đã ghi {write_csv(rows, args.csv)}")
    if args.xlsx:
        _out(f"Đã ghi {write_xlsx(rows, args.xlsx)}")
    if args.docx:
        _out(f"Đã ghi bảng phân công nhiệm vụ {write_docx(rows, args.docx, all_rows, body)}")
    if args.json:
        _print_json(duties_json(body, rows))
    elif not (args.csv or args.xlsx or args.docx):
        _out(f"{body}: {len(rows)} nhiệm vụ" if rows else f"Không tìm thấy nhiệm vụ nào của «{args.body}».")
        for i, r in enumerate(rows, 1):
            deadline = f" (thời hạn: {r.deadline})" if r.deadline else ""
            named = f"\n   Văn bản ghi: {r.body}" if key(r.body) != key(body) else ""  # another spelling of it
            _out(f"{i}. [{r.role}] {r.task}{deadline}{named}\n   Căn cứ: {citation(r)}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from assistant.evaluation.metrics import run_eval

    legs = tuple(x.strip() for x in args.legs.split(",") if x.strip())
    shared = Path(args.shared) if args.shared else None
    _out(run_eval(args.target, settings, k=args.k, as_json=args.json, legs=legs, shared=shared,
                  progress=sys.stderr.isatty()))
    return 0


def _filters(args: argparse.Namespace) -> Filters:
    from assistant.qa.retrieve import Filters

    return Filters(
        doc_ids=tuple(args.doc or ()), doc_types=tuple(args.type or ()), issuers=tuple(args.issuer or ()),
        date_from=args.date_from, date_to=args.date_to,
    )


def _add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--doc", action="append", help="chỉ tìm trong văn bản này (mã văn bản); lặp lại được")
    p.add_argument("--type", action="append", help="loại văn bản (Kết luận, Quy định, ...)")
    p.add_argument("--issuer", action="append", help="cơ quan ban hành")
    p.add_argument("--from", dest="date_from", help="ban hành từ ngày (yyyy-mm-dd)")
    p.add_argument("--to", dest="date_to", help="ban hành đến ngày (yyyy-mm-dd)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracuu",
        description="Tra cứu văn bản chỉ đạo của Đảng và Nhà nước: nạp, tìm kiếm, hỏi đáp có trích dẫn.",
    )
    parser.add_argument("--index", help="thư mục chỉ mục (mặc định: index/ hoặc TRACUU_INDEX)")
    parser.add_argument("-v", "--verbose", action="store_true", help="in thêm nhật ký chi tiết")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH")
    _add_index_commands(sub)
    _add_query_commands(sub)
    _add_eval_command(sub)
    return parser


def _add_index_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("inspect", help="xem thông tin, dàn ý và số đoạn cắt của một văn bản")
    p.add_argument("path", help="đường dẫn tệp (TXT, PDF, DOCX, HTML, MD)")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    p.set_defaults(func=cmd_inspect)

    p = sub.add_parser("index", help="nạp và lập chỉ mục văn bản (mặc định thư mục corpus/)")
    p.add_argument("paths", nargs="*", help="tệp hoặc thư mục")
    p.add_argument("--rebuild", action="store_true", help="xây lại toàn bộ chỉ mục (ví dụ sau khi đổi mô hình)")
    p.add_argument("--prune", action="store_true", help="xóa khỏi chỉ mục các văn bản không còn trong đường dẫn")
    p.add_argument("--ray", metavar="auto|ĐỊA_CHỈ",
                   help="nhúng trên cụm Ray: auto (cụm đang chạy, không có thì Ray trên máy này) hoặc máy:6379")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("remove", help="xóa văn bản khỏi chỉ mục (theo mã, số hiệu hoặc đường dẫn)")
    p.add_argument("docs", nargs="+", help="mã văn bản, số hiệu (54-KL/TW) hoặc đường dẫn")
    p.set_defaults(func=cmd_remove)


def _add_query_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("search", help="tìm các đoạn văn bản liên quan đến câu hỏi")
    p.add_argument("question", help="câu hỏi hoặc từ khóa")
    p.add_argument("--k", type=int, default=10, help="số kết quả (mặc định 10)")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    _add_filter_args(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("ask", help="hỏi và nhận câu trả lời có trích dẫn nguyên văn")
    p.add_argument("question", help="câu hỏi")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    _add_filter_args(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("duties", help="sổ theo dõi nhiệm vụ: cơ quan nào được giao việc gì")
    p.add_argument("body", nargs="?", help="tên cơ quan (chấp nhận viết tắt: BTC TW, UBKT TW ...)")
    p.add_argument("--doc", help="chỉ xét một văn bản (mã, số hiệu)")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    p.add_argument("--csv", help="ghi bảng ra tệp CSV")
    p.add_argument("--xlsx", help="ghi bảng ra tệp Excel")
    p.add_argument("--docx", help="ghi “Bảng phân công nhiệm vụ” ra tệp Word (khổ ngang, để dán vào kế hoạch)")
    p.set_defaults(func=cmd_duties)


def _add_eval_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("eval", help="đo chất lượng truy hồi trên tệp câu hỏi hoặc bộ dữ liệu chuẩn")
    p.add_argument("target", help="tệp .jsonl {q, gold} hoặc: alqac2023, alqac2022, congbot, zalo")
    p.add_argument("--k", type=int, default=10, help="số kết quả xét (mặc định 10)")
    p.add_argument("--json", action="store_true", help="xuất JSON")
    p.add_argument("--legs", default="hybrid", help="nhánh đo: dense, lexical, hybrid, unaccented (câu hỏi bỏ dấu)")
    p.add_argument("--shared", help="thư mục dữ liệu dùng chung (mặc định ../shared)")
    p.set_defaults(func=cmd_eval)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env(index=args.index, ray=getattr(args, "ray", None))
    except TracuuError as err:  # a TRACUU_* value that cannot be used
        sys.stderr.write(f"Lỗi: {err}\n")
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else getattr(logging, settings.log_level.upper(), logging.WARNING),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args, settings) or 0)
    except TracuuError as err:
        sys.stderr.write(f"Lỗi: {err}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng theo yêu cầu.\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
