"""Legacy Word 97-2003 (.doc): converted offline to DOCX by LibreOffice, then read as DOCX.

LibreOffice keeps what the DOCX reader needs (paragraphs, Word's automatic
numbering, tables, headers and footers) and Vietnamese text intact; antiword
and catdoc lose the tables and numbering and hard-wrap every line (measured in
benchmarks/README.md, "Formats"). Each conversion runs in a private temporary
profile (``-env:UserInstallation``) so that it never meets a running office
or another conversion, and is killed after ``TIMEOUT_S`` seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from indexer.errors import LoadError
from indexer.readers.raw import Raw

TIMEOUT_S = 120
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def find_soffice() -> str | None:
    """The LibreOffice command on PATH, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: Path, data: bytes) -> Raw:
    from indexer.readers.word import read_docx

    docx = convert_to_docx(path, data)
    raw = read_docx(path, docx)
    return Raw(raw.pages, "doc", raw.wrapped, raw.encoding, raw.starts)


def convert_to_docx(path: Path, data: bytes) -> bytes:
    """The bytes of ``data`` (a .doc) saved as DOCX by LibreOffice headless."""
    soffice = find_soffice()
    if soffice is None:
        raise LoadError(
            str(path), "converter_missing",
            f"Không đọc được tệp {path.name}: định dạng Word cũ (.doc) cần LibreOffice để chuyển đổi mà máy chưa cài. "
            "Hãy cài gói libreoffice-writer-nogui (xem README) hoặc mở tệp bằng Word, lưu dạng .docx rồi nạp lại.",
        )
    with tempfile.TemporaryDirectory(prefix="tracuu-doc-") as tmp:
        work = Path(tmp)
        source = work / "input.doc"
        source.write_bytes(data)
        command = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
            "--infilter=MS Word 97", "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(work / "out"), str(source),
        ]
        if not _run(command, work):
            raise LoadError(
                str(path), "convert_timeout",
                f"Chuyển đổi tệp {path.name} (.doc) quá {TIMEOUT_S} giây nên đã dừng. "
                "Hãy mở tệp bằng Word hoặc LibreOffice, lưu dạng .docx rồi nạp lại.",
            )
        result = work / "out" / "input.docx"
        if not result.is_file():
            raise LoadError(
                str(path), "corrupt_doc",
                f"Tệp {path.name} không phải tệp Word (.doc) đọc được hoặc đã bị hỏng. "
                "Hãy mở bằng Word/LibreOffice, lưu lại dạng .docx rồi nạp lại.",
            )
        return result.read_bytes()


def _run(command: list[str], cwd: Path) -> bool:
    """Run the converter in its own process group; on timeout kill the whole group (soffice forks soffice.bin)."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        proc.wait(timeout=TIMEOUT_S)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False
