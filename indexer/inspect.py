"""`tracuu inspect`: a document's metadata and outline, to check a parse by eye."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from indexer.chunker import chunk_document, node_label
from indexer.loaders import load_document
from indexer.models import Chunk, Document, Section
from indexer.outline import is_heading, parse_outline
from indexer.settings import Settings


def inspect_document(path: str | Path, settings: Settings | None = None) -> dict[str, object]:
    """Metadata, outline (headings with chunk counts) and chunk count of one file."""
    settings = settings or Settings.from_env()
    from indexer.readers.ocr import config_for

    doc = load_document(path, settings.max_file_mb, config_for(settings))
    nodes = parse_outline(doc)
    chunks = chunk_document(doc, settings.chunk_max_chars, settings.chunk_min_chars, nodes)
    return report(doc, nodes, chunks)


def report(doc: Document, nodes: tuple[Section, ...], chunks: tuple[Chunk, ...]) -> dict[str, object]:
    meta = doc.meta
    return {
        "doc_id": doc.doc_id,
        "path": doc.path,
        "doc_number": meta.doc_number,
        "doc_type": meta.doc_type,
        "issuer": meta.issuer,
        "place": meta.place,
        "date": meta.date,
        "date_approx": meta.date_approx,
        "title": meta.title,
        "signer": meta.signer,
        "signer_capacity": meta.signer_capacity,
        "pages": doc.pages,
        "format": doc.source_format,
        "encoding": doc.encoding,
        "notes": list(doc.notes),
        "certified_copy": asdict(meta.certified_copy) if meta.certified_copy else None,
        "references": [asdict(r) for r in meta.references],
        "supersedes": list(meta.supersedes),
        "recipients": list(meta.recipients),
        "outline": _outline(nodes, chunks),
        "chunks": len(chunks),
    }


def _outline(nodes: tuple[Section, ...], chunks: tuple[Chunk, ...]) -> list[dict[str, object]]:
    """Heading nodes in order, each with the number of chunks inside it."""
    rows = []
    for i, node in enumerate(nodes):
        has_children = any(n.parent == i for n in nodes)
        if node.kind in ("paragraph", "row") or not (has_children or is_heading(node.kind, node.title)):
            continue
        end = _subtree_end(nodes, i)
        count = sum(1 for c in chunks if c.end > node.start and c.start < end)
        rows.append({"level": node.level, "kind": node.kind, "label": node_label(nodes, i), "chunks": count})
    return rows


def _subtree_end(nodes: tuple[Section, ...], i: int) -> int:
    end = nodes[i].end
    for j in range(i + 1, len(nodes)):
        k = j
        while k >= 0 and k != i:
            k = nodes[k].parent
        if k != i:
            break
        end = nodes[j].end
    return end


def render_text(rep: dict[str, object]) -> str:
    """A human-readable report in Vietnamese."""
    copy = rep["certified_copy"]
    lines = [
        f"Tệp:            {rep['path']}",
        f"Mã văn bản:     {rep['doc_id']}",
        f"Số hiệu:        {rep['doc_number'] or '(không có)'}",
        f"Loại:           {rep['doc_type'] or '(không rõ)'}",
        f"Cơ quan ban hành: {rep['issuer'] or '(không rõ)'}",
        f"Nơi, ngày:      {rep['place'] or '?'}, {rep['date'] or rep['date_approx'] or '?'}",
        f"Trích yếu:      {rep['title'] or '(không có)'}",
        f"Người ký:       {rep['signer'] or '(không rõ)'} {rep['signer_capacity'] or ''}".rstrip(),
        f"Số trang:       {rep['pages'] or '-'}",
        f"Bản sao:        {copy if copy else '(không)'}",
        f"Dẫn chiếu:      {', '.join(r['number'] for r in rep['references']) or '(không)'}",  # type: ignore[index,union-attr]
        f"Thay thế:       {', '.join(rep['supersedes']) or '(không)'}",  # type: ignore[arg-type]
        f"Số đoạn cắt:    {rep['chunks']}",
        *(f"Ghi chú:        {note}" for note in rep["notes"]),  # type: ignore[union-attr]
        "Dàn ý:",
    ]
    for row in rep["outline"]:  # type: ignore[union-attr]
        lines.append(f"{'  ' * int(row['level'])}{row['label']}  [{row['chunks']} đoạn]")
    return "\n".join(lines)
