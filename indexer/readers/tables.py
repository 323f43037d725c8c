"""Tables from any format as lines a reader can cite.

A layout table (the two-column header block, the signature block) is read
column by column, each cell's lines on their own: the left column holds one
logical block (issuer and số hiệu; Nơi nhận), the right another (motto and
date; signature). A data table (three or more filled
columns: a task table "STT / Nhiệm vụ / Chủ trì / Phối hợp / Thời hạn") is read
row by row, one line per row, its cells joined by "; " so that a row stays one
retrievable unit.
"""

from __future__ import annotations

from collections.abc import Sequence

CELL_SEPARATOR = "; "


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
        line = ""
        for cell in _dedupe([c for c in cells if c]):
            # "... ban hành. Văn bản ..." rather than "ban hành.; Văn bản": a cell's own stop separates it.
            line += (" " if line.endswith((".", ";", ":", ",", "!", "?")) else CELL_SEPARATOR) + cell if line else cell
        if line:
            lines.append(line)
    return lines


def _dedupe(cells: list[str]) -> list[str]:
    """A merged cell is repeated in every row or column it spans: keep it once per row."""
    out: list[str] = []
    for cell in cells:
        if not out or out[-1] != cell:
            out.append(cell)
    return out
