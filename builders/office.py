"""LibreOffice, headless: converting docx/pptx to PDF for previews, checks and tests."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import MissingDependency

SOFFICE_HINT = "LibreOffice is needed: apt-get install libreoffice-writer libreoffice-impress"


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise MissingDependency(SOFFICE_HINT)
    return exe


def convert_to_pdf(src: Path, out_dir: Path, timeout: float = 180) -> Path:
    """Convert ``src`` to PDF in ``out_dir`` with a private LibreOffice profile (safe to run in parallel)."""
    return convert_many([src], out_dir, timeout)[0]


def convert_many(sources: list[Path], out_dir: Path, timeout: float = 600) -> list[Path]:
    """Convert several files in one LibreOffice start (start-up is most of the cost of one conversion).

    Files must have distinct stems: each becomes ``out_dir/<stem>.pdf``.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, sources),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": profile})
    pdfs = [out_dir / (src.stem + ".pdf") for src in sources]
    failed = [str(src) for src, pdf in zip(sources, pdfs) if not pdf.exists()]
    if proc.returncode != 0 or failed:
        detail = proc.stderr.strip() or proc.stdout.strip()
        raise RuntimeError(f"LibreOffice could not convert {', '.join(failed) or sources}: {detail}")
    return pdfs
