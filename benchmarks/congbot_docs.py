"""Documents of the CongBot data set as Markdown files, for held-out set D.

    python benchmarks/congbot_docs.py [--shared ../shared] [--out benchmarks/_out/congbot_d]

Each document of ``data/congbot/chunks.jsonl`` (fields ``doc_id``, ``chunk_id``, ``text``) is the text of its
chunks in file order; the first line of a chunk ("# <chunk_id>") is dropped and chunks are separated by a blank
line. Files are written atomically (a temporary file, then ``os.replace``).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "_out" / "congbot_d"
# The five State documents of set D (tests/data/heldout/questions_D.jsonl names them as "<doc_id>.md").
SET_D = ("773_2018_QĐ_TTg", "252_2013_KH_BCDQG1237", "254_2023_QD_UBND_SonLa", "31_2012_CT_TTg", "3210_2014_QD_UBND")


def chunk_text(chunk: dict) -> str:
    """The chunk's text without its first line when that line is the "# <chunk_id>" heading."""
    first, _, rest = chunk["text"].partition("\n")
    return rest.strip() if first.strip() == f"# {chunk['chunk_id']}" else chunk["text"].strip()


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the other outputs are world-readable
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_congbot(shared: Path, doc_ids: Sequence[str], out: Path) -> list[Path]:
    """Write each of ``doc_ids`` as ``out/<doc_id>.md``; returns the paths in the order of ``doc_ids``."""
    wanted = set(doc_ids)
    parts: dict[str, list[str]] = {d: [] for d in doc_ids}
    with (shared / "data" / "congbot" / "chunks.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            chunk = json.loads(line)
            if chunk["doc_id"] in wanted:
                parts[chunk["doc_id"]].append(chunk_text(chunk))
    missing = [d for d in doc_ids if not parts[d]]
    if missing:
        raise ValueError(f"documents not in chunks.jsonl: {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc_id in doc_ids:
        path = out / f"{doc_id}.md"
        _write_atomic(path, "\n\n".join(p for p in parts[doc_id] if p) + "\n")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    for path in write_congbot(args.shared, SET_D, args.out):
        print(path)


if __name__ == "__main__":
    main()
