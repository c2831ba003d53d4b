"""The text of a PDF (pdftotext), to test what a generated PDF says."""

import shutil
import subprocess
import tempfile


def pdf_text(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        out = subprocess.run(  # noqa: S603 - fixed program on a temporary file
            [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", f.name, "-"],
            capture_output=True,
            check=True,
            text=True,
        )
    return "".join(out.stdout.split())  # CJK lines break anywhere: compare without whitespace
