"""`tracuu inspect`'s report (indexer.inspect) over a real consolidated text with appendix tables."""

from __future__ import annotations

from pathlib import Path

from indexer.chunker import chunk_document
from indexer.inspect import render_text, report
from indexer.outline import parse_outline
from tests.support import congbot_document


def test_the_outline_lists_appendices_not_table_rows(tmp_path: Path) -> None:
    """VBHN 4804/VBHN-BLĐTBXH: six appendices of amounts follow the last article; the outline names each appendix
    with its passages and leaves out the hundreds of table rows."""
    doc = congbot_document("4804_2024_VBHN_BLĐTBXH", tmp_path)
    nodes = parse_outline(doc)
    rep = report(doc, nodes, chunk_document(doc, outline=nodes))
    outline = rep["outline"]
    assert isinstance(outline, list)
    appendices = [r for r in outline if r["kind"] == "appendix"]
    assert [r["label"] for r in appendices] == [f"PHỤ LỤC {n}" for n in ("I", "II", "III", "IV", "V", "VI")]
    assert all(int(r["chunks"]) >= 1 for r in appendices)
    assert not [r for r in outline if r["kind"] == "row"]
    assert sum(n.kind == "row" for n in nodes) > 150
    assert "PHỤ LỤC V" in render_text(rep)
