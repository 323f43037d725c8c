"""The "Bảng phân công nhiệm vụ" DOCX: opened with python-docx, its rows are the register's rows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support import CACHE, FAST_MODEL, ROOT

BTG = "Ban Tuyên giáo Trung ương"
BTC = "Ban Tổ chức Trung ương"
HEADER = ["STT", "Cơ quan chủ trì", "Cơ quan phối hợp", "Nhiệm vụ", "Thời hạn", "Căn cứ"]


def _table(path: Path) -> tuple[object, list[list[str]]]:
    import docx

    doc = docx.Document(str(path))
    assert len(doc.tables) == 1
    return doc, [[cell.text for cell in row.cells] for row in doc.tables[0].rows]


def test_docx_rows_equal_the_register_rows(fast_seed_settings) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    from assistant.duties.export import citation
    from assistant.service import Service

    svc = Service(fast_seed_settings)
    rows = svc.duties(BTG)
    assert len(rows) >= 3
    _, _, path = svc.export_duties(rows, BTG)
    assert path.suffix == ".docx" and path.name.startswith("bang-phan-cong-")
    doc, table = _table(path)
    assert table[0] == HEADER and len(table) == len(rows) + 1
    for k, (cells, r) in enumerate(zip(table[1:], rows, strict=True), start=1):
        assert cells[0] == str(k) and cells[4] == (r.deadline or "") and cells[5] == citation(r)
        assert cells[3].lower() == r.task.lower()  # the task as quoted, its first letter capitalised
        if r.role == "phối hợp":
            assert cells[2] == BTG and BTG not in cells[1]
        else:
            assert cells[1] == BTG
    lead = next(c for c, r in zip(table[1:], rows, strict=True) if r.task.startswith("Ban Tổ chức Trung ương chủ trì"))
    assert lead[1] == BTC and lead[2] == BTG  # the lead body comes from the rest of the register
    section = doc.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    header_row = doc.tables[0].rows[0]._tr
    assert header_row.trPr is not None and header_row.trPr.find(qn("w:tblHeader")) is not None
    assert all(run.bold for cell in doc.tables[0].rows[0].cells for run in cell.paragraphs[0].runs)
    assert "BẢNG PHÂN CÔNG NHIỆM VỤ" in doc.paragraphs[0].text


def test_cli_duties_writes_the_docx(fast_seed_settings, tmp_path: Path) -> None:
    from assistant.service import Service

    out = tmp_path / "bang-phan-cong.docx"
    env = {**os.environ, "TRACUU_INDEX": str(fast_seed_settings.index), "TRACUU_MODEL": FAST_MODEL,
           "TRACUU_EMBED_CACHE": str(CACHE / "embcache.sqlite"), "OMP_WAIT_POLICY": "PASSIVE"}
    proc = subprocess.run([sys.executable, "-m", "assistant.cli", "duties", "BTG TW", "--docx", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, check=True)
    assert "Đã ghi bảng phân công nhiệm vụ" in proc.stdout
    _, table = _table(out)
    assert table[0] == HEADER and len(table) == len(Service(fast_seed_settings).duties(BTG)) + 1
