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
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        cmd = [
            soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(out_dir), str(src),
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              env={**os.environ, "HOME": profile})
    pdf = out_dir / (src.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {src}: {proc.stderr.strip() or proc.stdout.strip()}")
    return pdf
