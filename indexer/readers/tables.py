"""Tables from any format as lines a reader can cite.

A layout table (the two-column header block, the signature block) is read
column by column, each cell's lines on their own: the left column holds one
logical block (issuer and số hiệu; Nơi nhận), the right another (motto and
date; signature). A data table (three or more filled
columns: a task table "STT / Nhiệm vụ / Chủ trì / Phối hợp / Thời hạn") is read
row by row, one line per row, its cells joined by " | " so that a row stays one
retrievable unit. Empty cells inside a row are kept ("Sở Tư pháp |  | Sở Tư pháp")
and a merged cell is written once with empty cells for the other columns it spans (the
readers see to that: python-docx returns a merged cell once per grid column), so
the n-th cell of a row is the n-th column of its header (assistant.duties.tables reads
assignment tables that way); trailing empty cells are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

CELL_SEPARATOR = " | "


def table_lines(rows: Sequence[Sequence[str]], data: bool = False) -> list[str]:
    """Lines of a table given as rows of cell texts (a cell may hold several lines).

    ``data`` says the table is a data table whatever its width (a Markdown table with its header row).
    """
    rows = [[cell.strip() for cell in row] for row in rows]
    width = max((sum(1 for cell in row if cell) for row in rows), default=0)
    lines: list[str] = []
    if width <= 2 and not data:  # column by column: issuer block, then motto and date; recipients, then signature
        columns = max((len(row) for row in rows), default=0)
        for col in range(columns):
            for row in rows:
                if col < len(row):
                    lines.extend(part for part in row[col].split("\n") if part.strip())
        return lines
    for row in rows:
        cells = [" ".join(p.strip() for p in cell.split("\n") if p.strip()) for cell in row]
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            lines.append(CELL_SEPARATOR.join(cells).strip())
    return lines

